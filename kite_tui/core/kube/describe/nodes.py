"""Nodes: roles, taints, conditions, capacity, system info and the pods they run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    write_events,
    write_labels,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["describe_node"]


def describe_node(subject: Subject, out: PrefixWriter) -> None:
    events, related, fmt = subject.events, subject.related, subject.times
    meta, spec, status = subject.meta, subject.spec, subject.status
    labels = meta.get("labels") or {}
    roles = sorted(
        k.split("/", 1)[1]
        for k in labels
        if k.startswith("node-role.kubernetes.io/") and k.split("/", 1)[1]
    )
    if labels.get("kubernetes.io/role"):
        roles.append(labels["kubernetes.io/role"])
    out.kv(0, "Name", meta.get("name"))
    out.kv(0, "Roles", ",".join(roles) or NONE)
    write_labels(out, meta)
    out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    taints = [
        f"{t.get('key', '')}{'=' + t['value'] if t.get('value') else ''}:{t.get('effect', '')}"
        for t in spec.get("taints") or []
    ]
    out.multi(0, "Taints", taints)
    out.kv(0, "Unschedulable", str(bool(spec.get("unschedulable"))).lower())
    conditions = status.get("conditions") or []
    if conditions:
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message")
        out.row(1, "----", "------", "-----------------", "------------------", "------", "-------")
        for c in conditions:
            out.row(
                1,
                c.get("type", ""),
                c.get("status", ""),
                fmt.when(c.get("lastHeartbeatTime")),
                fmt.when(c.get("lastTransitionTime")),
                c.get("reason", ""),
                c.get("message", ""),
            )
    out.head(0, "Addresses")
    for a in status.get("addresses") or []:
        out.kv(1, a.get("type", ""), a.get("address", ""))
    for label, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        if status.get(key):
            out.head(0, label)
            for name, qty in status[key].items():
                out.kv(1, name, qty)
    info = status.get("nodeInfo") or {}
    if info:
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
            ("Kube-Proxy Version", "kubeProxyVersion"),
        ):
            out.kv(1, label, info.get(key, ""))
    if spec.get("podCIDR"):
        out.kv(0, "PodCIDR", spec["podCIDR"])
        out.kv(0, "PodCIDRs", ",".join(spec.get("podCIDRs") or [spec["podCIDR"]]))
    if spec.get("providerID"):
        out.kv(0, "ProviderID", spec["providerID"])
    if "pods" in related:
        pods = related["pods"]
        out.kv(0, "Non-terminated Pods", f"({len(pods)} in total)")
        out.row(1, "Namespace", "Name", "CPU Requests", "Memory Requests", "Age")
        out.row(1, "---------", "----", "------------", "---------------", "---")
        for p in sorted(
            pods,
            key=lambda p: (
                (p.get("metadata") or {}).get("namespace", ""),
                (p.get("metadata") or {}).get("name", ""),
            ),
        ):
            pm = p.get("metadata") or {}
            cpu, mem = _pod_requests(p)
            out.row(
                1,
                pm.get("namespace", ""),
                pm.get("name", ""),
                cpu,
                mem,
                fmt.age(pm.get("creationTimestamp")),
            )
    write_events(out, events, fmt)


def _pod_requests(pod: Mapping[str, Any]) -> tuple[str, str]:
    cpu, mem = [], []
    for c in (pod.get("spec") or {}).get("containers") or []:
        req = (c.get("resources") or {}).get("requests") or {}
        if "cpu" in req:
            cpu.append(str(req["cpu"]))
        if "memory" in req:
            mem.append(str(req["memory"]))
    return "+".join(cpu) or "0", "+".join(mem) or "0"
