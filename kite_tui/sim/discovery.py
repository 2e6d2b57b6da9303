"""Discovery documents: ``/version``, ``/api``, ``/apis`` and per-group-version resource lists.

Everything here is static for a given simulator, so it is built once per server and
kept as bytes.
"""

from __future__ import annotations

import base64
import hashlib
import platform

from kite_tui.sim.resources import RESOURCES, group_versions, resources_in
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


def api_group_list() -> dict:
    groups = [_group(g, vs) for g, vs in group_versions().items() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(name: str) -> dict | None:
    versions = group_versions().get(name)
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


def resource_list(group: str, version: str) -> dict | None:
    """The APIResourceList for one group-version (with subresources), or None."""
    rs = resources_in(group, version)
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


class Discovery:
    """Pre-serialized discovery bodies for one server."""

    def __init__(self, server_address: str) -> None:
        self.version = dumps(version_info())
        self.api = dumps(api_versions(server_address))
        self.apis = dumps(api_group_list())
        self.lists: dict[str, bytes] = {}
        self.groups: dict[str, bytes] = {}
        for r in RESOURCES:
            gv = f"{r.group}/{r.version}" if r.group else r.version
            if gv not in self.lists:
                doc = resource_list(r.group, r.version)
                assert doc is not None
                self.lists[gv] = dumps(doc)
            if r.group and r.group not in self.groups:
                group_doc = api_group(r.group)
                assert group_doc is not None
                self.groups[r.group] = dumps(group_doc)
