"""Object detail screens: YAML (`y`), describe (`d`) and secret values (`x`).

Each screen gets a `ClusterClient` and an `ObjectRef` and fetches on its own: a thread worker
(``@work(thread=True)``) does the blocking GET, formats and syntax-highlights the result off
the UI thread, and posts it back as a message; until then the screen shows a loading line,
and on failure (403, 404, unreachable) it shows the error instead of the content.

The text views use Textual's Line API (`ScrollView` + ``render_line``), like the resource
table and the log view: only the lines on screen are rendered, so a 10,000-line CRD costs
the same to scroll as a 20-line config map. `LineView` is the shared base (keys, search
highlighting, cropping); `TextView` holds a fixed list of pre-highlighted lines.

Search is plain text, smart-case (case-insensitive unless the query has a capital letter):
``/`` opens the prompt, ``n``/``N`` jump to the next/previous matching line.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import tzinfo
from typing import Any, ClassVar

from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.describe import describe
from kite_tui.core.kube.errors import error_text
from kite_tui.core.kube.objects import ObjectRef, events_for, get_object, related_for
from kite_tui.core.kube.secrets import secret_keys, secret_value
from kite_tui.core.kube.yaml import to_yaml

# ANSI themes use the terminal's own 16 colours and no background, so the YAML reads well
# on light and dark terminals and over SSH/tmux with TERM=screen.
SYNTAX_THEME = "ansi_dark"
HIDDEN = "••••••"


# --------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------


def compile_search(query: str) -> re.Pattern[str] | None:
    """A literal, smart-case pattern for ``query`` (None for an empty query)."""
    if not query:
        return None
    flags = 0 if any(c.isupper() for c in query) else re.IGNORECASE
    return re.compile(re.escape(query), flags)


class SearchInput(Input):
    """The ``/`` prompt. Enter searches, esc closes it (without leaving the screen).

    One row below the text and above the footer, hidden until the screen adds ``-open``.
    Not docked: the footer is docked at the bottom, and two widgets docked at one edge
    overlap, which hid what is typed. The focused look is set too, as `Input:focus` would
    draw a tall border (two more rows)."""

    DEFAULT_CSS = """
    SearchInput, SearchInput:focus {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
    }
    SearchInput.-open {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close search", show=False),
    ]

    class Done(Message):
        def __init__(self, text: str | None) -> None:
            super().__init__()
            self.text = text  # None: cancelled

    def action_cancel(self) -> None:
        self.post_message(self.Done(None))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(event.value))


# --------------------------------------------------------------------------------------------
# Line views
# --------------------------------------------------------------------------------------------


