"""The Line-API text view and its search (kite_tui.ui.widgets.line_view), on a bare screen."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from kite_tui.ui.widgets.line_view import (
    SEARCH_BINDINGS,
    STRIP_CACHE_SIZE,
    LineView,
    SearchInput,
    SearchScreen,
    TextView,
    compile_search,
)


class Lines(SearchScreen):
    """The smallest search screen: a status line, the view and the prompt."""

    BINDINGS: ClassVar[list[BindingType]] = [*SEARCH_BINDINGS]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield TextView(id="body")
        yield SearchInput(id="search")

    def on_mount(self) -> None:
        view = self.query_one(TextView)
        view.set_lines([Text(line, end="") for line in self.lines])
        view.focus()

    def search_view(self) -> LineView:
        return self.query_one(TextView)

    def search_changed(self) -> None:
        view = self.query_one(TextView)
        self.query_one("#status", Static).update(f"{view.match_count()} on {view.current}")


class Host(App[None]):
    def __init__(self, screen: SearchScreen) -> None:
        super().__init__()
        self.target = screen

    def on_mount(self) -> None:
        self.push_screen(self.target)


def test_search_is_literal_and_smart_case() -> None:
    lower = compile_search("a.b")
    assert lower is not None
    assert lower.search("xA.Bx") and not lower.search("aXb")
    upper = compile_search("A.b")
    assert upper is not None
    assert upper.search("A.b") and not upper.search("a.b")
    assert compile_search("") is None


async def test_slash_enter_n_and_N_walk_the_matches_and_wrap() -> None:  # noqa: N802 - keys
    screen = Lines([f"line {i}" + (" needle" if i % 10 == 3 else "") for i in range(100)])
    async with Host(screen).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"needle", "enter")
        await pilot.pause()
        view = screen.query_one(TextView)
        status = screen.query_one("#status", Static)
        assert (view.search_query, view.current) == ("needle", 3)
        assert str(status.render()) == "10 on 3"
        assert not screen.query_one(SearchInput).has_class("-open")
        await pilot.press("n", "n")
        assert view.current == 23
        await pilot.press("N", "N", "N")
        await pilot.pause()
        assert view.current == 93  # wrapped from the first match to the last
        assert round(view.scroll_y) <= 93 < round(view.scroll_y) + view.size.height
        assert str(status.render()) == "10 on 93"
        await pilot.press("slash")
        assert screen.query_one(SearchInput).value == "needle"  # reopens with the query
        await pilot.press("escape")
        await pilot.pause()
        assert view.search_query == "needle" and screen.focused is view


async def test_rendered_lines_are_cached_within_a_bound() -> None:
    screen = Lines([f"row {i}" for i in range(STRIP_CACHE_SIZE * 3)])
    async with Host(screen).run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        view = screen.query_one(TextView)
        for index in range(STRIP_CACHE_SIZE * 3):
            assert view._line_strip(index).text == f"row {index}"
        assert len(view._strips) == STRIP_CACHE_SIZE
        last = STRIP_CACHE_SIZE * 3 - 1
        assert view._line_strip(last) is view._line_strip(last)  # a hit, not a re-render
