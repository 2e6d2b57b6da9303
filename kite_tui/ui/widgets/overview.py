"""The cluster overview: every cluster's health at a glance, and the selected one in full."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from kite_tui.core.config import (
    ConfigDocument,
    ConfigEditError,
    ConfigError,
    Editor,
    EditorError,
    create_if_missing,
)
from kite_tui.core.snapshot import ClusterHandle, Health, Snapshot
from kite_tui.ui.editing import edit_error_message, run_edit
from kite_tui.ui.screens.cluster_form import ClusterFormScreen
from kite_tui.ui.screens.confirm import ConfirmScreen
from kite_tui.ui.screens.import_contexts import ImportContextsScreen
from kite_tui.ui.widgets.cluster_bar import HEALTH_STYLE
from kite_tui.ui.widgets.resource_table import Column, ResourceTable, Row

COLUMNS = (
    Column("#", align_right=True),
    Column("NAME"),
    Column("STATUS"),
    Column("VERSION"),
    Column("CHECKED", kind="age", missing="-"),
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


def cluster_row(index: int, handle: ClusterHandle, default: str | None) -> Row:
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
            short_error((handle.reason(path=False) or "").replace(f" ({handle.server})", "")),
            _server_label(handle.server) or _kubeconfig_label(handle),
            handle.spec.description,
        ),
        style=ROW_STYLE[handle.health],
    )


def _server_label(server: str | None) -> str:
    """The URL as written, scheme included: http and https read the same way, and the
    scheme is worth seeing (an http server sends the token in clear)."""
    return server.rstrip("/") if server else ""


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
    reason = handle.reason()
    if reason:
        text.append("error       ", style="dim")
        text.append(reason, style=HEALTH_STYLE[handle.health])
    return text


class ClusterOverview(Vertical):
    """The table of clusters plus a detail panel for the one under the cursor.

    Its keys edit the config file (never the snapshot): each edit is `apply_edit` in a worker,
    and the watcher brings the result back as the next snapshot.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_cluster", "Add"),
        Binding("i", "import_contexts", "Import"),
        Binding("d", "start_demo", "Demo clusters"),
        Binding("e", "edit_cluster", "Edit cluster", show=False),
        # Priority: the table sorts on shift+letter, and DESCRIPTION (wide mode) / ERROR start
        # with D / E; these keys mean remove / edit-the-file on the overview, as announced.
        Binding(
            "D,shift+d,ctrl+d",
            "remove_cluster",
            "Remove cluster",
            key_display="D",
            show=False,
            priority=True,
        ),
        Binding(
            "E,shift+e",
            "edit_config",
            "Edit config",
            key_display="E",
            priority=True,
        ),
        Binding("asterisk", "set_default", "Make default", key_display="*", show=False),
        Binding("space", "toggle_enabled", "Enable/disable", show=False),
        Binding("ctrl+w", "toggle_wide", "Wide (description)", show=False),
    ]

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

    class ConfigEditReport(Message):
        """The outcome of a config edit started from the overview (posted by its workers)."""

        def __init__(self, text: str, severity: SeverityLevel = "information") -> None:
            super().__init__()
            self.text = text
            self.severity = severity

    class DemoRequested(Message):
        """The user asked for the demo (first run, no config yet): the app starts it."""

    def __init__(
        self,
        config_path: Path,
        *,
        clock: Callable[[], float] | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
    ):
        """``config_path``: the file the keys edit (the app sets it again when it follows
        another file, as for the demo)."""
        super().__init__(id=id)
        self.config_path = config_path
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
        rows = [cluster_row(i, h, snap.default) for i, h in enumerate(snap, start=1)]
        self._snapshot = snap
        # A full replace for a handful of rows: the columns are fitted again, so the ERROR
        # column shrinks back once an error is fixed (live updates only ever grow them). The
        # cursor stays on the same cluster.
        table.replace_rows(rows)
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

    # --------------------------------------------------------------------------- config edits

    def _selected(self) -> str | None:
        name = self.table.cursor_key
        if name is None:
            self.app.notify("No cluster selected", severity="warning")
        return name

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The demo is offered to a first-time user only: no config file yet.
        if action == "start_demo":
            snap = self._snapshot  # a Snapshot with no clusters is falsy
            return snap is not None and snap.config_missing
        return True

    def action_start_demo(self) -> None:
        self.post_message(self.DemoRequested())

    def action_add_cluster(self) -> None:
        self.app.push_screen(ClusterFormScreen(self.config_path, timeout=self._timeout()))

    def action_import_contexts(self) -> None:
        # Also the first-run path: with no config yet, importing creates it (0600).
        self.app.push_screen(ImportContextsScreen(self.config_path))

    def action_edit_cluster(self) -> None:
        name = self._selected()
        if name is not None:
            self.app.push_screen(
                ClusterFormScreen(self.config_path, edit=name, timeout=self._timeout())
            )

    def _timeout(self) -> float:
        snap = self._snapshot
        return snap.settings.request_timeout_seconds if snap else 10.0

    def action_remove_cluster(self) -> None:
        name = self._selected()
        if name is None:
            return
        path = self.config_path

        def answered(yes: bool | None) -> None:
            if yes:
                self._edit(
                    path,
                    lambda doc: doc.remove_cluster(name),
                    f"Removed cluster {name!r} from {path}",
                )

        self.app.push_screen(ConfirmScreen(f"Remove cluster {name!r} from {path}?"), answered)

    def action_set_default(self) -> None:
        name = self._selected()
        if name is not None:
            self._edit(
                self.config_path,
                lambda doc: doc.set_default(name),
                f"{name!r} is now the default cluster",
            )

    def action_toggle_wide(self) -> None:
        self.table.wide = not self.table.wide

    def action_toggle_enabled(self) -> None:
        name = self._selected()
        if name is None:
            return

        def toggle(doc: ConfigDocument) -> str:
            # Decided on the file as read, not on what is on screen: the file is the truth.
            enabled = not doc.get(name).enabled
            doc.set_enabled(name, enabled)
            return f"{'Enabled' if enabled else 'Disabled'} cluster {name!r}"

        self._edit(self.config_path, toggle, None)

    @work(thread=True, exit_on_error=False, group="overview-edit")
    def _edit(self, path: Path, edit: Callable[[ConfigDocument], Any], done: str | None) -> None:
        result, error = run_edit(path, edit)
        if result is None:
            self.post_message(self.ConfigEditReport(error or "not saved", "error"))
            return
        self.post_message(self.ConfigEditReport(done or str(result.value)))
        for warning in result.warnings:
            self.post_message(self.ConfigEditReport(warning, "warning"))

    @on(ConfigEditReport)
    def _report(self, message: ClusterOverview.ConfigEditReport) -> None:
        message.stop()
        self.app.notify(message.text, severity=message.severity)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The edit workers report expected failures themselves; anything else lands here
        # (exit_on_error=False keeps the app running, the user still has to hear of it).
        if event.state == WorkerState.ERROR and event.worker.group.startswith("overview-"):
            self.app.notify(f"unexpected error: {event.worker.error}", severity="error")

    def action_edit_config(self) -> None:
        self._prepare_editor(self.config_path)

    @work(thread=True, exit_on_error=False, group="overview-editor")
    def _prepare_editor(self, path: Path) -> None:
        try:
            create_if_missing(path)
        except (ConfigError, ConfigEditError, OSError) as exc:
            self.post_message(self.ConfigEditReport(edit_error_message(exc, path), "error"))
            return
        self.app.call_from_thread(self._run_editor, path)

    def _run_editor(self, path: Path) -> None:
        """Hand the terminal to $VISUAL / $EDITOR / vi. Nothing else: the watcher sees the save.

        This blocks the UI thread on purpose: the app is suspended and the editor owns the
        terminal until it exits.
        """
        try:
            editor = Editor.from_environment()
        except EditorError as exc:
            self.app.notify(str(exc), severity="error")
            return
        try:
            with self.app.suspend():
                complaint = editor.run(path)
        except SuspendNotSupported:
            # No terminal to hand over (textual-web, a headless run): a GUI editor such as
            # `code --wait` still works, so run it detached instead of refusing.
            self._run_editor_detached(editor, path)
            return
        except EditorError as exc:
            self.app.notify(str(exc), severity="error")
            return
        if complaint:
            self.app.notify(complaint, severity="warning")

    @work(thread=True, exit_on_error=False, group="overview-editor")
    def _run_editor_detached(self, editor: Editor, path: Path) -> None:
        try:
            complaint = editor.run(path, detached=True)
        except EditorError as exc:
            self.post_message(self.ConfigEditReport(str(exc), "error"))
            return
        if complaint:
            self.post_message(self.ConfigEditReport(complaint, "warning"))
