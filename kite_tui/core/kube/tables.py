"""What a resource feed delivers, and how server-side Tables become those rows.

This module owns the feed's values (`FeedKey`, `FeedColumn`, `FeedRow`, `FeedBatch`,
`FeedStatus`) and `TableDecoder`, which turns a ``meta.k8s.io/v1`` Table (what
``kubectl get`` prints; asked for with `TABLE_ACCEPT` and `include_object`) into rows:
column names upper-cased as kubectl prints them, a NAMESPACE column prepended for
all-namespaces views (kubectl -A does that client-side), and plain objects handled for the
rare API that cannot print a Table (kubectl's NAME / AGE fallback). Pure functions of JSON
(and of the clock, below): no I/O.

Cells the server renders against its clock would freeze as they arrive, so they become
times the UI renders as it paints: AGE becomes the creation time; an event's LAST SEEN and
FIRST SEEN the times in the event itself (events are listed with their objects: they are
few and small); a pod's RESTARTS ``5 (3m ago)`` a `Since`, anchored at the moment the text
was read (pods are listed with metadata only: their full objects triple the bytes and cost
a second more per 10,000 pods, for a number that the text gives to its own precision).

A row whose cells do not match the columns (a broken server or proxy) is cut or padded
to fit, and says so in `FeedRow.problem`: bad data shows as an error in its view.
"""

from __future__ import annotations

import enum
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from kite_tui.core.humanize import Since, parse_human_duration
from kite_tui.core.resources import CellKind, ResourceKind, print_columns

__all__ = [
    "NAMESPACE_COLUMN",
    "TABLE_ACCEPT",
    "FeedBatch",
    "FeedColumn",
    "FeedKey",
    "FeedRow",
    "FeedState",
    "FeedStatus",
    "TableDecoder",
    "include_object",
    "initial_columns",
]

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
"""Ask for kubectl's Table; plain JSON is the fallback for APIs that cannot print one."""


class FeedState(enum.StrEnum):
    """Where a feed is (`FeedStatus.state`)."""

    LOADING = "loading"
    READY = "ready"
    RECONNECTING = "reconnecting"
    FORBIDDEN = "forbidden"
    ERROR = "error"
    UNSERVED = "unserved"
    """The server does not serve the kind (a 404); final, the feed stops asking."""
    STOPPED = "stopped"


_EMPTY: Mapping[str, str] = MappingProxyType({})


# ------------------------------------------------------------------------------- values
@dataclass(frozen=True)
class FeedKey:
    """What a feed shows. ``namespace=None`` is all namespaces (ignored for cluster-scoped
    kinds, so that ``nodes`` in any namespace is one feed)."""

    kind: ResourceKind
    namespace: str | None
    label_selector: str | None = None
    field_selector: str | None = None  # e.g. spec.nodeName=NODE for a node's pods

    def __post_init__(self) -> None:
        if not self.kind.namespaced and self.namespace is not None:
            object.__setattr__(self, "namespace", None)
        if not self.label_selector:
            object.__setattr__(self, "label_selector", None)
        if not self.field_selector:
            object.__setattr__(self, "field_selector", None)

    @property
    def all_namespaces(self) -> bool:
        return self.kind.namespaced and self.namespace is None

    def __str__(self) -> str:
        where = ""
        if self.kind.namespaced:
            where = f" -n {self.namespace}" if self.namespace else " -A"
        sel = f" -l {self.label_selector}" if self.label_selector else ""
        sel += f" --field-selector {self.field_selector}" if self.field_selector else ""
        return f"{self.kind.display}{where}{sel}"


@dataclass(frozen=True, slots=True)
class FeedColumn:
    """A Table column. ``name`` is upper-cased as kubectl prints it; ``priority`` 1 is
    ``-o wide`` only. An ``is_age`` column holds times (float epoch or None; AGE: the
    creation time) instead of the server's text, an ``is_since`` column `Since` values
    (or the server's text when there is no time, ``0``), so the UI can tick them."""

    name: str
    type: str = "string"
    format: str = ""
    priority: int = 0
    description: str = field(default="", repr=False)
    is_age: bool = False
    is_since: bool = False


NAMESPACE_COLUMN = FeedColumn("NAMESPACE", "string", "", 0, "The namespace of the object.")


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One object as a row. ``key`` is its uid (else ``namespace/name``); ``cells`` has one
    value per column: str, int/float as the server gave them, epoch float (or None) in an
    age column, `Since` (or str) in a since column. ``problem`` says what was wrong with
    the server's row, which was cut or padded to fit ("" when nothing was)."""

    key: str
    name: str
    namespace: str
    cells: tuple[Any, ...]
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    created: float | None = None
    owner_uids: tuple[str, ...] = ()
    resource_version: str = ""
    problem: str = ""

    def __hash__(self) -> int:  # labels is a mapping: hash what identifies the version
        return hash((self.key, self.resource_version))


