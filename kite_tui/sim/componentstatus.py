"""The control plane's ComponentStatuses (``v1``, cluster-scoped, ``cs``): scheduler,
controller-manager and etcd-0, healthy, as a real API server answers them.

A real server probes its components on each read and stores nothing (the objects have no
resourceVersion, uid or creation time); it serves get and list only (no watch, no writes:
the registry gives the type only those two verbs, and the API layer refuses the others
with 405). :func:`serve` answers from objects made on each request, as JSON, a Table
(printed by `kite_tui.sim.tables_more`) or metadata, and never touches the store.
"""

from __future__ import annotations

from kite_tui.sim.exchange import ApiContext, Request, Response, Target, not_found
from kite_tui.sim.reads import get_one, negotiate, pom, table_body
from kite_tui.sim.store import Entry, dumps

__all__ = ["COMPONENTS", "component_statuses", "serve"]

COMPONENTS = ("controller-manager", "etcd-0", "scheduler")


def component_statuses() -> list[dict]:
    """The ComponentStatus objects of a healthy control plane, as the server lists them."""
    return [
        {
            "kind": "ComponentStatus",
            "apiVersion": "v1",
            "metadata": {"name": name},
            "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}],
        }
        for name in COMPONENTS
    ]


def serve(ctx: ApiContext, req: Request, t: Target) -> Response:
    """GET of /api/v1/componentstatuses[/NAME] (other verbs are refused before here)."""
    entries = [
        Entry(obj, dumps(obj), 0, t.rtype, ("", obj["metadata"]["name"]))
        for obj in component_statuses()
    ]
    if t.name:
        entry = next((e for e in entries if e.key[1] == t.name), None)
        if entry is None:
            return not_found(t.rtype, t.name)
        return get_one(ctx, req, entry)
    want = negotiate(req.headers.get("accept", ""))
    if want.kind == "table":
        include = req.query.get("includeObject", "Metadata")
        return Response(200, table_body(t.rtype, entries, {}, include, want.meta_version, 0.0))
    if want.kind == "metadata":
        items = b",".join(pom(e, want.meta_version) for e in entries)
        head = b'{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/'
        return Response(
            200, head + want.meta_version.encode() + b'","metadata":{},"items":[' + items + b"]}"
        )
    items = b",".join(e.raw for e in entries)
    return Response(
        200,
        b'{"kind":"ComponentStatusList","apiVersion":"v1","metadata":{},"items":[' + items + b"]}",
    )
