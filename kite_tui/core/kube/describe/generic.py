"""Every other kind, custom resources included: kubectl's generic layout (metadata, then
spec and status flattened under title-cased keys), a conditions table and the events."""

from __future__ import annotations

import re
from typing import Any

from kite_tui.core.kube.describe.common import Subject, write_events, write_meta
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["describe_generic", "smart_label"]


_ACRONYMS = {
    "api",
    "ip",
    "ips",
    "uid",
    "id",
    "url",
    "dns",
    "tls",
    "cidr",
    "cpu",
    "os",
    "http",
    "tcp",
    "udp",
    "ttl",
    "ca",
    "pvc",
    "qos",
}


def smart_label(key: str) -> str:
    """kubectl's generic describer labels: ``creationTimestamp`` -> ``Creation Timestamp``.

    Keys that are not plain camelCase identifiers (label keys, ``app.kubernetes.io/name``,
    map keys with dashes) are printed as they are.
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key):
        return key
    # Acronym runs stay whole, plural ones too: podIPs -> Pod IPs, HTTPGet -> HTTP Get.
    words = re.findall(r"[A-Z]{2,}s?(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+", key)
    out = []
    for w in words:
        lw = w.lower()
        if lw in _ACRONYMS:
            out.append("IPs" if lw == "ips" else lw.upper())
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def _scalar(value: Any) -> str:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _flatten(out: PrefixWriter, level: int, key: str, value: Any) -> None:
    label = smart_label(key)
    if isinstance(value, dict):
        if not value:
            return
        out.head(level, label)
        for k, v in value.items():
            _flatten(out, level + 1, k, v)
    elif isinstance(value, list):
        if not value:
            return
        if all(not isinstance(v, dict | list) for v in value):
            out.multi(level, label, [_scalar(v) for v in value])
            return
        out.head(level, label)
        for item in value:
            if isinstance(item, dict):
                for k, v in item.items():
                    _flatten(out, level + 1, k, v)
            else:
                out.text(f"{'  ' * (level + 1)}{_scalar(item)}")
    else:
        out.kv(level, label, _scalar(value))


def describe_generic(subject: Subject, out: PrefixWriter) -> None:
    obj, events, fmt = subject.obj, subject.events, subject.times
    meta = subject.meta
    write_meta(out, meta, fmt, created=False)
    out.kv(0, "API Version", obj.get("apiVersion", ""))
    out.kv(0, "Kind", obj.get("kind", ""))
    rest_meta = {
        k: v
        for k, v in meta.items()
        if k not in ("name", "namespace", "labels", "annotations", "managedFields")
    }
    _flatten(out, 0, "metadata", rest_meta)
    keys = [k for k in obj if k not in ("apiVersion", "kind", "metadata", "status")]
    keys.sort(key=lambda k: (k != "spec", k))
    for key in keys:
        _flatten(out, 0, key, obj[key])
    status = obj.get("status")
    conditions: list[Any] = []
    if isinstance(status, dict):
        conditions = status.get("conditions") or []
        _flatten(out, 0, "status", {k: v for k, v in status.items() if k != "conditions"})
    elif status is not None:
        _flatten(out, 0, "status", status)
    if conditions and all(isinstance(c, dict) for c in conditions):
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "Reason", "Message")
        out.row(1, "----", "------", "------", "-------")
        for c in conditions:
            message = " ".join(str(c.get("message", "")).split())
            out.row(1, c.get("type", ""), c.get("status", ""), c.get("reason", ""), message)
    write_events(out, events, fmt)
