"""``/openapi/v3``: just enough of a server's OpenAPI documents for kubectl to validate.

kubectl `create -f` / `apply -f` / `replace -f` validate unless ``--validate=false``:
they first ask whether the server validates fields itself (the ``fieldValidation`` query
parameter), and do so by reading ``/openapi/v3`` and the group-version's document for a
PATCH operation with the object's ``x-kubernetes-group-version-kind`` and a
``fieldValidation`` parameter (cli-runtime's queryParamVerifierV3). Finding it, kubectl
leaves validation to the server and sends ``fieldValidation=Strict``; a 404 here makes it
fail with "failed to download openapi". A custom resource's group-version is looked up
the same way (kubectl also accepts the Namespace document for a CRD it finds).

So each group-version document lists, for each resource that can be patched, its
item path with that one operation; the schemas (``components``) are left empty, which
only `kubectl explain` would miss. ``/openapi/v2`` stays 404: kubectl asks for it only
when v3 is missing.
"""

from __future__ import annotations

import hashlib

from kite_tui.sim.discovery import KUBE_VERSION
from kite_tui.sim.exchange import NOT_FOUND_PATH, Request, Response, status
from kite_tui.sim.resources import Registry, ResourceType
from kite_tui.sim.store import dumps


def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def _patchable(registry: Registry, group: str, version: str) -> list[ResourceType]:
    return [r for r in registry.resources_in(group, version) if "patch" in r.verbs]


def group_version_document(registry: Registry, group: str, version: str) -> bytes | None:
    """The OpenAPI v3 document of one group-version, None if it has nothing to patch."""
    resources = _patchable(registry, group, version)
    if not resources:
        return None
    paths = {}
    for r in resources:
        scope = "/namespaces/{namespace}" if r.namespaced else ""
        gvk = {"group": r.group, "version": r.version, "kind": r.kind}
        paths[f"/{_gv_path(group, version)}{scope}/{r.plural}/{{name}}"] = {
            "patch": {
                "operationId": f"patch{r.kind}",
                "parameters": [
                    {"name": name, "in": "query", "schema": {"type": "string"}}
                    for name in ("dryRun", "fieldManager", "fieldValidation", "force")
                ],
                "responses": {"200": {"description": "OK"}},
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": gvk,
            }
        }
    return dumps(
        {
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": KUBE_VERSION[2]},
            "paths": paths,
            "components": {"schemas": {}},
        }
    )


def index(registry: Registry) -> bytes:
    """``/openapi/v3``: each group-version's document, addressed with its content hash
    (clients cache a document by that URL, as a real server lets them)."""
    paths = {}
    for group, versions in registry.group_versions().items():
        for version in versions:
            doc = group_version_document(registry, group, version)
            if doc is not None:
                digest = hashlib.sha512(doc).hexdigest().upper()
                gv = _gv_path(group, version)
                paths[gv] = {"serverRelativeURL": f"/openapi/v3/{gv}?hash={digest}"}
    return dumps({"paths": paths})


def serve(registry: Registry, req: Request) -> Response:
    segs = [s for s in req.path.split("/") if s]
    if segs[:2] != ["openapi", "v3"]:
        return status(404, NOT_FOUND_PATH, "NotFound", {})
    rest = segs[2:]
    if not rest:
        return Response(200, index(registry))
    doc = None
    if rest[0] == "api" and len(rest) == 2:
        doc = group_version_document(registry, "", rest[1])
    elif rest[0] == "apis" and len(rest) == 3:
        doc = group_version_document(registry, rest[1], rest[2])
    if doc is None:
        return status(404, NOT_FOUND_PATH, "NotFound", {})
    return Response(200, doc)
