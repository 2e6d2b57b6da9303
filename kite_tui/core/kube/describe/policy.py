"""Kinds that bound what workloads get: autoscalers, disruption budgets, resource quotas,
limit ranges and priority classes (kubectl's ``describeHorizontalPodAutoscalerV2``,
``describePodDisruptionBudgetV1``, ``describeQuota``, ``describeLimitRange``,
``describePriorityClass``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    label_lines,
    write_events,
    write_labels,
)
from kite_tui.core.kube.describe.namespaces import SCOPE_HELP, limit_range_rows
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.quantity import canonical
from kite_tui.core.kube.selectors import label_selector_string

__all__ = [
    "describe_hpa",
    "describe_limit_range",
    "describe_pdb",
    "describe_priority_class",
    "describe_resource_quota",
]


def _q(value: Any) -> str:
    """A Go Quantity's ``String()``: canonical, ``0`` when unset."""
    return canonical(value) if value not in (None, "") else "0"


def _current(status: Mapping[str, Any], i: int, key: str) -> Mapping[str, Any] | None:
    metrics = status.get("currentMetrics") or []
    if i < len(metrics) and metrics[i].get(key) is not None:
        return (metrics[i][key] or {}).get("current") or {}
    return None


def _resource_metric(
    out: PrefixWriter, label: str, source: Mapping[str, Any], current: Mapping[str, Any] | None
) -> None:
    target = source.get("target") or {}
    if target.get("averageValue") is not None:
        now = _q(current.get("averageValue")) if current is not None else "<unknown>"
        out.row(1, f"{label}:", f"{now} / {_q(target['averageValue'])}")
        return
    now = "<unknown>"
    if current is not None and current.get("averageUtilization") is not None:
        now = f"{current['averageUtilization']}% ({_q(current.get('averageValue'))})"
    goal = (
        f"{target['averageUtilization']}%"
        if target.get("averageUtilization") is not None
        else "<auto>"
    )
    out.row(1, f"{label}  (as a percentage of request):", f"{now} / {goal}")


def _go_quote(text: Any) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _metric(
    out: PrefixWriter, metric: Mapping[str, Any], status: Mapping[str, Any], i: int
) -> None:
    kind = metric.get("type")
    if kind == "External":
        src = metric.get("external") or {}
        name, target = _go_quote((src.get("metric") or {}).get("name", "")), src.get("target") or {}
        cur = _current(status, i, "external")
        if target.get("averageValue") is not None:
            now = (
                _q(cur["averageValue"])
                if cur and cur.get("averageValue") is not None
                else "<unknown>"
            )
            out.row(1, f"{name} (target average value):", f"{now} / {_q(target['averageValue'])}")
        else:
            now = _q(cur.get("value")) if cur is not None else "<unknown>"
            out.row(1, f"{name} (target value):", f"{now} / {_q(target.get('value'))}")
    elif kind == "Pods":
        src = metric.get("pods") or {}
        cur = _current(status, i, "pods")
        now = _q(cur.get("averageValue")) if cur is not None else "<unknown>"
        target = _q((src.get("target") or {}).get("averageValue"))
        out.row(
            1,
            f"{_go_quote((src.get('metric') or {}).get('name', ''))} on pods:",
            f"{now} / {target}",
        )
    elif kind == "Object":
        src = metric.get("object") or {}
        obj = src.get("describedObject") or {}
        metric_name = (src.get("metric") or {}).get("name", "")
        head = f'"{metric_name}" on {obj.get("kind", "")}/{obj.get("name", "")} '
        target = src.get("target") or {}
        cur = _current(status, i, "object")
        if target.get("type") == "AverageValue":
            now = _q(cur.get("averageValue")) if cur is not None else "<unknown>"
            out.row(
                1, f"{head}(target average value):", f"{now} / {_q(target.get('averageValue'))}"
            )
        else:
            now = _q(cur.get("value")) if cur is not None else "<unknown>"
            out.row(1, f"{head}(target value):", f"{now} / {_q(target.get('value'))}")
    elif kind == "Resource":
        src = metric.get("resource") or {}
        label = f"resource {src.get('name', '')} on pods"
        _resource_metric(out, label, src, _current(status, i, "resource"))
    elif kind == "ContainerResource":
        src = metric.get("containerResource") or {}
        label = f'resource {src.get("name", "")} of container "{src.get("container", "")}" on pods'
        _resource_metric(out, label, src, _current(status, i, "containerResource"))
    else:
        out.row(1, f"<unknown metric type {_go_quote(kind or '')}>")


def _behavior(out: PrefixWriter, direction: str, rules: Mapping[str, Any] | None) -> None:
    if rules is None:
        return
    out.head(1, direction)
    if rules.get("stabilizationWindowSeconds") is not None:
        out.text(f"    Stabilization Window: {rules['stabilizationWindowSeconds']} seconds")
    if rules.get("policies"):
        out.text(f"    Select Policy: {rules.get('selectPolicy') or 'Max'}")
        out.text("    Policies:")
        for p in rules["policies"]:
            out.row(
                3,
                f"- Type: {p.get('type', '')}",
                f"Value: {p.get('value', 0)}",
                f"Period: {p.get('periodSeconds', 0)} seconds",
            )


