"""`ResourceTable`: a virtual table for Kubernetes resources that scales to 10,000+ rows.

Textual's `DataTable` measures every cell of every row on the UI thread, which takes
seconds for a large cluster.  This widget follows the Line API model of Textualize's
*toolong*: it is a `ScrollView` whose ``render_line(y)`` builds a `Strip` only for the
lines on screen, so paint cost is independent of the number of rows.

How it stays cheap:

* Loading rows creates one small record per row and measures column widths with
  ``len()`` (``cell_len`` only for non-ASCII text), column by column; no Rich `Text`
  is created up front.
* Column widths are fitted on each full load and then only grow with live changes
  (capped at `MAX_COLUMN_WIDTH`), so the layout does not jitter as pods come and go.
* Each row carries a precomputed sort key for the current sort column, ties broken by
  the ``order_by`` columns (kubectl's namespace, name), which are also the default order;
  a batch of live changes re-sorts the (nearly sorted) list, which timsort does in linear
  time, so new rows land in their place.
* Filter results and the lower-cased filter text are cached per row and invalidated
  only for rows that changed.
* A row line is one string with one style, so a rendered line is a single `Segment`.

The header line is sticky (drawn at the top of the viewport whatever the vertical
scroll) and scrolls horizontally with the rows.  AGE cells hold epoch timestamps (and
"since" cells `Since` values, kubectl's ``5 (3m ago)``) and are formatted at paint time;
one 1-second timer repaints when a visible one reads differently.

Keys: up/down/j/k, pageup/pagedown, home/end/g/G, left/right scroll a column, Enter
selects, Shift+letter sorts by the first visible column whose header starts with that
letter, NAME first for N (again to reverse; G is "bottom", as in k9s).  Clicking a row
moves the cursor, double-clicking selects it, clicking a header sorts by that column.

The rows, their caches and sort keys are in table_rows.py. The rest stays one module because
it is one idea, a Line-API widget: its layout, cursor, scrolling, filter view and painting
share the same state on every path.
"""

from __future__ import annotations

import string
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from operator import attrgetter
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.errors import StyleSyntaxError
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kite_tui.core.filtering import RowFilter, compile_filter, join_cells
from kite_tui.core.humanize import UNKNOWN_AGE, Since
from kite_tui.ui.widgets.table_rows import (
    KEY_FUNCS,
    Column,
    ColumnKind,
    Row,
    RowRecord,
    fit,
    text_of,
    text_width,
    timed_text,
)

__all__ = ["MAX_COLUMN_WIDTH", "Column", "ColumnKind", "ResourceTable", "Row"]

MAX_COLUMN_WIDTH = 60
"""Longest a column gets; longer cells are truncated with an ellipsis."""
COLUMN_GAP = 2
"""Spaces between columns, as kubectl prints them."""
LEFT_MARGIN = 1
"""A blank cell before the first column so the cursor bar does not touch the edge."""
AGE_MIN_WIDTH = 6
"""Widest common age ("7y364d"); "<unknown>" widens the column only when it occurs."""
SINCE_EXTRA_WIDTH = len(" ( ago)") + AGE_MIN_WIDTH
"""What a `Since` adds to its count, with room for the widest common age."""


