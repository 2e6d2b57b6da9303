"""The workloads of a generated cluster and what they own: daemonsets, deployments (with
their replicasets), statefulsets (with PVCs), cronjobs (with jobs), bare pods, and the
services, ingresses, configmaps and secrets that go with them.

One module, though near 600 lines: each method writes one workload together with every
object it owns or is served by, with owner references, selectors and names that must agree
with each other; split further, one object's fields would be decided in two places.
Pods themselves (placement, IPs, events) are `kite_tui.sim.podmaker.PodMaker`.
"""

from __future__ import annotations

from functools import cached_property

from kite_tui.sim import objects as o
from kite_tui.sim.cluster_objects import ClusterObjects
from kite_tui.sim.podmaker import TRICKY_NAMESPACE, PodMaker
from kite_tui.sim.store import rfc3339

__all__ = ["APPS", "WorkloadMaker"]

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


class WorkloadMaker(PodMaker):
    """Workloads and the objects they own, on top of `PodMaker`'s pods."""

    @cached_property
    def extras(self) -> ClusterObjects:
        """The objects beside the workloads (endpoints, volumes, autoscalers...)."""
        return ClusterObjects(self.put, self.now, self.sc.seed)

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
        # The previous rollout ran the image before this one, so only the new ReplicaSet's
        # template is the deployment's (that is how kubectl tells the new one apart).
        old_containers = [{**containers[0], "image": _previous_image(image)}, *containers[1:]]
        for h, lbl, n, t, cs in (
            (old_hash, old_labels, 0, created, old_containers),
            (hash_, rs_labels, replicas, rs_created, containers),
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
                    "template": o.template(lbl, cs, init),
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
        made = []
        for state in states:
            pod_created = rs_created + rng.uniform(1, 30)
            if state in ("Pending", "ContainerCreating", "ImagePullBackOff", "ErrImagePull"):
                pod_created = self.now - rng.uniform(30, 3600)
            pod = self.make_pod(
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
            made.append(pod)
        self.service(ns, name, labels, port or 8080, created, pods=made)
        if app is None:
            self.extras.deployment_extras(dep)
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
        made = []
        for i, state in enumerate(states):
            pod_name = f"{name}-{i}"
            pod = self.make_pod(
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
            made.append(pod)
            self.pvc(ns, f"data-{pod_name}", labels, created + 60 * (i + 1))
        self.service(ns, name, labels, port, created, headless=True, pods=made)
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
        pods: list[dict] | None = None,
    ) -> None:
        """The service of a workload, with the endpoints of its ``pods``."""
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
        svc = self.put(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": o.meta(name, created, rng, ns, labels={"app.kubernetes.io/name": name}),
                "spec": spec,
                "status": status,
            }
        )
        self.extras.service_endpoints(svc, pods or [])

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
        claim = self.put(
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
        self.extras.volume(claim)

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


def _previous_image(image: str) -> str:
    """The image a previous rollout ran: ``app:1.4.2`` -> ``app:1.4.1`` (``app:1.4.0`` ->
    ``app:1.3.0``... a tag without numbers gets ``-prev``)."""
    repo, sep, tag = image.rpartition(":")
    if not sep or "/" in tag:
        return f"{image}:prev"
    parts = tag.split(".")
    for i in range(len(parts) - 1, -1, -1):
        if parts[i].isdigit() and int(parts[i]) > 0:
            parts[i] = str(int(parts[i]) - 1)
            return f"{repo}:{'.'.join(parts)}"
    return f"{repo}:{tag}-prev"
