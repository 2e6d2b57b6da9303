"""What the feed and pool tests share: a subscriber that records its callbacks (`Recorder`),
an ``on_connection`` that records its calls (`Connection`), fast and patient feed tunings, and
a pod to create in the simulator."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kite_tui.core.kube.feed import Backoff, FeedBatch, FeedOptions, FeedRow, FeedStatus
from kite_tui.core.resources import BUILTIN

PODS = BUILTIN.resolve("pods")
assert PODS is not None

FAST = FeedOptions(backoff=Backoff(initial=0.01, maximum=0.05, jitter=0.0), forbidden_retry=60)
PATIENT = FeedOptions(backoff=Backoff(initial=60, maximum=60, jitter=0.0), forbidden_retry=60)


class Recorder:
    """Collects a subscriber's callbacks (from the emitter thread) and waits for them."""

    def __init__(self) -> None:
        self.items: list[FeedBatch | FeedStatus] = []
        self._cond = threading.Condition()

    def on_batch(self, batch: FeedBatch) -> None:
        self._add(batch)

    def on_status(self, status: FeedStatus) -> None:
        self._add(status)

    def _add(self, item: FeedBatch | FeedStatus) -> None:
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    @property
    def batches(self) -> list[FeedBatch]:
        with self._cond:
            return [i for i in self.items if isinstance(i, FeedBatch)]

    @property
    def statuses(self) -> list[FeedStatus]:
        with self._cond:
            return [i for i in self.items if isinstance(i, FeedStatus)]

    def wait(
        self, predicate: Callable[[Any], bool], timeout: float = 5.0, *, after: int = 0
    ) -> Any:
        """The first item at index ``after`` or later matching ``predicate`` (waits for it)."""
        with self._cond:
            found: list[Any] = []

            def check() -> bool:
                found[:] = [i for i in self.items[after:] if predicate(i)][:1]
                return bool(found)

            assert self._cond.wait_for(check, timeout), f"timed out; got {self.items!r:.2000}"
            return found[0]

    def state(self, state: str, *, after: int = 0, timeout: float = 5.0) -> FeedStatus:
        """The first status ``state`` among the items from index ``after`` on."""
        return self.wait(lambda i: isinstance(i, FeedStatus) and i.state == state, timeout,
                         after=after)  # fmt: skip

    def reset(self, nth: int = 1, timeout: float = 5.0) -> FeedBatch:
        """The ``nth`` reset batch."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: sum(isinstance(i, FeedBatch) and i.reset for i in self.items) >= nth,
                timeout,
            )
            assert ok, f"no reset batch #{nth}; got {self.items!r:.2000}"
            return [i for i in self.items if isinstance(i, FeedBatch) and i.reset][nth - 1]

    def rows(self) -> dict[str, FeedRow]:
        """The rows a view would show after applying every batch so far."""
        rows: dict[str, FeedRow] = {}
        for b in self.batches:
            if b.reset:
                rows = {}
            for r in b.upserts:
                rows[r.key] = r
            for k in b.deletes:
                rows.pop(k, None)
        return rows

    def mark(self) -> int:
        with self._cond:
            return len(self.items)


class Connection:
    """Collects a feed's on_connection calls."""

    def __init__(self) -> None:
        self.calls: list[bool] = []
        self.unanswered: list[str | None] = []
        self._cond = threading.Condition()

    def __call__(self, connected: bool, unanswered: str | None) -> None:
        with self._cond:
            self.calls.append(connected)
            self.unanswered.append(unanswered)
            self._cond.notify_all()

    def wait(self, calls: list[bool], timeout: float = 10.0) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: self.calls[: len(calls)] == calls, timeout)
            assert ok, f"connection calls {self.calls}, wanted {calls}"


def pod(name: str, ns: str = "default", **labels: str) -> dict[str, Any]:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"nodeName": "worker-01", "containers": [{"name": "c", "image": "busybox"}]},
        "status": {"phase": "Running"},
    }
