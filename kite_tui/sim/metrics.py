"""metrics.k8s.io/v1beta1: NodeMetrics and PodMetrics computed from the stored pods.

Usage is deterministic per object and drifts slowly with the clock, like a real
metrics-server scraping every few seconds. Only running pods have metrics, and a
node's usage is the sum of its pods' plus a system overhead.
"""

from __future__ import annotations

import hashlib
import math

from kite_tui.sim.resources import lookup
from kite_tui.sim.store import ObjectStore, rfc3339

WINDOW = "10.062s"


def _h(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "big")


def parse_cpu(q: str | None) -> float:
    """CPU quantity in cores."""
    if not q:
        return 0.0
    if q.endswith("n"):
        return int(q[:-1]) / 1e9
    if q.endswith("u"):
        return int(q[:-1]) / 1e6
    if q.endswith("m"):
        return int(q[:-1]) / 1e3
    return float(q)


_MEM = {
    "Ki": 1024,
    "Mi": 1024**2,
    "Gi": 1024**3,
    "Ti": 1024**4,
    "K": 1000,
    "M": 1000**2,
    "G": 1000**3,
    "T": 1000**4,
}


def parse_memory(q: str | None) -> int:
    """Memory quantity in bytes."""
    if not q:
        return 0
    for suffix in ("Ki", "Mi", "Gi", "Ti", "K", "M", "G", "T"):
        if q.endswith(suffix):
            return int(float(q[: -len(suffix)]) * _MEM[suffix])
    return int(float(q))


def _container_usage(pod_name: str, container: dict, now: float) -> tuple[int, int]:
    """(nanocores, bytes) for one container."""
    req = (container.get("resources") or {}).get("requests") or {}
    cpu = parse_cpu(req.get("cpu")) or 0.05
    mem = parse_memory(req.get("memory")) or 64 * 1024**2
    h = _h(pod_name, container.get("name"))
    wobble = 0.5 + 0.5 * math.sin(now / 30.0 + (h % 628) / 100.0)
    cpu_use = cpu * (0.05 + 0.9 * ((h >> 8) % 100) / 100.0 * wobble)
    mem_use = mem * (0.3 + 0.6 * ((h >> 16) % 100) / 100.0)
    return max(int(cpu_use * 1e9), 1000), int(mem_use)


def _pod_metrics(pod: dict, now: float) -> dict | None:
    status = pod.get("status", {})
    if status.get("phase") != "Running" or pod["metadata"].get("deletionTimestamp"):
        return None
    running = {
        cs["name"]
        for cs in status.get("containerStatuses") or []
        if (cs.get("state") or {}).get("running") is not None
    }
    containers = []
    for c in pod.get("spec", {}).get("containers") or []:
        if c["name"] not in running:
            continue
        cpu, mem = _container_usage(pod["metadata"]["name"], c, now)
        containers.append(
            {"name": c["name"], "usage": {"cpu": f"{cpu}n", "memory": f"{mem // 1024}Ki"}}
        )
    if not containers:
        return None
    meta = pod["metadata"]
    return {
        "kind": "PodMetrics",
        "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {
            "name": meta["name"],
            "namespace": meta["namespace"],
            "creationTimestamp": rfc3339(now),
            "labels": meta.get("labels") or {},
        },
        "timestamp": rfc3339(now - 5),
        "window": WINDOW,
        "containers": containers,
    }


def pod_metrics(store: ObjectStore, namespace: str | None, now: float) -> list[dict]:
    rtype = lookup("pods")
    entries, _rv, _n, _r = store.list_entries(rtype, namespace)
    out = []
    for e in entries:
        m = _pod_metrics(e.obj, now)
        if m is not None:
            out.append(m)
    return out


def node_metrics(store: ObjectStore, now: float) -> list[dict]:
    nodes, _rv, _n, _r = store.list_entries(lookup("nodes"), None)
    pods, _rv, _n, _r = store.list_entries(lookup("pods"), None)
    usage: dict[str, list[int]] = {}
    for e in pods:
        m = _pod_metrics(e.obj, now)
        node = e.obj.get("spec", {}).get("nodeName")
        if m is None or not node:
            continue
        acc = usage.setdefault(node, [0, 0])
        for c in m["containers"]:
            acc[0] += int(c["usage"]["cpu"][:-1])
            acc[1] += int(c["usage"]["memory"][:-2]) * 1024
    out = []
    for e in nodes:
        ready = any(
            c.get("type") == "Ready" and c.get("status") == "True"
            for c in e.obj.get("status", {}).get("conditions") or []
        )
        if not ready:
            continue
        name = e.obj["metadata"]["name"]
        cpu, mem = usage.get(name, [0, 0])
        cpu += 150_000_000 + _h(name) % 100_000_000  # kubelet, runtime, system daemons
        mem += 900 * 1024**2 + _h(name, "mem") % (300 * 1024**2)
        out.append(
            {
                "kind": "NodeMetrics",
                "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {
                    "name": name,
                    "creationTimestamp": rfc3339(now),
                    "labels": e.obj["metadata"].get("labels") or {},
                },
                "timestamp": rfc3339(now - 5),
                "window": WINDOW,
                "usage": {"cpu": f"{cpu}n", "memory": f"{mem // 1024}Ki"},
            }
        )
    return out
