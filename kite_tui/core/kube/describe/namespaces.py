"""Namespaces: status, conditions, and the resource quotas and limit ranges that hold in
them (kubectl's ``describeNamespace``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import Subject, write_labels
from kite_tui.core.kube.describe.writer import PrefixWriter
from kite_tui.core.kube.quantity import canonical

__all__ = ["SCOPE_HELP", "describe_namespace", "limit_range_rows"]

SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited "
    "lifespan on a node before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually "
    "include long running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have "
    "a best effort quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These "
    "pods have a burstable or guaranteed quality of service.",
}


def _quotas(out: PrefixWriter, quotas: Sequence[Mapping[str, Any]]) -> None:
    if not quotas:
        out.row(0, "No resource quota.")
        return
    out.row(0, "Resource Quotas")
    for q in sorted(quotas, key=lambda q: str((q.get("metadata") or {}).get("name", ""))):
        spec, status = q.get("spec") or {}, q.get("status") or {}
        out.kv(1, "Name", (q.get("metadata") or {}).get("name", ""), empty="")
        scopes = sorted(str(s) for s in spec.get("scopes") or [])
        if scopes:
            out.kv(1, "Scopes", ", ".join(scopes))
            for scope in scopes:
                if scope in SCOPE_HELP:
                    out.row(1, f"* {SCOPE_HELP[scope]}")
        out.row(1, "Resource", "Used", "Hard")
        out.row(1, "--------", "---", "---")
        hard, used = status.get("hard") or {}, status.get("used") or {}
        for name in sorted(hard):
            out.row(1, name, canonical(used.get(name, "0")), canonical(hard[name]))


def _limit_ranges(out: PrefixWriter, ranges: Sequence[Mapping[str, Any]]) -> None:
    if not ranges:
        out.row(0, "No LimitRange resource.")
        return
    out.row(0, "Resource Limits")
    out.row(
        0,
        " Type",
        "Resource",
        "Min",
        "Max",
        "Default Request",
        "Default Limit",
        "Max Limit/Request Ratio",
    )
    out.row(
        0,
        " ----",
        "--------",
        "---",
        "---",
        "---------------",
        "-------------",
        "-----------------------",
    )
    for lr in ranges:
        limit_range_rows(out, lr, " ")


def limit_range_rows(out: PrefixWriter, limit_range: Mapping[str, Any], prefix: str) -> None:
    """One row per item and resource of a limit range (kubectl's ``describeLimitRangeSpec``)."""
    for item in (limit_range.get("spec") or {}).get("limits") or []:
        columns = [
            item.get(k) or {}
            for k in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")
        ]
        # kubectl walks a Go map here, in no fixed order; sorted is one of its orders.
        for name in sorted(set().union(*columns)):
            cells = [canonical(c[name]) if name in c else "-" for c in columns]
            out.row(0, f"{prefix}{item.get('type', '')}", name, *cells)


def describe_namespace(subject: Subject, out: PrefixWriter) -> None:
    meta, status, fmt, related = subject.meta, subject.status, subject.times, subject.related
    out.kv(0, "Name", meta.get("name"), empty="")
    write_labels(out, meta)
    out.kv(0, "Status", status.get("phase", ""), empty="")
    conditions = status.get("conditions") or []
    if conditions:
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "LastTransitionTime", "Reason", "Message")
        out.row(1, "----", "------", "------------------", "------", "-------")
        for c in conditions:
            out.row(
                1,
                c.get("type", ""),
                c.get("status", ""),
                fmt.when(c.get("lastTransitionTime")),
                c.get("reason", ""),
                c.get("message", ""),
            )
    if "resourcequotas" in related:
        out.text()
        _quotas(out, related["resourcequotas"])
    if "limitranges" in related:
        out.text()
        _limit_ranges(out, related["limitranges"])
