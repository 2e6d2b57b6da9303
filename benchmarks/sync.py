"""Many clusters at once: a snapshot of 100 slow clusters, against one such cluster.

``sync_100_clusters_s``: the cluster manager (the app's own, headless: no Textual) reads a
config of 100 clusters whose simulators answer every request after 200 ms, builds a client
for each and probes it, until the snapshot it publishes shows all 100 healthy. Timed from
the reload to that snapshot. ``baseline`` is the same for a config of one such cluster, so
``ratio`` says what the other 99 cost: with every cluster worked on at once it stays near 1.

Each run is a new manager (new clients, new connections); the simulators run in the fleet
child, so their 100 servers never share this process's GIL.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from benchmarks.harness import Context, Figure, FleetInfo, figure, fleet
from kite_tui.core.manager import ClusterManager
from kite_tui.core.snapshot import Health, Snapshot

FIGURES = {"sync_100_clusters_s": "ratio ≤ 1.5"}

CLUSTERS = 100
LATENCY = 0.2  # s each simulator waits before answering


def write_config(path: Path, sims: FleetInfo, names: list[str]) -> None:
    path.write_text(sims.config_text(names, request_timeout_seconds=30))
    os.chmod(path, 0o600)


def time_sync(config: Path, names: list[str]) -> float:
    """Seconds from the manager's reload to a snapshot with every one of ``names`` healthy."""
    done = threading.Event()
    last: list[Snapshot] = []

    def on_snapshot(snap: Snapshot) -> None:
        last[:] = [snap]
        if all((h := snap.get(n)) is not None and h.health == Health.OK for n in names):
            done.set()

    manager = ClusterManager(config, on_snapshot)
    try:
        start = time.perf_counter()
        manager.reload()
        if not done.wait(120):
            health = {h.name: str(h.health) for h in last[0]} if last else {}
            not_ok = {n: s for n, s in health.items() if s != Health.OK}
            raise TimeoutError(f"not every cluster healthy after 120 s: {not_ok}")
        return time.perf_counter() - start
    finally:
        manager.close()


def run(ctx: Context) -> list[Figure]:
    names = [f"cluster-{i:03d}" for i in range(1, CLUSTERS + 1)]
    clusters = [{"name": n, "pods": 2, "nodes": 1, "latency": LATENCY} for n in names]
    many: list[float] = []
    one: list[float] = []
    with fleet(clusters, ctx.workdir / "fleet") as sims:
        all_config = ctx.workdir / "all.toml"
        one_config = ctx.workdir / "one.toml"
        write_config(all_config, sims, names)
        write_config(one_config, sims, names[:1])
        for _ in range(ctx.runs(5, 2)):  # alternated, so both see the same machine
            one.append(time_sync(one_config, names[:1]))
            many.append(time_sync(all_config, names))
    return [
        figure(
            "sync_100_clusters_s",
            many,
            "s",
            aim=FIGURES["sync_100_clusters_s"],
            baseline=one,
            note=f"{CLUSTERS} clusters answering after {LATENCY * 1000:.0f} ms; "
            "baseline one such cluster; the manager headless",
        )
    ]
