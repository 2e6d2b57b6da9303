"""Small helpers shared by the simulator tests (raw HTTP, collecting watch events)."""

from __future__ import annotations

import json
import queue
import ssl
import threading
from collections.abc import Callable, Iterator

import urllib3

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
