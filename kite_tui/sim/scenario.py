"""Scenarios: realistic clusters of a given size, and objects loaded from files.

``Scenario(nodes=3, namespaces=4, pods=100, failing_fraction=0.1, seed=0)`` builds a
deterministic cluster (same seed, same objects): system namespaces and kube-system
workloads, app namespaces full of deployments (owning replicasets owning pods),
statefulsets with PVCs, daemonsets, cronjobs owning jobs owning pods, services,
ingresses, configmaps, secrets, and events for whatever is failing. About
``failing_fraction`` of the app pods are in one of the tricky states of
:data:`kite_tui.sim.objects.POD_STATES`; ``tricky=True`` adds one pod per state in the
``tricky`` namespace. :func:`load_objects` reads a ``kubectl get -o yaml`` dump, a
``List``, multi-document YAML or JSON.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from kite_tui.sim import objects as o
from kite_tui.sim.store import ObjectStore, rfc3339

# One bare pod per state of `objects.POD_STATES`: a showcase that churn leaves as it is.
TRICKY_NAMESPACE = "tricky"
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
APP_NAMESPACES = (
    "shop",
    "payments",
    "search",
    "auth",
    "analytics",
    "monitoring",
    "data",
    "ml-serving",
    "platform",
    "notifications",
    "media",
    "billing",
)
APPS = (
    ("web", "nginx:1.27.3", 8080),
    ("api", "ghcr.io/acme/api:2.14.1", 8080),
    ("worker", "ghcr.io/acme/worker:2.14.1", None),
    ("frontend", "ghcr.io/acme/frontend:5.2.0", 3000),
    ("cart", "ghcr.io/acme/cart:1.8.4", 8080),
    ("checkout", "ghcr.io/acme/checkout:3.1.0", 8080),
    ("gateway", "envoyproxy/envoy:v1.32.2", 8443),
    ("auth", "ghcr.io/acme/auth:4.0.2", 9000),
    ("search", "ghcr.io/acme/search:1.3.7", 9200),
    ("recommender", "ghcr.io/acme/reco:0.9.12", 8000),
    ("notifier", "ghcr.io/acme/notifier:1.1.0", None),
    ("cache", "redis:7.4.1", 6379),
)
FAILING_STATES = (
    "CrashLoopBackOff",
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "OOMKilled",
    "Pending",
    "ContainerCreating",
    "Init:0/2",
    "Init:CrashLoopBackOff",
    "Terminating",
    "Evicted",
    "PartiallyReady",
    "NotReady",
    "SchedulingGated",
)


def base_objects(now: float | None = None, *, seed: int = 0) -> list[dict]:
    """The bare minimum of a cluster: the system namespaces and one ready node."""
    now = time.time() if now is None else now
    rng = random.Random(seed)
    created = now - 30 * 86400
    objs = [o.namespace(n, created, rng) for n in SYSTEM_NAMESPACES]
    objs.append(o.node("sim-control-plane", 0, created, rng, control_plane=True))
    return objs


@dataclass
class Scenario:
    """A generated cluster; see the module docstring."""

    nodes: int = 3
    namespaces: int = 4
    pods: int = 100
    failing_fraction: float = 0.1
    seed: int = 0
    tricky: bool = False

    def populate(self, store: ObjectStore, *, now: float | None = None) -> None:
        """Create every object of the scenario in ``store``."""
        b = _Builder(self, store, time.time() if now is None else now)
        b.build()


class _Builder:
    def __init__(self, sc: Scenario, store: ObjectStore, now: float) -> None:
        self.sc = sc
        self.store = store
        self.now = now
        self.rng = random.Random(sc.seed)
        self.node_names: list[str] = []
        self.node_ips: dict[str, str] = {}
        self.pod_count = 0
        self.ip_counter = 0
        self.svc_counter = 0

    def put(self, obj: dict) -> dict:
        self.store.create(obj, copy=False)
        return obj

    def age(self, lo_days: float = 0.02, hi_days: float = 60.0) -> float:
        return self.now - self.rng.uniform(lo_days, hi_days) * 86400

    # ----------------------------------------------------------------- cluster
    def build(self) -> None:
        sc, rng = self.sc, self.rng
        cluster_created = self.now - 120 * 86400
        for n in SYSTEM_NAMESPACES:
            self.put(o.namespace(n, cluster_created, rng))
        for i in range(max(sc.nodes, 1)):
            cp = i == 0 and sc.nodes >= 3
            if cp:
                name = "control-plane-1"
            else:
                name = f"worker-{i:02d}" if sc.nodes >= 3 else f"node-{i + 1}"
            ready = not (sc.nodes >= 8 and i == sc.nodes - 1 and sc.failing_fraction > 0)
            doc = o.node(name, i, cluster_created + i * 60, rng, control_plane=cp, ready=ready)
            self.put(doc)
            if ready and not cp:
                self.node_names.append(name)
            self.node_ips[name] = doc["status"]["addresses"][0]["address"]
        if not self.node_names:
            self.node_names = list(self.node_ips)
        app_ns = []
        for i in range(sc.namespaces):
            name = APP_NAMESPACES[i % len(APP_NAMESPACES)]
            if i >= len(APP_NAMESPACES):
                name = f"{name}-{i // len(APP_NAMESPACES) + 1}"
            self.put(o.namespace(name, self.age(10, 100), rng))
            app_ns.append(name)
        self.system_workloads()
        if sc.tricky:
            self.put(o.namespace(TRICKY_NAMESPACE, self.age(1, 2), rng))
            for state in o.POD_STATES:
                self.bare_pod(
                    TRICKY_NAMESPACE, state.lower().replace(":", "-").replace("/", "-"), state
                )
        namespaces = app_ns or ["default"]
        i = 0
        while self.pod_count < sc.pods:
            ns = namespaces[i % len(namespaces)]
            left = sc.pods - self.pod_count
            roll = rng.random()
            if roll < 0.75 or left < 2:
                self.deployment(ns, min(left, rng.choice((1, 2, 2, 3, 3, 4, 6))))
            elif roll < 0.87:
                self.statefulset(ns, min(left, rng.choice((1, 3, 3))))
            elif roll < 0.97:
                self.cronjob(ns, min(left, rng.choice((1, 2, 3))))
            else:
                self.bare_pod(ns, f"debug-{o.suffix(rng)}", "Running")
            i += 1

    def next_ip(self) -> str:
        self.ip_counter += 1
        n = self.ip_counter
        return f"10.244.{(n // 250) % 256}.{n % 250 + 2}"

    def next_cluster_ip(self) -> str:
        self.svc_counter += 1
        n = self.svc_counter
        return f"10.96.{(n // 250) % 256}.{n % 250 + 2}"

    def pick_state(self) -> str:
        if self.rng.random() < self.sc.failing_fraction:
            return self.rng.choice(FAILING_STATES)
        return "Running"

    def make_pod(
        self,
        name: str,
        ns: str,
        containers: list[dict],
        labels: dict,
        owner: dict | None,
        created: float,
        state: str,
        *,
        node: str | None = None,
        restart_policy: str = "Always",
        init: list[dict] | None = None,
        generate_name: str | None = None,
    ) -> dict:
        rng = self.rng
        node = node or rng.choice(self.node_names)
        restarts = rng.choice((0, 0, 0, 0, 0, 1, 2)) if state == "Running" else 0
        doc = o.pod(
            name,
            ns,
            created=created,
            now=self.now,
            rng=rng,
            containers=containers,
            node_name=node,
            host_ip=self.node_ips.get(node, ""),
            pod_ip=self.next_ip(),
            labels=labels,
            owner=owner,
            init_containers=init,
            state=state,
            restarts=restarts,
            restart_policy=restart_policy,
            generate_name=generate_name,
        )
        self.put(doc)
        self.pod_count += 1
        self.pod_events(doc, state, node)
        return doc

    def pod_events(self, pod: dict, state: str, node: str) -> None:
        rng, ns = self.rng, pod["metadata"]["namespace"]
        name = pod["metadata"]["name"]
        c = pod["spec"]["containers"][0]["name"]
        path = f"spec.containers{{{c}}}"
        recent = self.now - rng.uniform(30, 3000)

        def ev(
            reason: str,
            msg: str,
            type_: str = "Warning",
            count: int = 1,
            component: str = "kubelet",
            host: str | None = node,
            field_path: str | None = path,
        ) -> None:
            self.put(
                o.event(
                    name,
                    ns,
                    pod,
                    reason=reason,
                    message=msg,
                    type_=type_,
                    first=recent - count * 30,
                    last=recent,
                    count=count,
                    component=component,
                    host=host,
                    rng=rng,
                    field_path=field_path,
                )
            )

        if state == "CrashLoopBackOff":
            ev(
                "BackOff",
                f"Back-off restarting failed container {c} in pod {name}_{ns}"
                f"({pod['metadata']['uid']})",
                count=rng.randint(5, 200),
            )
        elif state in ("ImagePullBackOff", "ErrImagePull"):
            image = pod["spec"]["containers"][0]["image"]
            ev("Failed", f'Failed to pull image "{image}": not found', count=rng.randint(2, 40))
            ev("BackOff", f'Back-off pulling image "{image}"', count=rng.randint(2, 80))
        elif state == "Pending":
            ev(
                "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient cpu. preemption: "
                "0/3 nodes are available: 3 No preemption victims found for incoming pod.",
                component="default-scheduler",
                host=None,
                field_path=None,
            )
        elif state == "OOMKilled":
            ev(
                "BackOff",
                f"Back-off restarting failed container {c} in pod {name}_{ns}",
                count=rng.randint(2, 30),
            )
        elif state == "Evicted":
            ev("Evicted", "The node was low on resource: memory.", field_path=None)
        elif rng.random() < 0.05:
            ev(
                "Pulled",
                f'Container image "{pod["spec"]["containers"][0]["image"]}" already '
                "present on machine",
                type_="Normal",
            )
            ev("Started", f"Started container {c}", type_="Normal")

    # --------------------------------------------------------------- workloads
    def system_workloads(self) -> None:
        created = self.now - 119 * 86400
        for ds_name, image in (
            ("kube-proxy", "registry.k8s.io/kube-proxy:v1.37.0"),
            ("cilium", "quay.io/cilium/cilium:v1.16.4"),
        ):
            self.daemonset("kube-system", ds_name, image, created)
        self.deployment(
            "kube-system",
            2,
            app=("coredns", "registry.k8s.io/coredns/coredns:v1.11.3", 53),
            created=created,
            healthy=True,
        )
        self.deployment(
            "kube-system",
            1,
            app=("metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.7.2", 10250),
            created=created,
            healthy=True,
        )

    def daemonset(self, ns: str, name: str, image: str, created: float) -> None:
        rng = self.rng
        labels = {"k8s-app": name}
        c = o.container(name, image, cpu="100m", memory="128Mi")
        ds: dict = {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": o.meta(
                name,
                created,
                rng,
                ns,
                labels=labels,
                annotations={"deprecated.daemonset.template.generation": "1"},
            ),
            "spec": {
                "selector": {"matchLabels": labels},
                "template": o.template(labels, [c]),
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            },
        }
        ds["spec"]["template"]["spec"]["nodeSelector"] = {"kubernetes.io/os": "linux"}
        n = len(self.node_ips)
        ds["status"] = {
            "currentNumberScheduled": n,
            "desiredNumberScheduled": n,
            "numberMisscheduled": 0,
            "numberReady": n,
            "numberAvailable": n,
            "updatedNumberScheduled": n,
            "observedGeneration": 1,
        }
        self.put(ds)
        ref = o.owner_ref(ds)
        for node in self.node_ips:
            self.make_pod(
                f"{name}-{o.suffix(rng)}",
                ns,
                [c],
                {**labels, "controller-revision-hash": o.suffix(rng, 10)},
                ref,
                created + 60,
                "Running",
                node=node,
                generate_name=f"{name}-",
            )

    def deployment(
        self,
        ns: str,
        replicas: int,
        *,
        app: tuple | None = None,
        created: float | None = None,
        healthy: bool = False,
    ) -> None:
        rng = self.rng
        base, image, port = app or rng.choice(APPS)
        name = base if app else f"{base}-{o.suffix(rng, 4)}"
        created = created if created is not None else self.age(0.5, 90)
        labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": ns}
        containers = [
            o.container(
                base,
                image,
                port=port,
                cpu=rng.choice(("50m", "100m", "250m")),
                memory=rng.choice(("64Mi", "128Mi", "256Mi", "512Mi")),
            )
        ]
        init = None
        if not app and rng.random() < 0.1:
            init = [
                o.container(
                    "istio-proxy",
                    "istio/proxyv2:1.24.1",
                    cpu="50m",
                    memory="64Mi",
                    restart_always=True,
                )
            ]
        dep: dict = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": o.meta(
                name,
                created,
                rng,
                ns,
                labels=labels,
                annotations={"deployment.kubernetes.io/revision": "2"},
            ),
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": labels},
                "template": o.template(labels, containers, init),
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
                },
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
            },
        }
        pods_ready = 0
        rs_created = created + rng.uniform(0, self.now - created)
        hash_ = o.suffix(rng, 10)
        rs_labels = {**labels, "pod-template-hash": hash_}
        rs_name = f"{name}-{hash_}"
        # an old, scaled-down ReplicaSet from the previous rollout
        old_hash = o.suffix(rng, 10)
        old_labels = {**labels, "pod-template-hash": old_hash}
        states = [("Running" if healthy else self.pick_state()) for _ in range(replicas)]
        if init:
            states = ["Sidecar" if s == "Running" else s for s in states]
        pods_ready = sum(1 for s in states if s in ("Running", "Sidecar", "Terminating"))
        t_created = rfc3339(created)
        dep["status"] = {
            "observedGeneration": 2,
            "replicas": replicas,
            "updatedReplicas": replicas,
            "readyReplicas": pods_ready,
            "availableReplicas": pods_ready,
            "conditions": [
                {
                    "type": "Available",
                    "status": "True" if pods_ready == replicas else "False",
                    "lastUpdateTime": t_created,
                    "lastTransitionTime": t_created,
                    "reason": "MinimumReplicasAvailable"
                    if pods_ready == replicas
                    else "MinimumReplicasUnavailable",
                    "message": "Deployment has minimum availability."
                    if pods_ready == replicas
                    else "Deployment does not have minimum availability.",
                },
                {
                    "type": "Progressing",
                    "status": "True",
                    "lastUpdateTime": t_created,
                    "lastTransitionTime": t_created,
                    "reason": "NewReplicaSetAvailable",
                    "message": f'ReplicaSet "{rs_name}" has successfully progressed.',
                },
            ],
        }
        if pods_ready < replicas:
            dep["status"]["unavailableReplicas"] = replicas - pods_ready
            if pods_ready == 0:
                del dep["status"]["readyReplicas"]
                del dep["status"]["availableReplicas"]
        self.put(dep)
        ref = o.owner_ref(dep)
        for h, lbl, n, t in (
            (old_hash, old_labels, 0, created),
            (hash_, rs_labels, replicas, rs_created),
        ):
            rs: dict = {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": o.meta(
                    f"{name}-{h}",
                    t,
                    rng,
                    ns,
                    labels=lbl,
                    owner=ref,
                    annotations={
                        "deployment.kubernetes.io/desired-replicas": str(replicas),
                        "deployment.kubernetes.io/revision": "1" if n == 0 else "2",
                    },
                ),
                "spec": {
                    "replicas": n,
                    "selector": {"matchLabels": lbl},
                    "template": o.template(lbl, containers, init),
                },
                "status": {"replicas": n, "observedGeneration": 1},
            }
            if n:
                rs["status"].update(
                    fullyLabeledReplicas=n, readyReplicas=pods_ready, availableReplicas=pods_ready
                )
                if pods_ready == 0:
                    del rs["status"]["readyReplicas"]
                    del rs["status"]["availableReplicas"]
            self.put(rs)
        rs_ref = o.owner_ref(rs)
        for state in states:
            pod_created = rs_created + rng.uniform(1, 30)
            if state in ("Pending", "ContainerCreating", "ImagePullBackOff", "ErrImagePull"):
                pod_created = self.now - rng.uniform(30, 3600)
            self.make_pod(
                f"{rs_name}-{o.suffix(rng)}",
                ns,
                containers,
                rs_labels,
                rs_ref,
                min(pod_created, self.now - 5),
                state,
                init=init,
                generate_name=f"{rs_name}-",
            )
        self.service(ns, name, labels, port or 8080, created)
        if app is None and rng.random() < 0.5:
            self.configmap(ns, f"{name}-config", created)
        if app is None and port and rng.random() < 0.2:
            self.ingress(ns, name, port, created + rng.uniform(0, self.now - created))

    def statefulset(self, ns: str, replicas: int) -> None:
        rng = self.rng
        base, image, port = rng.choice(
            (
                ("postgres", "postgres:16.6", 5432),
                ("redis", "redis:7.4.1", 6379),
                ("kafka", "bitnami/kafka:3.9.0", 9092),
                ("elasticsearch", "elasticsearch:8.16.1", 9200),
            )
        )
        name = f"{base}-{o.suffix(rng, 4)}"
        created = self.age(5, 100)
        labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/component": base}
        containers = [o.container(base, image, port=port, cpu="250m", memory="512Mi")]
        sts: dict = {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": o.meta(name, created, rng, ns, labels=labels),
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": labels},
                "serviceName": name,
                "template": o.template(labels, containers),
                "podManagementPolicy": "OrderedReady",
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            },
        }
        states = [self.pick_state() for _ in range(replicas)]
        ready = sum(1 for s in states if s in ("Running", "Terminating"))
        rev = f"{name}-{o.suffix(rng, 10)}"
        sts["status"] = {
            "observedGeneration": 1,
            "replicas": replicas,
            "readyReplicas": ready,
            "currentReplicas": replicas,
            "updatedReplicas": replicas,
            "currentRevision": rev,
            "updateRevision": rev,
            "collisionCount": 0,
            "availableReplicas": ready,
        }
        self.put(sts)
        ref = o.owner_ref(sts)
        for i, state in enumerate(states):
            pod_name = f"{name}-{i}"
            self.make_pod(
                pod_name,
                ns,
                containers,
                {
                    **labels,
                    "controller-revision-hash": rev,
                    "statefulset.kubernetes.io/pod-name": pod_name,
                },
                ref,
                created + 60 * (i + 1),
                state,
                generate_name=f"{name}-",
            )
            self.pvc(ns, f"data-{pod_name}", labels, created + 60 * (i + 1))
        self.service(ns, name, labels, port, created, headless=True)
        self.secret(ns, f"{name}-credentials", created)

    def cronjob(self, ns: str, runs: int) -> None:
        rng = self.rng
        base = rng.choice(("report", "backup", "cleanup", "sync", "digest"))
        name = f"{base}-{o.suffix(rng, 4)}"
        created = self.age(3, 60)
        containers = [
            o.container(
                base, f"ghcr.io/acme/{base}:1.{rng.randint(0, 9)}.0", cpu="100m", memory="128Mi"
            )
        ]
        job_tmpl: dict = {
            "template": {
                "metadata": {},
                "spec": {
                    "containers": containers,
                    "restartPolicy": "OnFailure",
                    "terminationGracePeriodSeconds": 30,
                    "dnsPolicy": "ClusterFirst",
                    "securityContext": {},
                    "schedulerName": "default-scheduler",
                },
            },
            "backoffLimit": 6,
            "completionMode": "NonIndexed",
            "suspend": False,
        }
        last = self.now - rng.uniform(60, 3000)
        cj: dict = {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": o.meta(name, created, rng, ns),
            "spec": {
                "schedule": rng.choice(("*/15 * * * *", "0 * * * *", "30 2 * * *")),
                "concurrencyPolicy": "Forbid",
                "suspend": False,
                "jobTemplate": {"metadata": {}, "spec": job_tmpl},
                "successfulJobsHistoryLimit": 3,
                "failedJobsHistoryLimit": 1,
            },
            "status": {"lastScheduleTime": rfc3339(last), "lastSuccessfulTime": rfc3339(last + 40)},
        }
        self.put(cj)
        ref = o.owner_ref(cj)
        for i in range(runs):
            started = last - i * 900
            failed = rng.random() < self.sc.failing_fraction
            job_name = f"{name}-{int(started // 60)}"
            controller_uid = o.uid(rng)
            labels = {
                "batch.kubernetes.io/controller-uid": controller_uid,
                "batch.kubernetes.io/job-name": job_name,
                "controller-uid": controller_uid,
                "job-name": job_name,
            }
            job: dict = {
                "apiVersion": "batch/v1",
                "kind": "Job",
                "metadata": o.meta(job_name, started, rng, ns, labels=labels, owner=ref),
                "spec": {
                    **job_tmpl,
                    "parallelism": 1,
                    "completions": 1,
                    "selector": {
                        "matchLabels": {"batch.kubernetes.io/controller-uid": controller_uid}
                    },
                    "template": {**job_tmpl["template"], "metadata": {"labels": labels}},
                },
            }
            done = rfc3339(started + 35)
            job["status"] = (
                {
                    "conditions": [
                        {
                            "type": "FailureTarget",
                            "status": "True",
                            "lastProbeTime": done,
                            "lastTransitionTime": done,
                            "reason": "BackoffLimitExceeded",
                            "message": "Job has reached the specified backoff limit",
                        },
                        {
                            "type": "Failed",
                            "status": "True",
                            "lastProbeTime": done,
                            "lastTransitionTime": done,
                            "reason": "BackoffLimitExceeded",
                            "message": "Job has reached the specified backoff limit",
                        },
                    ],
                    "startTime": rfc3339(started),
                    "failed": 1,
                    "terminating": 0,
                    "ready": 0,
                }
                if failed
                else {
                    "conditions": [
                        {
                            "type": "SuccessCriteriaMet",
                            "status": "True",
                            "lastProbeTime": done,
                            "lastTransitionTime": done,
                        },
                        {
                            "type": "Complete",
                            "status": "True",
                            "lastProbeTime": done,
                            "lastTransitionTime": done,
                        },
                    ],
                    "startTime": rfc3339(started),
                    "completionTime": done,
                    "succeeded": 1,
                    "terminating": 0,
                    "ready": 0,
                }
            )
            self.put(job)
            self.make_pod(
                f"{job_name}-{o.suffix(rng)}",
                ns,
                containers,
                labels,
                o.owner_ref(job),
                started,
                "Error" if failed else "Completed",
                restart_policy="OnFailure",
                generate_name=f"{job_name}-",
            )

    def bare_pod(self, ns: str, name: str, state: str) -> None:
        base, image, port = self.rng.choice(APPS)
        containers = [o.container(base, image, port=port)]
        created = self.now - self.rng.uniform(600, 86400 * 3)
        restarts = 3 if state in ("Running", "Sidecar") and ns == TRICKY_NAMESPACE else 0
        self.make_pod(name, ns, containers, {"run": name}, None, created, state)
        if restarts:

            def bump(p: dict) -> None:
                last = self.now - 300
                for cs in p["status"].get("containerStatuses") or []:
                    if "running" in cs["state"]:
                        cs["restartCount"] = restarts
                        cs["lastState"] = {
                            "terminated": {
                                "exitCode": 137,
                                "reason": "Error",
                                "startedAt": cs["state"]["running"]["startedAt"],
                                "finishedAt": rfc3339(last),
                            }
                        }
                        cs["state"] = {"running": {"startedAt": rfc3339(last + 1)}}

            self.store.modify("pods", ns, name, bump)

    # ----------------------------------------------------------- side objects
    def service(
        self,
        ns: str,
        name: str,
        selector: dict,
        port: int,
        created: float,
        *,
        headless: bool = False,
    ) -> None:
        rng = self.rng
        lb = not headless and rng.random() < 0.05
        spec: dict = {
            "selector": selector,
            "ports": [{"name": "http", "protocol": "TCP", "port": port, "targetPort": port}],
            "type": "LoadBalancer" if lb else "ClusterIP",
            "sessionAffinity": "None",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "internalTrafficPolicy": "Cluster",
        }
        if headless:
            spec["clusterIP"] = "None"
            spec["clusterIPs"] = ["None"]
        else:
            ip = self.next_cluster_ip()
            spec["clusterIP"] = ip
            spec["clusterIPs"] = [ip]
        status: dict = {"loadBalancer": {}}
        if lb:
            spec["ports"][0]["nodePort"] = 30000 + rng.randint(0, 2767)
            spec["externalTrafficPolicy"] = "Cluster"
            spec["allocateLoadBalancerNodePorts"] = True
            status = {
                "loadBalancer": {
                    "ingress": [{"ip": f"203.0.113.{rng.randint(2, 250)}", "ipMode": "VIP"}]
                }
            }
        self.put(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": o.meta(name, created, rng, ns, labels={"app.kubernetes.io/name": name}),
                "spec": spec,
                "status": status,
            }
        )

    def configmap(self, ns: str, name: str, created: float) -> None:
        rng = self.rng
        data = {
            "LOG_LEVEL": rng.choice(("info", "debug", "warn")),
            "FEATURE_FLAGS": "search-v2,new-checkout",
            "app.yaml": "server:\n  port: 8080\n  timeout: 30s\n",
        }
        self.put(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": o.meta(name, created, rng, ns),
                "data": data,
            }
        )

    def secret(self, ns: str, name: str, created: float) -> None:
        rng = self.rng
        self.put(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "type": "Opaque",
                "metadata": o.meta(name, created, rng, ns),
                "data": {"username": "YXBw", "password": "czNjcjN0LXBhc3N3b3Jk"},
            }
        )

    def pvc(self, ns: str, name: str, labels: dict, created: float) -> None:
        rng = self.rng
        vol = f"pvc-{o.uid(rng)}"
        size = rng.choice(("1Gi", "10Gi", "20Gi", "100Gi"))
        self.put(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": o.meta(
                    name,
                    created,
                    rng,
                    ns,
                    labels=labels,
                    annotations={"pv.kubernetes.io/bind-completed": "yes"},
                ),
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": size}},
                    "storageClassName": "standard",
                    "volumeMode": "Filesystem",
                    "volumeName": vol,
                },
                "status": {
                    "phase": "Bound",
                    "accessModes": ["ReadWriteOnce"],
                    "capacity": {"storage": size},
                },
            }
        )

    def ingress(self, ns: str, name: str, port: int, created: float) -> None:
        rng = self.rng
        host = f"{name}.{ns}.example.com"
        tls = rng.random() < 0.6
        spec: dict = {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": name, "port": {"number": port}}},
                            }
                        ]
                    },
                }
            ],
        }
        if tls:
            spec["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
        self.put(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": o.meta(name, created, rng, ns),
                "spec": spec,
                "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}},
            }
        )


# ------------------------------------------------------------------- loading
def _iter_docs(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _iter_docs(item)
        return
    if not isinstance(data, dict):
        return
    kind = data.get("kind", "")
    if isinstance(data.get("items"), list) and (kind == "List" or kind.endswith("List")):
        item_kind = kind[:-4] if kind.endswith("List") and kind != "List" else None
        for item in data["items"]:
            if isinstance(item, dict):
                if item_kind and "kind" not in item:
                    item = {"kind": item_kind, "apiVersion": data.get("apiVersion"), **item}
                yield from _iter_docs(item)
        return
    if kind:
        yield data


def load_objects(path: str | os.PathLike) -> list[dict]:
    """Objects from a YAML (multi-document) or JSON file; ``List``/``*List`` are flattened."""
    p = Path(path)
    text = p.read_text()
    if p.suffix == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            return list(_iter_docs(json.loads(text)))
        except ValueError:
            pass
    return [d for doc in yaml.safe_load_all(text) for d in _iter_docs(doc)]
