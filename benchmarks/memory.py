"""Resident memory of the app with 10,000-pod views open: one cluster, and five.

The app runs headless in a process of its own (``python -m benchmarks.memory --child
CONFIG NAME...``), which does nothing else, on a config of five 10,000-pod clusters: it
opens the first cluster's page and ``:pods -A``, waits for the view to hold all its pods,
collects garbage, waits a second and prints its resident memory (``rss_mib_10k_pods``: the
other four clusters are connected, with their overview rows, but show no view); then does
the same for the other four and prints it again (``rss_mib_5x10k_pods``). The simulators
are in the fleet children. Each run is a new process.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
from pathlib import Path

from benchmarks.harness import Context, Figure, figure, fleet, rss_mib
from benchmarks.user import command, open_cluster, running_app, wait_rows

FIGURES = {"rss_mib_10k_pods": "≤ 150", "rss_mib_5x10k_pods": "≤ 350"}
PODS = 10_000
CLUSTERS = [f"c{i}" for i in range(1, 6)]
ROOT = Path(__file__).resolve().parent.parent
RSS_PREFIX = "RSS "


async def open_views(config: Path, names: list[str]) -> list[float]:
    """RSS (MiB) after the first view is loaded, then after all of them."""
    rss: list[float] = []

    async def settled() -> None:
        gc.collect()
        await pilot.pause(1.0)
        rss.append(rss_mib())

    async with running_app(config, names) as (app, pilot):
        for i, name in enumerate(names):
            browser = await open_cluster(app, pilot, name)
            await command(pilot, "pods -A")
            await wait_rows(browser, PODS, f"the :pods -A view of {name}")
            if i == 0:
                await settled()
        await settled()
    return rss


def child_rss(config: Path, names: list[str]) -> tuple[float, float]:
    """Run the app in a child process on ``config``, open ``names``: its RSS in MiB with the
    first view open, and with all of them."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--child", str(config), *names],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    for line in done.stdout.splitlines():
        if line.startswith(RSS_PREFIX):
            one, every = line[len(RSS_PREFIX) :].split()
            return float(one), float(every)
    raise RuntimeError(f"the app child ({' '.join(names)}) exited {done.returncode}, no RSS")


def run(ctx: Context) -> list[Figure]:
    spec = [{"name": n, "pods": PODS, "seed": i} for i, n in enumerate(CLUSTERS, 1)]
    with fleet(spec, ctx.workdir / "fleet") as f:
        samples = [child_rss(f.config_path, CLUSTERS) for _ in range(ctx.runs(3, 1))]
    figures = [
        figure(
            "rss_mib_10k_pods",
            [one for one, _ in samples],
            "MiB",
            aim=FIGURES["rss_mib_10k_pods"],
            note="app process alone (a child), :pods -A of 10,000 pods open on one of five "
            "connected clusters",
        ),
        figure(
            "rss_mib_5x10k_pods",
            [every for _, every in samples],
            "MiB",
            aim=FIGURES["rss_mib_5x10k_pods"],
            note="app process alone (a child), five clusters' :pods -A of 10,000 each",
        ),
    ]
    return [f for f in figures if ctx.wants(f.name)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--child", action="store_true", required=True)
    parser.add_argument("config", type=Path)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args(argv)
    one, every = asyncio.run(open_views(args.config, args.names))
    print(f"{RSS_PREFIX}{one:.1f} {every:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
