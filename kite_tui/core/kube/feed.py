"""Live resource tables: one list+watch loop per (cluster, kind, namespace, selector).

This module owns `ResourceFeed`, which keeps one resource collection in sync with the
server and hands out batched row changes, its tuning (`FeedOptions`, `Backoff`) and its
loop thread. The values it delivers and the Table decoding live in
`kite_tui.core.kube.tables`; its emitter thread and delivered state in
`kite_tui.core.kube.emitter`; sharing feeds between views is
`kite_tui.core.kube.pool.FeedPool`. All of them are importable from here.

Rows are the server-side Table that ``kubectl get`` prints, so the columns are kubectl's
for every kind, custom resources included. Everything is read as raw JSON: the client's
typed models are several times slower.

Each feed runs two daemon threads. The *loop* thread lists, watches, resumes from the last
resourceVersion, re-lists when that version means nothing to the server any more and backs
off on errors; it blocks in socket reads. As client-go's reflector, it re-lists on 410 Gone
and on the 504 "Too large resource version" (a server that has not reached the version:
it restarted with its versions started over, or was rebuilt behind the same address), and
also when the server sends a version older than the one the watch started from (a server
without a watch cache accepts the watch and shows the restart that way).
The *emitter* thread (`FeedEmitter`) owns the delivered state: it coalesces watch events
over a short window and calls the subscribers' callbacks. They are separate so that a
window closes on time while the loop is blocked in a read, and so that decoding (loop) and
delivery (emitter) overlap. Every callback runs on the emitter thread, in order: statuses, reset
batches and event batches are never reordered. Callbacks must be quick and must not block
(the app posts a Textual message and returns).

A feed also tells its owner when it loses and regains the server (``on_connection``, on
the loop thread), so the cluster's health can be probed at once rather than at the next
resync. A silent watch is not trusted for long: a read that hears nothing within the idle
timeout is re-established, so a dead link shows up as a failed reconnect. A 404 is final:
the server does not serve the kind, and asking again will not change that. A kind that can
be listed but not watched (componentstatuses, metrics.k8s.io) is polled: listed again every
``poll_interval``, each list a reset batch.

No Textual import here: the core stays usable headless.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import urllib3
from kubernetes.client.exceptions import ApiException

from kite_tui.core.kube.emitter import BatchCallback, FeedEmitter, StatusCallback
from kite_tui.core.kube.errors import ApiStatus, classify_error, parse_status, status_message
from kite_tui.core.kube.stream import line_batches
from kite_tui.core.kube.tables import (
    NAMESPACE_COLUMN,
    TABLE_ACCEPT,
    FeedBatch,
    FeedColumn,
    FeedKey,
    FeedRow,
    FeedState,
    FeedStatus,
    TableDecoder,
    include_object,
)

if TYPE_CHECKING:
    from kite_tui.core.kube.client import ClusterClient
    from kite_tui.core.kube.pool import FeedHandle, FeedPool

__all__ = [
    "NAMESPACE_COLUMN",
    "TABLE_ACCEPT",
    "Backoff",
    "BatchCallback",
    "ConnectionCallback",
    "FeedBatch",
    "FeedColumn",
    "FeedHandle",
    "FeedKey",
    "FeedOptions",
    "FeedPool",
    "FeedRow",
    "FeedState",
    "FeedStatus",
    "ResourceFeed",
    "StatusCallback",
]

log = logging.getLogger(__name__)


def __getattr__(name: str) -> Any:
    # FeedPool lives in pool.py, which imports this module; re-export it lazily (PEP 562).
    if name in ("FeedPool", "FeedHandle"):
        from kite_tui.core.kube import pool

        return getattr(pool, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with jitter: ``initial * factor**(attempt-1)`` up to
    ``maximum``, less up to ``jitter`` of it at random (so feeds of a restarted server do
    not reconnect in lockstep)."""

    initial: float = 0.5
    maximum: float = 30.0
    factor: float = 2.0
    jitter: float = 0.2
    random: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, attempt: int) -> float:
        base = min(self.maximum, self.initial * self.factor ** max(attempt - 1, 0))
        return base * (1.0 - self.jitter * self.random())


