"""Label and field selectors, parsed the way the API server parses them.

``parse_label_selector("app=web,tier in (a,b),!legacy")`` returns a predicate over a
labels dict; ``parse_field_selector("metadata.name=x", fields)`` returns a predicate
over an object, accepting only the field paths the resource supports (as the real
server does, which answers 400 for any other field).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

LabelPredicate = Callable[[dict], bool]
ObjectPredicate = Callable[[dict], bool]


class SelectorError(ValueError):
    """A malformed selector; the server answers 400 BadRequest with this message."""


_SET_RE = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")
_OP_RE = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s*(==|!=|=)\s*([A-Za-z0-9_.-]*)\s*$")
_EXISTS_RE = re.compile(r"^\s*(!?)\s*([A-Za-z0-9_./-]+)\s*$")


def _split_requirements(selector: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p for p in parts if p.strip()]


def _requirement(text: str) -> LabelPredicate:
    m = _SET_RE.match(text)
    if m:
        key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
        values.discard("")
        if op == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: labels.get(key) not in values
    m = _OP_RE.match(text)
    if m:
        key, op, value = m.groups()
        if op == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: labels.get(key) == value
    m = _EXISTS_RE.match(text)
    if m:
        negate, key = m.group(1) == "!", m.group(2)
        if negate:
            return lambda labels: key not in labels
        return lambda labels: key in labels
    raise SelectorError(f"unable to parse requirement: {text.strip()!r}")


def parse_label_selector(selector: str | None) -> LabelPredicate | None:
    """A predicate over a labels dict, or None for an empty selector (match everything)."""
    if not selector or not selector.strip():
        return None
    reqs = [_requirement(part) for part in _split_requirements(selector)]
    return lambda labels: all(r(labels) for r in reqs)


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: the string form of a LabelSelector object."""
    if not selector:
        return "<none>"
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        op = expr.get("operator", "")
        values = ",".join(sorted(expr.get("values") or []))
        if op == "In":
            parts.append(f"{expr['key']} in ({values})")
        elif op == "NotIn":
            parts.append(f"{expr['key']} notin ({values})")
        elif op == "Exists":
            parts.append(expr["key"])
        elif op == "DoesNotExist":
            parts.append("!" + expr["key"])
    return ",".join(parts) if parts else "<none>"


def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: sorted k=v pairs, or <none>."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def _get_path(obj: dict, path: str) -> str:
    cur: object = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def _field_requirement(path: str, op: str, value: str) -> ObjectPredicate:
    if op == "!=":
        return lambda obj: _get_path(obj, path) != value
    return lambda obj: _get_path(obj, path) == value


def parse_field_selector(selector: str | None, supported: Iterable[str]) -> ObjectPredicate | None:
    """A predicate over an object, or None for an empty selector.

    Only ``=``, ``==`` and ``!=`` are allowed, on the given field paths (the real
    server's field label conversion); anything else raises SelectorError.
    """
    if not selector or not selector.strip():
        return None
    allowed = set(supported)
    reqs: list[ObjectPredicate] = []
    for part in _split_requirements(selector):
        m = re.match(r"^\s*([A-Za-z0-9_.{}\[\]-]+)\s*(==|!=|=)\s*(.*?)\s*$", part)
        if not m:
            raise SelectorError(f"invalid selector: '{selector}'; can't understand '{part}'")
        path, op, value = m.groups()
        if path not in allowed:
            raise SelectorError(f"field label not supported: {path}")
        reqs.append(_field_requirement(path, op, value))
    return lambda obj: all(r(obj) for r in reqs)


COMMON_FIELDS = ("metadata.name", "metadata.namespace")
FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    "Pod": COMMON_FIELDS
    + (
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.nominatedNodeName",
    ),
    "Event": COMMON_FIELDS
    + (
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "type",
    ),
    "Node": COMMON_FIELDS + ("spec.unschedulable",),
    "Namespace": COMMON_FIELDS + ("status.phase",),
    "Secret": COMMON_FIELDS + ("type",),
    "ReplicaSet": COMMON_FIELDS + ("status.replicas",),
    "Job": COMMON_FIELDS + ("status.successful",),
}


def supported_fields(kind: str) -> tuple[str, ...]:
    return FIELDS_BY_KIND.get(kind, COMMON_FIELDS)
