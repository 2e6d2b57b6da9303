"""Builders for realistic Kubernetes objects in their JSON wire shape.

Every builder returns a plain dict that the kubernetes client's strict models accept.
Pods, whose layout depends on their state, are `kite_tui.sim.pods`.
"""

from __future__ import annotations

import random
import uuid

from kite_tui.core.kube.quantity import canonical
from kite_tui.sim.store import rfc3339

ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def suffix(rng: random.Random, n: int = 5) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def meta(
    name: str,
    created: float,
    rng: random.Random,
    namespace: str | None = None,
    labels: dict | None = None,
    annotations: dict | None = None,
    owner: dict | None = None,
    generate_name: str | None = None,
) -> dict:
    m: dict = {"name": name}
    if generate_name:
        m["generateName"] = generate_name
    if namespace is not None:
        m["namespace"] = namespace
    m["uid"] = uid(rng)
    m["creationTimestamp"] = rfc3339(created)
    if labels:
        m["labels"] = labels
    if annotations:
        m["annotations"] = annotations
    if owner:
        m["ownerReferences"] = [owner]
    return m


def owner_ref(obj: dict) -> dict:
    return {
        "apiVersion": obj["apiVersion"],
        "kind": obj["kind"],
        "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def namespace(name: str, created: float, rng: random.Random) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": meta(name, created, rng, labels={"kubernetes.io/metadata.name": name}),
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def node(
    name: str,
    index: int,
    created: float,
    rng: random.Random,
    *,
    control_plane: bool = False,
    ready: bool = True,
    cpu: int = 8,
    memory_gi: int = 32,
) -> dict:
    ip = f"10.0.{index // 200}.{index % 200 + 10}"
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "topology.kubernetes.io/zone": f"zone-{'abc'[index % 3]}",
    }
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
    t = rfc3339(created)

    def cond(type_: str, status: str, reason: str, message: str) -> dict:
        return {
            "type": type_,
            "status": status,
            "lastHeartbeatTime": t,
            "lastTransitionTime": t,
            "reason": reason,
            "message": message,
        }

    conditions = [
        cond(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        cond(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status")
        if ready
        else cond("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."),
    ]
    mem_ki = memory_gi * 1024 * 1024
    spec: dict = {
        "podCIDR": f"10.244.{index}.0/24",
        "podCIDRs": [f"10.244.{index}.0/24"],
        "providerID": f"sim://{name}",
    }
    if control_plane:
        spec["taints"] = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta(
            name, created, rng, labels=labels, annotations={"node.alpha.kubernetes.io/ttl": "0"}
        ),
        "spec": spec,
        "status": {
            # In the canonical form the API server writes quantities in: 32Gi, not 33554432Ki.
            "capacity": {
                "cpu": canonical(cpu),
                "ephemeral-storage": canonical("102687672Ki"),
                "memory": canonical(f"{mem_ki}Ki"),
                "pods": "110",
            },
            "allocatable": {
                "cpu": canonical(f"{cpu * 1000 - 100}m"),
                "ephemeral-storage": canonical("94636136346"),
                "memory": canonical(f"{mem_ki - 512 * 1024}Ki"),
                "pods": "110",
            },
            "conditions": conditions,
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": name},
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": uuid.UUID(int=rng.getrandbits(128)).hex,
                "systemUUID": uid(rng),
                "bootID": uid(rng),
                "kernelVersion": "6.8.0-1015-aws",
                "osImage": "Ubuntu 24.04.1 LTS",
                "containerRuntimeVersion": "containerd://2.0.1",
                "kubeletVersion": "v1.37.0",
                "kubeProxyVersion": "v1.37.0",
                "operatingSystem": "linux",
                "architecture": "amd64",
            },
        },
    }


def container(
    name: str,
    image: str,
    *,
    port: int | None = None,
    cpu: str = "100m",
    memory: str = "128Mi",
    restart_always: bool = False,
) -> dict:
    c: dict = {"name": name, "image": image}
    if port:
        c["ports"] = [{"containerPort": port, "protocol": "TCP"}]
    cpu, memory = canonical(cpu), canonical(memory)
    c["resources"] = {"limits": {"memory": memory}, "requests": {"cpu": cpu, "memory": memory}}
    if restart_always:
        c["restartPolicy"] = "Always"
    return c


def template(labels: dict, containers: list[dict], init: list[dict] | None = None) -> dict:
    spec: dict = {}
    if init:
        spec["initContainers"] = init
    spec.update(
        {
            "containers": containers,
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "securityContext": {},
            "schedulerName": "default-scheduler",
        }
    )
    return {"metadata": {"labels": labels}, "spec": spec}


def event(
    name: str,
    ns: str,
    involved: dict,
    *,
    reason: str,
    message: str,
    type_: str,
    first: float,
    last: float,
    count: int,
    component: str,
    host: str | None,
    rng: random.Random,
    field_path: str | None = None,
) -> dict:
    inv = {
        "kind": involved["kind"],
        "namespace": ns,
        "name": involved["metadata"]["name"],
        "uid": involved["metadata"]["uid"],
        "apiVersion": involved["apiVersion"],
    }
    if field_path:
        inv["fieldPath"] = field_path
    src = {"component": component}
    if host:
        src["host"] = host
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": meta(f"{name}.{rng.getrandbits(64):016x}", first, rng, ns),
        "involvedObject": inv,
        "reason": reason,
        "message": message,
        "source": src,
        "firstTimestamp": rfc3339(first),
        "lastTimestamp": rfc3339(last),
        "count": count,
        "type": type_,
        "eventTime": None,
        "reportingComponent": component,
        "reportingInstance": host or "",
    }
