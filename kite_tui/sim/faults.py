"""Switchable faults: latency, blackhole, refused connections, error statuses, RBAC.

A :class:`Faults` object is shared by the server's threads. Set its attributes from
any thread at any time (``sim.faults.latency = 1.5``); the server reads them on every
request. Changes to ``refuse`` and ``blackhole`` are pushed to the server through
a callback so it can close or reopen its listening socket and release held requests.
The control endpoint (``GET/POST /_sim/faults``) reads and writes the same object
through :meth:`Faults.to_dict` / :meth:`Faults.update`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

_FIELDS = ("latency", "blackhole", "refuse", "status", "allowed_namespaces", "future_versions")


class Faults:
    """The faults currently switched on for one simulated cluster.

    - ``latency``: seconds added before each API response.
    - ``blackhole``: accept connections and read requests, never answer; open streams
      (watches, followed logs) stall too, as behind a dead network link.
    - ``refuse``: stop listening so connects are refused (re-listen when cleared).
    - ``status``: answer every API request with this HTTP status as a Status object.
    - ``allowed_namespaces``: RBAC; only these namespaces may be read (403 otherwise).
    - ``future_versions``: serve a watch or list from a resourceVersion the store has not
      reached instead of the 504 "Too large resource version" a real API server's watch
      cache answers (a server without one, or a proxy that hides it).
    """

    def __init__(self, on_change: Callable[[str], None] | None = None) -> None:
        self._on_change = on_change
        self._cond = threading.Condition()
        self.latency: float = 0.0
        self.blackhole: bool = False
        self.refuse: bool = False
        self.status: int | None = None
        self.allowed_namespaces: frozenset[str] | None = None
        self.future_versions: bool = False
        self.user = "system:serviceaccount:kite:viewer"
        self._ready = True

    def __setattr__(self, name: str, value: object) -> None:
        if name == "allowed_namespaces" and value is not None:
            value = frozenset(value)  # type: ignore[call-overload]
        if name == "latency":
            value = float(value or 0.0)  # type: ignore[arg-type]
        if name == "status" and value is not None:
            value = int(value)  # type: ignore[call-overload]
        if name not in _FIELDS or not getattr(self, "_ready", False):
            super().__setattr__(name, value)
            return
        with self._cond:  # waiters see the change only once its side effects are done
            super().__setattr__(name, value)
            if self._on_change is not None:
                self._on_change(name)
            self._cond.notify_all()

    def wait_blackhole_cleared(self, stop: threading.Event, timeout: float = 1.0) -> None:
        """Block while the blackhole is on (returns early on a change or timeout)."""
        with self._cond:
            if self.blackhole and not stop.is_set():
                self._cond.wait(timeout)

    def wait_until(self, predicate: Callable[[Faults], bool], timeout: float = 5.0) -> bool:
        """Wait until ``predicate(faults)`` holds (re-checked on every change)."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def clear(self) -> None:
        """Switch every fault off."""
        self.latency = 0.0
        self.blackhole = False
        self.refuse = False
        self.status = None
        self.allowed_namespaces = None
        self.future_versions = False

    def to_dict(self) -> dict:
        return {
            "latency": self.latency,
            "blackhole": self.blackhole,
            "refuse": self.refuse,
            "status": self.status,
            "allowed_namespaces": (
                sorted(self.allowed_namespaces) if self.allowed_namespaces is not None else None
            ),
            "future_versions": self.future_versions,
        }

    def update(self, changes: dict) -> None:
        """Apply a dict of changes (the control endpoint's JSON body).

        Unknown keys raise ValueError. ``{"clear": true}`` switches everything off first.
        """
        unknown = set(changes) - set(_FIELDS) - {"clear", "clear_after"}
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(sorted(unknown))}")
        if changes.get("clear"):
            self.clear()
        for name in _FIELDS:
            if name in changes:
                setattr(self, name, changes[name])


STATUS_REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}

STATUS_MESSAGES = {
    401: "Unauthorized",
    403: 'forbidden: User "system:anonymous" cannot get path "/"',
    429: "Too many requests, please try again later.",
    500: "Internal error occurred: etcdserver: request timed out",
    503: "the server is currently unable to handle the request",
    504: "Timeout: request did not complete within requested timeout - context deadline exceeded",
}


def status_object(
    code: int, message: str | None = None, reason: str | None = None, details: dict | None = None
) -> dict:
    """A metav1.Status failure body."""
    obj: dict = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message if message is not None else STATUS_MESSAGES.get(code, "error"),
        "reason": reason or STATUS_REASONS.get(code, "Unknown"),
        "code": code,
    }
    if details:
        obj["details"] = details
    return obj


def forbidden(
    user: str, verb: str, resource: str, group: str, namespace: str | None, name: str | None = None
) -> dict:
    """The Status a real API server returns when RBAC denies a request."""
    scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    what = f'{resource} "{name}"' if name else resource
    msg = (
        f'{what} is forbidden: User "{user}" cannot {verb} resource "{resource}" '
        f'in API group "{group}" {scope}'
    )
    details: dict = {"kind": resource}
    if group:
        details["group"] = group
    if name:
        details["name"] = name
    return status_object(403, msg, "Forbidden", details)
