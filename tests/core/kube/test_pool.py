"""FeedPool against a real simulator (the suite's, tests/conftest.py): sharing a feed by key,
keeping it warm for a grace period, at most a few idle, retrying them all at once.

Every wait is on an event (a callback, a request the simulator received, an open watch);
nothing sleeps and hopes. Time for the grace period is a fake clock the test advances.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.pool import FeedPool
from kite_tui.core.kube.tables import FeedBatch, FeedKey, FeedStatus
from kite_tui.core.resources import ResourceKind
from kite_tui.sim.server import SimServer
from tests.core.kube.helpers import FAST, PATIENT, PODS, Connection, Recorder, pod


class FakeTimers:
    """An injectable clock and timer: the test decides when time passes and timers fire."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pending: list[tuple[float, Callable[[], None], list[bool]]] = []

    def clock(self) -> float:
        return self.now

    def timer(self, delay: float, fn: Callable[[], None]) -> Any:
        cancelled = [False]
        self.pending.append((self.now + delay, fn, cancelled))

        class Handle:
            def cancel(self) -> None:
                cancelled[0] = True

        return Handle()

    def advance(self, seconds: float) -> None:
        self.now += seconds
        due = [t for t in self.pending if t[0] <= self.now and not t[2][0]]
        self.pending = [t for t in self.pending if t not in due]
        for _, fn, _ in due:
            fn()


@pytest.fixture
def timers() -> FakeTimers:
    return FakeTimers()


@pytest.fixture
def pool(client: ClusterClient, timers: FakeTimers) -> Iterator[FeedPool]:
    p = FeedPool(client, grace=30, max_idle=2, options=FAST, clock=timers.clock,
                 timer=timers.timer)  # fmt: skip
    yield p
    p.close()
    assert not [t.name for t in threading.enumerate() if t.name.startswith(("feed ", "emit "))]


def key(ns: str, kind: ResourceKind = PODS) -> FeedKey:
    return FeedKey(kind, ns)


def test_pool_shares_a_feed_and_reattach_renders_at_once(sim: SimServer, pool: FeedPool) -> None:
    a, b = Recorder(), Recorder()
    sim.store.create(pod("one", "shared"))
    ha = pool.acquire(key("shared"), a.on_batch, a.on_status)
    first = a.reset()
    hb = pool.acquire(key("shared"), b.on_batch, b.on_status)
    assert hb.feed is ha.feed
    assert b.reset().upserts == first.upserts  # straight from the warm feed
    assert b.state("ready")
    sim.wait_for_watches(1)
    sim.store.create(pod("two", "shared"))
    for rec in (a, b):
        rec.wait(lambda i: isinstance(i, FeedBatch) and not i.reset)
    pool.release(ha)
    pool.release(ha)  # idempotent
    pool.release(hb)
    assert pool.idle() == [key("shared")] and pool.active() == []
    mark = sim.mark()
    c = Recorder()
    hc = pool.acquire(key("shared"), c.on_batch, c.on_status)
    assert hc.feed is ha.feed
    again = c.reset()
    assert {r.name for r in again.upserts} == {"one", "two"}
    assert c.state("ready")
    assert [r for r in sim.request_log if r.seq > mark] == []  # no new list, no new watch
    assert pool.idle() == [] and pool.active() == [key("shared")]


def test_pool_stops_idle_feeds_after_the_grace_period(pool: FeedPool, timers: FakeTimers) -> None:
    rec = Recorder()
    handle = pool.acquire(key("g"), rec.on_batch, rec.on_status)
    rec.reset()
    pool.release(handle)
    assert [t[0] - timers.now for t in timers.pending] == [30]
    timers.advance(29)
    assert pool.idle() == [key("g")] and not handle.feed.stopped
    timers.advance(1)
    assert pool.idle() == [] and pool.feed(key("g")) is None
    handle.feed.stop()  # joins
    assert not handle.feed.alive()
    assert rec.items[-1] != FeedStatus("stopped")  # a released subscriber hears nothing more


def test_pool_keeps_at_most_max_idle_feeds(pool: FeedPool, timers: FakeTimers) -> None:
    handles = {}
    for ns in ("a", "b", "c"):
        rec = Recorder()
        handles[ns] = pool.acquire(key(ns), rec.on_batch, rec.on_status)
        rec.reset()
    for ns in ("a", "b", "c"):
        pool.release(handles[ns])
        timers.advance(1)
    assert pool.idle() == [key("b"), key("c")]  # "a" was least recently used
    assert handles["a"].feed.stopped
    rec = Recorder()
    again = pool.acquire(key("b"), rec.on_batch, rec.on_status)
    assert again.feed is handles["b"].feed and rec.reset().reset
    assert pool.idle() == [key("c")]
    timers.advance(30)  # "c" has been idle 31 s, "b" is in use
    assert pool.idle() == [] and pool.active() == [key("b")]
    fresh = Recorder()
    new_a = pool.acquire(key("a"), fresh.on_batch, fresh.on_status)
    assert new_a.feed is not handles["a"].feed
    fresh.reset()
    for h in handles.values():
        h.feed.stop()
        assert not h.feed.alive() or h.feed is again.feed


def test_pool_close_stops_everything(pool: FeedPool) -> None:
    rec = Recorder()
    handle = pool.acquire(key("z"), rec.on_batch, rec.on_status)
    rec.reset()
    pool.close()
    assert rec.items[-1] == FeedStatus("stopped") and not handle.feed.alive()
    with pytest.raises(RuntimeError):
        pool.acquire(key("z"), rec.on_batch, rec.on_status)


def test_pool_retry_now_ends_every_backoff_wait(sim: SimServer, client: ClusterClient) -> None:
    told = Connection()
    pool = FeedPool(client, options=PATIENT, on_connection=told)
    try:
        sim.faults.status = 503
        a, b = Recorder(), Recorder()
        pool.acquire(key("one"), a.on_batch, a.on_status)
        pool.acquire(key("two"), b.on_batch, b.on_status)
        for rec in (a, b):
            assert rec.state("reconnecting").retry_in == 60
        told.wait([False, False])  # each feed speaks for itself
        marks = [a.mark(), b.mark()]
        sim.faults.status = None
        pool.retry_now()  # the cluster is back: nobody waits out a minute
        for rec, mark in zip((a, b), marks, strict=True):
            rec.reset(timeout=10)
            rec.state("ready", after=mark, timeout=10)
        told.wait([False, False, True, True])
    finally:
        pool.close()
