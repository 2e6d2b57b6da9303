"""YAML, describe and secret screens against a real simulator (fetching in thread workers)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient, build_client
from kite_tui.core.kube.logs import LogState
from kite_tui.core.kube.objects import ObjectRef
from kite_tui.core.kube.yaml import to_yaml
from kite_tui.sim.server import SimServer
from kite_tui.ui.screens.details import (
    HIDDEN,
    DescribeScreen,
    SecretScreen,
    YamlScreen,
)
from kite_tui.ui.screens.logs import LogScreen
from kite_tui.ui.widgets.line_view import LineView, SearchInput, TextView
from tests.fixed_objects import NOW, POD_REF, SECRET_REF, fixed_objects
from tests.ui.helpers import Host, screen_lines, wait_until


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    """The fixed objects alone: the snapshots show their resourceVersions."""
    with SimServer(objects=fixed_objects(), log_interval=None) as s:
        yield s


def plain(view: TextView) -> list[str]:
    return [line.plain for line in view.lines]


async def test_yaml_screen_loads_in_a_worker_and_searches(
    sim: SimServer, client: ClusterClient
) -> None:
    screen = YamlScreen(client, POD_REF)
    sim.faults.blackhole = True  # hold the GET so the loading state is observable
    try:
        app = Host(screen)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: screen.is_mounted and screen.view() is not None)
            view = screen.view()
            assert isinstance(view, TextView)
            assert view.message is not None and view.message.plain.startswith("Loading Pod shop/")
            assert not screen.loading_done
            sim.faults.blackhole = False  # the held request is dropped: an error, then reload
            await wait_until(pilot, lambda: screen.loading_done)
            await pilot.press("r")
            await wait_until(pilot, lambda: screen.loading_done and screen.error is None)
            assert screen.object is not None
            text = to_yaml(screen.object)
            assert plain(view) == text.rstrip("\n").split("\n")
            assert "managedFields" not in text
            assert app.focused is view

            await pilot.press("slash")
            screen.query_one(SearchInput).value = "image"
            await pilot.press("enter")
            matches = [i for i, line in enumerate(plain(view)) if "image" in line]
            assert len(matches) >= 4
            assert view.current == matches[0]
            await pilot.press("n")
            assert view.current == matches[1]
            await pilot.press("N", "N")
            assert view.current == matches[-1]  # wraps around
            title = str(screen.query_one("#title").render())
            assert f"{len(matches)} matching lines" in title

            await pilot.press("escape")
            assert app.screen is not screen
    finally:
        sim.faults.blackhole = False


async def test_describe_screen_shows_containers_conditions_events(
    client: ClusterClient,
) -> None:
    screen = DescribeScreen(client, POD_REF, now=lambda: NOW, tz=UTC)
    async with Host(screen).run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: screen.loading_done)
        view = screen.view()
        assert isinstance(view, TextView)
        lines = plain(view)
        assert lines == screen.text.rstrip("\n").split("\n")
        for expected in ("Containers:", "  web:", "  metrics:", "Conditions:", "Events:"):
            assert expected in lines
        assert any("BackOff" in line and "(x7 over 59m)" in line for line in lines)
        assert "3 events" in str(screen.query_one("#title").render())


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (ObjectRef("", "v1", "pods", "Pod", "ghost", "shop"), 'pods "ghost" not found'),
        (POD_REF, "403 Forbidden"),
    ],
)
async def test_errors_show_in_the_screen(
    sim: SimServer, client: ClusterClient, ref: ObjectRef, expected: str
) -> None:
    if expected.startswith("403"):
        sim.faults.allowed_namespaces = {"default"}
    try:
        screen = YamlScreen(client, ref)
        async with Host(screen).run_test(size=(100, 20)) as pilot:
            await wait_until(pilot, lambda: screen.loading_done)
            assert screen.error is not None and expected in screen.error
            view = screen.view()
            assert view is not None and view.message is not None
            assert expected in view.message.plain and view.lines == []
    finally:
        sim.faults.allowed_namespaces = None


async def test_unreachable_server_shows_an_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = build_client(ClusterSpec(name="gone", server=f"http://127.0.0.1:{port}"), timeout=2)
    try:
        screen = DescribeScreen(client, POD_REF)
        async with Host(screen).run_test(size=(100, 20)) as pilot:
            await wait_until(pilot, lambda: screen.loading_done)
            assert screen.error is not None and "connection refused" in screen.error
    finally:
        client.close()


async def test_secret_values_hidden_until_revealed(client: ClusterClient) -> None:
    screen = SecretScreen(client, SECRET_REF)
    app = Host(screen)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_until(pilot, lambda: screen.loading_done)
        keys = [k for k, _ in screen.keys]
        assert keys == ["ca.crt", "keystore", "password", "username"]
        assert all(screen.cell_text(k) == HIDDEN for k in keys)

        await pilot.press("down", "down", "enter")  # reveal "password" only
        assert screen.cell_text("password") == "s3cr3t-passw0rd"
        assert [k for k in keys if screen.cell_text(k) != HIDDEN] == ["password"]
        await pilot.press("x")  # toggle it back
        assert screen.cell_text("password") == HIDDEN

        await pilot.press("X")  # all
        assert screen.cell_text("username") == "app"
        assert screen.cell_text("keystore").startswith("<binary, 40 bytes>")
        assert screen.cell_text("ca.crt").startswith("-----BEGIN CERTIFICATE-----⏎")
        await pilot.press("up", "up")  # the multi-line certificate shows in full below
        assert "MIIB\n" in str(screen.query_one("#value").render())
        await pilot.press("X")
        assert all(screen.cell_text(k) == HIDDEN for k in keys)
        assert "s3cr3t" not in str(screen.query_one("#title").render())
        title = screen_lines(app)[0]
        assert title.startswith(f" Secret {SECRET_REF.namespace}/{SECRET_REF.name}  @t  ·")
        assert title.count("Secret") == 1
        await pilot.press("escape")
        assert app.screen is not screen


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("kind", ["yaml", "describe", "logs"])
async def test_search_prompt_shows_what_is_typed(
    client: ClusterClient, kind: str, width: int
) -> None:
    screen: Screen[None]
    if kind == "yaml":
        screen = YamlScreen(client, POD_REF)
    elif kind == "describe":
        screen = DescribeScreen(client, POD_REF, now=lambda: NOW, tz=UTC)
    else:
        screen = LogScreen(client, POD_REF.namespace or "", POD_REF.name, ["web"], tail_lines=5)
    app = Host(screen)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                screen.is_mounted
                and (
                    screen.state == LogState.STREAMING
                    if isinstance(screen, LogScreen)
                    else screen.loading_done
                )
            ),
        )
        await pilot.press("slash", *"needle")
        await pilot.pause()
        rows = screen_lines(app)
        typed = [i for i, row in enumerate(rows) if "needle" in row]
        assert typed, "\n".join(rows)
        assert typed == [screen.query_one(SearchInput).region.y] == [len(rows) - 2]  # on the footer
        await pilot.press("enter")
        assert screen.query_one("#body", LineView).search_query == "needle"  # applied


async def test_search_typed_while_loading_stays_in_the_prompt(
    sim: SimServer, client: ClusterClient
) -> None:
    screen = YamlScreen(client, POD_REF)
    sim.faults.blackhole = True  # hold the GET until the user has started typing
    try:
        app = Host(screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: screen.is_mounted and bool(screen.query(SearchInput)))
            await pilot.press("slash", *"ima")
            sim.faults.blackhole = False  # the held request fails: reload, and it loads
            await wait_until(pilot, lambda: screen.loading_done)
            screen.action_reload()
            await wait_until(pilot, lambda: screen.loading_done and screen.error is None)
            await pilot.press(*"ge")
            await pilot.pause()
            assert isinstance(app.focused, SearchInput)
            assert any(row.strip() == "image" for row in screen_lines(app))
    finally:
        sim.faults.blackhole = False


# ------------------------------------------------------------------------------- snapshots


def _loaded(screen: YamlScreen | DescribeScreen):  # noqa: ANN202 - run_before callback
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_until(pilot, lambda: screen.loading_done)
        await pilot.pause()

    return run_before


def test_snapshot_yaml(snap_compare, client: ClusterClient) -> None:
    screen = YamlScreen(client, POD_REF)
    assert snap_compare(Host(screen), terminal_size=(90, 30), run_before=_loaded(screen))


def test_snapshot_describe(snap_compare, client: ClusterClient) -> None:
    screen = DescribeScreen(client, POD_REF, now=lambda: NOW, tz=UTC)
    assert snap_compare(Host(screen), terminal_size=(110, 36), run_before=_loaded(screen))
