"""Services: addresses, ports and the endpoints behind each port."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    label_lines,
    write_events,
    write_meta,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["describe_service"]


def describe_service(subject: Subject, out: PrefixWriter) -> None:
    spec, status = subject.spec, subject.status
    write_meta(out, subject.meta, subject.times, created=False)
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
    slices = subject.related.get("endpointslices")
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
    write_events(out, subject.events, subject.times)


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
