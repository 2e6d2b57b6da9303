"""Workloads: deployments (with their new and old replica sets), jobs, cron jobs, stateful
sets and daemon sets, each with its pod template, in kubectl's layout for the kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    controller_of,
    label_lines,
    pvc_class,
    related_error,
    write_conditions,
    write_events,
    write_labels,
    write_meta,
)
from kite_tui.core.kube.describe.pods import write_pod_template
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.quantity import canonical
from kite_tui.core.kube.selectors import label_selector_string

__all__ = [
    "describe_cronjob",
    "describe_daemonset",
    "describe_deployment",
    "describe_job",
    "describe_replicaset",
    "describe_statefulset",
]


def describe_deployment(subject: Subject, out: PrefixWriter) -> None:
    obj, events, related, fmt = subject.obj, subject.events, subject.related, subject.times
    meta, spec, status = subject.meta, subject.spec, subject.status
    write_meta(out, meta, fmt)
    out.kv(0, "Selector", label_selector_string(spec.get("selector")), empty="")
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
    if related.get("replicasets"):
        new, old = _split_replicasets(obj, related["replicasets"])
        out.kv(0, "OldReplicaSets", ", ".join(_rs_text(rs) for rs in old) or NONE)
        out.kv(0, "NewReplicaSet", _rs_text(new) if new else NONE)
    write_events(out, events, fmt)


def _template_sans_hash(obj: Mapping[str, Any]) -> Any:
    template = dict((obj.get("spec") or {}).get("template") or {})
    meta = dict(template.get("metadata") or {})
    labels = dict(meta.get("labels") or {})
    labels.pop("pod-template-hash", None)
    meta["labels"] = labels
    template["metadata"] = meta
    return template


def _split_replicasets(
    deploy: Mapping[str, Any], replicasets: Sequence[Mapping[str, Any]]
) -> tuple[Mapping[str, Any] | None, list[Mapping[str, Any]]]:
    """(the new ReplicaSet, the old ones), as the deployment controller and kubectl tell
    them apart: the new one is the oldest whose pod template is the deployment's (the
    ``pod-template-hash`` label aside); every other one is old, in the server's order."""
    wanted = _template_sans_hash(deploy)
    by_age = sorted(
        replicasets,
        key=lambda rs: (
            str((rs.get("metadata") or {}).get("creationTimestamp") or ""),
            str((rs.get("metadata") or {}).get("name") or ""),
        ),
    )
    new = next((rs for rs in by_age if _template_sans_hash(rs) == wanted), None)
    return new, [rs for rs in replicasets if rs is not new]


def _rs_text(rs: Mapping[str, Any]) -> str:
    name = (rs.get("metadata") or {}).get("name", "")
    status = rs.get("status") or {}
    spec = rs.get("spec") or {}
    return f"{name} ({status.get('replicas', 0)}/{spec.get('replicas', 0)} replicas created)"


def _pods_status(subject: Subject) -> str:
    """``N Running / N Waiting / N Succeeded / N Failed`` over the pods this object controls
    (kubectl's ``getPodStatusForController``)."""
    uid = subject.meta.get("uid")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in subject.related.get("pods") or []:
        refs = (pod.get("metadata") or {}).get("ownerReferences") or []
        if not any(r.get("controller") and r.get("uid") == uid for r in refs):
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return (
        f"{counts['Running']} Running / {counts['Pending']} Waiting / "
        f"{counts['Succeeded']} Succeeded / {counts['Failed']} Failed"
    )


def _name_namespace(out: PrefixWriter, meta: Mapping[str, Any]) -> None:
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")


def _indexes(indexes: str, soft_limit: int = 50) -> str:
    if not indexes:
        return NONE
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 else indexes[: cut + 1] + "..."


