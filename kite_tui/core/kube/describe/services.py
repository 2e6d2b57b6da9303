"""Services: addresses, ports and the endpoints behind each port."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    annotation_lines,
    label_lines,
    write_events,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["describe_service"]


def describe_service(subject: Subject, out: PrefixWriter) -> None:
    events, related, fmt = subject.events, subject.related, subject.times
    meta, spec, status = subject.meta, subject.spec, subject.status
    out.kv(0, "Name", meta.get("name"))
    out.kv(0, "Namespace", meta.get("namespace"))
    out.multi(0, "Labels", label_lines(meta.get("labels")))
    out.multi(0, "Annotations", annotation_lines(meta.get("annotations")))
    out.kv(0, "Selector", ",".join(label_lines(spec.get("selector"))) or NONE)
    out.kv(0, "Type", spec.get("type", "ClusterIP"))
    if spec.get("ipFamilyPolicy"):
        out.kv(0, "IP Family Policy", spec["ipFamilyPolicy"])
    if spec.get("ipFamilies"):
        out.kv(0, "IP Families", ",".join(spec["ipFamilies"]))
    out.kv(0, "IP", spec.get("clusterIP", ""))
    if spec.get("clusterIPs"):
        out.kv(0, "IPs", ",".join(spec["clusterIPs"]))
    if spec.get("externalName"):
        out.kv(0, "External Name", spec["externalName"])
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        addrs = [
            (i.get("ip") or i.get("hostname") or "")
            + (f" ({i['ipMode']})" if i.get("ipMode") else "")
            for i in ingress
        ]
        out.kv(0, "LoadBalancer Ingress", ", ".join(addrs))
    slices = related.get("endpointslices")
    for p in spec.get("ports") or []:
        name = p.get("name") or "<unset>"
        proto = p.get("protocol", "TCP")
        out.kv(0, "Port", f"{name}  {p.get('port')}/{proto}")
        out.kv(0, "TargetPort", f"{p.get('targetPort', p.get('port'))}/{proto}")
        if p.get("nodePort"):
            out.kv(0, "NodePort", f"{name}  {p['nodePort']}/{proto}")
        if slices is not None:
            out.kv(0, "Endpoints", _endpoints(slices, p.get("name")) or NONE)
    out.kv(0, "Session Affinity", spec.get("sessionAffinity", "None"))
    if spec.get("externalTrafficPolicy"):
        out.kv(0, "External Traffic Policy", spec["externalTrafficPolicy"])
    if spec.get("internalTrafficPolicy"):
        out.kv(0, "Internal Traffic Policy", spec["internalTrafficPolicy"])
    write_events(out, events, fmt)


def _endpoints(slices: Sequence[Mapping[str, Any]], port_name: str | None) -> str:
    addrs: list[str] = []
    for s in slices:
        ports = [p.get("port") for p in s.get("ports") or [] if p.get("name") == port_name]
        for ep in s.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready") is False:
                continue
            for a in ep.get("addresses") or []:
                addrs.extend(f"{a}:{port}" for port in ports or [""])
    return ",".join(addrs)
