"""The log screen: one container's log, followed live (``l`` on a pod).

A `LogStream` (core) reads the log endpoint on its own threads and hands over batches of
lines through callbacks that only ``post_message``; the screen tags each stream with a
generation number, so batches still queued from a stream it replaced are dropped.

`LogView` keeps the lines in a bounded buffer (``max_lines``, 20,000 by default): when it is
full the oldest lines go, and a note at the top says how many. It renders with the Line API,
so only the lines on screen cost anything, however many there are. Wrapping is by cell
width (log lines are not prose) and keeps a start-row table that is trimmed with the buffer.

Following: while ``follow`` is on, new lines keep the view at the bottom. Scrolling up (keys,
wheel, scrollbar) pauses it, shown in the status line; ``G``/``end`` or scrolling back to the
bottom resumes it. While paused, the lines on screen stay put even as old lines are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Static

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.logs import LogState, LogStream
from kite_tui.ui.widgets.footer import KiteFooter
from kite_tui.ui.widgets.line_view import (
    SEARCH_BINDINGS,
    SEARCH_PLACEHOLDER,
    LineView,
    SearchInput,
    SearchScreen,
)

DEFAULT_MAX_LINES = 20_000
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(line: str) -> str:
    """Tabs to spaces, carriage returns and other control bytes (except colour escapes)
    dropped: a raw control byte would move the terminal's cursor."""
    if "\t" in line:
        line = line.expandtabs(8)
    if "\x1b" in line:
        return line
    return _CONTROL_RE.sub("", line) if not line.isprintable() else line


def _plain(line: str) -> str:
    return _ANSI_RE.sub("", line) if "\x1b" in line else line


def _width(line: str) -> int:
    plain = _plain(line)
    return len(plain) if plain.isascii() else cell_len(plain)


