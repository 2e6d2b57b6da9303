"""Object detail screens: YAML (`y`), describe (`d`) and secret values (`x`).

Each screen gets a `ClusterClient` and an `ObjectRef` and fetches on its own: a thread worker
(``@work(thread=True)``) does the blocking GET, formats and syntax-highlights the result off
the UI thread, and posts it back as a message; until then the screen shows a loading line,
and on failure (403, 404, unreachable) it shows the error instead of the content.

The YAML and describe text is shown in a `TextView` and searched with ``/``, ``n`` and ``N``
(`kite_tui.ui.widgets.line_view`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, ClassVar, Generic, TypeVar

from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.describe import describe
from kite_tui.core.kube.errors import error_text
from kite_tui.core.kube.objects import ObjectRef, events_for, get_object, related_for
from kite_tui.core.kube.secrets import secret_keys, secret_value
from kite_tui.core.kube.yaml import to_yaml
from kite_tui.ui.widgets.footer import KiteFooter
from kite_tui.ui.widgets.line_view import (
    SEARCH_BINDINGS,
    SEARCH_PLACEHOLDER,
    LineView,
    SearchInput,
    SearchScreen,
    TextView,
)

# ANSI themes use the terminal's own 16 colours and no background, so the YAML reads well
# on light and dark terminals and over SSH/tmux with TERM=screen.
SYNTAX_THEME = "ansi_dark"
HIDDEN = "••••••"


# --------------------------------------------------------------------------------------------
# Formatting, off the UI thread
# --------------------------------------------------------------------------------------------


def highlight_yaml(text: str) -> list[Text]:
    """YAML syntax-highlighted with Rich (Pygments), one `Text` per line."""
    code = text.rstrip("\n")
    highlighted = Syntax(code, "yaml", theme=SYNTAX_THEME, word_wrap=False).highlight(code)
    highlighted.rstrip()
    lines = list(highlighted.split("\n", allow_blank=True))
    for line in lines:
        line.end = ""
    return lines


_LABEL_RE = re.compile(r"^(\s*)([^\s:][^:\t]*?:)(?=\s|$)")
_STYLE_LABEL = Style(bold=True)
_STYLE_TOP = Style(bold=True, color="cyan")
_STYLE_WARNING = Style(color="yellow", bold=True)
_STYLE_FALSE = Style(color="red")


def highlight_describe(text: str) -> list[Text]:
    """Light styling for describe output: field labels bold (top-level ones cyan), Warning
    events yellow. Regex over each line, so it works for any kind's layout."""
    out = []
    for raw in text.rstrip("\n").split("\n"):
        line = Text(raw, end="")
        m = _LABEL_RE.match(raw)
        if m:
            style = _STYLE_TOP if not m.group(1) else _STYLE_LABEL
            line.stylize(style, m.start(2), m.end(2))
        if raw.startswith("  Warning "):
            line.stylize(_STYLE_WARNING, 2, 9)
        out.append(line)
    return out


# --------------------------------------------------------------------------------------------
# Screens
# --------------------------------------------------------------------------------------------


P = TypeVar("P")
"""What a screen's fetch worker hands to its `show`: the content it displays."""
C = TypeVar("C")


@dataclass(frozen=True)
class YamlContent:
    """The object, and its YAML as highlighted lines."""

    object: dict[str, Any]
    lines: list[Text]


@dataclass(frozen=True)
class DescribeContent:
    """The describe text (plain, for tests and copying), and the same as highlighted lines."""

    text: str
    lines: list[Text]