@dataclass(frozen=True)
class FeedBatch:
    """A change to the rows. ``reset`` batches carry every row (an empty one means the
    server has none) and the columns; other batches carry what changed since the previous
    batch (``columns`` only when they changed). ``total`` is the row count after it."""

    key: FeedKey
    reset: bool
    columns: tuple[FeedColumn, ...] | None
    upserts: tuple[FeedRow, ...]
    deletes: tuple[str, ...]
    resource_version: str
    total: int


@dataclass(frozen=True)
class FeedStatus:
    """Where the feed is. ``attempt`` counts consecutive failures (0 when healthy);
    ``retry_in`` is the seconds until the next try while reconnecting / forbidden / error."""

    state: FeedState
    message: str = ""
    attempt: int = 0
    retry_in: float | None = None


# ----------------------------------------------------------------------------- decoding
def _epoch(ts: object) -> float | None:
    if not isinstance(ts, str) or not ts:
        return None
    try:
        return datetime.fromisoformat(ts).timestamp()  # 3.11 reads the "Z" suffix
    except ValueError:
        return None


_AS_IS = frozenset({str, int, float})  # exact types: bool is an int but prints as Go does


def _cell(value: object) -> Any:
    if value.__class__ in _AS_IS:
        return value
    if value is None:
        return ""  # kubectl prints a null cell (a printer column that found nothing) blank
    if isinstance(value, bool):
        return "true" if value else "false"  # as Go's %v prints it
    return json.dumps(value, separators=(",", ":"))


def _event_last(obj: Mapping[str, Any]) -> float | None:
    # printEvent: the series' last observation, else lastTimestamp, else eventTime
    # (events.k8s.io/v1 names the old fields deprecated*).
    series = obj.get("series") or {}
    return (
        _epoch(series.get("lastObservedTime"))
        or _epoch(obj.get("lastTimestamp") or obj.get("deprecatedLastTimestamp"))
        or _epoch(obj.get("eventTime"))
    )


def _event_first(obj: Mapping[str, Any]) -> float | None:
    return _epoch(obj.get("firstTimestamp") or obj.get("deprecatedFirstTimestamp")) or _epoch(
        obj.get("eventTime")
    )


# Times read from the object itself, for kinds listed with includeObject=Object.
_OBJECT_TIMES: dict[tuple[str, str], dict[str, Callable[[Mapping[str, Any]], float | None]]] = {
    ("", "events"): {"LAST SEEN": _event_last, "FIRST SEEN": _event_first},
    ("events.k8s.io", "events"): {"LAST SEEN": _event_last, "FIRST SEEN": _event_first},
}

_SINCE = re.compile(r"(\S+) \((\S+) ago\)")


def include_object(kind: ResourceKind) -> str:
    """The ``includeObject`` to list this kind with: ``Object`` when its cells are
    recomputed from the object (events), else ``Metadata``."""
    return "Object" if (kind.group, kind.plural) in _OBJECT_TIMES else "Metadata"


def _feed_column(
    name: str, type_: str, fmt: str, priority: int, description: str, cell: CellKind
) -> FeedColumn:
    return FeedColumn(name, type_, fmt, priority, description, cell == "age", cell == "since")


def initial_columns(key: FeedKey) -> tuple[FeedColumn, ...]:
    """The columns of this feed's kind as kubectl prints them, for its view to show before
    the server's first Table has arrived."""
    cols = [NAMESPACE_COLUMN] if key.all_namespaces else []
    for c in print_columns(key.kind):
        cell: CellKind = "age" if c.name == "AGE" else c.cell
        cols.append(_feed_column(c.name, c.type, "", c.priority, "", cell))
    return tuple(cols)


