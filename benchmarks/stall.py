"""The UI thread under a fleet's load: the longest gap of a 10 ms heartbeat.

``ui_max_stall_ms``: the app (headless, in this process) on 50 clusters: one of 10,000 pods
whose ``:pods -A`` view is open and takes 100 events/s, 39 small healthy ones, 5 that answer
every request after 1 s and 5 blackholed (they accept connections and never answer). The
config's resync is every second, so the manager probes all 50 again and again while the
heartbeat runs: an asyncio task on the app's event loop that sleeps 10 ms at a time and
records the time between its wake-ups. The figure is the longest such gap (the 10 ms
included): how long a key press could wait before the app even sees it.

Frames are composed and turned into terminal output as a real terminal would get them
(:class:`benchmarks.painted.Painted`), so the painting is part of what the loop does.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchmarks.events import EVENTS_PER_CHANGE
from benchmarks.harness import Context, Figure, FleetInfo, figure, fleet
from benchmarks.painted import Painted
from benchmarks.user import command, open_cluster, running_app, wait_rows

FIGURES = {"ui_max_stall_ms": "≤ 33"}

PODS = 10_000
EVENTS_PER_S = 100
HEALTHY, SLOW, DARK = 39, 5, 5  # besides the big one: 50 clusters
BEAT = 0.01  # s


def clusters() -> tuple[list[dict[str, Any]], list[str]]:
    """The fleet's specs, and the names of those that answer promptly."""
    specs: list[dict[str, Any]] = [{"name": "big", "pods": PODS}]
    specs += [{"name": f"ok-{i:02d}", "pods": 5, "nodes": 1} for i in range(HEALTHY)]
    specs += [{"name": f"slow-{i}", "pods": 5, "nodes": 1, "latency": 1.0} for i in range(SLOW)]
    specs += [{"name": f"dark-{i}", "pods": 5, "nodes": 1, "blackhole": True} for i in range(DARK)]
    prompt = [s["name"] for s in specs if not s.get("latency") and not s.get("blackhole")]
    return specs, prompt


async def heartbeat(seconds: float) -> list[float]:
    """The gaps (s) between wake-ups of a task sleeping ``BEAT`` s at a time."""
    gaps: list[float] = []
    last = time.perf_counter()
    end = last + seconds
    while last < end:
        await asyncio.sleep(BEAT)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    return gaps


async def measure(ctx: Context, sims: FleetInfo, prompt: list[str]) -> tuple[list[float], str]:
    window = 2.0 if ctx.quick else 10.0
    worst: list[float] = []
    async with running_app(sims.config_path, prompt) as (app, pilot):
        browser = await open_cluster(app, pilot, "big")
        await command(pilot, "pods -A")
        await wait_rows(browser, PODS, "the :pods -A view")
        sims.set_churn("big", EVENTS_PER_S / EVENTS_PER_CHANGE)
        await pilot.pause(0.5)  # the events flowing
        generations = app.snapshot.generation
        started = time.perf_counter()
        with Painted(app) as painted:
            frames = painted.frames
            for _ in range(ctx.runs(3, 1)):
                gaps = await heartbeat(window)
                worst.append(max(gaps) * 1000)
            frames = painted.frames - frames
        elapsed = time.perf_counter() - started
        snapshots = app.snapshot.generation - generations
        sims.set_churn("big", 0)
    note = (
        f"50 clusters ({SLOW} answering after 1 s, {DARK} blackholed), resync every 1 s: "
        f"{snapshots / elapsed:.0f} snapshots/s; a {PODS}-pod view at {EVENTS_PER_S} events/s, "
        f"{frames / elapsed:.0f} frames/s; worst gap of each {window:g} s window"
    )
    return worst, note


def run(ctx: Context) -> list[Figure]:
    specs, prompt = clusters()
    settings = {"resync_seconds": 1, "request_timeout_seconds": 3}
    with fleet(specs, ctx.workdir / "fleet", **settings) as sims:
        worst, note = asyncio.run(measure(ctx, sims, prompt))
    return [figure("ui_max_stall_ms", worst, "ms", aim=FIGURES["ui_max_stall_ms"], note=note)]
