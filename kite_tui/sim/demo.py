"""The demo fleet: a handful of simulated clusters and a kite-tui config pointing at them.

:func:`start_demo` starts them in the background (threads of this process) and
writes, into the given directory, one kubeconfig per cluster plus ``config.toml``
(mode 0600). The caller owns the directory; :meth:`Demo.stop` stops the clusters.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer


@dataclass
class DemoCluster:
    name: str
    description: str
    scenario: Scenario
    churn: float = 0.0
    latency: float = 0.0
    refuse: bool = False
    default: bool = False


DEMO_CLUSTERS = (
    DemoCluster(
        "prod-eu",
        "Large healthy cluster: 3000 pods with light churn, cert-manager Certificates",
        Scenario(
            nodes=40, namespaces=12, pods=3000, failing_fraction=0.02, seed=1, certificates=True
        ),
        churn=2.0,
        default=True,
    ),
    DemoCluster(
        "staging",
        "Small cluster with pods in every tricky state, cert-manager Certificates",
        Scenario(
            nodes=3,
            namespaces=3,
            pods=60,
            failing_fraction=0.25,
            seed=2,
            tricky=True,
            certificates=True,
        ),
        churn=0.5,
    ),
    DemoCluster(
        "edge-slow",
        "Answers every request after about 1.5 s",
        Scenario(nodes=4, namespaces=4, pods=150, failing_fraction=0.1, seed=3),
        latency=1.5,
    ),
    DemoCluster(
        "dr-offline",
        "Unreachable: connections are refused",
        Scenario(nodes=3, namespaces=2, pods=30, seed=4),
        refuse=True,
    ),
)


@dataclass
class Demo:
    """Running demo clusters and the config that describes them."""

    directory: Path
    config_path: Path
    sims: dict[str, SimServer] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop every simulator (the directory is left to its owner)."""
        for sim in self.sims.values():
            sim.stop()
        gc.unfreeze()


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)


def config_toml(
    entries: list[dict], *, resync_seconds: int = 300, request_timeout_seconds: int = 10
) -> str:
    """A kite-tui config with a ``[settings]`` table and one ``[[clusters]]`` per entry."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("kite-tui demo config: edit it while the app runs and watch it react."))
    settings = tomlkit.table()
    settings["resync_seconds"] = resync_seconds
    settings["request_timeout_seconds"] = request_timeout_seconds
    doc["settings"] = settings
    clusters = tomlkit.aot()
    for e in entries:
        t = tomlkit.table()
        for k, v in e.items():
            t[k] = v
        clusters.append(t)
    doc["clusters"] = clusters
    return tomlkit.dumps(doc)


def start_demo(directory: Path, clusters: tuple[DemoCluster, ...] = DEMO_CLUSTERS) -> Demo:
    """Start the demo clusters and write their kubeconfigs and ``config.toml``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    demo = Demo(directory, directory / "config.toml")
    entries = []
    try:
        for c in clusters:
            sim = SimServer(
                scenario=c.scenario,
                tls=True,
                token=f"demo-{c.name}-token",
                churn=c.churn,
                name=c.name,
                seed=c.scenario.seed,
            ).start()
            demo.sims[c.name] = sim
            kubeconfig = sim.write_kubeconfig(directory / f"{c.name}.kubeconfig")
            sim.faults.latency = c.latency
            sim.faults.refuse = c.refuse
            entry: dict[str, str | bool] = {
                "name": c.name,
                "kubeconfig": str(kubeconfig),
                "context": c.name,
                "description": c.description,
            }
            if c.default:
                entry["default"] = True
            entries.append(entry)
        # the stores are long-lived: keep the cyclic GC from rescanning them forever
        gc.collect()
        gc.freeze()
        _write_private(demo.config_path, config_toml(entries))
    except BaseException:
        demo.stop()
        raise
    return demo
