"""Makes kubernetes_1_31.json from a real API server's recorded discovery. Run once,
from the repository's root, with OUT = tests/recorded/kubernetes_1_31.json:

    python tests/recorded/make_fixture.py API__V1_JSON AGGREGATED_V2_JSON > OUT

with the files of kubernetes/kubernetes ``api/discovery/``: ``api__v1.json`` (the core
group's APIResourceList) and ``aggregated_v2.json`` (an APIGroupDiscoveryList of every other
group), at the commits the fixture's ``source`` names. It keeps the facts name resolution
and listing need (groups, versions in preference order, resources, singular names, kinds,
scope, short names, verbs, categories) and leaves out subresources and storage hashes.
"""

from __future__ import annotations

import json
import sys
from typing import Any

ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
SOURCE = (
    "kubernetes/kubernetes api/discovery/: api__v1.json at 7c554ea1d91eddac32fcd89f37d7ed0347e1f311"
    " (the core group) and aggregated_v2.json at 0209a4cb57a359609b96779f044bcdff8e8df70d (every"
    " other group): a Kubernetes 1.31 API server with every API version enabled. Made by"
    " make_fixture.py; rows: [resource, singularResource, Kind, scope (N namespaced, C cluster),"
    " shortNames, verbs ('*' = all_verbs), categories]; versions in the server's preference order;"
    " subresources left out."
)


def _row(name: str, singular: str, kind: str, namespaced: bool, r: dict[str, Any]) -> list[Any]:
    verbs = list(r.get("verbs") or [])
    return [
        name,
        singular,
        kind,
        "N" if namespaced else "C",
        list(r.get("shortNames") or []),
        "*" if verbs == ALL_VERBS else verbs,
        list(r.get("categories") or []),
    ]


def compact(core_v1: dict[str, Any], aggregated: dict[str, Any]) -> dict[str, Any]:
    core = [
        _row(r["name"], r.get("singularName") or r["kind"].lower(), r["kind"], r["namespaced"], r)
        for r in core_v1["resources"]
        if "/" not in r["name"]
    ]
    groups: list[dict[str, Any]] = [
        {"name": "", "versions": [{"version": core_v1["groupVersion"], "resources": core}]}
    ]
    for item in aggregated["items"]:
        versions = []
        for v in item["versions"]:
            rows = [
                _row(
                    r["resource"],
                    r.get("singularResource") or r["responseKind"]["kind"].lower(),
                    r["responseKind"]["kind"],
                    r["scope"] == "Namespaced",
                    r,
                )
                for r in v.get("resources") or []
            ]
            versions.append({"version": v["version"], "resources": rows})
        groups.append({"name": item["metadata"]["name"], "versions": versions})
    return {"source": SOURCE, "all_verbs": ALL_VERBS, "groups": groups}


def dumps(doc: dict[str, Any]) -> str:
    """One resource a line: small enough to read and to diff."""
    lines = [
        "{",
        f' "source": {json.dumps(doc["source"])},',
        f' "all_verbs": {json.dumps(doc["all_verbs"])},',
        ' "groups": [',
    ]
    for gi, g in enumerate(doc["groups"]):
        lines.append(f'  {{"name": {json.dumps(g["name"])}, "versions": [')
        for vi, v in enumerate(g["versions"]):
            lines.append(f'   {{"version": {json.dumps(v["version"])}, "resources": [')
            rows = [f"    {json.dumps(r)}" for r in v["resources"]]
            lines.append(",\n".join(rows))
            lines.append("   ]}" + ("," if vi < len(g["versions"]) - 1 else ""))
        lines.append("  ]}" + ("," if gi < len(doc["groups"]) - 1 else ""))
    lines += [" ]", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as core, open(argv[2]) as agg:
        sys.stdout.write(dumps(compact(json.load(core), json.load(agg))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
