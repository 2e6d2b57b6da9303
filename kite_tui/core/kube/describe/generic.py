"""Every other kind, custom resources included: kubectl's generic layout (name, namespace,
labels, annotations, then every field of the object in sorted order under kubectl's labels
for the keys) and the events."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kite_tui.core.kube.describe.common import Subject, write_events, write_labels
from kite_tui.core.kube.describe.writer import PrefixWriter

__all__ = ["describe_generic", "smart_label"]


_ACRONYMS = {"API", "URL", "UID", "OSB", "GUID"}
"""The only words kubectl's smartLabelFor upper-cases."""

_CLASS = re.compile(r"[a-z]+|[A-Z]+|[0-9]+|[^a-zA-Z0-9]+")


def _camel_split(key: str) -> list[str]:
    """fatih/camelcase.Split, which kubectl uses: runs of one character class, and an
    upper-case run followed by a lower-case one gives its last letter to it
    (``PDFLoader`` -> ``PDF``, ``Loader``; ``podIPs`` -> ``pod``, ``I``, ``Ps``)."""
    runs = [m.group() for m in _CLASS.finditer(key)]
    for i in range(len(runs) - 1):
        if runs[i][:1].isupper() and runs[i + 1][:1].islower():
            runs[i + 1] = runs[i][-1] + runs[i + 1]
            runs[i] = runs[i][:-1]
    return [r for r in runs if r]


def smart_label(key: str) -> str:
    """kubectl's generic describer labels (smartLabelFor): ``creationTimestamp`` ->
    ``Creation Timestamp``, ``apiVersion`` -> ``API Version``, ``dnsNames`` -> ``Dns Names``.

    A key with anything but letters and ``-`` (label keys, ``ipv4``) is printed as it is.
    """
    if not re.fullmatch(r"[A-Za-z-]*", key):
        return key
    out = []
    for part in _camel_split(key):
        if part == "_":
            continue
        out.append(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(out)


def _scalar(value: Any) -> str:
    """Go's ``%v`` of a decoded JSON scalar."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _content(out: PrefixWriter, level: int, content: Mapping[str, Any], path: str) -> None:
    """printUnstructuredContent: every field in byte order; maps and lists as a heading
    with their content one level in, scalars as ``Label:  value``."""
    for key in sorted(content):
        where = f"{path}.{key}"
        if where in _SKIP:
            continue
        value = content[key]
        if isinstance(value, Mapping):
            out.head(level, smart_label(key))
            _content(out, level + 1, value, where)
        elif isinstance(value, list):
            out.head(level, smart_label(key))
            for item in value:
                if isinstance(item, Mapping):
                    _content(out, level + 1, item, where)
                else:
                    out.text(f"{'  ' * (level + 1)}{_scalar(item)}")
        else:
            out.kv(level, smart_label(key), _scalar(value), empty="")


_SKIP = frozenset(
    {
        ".metadata.managedFields",
        ".metadata.name",
        ".metadata.namespace",
        ".metadata.labels",
        ".metadata.annotations",
    }
)


def describe_generic(subject: Subject, out: PrefixWriter) -> None:
    """kubectl's genericDescriber: name, namespace, labels and annotations, then the whole
    object (``printUnstructuredContent``), then the events."""
    meta = subject.meta
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    write_labels(out, meta)
    _content(out, 0, subject.obj, "")
    write_events(out, subject.events, subject.times)
