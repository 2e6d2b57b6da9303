"""Objects of the kinds beside the workloads for the kubectl describe comparison: the
details a generated cluster does not have (every autoscaler metric type, quota scopes,
Pod and PVC limits, a CSI volume with node affinity, network policy peers and port
ranges, rules kubectl breaks down and compacts, endpoint slices with more endpoints
than it lists, image pull secrets)."""

from __future__ import annotations

from collections.abc import Callable


def _kitchen_endpoint_slices(meta: dict, ns: str) -> list[dict]:
    """Two slices behind the ``kitchen`` service: more ready endpoints than kubectl lists,
    one not ready, one terminating, ports by name, a hostname and zones."""

    def endpoint(i: int, ready: bool = True, **extra: object) -> dict:
        return {
            "addresses": [f"10.244.2.{i}"],
            "conditions": {"ready": ready, "serving": ready, "terminating": False},
            "nodeName": "worker-01",
            "zone": "zone-a",
            "targetRef": {"kind": "Pod", "namespace": ns, "name": f"kitchen-{i}"},
            **extra,
        }

    labels = {
        "kubernetes.io/service-name": "kitchen",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    }
    ports = [
        {"name": "http", "port": 8080, "protocol": "TCP"},
        {"name": "metrics", "port": 9090, "protocol": "TCP", "appProtocol": "http"},
    ]
    return [
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {**meta, "name": "kitchen-abcde", "labels": labels},
            "addressType": "IPv4",
            "endpoints": [
                endpoint(1, hostname="kitchen-1"),
                endpoint(2),
                endpoint(3, ready=False),
                {"addresses": ["10.244.2.4"], "conditions": {"terminating": True}},
            ],
            "ports": ports,
        },
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {**meta, "name": "kitchen-fghij", "labels": labels},
            "addressType": "IPv4",
            "endpoints": [endpoint(5), endpoint(6)],
            "ports": ports,
        },
    ]


_MIXED_RULES = [
    {
        "apiGroups": ["", "apps"],
        "resources": ["pods", "deployments/scale", "pods/log"],
        "verbs": ["get", "list"],
    },
    {"apiGroups": [""], "resources": ["pods"], "verbs": ["watch", "get", "delete"]},
    {
        "apiGroups": ["apps"],
        "resources": ["deployments"],
        "resourceNames": ["web", "api"],
        "verbs": ["patch", "update"],
    },
    {"apiGroups": ["*"], "resources": ["*"], "verbs": ["list"]},
    {"nonResourceURLs": ["/healthz", "/metrics"], "verbs": ["get", "post"]},
    {"apiGroups": ["batch"], "resources": [], "verbs": ["get"]},
]


