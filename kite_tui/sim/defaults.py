"""The defaults a real API server fills in when an object is created through the API.

What `kubectl get -o yaml` shows right after `kubectl create deployment|service|job|...`
on a real cluster: the API types' defaulting functions (``SetDefaults_PodSpec``,
``SetDefaults_Container``, ``SetDefaults_Deployment``, ``SetDefaults_Service``...) and the
registry strategies' create steps (a namespace's ``kubernetes`` finalizer and
``kubernetes.io/metadata.name`` label, ``generation: 1``, a Service's cluster IP). Objects
loaded by scenarios or ``--objects`` are stored as they are written.
"""

from __future__ import annotations

import hashlib
from typing import Any


def _pod_spec(spec: dict[str, Any]) -> None:
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            _container(c)


def _container(c: dict[str, Any]) -> None:
    image = str(c.get("image", ""))
    tag = image.rsplit("/", 1)[-1].partition(":")[2] if "@" not in image else "digest"
    c.setdefault("imagePullPolicy", "Always" if tag in ("", "latest") else "IfNotPresent")
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    c.setdefault("resources", {})
    for p in c.get("ports") or []:
        p.setdefault("protocol", "TCP")


def _template(obj: dict[str, Any]) -> None:
    template = obj.get("template")
    if isinstance(template, dict):
        _pod_spec(template.setdefault("spec", {}))


def _cluster_ip(obj: dict[str, Any]) -> str:
    """A stable address in 10.96.0.0/12 (the default service CIDR) from the uid."""
    n = int(hashlib.sha256(obj["metadata"]["uid"].encode()).hexdigest(), 16)
    return f"10.{96 + n % 16}.{n // 16 % 256}.{n // 4096 % 254 + 1}"


def apply_defaults(obj: dict[str, Any]) -> None:
    """Fill in ``obj`` (already given its uid) as a real server does on create."""
    kind = obj.get("kind")
    meta = obj["metadata"]
    spec = obj.get("spec")
    if kind == "Namespace":
        meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
        obj["status"] = {"phase": "Active"}
    elif kind == "Secret":
        obj.setdefault("type", "Opaque")
    elif kind == "Pod" and isinstance(spec, dict):
        _pod_spec(spec)
        spec.setdefault("enableServiceLinks", True)
        spec.setdefault("serviceAccountName", "default")
        spec.setdefault("serviceAccount", spec["serviceAccountName"])
        spec.setdefault("priority", 0)
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
        obj.setdefault("status", {}).setdefault("phase", "Pending")
    elif kind == "Deployment" and isinstance(spec, dict):
        meta["generation"] = 1
        spec.setdefault("replicas", 1)
        strategy = spec.setdefault("strategy", {})
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.setdefault("rollingUpdate", {})
            rolling.setdefault("maxUnavailable", "25%")
            rolling.setdefault("maxSurge", "25%")
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        _template(spec)
    elif kind == "Job" and isinstance(spec, dict):
        meta["generation"] = 1
        _job_spec(spec, meta)
        obj.setdefault("status", {})
    elif kind == "CronJob" and isinstance(spec, dict):
        meta["generation"] = 1
        spec.setdefault("concurrencyPolicy", "Allow")
        spec.setdefault("suspend", False)
        spec.setdefault("successfulJobsHistoryLimit", 3)
        spec.setdefault("failedJobsHistoryLimit", 1)
        job = spec.setdefault("jobTemplate", {}).setdefault("spec", {})
        _template(job)
    elif kind == "Service" and isinstance(spec, dict):
        _service_spec(spec, obj)
        obj.setdefault("status", {"loadBalancer": {}})


def _job_spec(spec: dict[str, Any], meta: dict[str, Any]) -> None:
    spec.setdefault("parallelism", 1)
    spec.setdefault("completions", 1)
    spec.setdefault("backoffLimit", 6)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    spec.setdefault("podReplacementPolicy", "TerminatingOrFailed")
    uid, name = meta["uid"], meta["name"]
    if not spec.get("manualSelector"):
        spec.setdefault("selector", {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}})
        template_meta = spec.setdefault("template", {}).setdefault("metadata", {})
        labels = template_meta.setdefault("labels", {})
        for prefix in ("batch.kubernetes.io/", ""):
            labels.setdefault(f"{prefix}controller-uid", uid)
            labels.setdefault(f"{prefix}job-name", name)
    _template(spec)


def _service_spec(spec: dict[str, Any], obj: dict[str, Any]) -> None:
    kind = spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    for p in spec.get("ports") or []:
        p.setdefault("protocol", "TCP")
        p.setdefault("targetPort", p.get("port"))
    if kind == "ExternalName":
        return
    if not spec.get("clusterIP"):
        spec["clusterIP"] = _cluster_ip(obj)
    spec.setdefault("clusterIPs", [spec["clusterIP"]])
    if spec["clusterIP"] != "None":
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
    spec.setdefault("internalTrafficPolicy", "Cluster")
