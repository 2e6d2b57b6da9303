"""Networking: services (addresses, ports, the endpoints behind each port) and ingresses
(the rules table, default backend and TLS), as kubectl's ``describeService`` and
``describeIngressV1``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    annotation_lines,
    label_lines,
    related_error,
    write_events,
    write_meta,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["describe_ingress", "describe_service", "format_endpoint_slices"]


def _join_host_port(host: str, port: Any) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def format_endpoint_slices(
    slices: Sequence[Mapping[str, Any]], ports: set[str] | None, most: int = 3
) -> str:
    """kubectl's ``formatEndpointSlices``: the ready addresses serving one of ``ports`` (by
    name; None: every port), the first three and ``+ N more...``."""
    if not slices:
        return NONE
    shown: list[str] = []
    more, count = False, 0
    for s in slices:
        endpoints = s.get("endpoints") or []
        slice_ports = s.get("ports") or []
        if not slice_ports:
            for ep in endpoints:
                if len(shown) == most:
                    more = True
                if (ep.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    shown.append(str((ep.get("addresses") or [""])[0]))
                count += 1
            continue
        for port in slice_ports:
            if ports is not None and str(port.get("name") or "") not in ports:
                continue
            for ep in endpoints:
                if len(shown) == most:
                    more = True
                if (ep.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    addr = str((ep.get("addresses") or [""])[0])
                    shown.append(_join_host_port(addr, port.get("port")))
                count += 1
    text = ",".join(shown)
    return f"{text} + {count - most} more..." if more else text


def describe_service(subject: Subject, out: PrefixWriter) -> None:
    spec, status = subject.spec, subject.status
    write_meta(out, subject.meta, subject.times, created=False)
    out.kv(0, "Selector", ",".join(label_lines(spec.get("selector"))) or NONE)
    out.kv(0, "Type", spec.get("type", ""), empty="")
    if spec.get("ipFamilyPolicy"):
        out.kv(0, "IP Family Policy", spec["ipFamilyPolicy"])
    out.kv(0, "IP Families", ",".join(spec.get("ipFamilies") or []) or NONE)
    out.kv(0, "IP", spec.get("clusterIP", ""), empty="")
    out.kv(0, "IPs", ",".join(spec.get("clusterIPs") or []) or NONE)
    if spec.get("externalIPs"):
        out.kv(0, "External IPs", ",".join(spec["externalIPs"]))
    if spec.get("loadBalancerIP"):
        out.kv(0, "Desired LoadBalancer IP", spec["loadBalancerIP"])
    if spec.get("externalName"):
        out.kv(0, "External Name", spec["externalName"])
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        addrs = [
            (f"{i['ip']}" + (f" ({i['ipMode']})" if i.get("ipMode") else ""))
            if i.get("ip")
            else str(i.get("hostname", ""))
            for i in ingress
        ]
        out.kv(0, "LoadBalancer Ingress", ", ".join(addrs))
    slices = subject.related.get("endpointslices") or []
    for p in spec.get("ports") or []:
        name = p.get("name") or "<unset>"
        proto = p.get("protocol", "")
        out.row(0, "Port:", name, f"{p.get('port')}/{proto}")
        out.kv(0, "TargetPort", f"{p.get('targetPort', p.get('port'))}/{proto}")
        if p.get("appProtocol") is not None:
            out.kv(0, "AppProtocol", p["appProtocol"])
        if p.get("nodePort"):
            out.row(0, "NodePort:", name, f"{p['nodePort']}/{proto}")
        out.kv(0, "Endpoints", format_endpoint_slices(slices, {str(p.get("name") or "")}))
    out.kv(0, "Session Affinity", spec.get("sessionAffinity", ""), empty="")
    if spec.get("externalTrafficPolicy"):
        out.kv(0, "External Traffic Policy", spec["externalTrafficPolicy"])
    if spec.get("internalTrafficPolicy"):
        out.kv(0, "Internal Traffic Policy", spec["internalTrafficPolicy"])
    if spec.get("healthCheckNodePort"):
        out.kv(0, "HealthCheck NodePort", spec["healthCheckNodePort"])
    if spec.get("loadBalancerSourceRanges"):
        out.kv(0, "LoadBalancer Source Ranges", ",".join(spec["loadBalancerSourceRanges"]))
    if spec.get("trafficDistribution"):
        out.kv(0, "Traffic Distribution", spec["trafficDistribution"])
    write_events(out, subject.events, subject.times)


def _backend(subject: Subject, backend: Mapping[str, Any]) -> str:
    svc = backend.get("service")
    if svc is not None:
        port = svc.get("port") or {}
        text = f"{svc.get('name', '')}:{port.get('number') or port.get('name', '')}"
        error = related_error(subject.related, "endpointslices")
        if error:
            return f"{text} (<error: {error}>)"
        service = next(
            (
                s
                for s in subject.related.get("services") or []
                if (s.get("metadata") or {}).get("name") == svc.get("name")
            ),
            None,
        )
        if service is None:
            error = related_error(subject.related, f"services/{svc.get('name', '')}")
            return f"{text} (<error: {error or 'unknown'}>)"
        port_name = ""
        for sp in (service.get("spec") or {}).get("ports") or []:
            by_number = port.get("number") and port.get("number") == sp.get("port")
            if by_number or (port.get("name") and port.get("name") == sp.get("name")):
                port_name = str(sp.get("name") or "")
        slices = [
            s
            for s in subject.related.get("endpointslices") or []
            if ((s.get("metadata") or {}).get("labels") or {}).get("kubernetes.io/service-name")
            == svc.get("name")
        ]
        return f"{text} ({format_endpoint_slices(slices, {port_name})})"
    resource = backend.get("resource")
    if resource is not None:
        return (
            f"APIGroup: {resource.get('apiGroup') or NONE}, Kind: {resource.get('kind', '')}, "
            f"Name: {resource.get('name', '')}"
        )
    return ""


def describe_ingress(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status = subject.meta, subject.spec, subject.status
    out.kv(0, "Name", meta.get("name"), empty="")
    out.multi(0, "Labels", label_lines(meta.get("labels")))
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    addresses = sorted(
        {
            str(i.get("ip") or i.get("hostname"))
            for i in (status.get("loadBalancer") or {}).get("ingress") or []
            if i.get("ip") or i.get("hostname")
        }
    )
    out.kv(0, "Address", ",".join(addresses), empty="")
    out.kv(0, "Ingress Class", spec.get("ingressClassName") or NONE)
    default = spec.get("defaultBackend")
    default_text = _backend(subject, default) if default is not None else "<default>"
    out.kv(0, "Default backend", default_text, empty="")
    if spec.get("tls"):
        out.head(0, "TLS")
        for t in spec["tls"]:
            hosts = ",".join(t.get("hosts") or [])
            if t.get("secretName"):
                out.row(1, f"{t['secretName']} terminates {hosts}")
            else:
                out.row(1, f"SNI routes {hosts}")
    out.head(0, "Rules")
    out.row(1, "Host", "Path", "Backends")
    out.row(1, "----", "----", "--------")
    count = 0
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        out.row(1, rule.get("host") or "*", "")
        for path in (rule.get("http") or {}).get("paths") or []:
            out.row(2, "", f"{path.get('path', '')} ", _backend(subject, path.get("backend") or {}))
    if count == 0:
        out.row(1, "*", "*", default_text)
    out.multi(0, "Annotations", annotation_lines(meta.get("annotations")))
    write_events(out, subject.events, subject.times)
