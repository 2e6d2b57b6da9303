"""Helpers shared by the app tests: config text for simulators, a host app for one screen,
and waits that let the app process its messages (fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import WorkerState

from kite_tui.core.snapshot import Health, Snapshot
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.cluster_form import ClusterFormScreen
from kite_tui.ui.widgets.browser import ResourceBrowser
from kite_tui.ui.widgets.cluster_bar import ClusterBar
from kite_tui.ui.widgets.overview import ClusterOverview


# ------------------------------------------------------------------ config and simulators
def start_sim(sims: dict[str, SimServer], name: str, **kw: object) -> SimServer:
    """Start a simulator that the ``sims`` fixture stops after the test."""
    sim = SimServer(name=name, **kw).start()  # type: ignore[arg-type]
    sims[name] = sim
    return sim


def entry(name: str, sim: SimServer | str, **extra: object) -> str:
    """A ``[[clusters]]`` entry of the config file for this simulator (or server URL)."""
    url = sim if isinstance(sim, str) else sim.url
    text = f'[[clusters]]\nname = "{name}"\nserver = "{url}"\n'
    for key, value in extra.items():
        text += f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}\n"
    return text


def settings(timeout: float = 2, resync: float = 60) -> str:
    """The ``[settings]`` table of the config file."""
    return f"[settings]\nrequest_timeout_seconds = {timeout}\nresync_seconds = {resync}\n\n"


# ------------------------------------------------------------------------ one screen
class Host(App[None]):
    """A bare app that shows one screen, as the resource browser will push it."""

    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self.target = screen

    def on_mount(self) -> None:
        self.push_screen(self.target)


def screen_lines(app: App[Any]) -> list[str]:
    """What the terminal shows, one string per row (the app's composited screen)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


# --------------------------------------------------------------------------- the app
def settled(snap: Snapshot) -> bool:
    """Every configured cluster has been probed (none is still connecting)."""
    return bool(snap.clusters) and all(h.health != Health.CONNECTING for h in snap)


def bar_text(app: KiteApp) -> str:
    """The cluster bar at the top, as text."""
    return str(app.query_one(ClusterBar).render())


def overview_names(app: KiteApp) -> list[str]:
    """The clusters the overview lists, in order."""
    return app.query_one(ClusterOverview).table.visible_keys()


def notifications(app: KiteApp) -> list[str]:
    """The messages of the notifications on screen."""
    return [n.message for n in app._notifications]


async def open_cluster(
    pilot: Pilot[Any],
    app: KiteApp,
    name: str = "a",
    ready: Callable[[ResourceBrowser], bool] | None = None,
) -> ResourceBrowser:
    """Wait until cluster ``name`` is up, open its page, and wait until its browser is
    ``ready`` (by default: its table has loaded)."""
    await app.wait_for_snapshot(lambda s: getattr(s.get(name), "health", None) == Health.OK)
    app.switch_to_cluster(name)
    await pilot.pause()
    browser = app._views[name].browser
    assert browser is not None
    await browser.wait_for(lambda: ready(browser) if ready else not browser.table.loading)
    return browser


# ------------------------------------------------------------------------------ waits
async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], bool], timeout: float = 5.0
) -> None:
    """Let the app process messages until ``predicate`` holds (the workers post them)."""
    deadline = monotonic() + timeout
    while not predicate():
        if monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.01)


OUR_GROUPS = ("form-", "import-", "overview-")
"""The worker groups of the config screens and the overview, which `settle` waits for."""


async def settle(pilot: Pilot) -> None:
    """Wait for our screens' thread workers, then for the messages they posted to be handled
    (a handler may start another worker, e.g. loading an entry fills the kubeconfig field)."""
    app = pilot.app
    for _ in range(10):
        ours = [w for w in app.workers if w.group.startswith(OUR_GROUPS)]
        await app.workers.wait_for_complete(ours)
        await pilot.pause()
        if not any(
            w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in app.workers
            if w.group.startswith(OUR_GROUPS)
        ):
            return
    raise AssertionError("workers kept starting")


def fill(screen: ClusterFormScreen, **values: str) -> None:
    """Type these values into the form's inputs (by id)."""
    for name, value in values.items():
        screen.query_one(f"#{name}", Input).value = value
