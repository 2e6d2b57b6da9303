"""The resource browser of one cluster: `:KIND` views fed live by list+watch feeds.

Where data flows: `FeedPool` (core) runs one list+watch loop per (kind, namespace, selector)
on its own threads; its callbacks turn feed rows into table rows *on the feed's thread* and
post them here as messages; the UI thread only applies the batch to the `ResourceTable`.
Leaving a view releases its feed (the pool keeps it warm for a while); `esc` walks back
through the views the user came from, each with its filter, sort and cursor.

The current `ViewSpec` is the one truth about what is shown (kind, namespace, selectors):
the status line, the app's header (`namespace`) and the feed all read it.

What a view is and how feed rows become table rows are in browser_view.py; this module is the
widget that opens, feeds and navigates the views, one idea however long.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.errors import error_text
from kite_tui.core.kube.feed import (
    Backoff,
    FeedBatch,
    FeedOptions,
    FeedRow,
    FeedState,
    FeedStatus,
)
from kite_tui.core.kube.objects import ObjectRef, get_object
from kite_tui.core.kube.pool import FeedHandle, FeedPool
from kite_tui.core.kube.selectors import label_selector_string, split_requirements
from kite_tui.core.kube.tables import initial_columns
from kite_tui.core.resources import (
    BUILTIN,
    ResourceCatalog,
    default_sort,
    discover,
)
from kite_tui.core.snapshot import Health
from kite_tui.ui.widgets.browser_view import Breadcrumb, RowConverter, ViewSpec, to_columns
from kite_tui.ui.widgets.resource_table import ResourceTable, Row

# One frame's worth of coalescing: low event-to-row latency, still batched under bursts.
# Retries at most 5 s apart: a server that is back shows within seconds (a retry of a dead
# one costs a refused connect, or one held connection per open view).
FEED_OPTIONS = FeedOptions(batch_window=0.016, backoff=Backoff(maximum=5.0))

# Kinds whose Enter opens the pods they select (spec.selector), as `kubectl get pods -l`.
SELECTOR_KINDS = {"deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "services"}

CRD_GROUP = "apiextensions.k8s.io"

# kubectl's order: by namespace, then name; every sort breaks its ties the same way.
ORDER_BY = ("NAMESPACE", "NAME")

_STATE_LABEL = {
    FeedState.READY: "● live",
    FeedState.LOADING: "● loading…",
    FeedState.UNSERVED: "● not served",
}
_STATE_STYLE = {
    FeedState.READY: "green",
    FeedState.LOADING: "yellow",
    FeedState.RECONNECTING: "yellow",
}
_LIVE_STATES = (FeedState.READY, FeedState.LOADING, FeedState.RECONNECTING)
"""States that would look live: a view of a cluster known to be down shows its health."""


class ResourceBrowser(Vertical):
    """`:KIND` views of one cluster with `/` filter, wide toggle, details and drill-down."""

    DEFAULT_CSS = """
    ResourceBrowser {
        height: 1fr;
    }
    ResourceBrowser > #view-status {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    ResourceBrowser > ResourceTable {
        height: 1fr;
    }
    ResourceBrowser > #filter {
        height: 1;
        border: none;
        padding: 0 1;
        display: none;
    }
    ResourceBrowser > #filter.active {
        display: block;
    }
    """

    class ViewChanged(Message):
        """The browser opened another view (kind, namespace): whoever shows what is being
        browsed (the app's header bar) redraws it."""

    class BackedOut(Message):
        """esc with no filter to clear and no view to go back to: leave the browser (the app
        goes back to the cluster overview)."""

    class FeedBatchArrived(Message):
        """A batch of a view's feed, already turned into table rows on the feed's thread."""

        def __init__(
            self,
            view_id: int,
            batch: FeedBatch,
            rows: list[Row],
            feed_rows: list[FeedRow],
            converter: RowConverter,
        ) -> None:
            super().__init__()
            self.view_id = view_id
            self.batch = batch
            self.rows = rows
            self.feed_rows = feed_rows
            self.converter = converter

    class FeedStatusChanged(Message):
        """A view's feed changed state (listing, watching, retrying, forbidden…)."""

        def __init__(self, view_id: int, status: FeedStatus) -> None:
            super().__init__()
            self.view_id = view_id
            self.status = status

    class ConnectionChanged(Message):
        """A feed of this cluster lost (or regained) its server; the app has it reprobed.
        ``unanswered``: the error, when the server did not answer within the timeout."""

        def __init__(self, client: ClusterClient, connected: bool, unanswered: str | None) -> None:
            super().__init__()
            self.client = client
            self.connected = connected
            self.unanswered = unanswered

    class CatalogReady(Message):
        """The cluster's resource kinds, discovered off the UI thread; ``wanted`` is the
        `:WORD ARG` that asked for it (a kind the old catalog did not know), ``error`` why
        discovery failed (the catalog is then empty)."""

        def __init__(
            self,
            client: ClusterClient,
            catalog: ResourceCatalog,
            wanted: tuple[str, str] | None = None,
            error: str | None = None,
        ) -> None:
            super().__init__()
            self.client = client
            self.catalog = catalog
            self.wanted = wanted
            self.error = error

    class NamespacesProbed(Message):
        """The namespaces a namespaced view may list, probed when all-namespaces is forbidden."""

        def __init__(self, view_id: int, allowed: list[str]) -> None:
            super().__init__()
            self.view_id = view_id
            self.allowed = allowed

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("ctrl+w", "toggle_wide", "Wide"),
        Binding("0", "all_namespaces", "All namespaces"),
        Binding("d", "describe", "Describe"),
        Binding("y", "yaml", "YAML"),
        Binding("l", "logs", "Logs"),
        Binding("x", "secret", "Secret"),
        Binding("escape", "back", "Back", show=False),
    ]

    # Seconds a left view's feed keeps running so coming back is instant (tests set 0).
    FEED_GRACE = 30.0

    def __init__(self, *, clock: Callable[[], float] = time.time, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self.client: ClusterClient | None = None
        self.spec: ClusterSpec | None = None
        self.pool: FeedPool | None = None
        self.catalog: ResourceCatalog = BUILTIN
        self.view: ViewSpec | None = None
        self.history: list[ViewSpec] = []
        self._view_id = 0
        self._handle: FeedHandle | None = None
        self._rows: dict[str, FeedRow] = {}
        self._problems: dict[str, str] = {}  # key -> what was wrong with the server's row
        self._last_problem = ""
        self._status = FeedStatus(FeedState.LOADING)
        self._allowed: list[str] | None = None
        self._health: Health | None = None  # the cluster's, as of the last snapshot
        self.updated = asyncio.Condition()  # notified after every batch or status applied

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds after some feed update (tests, scripted use)."""
        async with self.updated:
            await asyncio.wait_for(self.updated.wait_for(predicate), timeout)

    async def _notify_updated(self) -> None:
        async with self.updated:
            self.updated.notify_all()

    # Keys that only work on some kinds: elsewhere they are neither shown nor bound.
    KIND_ACTIONS: ClassVar[dict[str, str]] = {"logs": "pods", "secret": "secrets"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        plural = self.KIND_ACTIONS.get(action)
        return plural is None or (self.view is not None and self.view.kind.plural == plural)

    @property
    def namespace(self) -> str | None:
        """The namespace the current view is scoped to (None: all), as the header shows it."""
        return self.view.namespace if self.view is not None else None

    def compose(self) -> ComposeResult:
        yield Static(id="view-status")
        table = ResourceTable(clock=self._clock, order_by=ORDER_BY, id="resources")
        table.loading = True
        yield table
        yield Input(placeholder="filter: text · ~regex · !invert · -l app=web", id="filter")

    @property
    def table(self) -> ResourceTable:
        return self.query_one("#resources", ResourceTable)

    # ------------------------------------------------------------------ attaching

    def attach(self, client: ClusterClient, spec: ClusterSpec) -> None:
        """Use this cluster client (first time, or a new client after a config change)."""
        if client is self.client:
            return
        keep = self.view
        self.detach()
        self.client = client
        self.spec = spec

        def on_connection(connected: bool, unanswered: str | None) -> None:  # feed thread
            # Bubbles up to the app, which owns the manager.
            self.post_message(self.ConnectionChanged(client, connected, unanswered))

        self.pool = FeedPool(
            client, grace=self.FEED_GRACE, options=FEED_OPTIONS, on_connection=on_connection
        )
        if keep is None:
            keep = ViewSpec(self.catalog.resolve("pods") or BUILTIN.kinds[0], spec.namespace)
        self._discover(client)
        self._open(keep, push=False)

    def show_health(self, health: Health) -> None:
        """The cluster's health from the newest snapshot: the view says it too, and a
        cluster that is back sends its feeds to it now rather than after their backoff."""
        previous, self._health = self._health, health
        if health == Health.OK and previous not in (None, Health.OK) and self.pool is not None:
            self.pool.retry_now()
        if health != previous:
            self._render_status()

    def detach(self) -> None:
        self._release()
        if self.pool is not None:
            # Signal every feed and move on: their threads are daemons that end by themselves
            # (a request still waiting for headers ends at its timeout); joining here would
            # hold up the UI, and quitting, by a second per feed stuck on a dead server.
            self.pool.close(timeout=0)
        self.pool = None
        self.client = None

    def on_unmount(self) -> None:
        self.detach()

    @work(thread=True, group="discovery", exit_on_error=False)
    def _discover(self, client: ClusterClient, wanted: tuple[str, str] | None = None) -> None:
        try:
            catalog = discover(client)
        except Exception as exc:
            if wanted is None:
                raise  # the first discovery: BUILTIN stays, the feeds report the server
            error = error_text(exc, client)
            self.post_message(self.CatalogReady(client, ResourceCatalog(()), wanted, error))
            return
        self.post_message(self.CatalogReady(client, catalog, wanted))

    def on_resource_browser_catalog_ready(self, message: ResourceBrowser.CatalogReady) -> None:
        if message.client is not self.client:
            return
        if len(message.catalog):
            self.catalog = message.catalog
        if message.wanted is not None:
            word, arg = message.wanted
            if self.catalog.resolve(word) or BUILTIN.resolve(word):
                self.open_kind(word, arg)
            else:
                # As kubectl: "the server doesn't have a resource type", naming the cluster.
                why = f" (discovery failed: {message.error})" if message.error else ""
                if self.spec is not None:
                    text = f"Cluster {self.spec.name} does not serve a resource type {word!r}"
                else:
                    text = f"Unknown resource {word!r}"
                self.app.notify(text + why, severity="error")

    # ------------------------------------------------------------------ views

    def open_kind(self, word: str, arg: str = "") -> bool:
        """`:WORD [ARG]`: a kind by kubectl name; `:ns NAME|all` scopes the namespace."""
        kind = self.catalog.resolve(word) or BUILTIN.resolve(word)
        if kind is None:
            if self.client is None:
                self.app.notify(f"Unknown resource {word!r}", severity="error")
                return False
            # Perhaps a custom resource defined since discovery ran (a CRD applied after we
            # connected): discover again, then open it or say, once, that it is not served.
            self._discover(self.client, (word, arg))
            return True
        if kind.plural == "namespaces" and arg:
            self.set_namespace(None if arg in ("all", "-A") else arg)
            return True
        namespace = self.namespace
        if arg in ("all", "-A"):
            namespace = None
        elif arg:
            namespace = arg
        self._open(ViewSpec(kind, namespace))
        return True

    def set_namespace(self, namespace: str | None) -> None:
        """Scope the views to a namespace (None: all) and reopen the current kind in it."""
        view = self.view
        if view is None:
            return
        kind = view.kind
        if kind.plural == "namespaces" or not kind.namespaced:
            kind = self.catalog.resolve("pods") or kind
        self._open(ViewSpec(kind, namespace))

    def _open(self, view: ViewSpec, *, push: bool = True) -> None:
        table = self.table
        if self.view is not None and push:
            self.history.append(
                replace(
                    self.view,
                    filter_text=table.filter_text,
                    cursor_key=table.cursor_key,
                    sort=(table.sort_column, table.sort_reverse),
                )
            )
            del self.history[:-50]
        self._release()
        self.view = view
        self._view_id += 1
        view_id = self._view_id
        self._rows = {}
        self._problems = {}
        self._last_problem = ""
        self._allowed = None
        self._status = FeedStatus(FeedState.LOADING)
        table.loading = True
        # The kind's own columns until its first Table comes (or if it never does).
        columns = initial_columns(view.key)
        table.set_columns(to_columns(columns))
        table.replace_rows(())
        column, reverse = view.sort or (default_sort(view.kind), False)
        names = {c.name for c in table.columns}
        table.sort_by(column if column in names else None, reverse)
        table.filter_text = view.filter_text
        filter_input = self.query_one("#filter", Input)
        filter_input.value = view.filter_text
        filter_input.set_class(bool(view.filter_text), "active")
        pool = self.pool
        if pool is not None:
            converter = RowConverter(columns)

            def on_batch(batch: FeedBatch) -> None:  # feed thread
                if batch.columns:
                    converter.set_columns(batch.columns)
                feed_rows = list(batch.upserts)
                rows = [converter(r) for r in feed_rows]
                self.post_message(self.FeedBatchArrived(view_id, batch, rows, feed_rows, converter))

            def on_status(status: FeedStatus) -> None:  # feed thread
                self.post_message(self.FeedStatusChanged(view_id, status))

            self._handle = pool.acquire(view.key, on_batch, on_status)
        self._render_status()
        self.app.refresh_bindings()  # the footer shows the keys of this kind
        # Sent by the browser itself: the first view opens in ClusterView.on_mount, and a
        # message Textual thinks the parent sent stops bubbling at that parent.
        self.post_message(self.ViewChanged().set_sender(self))

    def _release(self) -> None:
        if self._handle is not None and self.pool is not None:
            self.pool.release(self._handle)
        self._handle = None

    async def on_resource_browser_feed_batch_arrived(
        self, message: ResourceBrowser.FeedBatchArrived
    ) -> None:
        if message.view_id != self._view_id:
            return  # from a view the user already left
        batch = message.batch
        table = self.table
        was_loading = table.loading
        if batch.reset:
            view = self.view
            if batch.columns:
                table.set_columns(to_columns(batch.columns))
            self._rows = {r.key: r for r in message.feed_rows}
            self._problems = {r.key: r.problem for r in message.feed_rows if r.problem}
            self._last_problem = next(reversed(self._problems.values()), "")
            table.replace_rows(message.rows)
            table.loading = False
            if len(message.rows) >= 1000:
                # Thousands of long-lived rows make every full GC pass rescan them (tens of
                # ms, a visible stall); freezing moves what exists now out of its reach.
                gc.freeze()
            if view is not None and view.cursor_key:
                table.move_cursor_to_key(view.cursor_key)
        else:
            for r in message.feed_rows:
                self._rows[r.key] = r
                if r.problem:
                    self._problems[r.key] = self._last_problem = r.problem
                else:
                    self._problems.pop(r.key, None)
            for k in batch.deletes:
                self._rows.pop(k, None)
                self._problems.pop(k, None)
            if batch.columns:
                # The server changed its columns mid-watch: lay every row out again.
                table.set_columns(to_columns(batch.columns))
                table.replace_rows(message.converter(r) for r in self._rows.values())
            else:
                table.apply(message.rows, batch.deletes)
        self._render_status()
        if was_loading and not table.loading:
            # Textual ignores a loading widget's bindings: the footer must be recomputed once
            # the rows are in, or it keeps showing only the app's keys. Not on every batch:
            # working out the active bindings costs a busy view milliseconds each time.
            self.app.refresh_bindings()
        await self._notify_updated()

    async def on_resource_browser_feed_status_changed(
        self, message: ResourceBrowser.FeedStatusChanged
    ) -> None:
        if message.view_id != self._view_id:
            return
        was_loading = self.table.loading
        self._status = message.status
        if message.status.state == FeedState.FORBIDDEN:
            self.table.loading = False
            self.table.empty_message = self._forbidden_text()
            self._probe_namespaces(self._view_id)
        elif message.status.state == FeedState.ERROR:
            self.table.loading = False
            self.table.empty_message = f"Error: {message.status.message}"
        elif message.status.state == FeedState.UNSERVED:
            self.table.loading = False
            self.table.empty_message = f"Not found (HTTP 404): {message.status.message}."
        else:
            self.table.empty_message = "No resources"
        self._render_status()
        if was_loading and not self.table.loading:
            self.app.refresh_bindings()  # as after the first batch: the view's keys count now
        await self._notify_updated()

    # ------------------------------------------------------------------ 403

    def _forbidden_text(self) -> str:
        view = self.view
        what = view.kind.plural if view else "this"
        namespace = view.key.namespace if view else None
        where = f"namespace {namespace}" if namespace else "all namespaces"
        text = f"Forbidden: you may not list {what} in {where}. {self._status.message}"
        if self._allowed:
            text += f"  You can list {what} in: {', '.join(self._allowed)} — :ns NAME to go there."
        elif self._allowed == []:
            text += "  Try :ns NAME with a namespace you have access to."
        return text

    @work(thread=True, group="probe", exclusive=True, exit_on_error=False)
    def _probe_namespaces(self, view_id: int) -> None:
        """Find namespaces where this kind may be listed: a clear way out of a 403."""
        client, view, spec = self.client, self.view, self.spec
        if client is None or view is None or not view.kind.namespaced:
            return
        candidates: list[str] = []
        try:
            doc = client.get_json("/api/v1/namespaces")
            candidates = [i["metadata"]["name"] for i in doc.get("items", [])][:100]
        except Exception:  # namespaces are often forbidden too: fall back on what we know
            candidates = [n for n in (spec.namespace if spec else None, "default") if n]
        allowed = []
        for ns in candidates:
            try:
                client.get_json(view.kind.api_path(ns), [("limit", 1)])
            except Exception:
                continue
            allowed.append(ns)
        self.post_message(self.NamespacesProbed(view_id, allowed))

    async def on_resource_browser_namespaces_probed(
        self, message: ResourceBrowser.NamespacesProbed
    ) -> None:
        if message.view_id != self._view_id:
            return
        self._allowed = message.allowed
        if self._status.state == FeedState.FORBIDDEN:
            self.table.empty_message = self._forbidden_text()
            self.table.refresh()
        await self._notify_updated()

    # ------------------------------------------------------------------ rendering

    def _render_status(self) -> None:
        view = self.view
        if view is None:
            return
        status = self.query_one("#view-status", Static)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(view.kind.display, style="bold")
        if view.kind.namespaced:
            text.append(f"({view.namespace or 'all'})", style="cyan")
        table = self.table
        shown, total = table.visible_row_count, len(self._rows)
        text.append(f"  [{shown}/{total}]" if shown != total else f"  [{total}]", style="bold")
        state = self._status.state
        label = _STATE_LABEL.get(state, f"● {state}")
        if state == FeedState.READY and not view.kind.watchable:
            # Listed again and again, never watched (componentstatuses): not "live".
            label = f"● polled every {FEED_OPTIONS.poll_interval:g}s"
        health = self._health
        down = health not in (None, Health.OK) and state in _LIVE_STATES
        if down:
            # The cluster is known to be down: no view of it may look live meanwhile.
            label = f"● {health}"
        text.append(f"  {label}", style="red" if down else _STATE_STYLE.get(state, "red"))
        if state == FeedState.RECONNECTING and self._status.message:
            note = f"reconnecting: {self._status.message}" if down else self._status.message
            text.append(f" ({note})", style="dim")
        if self._problems:
            n = len(self._problems)
            cluster = f" of cluster {self.spec.name}" if self.spec else ""
            text.append(
                f"  ⚠ {n} malformed row{'s' if n != 1 else ''} from the server{cluster}, shown"
                f" cut or padded to fit: {self._last_problem}",
                style="bold red",
            )
        crumbs = Breadcrumb(
            view.title,
            split_requirements(view.label_selector or ""),
            split_requirements(view.field_selector or ""),
        )
        tail = Text()
        if table.filter_text:
            tail.append(f"  /{table.filter_text}", style="magenta")
            if table.filter_error:
                tail.append(f"  {table.filter_error}", style="red")
        if table.wide:
            tail.append("  wide", style="dim")
        room = status.content_size.width - text.cell_len - tail.cell_len
        text.append_text(crumbs.fit(room if status.content_size.width else None))
        text.append_text(tail)
        status.update(text)

    def on_resize(self) -> None:
        self._render_status()  # the breadcrumb is fitted to the width

    # ------------------------------------------------------------------ keys

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("active")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.filter_text = event.value  # applied as the user types
        self._render_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        if not event.value:
            self.query_one("#filter", Input).remove_class("active")
        self.table.focus()

    def action_toggle_wide(self) -> None:
        self.table.wide = not self.table.wide
        self._render_status()

    def action_all_namespaces(self) -> None:
        self.set_namespace(None)

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or self.table.filter_text:
            box.value = ""
            box.remove_class("active")
            self.table.filter_text = ""
            self.table.focus()
            self._render_status()
            return
        if not self.history:
            self.post_message(self.BackedOut())
            return
        self._open(self.history.pop(), push=False)

    def _selected(self) -> FeedRow | None:
        key = self.table.cursor_key
        return self._rows.get(key) if key else None

    def _ref(self, row: FeedRow) -> ObjectRef | None:
        if self.view is None:
            return None
        return ObjectRef.of(self.view.kind, row.name, row.namespace or None)

    def action_describe(self) -> None:
        from kite_tui.ui.screens.details import DescribeScreen

        row = self._selected()
        if row and self.client and (ref := self._ref(row)):
            self.app.push_screen(DescribeScreen(self.client, ref))

    def action_yaml(self) -> None:
        from kite_tui.ui.screens.details import YamlScreen

        row = self._selected()
        if row and self.client and (ref := self._ref(row)):
            self.app.push_screen(YamlScreen(self.client, ref))

    def action_secret(self) -> None:
        from kite_tui.ui.screens.details import SecretScreen

        row = self._selected()
        if row and self.client and self.view and self.view.kind.plural == "secrets":
            ref = self._ref(row)
            if ref:
                self.app.push_screen(SecretScreen(self.client, ref))

    def action_logs(self) -> None:
        row = self._selected()
        if row is None or self.view is None or self.view.kind.plural != "pods":
            self.app.notify("Logs: select a pod (:pods)", severity="warning")
            return
        self._open_logs(row.namespace, row.name)

    @work(thread=True, group="open", exclusive=True, exit_on_error=False)
    def _open_logs(self, namespace: str, name: str) -> None:
        from kite_tui.core.kube.logs import initial_container, pod_containers
        from kite_tui.ui.screens.logs import LogScreen

        client, view = self.client, self.view
        if client is None or view is None:
            return
        pod = self._fetch(client, ObjectRef.of(view.kind, name, namespace))
        if pod is None:
            return
        screen = LogScreen(
            client, namespace, name, pod_containers(pod), container=initial_container(pod)
        )
        self.app.call_from_thread(self.app.push_screen, screen)

    def _fetch(self, client: ClusterClient, ref: ObjectRef) -> dict[str, Any] | None:
        """GET one object from a worker thread; on failure tell the user and return None."""
        try:
            return get_object(client, ref)
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, error_text(exc, client), severity="error")
            return None

    # ------------------------------------------------------------------ drill-down

    @on(ResourceTable.RowSelected, "#resources")
    def _drill(self, event: ResourceTable.RowSelected) -> None:
        event.stop()
        row = self._rows.get(event.key)
        view = self.view
        if row is None or view is None:
            return
        plural = view.kind.plural
        pods = self.catalog.resolve("pods") or BUILTIN.resolve("pods")
        assert pods is not None
        if plural == "namespaces":
            self._open(ViewSpec(pods, row.name, title=f"namespace {row.name}"))
        elif plural == "nodes":
            self._open(
                ViewSpec(
                    pods,
                    None,
                    field_selector=f"spec.nodeName={row.name}",
                    title=f"on node {row.name}",
                )
            )
        elif plural == "secrets":
            self.action_secret()
        elif plural == "customresourcedefinitions" and view.kind.group == CRD_GROUP:
            self.open_kind(row.name)  # a CRD is named plural.group: its objects
        elif plural in SELECTOR_KINDS:
            self._drill_selector(row)
        else:
            self.action_describe()

    @work(thread=True, group="open", exclusive=True, exit_on_error=False)
    def _drill_selector(self, row: FeedRow) -> None:
        client, view = self.client, self.view
        if client is None or view is None:
            return
        obj = self._fetch(client, ObjectRef.of(view.kind, row.name, row.namespace))
        if obj is None:
            return
        spec = obj.get("spec") or {}
        selector = spec.get("selector") or {}
        if view.kind.plural == "services":
            selector = {"matchLabels": selector} if selector else {}
        text = label_selector_string(selector)
        if not text:
            self.app.call_from_thread(
                self.app.notify, f"{view.kind.kind} {row.name} selects no pods", severity="warning"
            )
            return
        pods = self.catalog.resolve("pods") or BUILTIN.resolve("pods")
        assert pods is not None
        target = ViewSpec(
            pods,
            row.namespace or None,
            label_selector=text,
            title=f"pods of {view.kind.singular or view.kind.kind.lower()} {row.name}",
        )
        self.app.call_from_thread(self._open, target)
