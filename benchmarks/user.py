"""What a user does in the real app, as the parts drive it: headless, keys through the Pilot.

The app is :class:`~kite_tui.ui.app.KiteApp` on a config written by :mod:`benchmarks.fleet`;
clusters are opened with their number key on the overview and views with ``:`` commands
typed into the command line, as a user would.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from kite_tui.ui.app import KiteApp
from kite_tui.ui.widgets.resource_table import ResourceTable

SIZE = (160, 50)


@asynccontextmanager
async def running_app(
    config: Path, clusters: list[str]
) -> AsyncIterator[tuple[KiteApp, Pilot[Any]]]:
    """The app on ``config``, headless, once every one of ``clusters`` is healthy."""
    app = KiteApp(config)
    async with app.run_test(size=SIZE) as pilot:
        try:
            await app.wait_for_snapshot(
                lambda s: all(
                    (h := s.get(name)) is not None and str(h.health) == "ok" for name in clusters
                ),
                timeout=60,
            )
        except TimeoutError:
            health = {n: str(h.health) if (h := app.snapshot.get(n)) else None for n in clusters}
            raise TimeoutError(f"clusters not healthy within 60 s: {health}") from None
        await pilot.pause()
        yield app, pilot


async def command(pilot: Pilot[Any], text: str, *, enter: bool = True) -> None:
    """Type ``:text`` into the command line (and Enter, unless told not to)."""
    await pilot.press("colon", *text)
    if enter:
        await pilot.press("enter")


async def open_cluster(app: KiteApp, pilot: Pilot[Any], name: str) -> Any:
    """Open cluster ``name``'s page with its number key (from the overview); its browser."""
    index = app.snapshot.names.index(name) + 1
    if index > 9:
        raise ValueError(f"cluster {name} is number {index}: no key opens it")
    if app.current_cluster is not None:
        await pilot.press("escape")  # back to the overview
    await pilot.press(str(index))
    deadline = time.monotonic() + 30
    while (view := app._views.get(name)) is None or view.browser is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page of cluster {name} did not open within 30 s")
        await pilot.pause(0.01)
    return view.browser


async def wait_rows(browser: Any, rows: int, what: str, timeout: float = 120.0) -> None:
    """Until ``browser``'s table holds at least ``rows`` rows (and is not loading)."""
    table: ResourceTable = browser.table
    try:
        await browser.wait_for(lambda: table.row_count >= rows and not table.loading, timeout)
    except TimeoutError:
        raise TimeoutError(
            f"{what}: {table.row_count} of {rows} rows after {timeout:g} s"
        ) from None


async def wait_view(browser: Any, plural: str, timeout: float = 60.0) -> None:
    """Until ``browser`` shows the kind ``plural`` (e.g. ``deployments``), loaded."""
    table: ResourceTable = browser.table
    try:
        await browser.wait_for(
            lambda: (
                browser.view is not None
                and browser.view.kind.plural == plural
                and not table.loading
            ),
            timeout,
        )
    except TimeoutError:
        raise TimeoutError(f"the {plural} view did not load within {timeout:g} s") from None
