"""Streaming one container's log: `LogStream`, and choosing the container to stream.

A `LogStream` owns two daemon threads:

* the *reader* GETs ``/api/v1/namespaces/{ns}/pods/{pod}/log`` and splits the streamed
  body into lines as chunks arrive;
* the *flusher* hands the lines to ``on_lines`` in batches at most ``batch_interval``
  (50 ms) after the first line of the batch arrived, so a burst of thousands of lines costs
  the UI a handful of messages while a lone line still shows up at once.

Both callbacks run on those threads; the UI passes callbacks that only ``post_message``.

Reconnecting without duplicates: the reader always asks the server for timestamps
(``timestamps=true``) and strips them again when the caller did not ask for them. When a
followed stream ends (the container restarted, the API server dropped the connection) it
reconnects with ``sinceTime`` set to the last timestamp it delivered and skips, on its own
side, every line at or before that timestamp that it already delivered. The skipping is what
makes it exact: ``sinceTime`` has second precision (and a server may ignore it), while the
per-line timestamps have nanoseconds.

``stop()`` returns at once, even in the middle of a blocking read: it shuts the response's
socket down for reading from the stopping thread, which wakes the reader with EOF.
"""

from __future__ import annotations

import contextlib
import enum
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import urllib3
from kubernetes.client.exceptions import ApiException

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.errors import classify_error, status_message
from kite_tui.core.kube.stream import line_batches

__all__ = [
    "LogState",
    "LogStream",
    "default_container",
    "initial_container",
    "pod_containers",
]


class LogState(enum.StrEnum):
    """What a `LogStream` is doing: the state passed to ``on_status(state, message)``."""

    CONNECTING = "connecting"
    STREAMING = "streaming"
    RECONNECTING = "reconnecting"
    WAITING = "waiting"
    """The container is not running (yet/again); retrying."""
    ENDED = "ended"
    """The log is complete (not following, or the container is gone for good)."""
    ERROR = "error"
    """The server refused (400/403/404...) or the network failed; not retrying."""
    STOPPED = "stopped"


DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"


def pod_containers(pod: Mapping[str, Any]) -> list[str]:
    """Every container of a pod that has a log: app containers, then init containers
    (sidecars included), then ephemeral (debug) containers."""
    spec = pod.get("spec") or {}
    names: list[str] = []
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            name = c.get("name")
            if name and name not in names:
                names.append(name)
    return names


def default_container(pod: Mapping[str, Any]) -> str | None:
    """The container `kubectl logs` picks: the ``kubectl.kubernetes.io/default-container``
    annotation when it names an existing container, else the first app container."""
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    wanted = annotations.get(DEFAULT_CONTAINER_ANNOTATION)
    names = pod_containers(pod)
    if wanted and wanted in names:
        return wanted
    app = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or []]
    return app[0] if app else (names[0] if names else None)


def initial_container(pod: Mapping[str, Any]) -> str | None:
    """The container whose log to open first: while the pod is initialising, the init
    container it is stuck on (failing, or still running) if that one has run and so has a
    log, since the app containers have none yet; otherwise `default_container`."""
    spec = pod.get("spec") or {}
    sidecars = {
        c.get("name")
        for c in spec.get("initContainers") or []
        if c.get("restartPolicy") == "Always"
    }
    for cs in (pod.get("status") or {}).get("initContainerStatuses") or []:
        if cs.get("name") in sidecars:  # runs beside the app containers: not a step
            continue
        state = cs.get("state") or {}
        terminated = state.get("terminated")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue  # this step is done
        ran = "running" in state or terminated is not None
        if ran or (cs.get("lastState") or {}).get("terminated"):
            return str(cs.get("name"))
        break  # waiting and never ran: no log to show yet
    return default_container(pod)