class TableDecoder:
    """Turns Table JSON (or plain objects, for APIs that cannot print a Table) into rows.

    ``clock`` anchors the cells that the server printed as "time ago" (see the module)."""

    def __init__(self, key: FeedKey, clock: Callable[[], float] = time.time) -> None:
        self.all_ns = key.all_namespaces
        self.columns: tuple[FeedColumn, ...] | None = None
        self._clock = clock
        self._cells = {c.name: c.cell for c in print_columns(key.kind)}
        self._object_times = _OBJECT_TIMES.get((key.kind.group, key.kind.plural), {})
        self._ncols = 0  # columns in the server's cells (no NAMESPACE)
        self._age = -1  # index of the AGE cell in the server's cells
        # (index, column name, cell kind) of the other cells that change with time
        self._timed: list[tuple[int, str, CellKind]] = []
        self._plain = False  # the server sent objects, not Tables

    def set_columns(self, defs: list[dict[str, Any]]) -> bool:
        """Adopt the Table's column definitions; True when they changed."""
        cols: list[FeedColumn] = [NAMESPACE_COLUMN] if self.all_ns else []
        age = -1
        timed: list[tuple[int, str, CellKind]] = []
        for i, d in enumerate(defs):
            name = str(d.get("name") or "").upper()
            cell: CellKind = "text"
            if name == "AGE" and age < 0:
                age, cell = i, "age"
            elif self._cells.get(name, "text") != "text":
                cell = self._cells[name]
                timed.append((i, name, cell))
            cols.append(
                _feed_column(
                    name,
                    str(d.get("type") or "string"),
                    str(d.get("format") or ""),
                    int(d.get("priority") or 0),
                    str(d.get("description") or ""),
                    cell,
                )
            )
        new = tuple(cols)
        self._age, self._timed, self._ncols = age, timed, len(defs)
        if new == self.columns:
            return False  # keep the old tuple: callers test identity
        self.columns = new
        return True

    def decode(self, doc: dict[str, Any]) -> list[FeedRow]:
        """Rows of a Table (adopting its columns if it has any) or of a plain list/object."""
        if doc.get("kind") == "Table":
            defs = doc.get("columnDefinitions")
            if defs:
                self._plain = False
                self.set_columns(defs)
            now = self._clock()
            return [self._table_row(r, now) for r in doc.get("rows") or ()]
        if not self._plain:
            # An API that cannot print a Table: kubectl falls back to NAME and AGE.
            self._plain = True
            self.set_columns([{"name": "Name", "format": "name"}, {"name": "Age"}])
        items = doc.get("items")
        if items is None:
            items = [doc] if "metadata" in doc else []
        return [self._object_row(o) for o in items]

    def _row(
        self,
        meta: dict[str, Any],
        cells: list[Any],
        obj: Mapping[str, Any] | None = None,
        now: float = 0.0,
    ) -> FeedRow:
        name = meta.get("name") or ""
        ns = meta.get("namespace") or ""
        created = _epoch(meta.get("creationTimestamp"))
        as_is = _AS_IS
        out = [c if c.__class__ in as_is else _cell(c) for c in cells]
        problem = ""
        if len(out) != self._ncols:
            problem = (
                f"row {f'{ns}/{name}' if ns else name!r} has {len(out)} cells"
                f" for {self._ncols} columns"
            )
            del out[self._ncols :]
            out.extend([""] * (self._ncols - len(out)))
        if self._age >= 0:
            out[self._age] = created
        for i, column, cell in self._timed:
            out[i] = self._timed_cell(out[i], column, cell, obj, now)
        if self.all_ns:
            out.insert(0, ns)
        labels = meta.get("labels")
        owners = meta.get("ownerReferences")
        return FeedRow(
            meta.get("uid") or f"{ns}/{name}",
            name,
            ns,
            tuple(out),
            MappingProxyType(labels) if labels else _EMPTY,
            created,
            tuple([str(o.get("uid", "")) for o in owners]) if owners else (),
            str(meta.get("resourceVersion") or ""),
            problem,
        )

    def _timed_cell(
        self, text: Any, column: str, cell: CellKind, obj: Mapping[str, Any] | None, now: float
    ) -> Any:
        """A cell the server printed against its clock, as a time the UI renders."""
        if not isinstance(text, str):
            return text
        if cell == "since":
            match = _SINCE.fullmatch(text)
            seconds = parse_human_duration(match[2]) if match else None
            return text if match is None or seconds is None else Since(match[1], now - seconds)
        from_object = self._object_times.get(column)
        if from_object is not None and obj:
            at = from_object(obj)  # None from a metadata-only object: read the text
            if at is not None:
                return at
        seconds = parse_human_duration(text)
        if seconds is not None:
            return now - seconds
        return None if text == "<unknown>" else text  # "<none>" and the like stay as they are

    def _table_row(self, row: dict[str, Any], now: float) -> FeedRow:
        obj = row.get("object") or {}
        meta = obj.get("metadata") or {}
        cells = row.get("cells")
        if not isinstance(cells, list):
            cells = []
        if not meta.get("name") and cells:
            meta = {**meta, "name": str(cells[0])}
        return self._row(meta, cells, obj, now)

    def _object_row(self, obj: dict[str, Any]) -> FeedRow:
        meta = obj.get("metadata") or {}
        return self._row(meta, [meta.get("name") or "", None])
