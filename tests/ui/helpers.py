"""Helpers shared by the app tests: config text for simulators, a host app for one screen,
and waits that let the app process its messages (fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import WorkerState

from kite_tui.sim.server import SimServer
from kite_tui.ui.screens.cluster_form import ClusterFormScreen


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


def screen_lines(app: App[None]) -> list[str]:
    """What the terminal shows, one string per row (the app's composited screen)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


# ------------------------------------------------------------------------------ waits
async def wait_until(
    pilot: Pilot[None], predicate: Callable[[], bool], timeout: float = 5.0
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
