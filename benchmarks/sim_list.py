"""Benchmark: how fast a large simulated cluster lists, and how it holds up under watches.

    python benchmarks/sim_list.py [--pods 10000] [--repeat 5] [--watches 50]

Prints the median of ``--repeat`` runs for: scenario build time, a raw client list
(``_preload_content=False`` + ``json.loads``), the typed ``list_pod_for_all_namespaces``,
a server-side Table of every pod, ``kubectl get pods -A`` wall time, and the latency of
small requests while ``--watches`` watch streams are open.
"""

from __future__ import annotations

import argparse
import json
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import urllib3
from kubernetes import client, config

from kite_tui.sim.server import SimServer

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


class Target:
    """The simulator under test: a child process (like ``kite-tui sim``) or in-process."""

    def __init__(self, pods: int, tmp: Path, in_process: bool) -> None:
        self.kubeconfig = tmp / "kubeconfig"
        self.proc: subprocess.Popen | None = None
        self.sim: SimServer | None = None
        args = [
            "--pods",
            str(pods),
            "--nodes",
            "50",
            "--namespaces",
            "20",
            "--failing",
            "0.05",
            "--tls",
            "--token",
            "bench",
            "--kubeconfig",
            str(self.kubeconfig),
        ]
        t0 = time.perf_counter()
        if in_process:
            from kite_tui.sim.cli import scenario_from_args

            ns = argparse.Namespace(
                pods=pods, nodes=50, namespaces=20, failing=0.05, seed=0, tricky=False, objects=[]
            )
            self.sim = SimServer(scenario=scenario_from_args(ns), tls=True, token="bench")
            self.sim.start()
            self.sim.write_kubeconfig(self.kubeconfig)
            self.url, self.ca = self.sim.url, self.sim.ca_pem
        else:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kite_tui.sim", "sim", *args],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                if line.startswith("url:"):
                    self.url = line.split()[1]
                if line.startswith("Ctrl-C"):
                    break
            import base64

            import yaml

            cfg = yaml.safe_load(self.kubeconfig.read_text())
            self.ca = base64.b64decode(cfg["clusters"][0]["cluster"]["certificate-authority-data"])
        self.startup = time.perf_counter() - t0

    def stop(self) -> None:
        if self.sim is not None:
            self.sim.stop()
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pods", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--watches", type=int, default=50)
    ap.add_argument(
        "--in-process",
        action="store_true",
        help="run the simulator in this process (shares the GIL and the GC)",
    )
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sim-bench-"))
    target = Target(args.pods, tmp, args.in_process)
    where = "in-process" if args.in_process else "child process"
    print(f"simulator ({where}, TLS): {args.pods} pods ready in {target.startup:.2f} s")
    try:
        api = config.new_client_from_config(str(target.kubeconfig))
        v1 = client.CoreV1Api(api)

        def raw_list() -> int:
            r = v1.list_pod_for_all_namespaces(_preload_content=False)
            return len(json.loads(r.data)["items"])

        size = len(v1.list_pod_for_all_namespaces(_preload_content=False).data)
        t, n = timed(raw_list, args.repeat)
        print(
            f"client list, raw (_preload_content=False + json.loads): {t * 1000:7.1f} ms "
            f"({n} pods, {size / 1e6:.1f} MB, {size / max(n, 1):.0f} B/pod)"
        )
        t, _ = timed(v1.list_pod_for_all_namespaces, max(1, args.repeat // 2))
        print(f"client list, typed (list_pod_for_all_namespaces):       {t * 1000:7.1f} ms")

        ctx = ssl.create_default_context(cadata=target.ca.decode())
        pm = urllib3.PoolManager(ssl_context=ctx, maxsize=args.watches + 2)
        hdr = {"Authorization": "Bearer bench", "Accept": TABLE}

        def table() -> int:
            r = pm.request("GET", target.url + "/api/v1/pods", headers=hdr)
            return len(json.loads(r.data)["rows"])

        t, n = timed(table, args.repeat)
        print(
            f"server-side Table of all pods (+ json.loads):            {t * 1000:7.1f} ms "
            f"({n} rows)"
        )

        kubectl = Path(sys.executable).parent / "kubectl"
        exe = str(kubectl) if kubectl.exists() else shutil.which("kubectl")
        if exe:

            def run_kubectl() -> int:
                cache = tempfile.mkdtemp(dir=tmp)
                out = subprocess.run(
                    [
                        exe,
                        "--kubeconfig",
                        str(target.kubeconfig),
                        "--cache-dir",
                        cache,
                        "get",
                        "pods",
                        "-A",
                    ],
                    capture_output=True,
                    check=True,
                ).stdout
                return out.count(b"\n") - 1

            t, n = timed(run_kubectl, args.repeat)
            print(
                f"kubectl get pods -A (fresh cache dir, wall):             {t * 1000:7.1f} ms "
                f"({n} rows)"
            )

        # responsiveness while many watches are open: each request returns once its
        # headers are in, and the server registers the watch before sending them
        streams = [
            pm.request(
                "GET",
                target.url
                + "/api/v1/pods?watch=true&resourceVersion="
                + v1.list_namespace().metadata.resource_version,
                headers={"Authorization": "Bearer bench"},
                preload_content=False,
            )
            for _ in range(args.watches)
        ]
        lat = []
        for _ in range(100):
            t0 = time.perf_counter()
            v1.read_namespace("default")
            lat.append(time.perf_counter() - t0)
        lat.sort()
        t, _ = timed(raw_list, max(1, args.repeat // 2))
        print(
            f"with {len(streams)} watches open: GET namespace median "
            f"{statistics.median(lat) * 1000:.1f} ms, p95 {lat[94] * 1000:.1f} ms; "
            f"raw list of all pods {t * 1000:.1f} ms"
        )
        for s in streams:
            s.release_conn()
        api.close()
    finally:
        target.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
