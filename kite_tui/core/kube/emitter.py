"""The delivering half of a `ResourceFeed`: its emitter thread, delivered state and subscribers.

The feed's loop thread (which lists and watches) hands this module what it read, in order:
events, bookmarks, complete lists, statuses. `FeedEmitter` owns everything from there on:
it coalesces watch events over a short window (the last event for a key wins), applies them
to the rows as delivered, and calls the subscribers, one thread, in order, so statuses,
reset batches and event batches are never reordered. A new subscriber first gets the
current rows as a reset batch and the current status. A window closes on time because this
thread never blocks in a socket read (the loop does).

No Textual import here: the core stays usable headless.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, assert_never

from kite_tui.core.kube.tables import FeedBatch, FeedColumn, FeedKey, FeedRow, FeedState, FeedStatus

__all__ = ["BatchCallback", "FeedEmitter", "StatusCallback"]

log = logging.getLogger(__name__)

BatchCallback = Callable[[FeedBatch], None]
StatusCallback = Callable[[FeedStatus], None]


class _Window:
    """Watch events waiting to go out as one batch (emitter thread only)."""

    __slots__ = ("columns", "count", "deadline", "rows", "rv")

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.rows: dict[str, FeedRow | None] = {}  # key -> last row, None for a delete
        self.columns: tuple[FeedColumn, ...] | None = None
        self.count = 0
        self.deadline: float | None = None
        self.rv = ""


@dataclass(eq=False)
class _Subscriber:
    on_batch: BatchCallback
    on_status: StatusCallback
    active: bool = True  # False once unsubscribed, even if its _Attach is still queued


# What the loop thread (and the public methods) hand to the emitter thread, in order.
@dataclass(frozen=True, slots=True)
class _Events:
    """The watch events of one network read, in order: ``(deleted, row)``."""

    events: list[tuple[bool, FeedRow]]
    rv: str
    columns: tuple[FeedColumn, ...] | None  # only when the Table's columns changed


@dataclass(frozen=True, slots=True)
class _Bookmark:
    """A newer resourceVersion with nothing to show (bookmarks, events that made no row)."""

    rv: str


@dataclass(frozen=True, slots=True)
class _Reset:
    """A complete list: it replaces the rows and whatever events were still pending."""

    columns: tuple[FeedColumn, ...]
    rows: dict[str, FeedRow]
    rv: str


@dataclass(frozen=True, slots=True)
class _Status:
    status: FeedStatus


@dataclass(frozen=True, slots=True)
class _Attach:
    subscriber: _Subscriber


@dataclass(frozen=True, slots=True)
class _Stop:
    """The last item: deliver "stopped" and end the emitter."""


_Item = _Events | _Bookmark | _Reset | _Status | _Attach | _Stop


class FeedEmitter:
    """One feed's delivery thread and delivered state; see the module docstring.

    The loop thread calls `events`, `bookmark`, `reset` and `status`; anyone may call
    `subscribe`, `unsubscribe` and `close`. Each returns at once: the work happens on the
    emitter thread (named ``emit <name>``)."""

    def __init__(self, key: FeedKey, name: str, *, batch_window: float, batch_max: int) -> None:
        self.key = key
        self._window_s = batch_window
        self._batch_max = batch_max
        self.thread = threading.Thread(target=self._emit, name=f"emit {name}", daemon=True)
        self._inbox: deque[_Item] = deque()
        self._cond = threading.Condition()
        self._closed = False  # no more inbox items after the stop sentinel
        self._rows_lock = threading.Lock()
        self._rows: dict[str, FeedRow] = {}
        self._columns: tuple[FeedColumn, ...] = ()
        self._listed = False
        self._delivered_rv = ""
        self._status = FeedStatus(FeedState.LOADING)
        self._subscribers: tuple[_Subscriber, ...] = ()

    # ------------------------------------------------------------------ public
    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        """Deliver "stopped" after everything already handed over, then end (idempotent).
        Never started: the status is "stopped" at once."""
        with self._cond:
            if not self._closed:
                self._inbox.append(_Stop())
                self._closed = True
                self._cond.notify()
        if self.thread.ident is None:  # never started
            self._status = FeedStatus(FeedState.STOPPED)

    def events(
        self, events: list[tuple[bool, FeedRow]], rv: str, columns: tuple[FeedColumn, ...] | None
    ) -> None:
        """The watch events of one read, in order: ``(deleted, row)``; ``columns`` only when
        the Table's columns changed."""
        self._push(_Events(events, rv, columns))

    def bookmark(self, rv: str) -> None:
        """A newer resourceVersion with nothing to show."""
        self._push(_Bookmark(rv))

    def reset(self, columns: tuple[FeedColumn, ...], rows: dict[str, FeedRow], rv: str) -> None:
        """A complete list: it replaces the rows and whatever events were still pending."""
        self._push(_Reset(columns, rows, rv))

    def status(self, status: FeedStatus) -> None:
        self._push(_Status(status))

    def subscribe(self, on_batch: BatchCallback, on_status: StatusCallback) -> object:
        """Add a subscriber; it gets a reset batch of the current rows (once the first list
        has arrived) and the current status, on the emitter thread, before anything else.
        Returns a token for `unsubscribe`."""
        sub = _Subscriber(on_batch, on_status)
        if not self._push(_Attach(sub)):
            on_status(FeedStatus(FeedState.STOPPED))
        return sub

    def unsubscribe(self, token: object) -> None:
        """No callbacks for this subscriber from now on (one in flight may still finish)."""
        with self._cond:
            if isinstance(token, _Subscriber):
                token.active = False
            self._subscribers = tuple(s for s in self._subscribers if s is not token)

    def rows(self) -> dict[str, FeedRow]:
        """A copy of the rows as last delivered (key -> row)."""
        with self._rows_lock:
            return dict(self._rows)

    @property
    def columns(self) -> tuple[FeedColumn, ...]:
        return self._columns

    @property
    def delivered_status(self) -> FeedStatus:
        """The status as last delivered."""
        return self._status

    def _push(self, item: _Item) -> bool:
        with self._cond:
            if self._closed:
                return False
            self._inbox.append(item)
            self._cond.notify()
            return True

    # --------------------------------------------------------- emitter thread
    def _emit(self) -> None:
        span, most = self._window_s, self._batch_max
        w = _Window()
        while True:
            with self._cond:
                while not self._inbox:
                    if w.deadline is None:
                        self._cond.wait()
                        continue
                    timeout = w.deadline - time.monotonic()
                    if timeout <= 0:
                        break
                    self._cond.wait(timeout)
                items = list(self._inbox)
                self._inbox.clear()
            for item in items:
                if isinstance(item, _Status | _Attach | _Stop) and w.deadline is not None:
                    self._flush(w, w.rv)  # statuses must not overtake earlier events
                match item:
                    case _Events(events, rv, columns):
                        if w.deadline is None:
                            w.deadline = time.monotonic() + span
                        if columns is not None:
                            w.columns = columns
                        for deleted, row in events:
                            # The last event for a key wins; None marks a delete.
                            w.rows[row.key] = None if deleted else row
                            w.count += 1
                            if w.count >= most:
                                self._flush(w, row.resource_version or rv)
                                w.deadline = time.monotonic() + span
                        w.rv = rv
                    case _Bookmark(rv):
                        # Nothing to show; later batches report the new version.
                        if w.deadline is None:
                            self._delivered_rv = rv
                        else:
                            w.rv = rv
                    case _Reset(columns, rows, rv):
                        w.clear()  # a re-list supersedes whatever events were still pending
                        self._reset(columns, rows, rv)
                    case _Status(status):
                        self._status = status
                        for sub in self._subscribers:
                            self._call(sub.on_status, status)
                    case _Attach(subscriber):
                        self._attach(subscriber)
                    case _Stop():
                        self._status = FeedStatus(FeedState.STOPPED)
                        for sub in self._subscribers:
                            self._call(sub.on_status, self._status)
                        return
                    case _:
                        assert_never(item)
            if w.deadline is not None and time.monotonic() >= w.deadline:
                self._flush(w, w.rv)

    def _reset(self, columns: tuple[FeedColumn, ...], rows: dict[str, FeedRow], rv: str) -> None:
        with self._rows_lock:
            self._rows = rows
        self._columns, self._listed, self._delivered_rv = columns, True, rv
        batch = FeedBatch(self.key, True, columns, tuple(rows.values()), (), rv, len(rows))
        for sub in self._subscribers:
            self._call(sub.on_batch, batch)

    def _flush(self, w: _Window, rv: str) -> None:
        """Apply the window to the delivered rows, deliver what changed, clear the window."""
        upserts: list[FeedRow] = []
        deletes: list[str] = []
        with self._rows_lock:
            rows = self._rows
            for key, row in w.rows.items():
                if row is not None:
                    rows[key] = row
                    upserts.append(row)
                elif rows.pop(key, None) is not None:
                    deletes.append(key)
                # else: added and deleted inside one window: it never existed for us
            total = len(rows)
        columns = w.columns
        w.clear()
        if columns is not None:
            self._columns = columns
        self._delivered_rv = rv
        if not upserts and not deletes and columns is None:
            return
        batch = FeedBatch(self.key, False, columns, tuple(upserts), tuple(deletes), rv, total)
        for sub in self._subscribers:
            self._call(sub.on_batch, batch)

    def _attach(self, sub: _Subscriber) -> None:
        with self._cond:
            if not sub.active or sub in self._subscribers:
                return  # released before it was attached
            self._subscribers = (*self._subscribers, sub)
        if self._listed:
            rows = self.rows()
            batch = FeedBatch(
                self.key,
                True,
                self._columns,
                tuple(rows.values()),
                (),
                self._delivered_rv,
                len(rows),
            )
            self._call(sub.on_batch, batch)
        self._call(sub.on_status, self._status)

    def _call(self, fn: Callable[[Any], None], arg: object) -> None:
        try:
            fn(arg)
        except Exception:  # a broken subscriber must not take the feed down
            log.exception("feed %s: subscriber callback failed", self.key)
