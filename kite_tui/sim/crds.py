"""CustomResourceDefinitions: what the apiextensions-apiserver does for a simulator.

:func:`install` hooks a store so that creating (or changing) a CRD makes its served
versions resource types of that store's server (routing, the store and discovery all read
the store's `Registry`), with the status a real server gives it (``NamesAccepted``,
``Established``, ``acceptedNames``, ``storedVersions``), and deleting it removes the types
and every object of them. A CRD whose names another CRD of its group holds is judged as the
naming controller judges it (`kite_tui.sim.crd_names`) and not served until they are free; a
version's ``scale`` subresource is served by `kite_tui.sim.crd_scale`.

:func:`printer` is the server's Table for a custom resource, as
k8s.io/apiextensions-apiserver/pkg/registry/customresource/tableconvertor does it: a
``Name`` column, then the version's ``additionalPrinterColumns`` (or ``Age`` when it declares
none), each cell its JSONPath's first match typed by the column's ``type`` (a ``date`` is an
age, as kubectl prints it; null when nothing matches or the type does not fit).
"""

from __future__ import annotations

import json
import re
import weakref
from functools import lru_cache

from kite_tui.sim import crd_names, jsonpath
from kite_tui.sim.resources import ALL_VERBS, ResourceType
from kite_tui.sim.store import Event, ObjectStore, parse_time, rfc3339
from kite_tui.sim.tables import _AGE_DOC, NAME, Ago, Printer, col

GROUP = "apiextensions.k8s.io"
KIND = "CustomResourceDefinition"

AGE_COLUMN = {
    "name": "Age",
    "type": "date",
    "description": _AGE_DOC,
    "jsonPath": ".metadata.creationTimestamp",
}
"""What the server prints when a version declares no printer columns."""

_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(version: str) -> tuple:
    """Sort key: kube-like versions first (GA, beta, alpha; higher numbers first), then the
    rest alphabetically, as the API server orders a CRD's versions in discovery."""
    m = _VERSION.match(version)
    if m is None:
        return (1, 0, 0, 0, version)
    major, stage, minor = int(m.group(1)), m.group(2), int(m.group(3) or 0)
    rank = {None: 0, "beta": 1, "alpha": 2}[stage]
    return (0, rank, -major, -minor, version)


def is_crd(rtype: ResourceType) -> bool:
    return rtype.group == GROUP and rtype.kind == KIND