class _ObjectScreen(SearchScreen, Generic[P]):
    """Shared frame: title line, content, search prompt, footer; fetch in a thread worker."""

    class Loaded(Message, Generic[C]):
        """A fetch worker's result (posted from its thread): the content, and the title's
        info text."""

        def __init__(self, content: C, info: str = "") -> None:
            super().__init__()
            self.content = content
            self.info = info

    class Failed(Message):
        """A fetch worker's error, already phrased for the user."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    VIEW_NAME = ""  # what the title says before the object ("YAML"): empty for none

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        *SEARCH_BINDINGS,
        Binding("r,ctrl+r", "reload", "Reload"),
    ]

    DEFAULT_CSS = """
    _ObjectScreen > #title {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, client: ClusterClient, ref: ObjectRef) -> None:
        super().__init__()
        self.client = client
        self.ref = ref
        self.loading_done = False
        self.error: str | None = None
        self._info = ""

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield from self.compose_body()
        yield SearchInput(placeholder=SEARCH_PLACEHOLDER, id="search")
        yield KiteFooter()

    def compose_body(self) -> ComposeResult:
        yield TextView(id="body")

    def view(self) -> LineView | None:
        """The text view, if this screen has one (the secret screen has a table)."""
        for widget in self.query("#body"):
            if isinstance(widget, LineView):
                return widget
        return None

    def on_mount(self) -> None:
        self._update_title()
        self.start_loading()

    def start_loading(self) -> None:
        self.loading_done = False
        self.error = None
        view = self.view()
        if view is not None and view._count() == 0:
            view.set_message(f"Loading {self.ref.display}…")
        self._update_title()
        self._fetch()

    @work(thread=True, group="fetch", exclusive=True, exit_on_error=False)
    def _fetch(self) -> None:
        worker = get_current_worker()
        try:
            content, info = self.fetch()
        except Exception as exc:  # every failure becomes a message on screen
            if not worker.is_cancelled:
                self.post_message(self.Failed(error_text(exc, self.client)))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(content, info))

    def fetch(self) -> tuple[P, str]:
        """Runs in the worker thread: fetch and format. Returns (content, info text)."""
        raise NotImplementedError

    @on(Loaded)
    def _on_loaded(self, message: _ObjectScreen.Loaded[P]) -> None:
        message.stop()
        self.loading_done = True
        self.error = None
        self._info = message.info
        self.show(message.content)
        self._update_title()

    @on(Failed)
    def _on_failed(self, message: _ObjectScreen.Failed) -> None:
        message.stop()
        self.loading_done = True
        self.error = message.error
        self.show_error(message.error)
        self._update_title()

    def show(self, content: P) -> None:
        """On the UI thread: display what `fetch` returned."""
        raise NotImplementedError

    def show_lines(self, lines: list[Text]) -> None:
        """Show these lines in the text view (YAML, describe)."""
        view = self.view()
        assert isinstance(view, TextView)
        view.set_lines(lines)
        self._focus_content(view)

    def _focus_content(self, widget: Widget) -> None:
        """Focus the content once it has loaded, unless the user is typing a search."""
        if not isinstance(self.focused, SearchInput):
            widget.focus()

    def show_error(self, error: str) -> None:
        view = self.view()
        if isinstance(view, TextView):
            view.set_lines([])
            view.set_message(f"✗ {error}", error=True)

    # -- title ------------------------------------------------------------------------------
    def _update_title(self) -> None:
        title = Text()
        if self.VIEW_NAME:
            title.append(f"{self.VIEW_NAME} ", style="bold")
        title.append(self.ref.display, style="bold cyan")
        title.append(f"  @{self.client.name}", style="dim")
        state = self._state_text()
        if state:
            title.append("  ·  ")
            title.append_text(state)
        self.query_one("#title", Static).update(title)

    def _state_text(self) -> Text:
        if not self.loading_done:
            return Text("loading…", style="italic")
        if self.error:
            return Text("error", style="bold red")
        parts = Text(self._info)
        view = self.view()
        if view is not None and view.pattern is not None:
            count = view.match_count()
            parts.append(f"  /{view.search_query}: ", style="bold")
            parts.append(f"{count} matching line{'s' if count != 1 else ''}")
        return parts

    def search_view(self) -> LineView | None:
        return self.view()

    def search_changed(self) -> None:
        self._update_title()

    # -- actions ----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.start_loading()


class YamlScreen(_ObjectScreen[YamlContent]):
    """``kubectl get -o yaml`` of one object, syntax highlighted, managedFields folded."""

    VIEW_NAME = "YAML"

    def __init__(self, client: ClusterClient, ref: ObjectRef) -> None:
        super().__init__(client, ref)
        self.object: dict[str, Any] | None = None

    def fetch(self) -> tuple[YamlContent, str]:
        obj = get_object(self.client, self.ref)
        lines = highlight_yaml(to_yaml(obj))
        rv = (obj.get("metadata") or {}).get("resourceVersion", "?")
        return YamlContent(obj, lines), f"{len(lines)} lines, resourceVersion {rv}"

    def show(self, content: YamlContent) -> None:
        self.object = content.object
        self.show_lines(content.lines)


