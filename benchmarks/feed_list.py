"""Benchmark `ResourceFeed` on a 10,000-pod cluster.

Run:  python benchmarks/feed_list.py [--pods 10000] [--runs 5] [--events 20000]

The simulator runs in a child process, so its request handling does not share the GIL with
the feed (in one process the two fight over it and every figure roughly doubles). Other
load on the machine shows in the figures: compare medians of runs made together. Prints:

* list: ``start()`` until the reset batch with every pod is delivered, for one request
  (``page_size=None``) and for ``limit``+``continue`` pages of several sizes; median and
  best over the runs. This is what decided `FeedOptions.page_size`.
* where the time of one list goes: HTTP (server builds the Table, transfer), ``json.loads``,
  row decoding.
* events/s end to end: the child modifies pods as fast as its store allows; time until the
  feed has delivered the last event's resourceVersion. The simulator (which prints a Table
  row per event) is the limit here, not the feed.
* events/s feed only: the same kind of watch stream replayed from memory through a stub
  client, one event per HTTP chunk (the worst case): decoding, coalescing and delivery
  with no sockets; what the feed itself can absorb.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kite_tui.core.config import ClusterSpec  # noqa: E402
from kite_tui.core.kube.client import build_client  # noqa: E402
from kite_tui.core.kube.feed import (  # noqa: E402
    TABLE_ACCEPT,
    FeedBatch,
    FeedKey,
    FeedOptions,
    ResourceFeed,
    TableDecoder,
)
from kite_tui.core.resources import BUILTIN  # noqa: E402

CHILD = r"""
import json, sys
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer

pods, history = int(sys.argv[1]), int(sys.argv[2])
sim = SimServer(scenario=Scenario(pods=pods, namespaces=12, seed=1), token="bench",
                log_interval=None, history_limit=history).start()
names = [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in sim.store.list("pods")]
print(json.dumps({"url": sim.url, "pods": len(names)}), flush=True)
for line in sys.stdin:
    cmd = line.split()
    if cmd[0] == "burst":
        for i in range(int(cmd[1])):
            ns, name = names[i % len(names)]
            sim.store.modify("pods", ns, name,
                             lambda p, i=i: p["metadata"].setdefault("labels", {})
                             .update(bench=str(i)))
        print(sim.store.resource_version, flush=True)
    elif cmd[0] == "watches":
        print(sim.open_watches, flush=True)
    elif cmd[0] == "quit":
        break
sim.stop()
"""


class Child:
    """The simulator in a child process, driven over stdin/stdout."""

    def __init__(self, pods: int, history: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(pods), str(history)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        self.info = json.loads(self.ask(None))

    def ask(self, command: str | None) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        self.ask("quit") if self.proc.poll() is None else None
        self.proc.wait(10)


def time_list(client: Any, key: FeedKey, page_size: int | None) -> float:
    done = threading.Event()
    feed = ResourceFeed(
        client, key, lambda b: b.reset and done.set(), options=FeedOptions(page_size=page_size)
    )
    start = time.perf_counter()
    feed.start()
    done.wait(60)
    elapsed = time.perf_counter() - start
    feed.stop()
    return elapsed


def list_breakdown(client: Any, key: FeedKey) -> tuple[int, float, float, float]:
    t0 = time.perf_counter()
    resp = client.request(
        key.kind.api_path(None), [("includeObject", "Metadata")], accept=TABLE_ACCEPT
    )
    body = resp.data
    resp.release_conn()
    t1 = time.perf_counter()
    doc = json.loads(body)
    t2 = time.perf_counter()
    TableDecoder(key).decode(doc)
    t3 = time.perf_counter()
    return len(body), t1 - t0, t2 - t1, t3 - t2


def end_to_end_events(child: Child, client: Any, key: FeedKey, events: int) -> float:
    target: list[str] = []
    reached = threading.Event()
    ready = threading.Event()

    def on_batch(batch: FeedBatch) -> None:
        if batch.reset:
            ready.set()
        elif target and int(batch.resource_version) >= int(target[0]):
            reached.set()

    feed = ResourceFeed(client, key, on_batch, options=FeedOptions())
    feed.start()
    ready.wait(60)
    while child.ask("watches") != "1":
        time.sleep(0.01)  # a benchmark may poll: it waits for another process
    start = time.perf_counter()
    target.append(child.ask(f"burst {events}"))
    produced = time.perf_counter() - start
    if int(feed.resource_version or 0) >= int(target[0]):
        reached.set()
    reached.wait(120)
    elapsed = time.perf_counter() - start
    feed.stop()
    print(f"  (the simulator took {produced:.2f} s just to make the {events} changes)")
    return events / elapsed


class _StubResponse:
    """Enough of urllib3's HTTPResponse for the feed: a body or a chunked stream."""

    chunked = True

    class connection:  # noqa: N801 - mimics HTTPResponse.connection.sock.settimeout()
        class sock:  # noqa: N801
            @staticmethod
            def settimeout(seconds: float) -> None:
                pass

    def __init__(
        self,
        body: bytes = b"",
        chunks: list[bytes] | None = None,
        gate: threading.Event | None = None,
        stop: threading.Event | None = None,
    ):
        self.data = body
        self._chunks = chunks or []
        self._gate, self._stop = gate, stop

    def supports_chunked_reads(self) -> bool:
        return True

    def read_chunked(self, decode_content: bool = True) -> Any:
        if self._gate is not None:
            self._gate.wait()
        yield from self._chunks
        if self._stop is not None:
            self._stop.wait()  # then "the connection drops"
            raise ConnectionError("stub closed")

    def release_conn(self) -> None:
        pass

    def close(self) -> None:
        pass

    def shutdown(self) -> None:
        if self._stop is not None:
            self._stop.set()


