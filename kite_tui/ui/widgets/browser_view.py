"""A browser view apart from its widget: what a view is (`ViewSpec`), how feed rows become
table rows (`RowConverter`, run on the feed's thread so the UI thread only applies them), and
the drill-down breadcrumb of the status line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text

from kite_tui.core.kube.feed import FeedColumn, FeedKey, FeedRow
from kite_tui.core.resources import ResourceKind
from kite_tui.ui.widgets.table_rows import Column, ColumnKind, Row

# Pod (and other) statuses worth a colour, as k9s users expect: red is broken, yellow is
# on its way, dim is going away.
BAD_STATUS = re.compile(
    r"(Err|BackOff|Fail|Evicted|OOMKilled|Unknown|NotReady|Lost|Invalid|Unschedulable)"
)
PENDING_STATUS = re.compile(r"(Pending|Creating|Init:|Terminating|ContainerCreating|Waiting)")


@dataclass(frozen=True)
class ViewSpec:
    """One view of the browser; the history holds these so `esc` restores each exactly.

    ``namespace`` is the namespace scope (None: all), kept on views of cluster-scoped kinds
    too so that the next namespaced view opens where the user was. ``sort`` is (column,
    reverse) as the user left it; None until then: the kind's default order."""

    kind: ResourceKind
    namespace: str | None
    label_selector: str | None = None
    field_selector: str | None = None
    title: str = ""
    filter_text: str = ""
    cursor_key: str | None = None
    sort: tuple[str | None, bool] | None = None

    @property
    def key(self) -> FeedKey:
        return FeedKey(self.kind, self.namespace, self.label_selector, self.field_selector)


def row_style(status: str | None) -> str:
    if not status:
        return ""
    if status in ("Running", "Completed", "Succeeded", "Active", "Bound", "Ready", "True"):
        return ""
    if BAD_STATUS.search(status):
        return "red"
    if PENDING_STATUS.search(status):
        return "yellow"
    return ""


def to_columns(columns: tuple[FeedColumn, ...]) -> list[Column]:
    result = []
    for c in columns:
        kind: ColumnKind = "number" if c.type in ("integer", "number") else "text"
        if c.is_age or c.is_since:
            kind = "age" if c.is_age else "since"
        result.append(Column(c.name, priority=c.priority, kind=kind, align_right=False))
    return result


class RowConverter:
    """FeedRow -> table Row, run on the feed's thread so the UI thread only applies."""

    def __init__(self, columns: tuple[FeedColumn, ...] | None = None) -> None:
        self.status_index: int | None = None
        self.width = 0
        if columns:
            self.set_columns(columns)

    def set_columns(self, columns: tuple[FeedColumn, ...]) -> None:
        names = [c.name for c in columns]
        self.status_index = names.index("STATUS") if "STATUS" in names else None
        self.width = len(columns)

    def __call__(self, r: FeedRow) -> Row:
        cells = r.cells
        if len(cells) != self.width:
            # Rows decoded for the columns before a change the server made mid-watch: the
            # table must never get a row that does not fit (its next event fixes it).
            cells = (*cells[: self.width], *[""] * (self.width - len(cells)))
        status = cells[self.status_index] if self.status_index is not None else None
        return Row(r.key, cells, r.labels, row_style(status if isinstance(status, str) else None))


@dataclass
class Breadcrumb:
    """How a drill-down view came about: its title and selectors, fitted to the room left on
    the status line. The title gives way first (cut with an ellipsis), then the selectors
    lose whole requirements from the end (``-l app=web,…``), never a part of one."""

    title: str
    labels: list[str]
    fields: list[str]

    MIN_TITLE = 12  # "pods of dep…": enough to tell drill-downs apart

    def text(self, title: str, labels: list[str], fields: list[str]) -> Text:
        out = Text()
        if title:
            out.append(f"  {title}", style="italic")
        for flag, reqs, full in (
            ("-l", labels, self.labels),
            ("--field-selector", fields, self.fields),
        ):
            if full:
                shown = ",".join(reqs) + ("," if reqs and len(reqs) < len(full) else "")
                shown += "…" if len(reqs) < len(full) else ""
                out.append(f"  {flag} {shown}", style="magenta")
        return out

    def fit(self, room: int | None) -> Text:
        labels, fields = list(self.labels), list(self.fields)
        full = self.text(self.title, labels, fields)
        if room is None or full.cell_len <= room:
            return full

        def cut(text: str, width: int) -> str:
            return text if len(text) <= width else text[: max(0, width - 1)] + "…"

        title = cut(self.title, self.MIN_TITLE)
        limit = room

        def too_long() -> bool:
            return self.text(title, labels, fields).cell_len > limit

        # Whole requirements go, the last first: the field selector's, then the labels'; the
        # first one stays while the title can still give way.
        while too_long() and len(fields) + len(labels) > 1:
            (fields if fields else labels).pop()
        if too_long() and title:
            title = "…"
        while too_long() and (fields or labels):
            (fields if fields else labels).pop()
        if title and title != "…":  # then the title takes what room is left
            title = cut(self.title, room - self.text("", labels, fields).cell_len - 2)
        return self.text(title, labels, fields)
