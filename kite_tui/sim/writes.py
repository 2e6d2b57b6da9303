"""Writing resources: create, replace, JSON merge patch and delete."""

from __future__ import annotations

import json
import uuid
from typing import Any

import yaml

from kite_tui.sim import controllers, protobuf
from kite_tui.sim.defaults import apply_defaults
from kite_tui.sim.exchange import ApiContext, Request, Response, Target, not_found, status
from kite_tui.sim.objects import admit
from kite_tui.sim.patches import APPLY_PATCH, PatchError, apply_patch
from kite_tui.sim.protobuf import ProtobufError
from kite_tui.sim.store import AlreadyExists, NotFound, dumps, rfc3339


def read_body(req: Request) -> Any:
    """The request's object: JSON, or the protobuf kubectl's typed clients send."""
    ctype = req.headers.get("content-type", "")
    if ctype.startswith(protobuf.CONTENT_TYPE):
        return protobuf.decode(req.body)
    if ctype.startswith(APPLY_PATCH):
        try:
            return yaml.safe_load(req.body) if req.body else {}
        except yaml.YAMLError as exc:
            raise ValueError(str(exc)) from None
    return json.loads(req.body) if req.body else {}


def _status_split(t: Target, current: dict | None, new: dict) -> dict:
    """A custom resource with a status subresource: writes to the resource keep its
    status, writes to ``/status`` change only the status (as the real server does)."""
    r = t.rtype
    if r.custom_columns is None or not any(s[0] == "status" for s in r.subresources):
        return new
    if t.sub == "status" and current is not None:
        return {**current, "status": new.get("status")}
    new.pop("status", None)
    if current is not None and "status" in current:
        new["status"] = current["status"]
    return new


def _create(ctx: ApiContext, t: Target, body: dict, dry: bool) -> Response:
    r, store = t.rtype, ctx.store
    body.setdefault("kind", r.kind)
    body.setdefault("apiVersion", r.api_version)
    meta = body.setdefault("metadata", {})
    if r.namespaced:
        meta["namespace"] = t.namespace or "default"
    if r.custom_columns is None and isinstance(meta, dict):
        # The server, not the client, names a generateName object and gives the uid.
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
        meta["uid"] = str(uuid.uuid4())
        if meta.get("name"):
            admit(body, created=True)  # canonical quantities, the admission plugins' pod fields
            apply_defaults(body)
    try:
        if dry:
            if store.get(r.qualified, meta.get("namespace"), meta.get("name", "")):
                raise AlreadyExists(f'{r.qualified} "{meta.get("name")}" already exists')
            meta.setdefault("creationTimestamp", rfc3339(ctx.clock()))
            return Response(201, dumps(body))
        created = store.create(body)
        if created["kind"] == "Deployment" and r.custom_columns is None:
            controllers.rollout(store, created)
        return Response(201, dumps(created))
    except AlreadyExists as exc:
        details = {"name": meta.get("name"), "kind": r.plural}
        return status(409, str(exc), "AlreadyExists", details)
    except ValueError as exc:
        return status(422, str(exc), "Invalid")


def write(ctx: ApiContext, req: Request, t: Target) -> Response:
    r, store = t.rtype, ctx.store
    # dryRun=All: every step of the write but the storing (kubectl --dry-run=server).
    dry = req.query.get("dryRun") == "All"

    def update(obj: dict) -> Response:
        if r.custom_columns is None:
            admit(obj, created=False)  # canonical quantities, as on create
        return Response(200, dumps(obj if dry else store.update(obj)))

    try:
        body = read_body(req)
    except ProtobufError as exc:
        return status(415, str(exc), "UnsupportedMediaType")
    except ValueError:
        return status(400, "the request body is not valid JSON", "BadRequest")
    if isinstance(body, dict) and req.method == "POST":
        body = _status_split(t, None, body)
    if req.method == "POST" and not t.name:
        if not isinstance(body, dict):
            return status(400, "the request body must be an object", "BadRequest")
        return _create(ctx, t, body, dry)
    if not t.name:
        return status(405, f"{req.method} is not supported on a collection", "MethodNotAllowed")
    try:
        if req.method == "DELETE":
            options = body if isinstance(body, dict) else {}  # DeleteOptions
            if dry or options.get("dryRun") == ["All"]:
                current = store.get(r.qualified, t.namespace, t.name)
                return not_found(r, t.name) if current is None else Response(200, dumps(current))
            policy = req.query.get("propagationPolicy") or options.get("propagationPolicy")
            cascade = policy != "Orphan"  # Orphan leaves what the object owns in place
            gone = store.delete(r.qualified, t.namespace, t.name, cascade=cascade)
            return Response(200, dumps(gone))
        if req.method == "PUT":
            body.setdefault("kind", r.kind)
            body.setdefault("metadata", {}).update(name=t.name)
            if r.namespaced:
                body["metadata"]["namespace"] = t.namespace
            with store.lock:
                body = _status_split(t, store.get(r.qualified, t.namespace, t.name), body)
                return update(body)
        if req.method == "PATCH":
            ctype = req.headers.get("content-type", "")
            apply = ctype.startswith(APPLY_PATCH)
            with store.lock:
                current = store.get(r.qualified, t.namespace, t.name)
                if current is None and apply and isinstance(body, dict):
                    body.setdefault("metadata", {})["name"] = t.name
                    return _create(ctx, t, _status_split(t, None, body), dry)
                if current is None:
                    raise NotFound(t.name)
                patched = apply_patch(current, body, ctype, custom=r.custom_columns is not None)
                if not isinstance(patched, dict) or not isinstance(patched.get("metadata"), dict):
                    return status(422, "the patched object is not an object", "Invalid")
                patched["metadata"]["name"] = t.name
                patched = _status_split(t, current, patched)
                return update(patched)
    except NotFound:
        return not_found(r, t.name)
    except PatchError as exc:
        reasons = {400: "BadRequest", 415: "UnsupportedMediaType", 422: "Invalid"}
        return status(exc.code, str(exc), reasons[exc.code])
    except ValueError as exc:  # refused by admission (an invalid CRD)
        return status(422, str(exc), "Invalid")
    return status(405, f"{req.method} is not supported", "MethodNotAllowed")
