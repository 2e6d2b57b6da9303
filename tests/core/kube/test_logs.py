"""`LogStream` against the simulator: tail, timestamps, previous, errors, follow, batching,
reconnects without duplicates, and stopping mid-read."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.logs import LogState, LogStream, default_container, pod_containers
from kite_tui.sim.server import SimServer
from kite_tui.sim.store import rfc3339
from tests.fixed_objects import POD_REF, web_pod

TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ")
NS, POD = POD_REF.namespace, POD_REF.name


class Sink:
    """Collects a stream's callbacks; tests wait on its condition, not on the clock."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.lines: list[str] = []
        self.batches = 0
        self.statuses: list[tuple[str, str]] = []

    def on_lines(self, lines: list[str]) -> None:
        with self.cond:
            self.lines.extend(lines)
            self.batches += 1
            self.cond.notify_all()

    def on_status(self, state: str, message: str) -> None:
        with self.cond:
            self.statuses.append((state, message))
            self.cond.notify_all()

    def wait(self, predicate: Callable[[Sink], bool], timeout: float = 5.0) -> None:
        with self.cond:
            if not self.cond.wait_for(lambda: predicate(self), timeout):
                raise AssertionError(f"timed out; lines={self.lines[-5:]} statuses={self.statuses}")

    def wait_state(self, state: str, count: int = 1) -> None:
        self.wait(lambda s: sum(1 for st, _ in s.statuses if st == state) >= count)

    @property
    def states(self) -> list[str]:
        return [s for s, _ in self.statuses]


def stream(
    client: ClusterClient,
    sink: Sink,
    pod: str = POD,
    container: str | None = "web",
    ns: str = NS,
    **kw: object,
) -> LogStream:
    return LogStream(
        client, ns, pod, container, on_lines=sink.on_lines, on_status=sink.on_status, **kw
    ).start()  # type: ignore[arg-type]


def backlog(sim: SimServer, pod: str = POD, container: str = "web", ns: str = NS) -> list[str]:
    _pod, _c, buf = sim.logs.resolve(ns, pod, container, False)
    assert buf is not None
    return [text for _ts, text in buf.lines]


def test_containers_and_default() -> None:
    pod = web_pod()
    assert pod_containers(pod) == ["web", "metrics"]
    assert default_container(pod) == "web"
    pod["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"] = "metrics"
    assert default_container(pod) == "metrics"
    pod["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"] = "gone"
    assert default_container(pod) == "web"
    pod["spec"]["initContainers"] = [{"name": "init"}]
    assert pod_containers(pod) == ["web", "metrics", "init"]
    assert default_container({"spec": {}}) is None


def test_tail_without_follow(sim: SimServer, client: ClusterClient) -> None:
    sink = Sink()
    s = stream(client, sink, follow=False, tail_lines=3)
    sink.wait_state(LogState.ENDED)
    assert sink.lines == backlog(sim)[-3:]
    assert s.join(2)
    rec = sim.wait_for_request(lambda r: r.path.endswith("/log"))
    assert rec.query["tailLines"] == "3" and rec.query["container"] == "web"
    assert rec.query["timestamps"] == "true"  # always asked for: reconnects dedupe by them


def test_timestamps_on_and_off(client: ClusterClient) -> None:
    with_ts, without = Sink(), Sink()
    stream(client, with_ts, follow=False, tail_lines=5, timestamps=True)
    stream(client, without, follow=False, tail_lines=5)
    with_ts.wait_state(LogState.ENDED)
    without.wait_state(LogState.ENDED)
    assert len(with_ts.lines) == 5 and all(TS_RE.match(line) for line in with_ts.lines)
    assert [line.split(" ", 1)[1] for line in with_ts.lines] == without.lines
    assert not any(TS_RE.match(line) for line in without.lines)


def test_previous_and_errors(client: ClusterClient) -> None:
    from kite_tui.sim.logs import _CRASHES

    prev = Sink()
    stream(client, prev, pod="crashloopbackoff", ns="tricky", container=None, previous=True)
    prev.wait_state(LogState.ENDED)
    assert prev.lines[-1] in _CRASHES

    web_prev = Sink()  # the fixed pod's web container was OOMKilled once
    stream(client, web_prev, previous=True, tail_lines=None)
    web_prev.wait_state(LogState.ENDED)
    assert web_prev.lines and web_prev.lines[-1] in _CRASHES

    none = Sink()
    stream(client, none, container="metrics", previous=True)
    none.wait_state(LogState.ERROR)
    assert none.statuses[-1] == (
        LogState.ERROR,
        'no previous log: container "metrics" has not restarted',
    )
    ghost = Sink()
    stream(client, ghost, pod="ghost")
    ghost.wait_state(LogState.ERROR)
    assert ghost.statuses[-1] == (LogState.ERROR, 'pods "ghost" not found')
    wrong = Sink()
    stream(client, wrong, container="nope")
    wrong.wait_state(LogState.ERROR)
    assert wrong.statuses[-1][1] == f"container nope is not valid for pod {POD}"


