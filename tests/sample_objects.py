"""Fixed Kubernetes objects shared by the core and UI tests, and a client for a simulator.

`web_pod`, `pod_event`, `web_events` and `web_secret` build objects with fixed uids and
timestamps, so describe output, YAML and snapshots stay the same from run to run.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient, build_client
from kite_tui.core.kube.objects import ObjectRef
from kite_tui.sim.server import SimServer

CREATED = "2026-03-01T09:00:00Z"
STARTED = "2026-03-01T09:00:05Z"
NOW = datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC).timestamp()
POD_UID = "5b0f6a51-7a4e-4d8e-9a43-2f7c1f0e9a01"
POD_REF = ObjectRef("", "v1", "pods", "Pod", "web-7d4b9c-x2x8k", "shop")
SECRET_REF = ObjectRef("", "v1", "secrets", "Secret", "web-credentials", "shop")


def ts(minutes: float) -> str:
    """A timestamp ``minutes`` after 09:00 on the fixed day."""
    return datetime.fromtimestamp(NOW - 3600 + minutes * 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def web_pod() -> dict[str, Any]:
    """A running two-container pod with managedFields, a restart and a volume."""
    running = {"running": {"startedAt": STARTED}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": POD_REF.name,
            "namespace": "shop",
            "uid": POD_UID,
            "creationTimestamp": CREATED,
            "labels": {"app": "web", "pod-template-hash": "7d4b9c"},
            "annotations": {"kubectl.kubernetes.io/default-container": "web"},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "web-7d4b9c",
                    "uid": "1d6f3f7e-3b1a-4a55-8e0b-6c2c9c1b7a10",
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
            "managedFields": [
                {
                    "manager": "kube-controller-manager",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": CREATED,
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}},
                }
            ],
        },
        "spec": {
            "nodeName": "sim-control-plane",
            "serviceAccountName": "default",
            "restartPolicy": "Always",
            "priority": 0,
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.27.3",
                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                    "env": [{"name": "LOG_LEVEL", "value": "info"}],
                    "resources": {
                        "limits": {"memory": "128Mi"},
                        "requests": {"cpu": "100m", "memory": "128Mi"},
                    },
                    "volumeMounts": [
                        {"name": "config", "mountPath": "/etc/nginx/conf.d", "readOnly": True}
                    ],
                },
                {"name": "metrics", "image": "prom/statsd-exporter:v0.27.1"},
            ],
            "volumes": [{"name": "config", "configMap": {"name": "web-config"}}],
            "tolerations": [
                {
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                }
            ],
        },
        "status": {
            "phase": "Running",
            "hostIP": "10.0.0.10",
            "podIP": "10.244.1.7",
            "podIPs": [{"ip": "10.244.1.7"}],
            "startTime": CREATED,
            "qosClass": "Burstable",
            "conditions": [
                {"type": "Initialized", "status": "True", "lastTransitionTime": CREATED},
                {"type": "Ready", "status": "True", "lastTransitionTime": STARTED},
                {"type": "ContainersReady", "status": "True", "lastTransitionTime": STARTED},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": CREATED},
            ],
            "containerStatuses": [
                {
                    "name": "web",
                    "ready": True,
                    "started": True,
                    "restartCount": 1,
                    "image": "nginx:1.27.3",
                    "imageID": "docker.io/library/nginx@sha256:0123abcd",
                    "containerID": "containerd://4f1e2d3c",
                    "state": running,
                    "lastState": {
                        "terminated": {
                            "exitCode": 137,
                            "reason": "OOMKilled",
                            "startedAt": CREATED,
                            "finishedAt": ts(0.05),
                        }
                    },
                },
                {
                    "name": "metrics",
                    "ready": True,
                    "started": True,
                    "restartCount": 0,
                    "image": "prom/statsd-exporter:v0.27.1",
                    "imageID": "docker.io/prom/statsd-exporter@sha256:4567ef01",
                    "containerID": "containerd://9a8b7c6d",
                    "state": running,
                    "lastState": {},
                },
            ],
        },
    }


def pod_event(
    name: str,
    reason: str,
    message: str,
    *,
    first: float,
    last: float,
    count: int = 1,
    type_: str = "Normal",
    component: str = "kubelet",
    uid: str = POD_UID,
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": "shop", "creationTimestamp": ts(first)},
        "involvedObject": {
            "apiVersion": "v1",
            "kind": "Pod",
            "name": POD_REF.name,
            "namespace": "shop",
            "uid": uid,
        },
        "reason": reason,
        "message": message,
        "source": {"component": component},
        "firstTimestamp": ts(first),
        "lastTimestamp": ts(last),
        "count": count,
        "type": type_,
    }


def web_events() -> list[dict[str, Any]]:
    """Three events about the pod (stored out of order) and one about another object."""
    return [
        pod_event(
            "web.2", "Pulled", 'Container image "nginx:1.27.3" already present', first=0.1, last=0.1
        ),
        pod_event(
            "web.1",
            "Scheduled",
            "Successfully assigned shop/web-7d4b9c-x2x8k to sim-control-plane",
            first=0,
            last=0,
            component="default-scheduler",
        ),
        pod_event(
            "web.3",
            "BackOff",
            "Back-off restarting failed container web",
            first=1,
            last=50,
            count=7,
            type_="Warning",
        ),
        pod_event(
            "other.1",
            "Killing",
            "Stopping container other",
            first=2,
            last=2,
            uid="00000000-0000-0000-0000-000000000000",
        ),
    ]


def web_secret() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": SECRET_REF.name,
            "namespace": "shop",
            "uid": "7c1d",
            "creationTimestamp": CREATED,
        },
        "data": {
            "username": base64.b64encode(b"app").decode(),
            "password": base64.b64encode(b"s3cr3t-passw0rd").decode(),
            "ca.crt": base64.b64encode(
                b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
            ).decode(),
            "keystore": base64.b64encode(bytes(range(40))).decode(),
        },
    }


def fixed_objects() -> list[dict[str, Any]]:
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}},
        web_pod(),
        web_secret(),
        *web_events(),
    ]


def client_for(sim: SimServer) -> ClusterClient:
    return build_client(ClusterSpec(name="t", server=sim.url), timeout=5)
