"""The rows of a `ResourceTable`: columns, rows, the per-row caches, and how cells sort and
read (the widget itself, layout and painting, is in resource_table.py).

Sort keys are tuples that compare across every value a column may hold: natural order for
text ("pod-2" < "pod-10"), numbers numerically with text after them, newest ages first,
unknown values last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from rich.cells import cell_len, set_cell_size

from kite_tui.core.humanize import UNKNOWN_AGE, Since
from kite_tui.core.humanize import age as format_age

ColumnKind = Literal["text", "number", "age", "since"]

_EMPTY_LABELS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Column:
    """A table column.

    Attributes:
        name: Header text as kubectl prints it, e.g. ``"NAME"``, ``"READY"``, ``"AGE"``.
        priority: 0 = always shown, 1 = only in wide mode (``kubectl -o wide``).
        kind: ``"text"``, ``"number"``, ``"age"`` or ``"since"``.  An age cell is an epoch
            timestamp (or ``None``) rendered as kubectl's human duration relative to now;
            a since cell is a `Since` (``5 (3m ago)``, sorted by its count) or plain text.
        align_right: Right-align the cells (and header) of this column.
    """

    name: str
    priority: int = 0
    kind: ColumnKind = "text"
    align_right: bool = False
    missing: str = UNKNOWN_AGE  # what an age cell without a timestamp shows (kubectl's)


def _empty_labels() -> Mapping[str, str]:
    return _EMPTY_LABELS


@dataclass(frozen=True, slots=True)
class Row:
    """One resource as the table shows it.

    Attributes:
        key: Stable identity (uid or namespace/name); the cursor follows it.
        cells: One value per column: str for text, int/float/str for number,
            float epoch seconds or None for age, `Since` or str for since.
        labels: The object's labels, for ``-l`` filters.
        style: Optional Rich style for the whole row (e.g. ``"red"`` for a failing pod).
    """

    key: str
    cells: tuple[Any, ...]
    labels: Mapping[str, str] = field(default_factory=_empty_labels)
    style: str = ""

    def __hash__(self) -> int:
        # The generated hash would include ``labels``, a (usually unhashable) mapping.
        return hash((self.key, self.cells))


# --------------------------------------------------------------------------------------
# Sort keys
# --------------------------------------------------------------------------------------

_split_digits = re.compile(r"(\d+)").split


def natural_key(value: Any) -> tuple[Any, ...]:
    """Natural sort key: "pod-2" < "pod-10", "1/2" < "10/10", case-insensitive.

    ``re.split`` with a capturing group alternates text and digit runs, always starting
    and ending with text, so every position of two keys holds the same type.
    """
    text = value if type(value) is str else ("" if value is None else str(value))
    parts: list[Any] = _split_digits(text.lower())
    if len(parts) > 1:
        parts[1::2] = map(int, parts[1::2])
    return tuple(parts)


def number_key(value: Any) -> tuple[Any, ...]:
    """Numbers numerically; non-numeric text after numbers (naturally); empty last."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value, ())
    if isinstance(value, str) and value:
        try:
            return (0, float(value), ())
        except ValueError:
            return (1, 0, natural_key(value))
    return (2, 0, ())


def age_key(value: Any) -> tuple[int, float]:
    """Newest first (smallest age); unknown (or non-numeric) ages last."""
    if isinstance(value, int | float):
        return (0, -float(value))
    return (1, 0.0)


def age_text(value: Any, now: float) -> str:
    """kubectl's AGE for an epoch timestamp; other values are shown as they are."""
    if value is None or isinstance(value, int | float):
        return format_age(value, now)
    return str(value)


def since_key(value: Any) -> tuple[Any, ...]:
    """By the count, numerically."""
    return number_key(value.count if isinstance(value, Since) else value)


def timed_text(value: Any, kind: ColumnKind, now: float) -> str:
    """The text of an age or since cell at ``now``."""
    if kind == "age":
        return age_text(value, now)
    return value.text(now) if isinstance(value, Since) else text_of(value)


KEY_FUNCS: dict[str, Callable[[Any], Any]] = {
    "text": natural_key,
    "number": number_key,
    "age": age_key,
    "since": since_key,
}


def text_of(value: Any) -> str:
    return value if type(value) is str else ("" if value is None else str(value))


def text_width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def fit(text: str, width: int, align_right: bool) -> str:
    """Pad or truncate (with an ellipsis) ``text`` to exactly ``width`` cells."""
    size = text_width(text)
    if size > width:
        if text.isascii():
            return text[: width - 1] + "…"
        return set_cell_size(text, width - 1) + "…"
    if size < width:
        pad = " " * (width - size)
        return pad + text if align_right else text + pad
    return text


class RowRecord:
    """Internal per-row state: the row plus caches that survive until it changes."""

    __slots__ = ("dead", "fgen", "fmatch", "hay", "row", "skey", "texts", "tkey")

    def __init__(self, row: Row) -> None:
        self.row = row
        self.texts: tuple[str, ...] | None = None  # display text of non-age cells
        self.hay: str | None = None  # lower-cased joined texts, for filters
        self.tkey: Any = None  # key of the tie-break (order_by) columns, None: not yet
        self.skey: Any = None  # key for the current sort
        self.fgen = -1  # filter generation that fmatch belongs to
        self.fmatch = True
        self.dead = False

    def update(self, row: Row) -> None:
        self.row = row
        self.texts = self.hay = self.tkey = None
        self.fgen = -1
