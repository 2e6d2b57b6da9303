"""The benchmarks' simulators, in a child process: ``python -m benchmarks.fleet SPEC_JSON``.

SPEC_JSON: ``{"directory": D, "clusters": [{...}], "settings": {...}}`` (see
:func:`benchmarks.harness.fleet`). Starts one :class:`~kite_tui.sim.server.SimServer` per
cluster, writes a kubeconfig each and ``D/config.toml`` (kite-tui's config for all of them),
prints one JSON line ``{"config": ..., "clusters": {name: {"url", "kubeconfig"}}}``, and runs
until its stdin closes (the parent ended, however it ended).
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import Any

from kite_tui.sim.demo import config_toml
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


def main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    directory = Path(spec["directory"])
    directory.mkdir(parents=True, exist_ok=True)
    sims: list[SimServer] = []
    entries: list[dict[str, Any]] = []
    out: dict[str, dict[str, Any]] = {}
    try:
        for c in spec["clusters"]:
            name = c["name"]
            sim = SimServer(
                scenario=scenario(c),
                tls=bool(c.get("tls", False)),
                churn=float(c.get("churn", 0.0)),
                name=name,
                seed=int(c.get("seed", 1)),
            ).start()
            sims.append(sim)
            kubeconfig = sim.write_kubeconfig(directory / f"{name}.kubeconfig")
            sim.faults.latency = float(c.get("latency", 0.0))
            sim.faults.blackhole = bool(c.get("blackhole", False))
            sim.faults.refuse = bool(c.get("refuse", False))
            entries.append({"name": name, "kubeconfig": str(kubeconfig), "context": name})
            out[name] = {"url": sim.url, "kubeconfig": str(kubeconfig)}
        gc.collect()
        gc.freeze()
        settings = {"resync_seconds": 300, "request_timeout_seconds": 10}
        settings.update(spec.get("settings", {}))
        config = directory / "config.toml"
        config.write_text(config_toml(entries, **settings))
        config.chmod(0o600)
        print(json.dumps({"config": str(config), "clusters": out}), flush=True)
        sys.stdin.read()  # until the parent closes it
    finally:
        for sim in sims:
            sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
