"""Reload: a cluster added to the config by atomic rename, to its row painted on screen.

``reload_to_screen_ms``: the app (headless, in this process: ``KiteApp.run_test``) shows
the overview of a few simulated clusters. Each run saves the config the way editors do
(a temporary file, then ``os.replace`` over the original) with one more cluster, and times
from the rename to the first composed frame whose overview table has painted that
cluster's row. The path in between is the app's own: the config watcher's inotify watch
and debounce, the manager's reload, the snapshot message, the table's repaint.

"Painted" is seen on what is rendered, not on app state: the overview table's
``render_line`` is wrapped to notice a line with the new name, and ``App._display``
(called with every composed update; private, fine in a benchmark) to time the frame that
carries it. The headless driver skips the terminal write itself.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import Context, Figure, FleetInfo, figure, fleet
from kite_tui.core.snapshot import Health, Snapshot

FIGURES = {"reload_to_screen_ms": "≤ 200"}

BASE = 5  # clusters in the config from the start
SIZE = (160, 50)


def write_config(path: Path, sims: FleetInfo, names: list[str]) -> None:
    """The config for ``names`` (clusters of the fleet), saved by atomic rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(sims.config_text(names))
    tmp.chmod(0o600)
    os.replace(tmp, path)


class RowWatch:
    """Times the first composed frame in which the overview table painted a given name."""

    def __init__(self, app: Any, table: Any) -> None:
        self.target: str | None = None
        self._painted = False
        self.frame = asyncio.Event()
        self.frame_at = 0.0
        render_line = table.render_line
        display = app._display

        def watched_render_line(y: int) -> Any:
            strip = render_line(y)
            if self.target is not None and self.target in strip.text:
                self._painted = True
            return strip

        def watched_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and self._painted and not self.frame.is_set():
                self.frame_at = time.perf_counter()
                self.frame.set()

        table.render_line = watched_render_line
        app._display = watched_display

    def expect(self, name: str) -> None:
        self.target = f" {name} "
        self._painted = False
        self.frame.clear()

    async def painted(self, timeout: float, what: str) -> float:
        try:
            await asyncio.wait_for(self.frame.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}") from None
        return self.frame_at


def all_ok(names: list[str]) -> Any:
    def check(snap: Snapshot) -> bool:
        return all((h := snap.get(n)) is not None and h.health == Health.OK for n in names)

    return check


async def measure(config: Path, sims: FleetInfo, names: list[str], runs: int) -> list[float]:
    from kite_tui.ui.app import KiteApp
    from kite_tui.ui.widgets.overview import ClusterOverview

    shown = names[:BASE]
    write_config(config, sims, shown)
    app = KiteApp(config)
    samples: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_for_snapshot(all_ok(shown), timeout=30)
        await pilot.pause()
        watch = RowWatch(app, app.query_one(ClusterOverview).table)
        for name in names[BASE : BASE + runs]:
            # A user does not save twice within half a second; it also lets the watcher
            # re-arm on the new set of files after the previous reload.
            await asyncio.sleep(0.5)
            shown = [*shown, name]
            watch.expect(name)
            start = time.perf_counter()
            write_config(config, sims, shown)
            painted = await watch.painted(20, f"the row of {name!r} on screen after the save")
            samples.append((painted - start) * 1000)
            await app.wait_for_snapshot(all_ok(shown), timeout=30)
        await app.action_quit()
    return samples


def run(ctx: Context) -> list[Figure]:
    runs = ctx.runs(10, 2)
    names = [f"cluster-{i:02d}" for i in range(1, BASE + runs + 1)]
    with fleet([{"name": n, "pods": 10} for n in names], ctx.workdir / "fleet") as sims:
        config = ctx.workdir / "app" / "config.toml"
        config.parent.mkdir()
        samples = asyncio.run(measure(config, sims, names, runs))
    return [
        figure(
            "reload_to_screen_ms",
            samples,
            "ms",
            aim=FIGURES["reload_to_screen_ms"],
            note=f"one cluster added to {BASE} by atomic rename; headless app in this process",
        )
    ]