@dataclass(frozen=True)
class FeedOptions:
    """Tuning; the defaults suit a TUI.

    ``page_size``: ``limit`` of each list page (None: one request). Measured on 10,000
    pods (by the former benchmarks/feed_list.py), pages of 500 to 5,000 deliver the reset
    batch ~15% sooner than one request (a smaller JSON document alive at a time means fewer
    full garbage collections) and bound the memory peak; 5,000 keeps the extra round trips
    over a slow link to one per 5,000 objects.
    ``watch_timeout``: the server's timeoutSeconds is drawn from [t, 2t) like client-go.
    ``idle_timeout``: how long a watch may stay silent (no event, no bookmark) before we
    stop trusting it and watch again from the same resourceVersion (None: the client's
    request timeout). A live server answers the new watch at once and nothing shows; a
    blackholed one does not, and that failed reconnect reports it.
    ``forbidden_retry``: the least wait after 401/403 (credentials rarely fix themselves).
    ``quiet_end``: a watch that ends normally sooner than this, having received nothing,
    counts as a failure for the backoff (a proxy that closes watches at once must not make
    us spin).
    ``poll_interval``: how often a kind without ``watch`` is listed again.
    """

    batch_window: float = 0.05
    batch_max: int = 1000
    page_size: int | None = 5000
    watch_timeout: float = 60.0
    idle_timeout: float | None = None
    backoff: Backoff = field(default_factory=Backoff)
    forbidden_retry: float = 30.0
    quiet_end: float = 1.0
    poll_interval: float = 5.0


class _Gone(Exception):
    """410, or 504 "Too large resource version": the resourceVersion (or continue token)
    means nothing to the server any more; re-list."""


_TOO_LARGE = "Too large resource version"


def _too_large(body: Any) -> bool:
    """Whether a failure (an error body, or a watch ERROR event's object) is the 504 "Too
    large resource version" a server answers a version it has not reached with. Read as
    client-go's isTooLargeResourceVersionError reads it: the ResourceVersionTooLarge cause,
    else a Timeout with that cause message, else that text in the message (old servers)."""
    doc: Any = body
    if not isinstance(doc, dict):
        try:
            doc = json.loads(body or b"")
        except (TypeError, ValueError):
            return False
        if not isinstance(doc, dict):
            return False
    details = doc.get("details")
    causes = details.get("causes") if isinstance(details, dict) else None
    causes = [c for c in causes if isinstance(c, dict)] if isinstance(causes, list) else []
    if any(c.get("reason") == "ResourceVersionTooLarge" for c in causes):
        return True
    if doc.get("reason") != "Timeout" and doc.get("code") != 504:
        return False
    message = doc.get("message")
    return any(c.get("message") == _TOO_LARGE for c in causes) or (
        isinstance(message, str) and _TOO_LARGE in message
    )


def _older(rv: str, than: str) -> bool:
    """Whether resourceVersion ``rv`` is older than ``than``. Versions are opaque to
    clients; only two decimal ones (every etcd-backed server's) are compared."""
    return rv.isdigit() and than.isdigit() and int(rv) < int(than)


class _Stopped(Exception):
    """The feed is stopping; unwind."""