class LineView(ScrollView, can_focus=True):
    """Base of the Line API text views: keys, a message for the empty state, search.

    Lines are addressed by an *absolute* index (a log view drops lines from the front, and
    the indices of the lines it keeps must not change). Subclasses provide the lines
    (`_count`, `_first`, `_plain`, `_text`) and the row layout (`_locate`, `_row_of`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_rows(-1)", "Up", show=False),
        Binding("down,j", "scroll_rows(1)", "Down", show=False),
        Binding("pageup,b", "scroll_page(-1)", "Page up", show=False),
        Binding("pagedown,space", "scroll_page(1)", "Page down", show=False),
        Binding("home,g", "scroll_top", "Top", show=False),
        Binding("end,G", "scroll_bottom", "Bottom", show=False),
        Binding("left,h", "scroll_cols(-4)", "Left", show=False),
        Binding("right,l", "scroll_cols(4)", "Right", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-view--match",
        "line-view--current",
        "line-view--message",
        "line-view--error",
        "line-view--note",
    }

    DEFAULT_CSS = """
    LineView {
        background: $surface;
        scrollbar-size-vertical: 1;
    }
    LineView > .line-view--match {
        background: $warning 40%;
    }
    LineView > .line-view--current {
        background: $warning;
        color: $background;
        text-style: bold;
    }
    LineView > .line-view--message {
        color: $text-muted;
        text-style: italic;
    }
    LineView > .line-view--error {
        color: $error;
        text-style: bold;
    }
    LineView > .line-view--note {
        color: $text-muted;
        text-style: italic;
    }
    """

    class SearchChanged(Message):
        """The search or its current match changed (for the screen's status line)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.pattern: re.Pattern[str] | None = None
        self.search_query = ""
        self.current: int | None = None  # absolute index of the current match's line
        self.message: Text | None = None
        self._strips: OrderedDict[int, Strip] = OrderedDict()
        self._message_cache: tuple[int, list[Strip]] | None = None

    # -- subclass hooks ---------------------------------------------------------------------
    def _first(self) -> int:
        """Absolute index of the first line kept."""
        return 0

    def _count(self) -> int:
        raise NotImplementedError

    def _plain(self, index: int) -> str:
        raise NotImplementedError

    def _text(self, index: int) -> Text:
        raise NotImplementedError

    def _locate(self, row: int) -> tuple[int, int] | None:
        """(absolute line index, first cell) shown on virtual ``row``; index -1 is a note."""
        index = self._first() + row
        return (index, 0) if row >= 0 and row < self._count() else None

    def _row_of(self, index: int) -> int:
        return index - self._first()

    def _note(self) -> Text:
        return Text("")

    @property
    def wraps(self) -> bool:
        return False

    # -- content ----------------------------------------------------------------------------
    def set_message(self, message: str | Text | None, *, error: bool = False) -> None:
        """Show ``message`` (loading, error) instead of / above the lines."""
        if message is None:
            self.message = None
        else:
            cls = "line-view--error" if error else "line-view--message"
            text = Text(message) if isinstance(message, str) else message
            self.message = Text.assemble(text, style=self.get_component_rich_style(cls))
        self._message_cache = None
        self._update_size()
        self.refresh()

    @property
    def content_width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    def _content_size(self) -> Size:
        raise NotImplementedError

    def _update_size(self) -> None:
        if self.message is not None and self._count() == 0:
            rows = len(self._message_strips(self.content_width))
            self.virtual_size = Size(self.content_width, rows)
        else:
            self.virtual_size = self._content_size()

    def invalidate(self) -> None:
        self._strips.clear()
        self.refresh()

    # -- search -----------------------------------------------------------------------------
    def set_search(self, query: str) -> int:
        """Highlight ``query`` and jump to its first match at or below the top line.
        Returns the number of matching lines (0 also for an empty query)."""
        self.search_query = query
        self.pattern = compile_search(query)
        self.current = None
        self.invalidate()
        count = self.match_count()
        if self.pattern is not None and count:
            top = self._locate(round(self.scroll_y))
            start = top[0] if top is not None and top[0] >= 0 else self._first()
            self._jump(start, 1, inclusive=True)
        self.post_message(self.SearchChanged())
        return count

    def match_count(self) -> int:
        pattern = self.pattern
        if pattern is None:
            return 0
        first = self._first()
        return sum(1 for i in range(first, first + self._count()) if pattern.search(self._plain(i)))

    def find(self, direction: int) -> bool:
        """Jump to the next (1) or previous (-1) matching line, wrapping around."""
        if self.pattern is None or not self._count():
            return False
        start = self.current
        if start is None:
            top = self._locate(round(self.scroll_y))
            start = top[0] if top is not None and top[0] >= 0 else self._first()
            return self._jump(start, direction, inclusive=True)
        return self._jump(start, direction, inclusive=False)

    def _jump(self, start: int, direction: int, *, inclusive: bool) -> bool:
        pattern = self.pattern
        assert pattern is not None
        first, count = self._first(), self._count()
        start = min(max(start, first), first + count - 1)
        for step in range(0 if inclusive else 1, count + 1):
            index = first + (start - first + direction * step) % count
            if pattern.search(self._plain(index)):
                old = self.current
                self.current = index
                self._strips.pop(index, None)
                if old is not None:
                    self._strips.pop(old, None)
                self._reveal(index)
                self.refresh()
                self.post_message(self.SearchChanged())
                return True
        return False

    def _reveal(self, index: int) -> None:
        """Scroll so the line is on screen, a third of the way down if it was not."""
        row = self._row_of(index)
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if not top <= row < top + height:
            self._scroll_user(y=max(0, row - height // 3))
        if not self.wraps:
            match = self.pattern.search(self._plain(index)) if self.pattern else None
            if match is not None:
                width = self.content_width
                x = round(self.scroll_x)
                if not x <= match.start() < x + width - 1:
                    self._scroll_user(x=max(0, match.start() - width // 4))

    # -- scrolling --------------------------------------------------------------------------
    def _scroll_user(self, x: float | None = None, y: float | None = None) -> None:
        """A scroll the user asked for (keys, search jumps)."""
        self.scroll_to(x=x, y=y, animate=False, force=True)

    def action_scroll_rows(self, delta: int) -> None:
        self._scroll_user(y=max(0, round(self.scroll_y) + delta))

    def action_scroll_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self._scroll_user(y=max(0, round(self.scroll_y) + direction * page))

    def action_scroll_top(self) -> None:
        self._scroll_user(y=0)

    def action_scroll_bottom(self) -> None:
        self._scroll_user(y=self.max_scroll_y)

    def action_scroll_cols(self, delta: int) -> None:
        if not self.wraps:
            self._scroll_user(x=max(0, round(self.scroll_x) + delta))

    # -- rendering --------------------------------------------------------------------------
    def _message_strips(self, width: int) -> list[Strip]:
        if self._message_cache is not None and self._message_cache[0] == width:
            return self._message_cache[1]
        strips: list[Strip] = []
        if self.message is not None:
            console = self.app.console
            for line in self.message.wrap(console, width):
                strips.append(Strip(line.render(console), line.cell_len))
        self._message_cache = (width, strips)
        return strips

    def _line_strip(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is not None:
            self._strips.move_to_end(index)
            return strip
        text = self._note() if index < 0 else self._text(index)
        if index >= 0 and self.pattern is not None:
            plain = text.plain
            cls = "line-view--current" if index == self.current else "line-view--match"
            style = self.get_component_rich_style(cls)
            matches = list(self.pattern.finditer(plain))
            if matches:
                text = text.copy()
                for m in matches:
                    text.stylize(style, m.start(), m.end())
        console = self.app.console
        strip = Strip(text.render(console, end=""), text.cell_len)
        self._strips[index] = strip
        if len(self._strips) > 1024:  # bounded: a few screens' worth
            self._strips.popitem(last=False)
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.content_width
        base = self.rich_style
        row = round(self.scroll_y) + y
        if self.message is not None and self._count() == 0:
            strips = self._message_strips(width)
            if 0 <= row < len(strips):
                return strips[row].crop_extend(0, width, base)
            return Strip.blank(width, base)
        loc = self._locate(row)
        if loc is None:
            return Strip.blank(width, base)
        index, x0 = loc
        x = x0 if self.wraps else x0 + round(self.scroll_x)
        strip = self._line_strip(index)
        return strip.crop_extend(x, x + width, base).apply_style(base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._message_cache = None


class TextView(LineView):
    """A fixed list of (highlighted) lines: the YAML and describe views."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._lines: list[Text] = []
        self._plains: list[str] = []
        self._width = 0

    @property
    def lines(self) -> list[Text]:
        return self._lines

    def set_lines(self, lines: list[Text]) -> None:
        self._lines = lines
        self._plains = [line.plain for line in lines]
        self._width = max((line.cell_len for line in lines), default=0)
        self.message = None
        self.current = None
        self._update_size()
        self.invalidate()
        if self.search_query:
            self.set_search(self.search_query)

    def _count(self) -> int:
        return len(self._lines)

    def _plain(self, index: int) -> str:
        return self._plains[index]

    def _text(self, index: int) -> Text:
        return self._lines[index]

    def _content_size(self) -> Size:
        return Size(self._width, len(self._lines))


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


class Loaded(Message):
    """A fetch worker's result (posted from its thread)."""

    def __init__(self, payload: Any, info: str = "") -> None:
        super().__init__()
        self.payload = payload
        self.info = info


class Failed(Message):
    """A fetch worker's error, already phrased for the user."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class _ObjectScreen(Screen[None]):
    """Shared frame: title line, content, search prompt, footer; fetch in a thread worker."""

    VIEW_NAME = ""  # what the title says before the object ("YAML"): empty for none

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("n", "find(1)", "Next match", show=False),
        Binding("N", "find(-1)", "Previous match", show=False),
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
        yield SearchInput(placeholder="search (enter: find, esc: close)", id="search")
        yield Footer()

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
            payload, info = self.fetch()
        except Exception as exc:  # every failure becomes a message on screen
            if not worker.is_cancelled:
                self.post_message(Failed(error_text(exc, self.client)))
            return
        if not worker.is_cancelled:
            self.post_message(Loaded(payload, info))

    def fetch(self) -> tuple[Any, str]:
        """Runs in the worker thread: fetch and format. Returns (payload, info text)."""
        raise NotImplementedError

    @on(Loaded)
    def _on_loaded(self, message: Loaded) -> None:
        message.stop()
        self.loading_done = True
        self.error = None
        self._info = message.info
        self.show(message.payload)
        self._update_title()

    @on(Failed)
    def _on_failed(self, message: Failed) -> None:
        message.stop()
        self.loading_done = True
        self.error = message.error
        self.show_error(message.error)
        self._update_title()

    def show(self, payload: Any) -> None:
        """On the UI thread: display what `fetch` returned."""
        view = self.view()
        assert isinstance(view, TextView)
        view.set_lines(payload)
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

    @on(LineView.SearchChanged)
    def _search_changed(self, event: LineView.SearchChanged) -> None:
        event.stop()
        self._update_title()

    # -- actions ----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.start_loading()

    def action_search(self) -> None:
        search = self.query_one(SearchInput)
        search.add_class("-open")
        view = self.view()
        search.value = view.search_query if view is not None else ""
        search.focus()

    @on(SearchInput.Done)
    def _search_submitted(self, event: SearchInput.Done) -> None:
        event.stop()
        search = self.query_one(SearchInput)
        search.remove_class("-open")
        view = self.view()
        if view is not None:
            if event.text is not None:
                view.set_search(event.text)
            view.focus()
        self._update_title()

    def action_find(self, direction: int) -> None:
        view = self.view()
        if view is not None:
            view.find(direction)


class YamlScreen(_ObjectScreen):
    """``kubectl get -o yaml`` of one object, syntax highlighted, managedFields folded."""

    VIEW_NAME = "YAML"

    def __init__(self, client: ClusterClient, ref: ObjectRef) -> None:
        super().__init__(client, ref)
        self.object: dict[str, Any] | None = None

    def fetch(self) -> tuple[Any, str]:
        obj = get_object(self.client, self.ref)
        lines = highlight_yaml(to_yaml(obj))
        rv = (obj.get("metadata") or {}).get("resourceVersion", "?")
        return (obj, lines), f"{len(lines)} lines, resourceVersion {rv}"

    def show(self, payload: Any) -> None:
        self.object, lines = payload
        super().show(lines)


class DescribeScreen(_ObjectScreen):
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

    def fetch(self) -> tuple[Any, str]:
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
        return (text, highlight_describe(text)), events_note

    def show(self, payload: Any) -> None:
        self.text, lines = payload
        super().show(lines)


class SecretScreen(_ObjectScreen):
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

    def fetch(self) -> tuple[Any, str]:
        obj = get_object(self.client, self.ref)
        keys = secret_keys(obj)
        kind = obj.get("type", "Opaque")
        return obj, f"type {kind}, {len(keys)} key{'s' if len(keys) != 1 else ''}"

    def show(self, payload: Any) -> None:
        self._secret = payload
        self.keys = secret_keys(payload)
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
    "LineView",
    "SearchInput",
    "SecretScreen",
    "TextView",
    "YamlScreen",
    "compile_search",
    "highlight_describe",
    "highlight_yaml",
]
