"""Just enough of the controllers for writes to look real: scaling workloads.

:func:`scale` sets a Deployment's, ReplicaSet's or StatefulSet's replicas and does what
the controllers would: the current ReplicaSet (or the StatefulSet itself) gets running
pods created or deleted to match, and the status counts follow. :func:`scale_object`
renders the ``autoscaling/v1`` Scale the ``/scale`` subresource serves.
"""

from __future__ import annotations

import hashlib
import json
import random
import time

from kite_tui.sim import objects as o
from kite_tui.sim.pods import pod as make_pod
from kite_tui.sim.selectors import format_label_selector
from kite_tui.sim.store import NotFound, ObjectStore, rfc3339

SCALABLE = {
    "Deployment": "deployments.apps",
    "ReplicaSet": "replicasets.apps",
    "StatefulSet": "statefulsets.apps",
}


def scale_object(obj: dict) -> dict:
    meta = obj["metadata"]
    spec, status = obj.get("spec", {}), obj.get("status", {})
    selector = format_label_selector(spec.get("selector"))
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in meta
        },
        "spec": {"replicas": spec.get("replicas", 1)},
        "status": {
            "replicas": status.get("replicas", 0),
            "selector": "" if selector == "<none>" else selector,
        },
    }


def _owned(store: ObjectStore, resource: str, ns: str, owner_uid: str) -> list[dict]:
    return [
        x
        for x in store.list(resource, ns)
        if any(r.get("uid") == owner_uid for r in x["metadata"].get("ownerReferences") or [])
    ]


def _ready(pod: dict) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in pod.get("status", {}).get("conditions") or []
    )


def _set_pods(store: ObjectStore, owner: dict, replicas: int, ordinal: bool) -> list[dict]:
    """Create or delete the owner's pods until there are ``replicas``; returns them."""
    ns = owner["metadata"]["namespace"]
    pods = sorted(
        _owned(store, "pods", ns, owner["metadata"]["uid"]),
        key=lambda p: p["metadata"]["creationTimestamp"],
    )
    while len(pods) > replicas:
        victim = max(pods, key=lambda p: p["metadata"]["name"]) if ordinal else pods[-1]
        store.delete("pods", ns, victim["metadata"]["name"])
        pods.remove(victim)
    rng = random.Random(f"{owner['metadata']['uid']}/{len(pods)}")
    now = time.time()
    nodes = [n["metadata"]["name"] for n in store.list("nodes")] or ["sim-control-plane"]
    template = owner["spec"].get("template", {})
    labels = dict(template.get("metadata", {}).get("labels") or {})
    name = owner["metadata"]["name"]
    existing = {p["metadata"]["name"] for p in pods}
    i = 0
    while len(pods) < replicas:
        pod_name = f"{name}-{i}" if ordinal else f"{name}-{o.suffix(rng)}"
        i += 1
        if pod_name in existing:
            continue
        pod = make_pod(
            pod_name,
            ns,
            created=now,
            now=now,
            rng=rng,
            containers=template.get("spec", {}).get("containers")
            or [o.container("app", "busybox")],
            node_name=rng.choice(nodes),
            pod_ip=f"10.244.{rng.randint(0, 255)}.{rng.randint(2, 250)}",
            labels=labels,
            owner=o.owner_ref(owner),
            generate_name=f"{name}-",
        )
        pod["metadata"].pop("uid")
        pods.append(store.create(pod))
        existing.add(pod_name)
    return pods


def _status_counts(obj: dict, pods: list[dict]) -> None:
    status = obj.setdefault("status", {})
    ready = sum(1 for p in pods if _ready(p))
    status["replicas"] = len(pods)
    status["readyReplicas"] = ready
    status["availableReplicas"] = ready
    if obj["kind"] in ("Deployment", "StatefulSet"):
        status["updatedReplicas"] = len(pods)
    if obj["kind"] == "Deployment":
        status.pop("unavailableReplicas", None)
        if ready < len(pods):
            status["unavailableReplicas"] = len(pods) - ready
    if obj["kind"] == "ReplicaSet":
        status["fullyLabeledReplicas"] = len(pods)


def scale(store: ObjectStore, kind: str, namespace: str, name: str, replicas: int) -> dict:
    """Scale a workload the way its controller would; returns the updated workload."""
    resource = SCALABLE[kind]
    with store.lock:
        obj = store.get(resource, namespace, name)
        if obj is None:
            raise NotFound(name)
        obj["spec"]["replicas"] = replicas
        if kind == "Deployment":
            sets = _owned(store, "replicasets.apps", namespace, obj["metadata"]["uid"])
            if sets:
                current = max(
                    sets,
                    key=lambda r: (
                        r["spec"].get("replicas", 0) > 0,
                        r["metadata"]["creationTimestamp"],
                    ),
                )
                scale(store, "ReplicaSet", namespace, current["metadata"]["name"], replicas)
                pods = _owned(store, "pods", namespace, current["metadata"]["uid"])
            else:
                pods = []
        else:
            pods = _set_pods(store, obj, replicas, ordinal=kind == "StatefulSet")
        _status_counts(obj, pods)
        obj["metadata"].setdefault("annotations", {})
        if kind == "Deployment":
            obj["status"]["observedGeneration"] = obj["status"].get("observedGeneration", 1)
        obj["metadata"]["annotations"]["kite-tui.sim/last-scale"] = rfc3339(time.time())
        return store.update(obj)


def rollout(store: ObjectStore, deployment: dict) -> dict:
    """What the Deployment controller does for a Deployment created through the API:
    revision 1, a ReplicaSet named after its pod template's hash (``pod-template-hash``
    in its selector and labels) and that ReplicaSet's pods; returns the Deployment."""
    meta, spec = deployment["metadata"], deployment["spec"]
    name, ns = meta["name"], meta["namespace"]
    template = json.loads(json.dumps(spec.get("template") or {}))
    digest = int(hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest(), 16)
    hash_ = "".join(o.ALPHABET[digest // len(o.ALPHABET) ** i % len(o.ALPHABET)] for i in range(10))
    labels = {**(template.get("metadata", {}).get("labels") or {}), "pod-template-hash": hash_}
    template.setdefault("metadata", {})["labels"] = labels
    selector = json.loads(json.dumps(spec.get("selector") or {}))
    selector.setdefault("matchLabels", {})["pod-template-hash"] = hash_
    replicas = spec.get("replicas", 1)
    revision = {"deployment.kubernetes.io/revision": "1"}
    store.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": f"{name}-{hash_}",
                "namespace": ns,
                "labels": labels,
                "annotations": {
                    "deployment.kubernetes.io/desired-replicas": str(replicas),
                    **revision,
                },
                "ownerReferences": [o.owner_ref(deployment)],
            },
            "spec": {"replicas": 0, "selector": selector, "template": template},
            "status": {"replicas": 0},
        }
    )
    with store.lock:
        current = store.get("deployments.apps", ns, name)
        if current is None:
            raise NotFound(name)
        current["metadata"].setdefault("annotations", {}).update(revision)
        store.update(current)
    return scale(store, "Deployment", ns, name, replicas)