def _ts_key(ts: str) -> tuple[str, int] | None:
    """A sortable key for an RFC 3339 timestamp with any number of fraction digits.

    Kubelets trim trailing zeros (``...:05.1Z`` after ``...:05.123Z``), so comparing the
    strings would misorder them; (whole seconds, nanoseconds) compares correctly.
    """
    if not ts.endswith("Z") or len(ts) < 20 or ts[4] != "-" or ts[10] != "T":
        return None
    head, _, frac = ts[:-1].partition(".")
    if len(head) != 19:
        return None
    digits = (frac + "000000000")[:9]
    if frac and not frac.isdigit():
        return None
    return head, int(digits)


class LogStream:
    """Stream one container's log to callbacks from a background thread.

    ``on_lines(lines)`` gets batches of lines (without their newline; with the server's
    RFC 3339 timestamp in front when ``timestamps``). ``on_status(state, message)`` gets a
    `LogState` and a human-readable message (the server's own message for errors).

    ``tail_lines`` None means the whole log. ``previous`` streams the previous (terminated)
    instance of the container, which is complete: it is never followed.
    """

    def __init__(
        self,
        client: ClusterClient,
        namespace: str,
        pod: str,
        container: str | None,
        *,
        follow: bool = True,
        tail_lines: int | None = 500,
        timestamps: bool = False,
        previous: bool = False,
        on_lines: Callable[[list[str]], None],
        on_status: Callable[[LogState, str], None],
        batch_interval: float = 0.05,
        reconnect_delays: Sequence[float] = (0.25, 0.5, 1.0, 2.0, 5.0),
    ) -> None:
        self.client = client
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.follow = follow and not previous
        self.tail_lines = tail_lines
        self.timestamps = timestamps
        self.previous = previous
        self._on_lines = on_lines
        self._on_status = on_status
        self._batch_interval = batch_interval
        self._delays = tuple(reconnect_delays) or (1.0,)
        self._stop = threading.Event()
        self._resp_lock = threading.Lock()
        self._resp: Any = None
        # Batching: the reader appends under _cond; whoever flushes holds _deliver_lock
        # while it swaps and delivers, so batches reach on_lines in order.
        self._cond = threading.Condition()
        self._pending: list[str] = []
        self._pending_since = 0.0
        self._deliver_lock = threading.Lock()
        self._reader_done = False
        # Dedupe state for reconnects: the last delivered timestamp and how many lines
        # carried exactly that timestamp.
        self._last_key: tuple[str, int] | None = None
        self._last_ts = ""
        self._at_last = 0
        self._skip_equal = 0
        self.state = LogState.CONNECTING
        label = f"{namespace}/{pod}/{container or '-'}"
        self._reader = threading.Thread(
            target=self._read_loop, name=f"kite-logs {label}", daemon=True
        )
        self._flusher = threading.Thread(
            target=self._flush_loop, name=f"kite-logs-flush {label}", daemon=True
        )
        self._started = False

    # ------------------------------------------------------------------ control
    @property
    def path(self) -> str:
        return (
            f"/api/v1/namespaces/{quote(self.namespace, safe='')}/pods/"
            f"{quote(self.pod, safe='')}/log"
        )

    def start(self) -> LogStream:
        if not self._started:
            self._started = True
            self._flusher.start()
            self._reader.start()
        return self

    def stop(self) -> None:
        """Stop streaming; returns at once. No callback runs after the threads notice."""
        self._stop.set()
        with self._resp_lock:
            resp = self._resp
        if resp is not None:
            # Wake a reader blocked in recv(): SHUT_RD makes it see EOF right away.
            with contextlib.suppress(Exception):
                resp.shutdown()
        with self._cond:
            self._cond.notify_all()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for both threads to end; True if they did."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for t in (self._reader, self._flusher):
            if t.is_alive() or t.ident is not None:
                remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                t.join(remaining)
        return not self.alive

    @property
    def alive(self) -> bool:
        return self._reader.is_alive() or self._flusher.is_alive()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    # ---------------------------------------------------------------- callbacks
    def _status(self, state: LogState, message: str = "") -> None:
        self.state = state
        if not self._stop.is_set() or state == LogState.STOPPED:
            self._on_status(state, message)

    def _flush(self) -> None:
        with self._deliver_lock:
            with self._cond:
                batch, self._pending = self._pending, []
            if batch and not self._stop.is_set():
                self._on_lines(batch)

    def _flush_loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._reader_done and not self._stop.is_set():
                    self._cond.wait()
                if self._stop.is_set() or (self._reader_done and not self._pending):
                    return
                # Coalesce: wait until the batch is batch_interval old (or stop).
                due = self._pending_since + self._batch_interval
                while not self._stop.is_set() and not self._reader_done:
                    remaining = due - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
            self._flush()

    def _emit(self, line: str) -> None:
        with self._cond:
            if not self._pending:
                self._pending_since = time.monotonic()
                self._cond.notify_all()
            self._pending.append(line)

    # ------------------------------------------------------------------ reading
    def _query(self) -> list[tuple[str, Any]]:
        q: list[tuple[str, Any]] = []
        if self.container:
            q.append(("container", self.container))
        if self.follow:
            q.append(("follow", "true"))
        if self.previous:
            q.append(("previous", "true"))
        q.append(("timestamps", "true"))  # always: they are what makes reconnects exact
        if self._last_ts:
            q.append(("sinceTime", self._last_ts[:19] + "Z"))
        elif self.tail_lines is not None:
            q.append(("tailLines", max(0, int(self.tail_lines))))
        return q

    def _take(self, raw: bytes) -> None:
        """Dedupe one received line against what was delivered, strip what the caller did
        not ask for, and queue it."""
        text = raw.decode("utf-8", "replace").rstrip("\r")
        ts, sep, rest = text.partition(" ")
        key = _ts_key(ts) if sep else None
        if key is None:
            self._emit(text)  # no timestamp to dedupe by: deliver as is
            return
        last = self._last_key
        if last is not None:
            if key < last:
                return
            if key == last:
                if self._skip_equal > 0:
                    self._skip_equal -= 1
                    return
                self._at_last += 1
            else:
                self._at_last = 1
        else:
            self._at_last = 1
        self._last_key = key
        self._last_ts = ts
        self._emit(text if self.timestamps else rest)

    def _backoff(self, attempt: int) -> bool:
        """Wait before the next try; False if stopped meanwhile."""
        delay = self._delays[min(attempt, len(self._delays) - 1)]
        return not self._stop.wait(delay)

    def _read_loop(self) -> None:
        try:
            self._run()
        except Exception as exc:  # a bug must end the stream visibly, not silently
            self._flush()
            self._status(LogState.ERROR, f"log stream failed: {type(exc).__name__}: {exc}")
        finally:
            with self._cond:
                self._reader_done = True
                self._cond.notify_all()
            if self._stop.is_set():
                self._on_status(LogState.STOPPED, "stopped")

    def _run(self) -> None:
        attempt = 0
        connected_before = False
        while not self._stop.is_set():
            self._status(
                LogState.RECONNECTING if connected_before else LogState.CONNECTING,
                "reconnecting…" if connected_before else "connecting…",
            )
            # On a reconnect, the lines at exactly the last timestamp were delivered already.
            self._skip_equal = self._at_last
            try:
                # No read timeout when following: a quiet container is not a dead server.
                timeout = (self.client.timeout, None) if self.follow else None
                resp = self.client.request(
                    self.path,
                    self._query(),
                    accept="*/*",
                    timeout=timeout,
                )
            except ApiException as exc:
                message = status_message(exc)
                if self.previous and exc.status == 400 and "previous terminated" in message:
                    # The kubelet's words for "there is none"; say it plainly.
                    message = (
                        f'no previous log: container "{self.container or "(default)"}" '
                        "has not restarted"
                    )
                if self.follow and self._retryable(exc, message):
                    self._status(LogState.WAITING, message)
                    if not self._backoff(attempt):
                        return
                    attempt += 1
                    continue
                self._status(LogState.ERROR, message)
                return
            except Exception as exc:
                message = classify_error(exc, self.client.server).error or str(exc)
                if self.follow and connected_before:
                    self._status(LogState.RECONNECTING, message)
                    if not self._backoff(attempt):
                        return
                    attempt += 1
                    continue
                self._status(LogState.ERROR, message)
                return
            with self._resp_lock:
                self._resp = resp
            if self._stop.is_set():  # stop() came while we were connecting
                self._close(resp)
                return
            connected_before = True
            self._status(LogState.STREAMING, "following" if self.follow else "reading")
            failure: BaseException | None = None
            try:
                for lines in line_batches(resp):
                    for raw in lines:
                        self._take(raw)
            except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
                failure = exc
            finally:
                self._close(resp)
            self._flush()
            if self._stop.is_set():
                return
            if not self.follow:
                self._status(LogState.ENDED, "end of log")
                return
            if failure is not None:
                if isinstance(failure, urllib3.exceptions.ProtocolError | ValueError):
                    # A cut mid-chunk surfaces as a parse error; say what it means.
                    message = "the server closed the connection"
                else:
                    message = classify_error(failure, self.client.server).error or str(failure)
                self._status(LogState.RECONNECTING, f"connection lost: {message}")
                if not self._backoff(attempt):
                    return
                attempt += 1
                continue
            # The server ended a followed stream: the container stopped or restarted.
            verdict, message = self._container_verdict()
            if verdict == "ended":
                self._status(LogState.ENDED, message)
                return
            if verdict == "running":
                attempt = 0
                continue
            self._status(LogState.WAITING, message)
            if not self._backoff(attempt):
                return
            attempt += 1

    def _close(self, resp: Any) -> None:
        with self._resp_lock:
            self._resp = None
        with contextlib.suppress(Exception):
            resp.release_conn()
        with contextlib.suppress(Exception):
            resp.close()

    @staticmethod
    def _retryable(exc: ApiException, message: str) -> bool:
        if exc.status in (429, 500, 502, 503, 504):
            return True
        # 400 "container ... is waiting to start: ContainerCreating": it will start.
        return exc.status == 400 and "waiting to start" in message

    def _container_verdict(self) -> tuple[str, str]:
        """After a followed stream ended: is the container running again ("running": go on
        at once), gone for good ("ended") or in between ("waiting": retry later)?"""
        try:
            pod = self.client.get_json(
                f"/api/v1/namespaces/{quote(self.namespace, safe='')}/pods/"
                f"{quote(self.pod, safe='')}"
            )
        except ApiException as exc:
            if exc.status == 404:
                return "ended", "pod deleted"
            return "waiting", status_message(exc)
        except Exception as exc:
            return "waiting", classify_error(exc, self.client.server).error or str(exc)
        if (pod.get("metadata") or {}).get("deletionTimestamp") is not None and not self._running(
            pod
        ):
            return "ended", "pod terminated"
        status = pod.get("status") or {}
        cstatus = next(
            (
                cs
                for cs in (status.get("containerStatuses") or [])
                + (status.get("initContainerStatuses") or [])
                if self.container is None or cs.get("name") == self.container
            ),
            None,
        )
        state = (cstatus or {}).get("state") or {}
        if "running" in state:
            return "running", ""
        phase = status.get("phase")
        if phase in ("Succeeded", "Failed"):
            return "ended", f"container stopped (pod {phase})"
        terminated = state.get("terminated")
        policy = (pod.get("spec") or {}).get("restartPolicy", "Always")
        if terminated is not None:
            code = terminated.get("exitCode", 0)
            if policy == "Never" or (policy == "OnFailure" and code == 0):
                return "ended", f"container terminated (exit code {code})"
            return "waiting", f"container terminated (exit code {code}); waiting for restart"
        reason = (state.get("waiting") or {}).get("reason") or "not running"
        return "waiting", f"container waiting: {reason}"

    def _running(self, pod: Mapping[str, Any]) -> bool:
        for cs in (pod.get("status") or {}).get("containerStatuses") or []:
            if self.container is None or cs.get("name") == self.container:
                return "running" in (cs.get("state") or {})
        return False
