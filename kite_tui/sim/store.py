"""The simulator's object store: a consistent, thread-safe, in-memory etcd stand-in.

It owns the objects, the global resourceVersion counter (every write bumps it), uids
and creation timestamps, owner-reference garbage collection, the bounded event
history that watches resume from, and the live watchers themselves.

Objects are plain dicts in their JSON wire shape. The store serializes each object
once, at write time, and keeps the bytes, so list responses are built by joining
cached bytes. Objects handed out by :meth:`ObjectStore.get` / :meth:`ObjectStore.list`
are private copies; mutate them and call :meth:`ObjectStore.update` to write back.

Resources are named by anything :func:`kite_tui.sim.resources.lookup` accepts:
``"pods"``, ``"Pod"``, ``"po"``, ``"deployments.apps"`` ...

It is one module of over 600 lines because its parts share one lock and one history: the
write path, the watchers it wakes, the 410 window and a restart that starts the versions
over (`wipe`) must change together.
"""

from __future__ import annotations

import bisect
import json
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kite_tui.sim.resources import Registry, ResourceType
from kite_tui.sim.selectors import label_predicate, parse_field_selector, supported_fields

Key = tuple[str, str]  # (namespace or "", name)
List = list  # `ObjectStore.list` shadows the builtin inside the class body


