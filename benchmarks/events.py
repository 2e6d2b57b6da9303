"""A pod changed in the simulator to its row repainted on screen, under a steady event rate.

The app shows ``:pods -A`` of a 10,000-pod cluster (headless, driven by keys) while the
simulator (in the fleet child) churns pods at ``rate`` watch events/s (its churn is in pod
changes, ~1.4 events each: a change is one MODIFIED, a replacement a DELETED and an ADDED).
On top of that, a probe: a merge PATCH of one pod on screen, setting ``status.reason`` to
a text of its own, which the STATUS column shows. A sample is from just before the PATCH
is sent to the first composed frame painting a table line with that text. Probes go one at
a time, a random 10-40 ms apart, up to 150 (quick: 20) or for 25 s (quick: 2.5 s), to Running
pods among the rows on screen (a pod whose containers wait or ended shows their reason).

One app on one simulator: first 100 events/s, then 1,000 (the fleet's churn changed while
it runs). A figure per percentile of the probes' samples (``runs`` = probes; min and max are
theirs).
The note says the event rate the simulator actually produced meanwhile (from its
resourceVersion, probes included).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from benchmarks.harness import Context, Figure, FleetInfo, fleet, percentile
from benchmarks.painted import Painted
from benchmarks.user import command, open_cluster, running_app, wait_rows

FIGURES = {
    "event_to_row_ms_p50": "",
    "event_to_row_ms_p95": "≤ 30",
    "event_to_row_ms_p95_1k": "≤ 50",
}
PODS = 10_000
LATE = 5.0  # s: a probe not on screen by then counts as this (the app fell behind)
SERIAL = itertools.count()  # each probe's text is its own
PROBED = re.compile(r"Q\d{5}")  # a Running pod probed before shows its probe's text
EVENTS_PER_CHANGE = 1.4  # the churn's mix: 60 % one MODIFIED, 40 % a DELETED and an ADDED


def patch_reason(url: str, namespace: str, name: str, reason: str) -> float | None:
    """PATCH the pod's ``status.reason``; the time just before sending (None: pod gone)."""
    body = json.dumps({"status": {"reason": reason}}).encode()
    request = urllib.request.Request(
        f"{url}/api/v1/namespaces/{namespace}/pods/{name}",
        data=body,
        method="PATCH",
        headers={"Content-Type": "application/merge-patch+json"},
    )
    sent = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:  # replaced by the churn since we looked
            return None
        raise
    return sent


def resource_version(url: str) -> int:
    with urllib.request.urlopen(f"{url}/_sim/info", timeout=30) as response:
        return int(json.loads(response.read())["resourceVersion"])


@dataclass
class Phase:
    """The probes at one event rate."""

    events_per_s: float
    figures: tuple[tuple[str, float], ...]  # (figure name, percentile)
    samples: list[float] = field(default_factory=list)
    late: int = 0
    measured_rate: float = 0.0


async def probe(
    painted: Painted, browser: Any, url: str, phase: Phase, probes: int, budget: float
) -> None:
    """Up to ``probes`` samples (ms) into ``phase`` (fewer if ``budget`` s run out first, at
    least 3), and the simulator's event rate meanwhile. A probe still not on screen after
    ``LATE`` s counts as ``LATE``; one whose pod the churn replaced meanwhile is not counted."""
    rng = random.Random(12)
    table = browser.table
    status = [c.name for c in table.columns].index("STATUS")
    rv0, t0 = await asyncio.to_thread(resource_version, url), time.perf_counter()
    deadline = t0 + budget
    sent_count = 0
    samples = phase.samples
    while len(samples) < probes and (len(samples) < 3 or time.perf_counter() < deadline):
        sent_count += 1
        if sent_count > probes * 3:
            raise RuntimeError(f"{sent_count} probes sent, {len(samples)} were on screen")
        running = [
            row
            for key in table.visible_keys()[: max(1, table.size.height - 2)]
            if (row := browser._rows.get(key)) is not None
            and (row.cells[status] == "Running" or PROBED.fullmatch(str(row.cells[status])))
        ]
        if not running:  # the churn just turned every row on screen: look again shortly
            if time.perf_counter() > deadline + 10:
                raise RuntimeError("no Running pod on screen to probe for 10 s")
            sent_count -= 1
            await asyncio.sleep(0.05)
            continue
        row = rng.choice(running)
        text = f"Q{next(SERIAL):05d}"  # shorter than "Running": the column fits it
        painted.watch(text)
        sent = await asyncio.to_thread(patch_reason, url, row.namespace, row.name, text)
        if sent is not None:
            try:
                shown = await painted.shown(text, f"probe {text}", timeout=LATE)
                samples.append((shown - sent) * 1000)
            except TimeoutError:
                if table.get_row(row.key) is not None:  # else: replaced, not measurable
                    phase.late += 1
                    samples.append(LATE * 1000)  # a lower bound
        painted.forget(text)
        await asyncio.sleep(rng.uniform(0.01, 0.04))
    rv1, t1 = await asyncio.to_thread(resource_version, url), time.perf_counter()
    phase.measured_rate = (rv1 - rv0) / (t1 - t0)


async def measure(ctx: Context, f: FleetInfo, phases: list[Phase]) -> None:
    probes, budget = (20, 2.0) if ctx.quick else (150, 25.0)
    async with running_app(f.config_path, ["big"]) as (app, pilot):
        browser = await open_cluster(app, pilot, "big")
        await command(pilot, "pods -A")
        await wait_rows(browser, PODS, "the :pods -A view")
        with Painted(app) as painted:
            for phase in phases:
                f.set_churn("big", phase.events_per_s / EVENTS_PER_CHANGE)
                await pilot.pause(0.5)  # the new rate's batches flowing
                await probe(painted, browser, f.url("big"), phase, probes, budget)


def percentile_figure(name: str, p: float, phase: Phase) -> Figure:
    samples = phase.samples
    note = (
        f"p{p:g} of {len(samples)} probes; {PODS} rows, {phase.measured_rate:.0f} events/s measured"
    )
    if phase.late:
        note += f"; {phase.late} probes not on screen after {LATE:g} s (counted as {LATE:g} s)"
    return Figure(
        name=name,
        value=percentile(samples, p),
        unit="ms",
        runs=len(samples),
        min=min(samples),
        max=max(samples),
        aim=FIGURES[name],
        note=note,
    )


def run(ctx: Context) -> list[Figure]:
    phases = [
        Phase(100, (("event_to_row_ms_p50", 50), ("event_to_row_ms_p95", 95))),
        Phase(1000, (("event_to_row_ms_p95_1k", 95),)),
    ]
    phases = [ph for ph in phases if any(ctx.wants(name) for name, _ in ph.figures)]
    with fleet([{"name": "big", "pods": PODS}], ctx.workdir / "fleet") as f:
        asyncio.run(measure(ctx, f, phases))
    return [
        percentile_figure(name, p, phase)
        for phase in phases
        for name, p in phase.figures
        if ctx.wants(name)
    ]
