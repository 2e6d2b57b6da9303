"""Nodes: roles, taints, lease, conditions, capacity, system info, the pods they run with
their requests and limits, and the resources allocated in all (kubectl's ``describeNode``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import Subject, write_events, write_labels
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.quantity import Quantity, canonical

__all__ = ["describe_node", "pod_limits", "pod_requests"]

ResourceList = dict[str, Quantity]


def _resource_list(raw: Mapping[str, Any] | None) -> ResourceList:
    out: ResourceList = {}
    for name, text in (raw or {}).items():
        try:
            out[name] = Quantity.parse(text)
        except ValueError:
            continue
    return out


def _add(into: ResourceList, more: ResourceList) -> None:
    for name, q in more.items():
        into[name] = into[name] + q if name in into else q


def _max(into: ResourceList, more: ResourceList) -> None:
    for name, q in more.items():
        if name not in into or into[name] < q:
            into[name] = q


def _aggregate(pod: Mapping[str, Any], per_container: Callable[..., ResourceList]) -> ResourceList:
    """component-helpers' ``aggregateContainerResourcesByFn``: the containers' sum, with
    sidecars (restartable init containers) added, and at least what any init container
    needs while it runs beside the sidecars started before it."""
    spec = pod.get("spec") or {}
    result: ResourceList = {}
    for c in spec.get("containers") or []:
        _add(result, per_container(c))
    sidecars: ResourceList = {}
    init_peak: ResourceList = {}
    for c in spec.get("initContainers") or []:
        own = per_container(c)
        if c.get("restartPolicy") == "Always":
            _add(result, own)
            _add(sidecars, own)
            use = dict(sidecars)
        else:
            use = dict(own)
            _add(use, sidecars)
        _max(init_peak, use)
    _max(result, init_peak)
    return result


def _statuses(pod: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    status = pod.get("status") or {}
    found: dict[str, Mapping[str, Any]] = {}
    for s in [
        *(status.get("initContainerStatuses") or []),
        *(status.get("containerStatuses") or []),
    ]:
        found.setdefault(str(s.get("name")), s)
    return found


def _pod_level(pod: Mapping[str, Any], key: str, result: ResourceList) -> ResourceList:
    spec = pod.get("spec") or {}
    level = _resource_list((spec.get("resources") or {}).get(key))
    for name, q in level.items():
        if name in ("cpu", "memory") or name.startswith("hugepages-"):
            result[name] = q
    overhead = _resource_list(spec.get("overhead"))
    if key == "requests":
        _add(result, overhead)
    else:
        for name, q in overhead.items():
            if name in result and result[name].nanos:
                result[name] = result[name] + q
    return result


def pod_requests(pod: Mapping[str, Any], *, use_status: bool = False) -> ResourceList:
    """The pod's effective requests (component-helpers' ``PodRequests``): init and sidecar
    containers counted as the scheduler counts them, pod-level resources and overhead;
    with ``use_status``, resized containers' actual requests where larger."""

    def spec_req(c: Mapping[str, Any]) -> ResourceList:
        return _resource_list((c.get("resources") or {}).get("requests"))

    result = _aggregate(pod, spec_req)
    if use_status:
        statuses = _statuses(pod)

        def allocated(c: Mapping[str, Any]) -> ResourceList:
            s = statuses.get(str(c.get("name"))) or {}
            if s.get("allocatedResources") is not None:
                return _resource_list(s["allocatedResources"])
            return spec_req(c)

        def actuated(c: Mapping[str, Any]) -> ResourceList:
            s = statuses.get(str(c.get("name"))) or {}
            if (s.get("resources") or {}).get("requests") is not None:
                return _resource_list(s["resources"]["requests"])
            return allocated(c)

        _max(result, _aggregate(pod, actuated))
        _max(result, _aggregate(pod, allocated))
    return _pod_level(pod, "requests", result)


def pod_limits(pod: Mapping[str, Any], *, use_status: bool = False) -> ResourceList:
    """The pod's effective limits (component-helpers' ``PodLimits``)."""

    def spec_lim(c: Mapping[str, Any]) -> ResourceList:
        return _resource_list((c.get("resources") or {}).get("limits"))

    result = _aggregate(pod, spec_lim)
    if use_status:
        statuses = _statuses(pod)

        def actuated(c: Mapping[str, Any]) -> ResourceList:
            s = statuses.get(str(c.get("name"))) or {}
            if (s.get("resources") or {}).get("limits") is not None:
                return _resource_list(s["resources"]["limits"])
            return spec_lim(c)

        _max(result, _aggregate(pod, actuated))
    return _pod_level(pod, "limits", result)


def _percent(part: int, whole: int) -> int:
    # Go: int64(float64(part) / float64(whole) * 100), NaN and infinities as Go converts them.
    if whole == 0:
        return -(2**63)
    return int(float(part) / float(whole) * 100)


def _taint(t: Mapping[str, Any]) -> str:
    key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else str(key)
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _write_lease(
    out: PrefixWriter, related: Mapping[str, Sequence[Mapping[str, Any]]], fmt: Any
) -> None:
    if "lease" in related:
        spec = (related["lease"][0] if related["lease"] else {}).get("spec") or {}
        out.head(0, "Lease")
        out.kv(1, "HolderIdentity", spec.get("holderIdentity") or "<unset>")
        for label, key in (("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")):
            out.kv(1, label, fmt.when(spec[key]) if spec.get(key) else "<unset>")
    elif "lease_error" in related:
        message = (related["lease_error"][0] if related["lease_error"] else {}).get("message", "")
        out.kv(0, "Lease", f"Failed to get lease: {message}")


