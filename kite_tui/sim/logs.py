"""Simulated container logs: deterministic history, live lines, previous instances.

Each container instance (pod uid, container, restart count) gets a log buffer the
first time anyone asks: a deterministic backlog spread over the container's life,
ending with a crash message for containers that crashed. While a client follows a
running container, a new line is "written" every ``interval`` seconds (only then, so
10,000 idle pods cost nothing); :meth:`LogHub.write` appends lines on demand, which is
what tests use instead of waiting. Followers end when the container stops running or
the pod is deleted.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kite_tui.sim.store import Event, ObjectStore, parse_time

_VERBS = ("GET", "GET", "GET", "POST", "PUT", "DELETE")
_PATHS = ("/api/items", "/api/orders", "/healthz", "/api/users", "/metrics", "/api/cart")
_LEVELS = ("INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN")
_CRASHES = (
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "Error: connect ECONNREFUSED 10.96.14.7:5432",
    "FATAL: could not load config: open /etc/app/config.yaml: no such file or directory",
    "java.lang.OutOfMemoryError: Java heap space",
)


class LogError(Exception):
    """A log request the real server would refuse (400 BadRequest with this message)."""


def _h(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "big")


def rfc3339_nano(ts: float) -> str:
    whole = int(ts)
    nanos = int(round((ts - whole) * 1e9)) % 1_000_000_000
    return datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos:09d}Z"


def make_line(pod: str, container: str, image: str, index: int) -> str:
    """A deterministic, plausible log line."""
    h = _h(pod, container, index)
    if "nginx" in image or "envoy" in image or "proxy" in container:
        path = _PATHS[h % len(_PATHS)]
        code = (200, 200, 200, 201, 304, 404, 500)[(h >> 8) % 7]
        return (
            f'10.244.{(h >> 12) % 8}.{(h >> 16) % 250 + 2} - - "{_VERBS[(h >> 4) % 6]} '
            f'{path}/{(h >> 20) % 1000} HTTP/1.1" {code} {(h >> 24) % 9000 + 120} '
            f'"-" "Mozilla/5.0"'
        )
    level = _LEVELS[h % len(_LEVELS)]
    return (
        f'level={level} msg="handled request" worker={(h >> 8) % 8} '
        f"path={_PATHS[(h >> 12) % len(_PATHS)]} status=200 duration={(h >> 16) % 250}ms "
        f"seq={index}"
    )


@dataclass
class LogBuffer:
    """The log of one container instance: (timestamp, text) lines."""

    pod: str
    container: str
    image: str
    lines: list[tuple[float, str]] = field(default_factory=list)
    finished: bool = False
    next_due: float = 0.0


def container_state(pod: dict, container: str) -> tuple[str, dict, dict]:
    """("running" | "waiting" | "terminated" | "unknown", state detail, container status)."""
    status = pod.get("status", {})
    for cs in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []):
        if cs.get("name") == container:
            for kind in ("running", "terminated", "waiting"):
                detail = (cs.get("state") or {}).get(kind)
                if detail is not None:
                    return kind, detail, cs
            return "unknown", {}, cs
    return "unknown", {}, {}


class LogHub:
    """All log buffers of one simulated cluster."""

    def __init__(
        self,
        store: ObjectStore,
        *,
        interval: float | None = 0.2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.interval = interval
        self._clock = clock
        self._cond = threading.Condition()
        self._buffers: dict[tuple[str, str, int], LogBuffer] = {}
        self._by_pod: dict[str, list[tuple[str, str, int]]] = {}
        store.add_listener(self._on_event)

    # -------------------------------------------------------------- resolving
    def resolve(
        self, namespace: str, name: str, container: str | None, previous: bool
    ) -> tuple[dict, str, LogBuffer | None]:
        """Find the pod and container a log request is for, applying the real server's
        validation. Returns (pod, container, buffer); buffer None means empty logs.
        Raises KeyError (404) or LogError (400)."""
        pod = self.store.get("pods", namespace, name)
        if pod is None:
            raise KeyError(name)
        spec = pod.get("spec", {})
        names = [c["name"] for c in spec.get("containers") or []]
        init_names = [c["name"] for c in spec.get("initContainers") or []]
        if not container:
            if len(names) != 1:
                msg = (
                    f"a container name must be specified for pod {name}, "
                    f"choose one of: [{' '.join(names)}]"
                )
                if init_names:
                    msg += f" or one of the init containers: [{' '.join(init_names)}]"
                raise LogError(msg)
            container = names[0]
        if container not in names and container not in init_names:
            raise LogError(f"container {container} is not valid for pod {name}")
        if not spec.get("nodeName"):
            return pod, container, None
        kind, detail, cs = container_state(pod, container)
        restarts = int(cs.get("restartCount", 0))
        uid = pod["metadata"]["uid"]
        if previous:
            if restarts == 0 or not (cs.get("lastState") or {}).get("terminated"):
                raise LogError(
                    f'previous terminated container "{container}" in pod "{name}" not found'
                )
            return pod, container, self._buffer(pod, container, uid, restarts - 1, cs, True)
        if kind in ("waiting", "unknown"):
            if restarts > 0 and (cs.get("lastState") or {}).get("terminated"):
                # CrashLoopBackOff: the latest (crashed) instance's logs are served
                return pod, container, self._buffer(pod, container, uid, restarts - 1, cs, True)
            reason = detail.get("reason") or "ContainerCreating"
            raise LogError(f'container "{container}" in pod "{name}" is waiting to start: {reason}')
        return pod, container, self._buffer(pod, container, uid, restarts, cs, kind == "terminated")

    def _buffer(
        self, pod: dict, container: str, uid: str, instance: int, cs: dict, finished: bool
    ) -> LogBuffer:
        key = (uid, container, instance)
        with self._cond:
            buf = self._buffers.get(key)
            if buf is None:
                buf = self._backlog(pod, container, instance, cs, finished)
                self._buffers[key] = buf
                self._by_pod.setdefault(uid, []).append(key)
            elif finished:
                buf.finished = True
            return buf

    def _backlog(
        self, pod: dict, container: str, instance: int, cs: dict, finished: bool
    ) -> LogBuffer:
        name = pod["metadata"]["name"]
        image = cs.get("image") or next(
            (
                c.get("image", "")
                for c in pod["spec"].get("containers") or []
                if c["name"] == container
            ),
            "",
        )
        now = self._clock()
        state = cs.get("state") or {}
        last = (cs.get("lastState") or {}).get("terminated") or {}
        restarts = int(cs.get("restartCount", 0))
        if instance < restarts:  # an earlier, terminated instance
            term = last if instance == restarts - 1 else {}
            end = parse_time(term.get("finishedAt")) or now - 60 * (restarts - instance)
            start = parse_time(term.get("startedAt")) or end - 30
            crashed = True
        else:
            run = state.get("running") or state.get("terminated") or {}
            start = (
                parse_time(run.get("startedAt"))
                or parse_time(pod["metadata"].get("creationTimestamp"))
                or now - 600
            )
            end = parse_time((state.get("terminated") or {}).get("finishedAt")) or now
            crashed = bool(state.get("terminated")) and state["terminated"].get("exitCode", 0) != 0
        n = 20 + _h(name, container, instance) % 60
        span = max(end - start, 1.0)
        buf = LogBuffer(name, container, image, finished=finished)
        for i in range(n):
            ts = start + span * (i + 1) / (n + 1)
            buf.lines.append((ts, make_line(name, container, image, instance * 1000 + i)))
        if crashed:
            buf.lines.append((end, _CRASHES[_h(name, container) % len(_CRASHES)]))
        buf.next_due = now + (self.interval or 0.0)
        return buf

    # ----------------------------------------------------------------- writing
    def write(
        self, namespace: str, pod: str, container: str | None, text: str, *, ts: float | None = None
    ) -> None:
        """Append a line to a container's current log and wake its followers."""
        _pod, _container, buf = self.resolve(namespace, pod, container, False)
        if buf is None:
            raise LogError(f"pod {pod} is not scheduled")
        with self._cond:
            buf.lines.append((ts if ts is not None else self._clock(), text))
            self._cond.notify_all()

    def _on_event(self, ev: Event) -> None:
        if ev.entry.rtype.kind != "Pod":
            return
        uid = ev.entry.obj["metadata"].get("uid", "")
        keys = self._by_pod.get(uid)
        if not keys:
            return
        with self._cond:
            for key in keys:
                buf = self._buffers.get(key)
                if buf is None or buf.finished:
                    continue
                kind, _d, cs = container_state(ev.entry.obj, key[1])
                if (
                    ev.type == "DELETED"
                    or kind != "running"
                    or int(cs.get("restartCount", 0)) != key[2]
                ):
                    buf.finished = True
            if ev.type == "DELETED":
                for key in self._by_pod.pop(uid, []):
                    self._buffers.pop(key, None)
            self._cond.notify_all()

    def wake_all(self) -> None:
        with self._cond:
            self._cond.notify_all()

    # --------------------------------------------------------------- following
    def wait_lines(
        self, buf: LogBuffer, start: int, stop: threading.Event, timeout: float = 1.0
    ) -> list[tuple[float, str]] | None:
        """Lines after index ``start``, waiting up to ``timeout`` for some; when the
        automatic interval is set, produce the next line when it is due.
        Returns None when the container has finished and nothing is left."""
        with self._cond:
            deadline = self._clock() + timeout
            while len(buf.lines) <= start:
                if buf.finished or stop.is_set():
                    return None
                now = self._clock()
                if self.interval and now >= buf.next_due:
                    index = len(buf.lines)
                    buf.lines.append(
                        (now, make_line(buf.pod, buf.container, buf.image, 100000 + index))
                    )
                    buf.next_due = now + self.interval
                    self._cond.notify_all()
                    break
                if now >= deadline:
                    return []
                wait = deadline - now
                if self.interval:
                    wait = min(wait, max(buf.next_due - now, 0.001))
                self._cond.wait(wait)
            return buf.lines[start:]


def select_lines(
    lines: list[tuple[float, str]], *, tail: int | None, since: float | None
) -> list[tuple[float, str]]:
    if since is not None:
        lines = [ln for ln in lines if ln[0] >= since]
    if tail is not None:
        lines = lines[-tail:] if tail > 0 else []
    return lines


def format_lines(lines: list[tuple[float, str]], timestamps: bool) -> bytes:
    if timestamps:
        return "".join(f"{rfc3339_nano(ts)} {text}\n" for ts, text in lines).encode()
    return "".join(f"{text}\n" for _ts, text in lines).encode()
