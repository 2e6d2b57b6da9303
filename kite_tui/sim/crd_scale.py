"""The ``scale`` subresource of a custom resource whose CRD version declares one
(``subresources.scale``: ``specReplicasPath``, ``statusReplicasPath``, ``labelSelectorPath``),
as k8s.io/apiextensions-apiserver/pkg/registry/customresource does it: an ``autoscaling/v1``
Scale read from those paths, and a write to it setting the object's spec replicas path."""

from __future__ import annotations

import json

from kite_tui.sim.crds import GROUP, KIND
from kite_tui.sim.exchange import ApiContext, Request, Response, Target, not_found, status
from kite_tui.sim.resources import ResourceType
from kite_tui.sim.store import ObjectStore, dumps
from kite_tui.sim.subresources import requested_replicas

__all__ = ["scale_paths", "serve"]


def scale_paths(store: ObjectStore, rtype: ResourceType) -> dict | None:
    """The ``subresources.scale`` of the CRD version ``rtype`` is, or None."""
    crd = store.get(f"customresourcedefinitions.{GROUP}", None, f"{rtype.plural}.{rtype.group}")
    if crd is None or crd.get("kind") != KIND:
        return None
    for v in (crd.get("spec") or {}).get("versions") or ():
        if v.get("name") == rtype.version:
            scale = (v.get("subresources") or {}).get("scale")
            return scale if isinstance(scale, dict) else None
    return None


def _steps(path: str) -> list[str]:
    return [s for s in path.split(".")[1:] if s]


def _read(obj: dict, path: str) -> object:
    node: object = obj
    for step in _steps(path):
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def scale_of(obj: dict, paths: dict) -> dict:
    meta = obj.get("metadata") or {}
    selector_path = paths.get("labelSelectorPath") or ""
    selector = _read(obj, selector_path) if selector_path else None
    out_status: dict = {"replicas": _int(_read(obj, paths.get("statusReplicasPath", "")))}
    if isinstance(selector, str) and selector:
        out_status["selector"] = selector
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in meta
        },
        "spec": {"replicas": _int(_read(obj, paths.get("specReplicasPath", "")))},
        "status": out_status,
    }


def serve(ctx: ApiContext, req: Request, t: Target) -> Response:
    """GET, PUT or PATCH of a custom resource's /scale."""
    r = t.rtype
    paths = scale_paths(ctx.store, r)
    if paths is None or t.name is None:
        return status(404, "the server could not find the requested resource", "NotFound", {})
    with ctx.store.lock:
        entry = ctx.store.get_entry(r, t.namespace, t.name)
        if entry is None:
            return not_found(r, t.name)
        current = json.loads(entry.raw)
        if req.method == "GET":
            return Response(200, dumps(scale_of(current, paths)))
        if req.method not in ("PUT", "PATCH"):
            return status(405, f"{req.method} is not supported on scale", "MethodNotAllowed")
        replicas = requested_replicas(req, scale_of(current, paths))
        if isinstance(replicas, Response):
            return replicas
        node = current
        steps = _steps(paths.get("specReplicasPath", ""))
        if not steps:
            return status(422, "the CRD's specReplicasPath is empty", "Invalid")
        for step in steps[:-1]:
            child = node.get(step)
            if not isinstance(child, dict):
                child = node[step] = {}
            node = child
        node[steps[-1]] = replicas
        updated = ctx.store.update(current)
    return Response(200, dumps(scale_of(updated, paths)))
