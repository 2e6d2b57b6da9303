"""The Textual app: receives snapshots, swaps them in, and routes keys. Thin on purpose.

Where a config change becomes a new screen: the watcher thread (core/watcher.py) calls the
manager, the manager publishes a `Snapshot` through `_post_snapshot` as a `SnapshotArrived`
message, `on_snapshot_arrived` swaps it in with one assignment and re-renders, then lets the
manager close the clients the new snapshot no longer uses.

The `:` prompt is widgets/command_line.py (its language ui/commands.py), the config banner
widgets/config_banner.py; what stays here is the app's state and its routing.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input

from kite_tui.core.config import ConfigEditError, ContextInfo, kubeconfig_contexts
from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.credentials import kill_plugins
from kite_tui.core.manager import ClusterManager
from kite_tui.core.resources import BUILTIN
from kite_tui.core.snapshot import ClusterHandle, Snapshot
from kite_tui.core.watcher import ConfigWatcher
from kite_tui.crashlog import report_crash, write_crash_log
from kite_tui.ui.commands import (
    ALL_NAMESPACES,
    ClusterCommands,
    Vocabulary,
    kind_words,
    parse_command,
    rank,
    resolve_cluster,
)
from kite_tui.ui.messages import ContextRead, NamespacesListed, SnapshotArrived
from kite_tui.ui.screens.help import HelpScreen, Rows, binding_sections
from kite_tui.ui.widgets.browser import ResourceBrowser
from kite_tui.ui.widgets.cluster_bar import ClusterBar
from kite_tui.ui.widgets.cluster_view import ClusterView
from kite_tui.ui.widgets.command_line import CommandLine
from kite_tui.ui.widgets.config_banner import ConfigBanner
from kite_tui.ui.widgets.footer import KiteFooter
from kite_tui.ui.widgets.overview import ClusterOverview
from kite_tui.ui.widgets.resource_table import ResourceTable

if TYPE_CHECKING:
    from kite_tui.sim.launcher import DemoProcess

OVERVIEW = "overview"


class _PromptExecutor(ThreadPoolExecutor):
    """The event loop's default executor, where Textual runs thread workers.

    asyncio.run() waits for this executor when the app exits; a worker blocked on a
    blackholed API server would then hold the quit for up to its request timeout. Shutting
    down without waiting lets the loop close at once; `kite_tui.cli` then leaves the process
    without joining such threads (their sockets die with it).
    """

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)


HELP_TITLES = {
    "ResourceTable": "Table",
    "ResourceBrowser": "Resources",
    "ClusterOverview": "Cluster overview (edits the config file)",
    "CommandLine": "Command line",
    "KiteApp": "General",
    "TextView": "Text",
    "DescribeScreen": "Describe",
    "YamlScreen": "YAML",
    "SecretScreen": "Secret",
    "LogScreen": "Logs",
}


class KiteApp(App[int]):
    TITLE = "kite-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ClusterCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(i), f"cluster_index({i})", f"Cluster {i}", show=False) for i in range(1, 10)),
        Binding(
            "left_square_bracket,ctrl+left",
            "cycle_cluster(-1)",
            "Previous cluster",
            key_display="[",
            show=False,
        ),
        Binding(
            "right_square_bracket,ctrl+right",
            "cycle_cluster(1)",
            "Next cluster",
            key_display="]",
            show=False,
        ),
        # Priority: handled as it arrives, before the keys typed after it are passed on to
        # the table (check_action lets it through to a text field, where it is a character).
        Binding("colon", "command_line", "Command", key_display=":", priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("r,ctrl+r", "resync", "Resync"),
        Binding("escape", "go_back", "Back", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        config_path: Path,
        *,
        cluster: str | None = None,
        readonly: bool = False,
        demo: bool = False,
        watch: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.config_path = Path(config_path)
        self.snapshot = Snapshot(generation=0, config_path=self.config_path)
        self.readonly = readonly
        self.demo = demo  # following the demo's config (help says so, with its path)
        self.current_cluster: str | None = None  # the cluster whose page is (or was last) open
        self._start_cluster = cluster
        self._started = False
        self._watch = watch
        self._clock = clock
        self._views: dict[str, ClusterView] = {}
        # Each cluster's namespace names as last listed, with the client that listed them.
        self._namespaces: dict[str, tuple[ClusterClient, tuple[str, ...]]] = {}
        # The kubeconfig context of each (kubeconfig, context, connection) shown so far.
        self._contexts: dict[tuple[Path, str | None, str], ContextInfo | None] = {}
        self._view_seq = 0
        self.manager = ClusterManager(self.config_path, self._post_snapshot, auto_release=False)
        self.watcher: ConfigWatcher | None = None
        self.snapshot_changed = asyncio.Condition()
        self._stopping = False
        self._chrome: tuple[Widget, ...] = ()  # see _widgets_alive
        self._demo: DemoProcess | None = None
        # Tests of the crash path (a real process in a real terminal) set this to make the
        # first snapshot's handler raise, as a bug would.
        self._test_crash = os.environ.get("KITE_TUI_TEST_CRASH") == "snapshot"
        self.crash: BaseException | None = None  # the first unhandled error, if any
        self.crash_log: Path | None = None  # where its traceback was written

    # --------------------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield ClusterBar(id="bar")
        yield ConfigBanner(id="banner")
        with ContentSwitcher(initial=OVERVIEW, id="pages"):
            yield ClusterOverview(self.config_path, id=OVERVIEW, clock=self._clock)
        with Vertical(id="bottom"):
            yield CommandLine(
                placeholder="pods · deploy · ns all · ctx NAME · q   (tab completes, esc cancels)",
                id="command",
            )
            yield KiteFooter()

    def on_mount(self) -> None:
        # Everything loaded so far (Textual, the kubernetes client, pydantic models) lives as
        # long as the app: keep full GC passes from rescanning it, which would stall the UI.
        gc.freeze()
        asyncio.get_running_loop().set_default_executor(
            _PromptExecutor(max_workers=16, thread_name_prefix="kite-worker")
        )
        self.query_one(CommandLine).display = False
        self._render_chrome()
        self.action_focus_main()
        if self._watch:
            self.watcher = ConfigWatcher(self.manager).start()

    def open_config(self, path: Path, *, demo: bool = False) -> None:
        """Follow another config file (e.g. the demo's): new manager, new watcher, same UI."""
        old_manager, old_watcher = self.manager, self.watcher
        self.config_path = Path(path)
        self.query_one(ClusterOverview).config_path = self.config_path
        self.demo = demo
        self.manager = ClusterManager(self.config_path, self._post_snapshot, auto_release=False)
        # Generations restart with the new manager; keep them above what is on screen.
        self.manager.skip_generations(self.snapshot.generation)
        self.watcher = ConfigWatcher(self.manager).start() if self._watch else None
        if old_watcher is not None:
            old_watcher.stop(timeout=1.0)
        old_manager.close()
        self._started = False

    # --------------------------------------------------------------------------- snapshots

    def _post_snapshot(self, snapshot: Snapshot) -> None:
        """Called on the manager's threads: post_message is the thread-safe way in."""
        self.post_message(SnapshotArrived(snapshot))

    async def on_snapshot_arrived(self, message: SnapshotArrived) -> None:
        snap = message.snapshot
        if self._test_crash:
            raise RuntimeError("KITE_TUI_TEST_CRASH: a crash on purpose")
        if self._stopping or self._exit or not self._widgets_alive():
            return  # arrived while quitting: the widgets may already be gone
        if snap.generation <= self.snapshot.generation:
            return  # an older snapshot overtaken in the queue: never go back in time
        self.snapshot = snap  # the one assignment readers see
        self._render_snapshot()
        self.manager.release(snap.generation)
        async with self.snapshot_changed:
            self.snapshot_changed.notify_all()

    def on_resource_browser_connection_changed(
        self, message: ResourceBrowser.ConnectionChanged
    ) -> None:
        # A feed lost or regained its server: that cluster's health is probed now, so the
        # header and the overview say what the view sees (not at the next resync).
        if self._stopping:
            return
        name, client = message.client.name, message.client
        if message.unanswered and not message.connected:
            self.manager.report_unreachable(name, message.unanswered, client)
        else:
            self.manager.reprobe(name, client)

    def _widgets_alive(self) -> bool:
        """False while the app is being torn down (children are removed before the app).

        The widgets are found once and then asked whether they are still attached: querying
        the DOM for them cost more than the rest of a snapshot's handling, dozens of times a
        second on a fleet that resyncs."""
        if not self._chrome:
            overview = self.query(ClusterOverview)
            groups: list[list[Widget]] = [
                list(overview),
                list(overview.first().query(ResourceTable)) if overview else [],
                list(self.query(ClusterBar)),
                list(self.query("#banner")),
                list(self.query(ContentSwitcher)),
            ]
            if not all(groups):
                return False
            self._chrome = tuple(widget for group in groups for widget in group)
        return all(widget.is_attached for widget in self._chrome)

    async def wait_for_snapshot(
        self, predicate: Callable[[Snapshot], bool], timeout: float = 10.0
    ) -> Snapshot:
        """Wait until the snapshot on screen satisfies `predicate` (tests, scripted use)."""
        async with self.snapshot_changed:
            await asyncio.wait_for(
                self.snapshot_changed.wait_for(lambda: predicate(self.snapshot)), timeout
            )
        return self.snapshot

    def _render_snapshot(self) -> None:
        snap = self.snapshot
        self.query_one(ClusterOverview).show_snapshot(snap)
        for name, view in list(self._views.items()):
            handle = snap.get(name)
            if handle is None:
                self._drop_view(name)
            else:
                view.show_handle(handle, snap.default)
        if not self._started:
            # Only the first snapshot of a config picks the page. Later ones are reloads, and
            # a reload never navigates: fixing a broken file leaves the user where they are.
            self._started = True
            self._open_start_cluster(snap)
        self._render_chrome()

    def _open_start_cluster(self, snap: Snapshot) -> None:
        if not snap.clusters:
            return  # a missing or broken config: stay on the overview, which says why
        if self._start_cluster and self._start_cluster not in snap.clusters:
            self.notify(f"No cluster named {self._start_cluster!r}", severity="error")
            return
        default = snap.get(snap.default) if snap.default else None
        if not self._start_cluster and default and not default.spec.enabled:
            # Opening it would only say so: the overview shows it, and all the others.
            self.notify(
                f"The default cluster {default.name!r} is disabled: showing the overview",
                severity="warning",
            )
            return
        start = self._start_cluster or snap.default
        if start:
            self.switch_to_cluster(start)

    def _render_chrome(self) -> None:
        if self._exit or not self._widgets_alive():
            # A page mounted just before quitting (or a browser change) can ask for this after
            # teardown has removed the bar and banner: there is nothing left to draw on.
            return
        snap = self.snapshot
        self.refresh_bindings()  # some keys depend on the state (d: demo, only without config)
        page = self.query_one(ContentSwitcher).current
        handle = snap.get(self.current_cluster) if self.current_cluster else None
        on_cluster = page != OVERVIEW and handle is not None
        view = self._current_view() if on_cluster else None
        browser = view.browser if view is not None else None
        if not on_cluster:
            title = "clusters"
        elif browser is None or browser.view is None or view is None or view.handle.client is None:
            title = ""  # nothing to browse (the cluster is down): the bar names the cluster
        else:
            title = browser.view.kind.display
        context = self._context_of(handle) if on_cluster and handle is not None else None
        self.query_one(ClusterBar).show(
            handle if on_cluster else None,
            view=title,
            namespace=(browser.namespace or "") if browser is not None else None,
            readonly=self.is_readonly(self.current_cluster if on_cluster else None),
            clusters=len(snap),
            position=snap.names.index(handle.name) + 1 if on_cluster and handle else None,
            context=context.name if context else None,
            user=context.user if context else None,
        )
        self.query_one(ConfigBanner).show(snap, self.config_path)

    def _context_of(self, handle: ClusterHandle) -> ContextInfo | None:
        """The kubeconfig context a cluster uses, once read (off the UI thread)."""
        spec = handle.spec
        if not spec.uses_kubeconfig or spec.kubeconfig is None:
            return None
        key = (spec.kubeconfig, spec.context, handle.connection_key)
        if key not in self._contexts:
            self._contexts[key] = None  # being read
            self._read_context(key)
        return self._contexts[key]

    @work(thread=True, group="kubeconfig", exit_on_error=False)
    def _read_context(self, key: tuple[Path, str | None, str]) -> None:
        path, name, _connection = key
        try:
            contexts = kubeconfig_contexts(path)
        except ConfigEditError:
            return  # the cluster's own health says what is wrong with the file
        for context in contexts:
            if context.name == name if name else context.current:
                self.post_message(ContextRead(key, context))
                return

    def on_context_read(self, message: ContextRead) -> None:
        self._contexts[message.key] = message.context
        self._render_chrome()

    def is_readonly(self, cluster: str | None) -> bool:
        snap = self.snapshot
        if self.readonly or snap.settings.readonly:
            return True
        handle = snap.get(cluster) if cluster else None
        return bool(handle and handle.spec.readonly)

    # --------------------------------------------------------------------------- keys

    # Keys about the main screen's pages: under any other screen (help, a form, a confirm
    # question, describe, logs) they would act on a page the user cannot see.
    MAIN_SCREEN_ACTIONS = frozenset({"cluster_index", "cycle_cluster", "command_line", "go_back"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_SCREEN_ACTIONS and len(self.screen_stack) > 1:
            return False
        if action == "command_line" and isinstance(self.focused, Input):
            return False
        if action == "go_back":  # esc leaves a cluster's page; on the overview it has no use
            return self.query_one(ContentSwitcher).current != OVERVIEW
        return True

    # --------------------------------------------------------------------------- switching

    def switch_to_cluster(self, name: str) -> None:
        """Show a cluster's page. Never waits: a down cluster's page says why at once."""
        handle = self.snapshot.get(name)
        if handle is None:
            self.notify(f"No cluster named {name!r}", severity="error")
            return
        view = self._views.get(name)
        if view is None:
            self._view_seq += 1
            view = ClusterView(
                handle, self.snapshot.default, clock=self._clock, id=f"cluster-{self._view_seq}"
            )
            self._views[name] = view
            self.query_one(ContentSwitcher).mount(view)
        self.current_cluster = name
        self.query_one(ContentSwitcher).current = view.id
        self.query_one(ClusterOverview).table.move_cursor_to_key(name)
        self._render_chrome()
        self.call_after_refresh(self.action_focus_main)

    def _current_view(self) -> ClusterView | None:
        page = self.query_one(ContentSwitcher).current
        for view in self._views.values():
            if view.id == page:
                return view
        return None

    def show_overview(self) -> None:
        self.query_one(ContentSwitcher).current = OVERVIEW
        if self.current_cluster:
            self.query_one(ClusterOverview).table.move_cursor_to_key(self.current_cluster)
        self._render_chrome()
        self.action_focus_main()

    def _drop_view(self, name: str) -> None:
        view = self._views.pop(name)
        if self.query_one(ContentSwitcher).current == view.id:
            self.query_one(ContentSwitcher).current = OVERVIEW
        if self.current_cluster == name:
            self.current_cluster = None
        view.remove()

    @on(ResourceTable.RowSelected, "#clusters")
    def _open_selected(self, event: ResourceTable.RowSelected) -> None:
        self.switch_to_cluster(event.key)

    def action_cluster_index(self, index: int) -> None:
        names = self.snapshot.names
        if 1 <= index <= len(names):
            self.switch_to_cluster(names[index - 1])
        else:
            self.notify(f"There is no cluster {index}", severity="warning")

    def action_cycle_cluster(self, step: int) -> None:
        names = self.snapshot.names
        if not names:
            return
        current = self.current_cluster
        if current is not None and current in names:
            i = (names.index(current) + step) % len(names)
        else:
            i = 0 if step > 0 else len(names) - 1
        self.switch_to_cluster(names[i])

    def on_resource_browser_view_changed(self, message: ResourceBrowser.ViewChanged) -> None:
        message.stop()
        self._render_chrome()

    def on_resource_browser_backed_out(self, message: ResourceBrowser.BackedOut) -> None:
        message.stop()
        self.action_go_back()

    def on_cluster_overview_demo_requested(self, message: ClusterOverview.DemoRequested) -> None:
        message.stop()
        self.start_demo()

    def on_command_line_cancelled(self, message: CommandLine.Cancelled) -> None:
        message.stop()
        self.action_focus_main()

    def action_go_back(self) -> None:
        if self.query_one(ContentSwitcher).current != OVERVIEW:
            self.show_overview()

    def action_focus_main(self) -> None:
        page = self.query_one(ContentSwitcher).visible_content
        if page is None:
            return
        # The page's table is where the keys are meant to go; else anything focusable.
        tables: list[Widget] = [w for w in page.query(ResourceTable) if w.focusable]
        focusable = tables or [w for w in page.query("*") if w.focusable]
        if focusable:
            focusable[0].focus()

    # --------------------------------------------------------------------------- commands

    def action_command_line(self) -> None:
        line = self.query_one(CommandLine)
        line.vocabulary = self._vocabulary()
        view = self._current_view()
        if view is not None and view.handle.client is not None:
            self._list_namespaces(view.cluster, view.handle.client)  # fresh for this prompt
        line.value = ""
        line.display = True
        # At once, not via focus() (deferred): the keys typed right after `:` are already
        # queued behind it and must land in the prompt, not in the table.
        self.screen.set_focus(line)

    def _vocabulary(self) -> Vocabulary:
        """What `:` completes here: kinds and namespaces only on a cluster page that is up."""
        view = self._current_view()
        if view is None or view.browser is None or view.handle.client is None:
            return Vocabulary(clusters=self.snapshot.names)
        return Vocabulary(
            clusters=self.snapshot.names,
            kinds=kind_words(view.browser.catalog),
            namespaces=self.known_namespaces(view.cluster),
        )

    def known_namespaces(self, cluster: str) -> tuple[str, ...] | None:
        """The cluster's namespaces as last listed by its current client; None if unknown."""
        handle = self.snapshot.get(cluster)
        listed = self._namespaces.get(cluster)
        if handle is None or listed is None or listed[0] is not handle.client:
            return None
        return listed[1]

    @work(thread=True, group="namespaces", exit_on_error=False)
    def _list_namespaces(self, cluster: str, client: ClusterClient) -> None:
        try:
            doc = client.get_json("/api/v1/namespaces")
            names = tuple(sorted(str(item["metadata"]["name"]) for item in doc["items"]))
        except Exception:  # forbidden, down or malformed: complete and check without them
            return
        self.post_message(NamespacesListed(cluster, client, names))

    def on_namespaces_listed(self, message: NamespacesListed) -> None:
        self._namespaces[message.cluster] = (message.client, message.names)
        if self._widgets_alive():
            self.query_one(CommandLine).vocabulary = self._vocabulary()

    def _namespace_problem(self, view: ClusterView, verb: str, namespace: str) -> str | None:
        """Why `:VERB NAMESPACE` cannot be shown: a namespace the cluster does not have."""
        if not namespace or namespace in ALL_NAMESPACES or view.browser is None:
            return None
        kind = view.browser.catalog.resolve(verb) or BUILTIN.resolve(verb)
        if kind is None or not (kind.namespaced or kind.plural == "namespaces"):
            return None  # not a kind, or one without namespaces: the browser says so
        known = self.known_namespaces(view.cluster)
        if known is None or namespace in known:
            return None
        close = rank(namespace, known)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"Namespace {namespace!r} does not exist on {view.cluster}{hint}"

    @on(Input.Submitted, "#command")
    def _run_command_line(self, event: Input.Submitted) -> None:
        line = self.query_one(CommandLine)
        text = event.value
        line.value = ""
        line.display = False
        self.action_focus_main()
        self.run_command(text)

    def run_command(self, text: str) -> None:
        command = parse_command(text)
        if command is None:
            return
        if command.verb == "quit":
            self.exit(0)
        elif command.verb == "help":
            self.action_help()
        elif command.verb == "cluster":
            if not command.arg:
                self.show_overview()
                return
            name = resolve_cluster(command.arg, self.snapshot.names)
            if name is None:
                self.notify(f"No cluster matches {command.arg!r}", severity="error")
            else:
                self.switch_to_cluster(name)
        else:
            view = self._current_view()
            if view is None:
                self.notify(
                    f"Open a cluster first (Enter, 1-9 or :ctx NAME) to browse {command.verb!r}",
                    severity="warning",
                )
                return
            problem = self._namespace_problem(view, command.verb, command.arg)
            if problem is not None:
                self.notify(problem, severity="error")
                return
            if view.browser is not None:
                view.browser.open_kind(command.verb, command.arg)
            self._render_chrome()

    def action_help(self) -> None:
        sections = binding_sections(
            self.screen.active_bindings,
            lambda node: HELP_TITLES.get(type(node).__name__, type(node).__name__),
        )
        commands = self._command_rows()
        if commands:
            sections.append(("Commands (after :)", commands))
        if self.demo:
            config = ("demo config", f"{self.config_path} (edit it while the app runs)")
        else:
            config = ("config", str(self.config_path))
        sections.append(("Files", [config]))
        self.push_screen(HelpScreen(sections))

    def _command_rows(self) -> Rows:
        """The `:` commands that work where the user is (none under another screen)."""
        if len(self.screen_stack) > 1:
            return []
        view = self._current_view()
        rows = []
        if view is not None and view.browser is not None and view.handle.client is not None:
            rows += [
                (
                    ":KIND [NAMESPACE]",
                    "browse a kind: :pods, :deploy, :svc… (tab completes); "
                    "all or -A: every namespace",
                ),
                (":ns NAME", "scope the views to a namespace; :ns all: every namespace"),
                (":ns", "list the namespaces (Enter opens one)"),
            ]
        rows.append((":ctx NAME", "switch to a cluster (fuzzy, tab completes; also :cluster)"))
        if view is not None:
            rows.append((":ctx", "back to the cluster overview"))
        rows += [(":help", "this help"), (":q", "quit")]
        return rows

    def action_resync(self) -> None:
        if self.watcher is not None:
            self.watcher.request_resync()
            self.notify("Resyncing every cluster…", timeout=2)

    # --------------------------------------------------------------------------- demo

    def start_demo(self) -> None:
        """Start simulated clusters in a child process and follow their config."""
        if self._demo is not None:
            return
        self.notify("Starting the demo clusters…", timeout=3)
        self._start_demo_worker()

    @work(thread=True, group="demo", exclusive=True, exit_on_error=False)
    def _start_demo_worker(self) -> None:
        from kite_tui.sim.launcher import DemoProcess

        demo = DemoProcess()
        try:
            path = demo.start()
        except RuntimeError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        self._demo = demo
        self.call_from_thread(partial(self.open_config, path, demo=True))
        self.call_from_thread(
            self.notify, f"Demo config: {path} — edit it and watch the app follow", timeout=8
        )

    # --------------------------------------------------------------------------- crashing

    def _handle_exception(self, error: Exception) -> None:
        """Textual's handler for any unhandled error: it exits the app with status 1.

        Textual would then print a traceback with every local variable (a client's token
        among them) over the user's terminal. Keep the traceback in a private file instead,
        written at once so it survives whatever happens next; `run_app` names the file.
        """
        if self.crash is None:
            self.crash = error
            with contextlib.suppress(OSError):  # report_crash then prints it instead
                self.crash_log = write_crash_log(error)
        super()._handle_exception(error)
        self._exit_renderables.clear()

    # --------------------------------------------------------------------------- quitting

    async def action_quit(self) -> None:
        self.shutdown()
        self.exit(0)

    def shutdown(self) -> None:
        """Stop the watcher thread and close every client; idempotent."""
        self._stopping = True
        if self._demo is not None:
            self._demo.stop()
            self._demo = None
        if self.watcher is not None:
            self.watcher.stop(timeout=1.0)
            self.watcher = None
        self.manager.close()
        kill_plugins()  # and any other exec plugin still running: none outlives the app

    def on_unmount(self) -> None:
        self.shutdown()


def run_app(
    config_path: Path, *, cluster: str | None = None, readonly: bool = False, demo: bool = False
) -> int:
    """Run the app in this terminal; its exit status (1 after a crash, which is reported)."""
    app = KiteApp(config_path, cluster=cluster, readonly=readonly, demo=demo)
    try:
        result = app.run()
    except Exception as exc:  # raised outside Textual's handler (driver start, teardown)
        app.crash = app.crash or exc
    if app.crash is not None:
        report_crash(app.crash, app.crash_log)
        return 1
    if app.return_code:
        return app.return_code
    return int(result or 0)