def test_follow_delivers_new_lines_in_batches(sim: SimServer, client: ClusterClient) -> None:
    sink = Sink()
    s = stream(client, sink, tail_lines=2)
    sink.wait(lambda k: len(k.lines) == 2 and LogState.STREAMING in k.states)
    sim.write_log(NS, POD, "hello from the test", container="web")
    sink.wait(lambda k: k.lines[-1:] == ["hello from the test"])
    before = sink.batches
    for i in range(2000):
        sim.write_log(NS, POD, f"burst {i}", container="web")
    sink.wait(lambda k: k.lines[-1:] == ["burst 1999"])
    assert sink.lines[3:] == [f"burst {i}" for i in range(2000)]
    assert sink.batches - before < 100  # coalesced, not one callback per line
    s.stop()
    assert s.join(2)


def test_stop_mid_read_is_prompt_and_silent(sim: SimServer, client: ClusterClient) -> None:
    sink = Sink()
    s = stream(client, sink, tail_lines=0)
    sink.wait_state(LogState.STREAMING)
    sim.wait_for_request(lambda r: r.path.endswith("/log") and r.query.get("follow") == "true")
    started = time.monotonic()
    s.stop()  # the reader is blocked in recv() right now
    assert time.monotonic() - started < 0.1
    assert s.join(2), "threads still alive after stop()"
    assert sink.states[-1] == LogState.STOPPED
    sim.write_log(NS, POD, "after stop", container="web")
    assert "after stop" not in sink.lines
    assert not [t for t in threading.enumerate() if t.name.startswith("kite-logs")]


def test_reconnects_after_a_dropped_connection_without_duplicates(
    sim: SimServer, client: ClusterClient
) -> None:
    sink = Sink()
    s = stream(client, sink, tail_lines=5, reconnect_delays=(0.05,))
    sink.wait(lambda k: len(k.lines) == 5)
    sim.write_log(NS, POD, "one", container="web")
    sink.wait(lambda k: k.lines[-1] == "one")
    mark = sim.mark()
    sim.restart()  # the API server drops every connection
    sink.wait_state(LogState.RECONNECTING)
    rec = sim.wait_for_request(lambda r: r.path.endswith("/log"), since=mark)
    assert "sinceTime" in rec.query and "tailLines" not in rec.query
    sink.wait_state(LogState.STREAMING, 2)
    sim.write_log(NS, POD, "two", container="web")
    sink.wait(lambda k: k.lines[-1] == "two")
    # The simulator ignores sinceTime and resends the whole log: the stream skipped it all.
    assert sink.lines == backlog(sim)[-7:-2] + ["one", "two"]
    s.stop()
    assert s.join(2)


def test_follows_a_restarted_container(sim: SimServer, client: ClusterClient) -> None:
    sink = Sink()
    s = stream(client, sink, tail_lines=1, reconnect_delays=(0.05,))
    sink.wait(lambda k: len(k.lines) == 1 and LogState.STREAMING in k.states)
    old_last = sink.lines[-1]

    def restart(p: dict) -> None:
        cs = p["status"]["containerStatuses"][0]
        cs["restartCount"] += 1
        # Started a while ago: the simulator spreads a new instance's backlog from its start
        # to now (a start "now" would date some of it in the future).
        cs["state"] = {"running": {"startedAt": rfc3339(time.time() - 30)}}

    sim.store.modify("pods", NS, POD, restart)
    sink.wait_state(LogState.STREAMING, 2)
    sim.write_log(NS, POD, "new instance says hi", container="web")
    sink.wait(lambda k: k.lines[-1] == "new instance says hi")
    assert sink.lines.count(old_last) == 1
    s.stop()
    assert s.join(2)


def test_ends_when_the_container_is_done(sim: SimServer, client: ClusterClient) -> None:
    sink = Sink()
    s = stream(client, sink, tail_lines=1)
    sink.wait_state(LogState.STREAMING)

    def complete(p: dict) -> None:
        p["status"]["phase"] = "Succeeded"
        for cs in p["status"]["containerStatuses"]:
            cs["state"] = {"terminated": {"exitCode": 0, "reason": "Completed"}}

    sim.store.modify("pods", NS, POD, complete)
    sink.wait_state(LogState.ENDED)
    assert sink.statuses[-1] == (LogState.ENDED, "container stopped (pod Succeeded)")
    assert s.join(2)
