"""Resident memory of the app with 10,000-pod views open: one cluster, and five.

The app runs headless in a process of its own (``python -m benchmarks.memory --child
CONFIG NAME...``), which does nothing else: it opens each named cluster's page and
``:pods -A``, waits for every view to hold all its pods, collects garbage, waits a second
and prints its resident memory. The simulators are in the fleet child (one fleet of five
10,000-pod clusters for both figures; the one-cluster run gets a config naming only the
first). Each run is a new process.
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
from kite_tui.sim.demo import config_toml

FIGURES = {"rss_mib_10k_pods": "≤ 150", "rss_mib_5x10k_pods": "≤ 350"}
PODS = 10_000
CLUSTERS = [f"c{i}" for i in range(1, 6)]
ROOT = Path(__file__).resolve().parent.parent
RSS_PREFIX = "RSS "


async def open_views(config: Path, names: list[str]) -> float:
    async with running_app(config, names) as (app, pilot):
        for name in names:
            browser = await open_cluster(app, pilot, name)
            await command(pilot, "pods -A")
            await wait_rows(browser, PODS, f"the :pods -A view of {name}")
        gc.collect()
        await pilot.pause(1.0)
        return rss_mib()


def child_rss(config: Path, names: list[str]) -> float:
    """Run the app in a child process on ``config``, open ``names``; its RSS in MiB."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--child", str(config), *names],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    for line in done.stdout.splitlines():
        if line.startswith(RSS_PREFIX):
            return float(line[len(RSS_PREFIX) :])
    raise RuntimeError(f"the app child ({' '.join(names)}) exited {done.returncode}, no RSS")


def run(ctx: Context) -> list[Figure]:
    runs = ctx.runs(3, 1)
    out: list[Figure] = []
    spec = [{"name": n, "pods": PODS, "seed": i} for i, n in enumerate(CLUSTERS, 1)]
    with fleet(spec, ctx.workdir / "fleet") as f:
        if ctx.wants("rss_mib_10k_pods"):
            one = ctx.workdir / "one.toml"
            first = CLUSTERS[0]
            entry = {"name": first, "kubeconfig": str(f.kubeconfig(first)), "context": first}
            one.write_text(config_toml([entry]))
            one.chmod(0o600)
            samples = [child_rss(one, [first]) for _ in range(runs)]
            out.append(
                figure(
                    "rss_mib_10k_pods",
                    samples,
                    "MiB",
                    aim=FIGURES["rss_mib_10k_pods"],
                    note="app process alone (a child), one cluster, :pods -A of 10,000 pods",
                )
            )
        if ctx.wants("rss_mib_5x10k_pods"):
            samples = [child_rss(f.config_path, CLUSTERS) for _ in range(runs)]
            out.append(
                figure(
                    "rss_mib_5x10k_pods",
                    samples,
                    "MiB",
                    aim=FIGURES["rss_mib_5x10k_pods"],
                    note="app process alone (a child), five clusters' :pods -A of 10,000 each",
                )
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--child", action="store_true", required=True)
    parser.add_argument("config", type=Path)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args(argv)
    rss = asyncio.run(open_views(args.config, args.names))
    print(f"{RSS_PREFIX}{rss:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
