"""Pods, and the pod templates of workloads: containers, probes, environment, volumes.

Line for line kubectl's ``describePod`` and ``DescribePodTemplate``: a container without a
status (a pending pod's, any template's) has no Container ID, Image ID or state lines; a
template's containers and volumes are one space further in, as kubectl writes them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    TimeFormat,
    annotation_lines,
    controller_of,
    label_lines,
    write_events,
    write_labels,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.quantity import Quantity, canonical
from kite_tui.core.kube.selectors import label_selector_string

__all__ = ["describe_pod", "pod_qos", "tolerations_lines", "write_pod_template"]


def _join_host_port(host: str, port: str) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _probe(probe: Mapping[str, Any]) -> str:
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 0)}s "
        f"period={probe.get('periodSeconds', 0)}s "
        f"successThreshold={probe.get('successThreshold', 0)} "
        f"failureThreshold={probe.get('failureThreshold', 0)}"
    )
    if "exec" in probe:
        return (
            f"exec [{' '.join(str(c) for c in (probe['exec'] or {}).get('command') or [])}] {attrs}"
        )
    if "httpGet" in probe:
        g = probe["httpGet"] or {}
        port, host = str(g.get("port", "")), str(g.get("host", ""))
        where = _join_host_port(host, port) if port else host
        scheme = str(g.get("scheme", "")).lower()
        url = f"{scheme}://{where}" if scheme else f"//{where}" if where else ""
        return f"http-get {url}{g.get('path', '')} {attrs}"
    if "tcpSocket" in probe:
        t = probe["tcpSocket"] or {}
        return f"tcp-socket {t.get('host', '')}:{t.get('port', '')} {attrs}"
    if "grpc" in probe:
        g = probe["grpc"] or {}
        return f"grpc <pod>:{g.get('port', 0)} {g.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _field_value(pod: Mapping[str, Any] | None, path: str) -> str:
    """The value kubectl shows for a downward-API ``fieldRef``: it resolves the path through
    the generic field-label conversion, which knows only the name and namespace; any other
    path (``status.podIP``, ``metadata.labels['x']``) shows as empty, and so here."""
    if pod is None or path not in ("metadata.name", "metadata.namespace"):
        return ""
    return str((pod.get("metadata") or {}).get(path.split(".")[1]) or "")


def _resource_field_value(ref: Mapping[str, Any], container: Mapping[str, Any]) -> str:
    """kubectl's ``ExtractContainerResourceValue``: the container's own limit or request,
    divided by the divisor and rounded up."""
    kind, _, name = str(ref.get("resource", "")).partition(".")
    resources = container.get("resources") or {}
    raw = (resources.get(kind) or {}).get(name)
    try:
        value = Quantity.parse(raw) if raw is not None else Quantity()
        divisor = Quantity.parse(ref.get("divisor") or "1")
    except ValueError:
        return ""
    if name == "cpu":
        top, bottom = value.milli_value(), divisor.milli_value()
    elif name in ("memory", "ephemeral-storage") or name.startswith("hugepages-"):
        top, bottom = value.value(), divisor.value()
    else:
        return ""
    return str(math.ceil(top / bottom)) if bottom else ""


def _ports(ports: Sequence[Mapping[str, Any]], key: str) -> str:
    parts = []
    for p in ports:
        text = f"{p.get(key, 0)}/{p.get('protocol', 'TCP')}"
        if p.get("name"):
            text += f" ({p['name']})"
        parts.append(text)
    return ", ".join(parts)


def _state(
    out: PrefixWriter, level: int, label: str, state: Mapping[str, Any], fmt: TimeFormat
) -> None:
    if state.get("running") is not None:
        out.kv(level, label, "Running")
        out.kv(level + 1, "Started", fmt.when((state["running"] or {}).get("startedAt")))
    elif state.get("waiting") is not None:
        out.kv(level, label, "Waiting")
        if (state["waiting"] or {}).get("reason"):
            out.kv(level + 1, "Reason", state["waiting"]["reason"])
    elif state.get("terminated") is not None:
        t = state["terminated"] or {}
        out.kv(level, label, "Terminated")
        if t.get("reason"):
            out.kv(level + 1, "Reason", t["reason"])
        if t.get("message"):
            out.kv(level + 1, "Message", t["message"])
        out.kv(level + 1, "Exit Code", t.get("exitCode", 0))
        if t.get("signal"):
            out.kv(level + 1, "Signal", t["signal"])
        out.kv(level + 1, "Started", fmt.when(t.get("startedAt")))
        out.kv(level + 1, "Finished", fmt.when(t.get("finishedAt")))
    else:
        out.kv(level, label, "Waiting")


def write_resources(out: PrefixWriter, level: int, resources: Mapping[str, Any]) -> None:
    for label, key in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(key) or {}
        if values:
            out.head(level, label)
            for name, qty in sorted(values.items()):
                out.kv(level + 1, name, canonical(qty), empty="")


def _env(out: PrefixWriter, lv: int, c: Mapping[str, Any], pod: Mapping[str, Any] | None) -> None:
    env = c.get("env") or []
    if not env:
        out.kv(lv, "Environment", NONE)
        return
    out.head(lv, "Environment")
    for e in env:
        name = e.get("name", "")
        src = e.get("valueFrom")
        if src is None:
            first, *more = str(e.get("value", "")).split("\n")
            out.kv(lv + 1, name, first, empty="")
            for line in more:
                out.kv_more(lv + 1, line)
        elif src.get("fieldRef") is not None:
            r = src["fieldRef"] or {}
            path = r.get("fieldPath", "")
            value = _field_value(pod, path)
            out.kv(lv + 1, name, f"{value} ({r.get('apiVersion', 'v1')}:{path})")
        elif src.get("resourceFieldRef") is not None:
            r = src["resourceFieldRef"] or {}
            value = _resource_field_value(r, c)
            if value == "0" and r.get("resource") in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            out.kv(lv + 1, name, f"{value} ({r.get('resource', '')})")
        elif src.get("secretKeyRef") is not None:
            r = src["secretKeyRef"] or {}
            out.row(
                lv + 1,
                f"{name}:",
                f"<set to the key '{r.get('key', '')}' in secret '{r.get('name', '')}'>",
                f"Optional: {str(bool(r.get('optional'))).lower()}",
            )
        elif src.get("configMapKeyRef") is not None:
            r = src["configMapKeyRef"] or {}
            out.row(
                lv + 1,
                f"{name}:",
                f"<set to the key '{r.get('key', '')}' of config map '{r.get('name', '')}'>",
                f"Optional: {str(bool(r.get('optional'))).lower()}",
            )


def _container(
    out: PrefixWriter,
    c: Mapping[str, Any],
    status: Mapping[str, Any] | None,
    fmt: TimeFormat,
    pod: Mapping[str, Any] | None,
    name_indent: str,
) -> None:
    """One container at kubectl's levels (name at 1, details at 2), whatever the caller."""
    out.head(1, f"{name_indent}{c.get('name', '')}")
    lv = 2
    if status is not None:
        out.kv(lv, "Container ID", status.get("containerID", ""), empty="")
    out.kv(lv, "Image", c.get("image", ""), empty="")
    if status is not None:
        out.kv(lv, "Image ID", status.get("imageID", ""), empty="")
    ports = c.get("ports") or []
    cp, hp = _ports(ports, "containerPort"), _ports(ports, "hostPort")
    out.kv(lv, "Ports" if "," in cp else "Port", cp or NONE)
    out.kv(lv, "Host Ports" if "," in hp else "Host Port", hp or NONE)
    seccomp = (c.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        out.kv(lv, "SeccompProfile", seccomp.get("type", ""))
        if seccomp.get("type") == "Localhost":
            out.kv(lv + 1, "LocalhostProfile", seccomp.get("localhostProfile", ""))
    for label, key in (("Command", "command"), ("Args", "args")):
        if c.get(key):
            out.head(lv, label)
            for part in c[key]:
                for line in str(part).split("\n"):
                    out.row(lv + 1, line)
    if status is not None:
        _state(out, lv, "State", status.get("state") or {}, fmt)
        last = status.get("lastState") or {}
        if last.get("terminated") is not None:
            _state(out, lv, "Last State", last, fmt)
        out.kv(lv, "Ready", "True" if status.get("ready") else "False")
        out.kv(lv, "Restart Count", status.get("restartCount", 0))
    write_resources(out, lv, c.get("resources") or {})
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
            kind = ""
            ref: Mapping[str, Any] = {}
            if src.get("configMapRef") is not None:
                kind, ref = "ConfigMap", src["configMapRef"] or {}
            elif src.get("secretRef") is not None:
                kind, ref = "Secret", src["secretRef"] or {}
            prefix = f" with prefix '{src['prefix']}'" if src.get("prefix") else ""
            optional = str(bool(ref.get("optional"))).lower()
            out.row(lv + 1, ref.get("name", ""), f"{kind}{prefix}", f"Optional: {optional}")
    _env(out, lv, c, pod)
    mounts = sorted(c.get("volumeMounts") or [], key=lambda m: str(m.get("mountPath", "")))
    if mounts:
        out.head(lv, "Mounts")
        for m in mounts:
            flags = ["ro" if m.get("readOnly") else "rw"]
            if m.get("subPath"):
                flags.append(f"path={json.dumps(m['subPath'])}")
            out.row(lv + 1, f"{m.get('mountPath')} from {m.get('name')} ({','.join(flags)})")
    else:
        out.kv(lv, "Mounts", NONE)
    devices = sorted(c.get("volumeDevices") or [], key=lambda d: str(d.get("devicePath", "")))
    if devices:
        out.head(lv, "Devices")
        for d in devices:
            out.row(lv + 1, f"{d.get('devicePath')} from {d.get('name')}")


def _containers(
    out: PrefixWriter,
    label: str,
    containers: Sequence[Mapping[str, Any]],
    statuses: Sequence[Mapping[str, Any]] | None,
    fmt: TimeFormat,
    pod: Mapping[str, Any] | None,
    space: str = "",
) -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    out.row(0, f"{space}{label}:" + ("" if containers else " <none>"))
    for c in containers:
        _container(out, c, by_name.get(c.get("name")), fmt, pod, " " if space else "")


def _bool(value: Any) -> str:
    return str(bool(value)).lower()


def _volumes(out: PrefixWriter, volumes: Sequence[Mapping[str, Any]], space: str = "") -> None:
    if not volumes:
        out.kv(0, f"{space}Volumes", NONE)
        return
    out.row(0, f"{space}Volumes:")
    lv = 2
    for v in volumes:
        out.head(1, f"{' ' if space else ''}{v.get('name', '')}")
        if v.get("hostPath") is not None:
            src = v["hostPath"] or {}
            out.kv(lv, "Type", "HostPath (bare host directory volume)")
            out.kv(lv, "Path", src.get("path", ""), empty="")
            out.kv(lv, "HostPathType", src.get("type") or NONE)
        elif v.get("emptyDir") is not None:
            src = v["emptyDir"] or {}
            size = src.get("sizeLimit")
            try:
                positive = size is not None and Quantity.parse(size).nanos > 0
            except ValueError:
                positive = False
            out.kv(lv, "Type", "EmptyDir (a temporary directory that shares a pod's lifetime)")
            out.kv(lv, "Medium", src.get("medium", ""), empty="")
            out.kv(lv, "SizeLimit", canonical(size) if positive else "<unset>")
        elif v.get("secret") is not None:
            src = v["secret"] or {}
            out.kv(lv, "Type", "Secret (a volume populated by a Secret)")
            out.kv(lv, "SecretName", src.get("secretName", ""), empty="")
            out.kv(lv, "Optional", _bool(src.get("optional")))
        elif v.get("configMap") is not None:
            src = v["configMap"] or {}
            out.kv(lv, "Type", "ConfigMap (a volume populated by a ConfigMap)")
            out.kv(lv, "Name", src.get("name", ""), empty="")
            out.kv(lv, "Optional", _bool(src.get("optional")))
        elif v.get("nfs") is not None:
            src = v["nfs"] or {}
            out.kv(lv, "Type", "NFS (an NFS mount that lasts the lifetime of a pod)")
            out.kv(lv, "Server", src.get("server", ""), empty="")
            out.kv(lv, "Path", src.get("path", ""), empty="")
            out.kv(lv, "ReadOnly", _bool(src.get("readOnly")))
        elif v.get("persistentVolumeClaim") is not None:
            src = v["persistentVolumeClaim"] or {}
            out.kv(
                lv,
                "Type",
                "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                "namespace)",
            )
            out.kv(lv, "ClaimName", src.get("claimName", ""), empty="")
            out.kv(lv, "ReadOnly", _bool(src.get("readOnly")))
        elif v.get("downwardAPI") is not None:
            src = v["downwardAPI"] or {}
            out.kv(lv, "Type", "DownwardAPI (a volume populated by information about the pod)")
            out.head(lv, "Items")
            for item in src.get("items") or []:
                if item.get("fieldRef") is not None:
                    out.row(lv + 1, f"{item['fieldRef'].get('fieldPath')} -> {item.get('path')}")
                if item.get("resourceFieldRef") is not None:
                    res = item["resourceFieldRef"].get("resource")
                    out.row(lv + 1, f"{res} -> {item.get('path')}")
        elif v.get("projected") is not None:
            src = v["projected"] or {}
            out.kv(
                lv, "Type", "Projected (a volume that contains injected data from multiple sources)"
            )
            for s in src.get("sources") or []:
                if s.get("secret") is not None:
                    out.kv(lv, "SecretName", s["secret"].get("name", ""), empty="")
                    out.kv(lv, "Optional", _bool(s["secret"].get("optional")))
                elif s.get("downwardAPI") is not None:
                    out.kv(lv, "DownwardAPI", "true")
                elif s.get("configMap") is not None:
                    out.kv(lv, "ConfigMapName", s["configMap"].get("name", ""), empty="")
                    out.kv(lv, "Optional", _bool(s["configMap"].get("optional")))
                elif s.get("serviceAccountToken") is not None:
                    sat = s["serviceAccountToken"] or {}
                    out.kv(lv, "TokenExpirationSeconds", sat.get("expirationSeconds", 3607))
        elif v.get("csi") is not None:
            src = v["csi"] or {}
            out.kv(lv, "Type", "CSI (a Container Storage Interface (CSI) volume source)")
            out.kv(lv, "Driver", src.get("driver", ""), empty="")
            out.kv(lv, "FSType", src.get("fsType", ""), empty="")
            out.kv(lv, "ReadOnly", _bool(src.get("readOnly")))
            attrs = src.get("volumeAttributes") or {}
            if attrs:
                out.multi(lv, "VolumeAttributes", [f"{k}={v}" for k, v in sorted(attrs.items())])
        else:
            out.row(1, "<unknown>")


