"""Churn: a background thread that keeps changing pods so live views have something to follow.

At ``rate`` operations per second it either updates a random pod (a container
restarts, readiness flips, a pending pod starts) or replaces one (the pod is deleted
and its owner "recreates" it under a new name), so the pod count stays steady while
watches see MODIFIED, DELETED and ADDED events. The system pods and the tricky
namespace's pods are left alone: the tricky ones show one pod per state, and a churn that
started their waiting containers turned them all `Running` within a minute.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time

from kite_tui.sim import objects as o
from kite_tui.sim.resources import lookup
from kite_tui.sim.scenario import TRICKY_NAMESPACE
from kite_tui.sim.store import NotFound, ObjectStore, rfc3339

STEADY_NAMESPACES = frozenset({"kube-system", TRICKY_NAMESPACE})


class Churner:
    """Changes pods at ``rate`` per second until :meth:`stop`; ``rate`` may be changed while
    it runs (0 pauses it)."""

    def __init__(self, store: ObjectStore, rate: float, *, seed: int = 0) -> None:
        self.store = store
        self.rate = rate
        self.rng = random.Random(seed ^ 0x5EED)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sim-churn", daemon=True)
        self.operations = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            if self.rate <= 0:  # paused; `rate` may be changed while it runs
                if self._stop.wait(0.05):
                    return
                next_at = time.monotonic()
                continue
            next_at += 1.0 / self.rate
            with contextlib.suppress(NotFound, KeyError, IndexError, ValueError):
                self.step()
            delay = next_at - time.monotonic()
            if delay < -1.0:  # fell behind (tiny interval or a busy machine): skip ahead
                next_at = time.monotonic()
            elif delay > 0 and self._stop.wait(delay):
                return

    def _pick(self) -> dict | None:
        entries = list(self.store.iter_entries(lookup("pods")))
        entries = [
            e
            for e in entries
            if e.rtype.kind == "Pod" and e.obj["metadata"]["namespace"] not in STEADY_NAMESPACES
        ]
        if not entries:
            return None
        return self.rng.choice(entries).obj

    def step(self) -> None:
        """One change: update (60%) or replace (40%) a random pod."""
        pod = self._pick()
        if pod is None:
            return
        self.operations += 1
        meta = pod["metadata"]
        if (
            self.rng.random() < 0.6
            or not meta.get("ownerReferences")
            or not pod.get("spec", {}).get("nodeName")
        ):
            self.store.modify("pods", meta["namespace"], meta["name"], self._mutate)
        else:
            self._replace(pod)

    def _mutate(self, pod: dict) -> None:
        now = time.time()
        status = pod.setdefault("status", {})
        statuses = status.get("containerStatuses") or []
        if not statuses:
            return
        cs = self.rng.choice(statuses)
        state = cs.get("state") or {}
        if "running" in state and self.rng.random() < 0.5:
            cs["restartCount"] = int(cs.get("restartCount", 0)) + 1
            cs["lastState"] = {
                "terminated": {
                    "exitCode": 137,
                    "reason": "Error",
                    "startedAt": state["running"].get("startedAt", rfc3339(now - 60)),
                    "finishedAt": rfc3339(now - 1),
                }
            }
            cs["state"] = {"running": {"startedAt": rfc3339(now)}}
            cs["ready"] = True
        elif "running" in state:
            cs["ready"] = not cs.get("ready", False)
        elif status.get("phase") in ("Pending", "Running") and "waiting" in state:
            cs["state"] = {"running": {"startedAt": rfc3339(now)}}
            cs["ready"] = True
            cs["started"] = True
            status["phase"] = "Running"
        all_ready = all(s.get("ready") for s in statuses)
        for c in status.get("conditions") or []:
            if c.get("type") in ("Ready", "ContainersReady"):
                c["status"] = "True" if all_ready else "False"

    def _replace(self, pod: dict) -> None:
        with self.store.lock:  # readers never see the pod count dip
            self._replace_locked(pod)

    def _replace_locked(self, pod: dict) -> None:
        meta = pod["metadata"]
        self.store.delete("pods", meta["namespace"], meta["name"], cascade=False)
        now = time.time()
        new = {k: v for k, v in pod.items()}
        new_meta = {
            k: v
            for k, v in meta.items()
            if k
            not in (
                "uid",
                "resourceVersion",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
            )
        }
        base = meta.get("generateName") or meta["name"].rsplit("-", 1)[0] + "-"
        if base.endswith("-") and meta["name"][len(base) :].isdigit():
            new_meta["name"] = meta["name"]  # statefulset ordinal pods keep their name
        else:
            new_meta["name"] = base + o.suffix(self.rng)
        new_meta["creationTimestamp"] = rfc3339(now)
        new["metadata"] = new_meta
        status = dict(pod.get("status") or {})
        status.pop("reason", None)
        status.pop("message", None)
        status["phase"] = "Running"
        status["startTime"] = rfc3339(now)
        status["containerStatuses"] = [
            {
                **cs,
                "state": {"running": {"startedAt": rfc3339(now)}},
                "lastState": {},
                "ready": True,
                "started": True,
                "restartCount": 0,
            }
            for cs in status.get("containerStatuses") or []
        ]
        for c in status.get("conditions") or []:
            c["status"] = "True"
            c.pop("reason", None)
            c.pop("message", None)
        new["status"] = status
        self.store.create(new)
