"""Writing resources: create, replace, JSON merge patch and delete."""

from __future__ import annotations

import json

from kite_tui.sim.exchange import ApiContext, Request, Response, Target, not_found, status
from kite_tui.sim.objects import admit
from kite_tui.sim.store import AlreadyExists, NotFound, dumps


def merge_patch(target: object, patch: object) -> object:
    """RFC 7386 JSON merge patch (also used for strategic merge patches)."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def write(ctx: ApiContext, req: Request, t: Target) -> Response:
    r, store = t.rtype, ctx.store
    try:
        body = json.loads(req.body) if req.body else {}
    except ValueError:
        return status(400, "the request body is not valid JSON", "BadRequest")
    if req.method == "POST" and not t.name:
        if not isinstance(body, dict):
            return status(400, "the request body must be an object", "BadRequest")
        body.setdefault("kind", r.kind)
        body.setdefault("apiVersion", r.api_version)
        if r.namespaced:
            body.setdefault("metadata", {})["namespace"] = t.namespace or "default"
        try:
            return Response(201, dumps(store.create(admit(body, created=True))))
        except AlreadyExists as exc:
            return status(
                409,
                str(exc),
                "AlreadyExists",
                {"name": body.get("metadata", {}).get("name"), "kind": r.plural},
            )
        except ValueError as exc:
            return status(422, str(exc), "Invalid")
    if not t.name:
        return status(405, f"{req.method} is not supported on a collection", "MethodNotAllowed")
    try:
        if req.method == "DELETE":
            return Response(200, dumps(store.delete(r.qualified, t.namespace, t.name)))
        if req.method == "PUT":
            body.setdefault("kind", r.kind)
            body.setdefault("metadata", {}).update(name=t.name)
            if r.namespaced:
                body["metadata"]["namespace"] = t.namespace
            return Response(200, dumps(store.update(admit(body, created=False))))
        if req.method == "PATCH":
            ctype = req.headers.get("content-type", "")
            if "json-patch" in ctype:
                return status(
                    415, "json-patch is not supported by the simulator", "UnsupportedMediaType"
                )
            with store.lock:
                current = store.get(r.qualified, t.namespace, t.name)
                if current is None:
                    raise NotFound(t.name)
                patched = merge_patch(current, body)
                assert isinstance(patched, dict)
                patched["metadata"]["name"] = t.name
                return Response(200, dumps(store.update(admit(patched, created=False))))
    except NotFound:
        return not_found(r, t.name)
    return status(405, f"{req.method} is not supported", "MethodNotAllowed")