def tolerations_lines(tolerations: Sequence[Mapping[str, Any]]) -> list[str]:
    """kubectl's toleration lines, sorted by key."""
    out = []
    for t in sorted(tolerations, key=lambda t: str(t.get("key", ""))):
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


def _topology(out: PrefixWriter, spec: Mapping[str, Any], space: str = "") -> None:
    tscs = sorted(
        spec.get("topologySpreadConstraints") or [], key=lambda t: str(t.get("topologyKey", ""))
    )
    lines = []
    for t in tscs:
        text = (
            f"{t.get('topologyKey', '')}:{t.get('whenUnsatisfiable', '')} when max skew "
            f"{t.get('maxSkew', 0)} is exceeded"
        )
        if t.get("labelSelector") is not None:
            text += f" for selector {label_selector_string(t['labelSelector']) or NONE}"
        lines.append(text)
    if lines:
        out.multi(0, f"{space}Topology Spread Constraints", lines)


def pod_qos(pod: Mapping[str, Any]) -> str:
    """The pod's QoS class: the one in its status, else worked out as kubelet does."""
    status_qos = (pod.get("status") or {}).get("qosClass")
    if status_qos:
        return str(status_qos)
    spec = pod.get("spec") or {}
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    guaranteed = True
    for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        resources = c.get("resources") or {}
        for key, into in (("requests", requests), ("limits", limits)):
            found = set()
            for name, raw in (resources.get(key) or {}).items():
                try:
                    q = Quantity.parse(raw)
                except ValueError:
                    continue
                if name in ("cpu", "memory") and q.nanos:
                    found.add(name)
                    into[name] = into.get(name, Quantity()) + q
            if key == "limits" and found != {"cpu", "memory"}:
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if (
        guaranteed
        and set(requests) <= set(limits)
        and all(limits[n].nanos == requests[n].nanos for n in requests)
    ):
        return "Guaranteed"
    return "Burstable"