class ResourceTable(ScrollView, can_focus=True):
    """A virtual, sortable, filterable table of Kubernetes resources.

    Args:
        clock: Returns the current Unix time; ages are rendered relative to it
            (tests pass a fixed clock).
        order_by: Names of the columns that give the default order and break the ties
            of every sort (those present; the first column when none is).
        name: Widget name.
        id: Widget id.
        classes: CSS classes.
        disabled: Start disabled.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "resource-table--header",
        "resource-table--row",
        "resource-table--cursor",
        "resource-table--message",
    }

    DEFAULT_CSS = """
    ResourceTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .resource-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .resource-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .resource-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .resource-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .resource-table--message {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "cursor_page_up", "Page up", show=False),
        Binding("pagedown", "cursor_page_down", "Page down", show=False),
        Binding("home,g", "cursor_top", "Top", show=False),
        Binding("end,G,shift+g", "cursor_bottom", "Bottom", show=False),
        Binding("left", "scroll_column(-1)", "Scroll left", show=False),
        Binding("right", "scroll_column(1)", "Scroll right", show=False),
        Binding("enter", "select_cursor", "Select", show=False),
        # Shift+letter sorts (k9s habit); "G" is taken by "bottom".  Terminals send an
        # upper-case letter, the kitty keyboard protocol may send "shift+x": bind both.
        *(
            Binding(f"{c.upper()},shift+{c}", f"sort_letter('{c}')", "Sort", show=False)
            for c in string.ascii_lowercase
            if c != "g"
        ),
    ]

    class RowHighlighted(Message):
        """The cursor moved to a different object (``key`` is None when the table is empty)."""

        def __init__(self, table: ResourceTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> ResourceTable:
            return self.table

    class RowSelected(Message):
        """Enter (or a double click) on the row with ``key``."""

        def __init__(self, table: ResourceTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> ResourceTable:
            return self.table

    wide: reactive[bool] = reactive(False, init=False)
    """Show priority-1 columns (``kubectl -o wide``)."""

    filter_text: reactive[str] = reactive("", init=False)
    """The ``/`` filter (see `kite_tui.core.filtering`)."""

    # Replaces Widget.loading: we draw "Loading…" in place of the (empty) rows instead
    # of covering the widget with an animated LoadingIndicator.
    loading: reactive[bool] = reactive(False, init=False)
    """Rows are being (re)listed: show "Loading…" instead of the empty message."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        order_by: Sequence[str] = (),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._clock = clock
        self._order_by = tuple(order_by)
        self._tie_cols: tuple[int, ...] = ()
        self._now = clock()
        self._columns: tuple[Column, ...] = ()
        self._widths: list[int] = []
        self._recs: dict[str, RowRecord] = {}
        self._order: list[RowRecord] = []  # all rows, sorted
        self._view: list[RowRecord] = []  # rows passing the filter, sorted
        self._sort_col: int | None = None
        self._sort_reverse = False
        self._filter: RowFilter = compile_filter("")
        self._filter_gen = 0
        self._cursor_index = 0
        self._cursor_rec: RowRecord | None = None
        self._pending_key: str | None = None  # cursor key to restore after set_columns
        self._posted_key: str | None = None
        # Layout of visible columns: (column index, width, align_right, painted kind),
        # the kind being "age" or "since" for cells whose text depends on the time, else None.
        self._layout: list[tuple[int, int, bool, ColumnKind | None]] = []
        self._col_x: list[int] = []  # x of each visible column, for clicks and scrolling
        self._total_width = 0
        self._header_text: str | None = None
        self._style_cache: dict[tuple[str, bool], Style] = {}
        # Age texts painted on each screen line, so the 1-second tick can tell whether
        # anything on screen would read differently now (Textual repaints only dirty
        # lines, so lines may have been painted at different seconds).
        self._painted_ages: dict[int, tuple[str, ...]] = {}
        self.empty_message = "No resources"
        """Shown when there are no rows and no filter (the app may make it specific)."""

    # ----------------------------------------------------------------------------------
    # Public API
    # ----------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        """All columns, including hidden priority-1 ones."""
        return self._columns

    @property
    def visible_columns(self) -> tuple[Column, ...]:
        """The columns currently displayed (depends on `wide`)."""
        return tuple(self._columns[ci] for ci, *_ in self._layout)

    @property
    def row_count(self) -> int:
        """Number of rows held, regardless of the filter."""
        return len(self._recs)

    @property
    def visible_row_count(self) -> int:
        """Number of rows passing the filter."""
        return len(self._view)

    @property
    def cursor_key(self) -> str | None:
        """Key of the row under the cursor, or None when no row is shown."""
        rec = self._cursor_rec
        return rec.row.key if rec is not None else None

    @property
    def cursor_row(self) -> Row | None:
        """The row under the cursor."""
        rec = self._cursor_rec
        return rec.row if rec is not None else None

    @property
    def cursor_index(self) -> int:
        """Index of the cursor in the filtered, sorted rows (0 when empty)."""
        return self._cursor_index

    @property
    def sort_column(self) -> str | None:
        """Name of the column sorted by explicitly, or None for the default order."""
        return None if self._sort_col is None else self._columns[self._sort_col].name

    @property
    def sort_reverse(self) -> bool:
        """Whether the explicit sort is descending."""
        return self._sort_reverse

    @property
    def filter_error(self) -> str | None:
        """Why the current filter is invalid (it then matches nothing), else None."""
        return self._filter.error

    @property
    def current_empty_message(self) -> str:
        """The text shown when no row is visible."""
        if self.loading:
            return "Loading…"
        if self._filter.error:
            return self._filter.error
        if self._recs and not self._filter.matches_all:
            return f"No matches for filter {self._filter.text.strip()!r}"
        return self.empty_message

    def get_row(self, key: str) -> Row | None:
        """The row with ``key``, visible or not."""
        rec = self._recs.get(key)
        return rec.row if rec is not None else None

    def visible_keys(self) -> list[str]:
        """Keys of the rows passing the filter, in display order."""
        return [rec.row.key for rec in self._view]

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Set the columns; clears the rows (follow with `replace_rows`) and widths.

        An explicit sort is kept if a column of the same name still exists.  The cursor
        returns to the same key if the following `replace_rows` contains it, else to
        the top.
        """
        sort_name = self.sort_column
        if self._cursor_rec is not None:
            self._pending_key = self._cursor_rec.row.key
        self._columns = tuple(columns)
        self._widths = [self._base_width(col) for col in self._columns]
        names = [col.name for col in self._columns]
        self._tie_cols = tuple(names.index(n) for n in self._order_by if n in names) or (
            (0,) if names else ()
        )
        self._sort_col = names.index(sort_name) if sort_name in names else None
        if self._sort_col is None:
            self._sort_reverse = False
        self._recs = {}
        self._order = []
        self._view = []
        self._cursor_rec = None
        self._cursor_index = 0
        self._relayout()
        self.refresh()

    def replace_rows(self, rows: Iterable[Row]) -> None:
        """Replace all rows (a full list or re-list).

        Column widths are fitted to the new rows (then grow with `apply`).  The cursor
        stays on the same key if it is still present, else keeps its index (the top
        after `set_columns`).

        Raises:
            ValueError: If a row does not have one cell per column.
        """
        key, index, screen_row = self._capture_cursor()
        pending, self._pending_key = self._pending_key, None
        if key is None:
            key = pending
        rows = list(rows)
        ncols = len(self._columns)
        if {len(cells) for cells in map(attrgetter("cells"), rows)} - {ncols}:
            bad = next(row for row in rows if len(row.cells) != ncols)
            raise ValueError(f"row {bad.key!r} has {len(bad.cells)} cells for {ncols} columns")
        recs = [RowRecord(row) for row in rows]
        # Later duplicates win, as a dict would do; keep the order list consistent.
        self._recs = {rec.row.key: rec for rec in recs}
        if len(self._recs) != len(recs):
            recs = list(self._recs.values())
        self._order = recs
        self._widths = [self._base_width(col) for col in self._columns]
        self._measure(rows)
        self._compute_sort_keys(recs)
        self._order.sort(key=attrgetter("skey"), reverse=self._sort_reverse)
        self._relayout()
        self._rebuild_view()
        self._restore_cursor(key, index, screen_row)

    def apply(self, upserts: Iterable[Row], deletes: Iterable[str] = ()) -> None:
        """Apply a batch of live changes: insert or update rows by key, delete keys.

        Deletes are applied after upserts; unknown keys are ignored, and re-sent
        unchanged rows cost nothing.  The cursor stays on the same object (and on the
        same screen line); if that object is deleted (or filtered out), the cursor stays
        at the same index, clamped.  Column widths only grow.
        """
        key, index, screen_row = self._capture_cursor()
        recs = self._recs
        changed: list[RowRecord] = []
        added = False
        for row in upserts:
            rec = recs.get(row.key)
            if rec is None:
                rec = recs[row.key] = RowRecord(row)
                self._order.append(rec)
                added = True
            elif rec.row == row:
                continue  # re-sent unchanged object (e.g. a resync)
            else:
                rec.update(row)
            changed.append(rec)
        removed = False
        for dead_key in deletes:
            rec = recs.pop(dead_key, None)
            if rec is not None:
                rec.dead = True
                removed = True
        if not changed and not removed:
            return
        if removed:
            self._order = [rec for rec in self._order if not rec.dead]
            changed = [rec for rec in changed if not rec.dead]
        grew = self._measure([rec.row for rec in changed])
        self._compute_sort_keys(changed)
        if changed or added:
            # Nearly sorted input: timsort is linear here (~1-3 ms for 10k rows).
            self._order.sort(key=attrgetter("skey"), reverse=self._sort_reverse)
        if grew:
            self._relayout()
        self._rebuild_view()
        self._restore_cursor(key, index, screen_row)

    def clear(self) -> None:
        """Remove all rows (columns stay)."""
        self.replace_rows(())

    def sort_by(self, column_name: str | None, reverse: bool = False) -> None:
        """Sort by the named column (None: the default order, by the ``order_by`` columns).

        Text sorts naturally ("pod-2" < "pod-10", "1/2" by its leading number), numbers
        numerically, ages newest first (``reverse`` flips each).

        Raises:
            ValueError: If no column has that name.
        """
        if column_name is None:
            col = None
        else:
            names = [c.name for c in self._columns]
            if column_name not in names:
                raise ValueError(f"no column named {column_name!r}")
            col = names.index(column_name)
        if col == self._sort_col and reverse == self._sort_reverse:
            return
        key, index, screen_row = self._capture_cursor()
        self._sort_col = col
        self._sort_reverse = reverse if col is not None else False
        self._compute_sort_keys(self._order)
        self._order.sort(key=attrgetter("skey"), reverse=self._sort_reverse)
        self._header_text = None
        self._rebuild_view()
        # The cursor stays on its object, which may move far away: show it.
        self._restore_cursor(key, index, None)

    def set_filter(self, text: str) -> None:
        """Set the ``/`` filter text (same as assigning `filter_text`)."""
        self.filter_text = text

    def move_cursor_to_key(self, key: str) -> bool:
        """Move the cursor to the row with ``key``.

        Returns:
            False (and the cursor stays) if the row is missing or filtered out.
        """
        rec = self._recs.get(key)
        if rec is None:
            return False
        try:
            index = self._view.index(rec)
        except ValueError:
            return False
        self._move_cursor(index)
        return True

    def move_cursor_to_index(self, index: int) -> None:
        """Move the cursor to a display index (clamped)."""
        self._move_cursor(index)

    # ----------------------------------------------------------------------------------
    # Watchers
    # ----------------------------------------------------------------------------------

    def watch_wide(self) -> None:
        self._relayout()
        self.refresh()

    def watch_filter_text(self, text: str) -> None:
        key, index, screen_row = self._capture_cursor()
        previous, self._filter = self._filter, compile_filter(text)
        self._filter_gen += 1
        # One more character typed: only the rows shown now can still pass (a 100,000-row
        # view answers a key press in a fraction of the time).
        self._rebuild_view(narrowing=self._filter.narrows(previous))
        self._restore_cursor(key, index, screen_row)

    def _watch_loading(self, loading: bool) -> None:
        # Overrides Widget._watch_loading, which would mount a LoadingIndicator.
        self.refresh()

    @property
    def focusable(self) -> bool:
        # Textual makes a `loading` widget unfocusable, but the app focuses the table
        # while the first list is still loading; keep it focusable.
        return self.allow_focus() and self.visible and not self._self_or_ancestors_disabled

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()
        self.refresh()

    # ----------------------------------------------------------------------------------
    # Internals: data
    # ----------------------------------------------------------------------------------

    @staticmethod
    def _base_width(col: Column) -> int:
        # One extra cell in the header for the sort arrow, so sorting never shifts columns.
        width = cell_len(col.name) + 1
        if col.kind == "age":
            width = max(width, AGE_MIN_WIDTH)
        return min(width, MAX_COLUMN_WIDTH)

    def _measure(self, rows: Sequence[Row]) -> bool:
        """Grow column widths to fit ``rows``; column-wise so the loops stay in C."""
        if not rows:
            return False
        grew = False
        widths = self._widths
        for ci, col in enumerate(self._columns):
            if widths[ci] >= MAX_COLUMN_WIDTH:
                continue
            values = [row.cells[ci] for row in rows]
            if col.kind == "age":
                width = len(UNKNOWN_AGE) if None in values else 0
            elif col.kind == "since":
                width = max(
                    len(v.count) + SINCE_EXTRA_WIDTH if isinstance(v, Since) else len(text_of(v))
                    for v in values
                )
            else:
                try:
                    joined = "".join(values)  # fast path: every cell is already a str
                except TypeError:
                    values = [text_of(v) for v in values]
                    joined = "".join(values)
                width = max(map(len if joined.isascii() else cell_len, values))
            width = min(width, MAX_COLUMN_WIDTH)
            if width > widths[ci]:
                widths[ci] = width
                grew = True
        return grew

    def _compute_sort_keys(self, recs: Sequence[RowRecord]) -> None:
        """Store each record's key for the current sort column, ties broken by order_by."""
        if not self._columns:
            for rec in recs:
                rec.skey = ()
            return
        columns = self._columns
        ties = [(ci, KEY_FUNCS[columns[ci].kind]) for ci in self._tie_cols]
        # The tie key is cached per row (it changes only with the row): one column's key
        # as it is, several columns' as a tuple.
        if len(ties) == 1:
            ((t0, k0),) = ties
            for rec in recs:
                if rec.tkey is None:
                    rec.tkey = k0(rec.row.cells[t0])
        else:
            for rec in recs:
                if rec.tkey is None:
                    cells = rec.row.cells
                    rec.tkey = tuple([key(cells[ci]) for ci, key in ties])
        col = self._sort_col
        if col is None:
            for rec in recs:
                rec.skey = rec.tkey
            return
        col_key = KEY_FUNCS[columns[col].kind]
        for rec in recs:
            rec.skey = (col_key(rec.row.cells[col]), rec.tkey)

    def _texts(self, rec: RowRecord) -> tuple[str, ...]:
        texts = rec.texts
        if texts is None:
            kinds = [col.kind for col in self._columns]
            # Age cells are painted; a since cell is filtered on its count (the rest ticks).
            texts = rec.texts = tuple(
                ""
                if kind == "age"
                else (value.count if isinstance(value, Since) else text_of(value))
                for kind, value in zip(kinds, rec.row.cells, strict=False)
            )
        return texts

    def _passes(self, rec: RowRecord) -> bool:
        if rec.fgen != self._filter_gen:
            flt = self._filter
            hay = ""
            if flt.uses_text:
                cached = rec.hay
                if cached is None:
                    texts = self._texts(rec)
                    # Age cells are left out: their text changes every second.
                    cached = rec.hay = join_cells(
                        [
                            t
                            for t, col in zip(texts, self._columns, strict=False)
                            if col.kind != "age"
                        ]
                    ).lower()
                hay = cached
            rec.fmatch = flt.matches_text(hay, rec.row.labels)
            rec.fgen = self._filter_gen
        return rec.fmatch

    def _rebuild_view(self, *, narrowing: bool = False) -> None:
        """The rows shown, in order: those of `_order` the filter passes. With `narrowing`
        (the filter only got stricter) just the rows shown now are looked at again: the
        view is kept in step with `_order` by every change, so it is the same subsequence."""
        if self._filter.matches_all:
            self._view = self._order
        else:
            passes = self._passes
            rows = self._view if narrowing else self._order
            self._view = [rec for rec in rows if passes(rec)]

    # ----------------------------------------------------------------------------------
    # Internals: layout, cursor and scrolling
    # ----------------------------------------------------------------------------------

    def _relayout(self) -> None:
        """Recompute visible columns and their x positions, and the virtual width."""
        layout: list[tuple[int, int, bool, ColumnKind | None]] = []
        col_x = []
        x = LEFT_MARGIN
        for ci, col in enumerate(self._columns):
            if col.priority > 0 and not self.wide:
                continue
            width = self._widths[ci]
            painted = col.kind if col.kind in ("age", "since") else None
            layout.append((ci, width, col.align_right, painted))
            col_x.append(x)
            x += width + COLUMN_GAP
        self._layout = layout
        self._col_x = col_x
        self._total_width = x - COLUMN_GAP if layout else 0
        self._header_text = None
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._total_width, 1 + len(self._view))

    def _data_height(self) -> int:
        """How many data rows fit below the header (0 before the first layout)."""
        return max(0, self.scrollable_content_region.height - 1)

    def _capture_cursor(self) -> tuple[str | None, int, int | None]:
        """Cursor key, index and on-screen row (None if off screen), before a change."""
        row = self._cursor_index - self.scroll_offset.y
        on_screen = self._cursor_rec is not None and 0 <= row < self._data_height()
        return self.cursor_key, self._cursor_index, row if on_screen else None

    def _restore_cursor(self, key: str | None, index: int, screen_row: int | None) -> None:
        """After the view changed: find the cursor's object again and keep it in place.

        If the cursor was on screen, the viewport is scrolled so that its object stays on
        the same screen line (rows inserted above it do not push it away).
        """
        view = self._view
        if not view:
            self._cursor_index = 0
            self._cursor_rec = None
        else:
            new_index = None
            rec = self._recs.get(key) if key is not None else None
            if rec is not None:
                if index < len(view) and view[index] is rec:
                    new_index = index
                else:
                    try:
                        new_index = view.index(rec)
                    except ValueError:
                        new_index = None
            if new_index is None:
                new_index = min(max(index, 0), len(view) - 1)
            self._cursor_index = new_index
            self._cursor_rec = view[new_index]
        self._update_virtual_size()
        if screen_row is not None:
            self._scroll_to_row(self._cursor_index - screen_row)
        self._scroll_cursor_into_view()
        self._emit_highlight()
        self.refresh()

    def _scroll_to_row(self, top: int) -> None:
        height = self._data_height()
        top = max(0, min(top, len(self._view) - height))
        if top != self.scroll_offset.y:
            # force: the scrollbar may not exist yet for a just-grown virtual size.
            self.scroll_to(y=top, animate=False, force=True)

    def _scroll_cursor_into_view(self) -> None:
        height = self._data_height()
        if height <= 0 or self._cursor_rec is None:
            return
        top = self.scroll_offset.y
        index = self._cursor_index
        if index < top:
            self._scroll_to_row(index)
        elif index >= top + height:
            self._scroll_to_row(index - height + 1)

    def _emit_highlight(self) -> None:
        key = self.cursor_key
        if key != self._posted_key:
            self._posted_key = key
            self.post_message(self.RowHighlighted(self, key))

    def _move_cursor(self, index: int) -> None:
        if not self._view:
            return
        index = max(0, min(index, len(self._view) - 1))
        old = self._cursor_index
        self._cursor_index = index
        self._cursor_rec = self._view[index]
        self._scroll_cursor_into_view()
        # Line 0 is the header, so row i is virtual line i + 1.
        self.refresh_line(old + 1)
        self.refresh_line(index + 1)
        self._emit_highlight()

    def _on_resize(self, event: events.Resize) -> None:
        self._scroll_cursor_into_view()

    def _on_mount(self, event: events.Mount) -> None:
        # (Textual also runs ScrollView.on_mount: handlers are dispatched along the MRO.)
        # Messages posted before mount are queued and delivered once mounted.
        self.set_interval(1.0, self._tick_ages)

    def _tick_ages(self) -> None:
        """Repaint when an age on screen reads differently than when it was painted."""
        age_cols = [(ci, kind) for ci, *_, kind in self._layout if kind]
        if not self._view or not age_cols:
            return
        if not self.screen.is_active or not self.is_on_screen:
            return
        now = self._clock()
        top = self.scroll_offset.y
        painted = self._painted_ages
        for y, rec in enumerate(self._view[top : top + self._data_height()], start=1):
            cells = rec.row.cells
            if painted.get(y) != tuple(
                self._timed_cell(ci, kind, cells[ci], now) for ci, kind in age_cols
            ):
                self.refresh()
                return

    # ----------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self._move_cursor(self._cursor_index - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self._cursor_index + 1)

    def action_cursor_page_up(self) -> None:
        page = max(1, self._data_height())
        self._scroll_to_row(self.scroll_offset.y - page)
        self._move_cursor(self._cursor_index - page)

    def action_cursor_page_down(self) -> None:
        page = max(1, self._data_height())
        self._scroll_to_row(self.scroll_offset.y + page)
        self._move_cursor(self._cursor_index + page)

    def action_cursor_top(self) -> None:
        self._move_cursor(0)

    def action_cursor_bottom(self) -> None:
        self._move_cursor(len(self._view) - 1)

    def action_scroll_column(self, direction: int) -> None:
        """Scroll horizontally to the previous / next column boundary."""
        x = self.scroll_offset.x
        starts = [cx - LEFT_MARGIN for cx in self._col_x]
        if direction > 0:
            later = [s for s in starts if s > x]
            target = later[0] if later else self.max_scroll_x
        else:
            earlier = [s for s in starts if s < x]
            target = earlier[-1] if earlier else 0
        self.scroll_to(x=target, animate=False, force=True)

    def action_select_cursor(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def action_sort_letter(self, letter: str) -> None:
        """Sort by the first visible column starting with ``letter``; again to reverse.

        Several columns may share a letter (READY, RESTARTS): pressing the letter a third
        time moves on to the next such column, so each is reachable from the keyboard.
        """
        matching = [ci for ci, *_ in self._layout if self._columns[ci].name[:1].lower() == letter]
        # NAME first, wherever it is (k9s habit): NAMESPACE comes before it in -A views.
        matching.sort(key=lambda ci: self._columns[ci].name != "NAME")
        if not matching:
            raise SkipAction()  # let the key reach the app's bindings
        current = self._sort_col
        if current in matching and self._sort_reverse:
            following = matching[(matching.index(current) + 1) % len(matching)]
            if following != current:
                self.sort_by(self._columns[following].name, False)
                return
        self._toggle_sort(current if current in matching else matching[0])

    def _toggle_sort(self, ci: int) -> None:
        name = self._columns[ci].name
        reverse = not self._sort_reverse if self._sort_col == ci else False
        self.sort_by(name, reverse)

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            x = offset.x + self.scroll_offset.x
            column = bisect_right(self._col_x, x) - 1
            if 0 <= column < len(self._layout):
                self._toggle_sort(self._layout[column][0])
            return
        index = self.scroll_offset.y + offset.y - 1
        if 0 <= index < len(self._view):
            self._move_cursor(index)
            if event.chain >= 2:
                self.action_select_cursor()

    # ----------------------------------------------------------------------------------
    # Rendering
    # ----------------------------------------------------------------------------------

    def _style(self, row_style: str, cursor: bool) -> Style:
        cache_key = (row_style, cursor)
        style = self._style_cache.get(cache_key)
        if style is None:
            style = self.rich_style + self.get_component_rich_style("resource-table--row")
            if row_style:
                # A bad style name from the app must not break painting.
                with suppress(StyleSyntaxError):
                    style += Style.parse(row_style)
            if cursor:
                style += self.get_component_rich_style("resource-table--cursor")
            self._style_cache[cache_key] = style
        return style

    def _header_line(self) -> str:
        if self._header_text is None:
            parts = []
            for ci, width, align_right, _ in self._layout:
                name = self._columns[ci].name
                if ci == self._sort_col:
                    name += "↓" if self._sort_reverse else "↑"
                parts.append(fit(name, width, align_right))
            self._header_text = " " * LEFT_MARGIN + (" " * COLUMN_GAP).join(parts)
        return self._header_text

    def _timed_cell(self, ci: int, kind: ColumnKind, value: Any, now: float) -> str:
        if value is None and kind == "age":
            return self._columns[ci].missing
        return timed_text(value, kind, now)

    def _row_line(self, rec: RowRecord) -> tuple[str, tuple[str, ...]]:
        """The row's full line, and the age texts in it."""
        texts = self._texts(rec)
        cells = rec.row.cells
        now = self._now
        parts = []
        ages = []
        for ci, width, align_right, painted in self._layout:
            if painted:
                text = self._timed_cell(ci, painted, cells[ci], now)
                ages.append(text)
            else:
                text = texts[ci]
            parts.append(fit(text, width, align_right))
        return " " * LEFT_MARGIN + (" " * COLUMN_GAP).join(parts), tuple(ages)

    @staticmethod
    def _crop(text: str, style: Style, x: int, width: int) -> Strip:
        """One-segment strip of ``text`` from cell ``x``, exactly ``width`` cells wide."""
        if text.isascii():
            return Strip([Segment(text[x : x + width].ljust(width), style)], width)
        strip = Strip([Segment(text, style)]).crop(x, x + width)
        return strip.extend_cell_length(width, style)

    def render_lines(self, crop: Region) -> list[Strip]:
        # One "now" per paint so every age on screen agrees.
        self._now = self._clock()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0 and self._layout:
            style = self.rich_style + self.get_component_rich_style("resource-table--header")
            return self._crop(self._header_line(), style, scroll_x, width)
        view = self._view
        index = scroll_y + y - 1
        if not view or index >= len(view) or index < 0:
            self._painted_ages.pop(y, None)
            if not view:
                return self._message_line(y, width)
            return Strip.blank(width, self.rich_style)
        rec = view[index]
        style = self._style(rec.row.style, index == self._cursor_index)
        line, self._painted_ages[y] = self._row_line(rec)
        return self._crop(line, style, scroll_x, width)

    def _message_line(self, y: int, width: int) -> Strip:
        height = self.size.height
        if y != max(1, (height - 1) // 2):
            return Strip.blank(width, self.rich_style)
        message = self.current_empty_message
        style = self.rich_style + self.get_component_rich_style("resource-table--message")
        text = fit(message, width, False) if text_width(message) > width else message
        pad = max(0, width - text_width(text))
        line = " " * (pad // 2) + text
        return self._crop(line, style, 0, width)
