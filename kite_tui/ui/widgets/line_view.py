"""The Line-API text view and its ``/`` search, shared by the detail and log screens.

`LineView` is a `ScrollView` that renders with the Line API (``render_line`` returns a
`Strip`): only the lines on screen are rendered, so a 10,000-line CRD or a 20,000-line log
costs the same to scroll as a 20-line config map. It owns the keys (j/k, pages, g/G, h/l),
the message shown instead of the lines (loading, errors), search highlighting and cropping;
subclasses provide the lines and their row layout. `TextView` holds a fixed list of
pre-highlighted lines (YAML, describe); the log screen's `LogView` a bounded buffer.

Search is plain text, smart-case (case-insensitive unless the query has a capital letter):
``/`` opens the `SearchInput` prompt, ``n``/``N`` jump to the next/previous matching line.
`SearchScreen` is the base of the screens that have one view and one prompt: it owns those
actions, and tells its subclass when the search changed so it can redraw its status line.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

STRIP_CACHE_SIZE = 1024
SEARCH_PLACEHOLDER = "search (enter: find, esc: close)"

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
        """The search was submitted (its text) or cancelled (None)."""

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
        # Rendered lines by absolute index, bounded to a few screens' worth.
        self._strips: LRUCache[int, Strip] = LRUCache(STRIP_CACHE_SIZE)
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
                self._strips.discard(index)
                if old is not None:
                    self._strips.discard(old)
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
        self._strips.set(index, strip)
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
# The screen side of search
# --------------------------------------------------------------------------------------------

# Spliced into a screen's BINDINGS where its footer should show "/ Search".
SEARCH_BINDINGS: list[BindingType] = [
    Binding("slash", "search", "Search", key_display="/"),
    Binding("n", "find(1)", "Next match", show=False),
    Binding("N", "find(-1)", "Previous match", show=False),
]


class SearchScreen(Screen[None]):
    """A screen with one `LineView` and one `SearchInput`: ``/`` opens the prompt with the
    current query, enter searches, esc closes, ``n``/``N`` jump. Subclasses name their view
    (`search_view`) and redraw their status line in `search_changed`."""

    def search_view(self) -> LineView | None:
        """The view searched (None: this screen shows no text view right now)."""
        raise NotImplementedError

    def search_changed(self) -> None:
        """The query or the current match changed: redraw what shows them."""

    def action_search(self) -> None:
        search = self.query_one(SearchInput)
        search.add_class("-open")
        view = self.search_view()
        search.value = view.search_query if view is not None else ""
        search.focus()

    @on(SearchInput.Done)
    def _search_submitted(self, event: SearchInput.Done) -> None:
        event.stop()
        self.query_one(SearchInput).remove_class("-open")
        view = self.search_view()
        if view is not None:
            if event.text is not None:
                view.set_search(event.text)
            view.focus()
        self.search_changed()

    @on(LineView.SearchChanged)
    def _search_view_changed(self, event: LineView.SearchChanged) -> None:
        event.stop()
        self.search_changed()

    def action_find(self, direction: int) -> None:
        view = self.search_view()
        if view is not None:
            view.find(direction)


__all__ = [
    "SEARCH_BINDINGS",
    "SEARCH_PLACEHOLDER",
    "LineView",
    "SearchInput",
    "SearchScreen",
    "TextView",
    "compile_search",
]
