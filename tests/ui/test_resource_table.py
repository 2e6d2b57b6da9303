"""ResourceTable behaviour as a user sees it: scale, cursor, sorting, filtering, layout.

Screens are read with ``table.render_line(y)`` (what the widget paints at line ``y``),
after ``pilot.pause()`` has let Textual process pending messages and refreshes.  Ages
are deterministic: the table gets a fixed clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding

from kite_tui.core.humanize import Since
from kite_tui.ui.widgets.resource_table import Column, ResourceTable, Row

NOW = 1_700_000_000.0
COLUMNS = (
    Column("NAME"),
    Column("READY"),
    Column("STATUS"),
    Column("RESTARTS"),
    Column("AGE", kind="age"),
    Column("IP", priority=1),
    Column("NODE", priority=1),
)


def pod(
    name: str,
    *,
    ready: str = "1/1",
    status: str = "Running",
    restarts: str = "0",
    age: float | None = 60.0,
    ip: str = "10.0.0.1",
    node: str = "node-1",
    labels: dict[str, str] | None = None,
    style: str = "",
) -> Row:
    """A pod row; ``age`` is seconds before NOW (None: unknown)."""
    created = None if age is None else NOW - age
    return Row(
        key=f"default/{name}",
        cells=(name, ready, status, restarts, created, ip, node),
        labels=labels or {},
        style=style,
    )


def demo_rows() -> list[Row]:
    """A small, varied namespace used by the snapshot tests."""
    return [
        pod("api-7d4b9c-x2kq", age=3 * 3600 + 5 * 60, labels={"app": "api"}),
        pod("api-7d4b9c-zz81", age=2 * 86400 + 3 * 3600, labels={"app": "api"}),
        pod(
            "db-0",
            ready="0/1",
            status="CrashLoopBackOff",
            restarts="12 (2m ago)",
            age=8 * 86400,
            style="red",
            labels={"app": "db"},
        ),
        pod("db-1", age=45, labels={"app": "db"}),
        pod("web-1", ready="2/2", age=303, ip="10.0.0.11", labels={"app": "web"}),
        pod("web-2", ready="2/2", age=900, ip="10.0.0.12", labels={"app": "web"}),
        pod("web-10", ready="1/2", status="Pending", age=None, ip="", node="<none>"),
        pod(
            "worker-with-a-really-long-generated-name-that-keeps-going-and-going-abcdef",
            age=3 * 365 * 86400 + 45 * 86400,
            node="node-2",
        ),
    ]


class TableApp(App[None]):
    """Mounts one ResourceTable with the given rows and records its messages."""

    BINDINGS = [Binding("X", "app_x", "App X")]

    def __init__(
        self,
        rows: Sequence[Row] = (),
        columns: Sequence[Column] = COLUMNS,
        clock: list[float] | None = None,
    ) -> None:
        super().__init__()
        self._rows = list(rows)
        self._columns = list(columns)
        self._clock = clock if clock is not None else [NOW]
        self.messages: list[tuple[str, str | None]] = []
        self.app_x_pressed = False

    def compose(self) -> ComposeResult:
        table = ResourceTable(clock=lambda: self._clock[0])
        table.set_columns(self._columns)
        table.replace_rows(self._rows)
        yield table

    def on_mount(self) -> None:
        self.query_one(ResourceTable).focus()

    def on_resource_table_row_highlighted(self, message: ResourceTable.RowHighlighted) -> None:
        self.messages.append(("highlighted", message.key))

    def on_resource_table_row_selected(self, message: ResourceTable.RowSelected) -> None:
        self.messages.append(("selected", message.key))

    def action_app_x(self) -> None:
        self.app_x_pressed = True


def screen(table: ResourceTable) -> list[str]:
    """The text the table shows, line by line (trailing spaces stripped).

    ``render_lines`` goes through Textual's line cache, so a line that was not marked
    dirty shows what was painted earlier, exactly as on the terminal.
    """
    return [strip.text.rstrip() for strip in table.render_lines(table.size.region)]


def first_cells(table: ResourceTable) -> list[str]:
    """The first cell of every painted data row."""
    return [line.split()[0] for line in screen(table)[1:] if line.strip()]


async def test_ten_thousand_rows_load_and_only_visible_rows_render(monkeypatch: Any) -> None:
    painted: set[str] = set()
    row_line = ResourceTable._row_line

    def spy(self: ResourceTable, rec: Any) -> tuple[str, tuple[str, ...]]:
        painted.add(rec.row.key)
        return row_line(self, rec)

    monkeypatch.setattr(ResourceTable, "_row_line", spy)
    app = TableApp([pod(f"pod-{i}") for i in range(10_000)])
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(ResourceTable)
        assert table.row_count == table.visible_row_count == 10_000
        assert table.virtual_size.height == 10_001  # header + rows
        lines = screen(table)
        assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        assert first_cells(table)[:3] == ["pod-0", "pod-1", "pod-2"]  # natural order
        assert len(painted) <= 19  # only what fits under the header
        assert app.messages == [("highlighted", "default/pod-0")]

        await pilot.press("G")
        assert table.cursor_key == "default/pod-9999"
        assert first_cells(table)[-1] == "pod-9999"
        assert len(painted) <= 2 * 19


async def test_cursor_keys_move_and_highlight() -> None:
    app = TableApp([pod(f"pod-{i}") for i in range(100)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("down", "j", "j", "k")
        assert table.cursor_key == "default/pod-2"
        await pilot.press("pagedown")
        assert table.cursor_index == 2 + 19
        await pilot.press("pageup")
        assert table.cursor_index == 2
        await pilot.press("end")
        assert table.cursor_key == "default/pod-99"
        await pilot.press("home")
        assert table.cursor_key == "default/pod-0"
        await pilot.press("G", "g")
        assert table.cursor_key == "default/pod-0"
        keys = [key for kind, key in app.messages if kind == "highlighted"]
        assert keys[:4] == ["default/pod-0", "default/pod-1", "default/pod-2", "default/pod-3"]


async def test_cursor_stays_on_its_object_when_rows_are_inserted_above() -> None:
    app = TableApp([pod(f"pod-{i}") for i in range(10, 60)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("j", "j", "j", "j", "j")
        assert table.cursor_key == "default/pod-15"
        line_before = screen(table).index(next(x for x in screen(table) if "pod-15 " in x))
        app.messages.clear()

        table.apply([pod("pod-1"), pod("pod-2"), pod("pod-3")], [])
        await pilot.pause()
        assert table.cursor_key == "default/pod-15"
        assert table.cursor_index == 8
        # The object stays on the same screen line: the rows above scroll away instead.
        assert screen(table)[line_before].split()[0] == "pod-15"
        assert app.messages == []  # the highlighted object did not change


async def test_cursor_follows_an_updated_row_that_moves() -> None:
    rows = [pod("a"), pod("b"), pod("c"), pod("d")]
    app = TableApp(rows)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        table.sort_by("STATUS")
        await pilot.press("j")
        assert table.cursor_key == "default/b"
        # "b" starts terminating: it sorts after every Running pod.
        table.apply([pod("b", status="Terminating", ready="0/1")], [])
        await pilot.pause()
        assert table.cursor_key == "default/b"
        assert table.visible_keys()[-1] == "default/b"
        assert table.cursor_index == 3
        assert "Terminating" in screen(table)[4]


async def test_deleting_the_cursor_row_keeps_the_cursor_at_the_same_place() -> None:
    app = TableApp([pod(f"pod-{i}") for i in range(6)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("j", "j")
        table.apply([], ["default/pod-2"])
        await pilot.pause()
        assert table.cursor_index == 2
        assert table.cursor_key == "default/pod-3"
        assert ("highlighted", "default/pod-3") in app.messages

        await pilot.press("G")
        table.apply([], ["default/pod-5"])
        await pilot.pause()
        assert table.cursor_key == "default/pod-4"  # clamped to the new last row

        table.apply([], [f"default/pod-{i}" for i in range(6)])
        await pilot.pause()
        assert table.cursor_key is None
        assert app.messages[-1] == ("highlighted", None)
        assert "No resources" in screen(table)[table.size.height // 2 - 1]


async def test_upserting_an_unchanged_row_does_nothing() -> None:
    app = TableApp([pod("a"), pod("b")])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.pause()
        app.messages.clear()
        table.apply([pod("a"), pod("b")], ["default/not-there"])
        await pilot.pause()
        assert table.visible_keys() == ["default/a", "default/b"]
        assert app.messages == []


async def test_shift_letter_sorts_naturally_and_again_reverses() -> None:
    rows = [
        pod("pod-10", ready="10/10", restarts="0", age=30),
        pod("pod-2", ready="1/2", restarts="3 (5m ago)", age=7200),
        pod("pod-1", ready="2/2", restarts="12", age=None),
    ]
    app = TableApp(rows)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        assert first_cells(table) == ["pod-1", "pod-2", "pod-10"]
        assert "↑" not in screen(table)[0]  # default order shows no arrow

        await pilot.press("N")
        assert table.sort_column == "NAME"
        assert screen(table)[0].split()[0] == "NAME↑"
        await pilot.press("N")
        assert first_cells(table) == ["pod-10", "pod-2", "pod-1"]
        assert screen(table)[0].split()[0] == "NAME↓"

        await pilot.press("R")  # READY: the first visible column starting with R
        assert table.sort_column == "READY"
        assert first_cells(table) == ["pod-2", "pod-1", "pod-10"]  # 1/2 < 2/2 < 10/10

        table.sort_by("RESTARTS")
        await pilot.pause()
        assert first_cells(table) == ["pod-10", "pod-2", "pod-1"]  # 0 < 3 (5m ago) < 12

        await pilot.press("A")
        assert first_cells(table) == ["pod-10", "pod-2", "pod-1"]  # newest first, unknown last
        await pilot.press("A")
        assert first_cells(table) == ["pod-1", "pod-2", "pod-10"]
        assert "AGE↓" in screen(table)[0]

        table.sort_by(None)
        await pilot.pause()
        assert first_cells(table) == ["pod-1", "pod-2", "pod-10"]
        assert table.sort_column is None


async def test_number_columns_sort_numerically() -> None:
    columns = [Column("NAME"), Column("CPU", kind="number", align_right=True)]
    rows = [
        Row("a", ("a", 250)),
        Row("b", ("b", "1000")),
        Row("c", ("c", 3.5)),
        Row("d", ("d", "<unknown>")),
        Row("e", ("e", None)),
    ]
    app = TableApp(rows, columns)
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("C")
        assert table.visible_keys() == ["c", "a", "b", "d", "e"]
        await pilot.press("C")
        assert table.visible_keys() == ["e", "d", "b", "a", "c"]
        assert screen(table)[4].endswith("  250")  # right-aligned


async def test_shift_letter_without_a_matching_column_reaches_the_app() -> None:
    app = TableApp([pod("a")])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("X")
        assert app.app_x_pressed
        assert table.sort_column is None
        await pilot.press("I")  # IP exists but is hidden outside wide mode
        assert table.sort_column is None


async def test_filters_substring_regex_invert_and_labels() -> None:
    app = TableApp(demo_rows())
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        assert table.visible_row_count == 8

        table.set_filter("WEB")
        await pilot.pause()
        assert first_cells(table) == ["web-1", "web-2", "web-10"]

        table.set_filter("~^db-\\d$")
        await pilot.pause()
        assert first_cells(table) == ["db-0", "db-1"]

        table.set_filter("!Running")
        await pilot.pause()
        assert first_cells(table) == ["db-0", "web-10"]

        table.set_filter("-l app in (api,db),app!=db")
        await pilot.pause()
        assert first_cells(table) == ["api-7d4b9c-x2kq", "api-7d4b9c-zz81"]

        table.set_filter("10.0.0.12")  # hidden (wide) columns are searched too
        await pilot.pause()
        assert first_cells(table) == ["web-2"]

        table.set_filter("")
        await pilot.pause()
        assert table.visible_row_count == 8


async def test_typing_a_filter_key_by_key_shows_what_the_whole_filter_shows() -> None:
    # Each key narrows the rows shown; rows that change meanwhile are judged as they are now.
    app = TableApp(demo_rows())
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        table.set_filter("w")
        await pilot.pause()
        table.apply([pod("db-1", status="waiting-web-1")])  # now it matches "web-1"
        table.apply([pod("web-10", status="Running")], deletes=["default/web-2"])
        for typed in ("we", "web", "web-", "web-1"):
            table.set_filter(typed)
            await pilot.pause()
        assert first_cells(table) == ["db-1", "web-1", "web-10"]
        table.apply([pod("web-1", status="Running")])
        table.set_filter("web-10")
        await pilot.pause()
        assert first_cells(table) == ["web-10"]
        table.set_filter("web-")  # a key taken back: every row is looked at again
        await pilot.pause()
        assert first_cells(table) == ["db-1", "web-1", "web-10"]
        table.set_filter("!web-1")  # inverted: passes rows the last filter did not
        await pilot.pause()
        assert "web-1" not in first_cells(table) and "db-0" in first_cells(table)


async def test_filter_keeps_the_cursor_on_its_object() -> None:
    app = TableApp(demo_rows())
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        assert table.move_cursor_to_key("default/web-2")
        table.filter_text = "web"
        await pilot.pause()
        assert table.cursor_key == "default/web-2"
        assert not table.move_cursor_to_key("default/db-0")  # filtered out
        assert not table.move_cursor_to_key("default/nope")
        assert table.cursor_key == "default/web-2"


async def test_invalid_regex_shows_the_error_and_no_rows() -> None:
    app = TableApp(demo_rows())
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        table.set_filter("~web-(")
        await pilot.pause()
        assert table.visible_row_count == 0
        assert table.filter_error is not None
        assert table.cursor_key is None
        assert any("Invalid regular expression" in line for line in screen(table))

        table.set_filter("nothing-like-this")
        await pilot.pause()
        assert table.filter_error is None
        assert any("No matches for filter 'nothing-like-this'" in x for x in screen(table))


async def test_wide_mode_shows_priority_columns() -> None:
    app = TableApp(demo_rows())
    async with app.run_test(size=(160, 20)) as pilot:
        table = app.query_one(ResourceTable)
        assert "IP" not in screen(table)[0].split()
        table.wide = True
        await pilot.pause()
        assert screen(table)[0].split()[-2:] == ["IP", "NODE"]
        assert [c.name for c in table.visible_columns][-2:] == ["IP", "NODE"]
        await pilot.press("I")
        assert table.sort_column == "IP"
        table.wide = False
        await pilot.pause()
        assert "NODE" not in screen(table)[0]


async def test_header_stays_visible_while_scrolling() -> None:
    app = TableApp([pod(f"pod-{i}") for i in range(200)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("pagedown", "pagedown")
        assert table.scroll_offset.y > 0
        assert screen(table)[0].split()[:2] == ["NAME", "READY"]
        await pilot.press("G")
        assert screen(table)[0].split()[:2] == ["NAME", "READY"]
        assert first_cells(table)[-1] == "pod-199"


async def test_horizontal_scroll_moves_header_and_rows_together() -> None:
    app = TableApp([pod("a-long-pod-name-0123456789")])
    async with app.run_test(size=(30, 8)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("right")
        lines = screen(table)
        assert lines[0].split()[0] == "READY"
        assert lines[1].split()[0] == "1/1"
        assert lines[0].index("READY") == lines[1].index("1/1")
        await pilot.press("left")
        assert screen(table)[0].split()[0] == "NAME"


async def test_long_cells_are_truncated_with_an_ellipsis() -> None:
    app = TableApp(demo_rows())
    async with app.run_test(size=(160, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.pause()
        worker = next(line for line in screen(table) if "worker-" in line)
        name = worker.split()[0]
        assert len(name) == 60 and name.endswith("…")


async def test_column_widths_fit_a_full_load_and_grow_with_changes() -> None:
    app = TableApp([pod("a-very-long-pod-name")])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        header = screen(table)[0]
        assert header.index("READY") == 1 + len("a-very-long-pod-name") + 2
        table.replace_rows([pod("short")])
        await pilot.pause()
        assert screen(table)[0].index("READY") == 1 + len("NAME↑") + 2
        table.apply([pod("longer-name")], [])
        await pilot.pause()
        assert screen(table)[0].index("READY") == 1 + len("longer-name") + 2
        table.apply([], ["default/longer-name"])
        await pilot.pause()
        assert screen(table)[0].index("READY") == 1 + len("longer-name") + 2  # no jitter


async def test_rows_must_have_one_cell_per_column() -> None:
    app = TableApp([])
    async with app.run_test(size=(60, 10)):
        table = app.query_one(ResourceTable)
        with pytest.raises(ValueError, match="'x' has 1 cells for 7 columns"):
            table.replace_rows([Row("x", ("only-a-name",))])


async def test_enter_and_double_click_select_and_click_moves_the_cursor() -> None:
    app = TableApp([pod(f"pod-{i}") for i in range(10)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("j", "enter")
        assert app.messages[-1] == ("selected", "default/pod-1")

        await pilot.click(ResourceTable, offset=(5, 4))  # line 4 = fourth data row
        assert table.cursor_key == "default/pod-3"
        await pilot.double_click(ResourceTable, offset=(5, 6))
        assert table.cursor_key == "default/pod-5"
        assert app.messages[-1] == ("selected", "default/pod-5")

        await pilot.click(ResourceTable, offset=(2, 0))  # header click sorts
        assert table.sort_column == "NAME"
        await pilot.click(ResourceTable, offset=(2, 0))
        assert table.sort_reverse


async def test_loading_and_empty_messages() -> None:
    app = TableApp([])
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(ResourceTable)
        table.loading = True
        await pilot.pause()
        assert screen(table)[5].strip() == "Loading…"
        table.blur()
        await pilot.pause()
        table.focus()  # the app may focus the table before the first list arrives
        await pilot.pause()
        assert table.has_focus

        table.replace_rows([])
        table.loading = False
        await pilot.pause()
        assert screen(table)[5].strip() == "No resources"
        table.empty_message = "No pods in namespace default"
        table.refresh()
        await pilot.pause()
        assert screen(table)[5].strip() == "No pods in namespace default"


async def test_ages_repaint_as_time_passes() -> None:
    clock = [NOW]
    app = TableApp([pod("a", age=0), pod("b", age=10), pod("c", age=20)], clock=clock)
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.pause()
        assert [line.split()[-1] for line in screen(table)[1:4]] == ["0s", "10s", "20s"]
        clock[0] += 303
        await pilot.press("j")  # repaints only the two cursor lines, at the new time
        assert [line.split()[-1] for line in screen(table)[1:4]] == ["5m3s", "5m13s", "20s"]
        table._tick_ages()  # the 1-second timer's callback notices the stale line "c"
        await pilot.pause()
        ages = [line.split()[-1] for line in screen(table)[1:4]]
        assert ages == ["5m3s", "5m13s", "5m23s"]


async def test_set_columns_then_replace_rows_restores_the_cursor_and_sort() -> None:
    app = TableApp([pod(f"pod-{i}") for i in range(5)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ResourceTable)
        await pilot.press("A", "j", "j")
        key = table.cursor_key
        table.set_columns(COLUMNS)
        assert table.row_count == 0
        table.replace_rows([pod(f"pod-{i}") for i in range(5)])
        await pilot.pause()
        assert table.cursor_key == key
        assert table.sort_column == "AGE"
        assert table.get_row("default/pod-3") == pod("pod-3")
        assert table.get_row("missing") is None
        assert len({pod("a"), pod("a"), pod("b", labels={"app": "x"})}) == 2  # hashable


async def test_order_by_columns_give_the_default_order_and_break_every_tie() -> None:
    columns = [Column("NAMESPACE"), Column("NAME"), Column("STATUS")]

    def row(ns: str, name: str, status: str = "Running") -> Row:
        return Row(f"{ns}/{name}", (ns, name, status))

    class OrderedApp(TableApp):
        def compose(self) -> ComposeResult:
            table = ResourceTable(clock=lambda: NOW, order_by=("NAMESPACE", "NAME"))
            table.set_columns(self._columns)
            table.replace_rows(self._rows)
            yield table

    app = OrderedApp([row("b", "x"), row("a", "z"), row("a", "y", "Pending")], columns)
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(ResourceTable)
        assert table.visible_keys() == ["a/y", "a/z", "b/x"]
        table.apply([row("a", "a-new"), row("b", "a-new")])
        assert table.visible_keys() == ["a/a-new", "a/y", "a/z", "b/a-new", "b/x"]
        await pilot.press("S")  # STATUS: ties by namespace, then name
        assert table.visible_keys() == ["a/y", "a/a-new", "a/z", "b/a-new", "b/x"]
        await pilot.press("N")  # NAME, though NAMESPACE comes first; ties by namespace
        assert table.sort_column == "NAME"
        assert table.visible_keys() == ["a/a-new", "b/a-new", "b/x", "a/y", "a/z"]
        await pilot.press("N", "N")  # reversed, then on to NAMESPACE
        assert table.sort_column == "NAMESPACE"


async def test_since_cells_tick_and_sort_by_their_count() -> None:
    clock = [NOW]
    columns = [Column("NAME"), Column("RESTARTS", kind="since")]
    rows = [
        Row("a", ("a", Since("12", NOW - 317))),
        Row("b", ("b", "0")),
        Row("c", ("c", Since("3", NOW - 50))),
    ]
    app = TableApp(rows, columns, clock=clock)
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(ResourceTable)
        cells = [line.split(None, 1)[1].strip() for line in screen(table)[1:4]]
        assert cells == ["12 (5m17s ago)", "0", "3 (50s ago)"]
        await pilot.press("R")
        assert table.visible_keys() == ["b", "c", "a"]
        clock[0] += 3
        table._tick_ages()
        await pilot.pause()
        assert "12 (5m20s ago)" in screen(table)[3] and "3 (53s ago)" in screen(table)[2]
        table.set_filter("12")  # the count is text to filter on; the time is not
        assert table.visible_keys() == ["a"]
        table.set_filter("ago")
        assert table.visible_keys() == []


# --------------------------------------------------------------------------------------
# Snapshots (pytest-textual-snapshot; update with `pytest --snapshot-update`)
# --------------------------------------------------------------------------------------


def test_snapshot_default_view(snap_compare: Any) -> None:
    """Sticky header, natural order, a red failing pod, cursor on the second row, ages."""
    assert snap_compare(TableApp(demo_rows()), press=["j"], terminal_size=(120, 14))


def test_snapshot_wide_sorted_and_filtered(snap_compare: Any) -> None:
    """Wide columns, AGE sorted descending (arrow in the header), `!db` filter."""

    def setup(pilot: Any) -> None:
        table = pilot.app.query_one(ResourceTable)
        table.wide = True
        table.sort_by("AGE", reverse=True)
        table.set_filter("!db")

    assert snap_compare(TableApp(demo_rows()), run_before=setup, terminal_size=(140, 12))


def test_snapshot_invalid_filter_message(snap_compare: Any) -> None:
    """An invalid regex empties the table and says why."""

    def setup(pilot: Any) -> None:
        pilot.app.query_one(ResourceTable).set_filter("~web-(")

    assert snap_compare(TableApp(demo_rows()), run_before=setup, terminal_size=(100, 12))