class DescribeScreen(_ObjectScreen[DescribeContent]):
    """``kubectl describe`` of one object, with its events (and related objects)."""

    VIEW_NAME = "Describe"

    def __init__(
        self,
        client: ClusterClient,
        ref: ObjectRef,
        *,
        now: Callable[[], float] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        """``now`` (a callable returning epoch seconds) and ``tz`` fix ages and the time
        zone (tests); by default the current time and the local zone."""
        super().__init__(client, ref)
        self._now = now
        self._tz = tz
        self.text = ""

    def fetch(self) -> tuple[DescribeContent, str]:
        obj = get_object(self.client, self.ref)
        try:
            events = events_for(self.client, obj)
            events_note = f"{len(events)} event{'s' if len(events) != 1 else ''}"
        except Exception as exc:
            # Reading events may be forbidden where the object is not: describe anyway.
            events = []
            events_note = f"events unavailable: {error_text(exc, self.client)}"
        try:
            related = related_for(self.client, obj)
        except Exception:  # replicasets/pods are extras: describe without them
            related = {}
        now = self._now() if self._now is not None else None
        text = describe(obj, events, related=related, now=now, tz=self._tz)
        return DescribeContent(text, highlight_describe(text)), events_note

    def show(self, content: DescribeContent) -> None:
        self.text = content.text
        self.show_lines(content.lines)


class SecretScreen(_ObjectScreen[dict[str, Any]]):
    """A Secret's keys with their sizes; values hidden until revealed one by one (enter/x)
    or all at once (X). Values stay in memory only: never logged, never in the title."""

    VIEW_NAME = ""  # the title's "Secret shop/name" (the object's kind) says it already

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("x", "toggle_value", "Reveal/hide"),
        Binding("X", "toggle_all", "Reveal/hide all"),
        Binding("r,ctrl+r", "reload", "Reload"),
    ]

    DEFAULT_CSS = """
    SecretScreen > DataTable {
        height: 1fr;
    }
    SecretScreen > #value {
        height: auto;
        max-height: 50%;
        border-top: solid $panel;
        padding: 0 1;
        display: none;
    }
    SecretScreen > #value.-shown {
        display: block;
    }
    SecretScreen > #message {
        padding: 0 1;
        display: none;
    }
    SecretScreen > #message.-shown {
        display: block;
    }
    """

    PREVIEW = 120

    def __init__(self, client: ClusterClient, ref: ObjectRef) -> None:
        super().__init__(client, ref)
        self._secret: dict[str, Any] = {}
        self.keys: list[tuple[str, int]] = []
        self.revealed: set[str] = set()

    def compose_body(self) -> ComposeResult:
        yield Static(id="message")
        table: DataTable[Any] = DataTable(id="keys", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static(id="value")

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        table.add_column("KEY", key="key")
        table.add_column("SIZE", key="size")
        table.add_column("VALUE", key="value")
        super().on_mount()

    def start_loading(self) -> None:
        super().start_loading()
        self._set_message(f"Loading {self.ref.display}…")

    def _set_message(self, text: str | None, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.set_class(text is not None, "-shown")
        if text is not None:
            message.update(Text(text, style="bold red" if error else "italic"))

    def fetch(self) -> tuple[dict[str, Any], str]:
        """The Secret object itself: its values are decoded only when revealed."""
        obj = get_object(self.client, self.ref)
        keys = secret_keys(obj)
        kind = obj.get("type", "Opaque")
        return obj, f"type {kind}, {len(keys)} key{'s' if len(keys) != 1 else ''}"

    def show(self, content: dict[str, Any]) -> None:
        self._secret = content
        self.keys = secret_keys(content)
        self.revealed &= {k for k, _ in self.keys}
        table = self.query_one("#keys", DataTable)
        table.clear()
        for key, size in self.keys:
            table.add_row(key, f"{size} B", self._cell(key), key=key)
        self._set_message(None if self.keys else "This secret has no data.")
        self._show_value()
        self._focus_content(table)

    def show_error(self, error: str) -> None:
        self.query_one("#keys", DataTable).clear()
        self._secret = {}
        self.keys = []
        self._show_value()
        self._set_message(f"✗ {error}", error=True)

    def value(self, key: str) -> str:
        """The decoded value (for tests and for copying); never shown unless revealed."""
        return secret_value(self._secret, key)

    def _cell(self, key: str) -> str:
        if key not in self.revealed:
            return HIDDEN
        value = self.value(key).replace("\n", "⏎")
        return value if len(value) <= self.PREVIEW else value[: self.PREVIEW - 1] + "…"

    def cell_text(self, key: str) -> str:
        """What the VALUE column shows for ``key`` right now."""
        table = self.query_one("#keys", DataTable)
        return str(table.get_cell(key, "value"))

    def _cursor_key(self) -> str | None:
        table = self.query_one("#keys", DataTable)
        if not self.keys or table.cursor_row < 0 or table.cursor_row >= len(self.keys):
            return None
        return self.keys[table.cursor_row][0]

    def _refresh_cells(self) -> None:
        table = self.query_one("#keys", DataTable)
        for key, _ in self.keys:
            table.update_cell(key, "value", self._cell(key), update_width=True)
        self._show_value()

    def _show_value(self) -> None:
        """The full value of the highlighted key, below the table, when it is revealed and
        does not fit in the cell (multi-line certificates, configs)."""
        panel = self.query_one("#value", Static)
        key = self._cursor_key()
        full = self.value(key) if key is not None and key in self.revealed else None
        shown = full is not None and ("\n" in full or len(full) > self.PREVIEW)
        panel.set_class(shown, "-shown")
        panel.update(Text(full or "", no_wrap=False) if shown else "")

    def action_toggle_value(self) -> None:
        key = self._cursor_key()
        if key is None:
            return
        self.revealed ^= {key}
        self._refresh_cells()

    def action_toggle_all(self) -> None:
        all_keys = {k for k, _ in self.keys}
        self.revealed = set() if self.revealed == all_keys else all_keys
        self._refresh_cells()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_toggle_value()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_value()


__all__ = [
    "DescribeScreen",
    "SecretScreen",
    "YamlScreen",
    "highlight_describe",
    "highlight_yaml",
]