def describe_job(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status, fmt = subject.meta, subject.spec, subject.status, subject.times
    _name_namespace(out, meta)
    out.kv(0, "Selector", label_selector_string(spec.get("selector")), empty="")
    write_labels(out, meta)
    controller = controller_of(meta)
    if controller:
        out.kv(0, "Controlled By", controller)
    if spec.get("parallelism") is not None:
        out.kv(0, "Parallelism", spec["parallelism"])
    out.kv(0, "Completions", spec.get("completions", "<unset>"))
    if spec.get("completionMode") is not None:
        out.kv(0, "Completion Mode", spec["completionMode"])
    if spec.get("suspend") is not None:
        out.kv(0, "Suspend", str(bool(spec["suspend"])).lower())
    if spec.get("backoffLimit") is not None:
        out.kv(0, "Backoff Limit", spec["backoffLimit"])
    if spec.get("ttlSecondsAfterFinished") is not None:
        out.kv(0, "TTL Seconds After Finished", spec["ttlSecondsAfterFinished"])
    started, completed = status.get("startTime"), status.get("completionTime")
    if started:
        out.kv(0, "Start Time", fmt.when(started))
    if completed:
        out.kv(0, "Completed At", fmt.when(completed))
    if started and completed:
        out.kv(0, "Duration", fmt.between(started, completed))
    if spec.get("activeDeadlineSeconds") is not None:
        out.kv(0, "Active Deadline Seconds", f"{spec['activeDeadlineSeconds']}s")
    active, ok, failed = (
        status.get("active", 0),
        status.get("succeeded", 0),
        status.get("failed", 0),
    )
    if status.get("ready") is None:
        pods = f"{active} Active / {ok} Succeeded / {failed} Failed"
    else:
        pods = f"{active} Active ({status['ready']} Ready) / {ok} Succeeded / {failed} Failed"
    out.kv(0, "Pods Statuses", pods)
    if spec.get("completionMode") == "Indexed":
        out.kv(0, "Completed Indexes", _indexes(str(status.get("completedIndexes") or "")))
    write_pod_template(out, spec.get("template") or {}, fmt)
    write_events(out, subject.events, fmt)


def describe_cronjob(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status, fmt = subject.meta, subject.spec, subject.status, subject.times
    _name_namespace(out, meta)
    write_labels(out, meta)
    out.kv(0, "Schedule", spec.get("schedule", ""), empty="")
    out.kv(0, "Concurrency Policy", spec.get("concurrencyPolicy", ""), empty="")
    suspend = spec.get("suspend")
    out.kv(0, "Suspend", "<unset>" if suspend is None else ("True" if suspend else "False"))
    out.kv(0, "Time Zone", spec.get("timeZone") or "<unset>")
    for label, key in (
        ("Successful Job History Limit", "successfulJobsHistoryLimit"),
        ("Failed Job History Limit", "failedJobsHistoryLimit"),
    ):
        out.kv(0, label, spec.get(key, "<unset>"))
    deadline = spec.get("startingDeadlineSeconds")
    out.kv(0, "Starting Deadline Seconds", "<unset>" if deadline is None else f"{deadline}s")
    job = (spec.get("jobTemplate") or {}).get("spec") or {}
    selector = job.get("selector")
    out.kv(
        0, "Selector", "<unset>" if selector is None else label_selector_string(selector), empty=""
    )
    out.kv(0, "Parallelism", job.get("parallelism", "<unset>"))
    out.kv(0, "Completions", job.get("completions", "<unset>"))
    if job.get("activeDeadlineSeconds") is not None:
        out.kv(0, "Active Deadline Seconds", f"{job['activeDeadlineSeconds']}s")
    write_pod_template(out, job.get("template") or {}, fmt)
    last = status.get("lastScheduleTime")
    out.kv(0, "Last Schedule Time", fmt.when(last) if last else "<unset>")
    active = [str(ref.get("name", "")) for ref in status.get("active") or []]
    out.kv(0, "Active Jobs", ", ".join(active) or NONE)
    write_events(out, subject.events, fmt)


def describe_statefulset(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status, fmt = subject.meta, subject.spec, subject.status, subject.times
    _name_namespace(out, meta)
    out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    out.kv(0, "Selector", label_selector_string(spec.get("selector")), empty="")
    write_labels(out, meta)
    if spec.get("serviceName"):
        out.kv(0, "Service Name", spec["serviceName"])
    if spec.get("podManagementPolicy"):
        out.kv(0, "Pod Management Policy", spec["podManagementPolicy"])
    out.kv(0, "Replicas", f"{spec.get('replicas', 1)} desired | {status.get('replicas', 0)} total")
    strategy = spec.get("updateStrategy") or {}
    out.kv(0, "Update Strategy", strategy.get("type", ""), empty="")
    ru = strategy.get("rollingUpdate")
    if ru and ru.get("partition") is not None:
        out.kv(1, "Partition", ru["partition"])
        if ru.get("maxUnavailable") is not None:
            out.kv(1, "MaxUnavailable", ru["maxUnavailable"])
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if retention is not None:
        out.head(0, "Persistent Volume Claim Retention Policy")
        out.kv(1, "WhenDeleted", retention.get("whenDeleted", ""), empty="")
        out.kv(1, "WhenScaled", retention.get("whenScaled", ""), empty="")
    out.kv(0, "Pods Status", _pods_status(subject))
    write_pod_template(out, spec.get("template") or {}, fmt)
    claims = spec.get("volumeClaimTemplates") or []
    if not claims:
        out.kv(0, "Volume Claims", NONE)
    else:
        out.head(0, "Volume Claims")
        for pvc in claims:
            pm, ps = pvc.get("metadata") or {}, pvc.get("spec") or {}
            out.kv(1, "Name", pm.get("name", ""), empty="")
            out.kv(1, "StorageClass", pvc_class(pvc), empty="")
            out.multi(0, "  Labels", label_lines(pm.get("labels")))
            out.multi(0, "  Annotations", label_lines(pm.get("annotations")))
            storage = ((ps.get("resources") or {}).get("requests") or {}).get("storage")
            out.kv(1, "Capacity", canonical(storage) if storage is not None else "<default>")
            out.kv(1, "Access Modes", f"[{' '.join(ps.get('accessModes') or [])}]")
    write_events(out, subject.events, fmt)


def describe_daemonset(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status, fmt = subject.meta, subject.spec, subject.status, subject.times
    _name_namespace(out, meta)
    out.kv(0, "Selector", label_selector_string(spec.get("selector")), empty="")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    out.kv(0, "Node-Selector", ",".join(label_lines(node_selector)) or NONE)
    write_labels(out, meta)
    for label, key in (
        ("Desired Number of Nodes Scheduled", "desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "currentNumberScheduled"),
        ("Number of Nodes Scheduled with Up-to-date Pods", "updatedNumberScheduled"),
        ("Number of Nodes Scheduled with Available Pods", "numberAvailable"),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ):
        out.row(0, f"{label}: {status.get(key, 0)}")
    out.kv(0, "Pods Status", _pods_status(subject))
    write_pod_template(out, spec.get("template") or {}, fmt)
    write_events(out, subject.events, fmt)


def describe_replicaset(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status, fmt = subject.meta, subject.spec, subject.status, subject.times
    _name_namespace(out, meta)
    out.kv(0, "Selector", label_selector_string(spec.get("selector")) or NONE)
    write_labels(out, meta)
    controller = controller_of(meta)
    if controller:
        out.kv(0, "Controlled By", controller)
    out.kv(
        0, "Replicas", f"{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired"
    )
    error = related_error(subject.related, "pods")
    pods = f"error in fetching pods: {error}" if error is not None else _pods_status(subject)
    out.kv(0, "Pods Status", pods)
    write_pod_template(out, spec.get("template") or {}, fmt)
    conditions = status.get("conditions") or []
    if conditions:
        write_conditions(out, conditions, reason=True)
    write_events(out, subject.events, fmt)