def dumps(obj: object) -> bytes:
    """Compact JSON bytes, the way the simulator puts objects on the wire."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def micro_time(ts: float) -> str:
    """A Kubernetes MicroTime (a Lease's acquireTime / renewTime): microseconds, UTC."""
    whole = int(ts)
    micros = int(round((ts - whole) * 1e6)) % 1_000_000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{micros:06d}Z"


def rfc3339(ts: float) -> str:
    """A Kubernetes timestamp (second precision, UTC, ``Z`` suffix)."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str | None) -> float | None:
    """Seconds since the epoch for an RFC 3339 timestamp, or None."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


@dataclass(slots=True, eq=False)
class Entry:
    """One stored object version: the dict, its cached JSON bytes, and its resourceVersion."""

    obj: dict
    raw: bytes
    rv: int
    rtype: ResourceType
    key: Key
    cache: dict = field(default_factory=dict)
    """Derived data cached per version (table cells, metadata bytes); owned by readers."""

    @property
    def labels(self) -> dict:
        return self.obj.get("metadata", {}).get("labels") or {}


@dataclass(slots=True, eq=False)
class Event:
    """A change recorded in the history: ADDED, MODIFIED or DELETED."""

    type: str
    rv: int
    entry: Entry
    old: Entry | None = None


class Expired(Exception):  # noqa: N818 - mirrors the API's "Expired" reason
    """A resourceVersion (or continue token) older than the retained history: HTTP 410."""


class NotFound(KeyError):
    """No such object."""


class AlreadyExists(ValueError):
    """An object with that name already exists."""


# What a Watcher's queue carries: ("event", type, Entry) | ("bookmark", rv) | ("close", why)
WatchItem = tuple


class Watcher:
    """A live watch registered with the store; the HTTP layer drains :attr:`queue`.

    Items are ``("event", type, entry)``, ``("bookmark", rv)`` and ``("close", reason)``
    where reason is ``"expired"`` (send a 410 ERROR), ``"drop"`` (cut the connection),
    ``"end"`` (finish cleanly) or ``"stop"`` (server shutting down).
    """

    def __init__(
        self,
        rtype: ResourceType,
        namespace: str | None,
        label_pred: Callable[[dict], bool] | None,
        field_pred: Callable[[dict], bool] | None,
        allow_bookmarks: bool,
    ) -> None:
        self.rtype = rtype
        self.namespace = namespace
        self.label_pred = label_pred
        self.field_pred = field_pred
        self.allow_bookmarks = allow_bookmarks
        self.queue: queue.SimpleQueue[WatchItem] = queue.SimpleQueue()
        self.last_rv = 0

    def matches(self, entry: Entry | None) -> bool:
        if entry is None:
            return False
        if self.namespace and entry.key[0] != self.namespace:
            return False
        if self.label_pred is not None and not self.label_pred(entry.labels):
            return False
        return self.field_pred is None or self.field_pred(entry.obj)

    def offer(self, ev: Event) -> None:
        """Queue an event, turning it into ADDED/DELETED when it crosses the selector."""
        new_ok = self.matches(ev.entry)
        if ev.type == "MODIFIED":
            old_ok = self.matches(ev.old)
            if new_ok and old_ok:
                kind = "MODIFIED"
            elif new_ok:
                kind = "ADDED"
            elif old_ok:
                kind = "DELETED"
            else:
                return
        elif new_ok:
            kind = ev.type
        else:
            return
        self.queue.put(("event", kind, ev.entry))

    def close(self, reason: str) -> None:
        self.queue.put(("close", reason))


class ObjectStore:
    """Thread-safe object store with a global resourceVersion and a bounded history.

    ``history_limit`` is how many change events are kept for watches to resume
    from; a watch (or a continue token) older than that gets 410 Gone.
    """

    def __init__(
        self,
        *,
        history_limit: int = 5000,
        clock: Callable[[], float] = time.time,
        registry: Registry | None = None,
    ):
        self.registry = registry if registry is not None else Registry()
        """The types this store (its server) serves; CRDs add to it."""
        stored_resources = self.registry.stored
        self._lock = threading.RLock()
        self._fresh = threading.Condition(self._lock)  # notified on every commit
        self._clock = clock
        self._rv = 1
        self._objects: dict[ResourceType, dict[Key, Entry]] = {r: {} for r in stored_resources()}
        self._sorted: dict[ResourceType, List[Key] | None] = {}
        self._history: deque[Event] = deque()
        self._history_limit = history_limit
        self._compacted = 1  # watches from rv >= this can be served
        self._watchers: dict[ResourceType, set[Watcher]] = {r: set() for r in stored_resources()}
        self._listeners: List[Callable[[Event], None]] = []
        self._admission: List[Callable[[ResourceType, dict, dict | None], None]] = []

    # ------------------------------------------------------------------ basics
    @property
    def lock(self) -> threading.RLock:
        """The store lock; hold it to read several things consistently."""
        return self._lock

    @property
    def resource_version(self) -> int:
        """The current (latest) global resourceVersion."""
        return self._rv

    @property
    def oldest_resource_version(self) -> int:
        """Watches from a resourceVersion below this get 410 Gone."""
        return self._compacted

    def now(self) -> float:
        return self._clock()

    def add_listener(self, fn: Callable[[Event], None]) -> None:
        """Call ``fn(event)`` (under the store lock) after every write."""
        self._listeners.append(fn)

    def add_admission(self, fn: Callable[[ResourceType, dict, dict | None], None]) -> None:
        """Call ``fn(rtype, obj, old)`` (under the store lock) before every create
        (``old`` None) and update; it may change ``obj`` or raise ValueError to refuse it."""
        self._admission.append(fn)

    def _admit(self, rtype: ResourceType, obj: dict, old: Entry | None) -> None:
        for fn in self._admission:
            fn(rtype, obj, None if old is None else old.obj)

    # ------------------------------------------------------------ dynamic types
    def serve_types(self, owner: str, rtypes: tuple[ResourceType, ...]) -> None:
        """Make ``rtypes`` (a CRD's versions) servable, replacing what ``owner`` served:
        objects of a type that is gone are deleted (watchers get DELETED then the end),
        objects of a type whose description changed (same URL) are kept under the new one."""
        with self._lock:
            old = {(r.group, r.version, r.plural): r for r in self.registry.custom(owner)}
            new = {(r.group, r.version, r.plural): r for r in rtypes}
            self.registry.register(owner, rtypes)
            for gvr, r in new.items():
                before = old.get(gvr)
                if before is None:
                    self._objects.setdefault(r, {})
                    self._watchers.setdefault(r, set())
                elif before != r:
                    self._retype(before, r)
            for gvr, r in old.items():
                if gvr not in new:
                    self._drop_type(r)

    def unserve_types(self, owner: str) -> None:
        """Stop serving what ``owner`` registered, deleting its objects."""
        with self._lock:
            for r in self.registry.unregister(owner):
                self._drop_type(r)

    def _retype(self, old: ResourceType, new: ResourceType) -> None:
        objects = self._objects.pop(old, {})
        for entry in objects.values():
            entry.rtype = new
            entry.cache.clear()
        for ev in self._history:
            if ev.entry.rtype == old:
                ev.entry.rtype = new
        self._objects[new] = objects
        self._sorted[new] = self._sorted.pop(old, None)
        watchers = self._watchers.pop(old, set())
        for w in watchers:
            w.rtype = new
        self._watchers[new] = watchers

    def _drop_type(self, rtype: ResourceType) -> None:
        for key in list(self._objects.get(rtype, {})):
            entry = self._objects[rtype][key]
            self._commit("DELETED", rtype, key, json.loads(entry.raw), entry)
        self._objects.pop(rtype, None)
        self._sorted.pop(rtype, None)
        for w in self._watchers.pop(rtype, set()):
            w.close("end")

    # ------------------------------------------------------------------ writes
    def create(self, obj: dict, *, copy: bool = True) -> dict:
        """Store a new object and return the stored copy.

        The object needs ``kind`` (``apiVersion`` defaults from the kind) and
        ``metadata.name`` (or ``generateName``), plus ``metadata.namespace`` for
        namespaced kinds (defaults to ``"default"``). The store assigns ``uid``,
        ``resourceVersion`` and, unless given, ``creationTimestamp``.
        With ``copy=False`` the store keeps (and fills in) the caller's dict, which
        the caller must not change afterwards; scenarios use it to build fast.
        Raises AlreadyExists.
        """
        rtype = self.registry.for_object(obj)
        if copy:
            obj = json.loads(dumps(obj))
        obj["apiVersion"] = rtype.api_version
        meta = obj.setdefault("metadata", {})
        if not meta.get("name"):
            if not meta.get("generateName"):
                raise ValueError("metadata.name or metadata.generateName is required")
            meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
        if rtype.namespaced:
            meta.setdefault("namespace", "default")
        else:
            meta.pop("namespace", None)
        key = (meta.get("namespace", ""), meta["name"])
        with self._lock:
            if key in self._objects[rtype]:
                raise AlreadyExists(f'{rtype.qualified} "{key[1]}" already exists')
            # Not setdefault: its default would be made (a uuid, a strftime) for every
            # object, and generated clusters always bring their own.
            if "uid" not in meta:
                meta["uid"] = str(uuid.uuid4())
            if "creationTimestamp" not in meta:
                meta["creationTimestamp"] = rfc3339(self._clock())
            self._admit(rtype, obj, None)
            entry = self._commit("ADDED", rtype, key, obj, None)
        return json.loads(entry.raw) if copy else obj

    def update(self, obj: dict) -> dict:
        """Replace an existing object (last write wins) and return the stored copy.

        ``uid`` and ``creationTimestamp`` are kept from the stored version.
        Raises NotFound.
        """
        rtype = self.registry.for_object(obj)
        obj = json.loads(dumps(obj))
        obj["apiVersion"] = rtype.api_version
        meta = obj.setdefault("metadata", {})
        key = (meta.get("namespace", "") if rtype.namespaced else "", meta.get("name", ""))
        with self._lock:
            old = self._objects[rtype].get(key)
            if old is None:
                raise NotFound(f'{rtype.qualified} "{key[1]}" not found')
            old_meta = old.obj["metadata"]
            meta["uid"] = old_meta["uid"]
            meta["creationTimestamp"] = old_meta["creationTimestamp"]
            self._admit(rtype, obj, old)
            entry = self._commit("MODIFIED", rtype, key, obj, old)
        return json.loads(entry.raw)

    def modify(
        self, resource: str, namespace: str | None, name: str, fn: Callable[[dict], object]
    ) -> dict:
        """Atomically read an object, let ``fn`` mutate the copy in place, write it back."""
        with self._lock:
            obj = self.get(resource, namespace, name)
            if obj is None:
                rtype = self.registry.lookup(resource)
                raise NotFound(f'{rtype.qualified} "{name}" not found')
            fn(obj)
            return self.update(obj)

    def apply(self, obj: dict) -> dict:
        """Create the object, or update it if it already exists."""
        try:
            return self.create(obj)
        except AlreadyExists:
            return self.update(obj)

    def delete(
        self, resource: str, namespace: str | None, name: str, *, cascade: bool = True
    ) -> dict:
        """Remove an object and return its last state; with ``cascade`` also remove the
        objects it owns (ownerReferences), recursively, like background deletion.
        Raises NotFound.
        """
        rtype = self.registry.lookup(resource)
        key = ((namespace or "") if rtype.namespaced else "", name)
        with self._lock:
            old = self._objects[rtype].get(key)
            if old is None:
                raise NotFound(f'{rtype.qualified} "{name}" not found')
            obj = json.loads(old.raw)
            entry = self._commit("DELETED", rtype, key, obj, old)
            if cascade:
                self._collect_garbage(obj["metadata"]["uid"])
                if rtype.kind == "Namespace":  # everything in it goes too
                    for r, objects in self._objects.items():
                        if r.namespaced:
                            for k in [k for k in objects if k[0] == name]:
                                if k in objects:
                                    self.delete(r.qualified, k[0], k[1])
        return json.loads(entry.raw)

    def _collect_garbage(self, owner_uid: str) -> None:
        doomed: List[tuple[ResourceType, Key]] = []
        for rtype, objects in self._objects.items():
            for key, entry in objects.items():
                for ref in entry.obj.get("metadata", {}).get("ownerReferences") or ():
                    if ref.get("uid") == owner_uid:
                        doomed.append((rtype, key))
                        break
        for rtype, key in doomed:
            if key in self._objects[rtype]:
                self.delete(rtype.qualified, key[0], key[1], cascade=True)

    def _commit(
        self, kind: str, rtype: ResourceType, key: Key, obj: dict, old: Entry | None
    ) -> Entry:
        self._rv += 1
        obj["metadata"]["resourceVersion"] = str(self._rv)
        entry = Entry(obj, dumps(obj), self._rv, rtype, key)
        objects = self._objects[rtype]
        if kind == "DELETED":
            del objects[key]
            self._sorted[rtype] = None
        else:
            if key not in objects:
                self._sorted[rtype] = None
            objects[key] = entry
        ev = Event(kind, self._rv, entry, old)
        self._history.append(ev)
        while len(self._history) > self._history_limit:
            self._compacted = self._history.popleft().rv
        for w in self._watchers[rtype]:
            w.offer(ev)
        for fn in self._listeners:
            fn(ev)
        self._fresh.notify_all()
        return entry

    def expire_resource_versions(self) -> int:
        """Forget the whole history: every open watch gets a 410 ERROR event and every
        resourceVersion handed out so far (and every continue token) is now too old, so
        clients must re-list. Returns the new current rv (the oldest one still valid)."""
        with self._lock:
            self._history.clear()
            self._rv += 1  # even the latest version a client has seen is now stale
            self._compacted = self._rv
            for watchers in self._watchers.values():
                for w in watchers:
                    w.close("expired")
            return self._rv

    def wipe(self) -> None:
        """Forget every object and start resourceVersions over, as an API server whose etcd
        was replaced does: open watches are cut, and versions handed out before are now
        from the future (a watch or list from one gets 504 "Too large resource version")."""
        with self._lock:
            for objects in self._objects.values():
                objects.clear()
            self._sorted.clear()
            self._history.clear()
            self._rv = self._compacted = 1
            for watchers in self._watchers.values():
                for w in watchers:
                    w.close("drop")

    def wait_fresh(self, resource_version: int, timeout: float) -> bool:
        """Wait until the store has reached ``resource_version`` (a real server's watch
        cache waits so for a client that has seen a newer version than it has);
        False if it has not within ``timeout``."""
        with self._fresh:
            return self._fresh.wait_for(lambda: self._rv >= resource_version, timeout)

    # ------------------------------------------------------------------- reads
    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        """A private copy of one object, or None."""
        entry = self.get_entry(self.registry.lookup(resource), namespace, name)
        return None if entry is None else json.loads(entry.raw)

    def get_entry(self, rtype: ResourceType, namespace: str | None, name: str) -> Entry | None:
        key = ((namespace or "") if rtype.namespaced else "", name)
        return self._objects.get(rtype, {}).get(key)

    def list(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> List[dict]:
        """Private copies of the matching objects, sorted by namespace then name."""
        rtype = self.registry.lookup(resource)
        lp = label_predicate(label_selector)
        fp = parse_field_selector(field_selector, supported_fields(rtype.kind))
        entries, _rv, _next, _rem = self.list_entries(rtype, namespace, lp, fp)
        return [json.loads(e.raw) for e in entries]

    def count(self, resource: str) -> int:
        """How many objects of a type are stored."""
        with self._lock:
            return len(self._objects.get(self.registry.lookup(resource), {}))

    def _sorted_keys(self, rtype: ResourceType) -> List[Key]:
        keys = self._sorted.get(rtype)
        if keys is None:
            keys = sorted(self._objects.get(rtype, {}))
            self._sorted[rtype] = keys
        return keys

    def list_entries(
        self,
        rtype: ResourceType,
        namespace: str | None,
        label_pred: Callable[[dict], bool] | None = None,
        field_pred: Callable[[dict], bool] | None = None,
        *,
        limit: int = 0,
        after: Key | None = None,
    ) -> tuple[List[Entry], int, Key | None, int]:
        """Matching entries in key order: (entries, resourceVersion, next_key, remaining).

        With ``limit`` > 0 at most that many are returned; ``next_key`` is the last key
        returned when more remain (for a continue token) and ``remaining`` counts them.
        ``after`` starts strictly after that key.
        """
        with self._lock:
            rv = self._rv
            objects = self._objects.get(rtype, {})
            keys = self._sorted_keys(rtype)
            lo, hi = 0, len(keys)
            if namespace and rtype.namespaced:
                lo = bisect.bisect_left(keys, (namespace, ""))
                hi = bisect.bisect_left(keys, (namespace + "\x00", ""))
            if after is not None:
                lo = max(lo, bisect.bisect_right(keys, after))
            out: List[Entry] = []
            next_key: Key | None = None
            remaining = 0
            for i in range(lo, hi):
                e = objects[keys[i]]
                if label_pred is not None and not label_pred(e.labels):
                    continue
                if field_pred is not None and not field_pred(e.obj):
                    continue
                if limit and len(out) >= limit:
                    next_key = out[-1].key
                    remaining = 1 + sum(
                        1
                        for j in range(i + 1, hi)
                        if (label_pred is None or label_pred(objects[keys[j]].labels))
                        and (field_pred is None or field_pred(objects[keys[j]].obj))
                    )
                    break
                out.append(e)
            return out, rv, next_key, remaining

    def iter_entries(self, rtype: ResourceType) -> Iterator[Entry]:
        """A snapshot of every entry of a type (unsorted)."""
        with self._lock:
            return iter(list(self._objects.get(rtype, {}).values()))

    # ----------------------------------------------------------------- watches
    def watch(
        self,
        rtype: ResourceType,
        namespace: str | None = None,
        *,
        resource_version: int | None = None,
        label_pred: Callable[[dict], bool] | None = None,
        field_pred: Callable[[dict], bool] | None = None,
        allow_bookmarks: bool = False,
    ) -> Watcher:
        """Register a watcher. With no resourceVersion (or 0) it first gets a synthetic
        ADDED for every matching object; with one it gets every change after it.
        Raises Expired when that version is older than the retained history.
        """
        w = Watcher(rtype, namespace, label_pred, field_pred, allow_bookmarks)
        with self._lock:
            if not resource_version:
                entries, _rv, _n, _r = self.list_entries(rtype, namespace, label_pred, field_pred)
                for e in entries:
                    w.queue.put(("event", "ADDED", e))
            else:
                if resource_version < self._compacted:
                    raise Expired(
                        f"too old resource version: {resource_version} ({self._compacted})"
                    )
                for ev in self._history:
                    if ev.rv > resource_version and ev.entry.rtype is rtype:
                        w.offer(ev)
            w.last_rv = self._rv
            self._watchers.setdefault(rtype, set()).add(w)
        return w

    def unwatch(self, w: Watcher) -> None:
        with self._lock:
            self._watchers.get(w.rtype, set()).discard(w)

    def watchers(self) -> List[Watcher]:
        with self._lock:
            return [w for ws in self._watchers.values() for w in ws]

    def close_watches(self, reason: str) -> int:
        """Close every open watch with the given reason; returns how many."""
        ws = self.watchers()
        for w in ws:
            w.close(reason)
        return len(ws)

    def send_bookmarks(self) -> None:
        """Send a BOOKMARK with the current resourceVersion to watches that allow them."""
        with self._lock:
            rv = self._rv
            for w in self.watchers():
                if w.allow_bookmarks:
                    w.queue.put(("bookmark", rv))

    # ------------------------------------------------------------------ import
    def load(self, objects: Iterable[dict], *, skipped: List[str] | None = None) -> int:
        """Create or update every object; returns how many were stored.

        Objects of kinds the simulator does not serve are skipped (and named in
        ``skipped`` as "Kind/name" when a list is given); other errors propagate.
        """
        n = 0
        # Definitions first, so that a file's custom objects find their type.
        objects = sorted(objects, key=lambda o: o.get("kind") != "CustomResourceDefinition")
        for obj in objects:
            try:
                self.registry.for_object(obj)
            except (KeyError, ValueError):
                if skipped is not None:
                    skipped.append(f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}")
                continue
            self.apply(obj)
            n += 1
        return n

    def ensure_namespaces(self) -> List[str]:
        """Create any namespace that namespaced objects refer to but that does not exist
        (loaded dumps often lack them); returns the names created."""
        with self._lock:
            ns_type = self.registry.lookup("namespaces")
            wanted = {key[0] for r, objs in self._objects.items() if r.namespaced for key in objs}
            missing = sorted(n for n in wanted if n and ("", n) not in self._objects[ns_type])
            for name in missing:
                self.create(
                    {
                        "kind": "Namespace",
                        "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
                        "spec": {"finalizers": ["kubernetes"]},
                        "status": {"phase": "Active"},
                    }
                )
            return missing
