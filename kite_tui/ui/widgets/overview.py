"""The cluster overview: every cluster's health at a glance, and the selected one in full."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kite_tui.core.snapshot import ClusterHandle, Health, Snapshot
from kite_tui.ui.widgets.cluster_bar import HEALTH_STYLE
from kite_tui.ui.widgets.resource_table import Column, ResourceTable, Row

COLUMNS = (
    Column("#", align_right=True),
    Column("NAME"),
    Column("STATUS"),
    Column("VERSION"),
    Column("CHECKED", kind="age"),
    Column("ERROR"),
    Column("SERVER"),
    Column("DESCRIPTION", priority=1),
)

ROW_STYLE: dict[Health, str] = {
    Health.OK: "",
    Health.CONNECTING: "yellow",
    Health.UNREACHABLE: "red",
    Health.UNAUTHORIZED: "magenta",
    Health.FORBIDDEN: "magenta",
    Health.TLS_ERROR: "red",
    Health.CONFIG_ERROR: "red",
    Health.DISABLED: "bright_black",
}


def short_error(error: str | None, limit: int = 50) -> str:
    if not error:
        return ""
    first = error.splitlines()[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"


def cluster_row(
    index: int, handle: ClusterHandle, default: str | None, config_path: object = None
) -> Row:
    name = handle.name + (" (default)" if handle.name == default else "")
    return Row(
        key=handle.name,
        cells=(
            str(index),
            name,
            str(handle.health),
            handle.version or "",
            handle.checked_at,
            # The SERVER column already says where, and the file is always the config.
            short_error(
                (handle.error or "")
                .replace(f" ({handle.server})", "")
                .replace(f"{config_path}:", "line ")
            ),
            _server_label(handle.server) or _kubeconfig_label(handle),
            handle.spec.description,
        ),
        style=ROW_STYLE[handle.health],
    )


def _server_label(server: str | None) -> str:
    """https is the norm: show host:port; keep the scheme when it is not https."""
    if not server:
        return ""
    return server.removeprefix("https://").rstrip("/")


def _kubeconfig_label(handle: ClusterHandle) -> str:
    spec = handle.spec
    if spec.kubeconfig is None:
        return ""
    return f"{spec.kubeconfig.name}:{spec.context or '(current)'}"


def describe_cluster(handle: ClusterHandle, default: str | None) -> Text:
    """The detail panel: everything about one cluster, the full error included."""
    spec = handle.spec
    text = Text()
    text.append(handle.name, style="bold")
    if handle.name == default:
        text.append("  (default)", style="dim")
    text.append("   ● ", style=HEALTH_STYLE[handle.health])
    text.append(str(handle.health), style=HEALTH_STYLE[handle.health])
    if handle.version:
        text.append(f"   {handle.version}")
    if spec.readonly:
        text.append("   READ-ONLY", style="bold red")
    text.append("\n")
    if spec.description:
        text.append(spec.description + "\n", style="italic")
    if spec.server:
        text.append("server      ", style="dim")
        text.append(spec.server + "\n")
    else:
        text.append("kubeconfig  ", style="dim")
        text.append(f"{spec.kubeconfig}  context {spec.context or '(current-context)'}\n")
        if handle.server:
            text.append("server      ", style="dim")
            text.append(handle.server + "\n")
    if spec.namespace:
        text.append("namespace   ", style="dim")
        text.append(spec.namespace + "\n")
    if handle.error:
        text.append("error       ", style="dim")
        text.append(handle.error, style=HEALTH_STYLE[handle.health])
    return text


class ClusterOverview(Vertical):
    """The table of clusters plus a detail panel for the one under the cursor."""

    DEFAULT_CSS = """
    ClusterOverview {
        height: 1fr;
    }
    ClusterOverview > ResourceTable {
        height: 1fr;
    }
    ClusterOverview > #cluster-detail {
        height: auto;
        max-height: 8;
        border-top: solid $primary;
        padding: 0 1;
    }
    """

    def __init__(self, *, clock: Callable[[], float] | None = None, id: str | None = None):
        super().__init__(id=id)
        self._clock = clock
        self._snapshot: Snapshot | None = None

    def compose(self) -> ComposeResult:
        table = ResourceTable(clock=self._clock) if self._clock else ResourceTable()
        table.id = "clusters"
        table.loading = True
        yield table
        yield Static(id="cluster-detail")

    def on_mount(self) -> None:
        table = self.query_one(ResourceTable)
        table.set_columns(COLUMNS)
        table.empty_message = "No clusters configured: press a to add one, i to import"

    @property
    def table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    def show_snapshot(self, snap: Snapshot) -> None:
        table = self.table
        rows = [
            cluster_row(i, h, snap.default, snap.config_path) for i, h in enumerate(snap, start=1)
        ]
        previous = self._snapshot
        self._snapshot = snap
        gone = [n for n in previous.names if n not in snap.clusters] if previous else []
        if table.loading or not table.row_count:
            table.replace_rows(rows)
        else:
            # apply() keeps the cursor on the same cluster while rows change around it.
            table.apply(rows, gone)
        table.loading = False
        self._show_detail(table.cursor_key)

    def on_resource_table_row_highlighted(self, event: ResourceTable.RowHighlighted) -> None:
        self._show_detail(event.key)

    def _show_detail(self, name: str | None) -> None:
        detail = self.query_one("#cluster-detail", Static)
        snap = self._snapshot
        handle = snap.get(name) if snap and name else None
        if handle is None or snap is None:
            detail.update("")
            return
        detail.update(describe_cluster(handle, snap.default))
