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


def _canonical_list(resources: object) -> None:
    if isinstance(resources, dict):
        for name, value in resources.items():
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                resources[name] = canonical(value)


def _canonical_containers(pod_spec: object) -> None:
    if not isinstance(pod_spec, dict):
        return
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in pod_spec.get(key) or []:
            res = c.get("resources") if isinstance(c, dict) else None
            if isinstance(res, dict):
                _canonical_list(res.get("limits"))
                _canonical_list(res.get("requests"))
    if isinstance(pod_spec.get("resources"), dict):
        _canonical_list(pod_spec["resources"].get("limits"))
        _canonical_list(pod_spec["resources"].get("requests"))
    _canonical_list(pod_spec.get("overhead"))


def _pod_spec_of(obj: dict) -> object:
    spec = obj.get("spec") or {}
    kind = obj.get("kind")
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    return (spec.get("template") or {}).get("spec")


_POD_DEFAULTS = {
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": 30,
    "dnsPolicy": "ClusterFirst",
    "schedulerName": "default-scheduler",
    "enableServiceLinks": True,
}


def admit(obj: dict, *, created: bool) -> dict:
    """What the API server does to an object it is sent before storing it: resource
    quantities in canonical form (``1000m`` -> ``1``, ``1048576Ki`` -> ``1Gi``) and, for a
    pod being created, the defaults and what the Priority and DefaultTolerationSeconds
    admission plugins add (priority 0 when it names no class). Changes ``obj`` in place."""
    kind = obj.get("kind")
    raw_spec = obj.get("spec")
    spec: dict | None = raw_spec if isinstance(raw_spec, dict) else None
    _canonical_containers(_pod_spec_of(obj))
    raw_status = obj.get("status")
    status: dict = raw_status if isinstance(raw_status, dict) else {}
    if kind == "Node":
        _canonical_list(status.get("capacity"))
        _canonical_list(status.get("allocatable"))
    elif kind == "PersistentVolumeClaim" and spec is not None:
        _canonical_list((spec.get("resources") or {}).get("requests"))
        _canonical_list(status.get("capacity"))
    elif kind == "ResourceQuota":
        _canonical_list((spec or {}).get("hard"))
        _canonical_list(status.get("hard"))
        _canonical_list(status.get("used"))
    if kind == "Pod" and created and spec is not None:
        for key, value in _POD_DEFAULTS.items():
            spec.setdefault(key, value)
        spec.setdefault("securityContext", {})
        if spec.get("serviceAccountName") or spec.get("serviceAccount"):
            spec.setdefault("serviceAccountName", spec.get("serviceAccount"))
            spec.setdefault("serviceAccount", spec["serviceAccountName"])
        else:
            spec["serviceAccountName"] = spec["serviceAccount"] = "default"
        if "priority" not in spec and not spec.get("priorityClassName"):
            spec["priority"] = 0
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
        tolerations = list(spec.get("tolerations") or [])
        for default in DEFAULT_TOLERATIONS:
            if not any(
                t.get("key") == default["key"] and t.get("effect") in (None, "", "NoExecute")
                for t in tolerations
            ):
                tolerations.append(dict(default))
        spec["tolerations"] = tolerations
    return obj


DEFAULT_TOLERATIONS: list[dict] = [
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
]
"""What DefaultTolerationSeconds admission gives every pod that tolerates neither taint."""
