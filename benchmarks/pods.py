"""``:pods -A`` on a 10,000-pod cluster to the full table on screen, against kubectl.

The simulator is in the fleet child; the app runs headless in this process, driven by keys.
A run: from Enter on ``:pods -A`` (typed on the cluster's page, which shows another kind)
to the first composed frame that paints the table with every pod in it. Left views' feeds
are not kept (``ResourceBrowser.FEED_GRACE = 0``, as the tests do), so each run lists
anew; the connection and discovery are warm, as they would be for a user on the page.

Baseline: ``kubectl get pods -A`` against the same simulator, a fresh ``--cache-dir`` per
run (so it does discovery too), output discarded.
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Context, Figure, figure, fleet, kubectl
from benchmarks.painted import Painted
from benchmarks.user import command, open_cluster, running_app, wait_view
from kite_tui.ui.widgets.browser import ResourceBrowser

FIGURES = {"pods_10k_to_screen_s": "ratio ≤ 0.15"}
PODS = 10_000


def kubectl_get_pods(kubeconfig: Path) -> float:
    """Seconds of one ``kubectl get pods -A`` with a fresh cache dir."""
    with tempfile.TemporaryDirectory(prefix="kite-bench-kubectl-") as cache:
        started = time.perf_counter()
        done = subprocess.run(
            [str(kubectl()), "--kubeconfig", str(kubeconfig), "--cache-dir", cache]
            + ["get", "pods", "-A"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"kubectl get pods -A failed ({done.returncode}): {done.stderr}")
    rows = done.stdout.count("\n") - 1
    if rows < PODS:
        raise RuntimeError(f"kubectl get pods -A listed {rows} pods, expected {PODS}")
    return took


async def app_runs(config: Path, runs: int) -> tuple[list[float], int]:
    """Seconds from Enter on ``:pods -A`` to the full table painted, ``runs`` times."""
    ResourceBrowser.FEED_GRACE = 0.0
    samples: list[float] = []
    rows = 0
    async with running_app(config, ["big"]) as (app, pilot):
        browser = await open_cluster(app, pilot, "big")
        table = browser.table
        with Painted(app) as painted:
            for _ in range(runs):
                await command(pilot, "deployments -A")
                await wait_view(browser, "deployments")
                await pilot.pause()
                await command(pilot, "pods -A", enter=False)
                full = asyncio.ensure_future(
                    painted.frame_when(
                        lambda: (
                            browser.view.kind.plural == "pods"
                            and browser.view.namespace is None
                            and not table.loading
                            and table.row_count >= PODS
                        ),
                        f"the {PODS}-pod table painted",
                        table=table,
                        timeout=120,
                    )
                )
                started = time.perf_counter()
                await pilot.press("enter")
                samples.append(await full - started)
                rows = table.row_count
    return samples, rows


def run(ctx: Context) -> list[Figure]:
    runs = ctx.runs(5, 1)
    with fleet([{"name": "big", "pods": PODS}], ctx.workdir / "fleet") as f:
        base = [kubectl_get_pods(f.kubeconfig("big")) for _ in range(runs)]
        samples, rows = asyncio.run(app_runs(f.config_path, runs))
    return [
        figure(
            "pods_10k_to_screen_s",
            samples,
            "s",
            aim=FIGURES["pods_10k_to_screen_s"],
            baseline=base,
            note=f"{rows} rows; Enter on :pods -A to the frame painting them all",
        )
    ]