class LogView(LineView):
    """A bounded, followable, searchable log buffer rendered with the Line API."""

    class FollowChanged(Message):
        """Following the end was turned on or off (by a key, or by scrolling away)."""

        def __init__(self, follow: bool) -> None:
            super().__init__()
            self.follow = follow

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.max_lines = max(1, max_lines)
        self._lines: list[str] = []
        self._first_index = 0  # absolute index of _lines[0] == lines dropped so far
        self._max_width = 0
        self._wrap = False
        self._wrap_width = 0
        self._starts: list[int] = []  # wrap only: absolute start row of each kept line
        self._rows_end = 0  # wrap only: absolute row after the last line
        self.follow = True
        self.received = 0  # lines appended since the last clear, dropped ones included
        self.max_seen = 0  # the longest the buffer has ever been (tests check the bound)
        self._programmatic = 0

    # -- state ------------------------------------------------------------------------------
    @property
    def lines(self) -> list[str]:
        """The lines kept (oldest first); at most ``max_lines``."""
        return self._lines

    @property
    def dropped(self) -> int:
        return self._first_index

    @property
    def wraps(self) -> bool:
        return self._wrap

    def _first(self) -> int:
        return self._first_index

    def _count(self) -> int:
        return len(self._lines)

    def _plain(self, index: int) -> str:
        return _plain(self._lines[index - self._first_index])

    def _text(self, index: int) -> Text:
        line = self._lines[index - self._first_index]
        return Text.from_ansi(line, end="") if "\x1b" in line else Text(line, end="")

    def _note(self) -> Text:
        n = self._first_index
        return Text(
            f"… {n:,} earlier line{'s' if n != 1 else ''} dropped (keeping the last "
            f"{self.max_lines:,})",
            style=self.get_component_rich_style("line-view--note"),
            end="",
        )

    @property
    def _note_rows(self) -> int:
        return 1 if self._first_index else 0

    # -- layout -----------------------------------------------------------------------------
    def _line_rows(self, line: str) -> int:
        width = self._wrap_width
        return max(1, -(-_width(line) // width)) if width > 0 else 1

    def _rebuild_wrap(self) -> None:
        self._wrap_width = self.content_width
        self._starts = []
        row = 0
        for line in self._lines:
            self._starts.append(row)
            row += self._line_rows(line)
        self._rows_end = row

    def _rows(self) -> int:
        if self._wrap:
            return self._rows_end - (self._starts[0] if self._starts else self._rows_end)
        return len(self._lines)

    def _content_size(self) -> Size:
        height = self._note_rows + self._rows()
        width = self.content_width if self._wrap else self._max_width
        return Size(width, height)

    def _locate(self, row: int) -> tuple[int, int] | None:
        if row < 0:
            return None
        if self._note_rows:
            if row == 0:
                return (-1, 0)
            row -= 1
        if not self._wrap:
            if row >= len(self._lines):
                return None
            return (self._first_index + row, 0)
        if not self._starts:
            return None
        target = self._starts[0] + row
        if target >= self._rows_end:
            return None
        i = bisect_right(self._starts, target) - 1
        return (self._first_index + i, (target - self._starts[i]) * self._wrap_width)

    def _row_of(self, index: int) -> int:
        i = index - self._first_index
        if self._wrap and self._starts:
            return self._note_rows + self._starts[i] - self._starts[0]
        return self._note_rows + i

    # -- scrolling and following ------------------------------------------------------------
    @contextmanager
    def _scrolling_ourselves(self) -> Iterator[None]:
        self._programmatic += 1
        try:
            yield
        finally:
            self._programmatic -= 1

    def _set_follow(self, follow: bool) -> None:
        if follow != self.follow:
            self.follow = follow
            self.post_message(self.FollowChanged(follow))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._programmatic:
            return
        if round(new_value) >= self.max_scroll_y:
            self._set_follow(True)  # back at the bottom: follow again
        elif new_value < old_value:
            self._set_follow(False)  # the user scrolled up (wheel, scrollbar, keys)

    def _scroll_user(self, x: float | None = None, y: float | None = None) -> None:
        if y is not None and round(y) < round(self.scroll_y):
            self._set_follow(False)
        super()._scroll_user(x=x, y=y)

    def scroll_to_end(self) -> None:
        with self._scrolling_ourselves():
            self.scroll_to(y=self.max_scroll_y, animate=False, force=True)

    def action_follow(self) -> None:
        """G / end: jump to the bottom and follow again."""
        self._set_follow(True)
        self.scroll_to_end()

    def action_scroll_bottom(self) -> None:
        self.action_follow()

    # -- content ----------------------------------------------------------------------------
    def clear(self) -> None:
        self._lines = []
        self._first_index = 0
        self._max_width = 0
        self._starts = []
        self._rows_end = 0
        self.received = 0
        self.current = None
        self._strips.clear()
        with self._scrolling_ourselves():
            self._update_size()
            self.scroll_to(x=0, y=0, animate=False, force=True)
        self.refresh()

    def append_lines(self, new: Sequence[str]) -> None:
        """Add lines at the end, dropping the oldest beyond ``max_lines``."""
        if not new:
            return
        if len(new) > self.max_lines:
            # Only the newest max_lines can survive: do not lay out the rest.
            skipped = len(new) - self.max_lines
            self._drop(len(self._lines))
            self._first_index += skipped
            self.received += skipped
            new = new[skipped:]
        cleaned = [_clean(line) for line in new]
        self.received += len(cleaned)
        width = self._max_width
        for line in cleaned:
            w = _width(line)
            if w > width:
                width = w
            if self._wrap:
                self._starts.append(self._rows_end)
                self._rows_end += self._line_rows(line)
        self._max_width = width
        had_note = self._note_rows
        self._lines.extend(cleaned)
        removed_rows = self._drop(len(self._lines) - self.max_lines)
        self.max_seen = max(self.max_seen, len(self._lines))
        self.message = None
        with self._scrolling_ourselves():
            self._update_size()
            if self.follow:
                self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
            elif removed_rows or self._note_rows != had_note:
                # Paused: keep the same lines on screen although the ones above went away.
                shift = removed_rows - (self._note_rows - had_note)
                self.scroll_to(y=max(0, round(self.scroll_y) - shift), animate=False, force=True)
        self.refresh()

    def _drop(self, count: int) -> int:
        """Drop the ``count`` oldest lines; returns how many rows they took."""
        if count <= 0:
            return 0
        count = min(count, len(self._lines))
        if self._wrap and self._starts:
            end = self._starts[count] if count < len(self._starts) else self._rows_end
            rows = end - self._starts[0]
            del self._starts[:count]
        else:
            rows = count
        del self._lines[:count]
        for index in range(self._first_index, self._first_index + count):
            self._strips.discard(index)
        self._first_index += count
        if self.current is not None and self.current < self._first_index:
            self.current = None
        return rows

    def set_wrap(self, wrap: bool) -> None:
        """Wrap long lines at the view's width (no horizontal scrolling) or not."""
        anchor = self._locate(round(self.scroll_y))
        self._wrap = wrap
        if wrap:
            self._rebuild_wrap()
        else:
            self._starts = []
        self._strips.clear()
        with self._scrolling_ourselves():
            self._update_size()
            if self.follow:
                self.scroll_to(x=0, y=self.max_scroll_y, animate=False, force=True)
            elif anchor is not None and anchor[0] >= 0:
                self.scroll_to(x=0, y=self._row_of(anchor[0]), animate=False, force=True)
        self.refresh()

    def on_resize(self) -> None:
        if self._wrap and self.content_width != self._wrap_width:
            self._rebuild_wrap()
            self._strips.clear()
        with self._scrolling_ourselves():
            self._update_size()
            if self.follow:
                self.call_after_refresh(self.scroll_to_end)


_STATE_STYLE = {
    LogState.CONNECTING: "italic",
    LogState.STREAMING: "green",
    LogState.RECONNECTING: "yellow",
    LogState.WAITING: "yellow",
    LogState.ENDED: "dim",
    LogState.ERROR: "bold red",
    LogState.STOPPED: "dim",
}
_EXPLAINED = (LogState.ERROR, LogState.WAITING, LogState.RECONNECTING, LogState.ENDED)
"""States whose message the status line shows after them."""


class LogScreen(SearchScreen):
    """One pod's container log, followed live. See the module docstring."""

    class Lines(Message):
        """Lines of the stream numbered ``generation`` (posted from the stream's threads)."""

        def __init__(self, generation: int, lines: list[str]) -> None:
            super().__init__()
            self.generation = generation
            self.lines = lines

    class Status(Message):
        """The stream numbered ``generation`` changed state (posted from its threads)."""

        def __init__(self, generation: int, state: LogState, text: str) -> None:
            super().__init__()
            self.generation = generation
            self.state = state
            self.text = text

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("c", "cycle_container", "Container"),
        Binding("p", "toggle_previous", "Previous"),
        Binding("t", "toggle_timestamps", "Timestamps"),
        Binding("w", "toggle_wrap", "Wrap"),
        *SEARCH_BINDINGS,
        Binding("G,end", "follow", "Follow", key_display="G"),
    ]

    DEFAULT_CSS = """
    LogScreen > #log-status {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        client: ClusterClient,
        namespace: str,
        pod: str,
        containers: Sequence[str],
        container: str | None = None,
        *,
        tail_lines: int | None = 500,
        max_lines: int = DEFAULT_MAX_LINES,
        timestamps: bool = False,
        wrap: bool = False,
    ) -> None:
        super().__init__()
        self.client = client
        self.namespace = namespace
        self.pod = pod
        self.containers = list(containers) or ([container] if container else [])
        self.container = (
            container
            if container is not None
            else (self.containers[0] if self.containers else None)
        )
        self.tail_lines = tail_lines
        self.max_lines = max_lines
        self.timestamps = timestamps
        self.previous = False
        self._wrap_initial = wrap
        self.stream: LogStream | None = None
        self.generation = 0
        self.state = LogState.CONNECTING
        self.state_text = ""

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="log-status")
        yield LogView(self.max_lines, id="body")
        yield SearchInput(placeholder=SEARCH_PLACEHOLDER, id="search")
        yield KiteFooter()

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        if self._wrap_initial:
            self.view.set_wrap(True)
        self.view.focus()
        self.restart_stream()

    def on_unmount(self) -> None:
        self.stop_stream()

    # -- streaming --------------------------------------------------------------------------
    def stop_stream(self) -> None:
        if self.stream is not None:
            self.stream.stop()

    def restart_stream(self) -> None:
        """(Re)start streaming with the current container/previous/timestamps settings;
        the old stream is stopped first and its late messages ignored."""
        self.stop_stream()
        self.generation += 1
        generation = self.generation
        self.view.clear()
        self.view.set_message(None)
        self.state, self.state_text = LogState.CONNECTING, "connecting…"

        # Called on the stream's threads: post only (thread-safe), never touch widgets.
        def on_lines(lines: list[str]) -> None:
            self.post_message(self.Lines(generation, lines))

        def on_status(state: LogState, text: str) -> None:
            self.post_message(self.Status(generation, state, text))

        self.stream = LogStream(
            self.client,
            self.namespace,
            self.pod,
            self.container,
            follow=True,
            tail_lines=self.tail_lines,
            timestamps=self.timestamps,
            previous=self.previous,
            on_lines=on_lines,
            on_status=on_status,
        )
        self.stream.start()
        self._update_status()

    @on(Lines)
    def _on_lines(self, message: LogScreen.Lines) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self.view.append_lines(message.lines)
        self._update_status()

    @on(Status)
    def _on_status(self, message: LogScreen.Status) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self.state, self.state_text = message.state, message.text
        view = self.view
        if message.state == LogState.ERROR and not view.lines:
            # The status line is cut at the screen's width: say it where the log would be.
            hint = " (p: current log)" if self.previous else ""
            view.set_message(f"✗ {message.text}{hint}", error=True)
        self._update_status()

    @on(LogView.FollowChanged)
    def _follow_changed(self, message: LogView.FollowChanged) -> None:
        message.stop()
        self._update_status()

    def search_view(self) -> LineView:
        return self.view

    def search_changed(self) -> None:
        self._update_status()

    # -- status line ------------------------------------------------------------------------
    def status_text(self) -> Text:
        view = self.view
        text = Text.assemble(("Logs ", "bold"), (f"{self.namespace}/{self.pod}", "bold cyan"))
        if self.container:
            text.append(f" [{self.container}]", style="cyan")
            if len(self.containers) > 1:
                index = (
                    self.containers.index(self.container) + 1
                    if (self.container in self.containers)
                    else 0
                )
                text.append(f" {index}/{len(self.containers)}", style="dim")
        if self.previous:
            text.append("  previous", style="bold magenta")
        text.append(f"  @{self.client.name}", style="dim")
        text.append("  ·  ")
        if view.follow:
            text.append("following", style="green")
        else:
            text.append("paused — press G/end to follow", style="bold yellow reverse")
        text.append("  ·  ")
        text.append(f"{self.state}", style=_STATE_STYLE.get(self.state, ""))
        if self.state in _EXPLAINED and self.state_text:
            text.append(f": {self.state_text}", style=_STATE_STYLE.get(self.state, ""))
        text.append(f"  ·  {len(view.lines):,} lines")
        if view.dropped:
            text.append(f" ({view.dropped:,} dropped)", style="dim")
        flags = [name for name, on_ in (("ts", self.timestamps), ("wrap", view.wraps)) if on_]
        if flags:
            text.append(f"  ·  {' '.join(flags)}", style="dim")
        if view.pattern is not None:
            text.append(f"  ·  /{view.search_query}", style="bold")
        return text

    def _update_status(self) -> None:
        self.query_one("#log-status", Static).update(self.status_text())

    # -- actions ----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.stop_stream()
        self.dismiss(None)

    def action_cycle_container(self) -> None:
        if len(self.containers) < 2:
            self.notify("This pod has one container.", timeout=2)
            return
        index = self.containers.index(self.container) if self.container in self.containers else -1
        self.switch_container(self.containers[(index + 1) % len(self.containers)])

    def switch_container(self, container: str) -> None:
        if container != self.container:
            self.container = container
            self.restart_stream()

    def action_toggle_previous(self) -> None:
        self.previous = not self.previous
        self.restart_stream()

    def action_toggle_timestamps(self) -> None:
        self.timestamps = not self.timestamps
        self.restart_stream()

    def action_toggle_wrap(self) -> None:
        self.view.set_wrap(not self.view.wraps)
        self._update_status()

    def action_follow(self) -> None:
        self.view.action_follow()
        self._update_status()


__all__ = ["DEFAULT_MAX_LINES", "LogScreen", "LogView"]
