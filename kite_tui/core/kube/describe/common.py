"""What every describer shares: its one signature (`Describer`, given a `Subject`), time
formatting, and the blocks kubectl prints for many kinds (metadata, conditions, events)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from kite_tui.core.humanize import human_duration
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = [
    "Describer",
    "Subject",
    "TimeFormat",
    "annotation_lines",
    "controller_of",
    "label_lines",
    "parse_time",
    "pvc_class",
    "related_error",
    "write_conditions",
    "write_events",
    "write_labels",
    "write_meta",
]


def parse_time(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class TimeFormat:
    """Time formatting bound to one `now` and time zone, so one describe is consistent."""

    def __init__(self, now: float, tz: tzinfo | None) -> None:
        self.now = now
        self.tz = tz

    def when(self, value: Any) -> str:
        """RFC 1123 with numeric zone, as kubectl: ``Mon, 02 Jan 2006 15:04:05 -0700``."""
        dt = parse_time(value)
        if dt is None:
            return NONE
        return dt.astimezone(self.tz).strftime("%a, %d %b %Y %H:%M:%S %z")

    def between(self, start: Any, end: Any) -> str:
        """The time from ``start`` to ``end``, as kubectl's ``HumanDuration``."""
        a, b = parse_time(start), parse_time(end)
        if a is None or b is None:
            return "<unknown>"
        return human_duration(b.timestamp() - a.timestamp())

    def age(self, value: Any) -> str:
        dt = parse_time(value)
        if dt is None:
            return "<unknown>"
        return human_duration(self.now - dt.timestamp())


@dataclass(frozen=True)
class Subject:
    """What a describer is given: the object, the events about it (oldest first), the
    related objects `related_for` fetched (a key is missing when they were not, or could not
    be, read) and the time formatting of this one describe."""

    obj: Mapping[str, Any]
    events: Sequence[Mapping[str, Any]]
    related: Mapping[str, Sequence[Mapping[str, Any]]]
    times: TimeFormat

    @property
    def meta(self) -> Mapping[str, Any]:
        return self.obj.get("metadata") or {}

    @property
    def spec(self) -> Mapping[str, Any]:
        return self.obj.get("spec") or {}

    @property
    def status(self) -> Mapping[str, Any]:
        return self.obj.get("status") or {}


Describer = Callable[[Subject, PrefixWriter], None]
"""Writes one kind's ``kubectl describe`` layout of ``subject`` to the writer."""


def label_lines(labels: Mapping[str, Any] | None) -> list[str]:
    return [f"{k}={v}" for k, v in sorted((labels or {}).items())]


_ANNOTATION_WIDTH = 140  # kubectl's maxAnnotationLen


def annotation_lines(annotations: Mapping[str, Any] | None) -> list[str]:
    """kubectl's annotation lines: ``key: value``; a long or multi-line value goes below
    its key, two spaces in, each line cut at 138 characters."""
    out = []
    for k, v in sorted((annotations or {}).items()):
        if k == "kubectl.kubernetes.io/last-applied-configuration":
            continue  # kubectl skips it too: a whole copy of the object, on one line
        value = str(v).removesuffix("\n")
        if len(value) + len(k) + 2 > _ANNOTATION_WIDTH or "\n" in value:
            out.append(f"{k}:")
            for line in value.split("\n"):
                cut = _ANNOTATION_WIDTH - 2
                out.append("  " + (line[:cut] + "..." if len(line) > cut else line))
        else:
            out.append(f"{k}: {value}")
    return out


def write_labels(out: PrefixWriter, meta: Mapping[str, Any], indent: int = 0) -> None:
    """The Labels and Annotations lines every kind's header has (wherever kubectl puts them)."""
    out.multi(indent, "Labels", label_lines(meta.get("labels")))
    out.multi(indent, "Annotations", annotation_lines(meta.get("annotations")))


def write_meta(
    out: PrefixWriter, meta: Mapping[str, Any], fmt: TimeFormat, *, created: bool = True
) -> None:
    out.kv(0, "Name", meta.get("name"))
    if meta.get("namespace"):
        out.kv(0, "Namespace", meta.get("namespace"))
    if created:
        out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    write_labels(out, meta)


def related_error(related: Mapping[str, Sequence[Mapping[str, Any]]], what: str) -> str | None:
    """The error reading ``what`` for this describe (the server's words, as kubectl shows
    them), None if it was read or not asked for. `related_for` records these under
    ``"errors"``: ``{"what": "endpointslices", "message": "..."}``."""
    for e in related.get("errors") or []:
        if e.get("what") == what:
            return str(e.get("message", ""))
    return None


def pvc_class(pvc: Mapping[str, Any]) -> str:
    """A claim's storage class: the beta annotation wins over ``spec.storageClassName``
    (kubectl's ``GetPersistentVolumeClaimClass``)."""
    annotations = (pvc.get("metadata") or {}).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in annotations:
        return str(annotations["volume.beta.kubernetes.io/storage-class"])
    return str((pvc.get("spec") or {}).get("storageClassName") or "")


def controller_of(meta: Mapping[str, Any]) -> str | None:
    for ref in meta.get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind')}/{ref.get('name')}"
    return None


def write_conditions(
    out: PrefixWriter, conditions: Sequence[Mapping[str, Any]], reason: bool
) -> None:
    out.head(0, "Conditions")
    if reason:
        out.row(1, "Type", "Status", "Reason")
        out.row(1, "----", "------", "------")
        for c in conditions:
            out.row(1, f"{c.get('type', '')} ", c.get("status", ""), c.get("reason", ""))
    else:
        out.row(1, "Type", "Status")
        for c in conditions:
            out.row(1, f"{c.get('type', '')} ", f"{c.get('status', '')} ")


def write_events(out: PrefixWriter, events: Sequence[Mapping[str, Any]], fmt: TimeFormat) -> None:
    """kubectl's events table (``DescribeEvents``): ages from the event time or the first
    timestamp, ``(xN over ...)`` for repeats, the field path before the message."""
    if not events:
        out.kv(0, "Events", NONE)
        return
    out.head(0, "Events")
    out.row(1, "Type", "Reason", "Age", "From", "Message")
    out.row(1, "----", "------", "----", "----", "-------")
    for e in events:
        series = e.get("series") or {}
        count = int(e.get("count") or 0)
        first = fmt.age(e.get("eventTime") or e.get("firstTimestamp"))
        if series:
            age = (
                f"{fmt.age(series.get('lastObservedTime'))} (x{series.get('count', 0)} "
                f"over {first})"
            )
        elif count > 1:
            age = f"{fmt.age(e.get('lastTimestamp'))} (x{count} over {first})"
        else:
            age = first
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        message = str(e.get("message") or "").strip()
        field_path = (e.get("involvedObject") or {}).get("fieldPath")
        if field_path:
            message = f"{field_path}: {message}"
        out.row(1, e.get("type", ""), e.get("reason", ""), age, source, message)