def served_types(crd: dict) -> tuple[ResourceType, ...]:
    """The resource types a CRD serves, one per served version, preferred version first."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    group, kind, plural = spec.get("group", ""), names.get("kind", ""), names.get("plural", "")
    if not (group and kind and plural):
        return ()
    versions = [v for v in spec.get("versions") or () if v.get("served", True) and v.get("name")]
    versions.sort(key=lambda v: version_priority(v["name"]))
    out = []
    for v in versions:
        subresources = []
        if "status" in (v.get("subresources") or {}):
            subresources.append(("status", kind, ("get", "patch", "update")))
        if "scale" in (v.get("subresources") or {}):
            subresources.append(("scale", "Scale", ("get", "patch", "update")))
        columns = v.get("additionalPrinterColumns") or [AGE_COLUMN]
        out.append(
            ResourceType(
                group,
                v["name"],
                plural,
                names.get("singular") or kind.lower(),
                kind,
                spec.get("scope", "Namespaced") == "Namespaced",
                tuple(names.get("shortNames") or ()),
                ALL_VERBS,
                tuple(names.get("categories") or ()),
                tuple(subresources),
                custom_columns=json.dumps(columns, sort_keys=True),
            )
        )
    return tuple(out)


# ----------------------------------------------------------------- admission
def _admit(store: ObjectStore, rtype: ResourceType, crd: dict, old: dict | None) -> None:
    """Validate and default a CRD, and give it the status its controllers would."""
    if not is_crd(rtype):
        return
    spec = crd.setdefault("spec", {})
    names = spec.setdefault("names", {})
    group, plural, kind = spec.get("group"), names.get("plural"), names.get("kind")
    name = crd["metadata"]["name"]
    if not (group and plural and kind):
        raise ValueError(
            f'{KIND}.{GROUP} "{name}" is invalid: spec.group, spec.names.plural and '
            "spec.names.kind are required"
        )
    if name != f"{plural}.{group}":
        raise ValueError(
            f'{KIND}.{GROUP} "{name}" is invalid: metadata.name: Invalid value: "{name}": '
            'must be spec.names.plural+"."+spec.group'
        )
    if not spec.get("versions"):
        raise ValueError(f'{KIND}.{GROUP} "{name}" is invalid: spec.versions: Required value')
    names.setdefault("singular", kind.lower())
    names.setdefault("listKind", kind + "List")
    spec.setdefault("scope", "Namespaced")
    spec.setdefault("conversion", {"strategy": "None"})
    status = crd.setdefault("status", {})
    before = {c.get("type"): c for c in ((old or {}).get("status") or {}).get("conditions") or ()}
    now = rfc3339(parse_time(crd["metadata"].get("creationTimestamp")) or 0)

    def condition(type_: str, reason: str, message: str) -> dict:
        c = {"type": type_, "status": "True", "reason": reason, "message": message}
        c["lastTransitionTime"] = before.get(type_, {}).get("lastTransitionTime", now)
        return c

    others = [
        e.obj
        for e in store.iter_entries(rtype)
        if e.key[1] != name and (e.obj.get("spec") or {}).get("group") == group
    ]
    old_status = (old or {}).get("status") or {}
    accepted_names, names_ok, established = crd_names.decide(names, old_status, others)

    def judged(type_: str, verdict: tuple[str, str, str]) -> dict:
        c = condition(type_, verdict[1], verdict[2])
        c["status"] = verdict[0]
        if before.get(type_, {}).get("status") not in (None, verdict[0]):
            c["lastTransitionTime"] = rfc3339(store.now())
        return c

    status["conditions"] = [
        judged("NamesAccepted", names_ok),
        judged(
            "Established",
            established or ("True", "InitialNamesAccepted", "the initial names have been accepted"),
        ),
    ]
    status["acceptedNames"] = accepted_names
    stored = list(((old or {}).get("status") or {}).get("storedVersions") or ())
    for v in spec["versions"]:
        if v.get("storage") and v.get("name") not in stored:
            stored.append(v["name"])
    status["storedVersions"] = stored


def _on_event(store: ObjectStore, ev: Event) -> None:
    if not is_crd(ev.entry.rtype):
        return
    name = ev.entry.key[1]
    if ev.type == "DELETED":
        store.unserve_types(name)
        _reconsider(store, ev.entry.rtype, (ev.entry.obj.get("spec") or {}).get("group"))
    else:
        obj = ev.entry.obj
        store.serve_types(name, served_types(obj) if crd_names.accepted(obj) else ())


def _reconsider(store: ObjectStore, rtype: ResourceType, group: object) -> None:
    """Names a deleted CRD held are free: its group's unaccepted CRDs are judged again."""
    for entry in list(store.iter_entries(rtype)):
        obj = entry.obj
        if (obj.get("spec") or {}).get("group") == group and not crd_names.accepted(obj):
            store.update(json.loads(entry.raw))


_INSTALLED: weakref.WeakSet[ObjectStore] = weakref.WeakSet()


def install(store: ObjectStore) -> ObjectStore:
    """Make ``store`` serve the custom resources its CRDs define (best before loading
    objects; a second call does nothing); returns it."""
    if store in _INSTALLED:
        return store
    _INSTALLED.add(store)
    store.add_admission(lambda rtype, crd, old: _admit(store, rtype, crd, old))
    store.add_listener(lambda ev: _on_event(store, ev))
    crd_type = store.registry.lookup(f"customresourcedefinitions.{GROUP}")
    for entry in list(store.iter_entries(crd_type)):
        if crd_names.accepted(entry.obj):
            store.serve_types(entry.key[1], served_types(entry.obj))
    return store


# -------------------------------------------------------------------- tables
def _cell(type_: str, found: list) -> object:
    if not found:
        return None
    value = found[0]
    if value is None:
        return None
    if type_ == "string":
        return jsonpath.text(value)
    if type_ == "integer" and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if type_ == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if type_ == "boolean" and isinstance(value, bool):
        return value
    if type_ == "date" and isinstance(value, str):
        try:
            ts = parse_time(value)
        except ValueError:
            return "<invalid>"
        return Ago(ts)
    return None


@lru_cache(maxsize=256)
def printer(custom_columns: str) -> Printer:
    """The Table printer of a custom resource version (its columns as JSON text)."""
    specs = json.loads(custom_columns)
    columns = [NAME] + [
        col(
            c.get("name", ""),
            c.get("type", "string"),
            c.get("description", ""),
            fmt=c.get("format", ""),
            priority=int(c.get("priority") or 0),
        )
        for c in specs
    ]
    paths = []
    for c in specs:
        try:
            paths.append((c.get("type", "string"), jsonpath.compile_path(c.get("jsonPath", ""))))
        except jsonpath.JSONPathError:
            paths.append((c.get("type", "string"), lambda _values: []))

    def cells(obj: dict) -> list:
        return [obj.get("metadata", {}).get("name", "")] + [
            _cell(type_, path([obj])) for type_, path in paths
        ]

    return Printer(columns, cells)
