"""The log screen against a real simulator: follow, toggles, bounded buffer, pause/resume,
search, wrap, and no thread left behind."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.logs import ENDED, ERROR, STREAMING, LogStream
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.ui.screens.details import SearchInput
from kite_tui.ui.screens.logs import LogScreen, LogView
from tests.sample_objects import POD_REF, client_for, fixed_objects
from tests.ui.test_details import Host, screen_lines, wait_until

NS, POD = POD_REF.namespace or "", POD_REF.name
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ")


@pytest.fixture
def sim() -> Iterator[SimServer]:
    scenario = Scenario(nodes=1, namespaces=1, pods=0, tricky=True, seed=7)
    with SimServer(scenario=scenario, objects=fixed_objects(), log_interval=None) as s:
        yield s


@pytest.fixture
def client(sim: SimServer) -> Iterator[ClusterClient]:
    c = client_for(sim)
    yield c
    c.close()


def backlog(sim: SimServer, container: str = "web", previous: bool = False) -> list[str]:
    _pod, _c, buf = sim.logs.resolve(NS, POD, container, previous)
    assert buf is not None
    return [text for _ts, text in buf.lines]


def status(screen: LogScreen) -> str:
    return screen.status_text().plain


async def streaming(pilot: Pilot[None], screen: LogScreen, lines: int | None = None) -> None:
    await wait_until(
        pilot,
        lambda: (
            screen.is_mounted
            and screen.state == STREAMING
            and (lines is None or len(screen.view.lines) >= lines)
        ),
    )


async def follow_request(sim: SimServer, since: int = 0, **query: str) -> None:
    """Wait (off the event loop) until the follow request with these params reached the sim."""

    def match(r) -> bool:  # noqa: ANN001 - the simulator's RequestRecord
        return (
            r.path.endswith("/log")
            and r.query.get("follow") == "true"
            and all(r.query.get(k) == v for k, v in query.items())
        )

    await asyncio.to_thread(sim.wait_for_request, match, 5.0, since=since)


async def test_follow_shows_lines_written_after_opening(
    sim: SimServer, client: ClusterClient
) -> None:
    screen = LogScreen(client, NS, POD, ["web", "metrics"], "web", tail_lines=5)
    async with Host(screen).run_test(size=(100, 20)) as pilot:
        await streaming(pilot, screen, 5)
        assert screen.view.lines == backlog(sim)[-5:]
        await follow_request(sim, container="web", tailLines="5")
        sim.write_log(NS, POD, "hello after open", container="web")
        await wait_until(pilot, lambda: screen.view.lines[-1:] == ["hello after open"])
        text = status(screen)
        assert f"Logs {NS}/{POD} [web] 1/2" in text and "following" in text
        assert "streaming" in text and "6 lines" in text


async def test_toggles_restart_the_stream(sim: SimServer, client: ClusterClient) -> None:
    screen = LogScreen(client, NS, POD, ["web", "metrics"], tail_lines=3)
    async with Host(screen).run_test(size=(100, 20)) as pilot:
        await streaming(pilot, screen, 3)
        streams: list[LogStream] = [screen.stream]  # type: ignore[list-item]

        await pilot.press("t")  # timestamps on
        await streaming(pilot, screen, 3)
        assert all(TS_RE.match(line) for line in screen.view.lines)
        assert [line.split(" ", 1)[1] for line in screen.view.lines] == backlog(sim)[-3:]
        streams.append(screen.stream)  # type: ignore[arg-type]
        await pilot.press("t")  # and off again
        await streaming(pilot, screen, 3)
        assert screen.view.lines == backlog(sim)[-3:]
        streams.append(screen.stream)  # type: ignore[arg-type]

        await pilot.press("c")  # next container
        await streaming(pilot, screen, 3)
        assert screen.container == "metrics"
        assert screen.view.lines == backlog(sim, "metrics")[-3:]
        assert "[metrics] 2/2" in status(screen)
        streams.append(screen.stream)  # type: ignore[arg-type]

        await pilot.press("p")  # metrics never restarted: the server's 400, shown
        await wait_until(pilot, lambda: screen.state == ERROR)
        assert screen.view.lines == []
        assert 'no previous log: container "metrics" has not restarted' in status(screen)
        streams.append(screen.stream)  # type: ignore[arg-type]

        await pilot.press("c")  # web's previous instance was OOMKilled
        await wait_until(pilot, lambda: screen.stream is not None and screen.stream.state == ENDED)
        assert screen.view.lines == backlog(sim, "web", previous=True)[-3:]
        assert "previous" in status(screen)

        # Every replaced stream was stopped before its successor started.
        for old in streams:
            assert old.stopped
            assert await asyncio.to_thread(old.join, 2)


async def test_status_line_names_the_cluster(client: ClusterClient) -> None:
    screen = LogScreen(client, NS, POD, ["web", "metrics"], "web", tail_lines=1)
    app = Host(screen)
    async with app.run_test(size=(100, 20)) as pilot:
        await streaming(pilot, screen, 1)
        await pilot.pause()
        assert screen_lines(app)[0].startswith(f" Logs {NS}/{POD} [web] 1/2  @{client.name}  ·")


@pytest.mark.parametrize("width", [80, 120])
async def test_previous_without_a_previous_container_says_so_in_one_line(
    client: ClusterClient, width: int
) -> None:
    screen = LogScreen(client, NS, POD, ["web", "metrics"], "metrics", tail_lines=3)
    app = Host(screen)
    async with app.run_test(size=(width, 20)) as pilot:
        await streaming(pilot, screen, 3)
        await pilot.press("p")  # metrics never restarted
        await wait_until(pilot, lambda: screen.state == ERROR)
        await pilot.pause()
        body = [row.strip() for row in screen_lines(app)[1:-1] if row.strip()]
        assert body == ['✗ no previous log: container "metrics" has not restarted (p: current log)']
        await pilot.press("p")  # back to the current log, and the message goes
        await streaming(pilot, screen, 3)
        await pilot.pause()
        assert "no previous log" not in "".join(screen_lines(app))


async def test_buffer_stays_bounded(sim: SimServer, client: ClusterClient) -> None:
    screen = LogScreen(client, NS, POD, ["web"], tail_lines=0, max_lines=1000)
    async with Host(screen).run_test(size=(100, 20)) as pilot:
        await streaming(pilot, screen)
        await follow_request(sim)
        for i in range(3500):
            sim.write_log(NS, POD, f"line {i}", container="web")
        view = screen.view
        await wait_until(pilot, lambda: view.received == 3500)
        assert view.max_seen <= 1000 and len(view.lines) == 1000
        assert view.dropped == 2500 and view.lines[0] == "line 2500"
        assert view.lines[-1] == "line 3499"
        await pilot.press("home")  # the first row is the note
        note = view.render_line(0)
        assert "2,500 earlier lines dropped" in note.text
        assert "(2,500 dropped)" in status(screen)


class ViewHost(App[None]):
    def __init__(self, view: LogView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view


async def test_twenty_thousand_lines_and_more_cost_nothing_extra() -> None:
    view = LogView(20_000)
    async with ViewHost(view).run_test(size=(100, 20)) as pilot:
        for start in range(0, 50_000, 5_000):
            view.append_lines([f"{n} " + "x" * (n % 150) for n in range(start, start + 5_000)])
            assert len(view.lines) <= 20_000
        assert view.dropped == 30_000 and view.lines[0].startswith("30000 ")
        view.set_wrap(True)  # wrapping 20k lines: one pass over them
        await pilot.pause()
        assert view.virtual_size.height > 20_001
        view.append_lines(["the end"])
        assert len(view.lines) == 20_000 and view.lines[-1] == "the end"
        assert view.render_line(view.scrollable_content_region.height - 1).text.startswith(
            "the end"
        )


async def test_scrolling_up_pauses_and_G_resumes(  # noqa: N802 - the key is G
    sim: SimServer, client: ClusterClient
) -> None:
    screen = LogScreen(client, NS, POD, ["web"], tail_lines=None)
    async with Host(screen).run_test(size=(100, 16)) as pilot:
        await streaming(pilot, screen, len(backlog(sim)))
        view = screen.view
        await pilot.pause()
        assert view.follow and view.scroll_y == view.max_scroll_y > 0

        await pilot.press("up")
        assert not view.follow
        assert "paused — press G/end to follow" in status(screen)
        held = view.scroll_y
        count = len(view.lines)
        for i in range(5):
            sim.write_log(NS, POD, f"while paused {i}", container="web")
        await wait_until(pilot, lambda: len(view.lines) == count + 5)
        assert view.scroll_y == held < view.max_scroll_y  # the lines on screen stay put

        await pilot.press("G")
        assert view.follow and view.scroll_y == view.max_scroll_y
        assert "following" in status(screen)
        sim.write_log(NS, POD, "tail", container="web")
        await wait_until(pilot, lambda: view.lines[-1] == "tail")
        assert view.scroll_y == view.max_scroll_y

        await pilot.press("pageup")  # the wheel/keys up pause; back at the bottom resumes
        assert not view.follow
        await pilot.press("pagedown", "pagedown")
        assert view.follow


async def test_search_and_wrap(sim: SimServer, client: ClusterClient) -> None:
    screen = LogScreen(client, NS, POD, ["web"], tail_lines=0)
    async with Host(screen).run_test(size=(60, 16)) as pilot:
        await streaming(pilot, screen)
        await follow_request(sim)
        for i in range(40):
            text = f"request {i} " + ("NEEDLE found" if i % 10 == 3 else "ok")
            sim.write_log(NS, POD, text, container="web")
        view = screen.view
        await wait_until(pilot, lambda: len(view.lines) == 40)
        await pilot.press("slash")
        screen.query_one(SearchInput).value = "needle"
        await pilot.press("enter")
        assert view.pattern is not None and view.match_count() == 4
        # From the top line on screen (the view is at the bottom, following) downwards...
        assert view.current == 33 and view.follow
        await pilot.press("n")  # ...then wrapping around to the first one, which pauses
        assert view.current == 3 and not view.follow
        assert view.scroll_y <= 3
        await pilot.press("N")
        assert view.current == 33
        assert "/needle" in status(screen)

        sim.write_log(NS, POD, "x" * 150, container="web")
        await wait_until(pilot, lambda: len(view.lines) == 41)
        rows = view.virtual_size.height
        await pilot.press("w")
        assert view.wraps and view.virtual_size.height == rows + 2  # 150 cells in 3 rows
        assert "wrap" in status(screen)


async def test_dismiss_stops_the_stream(sim: SimServer, client: ClusterClient) -> None:
    screen = LogScreen(client, NS, POD, ["web"], tail_lines=1)
    app = Host(screen)
    async with app.run_test(size=(80, 12)) as pilot:
        await streaming(pilot, screen, 1)
        await follow_request(sim)
        stream = screen.stream
        assert stream is not None and stream.alive
        await pilot.press("escape")
        assert app.screen is not screen
        assert await asyncio.to_thread(stream.join, 2)
    assert not [t for t in threading.enumerate() if t.name.startswith("kite-logs")]


def test_snapshot_logs(snap_compare, sim: SimServer, client: ClusterClient) -> None:
    screen = LogScreen(client, NS, POD, ["web", "metrics"], "web", tail_lines=12)

    async def run_before(pilot: Pilot[None]) -> None:
        await streaming(pilot, screen, 12)
        await pilot.pause()

    assert snap_compare(Host(screen), terminal_size=(100, 18), run_before=run_before)
