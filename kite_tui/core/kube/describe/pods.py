"""Pods, and the pod templates of workloads: containers, probes, environment, volumes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    TimeFormat,
    annotation_lines,
    controller_of,
    label_lines,
    write_conditions,
    write_events,
    write_labels,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["describe_pod", "write_pod_template"]


def _ports(container: Mapping[str, Any]) -> tuple[str, str]:
    ports = container.get("ports") or []
    if not ports:
        return NONE, NONE
    cp = ", ".join(f"{p.get('containerPort')}/{p.get('protocol', 'TCP')}" for p in ports)
    hp = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    return cp, hp


def _probe(probe: Mapping[str, Any]) -> str:
    if "httpGet" in probe:
        g = probe["httpGet"]
        scheme = str(g.get("scheme", "HTTP")).lower()
        what = f"http-get {scheme}://{g.get('host', '')}:{g.get('port', '')}{g.get('path', '')}"
    elif "tcpSocket" in probe:
        what = f"tcp-socket {probe['tcpSocket'].get('host', '')}:{probe['tcpSocket'].get('port')}"
    elif "exec" in probe:
        what = f"exec {list(probe['exec'].get('command') or [])}"
    elif "grpc" in probe:
        what = f"grpc <pod>:{probe['grpc'].get('port')} {probe['grpc'].get('service', '')}"
    else:
        what = "unknown"
    return (
        f"{what} delay={probe.get('initialDelaySeconds', 0)}s "
        f"timeout={probe.get('timeoutSeconds', 1)}s period={probe.get('periodSeconds', 10)}s "
        f"#success={probe.get('successThreshold', 1)} #failure={probe.get('failureThreshold', 3)}"
    )


def _env_value(env: Mapping[str, Any]) -> str:
    if "value" in env:
        return str(env.get("value"))
    src = env.get("valueFrom") or {}
    if "configMapKeyRef" in src:
        r = src["configMapKeyRef"]
        return (
            f"<set to the key '{r.get('key')}' of config map '{r.get('name')}'>  "
            f"Optional: {str(bool(r.get('optional'))).lower()}"
        )
    if "secretKeyRef" in src:
        r = src["secretKeyRef"]
        return (
            f"<set to the key '{r.get('key')}' in secret '{r.get('name')}'>  "
            f"Optional: {str(bool(r.get('optional'))).lower()}"
        )
    if "fieldRef" in src:
        r = src["fieldRef"]
        return f" ({r.get('apiVersion', 'v1')}:{r.get('fieldPath')})"
    if "resourceFieldRef" in src:
        r = src["resourceFieldRef"]
        return f"{r.get('resource')} ({r.get('containerName', '')})"
    return ""


def _state(
    out: PrefixWriter, level: int, label: str, state: Mapping[str, Any], fmt: TimeFormat
) -> None:
    if "running" in state:
        out.kv(level, label, "Running")
        out.kv(level + 1, "Started", fmt.when((state["running"] or {}).get("startedAt")))
    elif "terminated" in state:
        t = state["terminated"] or {}
        out.kv(level, label, "Terminated")
        out.kv(level + 1, "Reason", t.get("reason") or "")
        if t.get("message"):
            out.kv(level + 1, "Message", str(t["message"]).strip())
        out.kv(level + 1, "Exit Code", t.get("exitCode", 0))
        if t.get("signal"):
            out.kv(level + 1, "Signal", t["signal"])
        out.kv(level + 1, "Started", fmt.when(t.get("startedAt")))
        out.kv(level + 1, "Finished", fmt.when(t.get("finishedAt")))
    elif "waiting" in state:
        out.kv(level, label, "Waiting")
        out.kv(level + 1, "Reason", (state["waiting"] or {}).get("reason") or "")
    else:
        out.kv(level, label, "Waiting")


def _resources(out: PrefixWriter, level: int, resources: Mapping[str, Any]) -> None:
    for label, key in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(key) or {}
        if values:
            out.head(level, label)
            for name, qty in sorted(values.items()):
                out.kv(level + 1, name, qty)


def _container(
    out: PrefixWriter,
    level: int,
    c: Mapping[str, Any],
    status: Mapping[str, Any] | None,
    fmt: TimeFormat,
) -> None:
    out.head(level, c.get("name", ""))
    lv = level + 1
    if status is not None and status.get("containerID"):
        out.kv(lv, "Container ID", status["containerID"])
    out.kv(lv, "Image", c.get("image", ""))
    if status is not None:
        out.kv(lv, "Image ID", status.get("imageID"), empty="")
    cp, hp = _ports(c)
    many = len(c.get("ports") or []) > 1
    out.kv(lv, "Ports" if many else "Port", cp)
    out.kv(lv, "Host Ports" if many else "Host Port", hp)
    for label, key in (("Command", "command"), ("Args", "args")):
        if c.get(key):
            out.head(lv, label)
            for part in c[key]:
                out.text(f"{'  ' * (lv + 1)}{part}")
    if status is not None:
        _state(out, lv, "State", status.get("state") or {}, fmt)
        last = status.get("lastState") or {}
        if last.get("terminated"):
            _state(out, lv, "Last State", last, fmt)
        out.kv(lv, "Ready", str(bool(status.get("ready"))))
        out.kv(lv, "Restart Count", status.get("restartCount", 0))
    _resources(out, lv, c.get("resources") or {})
    for label, key in (
        ("Liveness", "livenessProbe"),
        ("Readiness", "readinessProbe"),
        ("Startup", "startupProbe"),
    ):
        if c.get(key):
            out.kv(lv, label, _probe(c[key]))
    if c.get("envFrom"):
        out.head(lv, "Environment Variables from")
        for src in c["envFrom"]:
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if key in src:
                    ref = src[key] or {}
                    prefix = f" with prefix '{src['prefix']}'" if src.get("prefix") else ""
                    optional = str(bool(ref.get("optional"))).lower()
                    out.row(lv + 1, ref.get("name", ""), f"{kind}{prefix}", f"Optional: {optional}")
    env = c.get("env") or []
    if env:
        out.head(lv, "Environment")
        for e in env:
            out.kv(lv + 1, e.get("name", ""), _env_value(e))
    else:
        out.kv(lv, "Environment", NONE)
    mounts = c.get("volumeMounts") or []
    if mounts:
        out.head(lv, "Mounts")
        for m in mounts:
            mode = "ro" if m.get("readOnly") else "rw"
            sub = f" (path {m['subPath']!r})" if m.get("subPath") else ""
            out.text(f"{'  ' * (lv + 1)}{m.get('mountPath')} from {m.get('name')}{sub} ({mode})")
    else:
        out.kv(lv, "Mounts", NONE)


def _volumes(out: PrefixWriter, level: int, volumes: Sequence[Mapping[str, Any]]) -> None:
    if not volumes:
        out.kv(level, "Volumes", NONE)
        return
    out.head(level, "Volumes")
    lv = level + 2
    for v in volumes:
        out.head(level + 1, v.get("name", ""))
        if "configMap" in v:
            src = v["configMap"] or {}
            out.kv(lv, "Type", "ConfigMap (a volume populated by a ConfigMap)")
            out.kv(lv, "Name", src.get("name", ""))
            out.kv(lv, "Optional", str(bool(src.get("optional"))).lower())
        elif "secret" in v:
            src = v["secret"] or {}
            out.kv(lv, "Type", "Secret (a volume populated by a Secret)")
            out.kv(lv, "SecretName", src.get("secretName", ""))
            out.kv(lv, "Optional", str(bool(src.get("optional"))).lower())
        elif "emptyDir" in v:
            src = v["emptyDir"] or {}
            out.kv(lv, "Type", "EmptyDir (a temporary directory that shares a pod's lifetime)")
            out.kv(lv, "Medium", src.get("medium", ""))
            out.kv(lv, "SizeLimit", src.get("sizeLimit", "<unset>"))
        elif "persistentVolumeClaim" in v:
            src = v["persistentVolumeClaim"] or {}
            out.kv(
                lv,
                "Type",
                "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                "namespace)",
            )
            out.kv(lv, "ClaimName", src.get("claimName", ""))
            out.kv(lv, "ReadOnly", str(bool(src.get("readOnly"))).lower())
        elif "hostPath" in v:
            src = v["hostPath"] or {}
            out.kv(lv, "Type", "HostPath (bare host directory volume)")
            out.kv(lv, "Path", src.get("path", ""))
            out.kv(lv, "HostPathType", src.get("type", ""))
        elif "projected" in v:
            src = v["projected"] or {}
            out.kv(
                lv, "Type", "Projected (a volume that contains injected data from multiple sources)"
            )
            for s in src.get("sources") or []:
                if "serviceAccountToken" in s:
                    sat = s["serviceAccountToken"] or {}
                    out.kv(lv, "TokenExpirationSeconds", sat.get("expirationSeconds", 3607))
                if "configMap" in s:
                    out.kv(lv, "ConfigMapName", (s["configMap"] or {}).get("name", ""))
                    out.kv(lv, "ConfigMapOptional", (s["configMap"] or {}).get("optional", NONE))
                if "downwardAPI" in s:
                    out.kv(lv, "DownwardAPI", "true")
                if "secret" in s:
                    out.kv(lv, "SecretName", (s["secret"] or {}).get("name", ""))
        else:
            kinds = [k for k in v if k != "name"]
            out.kv(lv, "Type", kinds[0] if kinds else "<unknown>")


def _tolerations(tolerations: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for t in tolerations:
        text = t.get("key", "")
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        out.append(text)
    return out


def write_pod_template(out: PrefixWriter, template: Mapping[str, Any], fmt: TimeFormat) -> None:
    out.head(0, "Pod Template")
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    out.multi(1, "Labels", label_lines(meta.get("labels")))
    if meta.get("annotations"):
        out.multi(1, "Annotations", annotation_lines(meta.get("annotations")))
    if spec.get("serviceAccountName"):
        out.kv(1, "Service Account", spec["serviceAccountName"])
    for label, key in (("Init Containers", "initContainers"), ("Containers", "containers")):
        if spec.get(key):
            out.head(1, label)
            for c in spec[key]:
                _container(out, 2, c, None, fmt)
    _volumes(out, 1, spec.get("volumes") or [])
    out.multi(1, "Node-Selectors", label_lines(spec.get("nodeSelector")))
    out.multi(1, "Tolerations", _tolerations(spec.get("tolerations") or []))


def describe_pod(subject: Subject, out: PrefixWriter) -> None:
    events, fmt = subject.events, subject.times
    meta, spec, status = subject.meta, subject.spec, subject.status
    out.kv(0, "Name", meta.get("name"))
    out.kv(0, "Namespace", meta.get("namespace"))
    out.kv(0, "Priority", spec.get("priority", 0))
    if spec.get("priorityClassName"):
        out.kv(0, "Priority Class Name", spec["priorityClassName"])
    out.kv(0, "Service Account", spec.get("serviceAccountName") or spec.get("serviceAccount"))
    node = spec.get("nodeName")
    out.kv(0, "Node", f"{node}/{status.get('hostIP', '')}" if node else NONE)
    if status.get("startTime"):
        out.kv(0, "Start Time", fmt.when(status["startTime"]))
    write_labels(out, meta)
    if meta.get("deletionTimestamp"):
        out.kv(0, "Status", f"Terminating (lasts {fmt.age(meta['deletionTimestamp'])})")
        out.kv(0, "Termination Grace Period", f"{meta.get('deletionGracePeriodSeconds', 0)}s")
    else:
        out.kv(0, "Status", status.get("phase", "Unknown"))
    if status.get("reason"):
        out.kv(0, "Reason", status["reason"])
    if status.get("message"):
        out.kv(0, "Message", status["message"])
    out.kv(0, "IP", status.get("podIP", ""))
    ips = [p.get("ip", "") for p in status.get("podIPs") or []]
    if ips:
        out.head(0, "IPs")
        for ip in ips:
            out.kv(1, "IP", ip)
    else:
        out.kv(0, "IPs", NONE)
    controller = controller_of(meta)
    if controller:
        out.kv(0, "Controlled By", controller)
    statuses = {s.get("name"): s for s in status.get("containerStatuses") or []}
    init_statuses = {s.get("name"): s for s in status.get("initContainerStatuses") or []}
    if spec.get("initContainers"):
        out.head(0, "Init Containers")
        for c in spec["initContainers"]:
            _container(out, 1, c, init_statuses.get(c.get("name"), {}), fmt)
    out.head(0, "Containers")
    for c in spec.get("containers") or []:
        _container(out, 1, c, statuses.get(c.get("name"), {}), fmt)
    conditions = status.get("conditions") or []
    if conditions:
        write_conditions(out, conditions, reason=False)
    _volumes(out, 0, spec.get("volumes") or [])
    out.kv(0, "QoS Class", status.get("qosClass", ""))
    out.multi(0, "Node-Selectors", label_lines(spec.get("nodeSelector")))
    out.multi(0, "Tolerations", _tolerations(spec.get("tolerations") or []))
    write_events(out, events, fmt)
