"""The benchmarks' simulators, in a child process: ``python -m benchmarks.fleet SPEC_JSON``.

SPEC_JSON: ``{"directory": D, "clusters": [{...}]}`` (see
:func:`benchmarks.harness.fleet`). Starts one :class:`~kite_tui.sim.server.SimServer` per
cluster, writes a kubeconfig each, prints one JSON line
``{"clusters": {name: {"url", "kubeconfig"}}}`` (the parent writes kite-tui's config), and runs
until its stdin closes (the parent ended, however it ended). A line on stdin
``{"churn": {name: rate}}`` sets those clusters' churn (changes/s; 0 pauses it).

Churn is the simulator's own (:class:`~kite_tui.sim.churn.Churner`: the same changes), but
picking its pod from a list made at most once a second rather than from every pod each
time: the simulator's pick scans all pods, so at 10,000 pods it tops out near 200 changes/s,
and a 1,000-changes/s figure would measure the simulator's pick, not the app.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

from kite_tui.sim.churn import STEADY_NAMESPACES, Churner
from kite_tui.sim.resources import lookup
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer


def scenario(c: dict[str, Any]) -> Scenario:
    pods = int(c.get("pods", 50))
    nodes = c.get("nodes") or max(3, min(200, pods // 60 + 2))
    return Scenario(
        nodes=int(nodes),
        namespaces=int(c.get("namespaces") or max(2, min(40, pods // 150 + 3))),
        pods=pods,
        failing_fraction=float(c.get("failing", 0.05)),
        seed=int(c.get("seed", 1)),
    )


class ListedChurner(Churner):
    """A :class:`Churner` picking from a list of the pods re-made at most once a second (a
    pod replaced since is not found and skipped, as a pod gone under the simulator's is)."""

    RELIST_SECONDS = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listed_at = float("-inf")
        self._pods: list[Any] = []

    def _pick(self) -> dict | None:
        now = time.monotonic()
        if now - self._listed_at > self.RELIST_SECONDS:
            self._listed_at = now
            self._pods = [
                e
                for e in self.store.iter_entries(lookup("pods"))
                if e.rtype.kind == "Pod" and e.obj["metadata"]["namespace"] not in STEADY_NAMESPACES
            ]
        return self.rng.choice(self._pods).obj if self._pods else None


def main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    directory = Path(spec["directory"])
    directory.mkdir(parents=True, exist_ok=True)
    sims: list[SimServer] = []
    churners: dict[str, ListedChurner] = {}
    out: dict[str, dict[str, Any]] = {}
    try:
        for c in spec["clusters"]:
            name = c["name"]
            sim = SimServer(
                scenario=scenario(c),
                tls=bool(c.get("tls", False)),
                name=name,
                seed=int(c.get("seed", 1)),
            ).start()
            sims.append(sim)
            churn = float(c.get("churn", 0.0))
            churners[name] = ListedChurner(sim.store, churn, seed=int(c.get("seed", 1)))
            kubeconfig = sim.write_kubeconfig(directory / f"{name}.kubeconfig")
            sim.faults.latency = float(c.get("latency", 0.0))
            sim.faults.blackhole = bool(c.get("blackhole", False))
            sim.faults.refuse = bool(c.get("refuse", False))
            out[name] = {"url": sim.url, "kubeconfig": str(kubeconfig)}
        gc.collect()
        gc.freeze()
        for churner in churners.values():
            churner.start()
        print(json.dumps({"clusters": out}), flush=True)
        for line in sys.stdin:  # until the parent closes it
            for cluster, rate in json.loads(line).get("churn", {}).items():
                churners[cluster].rate = float(rate)
    finally:
        for churner in churners.values():
            churner.stop()
        for sim in sims:
            sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
