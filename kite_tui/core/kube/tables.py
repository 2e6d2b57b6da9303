"""What a resource feed delivers, and how server-side Tables become those rows.

This module owns the feed's values (`FeedKey`, `FeedColumn`, `FeedRow`, `FeedBatch`,
`FeedStatus`) and `TableDecoder`, which turns a ``meta.k8s.io/v1`` Table (what
``kubectl get`` prints; asked for with `TABLE_ACCEPT` and ``includeObject=Metadata``) into
rows: column names upper-cased as kubectl prints them, the AGE cell replaced by the
creation time so the UI can tick it, a NAMESPACE column prepended for all-namespaces
views (kubectl -A does that client-side), and plain objects handled for the rare API that
cannot print a Table (kubectl's NAME / AGE fallback). Pure functions of JSON: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from kite_tui.core.resources import ResourceKind

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
]

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
"""Ask for kubectl's Table; plain JSON is the fallback for APIs that cannot print one."""

FeedState = Literal["loading", "ready", "reconnecting", "forbidden", "error", "unserved", "stopped"]
"""``unserved``: the server does not serve the kind (a 404); final, the feed stops asking."""

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
    ``-o wide`` only. An ``is_age`` column holds the creation time (float epoch or None)
    instead of the server's text, so the UI can tick it."""

    name: str
    type: str = "string"
    format: str = ""
    priority: int = 0
    description: str = field(default="", repr=False)
    is_age: bool = False


NAMESPACE_COLUMN = FeedColumn("NAMESPACE", "string", "", 0, "The namespace of the object.")


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One object as a row. ``key`` is its uid (else ``namespace/name``); ``cells`` has one
    value per column: str, int/float as the server gave them, epoch float (or None) in an
    age column."""

    key: str
    name: str
    namespace: str
    cells: tuple[Any, ...]
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    created: float | None = None
    owner_uids: tuple[str, ...] = ()
    resource_version: str = ""

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
        return "<none>"
    if isinstance(value, bool):
        return "true" if value else "false"  # as Go's %v prints it
    return json.dumps(value, separators=(",", ":"))


class TableDecoder:
    """Turns Table JSON (or plain objects, for APIs that cannot print a Table) into rows."""

    def __init__(self, key: FeedKey) -> None:
        self.all_ns = key.all_namespaces
        self.columns: tuple[FeedColumn, ...] | None = None
        self._age = -1  # index of the AGE cell in the server's cells
        self._plain = False  # the server sent objects, not Tables

    def set_columns(self, defs: list[dict[str, Any]]) -> bool:
        """Adopt the Table's column definitions; True when they changed."""
        cols: list[FeedColumn] = [NAMESPACE_COLUMN] if self.all_ns else []
        age = -1
        for i, d in enumerate(defs):
            name = str(d.get("name") or "").upper()
            is_age = name == "AGE" and age < 0
            if is_age:
                age = i
            cols.append(
                FeedColumn(
                    name,
                    str(d.get("type") or "string"),
                    str(d.get("format") or ""),
                    int(d.get("priority") or 0),
                    str(d.get("description") or ""),
                    is_age,
                )
            )
        new = tuple(cols)
        self._age = age
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
            return [self._table_row(r) for r in doc.get("rows") or ()]
        if not self._plain:
            # An API that cannot print a Table: kubectl falls back to NAME and AGE.
            self._plain = True
            self.set_columns([{"name": "Name", "format": "name"}, {"name": "Age"}])
        items = doc.get("items")
        if items is None:
            items = [doc] if "metadata" in doc else []
        return [self._object_row(o) for o in items]

    def _row(self, meta: dict[str, Any], cells: list[Any]) -> FeedRow:
        name = meta.get("name") or ""
        ns = meta.get("namespace") or ""
        created = _epoch(meta.get("creationTimestamp"))
        as_is = _AS_IS
        out = [c if c.__class__ in as_is else _cell(c) for c in cells]
        if 0 <= self._age < len(out):
            out[self._age] = created
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
        )

    def _table_row(self, row: dict[str, Any]) -> FeedRow:
        meta = (row.get("object") or {}).get("metadata") or {}
        cells = row.get("cells") or []
        if not meta.get("name") and cells:
            meta = {**meta, "name": str(cells[0])}
        return self._row(meta, cells)

    def _object_row(self, obj: dict[str, Any]) -> FeedRow:
        meta = obj.get("metadata") or {}
        return self._row(meta, [meta.get("name") or "", None])
