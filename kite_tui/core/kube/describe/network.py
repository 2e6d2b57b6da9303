"""Networking beside services and ingresses: endpoints, endpoint slices, network policies
and ingress classes (kubectl's ``describeEndpoints``, ``describeEndpointSliceV1``,
``describeNetworkPolicy``, ``describeIngressClassV1``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import Subject, parse_time, write_events, write_labels
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.selectors import label_selector_string

__all__ = [
    "describe_endpoint_slice",
    "describe_endpoints",
    "describe_ingress_class",
    "describe_network_policy",
]


def _name_namespace(out: PrefixWriter, meta: Mapping[str, Any]) -> None:
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    write_labels(out, meta)


def describe_endpoints(subject: Subject, out: PrefixWriter) -> None:
    _name_namespace(out, subject.meta)
    out.head(0, "Subsets")
    for subset in subject.obj.get("subsets") or []:
        for label, key in (("Addresses", "addresses"), ("NotReadyAddresses", "notReadyAddresses")):
            ips = ",".join(str(a.get("ip", "")) for a in subset.get(key) or [])
            out.kv(1, label, ips or NONE)
        ports = subset.get("ports") or []
        if ports:
            out.head(1, "Ports")
            out.row(2, "Name", "Port", "Protocol")
            out.row(2, "----", "----", "--------")
            for p in ports:
                out.row(2, p.get("name") or "<unset>", p.get("port", 0), p.get("protocol", ""))
        out.text()
    write_events(out, subject.events, subject.times)


def _go_bool(value: Any) -> str:
    return "<unset>" if value is None else ("true" if value else "false")


def describe_endpoint_slice(subject: Subject, out: PrefixWriter) -> None:
    obj = subject.obj
    _name_namespace(out, subject.meta)
    out.kv(0, "AddressType", obj.get("addressType", ""), empty="")
    ports = obj.get("ports") or []
    if not ports:
        out.text("Ports: <unset>")
    else:
        out.head(0, "Ports")
        out.row(1, "Name", "Port", "Protocol")
        out.row(1, "----", "----", "--------")
        for p in ports:
            number = p.get("port")
            out.row(
                1,
                p.get("name") or "<unset>",
                "<unset>" if number is None else number,
                p.get("protocol", ""),
            )
    endpoints = obj.get("endpoints") or []
    if not endpoints:
        out.text("Endpoints: <none>")
    else:
        out.head(0, "Endpoints")
        for ep in endpoints:
            out.kv(1, "- Addresses", ", ".join(str(a) for a in ep.get("addresses") or []) or NONE)
            out.head(2, "Conditions")
            out.kv(3, "Ready", _go_bool((ep.get("conditions") or {}).get("ready")))
            hostname = ep.get("hostname")
            out.kv(2, "Hostname", "<unset>" if hostname is None else hostname, empty="")
            ref = ep.get("targetRef")
            if ref is not None:
                out.kv(2, "TargetRef", f"{ref.get('kind', '')}/{ref.get('name', '')}")
            for label, key in (("NodeName", "nodeName"), ("Zone", "zone")):
                value = ep.get(key)
                out.kv(2, label, "<unset>" if value is None else value, empty="")
    write_events(out, subject.events, subject.times)


def _go_time(subject: Subject, value: Any) -> str:
    """A ``metav1.Time`` printed with ``%s`` (Go's ``time.Time.String``)."""
    dt = parse_time(value)
    if dt is None:
        return "0001-01-01 00:00:00 +0000 UTC"
    local = dt.astimezone(subject.times.tz)
    return local.strftime("%Y-%m-%d %H:%M:%S %z ") + (local.tzname() or "")


def _selector(selector: Mapping[str, Any]) -> str:
    return label_selector_string(selector) or NONE


def _peers(out: PrefixWriter, rules: Sequence[Mapping[str, Any]], way: str, peers_key: str) -> None:
    indent = "    "
    if not rules:
        direction = "ingress" if way == "From" else "egress"
        out.text(f"{indent}<none> (Selected pods are isolated for {direction} connectivity)")
        return
    for i, rule in enumerate(rules):
        ports = rule.get("ports") or []
        if not ports:
            out.text(f"{indent}To Port: <any> (traffic allowed to all ports)")
        for port in ports:
            number = port.get("port")
            text = "<nil>" if number is None else str(number)
            proto = port.get("protocol") or "TCP"
            if port.get("endPort") is None:
                out.text(f"{indent}To Port: {text}/{proto}")
            else:
                out.text(f"{indent}To Port Range: {text}-{port['endPort']}/{proto}")
        peers = rule.get(peers_key) or []
        if not peers:
            what = "source" if way == "From" else "destination"
            out.text(f"{indent}{way}: <any> (traffic not restricted by {what})")
        for peer in peers:
            out.text(f"{indent}{way}:")
            pods, namespaces = peer.get("podSelector"), peer.get("namespaceSelector")
            if namespaces is not None:
                out.text(f"  {indent}NamespaceSelector: {_selector(namespaces)}")
            if pods is not None:
                out.text(f"  {indent}PodSelector: {_selector(pods)}")
            if pods is None and namespaces is None and peer.get("ipBlock") is not None:
                block = peer["ipBlock"]
                out.text(f"  {indent}IPBlock:")
                out.text(f"    {indent}CIDR: {block.get('cidr', '')}")
                out.text(f"    {indent}Except: {', '.join(block.get('except') or [])}")
        if i != len(rules) - 1:
            out.text(f"{indent}----------")


def describe_network_policy(subject: Subject, out: PrefixWriter) -> None:
    meta, spec = subject.meta, subject.spec
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    out.kv(0, "Created on", _go_time(subject, meta.get("creationTimestamp")))
    write_labels(out, meta)
    out.head(0, "Spec")
    pod_selector = spec.get("podSelector") or {}
    if not pod_selector.get("matchLabels") and not pod_selector.get("matchExpressions"):
        selected = "<none> (Allowing the specific traffic to all pods in this namespace)"
    else:
        selected = label_selector_string(pod_selector) or NONE
    out.text(f"  PodSelector:     {selected}")
    types = [str(t) for t in spec.get("policyTypes") or []]
    if "Ingress" in types:
        out.text("  Allowing ingress traffic:")
        _peers(out, spec.get("ingress") or [], "From", "from")
    else:
        out.text("  Not affecting ingress traffic")
    if "Egress" in types:
        out.text("  Allowing egress traffic:")
        _peers(out, spec.get("egress") or [], "To", "to")
    else:
        out.text("  Not affecting egress traffic")
    out.text(f"  Policy Types: {', '.join(types) or NONE}")


def describe_ingress_class(subject: Subject, out: PrefixWriter) -> None:
    meta, spec = subject.meta, subject.spec
    out.kv(0, "Name", meta.get("name"), empty="")
    write_labels(out, meta)
    out.kv(0, "Controller", spec.get("controller", ""), empty="")
    params = spec.get("parameters")
    if params is not None:
        out.head(0, "Parameters")
        if params.get("apiGroup") is not None:
            out.kv(1, "APIGroup", params["apiGroup"], empty="")
        out.kv(1, "Kind", params.get("kind", ""), empty="")
        out.kv(1, "Name", params.get("name", ""), empty="")
    write_events(out, subject.events, subject.times)