def describe_hpa(subject: Subject, out: PrefixWriter) -> None:
    """An autoscaler as kubectl's v2 layout; one read as autoscaling/v1 (a CPU target, no
    metrics) as the v1 layout kubectl falls back to."""
    meta, spec, status, fmt = subject.meta, subject.spec, subject.status, subject.times
    v1 = subject.obj.get("apiVersion") == "autoscaling/v1"
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    write_labels(out, meta)
    out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    ref = spec.get("scaleTargetRef") or {}
    out.kv(0, "Reference", f"{ref.get('kind', '')}/{ref.get('name', '')}")
    if v1:
        if spec.get("targetCPUUtilizationPercentage") is not None:
            out.kv(0, "Target CPU utilization", f"{spec['targetCPUUtilizationPercentage']}%")
            current = status.get("currentCPUUtilizationPercentage")
            out.kv(0, "Current CPU utilization", f"{'<unknown>' if current is None else current}%")
    else:
        out.kv(0, "Metrics", "( current / target )")
        for i, metric in enumerate(spec.get("metrics") or []):
            _metric(out, metric, status, i)
    min_replicas = spec.get("minReplicas")
    out.kv(0, "Min replicas", "<unset>" if min_replicas is None else min_replicas)
    out.kv(0, "Max replicas", spec.get("maxReplicas", 0))
    behavior = spec.get("behavior")
    if behavior is not None and not v1:
        out.head(0, "Behavior")
        _behavior(out, "Scale Up", behavior.get("scaleUp"))
        _behavior(out, "Scale Down", behavior.get("scaleDown"))
    out.kv(
        0,
        f"{ref.get('kind', '')} pods",
        f"{status.get('currentReplicas', 0)} current / {status.get('desiredReplicas', 0)} desired",
    )
    conditions = [] if v1 else status.get("conditions") or []
    if conditions:
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "Reason", "Message")
        out.row(1, "----", "------", "------", "-------")
        for c in conditions:
            out.row(
                1, c.get("type", ""), c.get("status", ""), c.get("reason", ""), c.get("message", "")
            )
    write_events(out, subject.events, fmt)


def describe_pdb(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status = subject.meta, subject.spec, subject.status
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    if spec.get("minAvailable") is not None:
        out.kv(0, "Min available", spec["minAvailable"], empty="")
    elif spec.get("maxUnavailable") is not None:
        out.kv(0, "Max unavailable", spec["maxUnavailable"], empty="")
    selector = spec.get("selector")
    out.kv(
        0, "Selector", "<unset>" if selector is None else label_selector_string(selector) or NONE
    )
    out.head(0, "Status")
    out.kv(2, "Allowed disruptions", status.get("disruptionsAllowed", 0))
    out.kv(2, "Current", status.get("currentHealthy", 0))
    out.kv(2, "Desired", status.get("desiredHealthy", 0))
    out.kv(2, "Total", status.get("expectedPods", 0))
    write_events(out, subject.events, subject.times)


def describe_resource_quota(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status = subject.meta, subject.spec, subject.status
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    scopes = sorted(str(s) for s in spec.get("scopes") or [])
    if scopes:
        out.kv(0, "Scopes", ", ".join(scopes))
        for scope in scopes:
            if scope in SCOPE_HELP:
                out.row(0, f" * {SCOPE_HELP[scope]}")
    out.row(0, "Resource", "Used", "Hard")
    out.row(0, "--------", "----", "----")
    hard, used = status.get("hard") or {}, status.get("used") or {}
    for name in sorted(hard):
        out.row(0, name, _q(used.get(name)), _q(hard[name]))


def describe_limit_range(subject: Subject, out: PrefixWriter) -> None:
    meta = subject.meta
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    out.row(
        0,
        "Type",
        "Resource",
        "Min",
        "Max",
        "Default Request",
        "Default Limit",
        "Max Limit/Request Ratio",
    )
    out.row(
        0,
        "----",
        "--------",
        "---",
        "---",
        "---------------",
        "-------------",
        "-----------------------",
    )
    limit_range_rows(out, subject.obj, "")


def describe_priority_class(subject: Subject, out: PrefixWriter) -> None:
    obj, meta = subject.obj, subject.meta
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Value", obj.get("value", 0))
    out.kv(0, "GlobalDefault", "true" if obj.get("globalDefault") else "false")
    out.kv(0, "PreemptionPolicy", obj.get("preemptionPolicy", ""), empty="")
    out.kv(0, "Description", obj.get("description", ""), empty="")
    out.kv(0, "Annotations", ",".join(label_lines(meta.get("annotations"))) or NONE)
    write_events(out, subject.events, subject.times)
