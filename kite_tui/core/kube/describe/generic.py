"""Every other kind, custom resources included: kubectl's generic layout (the header, then
every field of the object, sorted, nested maps indented under smart labels), and the events.

This is kubectl's ``genericDescriber`` with ``printUnstructuredContent`` and
``smartLabelFor``, quirks included (``podIPs`` reads ``Pod I Ps``, as it does there).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kite_tui.core.kube.describe.common import Subject, write_events, write_labels
from kite_tui.core.kube.describe.writer import PrefixWriter

__all__ = ["describe_generic", "smart_label"]

_ACRONYMS = ("API", "URL", "UID", "GUID")
_SKIP = {
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
}


def _char_class(ch: str) -> int:
    if ch.islower():
        return 1
    if ch.isupper():
        return 2
    if ch.isdigit():
        return 3
    return 4


def _camel_split(text: str) -> list[str]:
    """fatih/camelcase's ``Split``: runs of one character class, an upper-case letter
    followed by lower case moved to the word it starts."""
    runs: list[list[str]] = []
    last = 0
    for ch in text:
        cls = _char_class(ch)
        if runs and cls == last:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        last = cls
    for i in range(len(runs) - 1):
        if runs[i] and runs[i][0].isupper() and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(r) for r in runs if r]


def smart_label(field: str) -> str:
    """kubectl's ``smartLabelFor``: ``creationTimestamp`` -> ``Creation Timestamp``,
    ``uid`` -> ``UID``; a key with anything but letters and ``-`` is printed as it is."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = _camel_split(field)
    merged: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if i < len(parts) - 1:
            upper = all(not ch.isalpha() or ch.isupper() for ch in part)
            if len(part) >= 2 and upper and parts[i + 1][:1].isupper():
                merged.append(part + parts[i + 1])
                i += 2
                continue
        merged.append(part)
        i += 1
    out = []
    for part in merged:
        if part == "_":
            continue
        if part.upper() in _ACRONYMS:
            part = part.upper()
        elif part.lower() == part:
            part = part[:1].upper() + part[1:]
        out.append(part)
    return " ".join(out)


def _go_value(value: Any) -> str:
    """A JSON value as Go's ``%v`` prints what the JSON decoder made of it."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


def _go_float(f: float) -> str:
    """Go's ``%v`` of a float64 (``strconv`` 'g', shortest): ``3.5``, ``123456``, ``1e+06``."""
    if f != f or f in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[repr(f)]
    if f == 0:
        return "-0" if str(f).startswith("-") else "0"
    sign, digits, exp = Decimal(repr(f)).normalize().as_tuple()
    text = "".join(map(str, digits))
    e = len(text) + int(exp) - 1
    minus = "-" if sign else ""
    if e < -4 or e >= 6:
        mantissa = text[0] + (f".{text[1:]}" if len(text) > 1 else "")
        return f"{minus}{mantissa}e{'-' if e < 0 else '+'}{abs(e):02d}"
    if e < 0:
        return f"{minus}0.{'0' * (-e - 1)}{text}"
    whole = text[: e + 1].ljust(e + 1, "0")
    frac = text[e + 1 :]
    return f"{minus}{whole}" + (f".{frac}" if frac else "")


def _print_content(out: PrefixWriter, level: int, content: Mapping[str, Any], prefix: str) -> None:
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in _SKIP:
            continue
        if isinstance(value, Mapping):
            out.head(level, smart_label(field))
            _print_content(out, level + 1, value, path)
        elif isinstance(value, list):
            out.head(level, smart_label(field))
            for child in value:
                if isinstance(child, Mapping):
                    _print_content(out, level + 1, child, path)
                else:
                    out.row(level + 1, _go_list_item(child))
        else:
            out.kv(level, smart_label(field), _go_value(value), empty="")


def _go_list_item(value: Any) -> str:
    if isinstance(value, list):
        return "[" + " ".join(_go_list_item(v) for v in value) + "]"
    return _go_value(value)


def describe_generic(subject: Subject, out: PrefixWriter) -> None:
    meta = subject.meta
    out.kv(0, "Name", meta.get("name", ""), empty="")
    out.kv(0, "Namespace", meta.get("namespace", ""), empty="")
    write_labels(out, meta)
    _print_content(out, 0, subject.obj, "")
    write_events(out, subject.events, subject.times)
