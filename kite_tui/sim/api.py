"""The Kubernetes API itself: routing a request to discovery, list, get, watch, logs,
metrics or a write, and producing the response body (or a stream of chunks).

This module knows nothing of sockets: :func:`handle` takes a :class:`Request` and
returns a :class:`Response` whose ``stream`` (for watches and followed logs) is an
iterator of byte chunks that the HTTP layer writes with chunked encoding. Faults and
authentication are applied by the HTTP layer before a request gets here, except RBAC
(``faults.allowed_namespaces``), which needs to know the resource and namespace.
"""

from __future__ import annotations

from kite_tui.sim import componentstatus, controllers, crd_scale, openapi
from kite_tui.sim.discovery import aggregated_content_type, negotiate_discovery
from kite_tui.sim.exchange import (
    NOT_FOUND_PATH,
    ApiContext,
    DropConnection,
    Request,
    Response,
    Target,
    not_found,
    status,
)
from kite_tui.sim.faults import forbidden
from kite_tui.sim.reads import get_one, list_or_watch
from kite_tui.sim.resources import COMPUTED_GROUPS, Registry
from kite_tui.sim.store import dumps
from kite_tui.sim.subresources import serve_logs, serve_metrics, serve_scale
from kite_tui.sim.writes import write

__all__ = ["ApiContext", "DropConnection", "Request", "Response", "handle", "status"]


def _resolve(registry: Registry, group: str, version: str, segs: list[str]) -> Target | None:
    watch_prefix = bool(segs) and segs[0] == "watch"
    if watch_prefix:
        segs = segs[1:]
    if len(segs) >= 3 and segs[0] == "namespaces":
        ns, plural, rest = segs[1], segs[2], segs[3:]
    else:
        ns, plural, rest = None, segs[0] if segs else "", segs[1:]
    rtype = registry.find_in_group(group, version, plural)
    if rtype is None or len(rest) > 2:
        return None
    if ns is not None and not rtype.namespaced:
        return None
    name = rest[0] if rest else None
    sub = rest[1] if len(rest) > 1 else None
    return Target(rtype, ns, name, sub, version)


def handle(ctx: ApiContext, req: Request) -> Response:
    """Serve one Kubernetes API request."""
    segs = [s for s in req.path.split("/") if s]
    d = ctx.current_discovery()
    if req.path in ("/version", "/version/"):
        return Response(200, d.version)
    if req.path in ("/healthz", "/livez", "/readyz"):
        return Response(200, b"ok", "text/plain; charset=utf-8")
    if segs and segs[0] == "openapi" and req.method == "GET":
        return openapi.serve(ctx.store.registry, req)
    if not segs or segs[0] not in ("api", "apis"):
        return Response(404, b"404 page not found\n", "text/plain; charset=utf-8")
    if len(segs) == 1:
        aggregated = negotiate_discovery(req.headers.get("accept", ""))
        if aggregated is not None:
            groups = d.aggregated[("/" + segs[0], aggregated)]
            return Response(200, groups, aggregated_content_type(aggregated))
    if segs[0] == "api":
        if len(segs) == 1:
            return Response(200, d.api)
        if segs[1] != "v1":
            return status(404, NOT_FOUND_PATH, "NotFound", {})
        group, version, rest = "", "v1", segs[2:]
    else:
        if len(segs) == 1:
            return Response(200, d.apis)
        if len(segs) == 2:
            body = d.groups.get(segs[1])
            return Response(200, body) if body else status(404, NOT_FOUND_PATH, "NotFound", {})
        group, version, rest = segs[1], segs[2], segs[3:]
    gv = f"{group}/{version}" if group else version
    if not rest:
        body = d.lists.get(gv)
        return Response(200, body) if body else status(404, NOT_FOUND_PATH, "NotFound", {})
    target = _resolve(ctx.store.registry, group, version, rest)
    if target is None:
        return status(404, NOT_FOUND_PATH, "NotFound", {})
    watching = rest[0] == "watch" or req.query.get("watch") in ("true", "1")
    return _resource(ctx, req, target, watching)


def _verb(req: Request, target: Target, watching: bool) -> str:
    if req.method == "GET":
        if watching:
            return "watch"
        return "get" if target.name else "list"
    return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}.get(
        req.method, req.method.lower()
    )


def _rbac(ctx: ApiContext, verb: str, target: Target) -> Response | None:
    allowed = ctx.faults.allowed_namespaces
    if allowed is None:
        return None
    r = target.rtype
    if r.namespaced and target.namespace in allowed:
        return None
    resource = r.plural + (f"/{target.sub}" if target.sub else "")
    return Response(
        403,
        dumps(forbidden(ctx.faults.user, verb, resource, r.group, target.namespace, target.name)),
    )


def _resource(ctx: ApiContext, req: Request, t: Target, watching: bool) -> Response:
    verb = _verb(req, t, watching)
    denied = _rbac(ctx, verb, t)
    if denied is not None:
        return denied
    r = t.rtype
    if t.sub is None and verb not in r.verbs and r.group not in COMPUTED_GROUPS:
        return status(
            405,
            f'{verb} is not supported on resources of kind "{r.qualified}"',
            "MethodNotAllowed",
        )
    if r.kind == "ComponentStatus" and not r.group and req.method == "GET":
        return componentstatus.serve(ctx, req, t)
    if r.group == "metrics.k8s.io":
        if req.method != "GET" or watching:
            return status(405, f"{verb} is not supported on {r.qualified}", "MethodNotAllowed")
        return serve_metrics(ctx, req, t)
    if t.sub == "log" and r.kind == "Pod" and req.method == "GET":
        return serve_logs(ctx, req, t)
    if t.sub == "scale" and r.kind in controllers.SCALABLE:
        return serve_scale(ctx, req, t)
    if t.sub == "scale" and r.custom_columns is not None:
        return crd_scale.serve(ctx, req, t)
    if t.sub is not None and t.sub not in {s[0] for s in r.subresources}:
        return status(404, NOT_FOUND_PATH, "NotFound", {})
    if req.method == "GET":
        if t.name and not watching:
            entry = ctx.store.get_entry(r, t.namespace, t.name)
            if entry is None:
                return not_found(r, t.name)
            return get_one(ctx, req, entry, t.version)
        return list_or_watch(ctx, req, t, watching)
    return write(ctx, req, t)
