"""Discovery documents: ``/version``, ``/api``, ``/apis`` and per-group-version resource lists.

``/api`` and ``/apis`` come in two forms, as a real server has them: the legacy
``APIVersions`` / ``APIGroupList`` (then a request per group-version), and aggregated
discovery (``APIGroupDiscoveryList``, apidiscovery.k8s.io v2 or v2beta1: every group,
version and resource in one document) for a client whose Accept header asks for it
(`negotiate_discovery`). Both are built from the same resource types.

They are built from a server's `Registry` and kept as bytes; the server builds them again
when its registry changes (a CRD created or deleted: see `ApiContext.current_discovery`).
"""

from __future__ import annotations

import base64
import hashlib
import platform
from collections.abc import Iterable

from kite_tui.sim.resources import BUILTIN_REGISTRY, Registry, ResourceType
from kite_tui.sim.store import dumps

KUBE_VERSION = ("1", "37", "v1.37.0")


def version_info() -> dict:
    """The nine fields of version.Info (plus the emulation / compatibility ones)."""
    major, minor, git_version = KUBE_VERSION
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine or "amd64")
    return {
        "major": major,
        "minor": minor,
        "emulationMajor": major,
        "emulationMinor": minor,
        "minCompatibilityMajor": major,
        "minCompatibilityMinor": str(int(minor) - 1),
        "gitVersion": git_version,
        "gitCommit": hashlib.sha1(b"kite-tui-sim " + git_version.encode()).hexdigest(),
        "gitTreeState": "clean",
        "buildDate": "2025-12-01T00:00:00Z",
        "goVersion": "go1.25.4",
        "compiler": "gc",
        "platform": f"linux/{arch}",
    }


def api_versions(server_address: str) -> dict:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}
        ],
    }


def _group(name: str, versions: list[str]) -> dict:
    gvs = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"name": name, "versions": gvs, "preferredVersion": gvs[0]}


def api_group_list(registry: Registry = BUILTIN_REGISTRY) -> dict:
    groups = [_group(g, vs) for g, vs in registry.group_versions().items() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(name: str, registry: Registry = BUILTIN_REGISTRY) -> dict | None:
    versions = registry.group_versions().get(name)
    if not name or versions is None:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(name, versions)}


def _storage_hash(group: str, version: str, kind: str) -> str:
    digest = hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


# Subresources whose kind belongs to another group-version, which discovery names.
_FOREIGN_KINDS = {
    "Scale": ("autoscaling", "v1"),
    "Eviction": ("policy", "v1"),
    "TokenRequest": ("authentication.k8s.io", "v1"),
}


def resource_list(group: str, version: str, registry: Registry = BUILTIN_REGISTRY) -> dict | None:
    """The APIResourceList for one group-version (with subresources), or None."""
    rs = registry.resources_in(group, version)
    if not rs:
        return None
    out = []
    for r in rs:
        item = {
            "name": r.plural,
            "singularName": r.singular,
            "namespaced": r.namespaced,
            "kind": r.kind,
            "verbs": list(r.verbs),
        }
        if r.short_names:
            item["shortNames"] = list(r.short_names)
        if r.categories:
            item["categories"] = list(r.categories)
        if group != "metrics.k8s.io":
            item["storageVersionHash"] = _storage_hash(group, version, r.kind)
        out.append(item)
        for sub, kind, verbs in r.subresources:
            sub_item = {
                "name": f"{r.plural}/{sub}",
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": kind,
                "verbs": list(verbs),
            }
            if kind in _FOREIGN_KINDS:
                group_, version_ = _FOREIGN_KINDS[kind]
                sub_item.update(group=group_, version=version_)
            out.append(sub_item)
    gv = f"{group}/{version}" if group else version
    doc = {"kind": "APIResourceList", "groupVersion": gv, "resources": out}
    if group:
        doc = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": out}
    return doc


# ------------------------------------------------------------------ aggregated
AGGREGATED_VERSIONS = ("v2", "v2beta1")


