"""Subresources and the metrics API: a pod's ``log`` (followed or not), ``scale`` of a
workload, and the ``metrics.k8s.io`` usage of pods and nodes."""

from __future__ import annotations

import json
from collections.abc import Iterator

from kite_tui.sim import controllers, metrics
from kite_tui.sim.exchange import (
    ApiContext,
    Request,
    Response,
    Target,
    int_param,
    not_found,
    selectors_of,
    status,
)
from kite_tui.sim.logs import LogError, format_lines, select_lines
from kite_tui.sim.patches import PatchError, apply_patch, merge_patch
from kite_tui.sim.selectors import SelectorError
from kite_tui.sim.store import dumps


def serve_logs(ctx: ApiContext, req: Request, t: Target) -> Response:
    q = req.query
    previous = q.get("previous") in ("true", "1")
    follow = q.get("follow") in ("true", "1")
    try:
        tail = int_param(req, "tailLines")
        since_s = int_param(req, "sinceSeconds")
        limit_bytes = int_param(req, "limitBytes")
    except ValueError as exc:
        return status(400, str(exc), "BadRequest")
    assert t.name is not None and t.namespace is not None
    try:
        _pod, _container, buf = ctx.logs.resolve(t.namespace, t.name, q.get("container"), previous)
    except KeyError:
        return not_found(t.rtype, t.name)
    except LogError as exc:
        return status(400, str(exc), "BadRequest")
    text = "text/plain"
    if buf is None:
        return Response(200, b"", text)
    since = ctx.clock() - since_s if since_s is not None else None
    timestamps = q.get("timestamps") in ("true", "1")
    lines = list(buf.lines)
    first = select_lines(lines, tail=tail, since=since)
    body = format_lines(first, timestamps)
    if limit_bytes is not None:
        body = body[:limit_bytes]
    if not follow or previous or buf.finished:
        return Response(200, body, text)

    def stream() -> Iterator[bytes]:
        sent = len(body)
        yield body
        index = len(lines)
        while not ctx.stop.is_set():
            new = ctx.logs.wait_lines(buf, index, ctx.stop)
            if new is None:
                return
            if not new:
                continue
            index += len(new)
            out = format_lines(new, timestamps)
            if limit_bytes is not None:
                out = out[: max(limit_bytes - sent, 0)]
            sent += len(out)
            yield out
            if limit_bytes is not None and sent >= limit_bytes:
                return

    return Response(200, content_type=text, stream=stream())


# -------------------------------------------------------------------- metrics
def serve_metrics(ctx: ApiContext, req: Request, t: Target) -> Response:
    r = t.rtype
    now = ctx.clock()
    try:
        lp, fp = selectors_of(req, r)
    except SelectorError as exc:
        return status(400, str(exc), "BadRequest")
    items = (
        metrics.node_metrics(ctx.store, now)
        if r.kind == "NodeMetrics"
        else metrics.pod_metrics(ctx.store, t.namespace, now)
    )
    if t.name:
        for item in items:
            if item["metadata"]["name"] == t.name:
                return Response(200, dumps(item))
        return not_found(r, t.name)
    items = [
        i
        for i in items
        if (lp is None or lp(i["metadata"].get("labels") or {})) and (fp is None or fp(i))
    ]
    return Response(
        200,
        dumps({"kind": r.list_kind, "apiVersion": r.api_version, "metadata": {}, "items": items}),
    )


# ---------------------------------------------------------------------- scale
def serve_scale(ctx: ApiContext, req: Request, t: Target) -> Response:
    r = t.rtype
    assert t.name is not None and t.namespace is not None
    current = ctx.store.get(r.qualified, t.namespace, t.name)
    if current is None:
        return not_found(r, t.name)
    if req.method == "GET":
        return Response(200, dumps(controllers.scale_object(current)))
    if req.method not in ("PUT", "PATCH"):
        return status(405, f"{req.method} is not supported on scale", "MethodNotAllowed")
    replicas = requested_replicas(req, controllers.scale_object(current))
    if isinstance(replicas, Response):
        return replicas
    updated = controllers.scale(ctx.store, r.kind, t.namespace, t.name, replicas)
    return Response(200, dumps(controllers.scale_object(updated)))


def requested_replicas(req: Request, scale: dict) -> int | Response:
    """The replicas a PUT or PATCH of ``/scale`` asks for, given the current Scale; or the
    error Response a real server gives (a body that is not JSON, a bad patch, a replica
    count that is not a whole number >= 0)."""
    try:
        body = json.loads(req.body or b"{}")
    except ValueError:
        return status(400, "the request body is not valid JSON", "BadRequest")
    try:
        wanted = (
            apply_patch(scale, body, req.headers.get("content-type", ""), custom=False)
            if req.method == "PATCH"
            else merge_patch(scale, body)
        )
    except PatchError as exc:
        return status(exc.code, str(exc))
    try:
        replicas = int(wanted["spec"]["replicas"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return status(422, "spec.replicas must be an integer", "Invalid")
    if replicas < 0:
        return status(
            422,
            f"spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
            "Invalid",
        )
    return replicas
