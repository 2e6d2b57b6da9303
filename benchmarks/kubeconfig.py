"""A large kubeconfig: 3,000 contexts (about 1.4 MB, as real fleets have), 20 of them used.

Every context has a cluster and a user of its own (a ~300-character token, as service
account and cloud tokens are); 20 contexts point at one simulated cluster (the others at
addresses never dialled). Each figure is a fresh ``python -m kite_tui`` process, so it
includes the interpreter's start and the imports, as a user would see it:

* ``kubeconfig_list_s``: ``config import --kubeconfig K`` listing the 3,000 contexts;
* ``kubeconfig_import_s``: ``config import --kubeconfig K --context …`` of 20 contexts;
* ``kubeconfig_check_s``: ``config check`` of the config with those 20 clusters;
* ``kubeconfig_idle_cpu_pct``: the app on those 20 clusters (in a pty), once every row shows
  the server's version, left alone for ``IDLE`` seconds: its CPU time (user + system, from
  ``/proc``) over that wall time. An idle app should use none.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

from benchmarks.harness import Context, Figure, figure, fleet
from benchmarks.terminal import ROOT, AppInTerminal, app_env

FIGURES = {
    "kubeconfig_list_s": "≤ 1",
    "kubeconfig_import_s": "≤ 1",
    "kubeconfig_check_s": "≤ 1",
    "kubeconfig_idle_cpu_pct": "≈ 0",
}

CONTEXTS = 3000
USED = 20
IDLE = 10.0  # s the app is left alone (3 s in a --quick run)


def write_kubeconfig(path: Path, server: str, token: str) -> Path:
    """3,000 contexts, each with its own cluster and user; every 150th on `server`."""
    step = CONTEXTS // USED
    clusters, users, contexts = [], [], []
    for i in range(CONTEXTS):
        name = f"ctx-{i:04d}"
        url = server if i % step == 0 else f"https://10.{i // 250}.{i % 250}.1:6443"
        clusters.append({"name": f"cluster-{i:04d}", "cluster": {"server": url}})
        secret = token if i % step == 0 else f"{i:04d}" + "x" * 296
        users.append({"name": f"user-{i:04d}", "user": {"token": secret}})
        ctx = {"cluster": f"cluster-{i:04d}", "user": f"user-{i:04d}", "namespace": "default"}
        contexts.append({"name": name, "context": ctx})
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "ctx-0000",
        "clusters": clusters,
        "users": users,
        "contexts": contexts,
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    path.chmod(0o600)
    return path


def used_contexts() -> list[str]:
    return [f"ctx-{i:04d}" for i in range(0, CONTEXTS, CONTEXTS // USED)]


def timed(args: list[str], home: Path) -> float:
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "kite_tui", *args],
        capture_output=True,
        text=True,
        env=app_env(home),
        cwd=ROOT,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    took = time.perf_counter() - start
    if r.returncode != 0:
        raise RuntimeError(f"kite-tui {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return took


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(ctx: Context) -> list[Figure]:
    figures: list[Figure] = []
    home = ctx.workdir / "home"
    with fleet([{"name": "big", "pods": 20}], ctx.workdir / "fleet") as sims:
        source = yaml.safe_load(sims.kubeconfig("big").read_text())
        token = source["users"][0]["user"].get("token", "")
        kubeconfig = write_kubeconfig(ctx.workdir / "kubeconfig", sims.url("big"), token)
        size = kubeconfig.stat().st_size / 1e6
        print(f"kubeconfig: {CONTEXTS} contexts, {size:.2f} MB")
        config = ctx.workdir / "config.toml"
        picks = [a for c in used_contexts() for a in ("--context", c)]
        lists, imports, checks = [], [], []
        for _ in range(ctx.runs(3, 1)):
            config.write_text("[settings]\nresync_seconds = 60\n")
            base = ["--config", str(config), "config"]
            lists.append(timed([*base, "import", "--kubeconfig", str(kubeconfig)], home))
            imports.append(timed([*base, "import", "--kubeconfig", str(kubeconfig), *picks], home))
            checks.append(timed([*base, "check"], home))
        if ctx.wants("kubeconfig_list_s"):
            figures.append(
                figure("kubeconfig_list_s", lists, "s", aim=FIGURES["kubeconfig_list_s"])
            )
        if ctx.wants("kubeconfig_import_s"):
            figures.append(
                figure("kubeconfig_import_s", imports, "s", aim=FIGURES["kubeconfig_import_s"])
            )
        if ctx.wants("kubeconfig_check_s"):
            figures.append(
                figure("kubeconfig_check_s", checks, "s", aim=FIGURES["kubeconfig_check_s"])
            )
        if ctx.wants("kubeconfig_idle_cpu_pct"):
            figures.append(idle_cpu(ctx, config, home))
    return figures


def idle_cpu(ctx: Context, config: Path, home: Path) -> Figure:
    version = re.compile(r"\sv\d+\.\d+\.\d+\s")
    samples: list[float] = []
    for _ in range(ctx.runs(2, 1)):
        with AppInTerminal(["--config", str(config)], home, lines=40) as app:
            app.wait_for(
                lambda d: sum(bool(version.search(line)) for line in d) >= USED,
                120,
                f"the overview showing all {USED} clusters with their version",
            )
            time.sleep(2.0)  # let the first probes' aftermath settle
            app.drain()
            cpu0, wall0 = cpu_seconds(app.proc.pid), time.monotonic()
            deadline = wall0 + (3.0 if ctx.quick else IDLE)
            while time.monotonic() < deadline:  # keep reading the pty so the app never blocks
                app.drain()
                time.sleep(0.2)
            cpu1, wall1 = cpu_seconds(app.proc.pid), time.monotonic()
            samples.append(100 * (cpu1 - cpu0) / (wall1 - wall0))
            app.quit()
    return figure("kubeconfig_idle_cpu_pct", samples, "%", aim=FIGURES["kubeconfig_idle_cpu_pct"])