def _write_pods(
    out: PrefixWriter, node: Mapping[str, Any], pods: Sequence[Mapping[str, Any]], fmt: Any
) -> None:
    status = node.get("status") or {}
    allocatable = _resource_list(status.get("allocatable") or status.get("capacity"))
    zero = Quantity()
    alloc_cpu = allocatable.get("cpu", zero).milli_value()
    alloc_mem = allocatable.get("memory", zero).value()
    out.kv(0, "Non-terminated Pods", f"({len(pods)} in total)")
    out.row(
        1,
        "Namespace",
        "Name",
        "",
        "CPU Requests",
        "CPU Limits",
        "Memory Requests",
        "Memory Limits",
        "Age",
    )
    out.row(
        1,
        "---------",
        "----",
        "",
        "------------",
        "----------",
        "---------------",
        "-------------",
        "---",
    )
    reqs: ResourceList = {}
    limits: ResourceList = {}
    for p in pods:
        pm = p.get("metadata") or {}
        req, lim = pod_requests(p, use_status=True), pod_limits(p, use_status=True)
        cpu_r, cpu_l = req.get("cpu", zero), lim.get("cpu", zero)
        mem_r, mem_l = req.get("memory", zero), lim.get("memory", zero)
        out.row(
            1,
            pm.get("namespace", ""),
            pm.get("name", ""),
            "",
            f"{cpu_r} ({_percent(cpu_r.milli_value(), alloc_cpu)}%)",
            f"{cpu_l} ({_percent(cpu_l.milli_value(), alloc_cpu)}%)",
            f"{mem_r} ({_percent(mem_r.value(), alloc_mem)}%)",
            f"{mem_l} ({_percent(mem_l.value(), alloc_mem)}%)",
            fmt.age(pm.get("creationTimestamp")),
        )
        _add(reqs, pod_requests(p))
        _add(limits, pod_limits(p))
    out.head(0, "Allocated resources")
    out.row(0, "  (Total limits may be over 100 percent, i.e., overcommitted.)")
    out.row(1, "Resource", "Requests", "Limits")
    out.row(1, "--------", "--------", "------")
    for name, value_of in (
        ("cpu", Quantity.milli_value),
        ("memory", Quantity.value),
        ("ephemeral-storage", Quantity.value),
    ):
        whole = value_of(allocatable.get(name, zero))
        r, lim_q = reqs.get(name, zero), limits.get(name, zero)
        fr = _percent(value_of(r), whole) if whole else 0
        fl = _percent(value_of(lim_q), whole) if whole else 0
        out.row(1, name, f"{r} ({fr}%)", f"{lim_q} ({fl}%)")
    huge = sorted(n for n in allocatable if n.startswith("hugepages-"))
    standard = ("cpu", "memory", "ephemeral-storage", "storage", "pods")
    extended = sorted(
        n
        for n in allocatable
        if n not in standard and not n.startswith(("hugepages-", "requests."))
    )
    for name in huge:
        whole = allocatable[name].value()
        r, lim_q = reqs.get(name, zero), limits.get(name, zero)
        fr = _percent(r.value(), whole) if whole else 0
        fl = _percent(lim_q.value(), whole) if whole else 0
        out.row(1, name, f"{r} ({fr}%)", f"{lim_q} ({fl}%)")
    for name in extended:
        out.row(1, name, str(reqs.get(name, zero)), str(limits.get(name, zero)))


def describe_node(subject: Subject, out: PrefixWriter) -> None:
    events, related, fmt = subject.events, subject.related, subject.times
    meta, spec, status = subject.meta, subject.spec, subject.status
    labels = meta.get("labels") or {}
    roles = set()
    for k, v in labels.items():
        if k.startswith("node-role.kubernetes.io/"):
            if k.split("/", 1)[1]:
                roles.add(k.split("/", 1)[1])
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Roles", ",".join(sorted(roles)) or NONE)
    write_labels(out, meta)
    out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    taints = sorted(
        spec.get("taints") or [], key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}"
    )
    out.multi(0, "Taints", [_taint(t) for t in taints])
    out.kv(0, "Unschedulable", str(bool(spec.get("unschedulable"))).lower())
    _write_lease(out, related, fmt)
    conditions = status.get("conditions") or []
    if conditions:
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message")
        out.row(1, "----", "------", "-----------------", "------------------", "------", "-------")
        for c in conditions:
            out.row(
                1,
                f"{c.get('type', '')} ",
                f"{c.get('status', '')} ",
                f"{fmt.when(c.get('lastHeartbeatTime'))} ",
                f"{fmt.when(c.get('lastTransitionTime'))} ",
                f"{c.get('reason', '')} ",
                c.get("message", ""),
            )
    out.head(0, "Addresses")
    for a in status.get("addresses") or []:
        out.kv(1, a.get("type", ""), a.get("address", ""), empty="")
    for label, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        if status.get(key):
            out.head(0, label)
            for name, qty in sorted(status[key].items()):
                out.kv(1, name, canonical(qty), empty="")
    info = status.get("nodeInfo") or {}
    out.head(0, "System Info")
    for label, key in (
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ):
        out.kv(1, label, info.get(key, ""), empty="")
    if spec.get("podCIDR"):
        out.kv(0, "PodCIDR", spec["podCIDR"])
    if spec.get("podCIDRs"):
        out.kv(0, "PodCIDRs", ",".join(spec["podCIDRs"]))
    if spec.get("providerID"):
        out.kv(0, "ProviderID", spec["providerID"])
    if "pods" in related:
        _write_pods(out, subject.obj, related["pods"], fmt)
    elif "pods_forbidden" in related:
        out.kv(0, "Pods", "not authorized")
    write_events(out, events, fmt)
