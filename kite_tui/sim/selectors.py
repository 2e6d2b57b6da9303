"""Label and field selectors, parsed the way the API server parses them.

``label_predicate("app=web,tier in (a,b),!legacy")`` returns a predicate over a labels
dict, parsed by the core's label-selector parser (`kite_tui.core.kube.selectors`, which
kite-tui's own filter uses too); ``parse_field_selector("metadata.name=x", fields)`` returns
a predicate over an object, accepting only the field paths the resource supports (as the
real server does, which answers 400 for any other field). A malformed selector of either
kind raises `SelectorError`, which the server answers with 400 BadRequest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kite_tui.core.kube.selectors import (
    SelectorError,
    label_selector_string,
    parse_label_selector,
    split_requirements,
)

__all__ = [
    "SelectorError",
    "format_label_selector",
    "format_labels",
    "label_predicate",
    "parse_field_selector",
    "supported_fields",
]

LabelPredicate = Callable[[dict], bool]
ObjectPredicate = Callable[[dict], bool]


def label_predicate(selector: str | None) -> LabelPredicate | None:
    """A predicate over a labels dict, or None for an empty selector (match everything).

    Parsed by the core's parser, as the API server parses it (integer ``>``/``<``, the empty
    value of ``in ()``, validated keys and values); raises SelectorError.
    """
    parsed = parse_label_selector(selector or "")
    return parsed.matches if parsed.requirements else None


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: the string form of a LabelSelector object, or <none>."""
    return label_selector_string(selector) or "<none>"


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
    for part in (p for p in split_requirements(selector) if p.strip()):
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
