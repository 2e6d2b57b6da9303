"""The objects a real cluster has beside its workloads, for generated clusters.

`ClusterObjects` writes what the control plane and its controllers would have made: the
system cluster roles and their bindings, the default storage class and ingress class, the
two system priority classes, the controllers' and nodes' leases, a few certificate signing
requests; per namespace its ``default`` service account and ``kube-root-ca.crt``; per
service its Endpoints and EndpointSlice (from the pods the workload just made); per PVC the
PersistentVolume bound to it; and, for some app namespaces and workloads, the quotas,
limit ranges, network policies, autoscalers and disruption budgets teams add.

It draws from a random source of its own, so the workloads and pods of a seed are the same
with or without these objects. Nothing here is per pod: endpoints are per service (reading
the IPs of its pods), everything else per namespace, per workload or per cluster.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from kite_tui.sim import objects as o
from kite_tui.sim.csr_requests import kubelet_csr
from kite_tui.sim.store import micro_time, parse_time, rfc3339

__all__ = ["ClusterObjects"]

_RBAC = "rbac.authorization.k8s.io"
_AUTOUPDATE = {"rbac.authorization.kubernetes.io/autoupdate": "true"}
_BOOTSTRAP = {"kubernetes.io/bootstrapping": "rbac-defaults"}
_CA_PEM = (
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDBTCCAe2gAwIBAgIIS2l0ZVNpbUNBMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNV\n"
    "BAMTCmt1YmVybmV0ZXMwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjAV\n"
    "-----END CERTIFICATE-----\n"
)

# (name, rules) of the system cluster roles; (binding, role, subjects) of their bindings.
_CLUSTER_ROLES: tuple[tuple[str, list[dict]], ...] = (
    ("cluster-admin", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                       {"nonResourceURLs": ["*"], "verbs": ["*"]}]),
    ("admin", [{"apiGroups": ["", "apps", "batch"], "resources": ["*"], "verbs": ["*"]}]),
    ("edit", [{"apiGroups": ["", "apps", "batch"], "resources": ["*"],
               "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}]),
    ("view", [{"apiGroups": ["", "apps", "batch"], "resources": ["*"],
               "verbs": ["get", "list", "watch"]}]),
    ("system:basic-user", [{"apiGroups": ["authorization.k8s.io"],
                            "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                            "verbs": ["create"]}]),
    ("system:discovery", [{"nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/version"],
                           "verbs": ["get"]}]),
    ("system:public-info-viewer", [{"nonResourceURLs": ["/healthz", "/livez", "/readyz",
                                                        "/version"], "verbs": ["get"]}]),
    ("system:node", [{"apiGroups": [""], "resources": ["pods", "nodes"],
                      "verbs": ["get", "list", "watch"]}]),
    ("system:kube-scheduler", [{"apiGroups": [""], "resources": ["pods", "nodes"],
                                "verbs": ["get", "list", "watch"]}]),
    ("system:kube-controller-manager", [{"apiGroups": ["*"], "resources": ["*"],
                                         "verbs": ["get", "list", "watch"]}]),
    ("system:controller:deployment-controller", [{"apiGroups": ["apps"],
                                                  "resources": ["deployments", "replicasets"],
                                                  "verbs": ["*"]}]),
    ("system:controller:endpointslice-controller", [{"apiGroups": ["discovery.k8s.io"],
                                                     "resources": ["endpointslices"],
                                                     "verbs": ["*"]}]),
    ("system:coredns", [{"apiGroups": [""], "resources": ["endpoints", "services", "pods",
                                                          "namespaces"],
                         "verbs": ["list", "watch"]}]),
)  # fmt: skip


def _subject(kind: str, name: str, namespace: str = "") -> dict:
    if kind == "ServiceAccount":
        return {"kind": kind, "name": name, "namespace": namespace}
    return {"apiGroup": _RBAC, "kind": kind, "name": name}


_CLUSTER_ROLE_BINDINGS: tuple[tuple[str, str, list[dict]], ...] = (
    ("cluster-admin", "cluster-admin", [_subject("Group", "system:masters")]),
    ("system:basic-user", "system:basic-user", [_subject("Group", "system:authenticated")]),
    ("system:discovery", "system:discovery", [_subject("Group", "system:authenticated")]),
    ("system:public-info-viewer", "system:public-info-viewer",
     [_subject("Group", "system:authenticated"), _subject("Group", "system:unauthenticated")]),
    ("system:kube-scheduler", "system:kube-scheduler",
     [_subject("User", "system:kube-scheduler")]),
    ("system:kube-controller-manager", "system:kube-controller-manager",
     [_subject("User", "system:kube-controller-manager")]),
    ("system:controller:deployment-controller", "system:controller:deployment-controller",
     [_subject("ServiceAccount", "deployment-controller", "kube-system")]),
    ("system:controller:endpointslice-controller",
     "system:controller:endpointslice-controller",
     [_subject("ServiceAccount", "endpointslice-controller", "kube-system")]),
    ("system:coredns", "system:coredns", [_subject("ServiceAccount", "coredns", "kube-system")]),
    ("kubeadm:cluster-admins", "cluster-admin", [_subject("Group", "kubeadm:cluster-admins")]),
)  # fmt: skip

_KUBE_SYSTEM_ACCOUNTS = (
    "coredns",
    "kube-proxy",
    "metrics-server",
    "cilium",
    "deployment-controller",
    "endpointslice-controller",
    "replicaset-controller",
    "job-controller",
)


def _created(meta: dict) -> float:
    return parse_time(meta.get("creationTimestamp")) or 0.0


class ClusterObjects:
    """Writes the objects of the module docstring through ``put`` (the store's create)."""

    def __init__(self, put: Callable[[dict], dict], now: float, seed: int) -> None:
        self.put = put
        self.now = now
        self.rng = random.Random(f"cluster-objects-{seed}")
        self.limit_ranges = 0
        self.extras_in: dict[str, tuple[int, int]] = {}
        """Namespace -> (autoscalers, disruption budgets) made there: a few, not one a
        workload."""

    def meta(self, name: str, created: float, namespace: str | None = None, **kw: object) -> dict:
        return o.meta(name, created, self.rng, namespace, **kw)  # type: ignore[arg-type]

    # ------------------------------------------------------------------- cluster
    def cluster(self, created: float, node_ips: dict[str, str]) -> None:
        """Cluster-wide objects, the ``kubernetes`` service of the API server, and the
        leases of the controllers and of every node."""
        nodes = list(node_ips)
        self.api_service(created, node_ips[nodes[0]] if nodes else "10.0.0.10")
        for name, rules in _CLUSTER_ROLES:
            self.put({
                "apiVersion": f"{_RBAC}/v1", "kind": "ClusterRole",
                "metadata": self.meta(name, created, labels=_BOOTSTRAP, annotations=_AUTOUPDATE),
                "rules": rules,
            })  # fmt: skip
        for name, role, subjects in _CLUSTER_ROLE_BINDINGS:
            self.put({
                "apiVersion": f"{_RBAC}/v1", "kind": "ClusterRoleBinding",
                "metadata": self.meta(name, created, labels=_BOOTSTRAP, annotations=_AUTOUPDATE),
                "roleRef": {"apiGroup": _RBAC, "kind": "ClusterRole", "name": role},
                "subjects": subjects,
            })  # fmt: skip
        for name, role, subject in (
            ("system::leader-locking-kube-scheduler", "Role",
             _subject("User", "system:kube-scheduler")),
            ("kube-proxy", "Role",
             _subject("Group", "system:bootstrappers:kubeadm:default-node-token")),
            ("extension-apiserver-authentication-reader", "Role",
             _subject("ServiceAccount", "metrics-server", "kube-system")),
        ):  # fmt: skip
            self.role("kube-system", name, created, [
                {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]}
            ])  # fmt: skip
            self.role_binding("kube-system", name, role, name, [subject], created)
        self.put({
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": self.meta("standard", created, annotations={
                "storageclass.kubernetes.io/is-default-class": "true"}),
            "provisioner": "rancher.io/local-path",
            "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer",
        })  # fmt: skip
        self.put({
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": self.meta("fast-ssd", created + 86400),
            "provisioner": "pd.csi.storage.gke.io",
            "parameters": {"type": "pd-ssd"},
            "reclaimPolicy": "Retain",
            "volumeBindingMode": "WaitForFirstConsumer",
            "allowVolumeExpansion": True,
        })  # fmt: skip
        for name, value, desc in (
            ("system-cluster-critical", 2000000000,
             "Used for system critical pods that must run in the cluster, but can be moved "
             "to another node if necessary."),
            ("system-node-critical", 2000001000,
             "Used for system critical pods that must not be moved from their current node."),
        ):  # fmt: skip
            self.put({
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                "metadata": self.meta(name, created),
                "value": value, "globalDefault": False, "description": desc,
                "preemptionPolicy": "PreemptLowerPriority",
            })  # fmt: skip
        self.put({
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": self.meta("batch-low", created + 7 * 86400),
            "value": -10, "globalDefault": False, "description": "Batch jobs that may wait.",
            "preemptionPolicy": "Never",
        })  # fmt: skip
        self.put({
            "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
            "metadata": self.meta("nginx", created + 3600, labels={
                "app.kubernetes.io/name": "ingress-nginx"}, annotations={
                "ingressclass.kubernetes.io/is-default-class": "true"}),
            "spec": {"controller": "k8s.io/ingress-nginx"},
        })  # fmt: skip
        leader = nodes[0] if nodes else "control-plane"
        for name in ("kube-controller-manager", "kube-scheduler"):
            self.lease("kube-system", name, f"{leader}_{o.uid(self.rng)}", created, 15)
        self.lease(
            "kube-system",
            f"apiserver-{o.suffix(self.rng, 26)}",
            f"apiserver-{o.suffix(self.rng, 26)}_{o.uid(self.rng)}",
            created,
            3600,
            labels={"apiserver.kubernetes.io/identity": "kube-apiserver"},
        )
        for node in nodes:
            self.lease("kube-node-lease", node, node, created, 40)
        for i, node in enumerate(nodes[:2]):
            # The controller manager removes approved requests after an hour.
            self.csr(f"csr-{o.suffix(self.rng)}", node, self.now - 3000 + i * 600, approved=True)
        self.csr(f"csr-{o.suffix(self.rng)}", "system:node:new-node", self.now - 600)

    def api_service(self, created: float, apiserver_ip: str) -> None:
        """``default/kubernetes``: the first service IP, its endpoint the API server."""
        port = {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}
        labels = {"component": "apiserver", "provider": "kubernetes"}
        self.put({
            "apiVersion": "v1", "kind": "Service",
            "metadata": self.meta("kubernetes", created, "default", labels=labels),
            "spec": {
                "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack", "ports": [port],
                "sessionAffinity": "None", "type": "ClusterIP",
            },
            "status": {"loadBalancer": {}},
        })  # fmt: skip
        ep_port = {"name": "https", "port": 6443, "protocol": "TCP"}
        self.put({
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": self.meta("kubernetes", created, "default", labels={
                "endpointslice.kubernetes.io/skip-mirror": "true"}),
            "subsets": [{"addresses": [{"ip": apiserver_ip}], "ports": [ep_port]}],
        })  # fmt: skip
        self.put({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": self.meta("kubernetes", created, "default", labels={
                "kubernetes.io/service-name": "kubernetes"}),
            "addressType": "IPv4",
            "endpoints": [{"addresses": [apiserver_ip], "conditions": {
                "ready": True, "serving": True, "terminating": False}}],
            "ports": [ep_port],
        })  # fmt: skip

    def role(self, ns: str, name: str, created: float, rules: list[dict]) -> None:
        self.put({
            "apiVersion": f"{_RBAC}/v1", "kind": "Role",
            "metadata": self.meta(name, created, ns), "rules": rules,
        })  # fmt: skip

    def role_binding(
        self, ns: str, name: str, kind: str, role: str, subjects: list[dict], created: float
    ) -> None:
        self.put({
            "apiVersion": f"{_RBAC}/v1", "kind": "RoleBinding",
            "metadata": self.meta(name, created, ns),
            "roleRef": {"apiGroup": _RBAC, "kind": kind, "name": role},
            "subjects": subjects,
        })  # fmt: skip

    def lease(
        self,
        ns: str,
        name: str,
        holder: str,
        created: float,
        duration: int,
        labels: dict | None = None,
    ) -> None:
        renewed = self.now - self.rng.uniform(0, duration / 3)
        self.put({
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": self.meta(name, created, ns, labels=labels),
            "spec": {
                "holderIdentity": holder, "leaseDurationSeconds": duration,
                "acquireTime": micro_time(created), "renewTime": micro_time(renewed),
                "leaseTransitions": self.rng.randint(0, 3),
            },
        })  # fmt: skip

    def csr(self, name: str, node: str, created: float, *, approved: bool = False) -> None:
        status: dict = {}
        if approved:
            t = rfc3339(created + 2)
            status = {
                "conditions": [{
                    "type": "Approved", "status": "True", "reason": "AutoApproved",
                    "message": "Auto approving kubelet serving certificate after "
                               "SubjectAccessReview.",
                    "lastUpdateTime": t, "lastTransitionTime": t,
                }],
                "certificate": "TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PQ==",
            }  # fmt: skip
        user = node if node.startswith("system:") else f"system:node:{node}"
        self.put({
            "apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
            "metadata": self.meta(name, created, generate_name="csr-"),
            "spec": {
                "request": kubelet_csr(user.removeprefix("system:node:")),
                "signerName": "kubernetes.io/kubelet-serving",
                "usages": ["digital signature", "server auth"],
                "username": user, "groups": ["system:nodes", "system:authenticated"],
                **({} if approved else {"expirationSeconds": 86400}),
            },
            "status": status,
        })  # fmt: skip

    # ----------------------------------------------------------------- namespace
    def namespace(self, ns: str, created: float, *, app: bool) -> None:
        """Every namespace's ``default`` service account and CA bundle; an app namespace's
        team objects: its service account, reader role, quota, network policy and (for some)
        a limit range."""
        self.put({
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": self.meta("default", created, ns),
        })  # fmt: skip
        self.put({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": self.meta("kube-root-ca.crt", created, ns, annotations={
                "kubernetes.io/description": "Contains a CA bundle that can be used to verify "
                "the kube-apiserver when using internal endpoints such as the internal "
                "service IP or kubernetes.default.svc. No other usage is guaranteed across "
                "distributions of Kubernetes clusters."}),
            "data": {"ca.crt": _CA_PEM},
        })  # fmt: skip
        if ns == "kube-system":
            for name in _KUBE_SYSTEM_ACCOUNTS:
                self.put({
                    "apiVersion": "v1", "kind": "ServiceAccount",
                    "metadata": self.meta(name, created, ns),
                })  # fmt: skip
        if not app:
            return
        rng = self.rng
        later = created + 3600
        self.put({
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": self.meta(f"{ns}-deployer", later, ns),
            "secrets": [{"name": f"{ns}-deployer-token"}],
        })  # fmt: skip
        self.role(ns, "app-reader", later, [
            {"apiGroups": ["", "apps"], "resources": ["pods", "pods/log", "deployments"],
             "verbs": ["get", "list", "watch"]}])  # fmt: skip
        self.role_binding(ns, "app-readers", "Role", "app-reader",
                          [_subject("Group", f"team-{ns}"),
                           _subject("User", f"ci@{ns}.example.com")],
                          later)  # fmt: skip
        self.role_binding(ns, "deployer-edit", "ClusterRole", "edit",
                          [_subject("ServiceAccount", f"{ns}-deployer", ns)], later)  # fmt: skip
        pods_hard = rng.choice((50, 100, 200))
        cpu_hard = rng.choice((8, 16, 32))
        hard = {
            "limits.cpu": str(cpu_hard * 2),
            "limits.memory": f"{cpu_hard * 4}Gi",
            "pods": str(pods_hard),
            "requests.cpu": str(cpu_hard),
            "requests.memory": f"{cpu_hard * 2}Gi",
        }
        used = {"limits.cpu": f"{rng.randint(1, 6)}", "limits.memory": f"{rng.randint(1, 8)}Gi",
                "pods": str(rng.randint(1, 20)), "requests.cpu": f"{rng.randint(1, 9) * 100}m",
                "requests.memory": f"{rng.randint(1, 16) * 256}Mi"}  # fmt: skip
        self.put({
            "apiVersion": "v1", "kind": "ResourceQuota",
            "metadata": self.meta("compute", later, ns),
            "spec": {"hard": hard}, "status": {"hard": hard, "used": used},
        })  # fmt: skip
        self.put({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": self.meta("default-deny-ingress", later, ns),
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
        })  # fmt: skip
        if rng.random() < 0.5 or not self.limit_ranges:  # half of them, and the first
            self.limit_ranges += 1
            self.put({
                "apiVersion": "v1", "kind": "LimitRange",
                "metadata": self.meta("container-defaults", later, ns),
                "spec": {"limits": [{
                    "type": "Container",
                    "default": {"cpu": "500m", "memory": "512Mi"},
                    "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                    "max": {"cpu": "2", "memory": "4Gi"},
                }]},
            })  # fmt: skip

    # ------------------------------------------------------------------ workloads
    def service_endpoints(self, svc: dict, pods: list[dict]) -> None:
        """The Endpoints and the EndpointSlice of a service, for the pods it selects."""
        meta, spec = svc["metadata"], svc["spec"]
        ns, name = meta["namespace"], meta["name"]
        created = _created(meta)
        ports = [
            {"name": p.get("name", ""), "port": p.get("targetPort", p["port"]),
             "protocol": p.get("protocol", "TCP")}
            for p in spec.get("ports") or []
        ]  # fmt: skip
        ready: list[dict] = []
        not_ready: list[dict] = []
        slice_endpoints: list[dict] = []
        for pod in pods:
            status, pmeta = pod["status"], pod["metadata"]
            ip = status.get("podIP")
            if not ip:
                continue
            ref = {"kind": "Pod", "namespace": ns, "name": pmeta["name"], "uid": pmeta["uid"]}
            node = pod["spec"].get("nodeName", "")
            is_ready = any(
                c.get("type") == "Ready" and c.get("status") == "True"
                for c in status.get("conditions") or ()
            )
            terminating = "deletionTimestamp" in pmeta
            if not terminating:
                (ready if is_ready else not_ready).append(
                    {"ip": ip, "nodeName": node, "targetRef": ref}
                )
            slice_endpoints.append({
                "addresses": [ip],
                "conditions": {"ready": is_ready and not terminating, "serving": is_ready,
                               "terminating": terminating},
                "nodeName": node, "targetRef": ref,
            })  # fmt: skip
        subset: dict = {}
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        ep: dict = {
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": self.meta(name, created, ns, labels=meta.get("labels"), annotations={
                "endpoints.kubernetes.io/last-change-trigger-time": rfc3339(created)}),
        }  # fmt: skip
        if subset:
            ep["subsets"] = [{**subset, "ports": ports}]
        self.put(ep)
        owner = {
            "apiVersion": "v1", "kind": "Service", "name": name, "uid": meta["uid"],
            "controller": True, "blockOwnerDeletion": True,
        }  # fmt: skip
        labels = {
            **(meta.get("labels") or {}),
            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
            "kubernetes.io/service-name": name,
        }
        self.put({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": self.meta(f"{name}-{o.suffix(self.rng)}", created, ns, labels=labels,
                                  owner=owner, generate_name=f"{name}-"),
            "addressType": "IPv4",
            "endpoints": slice_endpoints,
            "ports": ports,
        })  # fmt: skip

    def deployment_extras(self, dep: dict) -> None:
        """For a few app deployments of each namespace, an autoscaler or a disruption
        budget."""
        rng = self.rng
        meta, spec = dep["metadata"], dep["spec"]
        ns, name, replicas = meta["namespace"], meta["name"], spec.get("replicas", 1)
        created = _created(meta) + 60
        hpas, pdbs = self.extras_in.get(ns, (0, 0))
        if hpas < 3 and (hpas == 0 or rng.random() < 0.3):
            hpas += 1
            cpu = rng.randint(20, 95)
            self.put({
                "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": self.meta(name, created, ns),
                "spec": {
                    "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                       "name": name},
                    "minReplicas": max(1, replicas - 1), "maxReplicas": replicas * 3 + 2,
                    "metrics": [{"type": "Resource", "resource": {
                        "name": "cpu", "target": {"type": "Utilization",
                                                  "averageUtilization": 70}}}],
                },
                "status": {
                    "currentReplicas": replicas, "desiredReplicas": replicas,
                    "currentMetrics": [{"type": "Resource", "resource": {
                        "name": "cpu", "current": {"averageUtilization": cpu,
                                                   "averageValue": f"{cpu}m"}}}],
                },
            })  # fmt: skip
        if pdbs < 2 and replicas > 1 and (pdbs == 0 or rng.random() < 0.3):
            pdbs += 1
            budget: dict = {"minAvailable": 1} if rng.random() < 0.5 else {"maxUnavailable": "25%"}
            self.put({
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": self.meta(name, created, ns),
                "spec": {**budget, "selector": spec["selector"]},
                "status": {"currentHealthy": replicas, "desiredHealthy": replicas - 1,
                           "disruptionsAllowed": 1, "expectedPods": replicas,
                           "observedGeneration": 1},
            })  # fmt: skip

        self.extras_in[ns] = (hpas, pdbs)

    def volume(self, pvc: dict) -> None:
        """The PersistentVolume a bound PVC names, bound back to it."""
        meta, spec = pvc["metadata"], pvc["spec"]
        self.put({
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": self.meta(spec["volumeName"], _created(meta) + 2, annotations={
                "pv.kubernetes.io/provisioned-by": "rancher.io/local-path"}),
            "spec": {
                "accessModes": spec.get("accessModes", ["ReadWriteOnce"]),
                "capacity": {"storage": spec["resources"]["requests"]["storage"]},
                "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                             "name": meta["name"], "namespace": meta["namespace"],
                             "uid": meta["uid"]},
                "hostPath": {"path": f"/var/local-path-provisioner/{spec['volumeName']}",
                             "type": "DirectoryOrCreate"},
                "persistentVolumeReclaimPolicy": "Delete",
                "storageClassName": spec.get("storageClassName", "standard"),
                "volumeMode": spec.get("volumeMode", "Filesystem"),
            },
            "status": {"phase": "Bound"},
        })  # fmt: skip