def kinds_objects(ns: str, ts: Callable[[float], str]) -> list[dict]:
    """The objects, in namespace ``ns``; ``ts(offset)`` gives their timestamps."""
    meta = {"namespace": ns, "creationTimestamp": ts(0)}
    return [
        *_kitchen_endpoint_slices(meta, ns),
        {
            "kind": "ResourceQuota",
            "metadata": {**meta, "name": "compute"},
            "spec": {
                "hard": {
                    "cpu": "4",
                    "memory": "8Gi",
                    "requests.storage": "100Gi",
                    "count/deployments.apps": "5",
                    "services.loadbalancers": "0",
                }
            },
            "status": {
                "hard": {
                    "cpu": "4",
                    "memory": "8Gi",
                    "requests.storage": "100Gi",
                    "count/deployments.apps": "5",
                    "services.loadbalancers": "0",
                },
                "used": {"cpu": "500m", "memory": "1536Mi", "requests.storage": "10Gi"},
            },
        },
        {
            "kind": "ResourceQuota",
            "metadata": {**meta, "name": "best-effort"},
            "spec": {"hard": {"pods": "10"}, "scopes": ["NotTerminating", "BestEffort"]},
            "status": {"hard": {"pods": "10"}, "used": {"pods": "2"}},
        },
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {**meta, "name": "every-metric"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db"},
                "maxReplicas": 10,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "memory",
                            "target": {"type": "AverageValue", "averageValue": "512Mi"},
                        },
                    },
                    {
                        "type": "ContainerResource",
                        "containerResource": {
                            "name": "cpu",
                            "container": "app",
                            "target": {"type": "Utilization", "averageUtilization": 60},
                        },
                    },
                    {
                        "type": "Pods",
                        "pods": {
                            "metric": {"name": "packets-per-second"},
                            "target": {"type": "AverageValue", "averageValue": "1k"},
                        },
                    },
                    {
                        "type": "Object",
                        "object": {
                            "metric": {"name": "requests-per-second"},
                            "describedObject": {
                                "apiVersion": "networking.k8s.io/v1",
                                "kind": "Ingress",
                                "name": "kitchen",
                            },
                            "target": {"type": "Value", "value": "10k"},
                        },
                    },
                    {
                        "type": "External",
                        "external": {
                            "metric": {"name": "queue_messages_ready"},
                            "target": {"type": "AverageValue", "averageValue": "30"},
                        },
                    },
                ],
                "behavior": {
                    "scaleUp": {
                        "stabilizationWindowSeconds": 0,
                        "selectPolicy": "Max",
                        "policies": [
                            {"type": "Pods", "value": 4, "periodSeconds": 15},
                            {"type": "Percent", "value": 100, "periodSeconds": 15},
                        ],
                    },
                    "scaleDown": {"stabilizationWindowSeconds": 300},
                },
            },
            "status": {
                "currentReplicas": 3,
                "desiredReplicas": 4,
                "currentMetrics": [
                    {
                        "type": "Resource",
                        "resource": {"name": "memory", "current": {"averageValue": "300Mi"}},
                    },
                    {
                        "type": "ContainerResource",
                        "containerResource": {
                            "name": "cpu",
                            "container": "app",
                            "current": {"averageUtilization": 75, "averageValue": "150m"},
                        },
                    },
                ],
                "conditions": [
                    {
                        "type": "AbleToScale",
                        "status": "True",
                        "reason": "ReadyForNewScale",
                        "message": "recommended size matches current size",
                        "lastTransitionTime": ts(300),
                    },
                    {
                        "type": "ScalingActive",
                        "status": "False",
                        "reason": "FailedGetPodsMetric",
                        "message": "the HPA was unable to compute the replica count",
                        "lastTransitionTime": ts(300),
                    },
                ],
            },
        },
        {
            "kind": "PersistentVolume",
            "metadata": {
                "name": "pvc-1234",
                "creationTimestamp": ts(5),
                "finalizers": ["kubernetes.io/pv-protection", "external-attacher/pd-csi"],
                "labels": {"topology.kubernetes.io/zone": "zone-a"},
            },
            "spec": {
                "accessModes": ["ReadOnlyMany", "ReadWriteOnce"],
                "capacity": {"storage": "10Gi"},
                "claimRef": {
                    "kind": "PersistentVolumeClaim",
                    "namespace": ns,
                    "name": "kitchen-data",
                },
                "csi": {
                    "driver": "pd.csi.storage.gke.io",
                    "fsType": "ext4",
                    "volumeHandle": "projects/p/zones/zone-a/disks/pvc-1234",
                    "volumeAttributes": {
                        "storage.kubernetes.io/csiProvisionerIdentity": "1-2-3",
                        "example.com/tier": "gold",
                    },
                },
                "nodeAffinity": {
                    "required": {
                        "nodeSelectorTerms": [
                            {
                                "matchExpressions": [
                                    {
                                        "key": "topology.kubernetes.io/zone",
                                        "operator": "In",
                                        "values": ["zone-a", "zone-b"],
                                    },
                                    {"key": "disk", "operator": "Exists"},
                                ]
                            },
                            {
                                "matchExpressions": [
                                    {
                                        "key": "kubernetes.io/hostname",
                                        "operator": "NotIn",
                                        "values": ["worker-02"],
                                    }
                                ]
                            },
                        ]
                    }
                },
                "persistentVolumeReclaimPolicy": "Retain",
                "storageClassName": "fast",
                "volumeMode": "Filesystem",
                "mountOptions": ["noatime"],
            },
            "status": {"phase": "Bound", "message": "bound by the controller"},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {**meta, "name": "web-traffic", "labels": {"team": "a"}},
            "spec": {
                "podSelector": {
                    "matchLabels": {"app": "kitchen"},
                    "matchExpressions": [
                        {"key": "tier", "operator": "In", "values": ["web", "api"]}
                    ],
                },
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [
                    {
                        "ports": [
                            {"protocol": "TCP", "port": 8080},
                            {"port": "metrics"},
                            {"protocol": "UDP", "port": 30000, "endPort": 32000},
                        ],
                        "from": [
                            {"podSelector": {"matchLabels": {"role": "frontend"}}},
                            {
                                "namespaceSelector": {"matchLabels": {"team": "a"}},
                                "podSelector": {},
                            },
                            {"namespaceSelector": {}},
                            {
                                "ipBlock": {
                                    "cidr": "10.0.0.0/8",
                                    "except": ["10.1.0.0/16", "10.2.0.0/16"],
                                }
                            },
                        ],
                    },
                    {},
                ],
                "egress": [
                    {
                        "to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}],
                        "ports": [{"port": 53, "protocol": "UDP"}],
                    },
                ],
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {**meta, "name": "deny-all"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {"name": "with-parameters", "creationTimestamp": ts(0)},
            "spec": {
                "controller": "example.com/ingress-controller",
                "parameters": {
                    "apiGroup": "k8s.example.com",
                    "kind": "IngressParameters",
                    "name": "external-lb",
                    "scope": "Cluster",
                },
            },
        },
        {
            "kind": "ServiceAccount",
            "metadata": {**meta, "name": "kitchen", "annotations": {"iam.example.com/role": "r"}},
            "imagePullSecrets": [{"name": "ghcr"}, {"name": "dockerhub"}],
            "secrets": [{"name": "kitchen-token"}],
        },
        {
            "kind": "Role",
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "metadata": {**meta, "name": "mixed-rules"},
            "rules": _MIXED_RULES,
        },
        {
            "kind": "ClusterRole",
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "metadata": {"name": "mixed-rules", "creationTimestamp": ts(0)},
            "rules": _MIXED_RULES,
        },
        {
            "kind": "LimitRange",
            "metadata": {**meta, "name": "mixed"},
            "spec": {
                "limits": [
                    {"type": "Pod", "max": {"cpu": "4", "memory": "8Gi"}},
                    {
                        "type": "Container",
                        "min": {"cpu": "50m"},
                        "default": {"cpu": "500m"},
                        "defaultRequest": {"cpu": "100m"},
                        "maxLimitRequestRatio": {"cpu": "4"},
                    },
                    {
                        "type": "PersistentVolumeClaim",
                        "min": {"storage": "1Gi"},
                        "max": {"storage": "50Gi"},
                    },
                ]
            },
        },
    ]