class _StubClient:
    name = "stub"
    server = "stub://"
    timeout = 10.0
    request_timeout = (10.0, 10.0)

    def __init__(self, table: bytes, events: list[bytes]) -> None:
        self.table, self.events = table, events
        self.gate, self.stop = threading.Event(), threading.Event()
        self.watches = 0

    def request(self, path: str, query: Any, *, accept: str, timeout: Any) -> _StubResponse:
        if not any(k == "watch" for k, _ in query):
            return _StubResponse(self.table)
        self.watches += 1
        if self.watches == 1:
            return _StubResponse(chunks=self.events, gate=self.gate, stop=self.stop)
        return _StubResponse(chunks=[], stop=self.stop)


def feed_only_events(client: Any, key: FeedKey, events: int) -> float:
    resp = client.request(
        key.kind.api_path(None), [("includeObject", "Metadata")], accept=TABLE_ACCEPT
    )
    table = resp.data
    resp.release_conn()
    doc = json.loads(table)
    rv = int(doc["metadata"]["resourceVersion"])
    rows = doc["rows"]
    lines = []
    for i in range(events):
        row = json.loads(json.dumps(rows[i % len(rows)]))
        rv += 1
        row["object"]["metadata"]["resourceVersion"] = str(rv)
        obj: dict[str, Any] = {
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": str(rv)},
            "rows": [row],
        }
        if i == 0:
            obj["columnDefinitions"] = doc["columnDefinitions"]
        lines.append(json.dumps({"type": "MODIFIED", "object": obj}).encode() + b"\n")
    stub = _StubClient(table, lines)
    ready, reached = threading.Event(), threading.Event()

    def on_batch(batch: FeedBatch) -> None:
        if batch.reset:
            ready.set()
        elif int(batch.resource_version) >= rv:
            reached.set()

    feed = ResourceFeed(stub, key, on_batch)  # type: ignore[arg-type]
    feed.start()
    ready.wait(60)
    start = time.perf_counter()
    stub.gate.set()
    reached.wait(120)
    elapsed = time.perf_counter() - start
    feed.stop()
    return events / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()

    child = Child(args.pods, history=max(5000, args.events * 2))
    try:
        client = build_client(
            ClusterSpec(name="bench", server=child.info["url"], token="bench"), timeout=30
        )
        pods = BUILTIN.resolve("pods")
        assert pods is not None
        key = FeedKey(pods, None)
        print(f"{child.info['pods']} pods, all namespaces, {args.runs} runs each")
        time_list(client, key, None)  # warm the simulator's row caches and the connection
        print("list: start() -> reset batch delivered")
        sizes = (None, 500, 1000, 2000, 5000)
        times: dict[int | None, list[float]] = {size: [] for size in sizes}
        for _ in range(args.runs):  # interleaved, so that load from elsewhere hits all alike
            for size in sizes:
                times[size].append(time_list(client, key, size))
        for page_size in sizes:
            label = "one request" if page_size is None else f"limit={page_size}"
            print(
                f"  {label:<14} median {statistics.median(times[page_size]) * 1000:6.0f} ms"
                f"   best {min(times[page_size]) * 1000:6.0f} ms"
            )
        size, http, parse, decode = list_breakdown(client, key)
        print(
            f"one list: {size / 1e6:.1f} MB; HTTP {http * 1000:.0f} ms, json.loads "
            f"{parse * 1000:.0f} ms, decode rows {decode * 1000:.0f} ms"
        )
        rate = end_to_end_events(child, client, key, args.events)
        print(f"events/s end to end (simulator-bound): {rate:,.0f}")
        rates = [feed_only_events(client, key, args.events) for _ in range(3)]
        print(
            f"events/s feed only (stub stream, 1 event per chunk): median "
            f"{statistics.median(rates):,.0f}, best {max(rates):,.0f}"
        )
        client.close()
    finally:
        child.close()


if __name__ == "__main__":
    main()
