"""Benchmark: the resource browser on a 10,000-pod cluster, against `kubectl get pods -A`.

The simulator runs in a child process (as a real API server would be elsewhere), with churn.
The app runs headless in this process. Printed figures:

* open: from `:pods -A` to all 10,000 rows in the table and the first frame painted;
* kubectl: wall time of `kubectl get pods -A` against the same simulator (median of 3);
* event-to-row: from a pod created over HTTP (POST returns) to its row painted on screen,
  while the table shows 10,000 rows and the simulator churns 100 pods/s;
* longest UI stall: the event loop's worst lateness over the whole run;
* resident memory of the app process with 10,000 pods shown.

Run: python benchmarks/browser_bench.py [--pods 10000] [--churn 100] [--probes 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from kite_tui.ui.app import KiteApp
from kite_tui.ui.widgets.resource_table import ResourceTable


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_sim(pods: int, churn: float) -> tuple[subprocess.Popen[str], str, Path]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kite_tui.sim",
            "sim",
            "--pods",
            str(pods),
            "--churn",
            str(churn),
            "--name",
            "bench",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = kubeconfig = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("url:"):
            url = line.split(None, 1)[1].strip()
        if line.startswith("kubeconfig:"):
            kubeconfig = Path(line.split(None, 1)[1].strip())
        if url and kubeconfig:
            return proc, url, kubeconfig
    raise SystemExit("simulator did not start")


def kubectl_time(kubeconfig: Path) -> float:
    kubectl = Path(sys.executable).parent / "kubectl"
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as cache:
            t0 = time.perf_counter()
            subprocess.run(
                [
                    str(kubectl),
                    "--kubeconfig",
                    str(kubeconfig),
                    "--cache-dir",
                    cache,
                    "get",
                    "pods",
                    "-A",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def create_pod(url: str, name: str) -> None:
    body = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "main", "image": "busybox"}]},
        }
    ).encode()
    req = urllib.request.Request(
        f"{url}/api/v1/namespaces/default/pods",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(req, timeout=10).read()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--churn", type=float, default=100.0)
    parser.add_argument("--probes", type=int, default=50)
    args = parser.parse_args()

    rss_before = rss_mb()
    proc, url, kubeconfig = start_sim(args.pods, args.churn)
    try:
        kubectl_s = kubectl_time(kubeconfig)
        workdir = Path(tempfile.mkdtemp())
        cfg = workdir / "config.toml"
        cfg.write_text(f'[[clusters]]\nname = "bench"\nkubeconfig = "{kubeconfig}"\n')

        painted: dict[str, float] = {}
        probe = re.compile(r"probe-\d+")
        original = ResourceTable.render_line

        def render_line(self, y):  # type: ignore[no-untyped-def]
            strip = original(self, y)
            text = strip.text
            if "probe-" in text:
                for m in probe.finditer(text):
                    painted.setdefault(m.group(0), time.perf_counter())
            painted.setdefault("__any__", time.perf_counter())
            return strip

        ResourceTable.render_line = render_line  # type: ignore[method-assign]

        app = KiteApp(cfg)
        stall = {"max": 0.0}

        async def lag_monitor() -> None:
            while True:
                t0 = time.perf_counter()
                await asyncio.sleep(0.005)
                stall["max"] = max(stall["max"], time.perf_counter() - t0 - 0.005)

        async with app.run_test(size=(160, 50)) as pilot:
            await app.wait_for_snapshot(
                lambda s: s.get("bench") is not None and str(s.get("bench").health) == "ok",
                timeout=30,
            )
            await pilot.pause()
            monitor = asyncio.create_task(lag_monitor())
            painted.clear()
            t0 = time.perf_counter()
            app.switch_to_cluster("bench")
            await pilot.pause()
            browser = app._views["bench"].browser
            assert browser is not None
            await browser.wait_for(lambda: browser.table.row_count >= args.pods, timeout=60)
            loaded = time.perf_counter()
            painted.pop("__any__", None)
            await pilot.pause()
            while "__any__" not in painted:
                await asyncio.sleep(0.001)
            open_s = painted["__any__"] - t0
            rows = browser.table.row_count
            open_stall, stall["max"] = stall["max"], 0.0
            # Only probe rows pass the filter, so each new probe is painted on screen; the
            # other 10,000 rows and the churn still flow through the table.
            browser.table.filter_text = "probe-"
            await pilot.pause()

            latencies = []
            for i in range(args.probes):
                name = f"probe-{i}"
                await asyncio.to_thread(create_pod, url, name)
                sent = time.perf_counter()
                deadline = sent + 10
                while name not in painted and time.perf_counter() < deadline:
                    await asyncio.sleep(0.001)
                if name in painted:
                    latencies.append(painted[name] - sent)
                await asyncio.sleep(0.05)
            monitor.cancel()
            rss = rss_mb()
            events = browser.table.row_count
        lat_ms = sorted(x * 1000 for x in latencies)
        print(f"pods in table                 {rows}")
        print(f"kubectl get pods -A           {kubectl_s * 1000:.0f} ms (median of 3)")
        print(
            f"open :pods -A to first paint  {open_s * 1000:.0f} ms "
            f"(rows applied after {(loaded - t0) * 1000:.0f} ms)"
        )
        if lat_ms:
            print(
                f"event-to-row (n={len(lat_ms)}, {args.churn:g}/s churn)  "
                f"median {statistics.median(lat_ms):.1f} ms, "
                f"p95 {lat_ms[int(len(lat_ms) * 0.95) - 1]:.1f} ms, max {lat_ms[-1]:.1f} ms"
            )
        print(
            f"longest UI stall              {open_stall * 1000:.0f} ms while opening, "
            f"{stall['max'] * 1000:.0f} ms while following events"
        )
        print(f"resident memory               {rss:.0f} MB (before app: {rss_before:.0f} MB)")
        print(f"rows at the end               {events}")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    asyncio.run(main())
