"""`FeedPool`: the resource feeds of one cluster, shared by key and kept warm for a while.

This module owns feed lifetime across views: a view acquires the feed for a `FeedKey` (a
second view of the same key shares it; a view coming back to a recently left key gets its
rows at once), releases it when it goes away, and the pool stops feeds nobody has watched
for a grace period, keeping at most a few idle ones (least recently used go first).

The pool is also where a cluster's health meets its feeds: ``on_connection`` hears when any
of them loses or regains the server, and `FeedPool.retry_now` sends them all back to it
at once (the cluster is known to be back: no feed should sit out its backoff).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kite_tui.core.kube.feed import (
    BatchCallback,
    ConnectionCallback,
    FeedOptions,
    ResourceFeed,
    StatusCallback,
)
from kite_tui.core.kube.tables import FeedKey

if TYPE_CHECKING:
    from kite_tui.core.kube.client import ClusterClient

__all__ = ["FeedHandle", "FeedPool"]


@dataclass(eq=False)
class FeedHandle:
    """What `FeedPool.acquire` returns: pass it back to `FeedPool.release`."""

    key: FeedKey
    feed: ResourceFeed
    token: object
    released: bool = False


class _Timer:
    def __init__(self, delay: float, fn: Callable[[], None]) -> None:
        self._t = threading.Timer(delay, fn)
        self._t.daemon = True
        self._t.start()

    def cancel(self) -> None:
        self._t.cancel()


class FeedPool:
    """The feeds of one cluster client, shared by key.

    A feed whose last subscriber left keeps running for ``grace`` seconds so a view the
    user comes back to renders at once; at most ``max_idle`` such feeds are kept (least
    recently used stopped first). ``on_connection`` is given to every feed (see
    `ResourceFeed`). ``clock`` (monotonic seconds) and ``timer(delay, fn)`` (returns an
    object with ``cancel()``) are injectable for tests. Thread-safe.
    """

    def __init__(
        self,
        client: ClusterClient,
        *,
        grace: float = 30.0,
        max_idle: int = 8,
        options: FeedOptions | None = None,
        on_connection: ConnectionCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
        timer: Callable[[float, Callable[[], None]], Any] = _Timer,
    ) -> None:
        self.client = client
        self.grace = grace
        self.max_idle = max_idle
        self.options = options
        self._on_connection = on_connection
        self._clock = clock
        self._timer_factory = timer
        self._timer: Any = None
        self._lock = threading.Lock()
        self._feeds: dict[FeedKey, ResourceFeed] = {}
        self._users: dict[FeedKey, int] = {}
        self._idle: OrderedDict[FeedKey, float] = OrderedDict()  # key -> idle since
        self._closed = False

    def acquire(
        self, key: FeedKey, on_batch: BatchCallback, on_status: StatusCallback
    ) -> FeedHandle:
        """Subscribe to the feed for ``key``, starting it if needed. A warm feed hands the
        new subscriber its current rows (reset batch) and status straight away."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the feed pool is closed")
            feed = self._feeds.get(key)
            if feed is None or feed.stopped:
                feed = ResourceFeed(
                    self.client, key, options=self.options, on_connection=self._on_connection
                )
                self._feeds[key] = feed
                self._users[key] = 0
            self._idle.pop(key, None)
            self._users[key] += 1
            token = feed.subscribe(on_batch, on_status)
            feed.start()
        return FeedHandle(key, feed, token)

    def release(self, handle: FeedHandle) -> None:
        """Unsubscribe (idempotent). The feed stays warm for the grace period."""
        doomed: list[ResourceFeed] = []
        with self._lock:
            if handle.released:
                return
            handle.released = True
            handle.feed.unsubscribe(handle.token)
            key = handle.key
            if self._feeds.get(key) is not handle.feed:
                return  # already evicted or replaced
            self._users[key] -= 1
            if self._users[key] > 0:
                return
            self._idle[key] = self._clock()
            while len(self._idle) > self.max_idle:
                old, _ = self._idle.popitem(last=False)
                doomed.append(self._forget(old))
            self._schedule()
        for feed in doomed:
            feed.stop(wait=False)

    def retry_now(self) -> None:
        """Cut every feed's backoff wait short (its cluster is reachable again)."""
        with self._lock:
            feeds = list(self._feeds.values())
        for feed in feeds:
            feed.retry_now()

    def sweep(self) -> None:
        """Stop the feeds idle for longer than the grace period (the timer calls this)."""
        doomed: list[ResourceFeed] = []
        with self._lock:
            self._timer = None
            now = self._clock()
            while self._idle:
                key, since = next(iter(self._idle.items()))
                if now - since < self.grace:
                    break
                del self._idle[key]
                doomed.append(self._forget(key))
            self._schedule()
        for feed in doomed:
            feed.stop(wait=False)

    def _forget(self, key: FeedKey) -> ResourceFeed:
        self._users.pop(key, None)
        return self._feeds.pop(key)

    def _schedule(self) -> None:
        # One timer at a time, for the oldest idle feed: later ones are due later.
        if self._timer is not None or not self._idle or self._closed:
            return
        since = next(iter(self._idle.values()))
        delay = max(0.0, since + self.grace - self._clock())
        self._timer = self._timer_factory(delay, self.sweep)

    def close(self, timeout: float = 1.0) -> None:
        """Stop every feed: all signalled first, then joined within ``timeout`` in all."""
        with self._lock:
            self._closed = True
            feeds = list(self._feeds.values())
            self._feeds.clear()
            self._users.clear()
            self._idle.clear()
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        for feed in feeds:
            feed.stop(wait=False)
        deadline = time.monotonic() + timeout
        for feed in feeds:
            feed.stop(timeout=max(0.0, deadline - time.monotonic()))

    # ------------------------------------------------------------- introspection
    def active(self) -> list[FeedKey]:
        """Keys of feeds with at least one subscriber."""
        with self._lock:
            return [k for k, n in self._users.items() if n > 0]

    def idle(self) -> list[FeedKey]:
        """Keys of warm feeds without subscribers, least recently used first."""
        with self._lock:
            return list(self._idle)

    def feed(self, key: FeedKey) -> ResourceFeed | None:
        with self._lock:
            return self._feeds.get(key)