def write_pod_template(out: PrefixWriter, template: Mapping[str, Any], fmt: TimeFormat) -> None:
    """kubectl's ``DescribePodTemplate``."""
    out.head(0, "Pod Template")
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    out.multi(0, "  Labels", label_lines(meta.get("labels")))
    if meta.get("annotations"):
        out.multi(0, "  Annotations", annotation_lines(meta.get("annotations")))
    if spec.get("serviceAccountName"):
        out.kv(1, "Service Account", spec["serviceAccountName"])
    if spec.get("initContainers"):
        _containers(out, "Init Containers", spec["initContainers"], None, fmt, None, "  ")
    _containers(out, "Containers", spec.get("containers") or [], None, fmt, None, "  ")
    _volumes(out, spec.get("volumes") or [], "  ")
    _topology(out, spec, "  ")
    if spec.get("priorityClassName"):
        out.kv(1, "Priority Class Name", spec["priorityClassName"])
    out.multi(0, "  Node-Selectors", label_lines(spec.get("nodeSelector")))
    out.multi(0, "  Tolerations", tolerations_lines(spec.get("tolerations") or []))


def describe_pod(subject: Subject, out: PrefixWriter) -> None:
    obj, events, fmt = subject.obj, subject.events, subject.times
    meta, spec, status = subject.meta, subject.spec, subject.status
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    if spec.get("priority") is not None:
        out.kv(0, "Priority", spec["priority"])
    if spec.get("priorityClassName"):
        out.kv(0, "Priority Class Name", spec["priorityClassName"])
    if spec.get("runtimeClassName"):
        out.kv(0, "Runtime Class Name", spec["runtimeClassName"])
    if spec.get("serviceAccountName"):
        out.kv(0, "Service Account", spec["serviceAccountName"])
    node = spec.get("nodeName")
    out.kv(0, "Node", f"{node}/{status.get('hostIP', '')}" if node else NONE)
    if status.get("startTime"):
        out.kv(0, "Start Time", fmt.when(status["startTime"]))
    write_labels(out, meta)
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        out.kv(0, "Status", f"Terminating (lasts {fmt.age(meta['deletionTimestamp'])})")
        out.kv(0, "Termination Grace Period", f"{meta.get('deletionGracePeriodSeconds', 0)}s")
    else:
        out.kv(0, "Status", phase, empty="")
    if status.get("reason"):
        out.kv(0, "Reason", status["reason"])
    if status.get("message"):
        out.kv(0, "Message", status["message"])
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        out.kv(0, "SeccompProfile", seccomp.get("type", ""))
        if seccomp.get("type") == "Localhost":
            out.kv(0, "LocalhostProfile", seccomp.get("localhostProfile", ""))
    out.kv(0, "IP", status.get("podIP", ""), empty="")
    ips = [p.get("ip", "") for p in status.get("podIPs") or []]
    if ips:
        out.head(0, "IPs")
        for ip in ips:
            out.kv(1, "IP", ip, empty="")
    else:
        out.kv(0, "IPs", NONE)
    controller = controller_of(meta)
    if controller:
        out.kv(0, "Controlled By", controller)
    if status.get("nominatedNodeName"):
        out.kv(0, "NominatedNodeName", status["nominatedNodeName"])
    if spec.get("resources") is not None:
        out.head(0, "Resources")
        write_resources(out, 1, spec["resources"] or {})
    if spec.get("initContainers"):
        _containers(
            out,
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses"),
            fmt,
            obj,
        )
    _containers(
        out, "Containers", spec.get("containers") or [], status.get("containerStatuses"), fmt, obj
    )
    if spec.get("ephemeralContainers"):
        _containers(
            out,
            "Ephemeral Containers",
            spec["ephemeralContainers"],
            status.get("ephemeralContainerStatuses"),
            fmt,
            obj,
        )
    conditions = status.get("conditions") or []
    gates = spec.get("readinessGates") or []
    if gates:
        out.head(0, "Readiness Gates")
        out.row(1, "Type", "Status")
        for g in gates:
            found = next(
                (c.get("status") for c in conditions if c.get("type") == g.get("conditionType")),
                NONE,
            )
            out.row(1, f"{g.get('conditionType', '')} ", f"{found} ")
    if conditions:
        out.head(0, "Conditions")
        out.row(1, "Type", "Status")
        for c in conditions:
            out.row(1, f"{c.get('type', '')} ", f"{c.get('status', '')} ")
    _volumes(out, spec.get("volumes") or [])
    out.kv(0, "QoS Class", pod_qos(obj))
    out.multi(0, "Node-Selectors", label_lines(spec.get("nodeSelector")))
    out.multi(0, "Tolerations", tolerations_lines(spec.get("tolerations") or []))
    _topology(out, spec)
    write_events(out, events, fmt)
