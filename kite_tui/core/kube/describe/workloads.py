"""Workloads: a deployment, with its pod template and its new and old replica sets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    write_conditions,
    write_events,
    write_meta,
)
from kite_tui.core.kube.describe.pods import write_pod_template
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.selectors import label_selector_string

__all__ = ["describe_deployment"]


def describe_deployment(subject: Subject, out: PrefixWriter) -> None:
    obj, events, related, fmt = subject.obj, subject.events, subject.related, subject.times
    meta, spec, status = subject.meta, subject.spec, subject.status
    write_meta(out, meta, fmt)
    out.kv(0, "Selector", label_selector_string(spec.get("selector")) or NONE)
    out.kv(
        0,
        "Replicas",
        f"{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
        f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
        f"{status.get('unavailableReplicas', 0)} unavailable",
    )
    strategy = spec.get("strategy") or {}
    out.kv(0, "StrategyType", strategy.get("type", "RollingUpdate"))
    out.kv(0, "MinReadySeconds", spec.get("minReadySeconds", 0))
    ru = strategy.get("rollingUpdate")
    if ru:
        out.kv(
            0,
            "RollingUpdateStrategy",
            f"{ru.get('maxUnavailable', '25%')} max unavailable, "
            f"{ru.get('maxSurge', '25%')} max surge",
        )
    write_pod_template(out, spec.get("template") or {}, fmt)
    conditions = status.get("conditions") or []
    if conditions:
        write_conditions(out, conditions, reason=True)
    if "replicasets" in related:
        new, old = _split_replicasets(obj, related["replicasets"])
        out.kv(0, "OldReplicaSets", ", ".join(_rs_text(rs) for rs in old) or NONE)
        out.kv(0, "NewReplicaSet", _rs_text(new) if new else NONE)
    write_events(out, events, fmt)


def _revision(obj: Mapping[str, Any]) -> int:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    try:
        return int(annotations.get("deployment.kubernetes.io/revision", "0"))
    except ValueError:
        return 0


def _split_replicasets(
    deploy: Mapping[str, Any], replicasets: Sequence[Mapping[str, Any]]
) -> tuple[Mapping[str, Any] | None, list[Mapping[str, Any]]]:
    """(the new ReplicaSet, the old ones). The new one carries the deployment's revision,
    which is how the deployment controller tells them apart too (template hashes need the
    controller's exact hashing)."""
    revision = _revision(deploy)
    new = next((rs for rs in replicasets if revision and _revision(rs) == revision), None)
    if new is None and replicasets:
        new = max(replicasets, key=_revision)
    old = [rs for rs in replicasets if rs is not new and (rs.get("spec") or {}).get("replicas")]
    return new, old


def _rs_text(rs: Mapping[str, Any]) -> str:
    name = (rs.get("metadata") or {}).get("name", "")
    status = rs.get("status") or {}
    spec = rs.get("spec") or {}
    return f"{name} ({status.get('replicas', 0)}/{spec.get('replicas', 0)} replicas created)"