def aggregated_content_type(version: str) -> str:
    return f"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"


def negotiate_discovery(accept: str) -> str | None:
    """The aggregated discovery version ("v2", "v2beta1") the Accept header asks for first,
    or None for the legacy documents. Media types are taken in the order given, as the API
    server takes them; ones it cannot produce here (protobuf) are passed over."""
    for part in accept.split(","):
        media, *rest = (p.strip() for p in part.split(";"))
        params = dict(p.split("=", 1) for p in rest if "=" in p)
        if media in ("application/json", "application/*", "*/*") and not params.get("g"):
            return None  # plain JSON first: the legacy documents
        if (
            media == "application/json"
            and params.get("g") == "apidiscovery.k8s.io"
            and params.get("as") == "APIGroupDiscoveryList"
            and params.get("v") in AGGREGATED_VERSIONS
        ):
            return params["v"]
    return None


def _aggregated_resource(r: ResourceType) -> dict:
    item: dict = {
        "resource": r.plural,
        # The kind of the group-version being described: group and version left empty.
        "responseKind": {"group": "", "version": "", "kind": r.kind},
        "scope": "Namespaced" if r.namespaced else "Cluster",
        "singularResource": r.singular,
        "verbs": list(r.verbs),
    }
    if r.short_names:
        item["shortNames"] = list(r.short_names)
    if r.categories:
        item["categories"] = list(r.categories)
    subs = []
    for sub, kind, verbs in r.subresources:
        group, version = _FOREIGN_KINDS.get(kind, ("", ""))
        subs.append(
            {
                "subresource": sub,
                "responseKind": {"group": group, "version": version, "kind": kind},
                "verbs": list(verbs),
            }
        )
    if subs:
        item["subresources"] = subs
    return item


def aggregated_discovery(
    resources: Iterable[ResourceType], *, core: bool, version: str = "v2"
) -> dict:
    """The ``APIGroupDiscoveryList`` of ``/api`` (``core``: the core group) or of ``/apis``
    (every other group), from resource types in discovery order: groups and each group's
    versions in the order they first appear (the first version is the preferred one)."""
    groups: dict[str, dict[str, list[dict]]] = {}
    for r in resources:
        if (r.group == "") == core:
            versions = groups.setdefault(r.group, {})
            versions.setdefault(r.version, []).append(_aggregated_resource(r))
    items = [
        {
            "metadata": {"name": name, "creationTimestamp": None},
            "versions": [
                {"version": v, "resources": rs, "freshness": "Current"}
                for v, rs in versions.items()
            ],
        }
        for name, versions in groups.items()
    ]
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version}",
        "metadata": {},
        "items": items,
    }


class Discovery:
    """Pre-serialized discovery bodies for one server."""

    def __init__(self, server_address: str, registry: Registry = BUILTIN_REGISTRY) -> None:
        self.server_address = server_address
        self.registry = registry
        self.generation = registry.generation
        self.version = dumps(version_info())
        self.api = dumps(api_versions(server_address))
        self.apis = dumps(api_group_list(registry))
        # Aggregated discovery of /api and /apis, by apidiscovery version.
        self.aggregated: dict[tuple[str, str], bytes] = {}
        for v in AGGREGATED_VERSIONS:
            for path, core in (("/api", True), ("/apis", False)):
                self.aggregated[(path, v)] = dumps(
                    aggregated_discovery(registry.all, core=core, version=v)
                )
        self.lists: dict[str, bytes] = {}
        self.groups: dict[str, bytes] = {}
        for r in registry.all:
            gv = f"{r.group}/{r.version}" if r.group else r.version
            if gv not in self.lists:
                doc = resource_list(r.group, r.version, registry)
                assert doc is not None
                self.lists[gv] = dumps(doc)
            if r.group and r.group not in self.groups:
                group_doc = api_group(r.group, registry)
                assert group_doc is not None
                self.groups[r.group] = dumps(group_doc)