def _set_read_timeout(resp: Any, seconds: float) -> None:
    """Change the socket timeout of a response whose headers are in (urllib3 applies its
    read timeout to each socket read, headers included, and never resets it)."""
    sock = getattr(getattr(resp, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(seconds)
    else:  # pragma: no cover - urllib3 1.26 and 2.x both expose the connection
        log.warning("cannot lengthen the watch read timeout; quiet watches will reconnect")


# -------------------------------------------------------------------------------- feed
ConnectionCallback = Callable[[bool, "str | None"], None]
"""``(connected, unanswered)``: False when a feed loses the server, True when it has it
again. ``unanswered`` is the error when the server did not answer at all within the
client's timeout: evidence enough to call the cluster unreachable before a probe says so."""


class ResourceFeed:
    """One collection kept in sync with the server; see the module docstring.

    ``start()`` begins listing; ``stop()`` ends it promptly. Callbacks (``on_batch``,
    ``on_status`` here or via ``subscribe``) run on the feed's emitter thread;
    ``on_connection`` runs on the loop thread, once per change (lost, regained).
    """

    def __init__(
        self,
        client: ClusterClient,
        key: FeedKey,
        on_batch: BatchCallback | None = None,
        on_status: StatusCallback | None = None,
        *,
        options: FeedOptions | None = None,
        on_connection: ConnectionCallback | None = None,
    ) -> None:
        self.client = client
        self.key = key
        self.options = options or FeedOptions()
        self._on_connection = on_connection
        self._connected = True  # False from a failure to reach the server to a success
        self._decoder = TableDecoder(key)
        self._rv = ""
        name = f"{client.name}:{key}"
        self._loop_thread = threading.Thread(target=self._loop, name=f"feed {name}", daemon=True)
        self._emitter = FeedEmitter(
            key, name, batch_window=self.options.batch_window, batch_max=self.options.batch_max
        )
        self._started = False
        self._stopping = threading.Event()
        self._wake = threading.Event()  # interrupts a backoff wait (retry_now, stop)
        self._resp_lock = threading.Lock()
        self._resp: Any = None  # the response being read, so stop() can shut it down
        self._pushed_status: FeedStatus | None = None
        if on_batch is not None or on_status is not None:
            self.subscribe(on_batch or (lambda b: None), on_status or (lambda s: None))

    # ------------------------------------------------------------------ public
    def start(self) -> ResourceFeed:
        if not self._started:
            self._started = True
            self._emitter.start()
            self._loop_thread.start()
        return self

    def stop(self, *, wait: bool = True, timeout: float = 1.0) -> None:
        """Stop both threads and deliver status "stopped" (idempotent).

        A response being read is shut down from here, so this returns at once even while
        the loop is blocked in a read. A request still waiting for its headers cannot be
        interrupted: then the join gives up after ``timeout`` and the daemon thread ends,
        silently, when the header wait times out (the client's timeout)."""
        with self._resp_lock:
            self._stopping.set()
            resp = self._resp
        self._wake.set()
        if resp is not None:
            with contextlib.suppress(Exception):  # already released or closed: fine
                resp.shutdown()
        self._emitter.close()
        if not self._started:
            return
        if wait:
            deadline = time.monotonic() + timeout
            for t in (self._loop_thread, self._emitter.thread):
                if t is not threading.current_thread():
                    t.join(max(0.0, deadline - time.monotonic()))

    @property
    def stopped(self) -> bool:
        return self._stopping.is_set()

    def alive(self) -> bool:
        """Whether either thread still runs (for leak checks)."""
        return self._loop_thread.is_alive() or self._emitter.thread.is_alive()

    def retry_now(self) -> None:
        """Cut a backoff wait short (the user asked to retry)."""
        self._wake.set()

    def subscribe(self, on_batch: BatchCallback, on_status: StatusCallback) -> object:
        """Add a subscriber; it gets a reset batch of the current rows (once the first list
        has arrived) and the current status, on the emitter thread, before anything else.
        Returns a token for `unsubscribe`."""
        return self._emitter.subscribe(on_batch, on_status)

    def unsubscribe(self, token: object) -> None:
        """No callbacks for this subscriber from now on (one in flight may still finish)."""
        self._emitter.unsubscribe(token)

    def rows(self) -> dict[str, FeedRow]:
        """A copy of the rows as last delivered (key -> row)."""
        return self._emitter.rows()

    @property
    def columns(self) -> tuple[FeedColumn, ...]:
        return self._emitter.columns

    @property
    def status(self) -> FeedStatus:
        """The status as last delivered."""
        return self._emitter.delivered_status

    @property
    def resource_version(self) -> str:
        """The latest resourceVersion the loop has seen (list, event or bookmark)."""
        return self._rv

    def __repr__(self) -> str:
        return f"<ResourceFeed {self.client.name} {self.key} {self.status.state}>"

    # ------------------------------------------------------------ loop thread
    def _loop(self) -> None:
        opts = self.options
        failures = 0
        need_list = True
        while not self._stopping.is_set():
            delay: float | None = None
            try:
                if need_list:
                    self._list()
                    need_list = False
                    failures = 0
                if not self.key.kind.watchable:
                    # Nothing to watch (componentstatuses): list again after a while.
                    need_list, delay = True, opts.poll_interval
                else:
                    started = time.monotonic()
                    ended, heard = self._watch()
                    if heard:
                        failures = 0
                    if ended == "expired":
                        need_list = True
                    elif ended == "idle":
                        pass  # silent for too long: watch again at once (not a failure yet)
                    elif not heard and time.monotonic() - started < opts.quiet_end:
                        failures += 1
                        delay = opts.backoff.delay(failures)
            except _Stopped:
                break
            except _Gone:
                # A continue token expired mid-list, or the watch request was refused its
                # version: list again at once, but do not spin if the server keeps doing it.
                need_list = True
                failures += 1
                if failures > 2:
                    delay = opts.backoff.delay(failures - 2)
            except Exception as exc:  # classified here; the loop must never die
                if self._stopping.is_set():
                    break
                if isinstance(exc, ApiException) and exc.status == 404:
                    # The server does not serve this kind (or its CRD is gone): final.
                    what = self.key.kind.display
                    self._push_status(
                        FeedStatus(FeedState.UNSERVED, f"this server does not serve {what}")
                    )
                    break
                failures += 1
                delay = opts.backoff.delay(failures)
                if isinstance(exc, ApiException) and exc.status in (401, 403):
                    delay = max(delay, opts.forbidden_retry)
                    state = FeedState.FORBIDDEN if exc.status == 403 else FeedState.ERROR
                    prefix = "401 Unauthorized: " if exc.status == 401 else ""
                    msg = prefix + status_message(exc)
                    # Rows may be stale by the time access returns: list afresh.
                    need_list = True
                else:
                    state, msg = FeedState.RECONNECTING, _describe(exc, self.client.server)
                if state != FeedState.FORBIDDEN:  # a 403 is about this kind, not the connection
                    self._set_connected(False, msg if _timed_out(exc) else None)
                self._push_status(FeedStatus(state, msg, failures, delay))
            if delay is not None and not self._stopping.is_set():
                self._wake.wait(delay)
                self._wake.clear()
        self._release_response()

    def _set_connected(self, connected: bool, unanswered: str | None = None) -> None:
        if connected == self._connected:
            return
        self._connected = connected
        if self._on_connection is not None:
            try:
                self._on_connection(connected, unanswered)
            except Exception:  # the owner's problem must not end the loop
                log.exception("feed %s: connection callback failed", self.key)

    def _request(self, query: list[tuple[str, Any]], timeout: tuple[float, float]) -> Any:
        resp = self.client.request(
            self.key.kind.api_path(self.key.namespace), query, accept=TABLE_ACCEPT, timeout=timeout
        )
        with self._resp_lock:
            stopping = self._stopping.is_set()
            if not stopping:
                self._resp = resp
        if stopping:
            with contextlib.suppress(Exception):
                resp.close()
            raise _Stopped
        return resp

    def _release_response(self, *, reuse: bool = False) -> None:
        with self._resp_lock:
            resp, self._resp = self._resp, None
        if resp is None:
            return
        with contextlib.suppress(Exception):
            if not reuse:
                resp.close()  # a half-read response must not go back to the pool
            resp.release_conn()

    def _base_query(self) -> list[tuple[str, Any]]:
        q: list[tuple[str, Any]] = [("includeObject", include_object(self.key.kind))]
        if self.key.label_selector:
            q.append(("labelSelector", self.key.label_selector))
        if self.key.field_selector:
            q.append(("fieldSelector", self.key.field_selector))
        return q

    def _list(self) -> None:
        rows: dict[str, FeedRow] = {}
        rv = ""
        token: str | None = None
        first = True
        while True:
            query = self._base_query()
            if self.options.page_size:
                query.append(("limit", str(self.options.page_size)))
            if token:
                query.append(("continue", token))
            try:
                resp = self._request(query, self.client.request_timeout)
                try:
                    body = resp.data
                except Exception:
                    self._release_response()
                    raise
                self._release_response(reuse=True)
            except ApiException as exc:
                if exc.status == 410 or _too_large(exc.body):
                    raise _Gone from exc  # continue token expired mid-list: start over
                raise
            if self._stopping.is_set():
                raise _Stopped
            doc = json.loads(body)
            meta = doc.get("metadata") or {}
            if first:
                # Every page carries the first page's resourceVersion; take the first.
                rv, first = str(meta.get("resourceVersion") or ""), False
            for row in self._decoder.decode(doc):
                rows[row.key] = row
            token = meta.get("continue") or None
            if not token:
                break
        if _older(rv, self._rv):
            # Nothing of the old state is kept (the rows are replaced below); say why.
            log.info("feed %s: the server's versions went back (%s after %s): restarted",
                     self.key, rv, self._rv)  # fmt: skip
        self._rv = rv
        columns = self._decoder.columns or ()
        self._emitter.reset(columns, rows, rv)
        self._push_status(FeedStatus(FeedState.READY))
        self._set_connected(True)

    def _watch(self) -> tuple[str, bool]:
        """Watch from the last resourceVersion until the stream ends.

        Returns ("ended" | "expired" | "idle", whether anything arrived); "idle" when a
        read heard nothing within the idle timeout; "expired" when the version means nothing
        to the server any more (410, 504 too large, or the server sent an older one: it
        restarted with its versions started over): re-list. Raises on HTTP errors, dropped
        connections, timeouts waiting for the headers and other ERROR events.
        """
        opts = self.options
        timeout_s = int(opts.watch_timeout * (1.0 + random.random()))
        query = self._base_query() + [
            ("watch", "1"),
            ("resourceVersion", self._rv),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", str(timeout_s)),
        ]
        # The headers must come within the client's timeout (a blackholed server is noticed
        # as soon as for any request); then each read may stay quiet for the idle timeout.
        try:
            resp = self._request(query, self.client.request_timeout)
        except ApiException as exc:
            if exc.status == 410 or _too_large(exc.body):
                raise _Gone from exc
            raise
        idle = opts.idle_timeout if opts.idle_timeout is not None else self.client.timeout
        _set_read_timeout(resp, idle)
        self._wake.clear()  # healthy again: an old retry_now() must not skip a future wait
        self._push_status(FeedStatus(FeedState.READY))
        self._set_connected(True)
        heard = False
        decoder = self._decoder
        since = self._rv
        try:
            for lines in line_batches(resp):
                events: list[tuple[bool, FeedRow]] = []
                columns: tuple[FeedColumn, ...] | None = None
                rv = self._rv
                for line in lines:
                    if not line.strip():
                        continue  # not an event
                    heard = True
                    ev = json.loads(line)
                    kind, obj = ev.get("type"), ev.get("object") or {}
                    if kind == "ERROR":
                        self._rv = rv
                        if events:
                            self._emitter.events(events, rv, columns)
                        status = parse_status(obj) or ApiStatus()
                        if status.code == 410 or _too_large(obj):
                            return "expired", heard
                        raise ApiException(status=status.code or 500, reason=status.message)
                    obj_rv = (obj.get("metadata") or {}).get("resourceVersion")
                    if kind != "BOOKMARK":
                        before = decoder.columns
                        rows = decoder.decode(obj)
                        if decoder.columns is not before:
                            columns = decoder.columns
                        deleted = kind == "DELETED"
                        events.extend((deleted, r) for r in rows)
                        if rows and rows[-1].resource_version:
                            obj_rv = rows[-1].resource_version
                    if obj_rv:
                        rv = str(obj_rv)
                        if _older(rv, since):
                            # Not an event of the collection we hold: re-list (the events
                            # of this read belong to the new server's, which the list has).
                            log.info("feed %s: watch from %s sent version %s: restarted",
                                     self.key, since, rv)  # fmt: skip
                            return "expired", heard
                self._rv = rv
                if events or columns:
                    self._emitter.events(events, rv, columns)
                elif rv:
                    self._emitter.bookmark(rv)
            self._release_response(reuse=True)
            return "ended", heard
        except (TimeoutError, urllib3.exceptions.ReadTimeoutError):
            if self._stopping.is_set():
                raise _Stopped from None
            return "idle", heard  # the response is closed below, never reused
        finally:
            self._release_response()

    def _push_status(self, status: FeedStatus) -> None:
        if status != self._pushed_status:
            self._pushed_status = status
            self._emitter.status(status)


def _timed_out(exc: BaseException) -> bool:
    """Whether the server did not answer at all within the timeout (not a refusal, not a
    connection cut mid-stream, not an error status)."""
    cause: BaseException | None = exc
    for _ in range(10):
        if cause is None:
            break
        if isinstance(cause, TimeoutError | urllib3.exceptions.TimeoutError):
            return True
        reason = getattr(cause, "reason", None)  # urllib3 wraps the cause in .reason
        if not isinstance(reason, BaseException):
            reason = cause.__cause__ or cause.__context__
        cause = reason
    return False


def _describe(exc: BaseException, server: str) -> str:
    """A one-line reason for "reconnecting", in the words the cluster bar uses."""
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        # The stream broke mid-way: the server restarted, a proxy cut it, the network went.
        return f"connection lost ({server}): {exc}"
    if isinstance(exc, ValueError) and not isinstance(exc, OSError):
        return f"bad response ({server}): {exc}"  # e.g. a JSON line cut short
    return classify_error(exc, server).error or str(exc)
