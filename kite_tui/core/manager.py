"""The cluster manager: turns the config file into a sequence of immutable snapshots.

Rules it keeps (each learned from a dashboard that broke them):

* Readers never lock: a published `Snapshot` is never mutated; a change is a new snapshot.
* No network inside the lock: clients are built and probed in a bounded thread pool, one task
  per cluster with its own timeout, so one dead server delays no other cluster. Each result is
  published as soon as it arrives ("connecting" rows fill in one by one).
* Reuse: a cluster whose connection settings and referenced files (kubeconfig, token, certs)
  did not change keeps the very same client object.
* One build per cluster: a build (an exec plugin that hangs) is never joined by another for
  the same cluster; a newer one waits for it to end, and one overtaken or given up has its
  plugin killed, so it ends.
* Order: generations only grow. A build that was overtaken by a newer config (its cluster was
  changed, removed or disabled meanwhile) is discarded and its client closed, never published.
* Closing: clients dropped from the snapshot are retired with the generation that dropped them
  and closed only once the consumer says it has swapped to that generation (`release`), or at
  once when `auto_release` is on (headless use).
* Evidence first: a feed that loses or regains its server says so (`reprobe`), and that one
  cluster is probed now, not at the next resync, so its health never lags what the views see.
  A feed whose server did not answer within the timeout is evidence enough to show the
  cluster unreachable at once (`report_unreachable`); the probe then confirms or corrects.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kite_tui.core.config import ClusterSpec, Config, ConfigError, load_config
from kite_tui.core.kube.client import (
    ClusterClient,
    ProbeResult,
    build_client,
    classify_error,
    probe,
)
from kite_tui.core.kube.credentials import PluginProcesses
from kite_tui.core.snapshot import ClusterHandle, Health, Snapshot

log = logging.getLogger(__name__)

SnapshotCallback = Callable[[Snapshot], None]


@dataclass
class _Build:
    """A client build in flight. Its result is published only if it is still the current one."""

    spec: ClusterSpec
    key: str
    started: float
    plugins: PluginProcesses = field(default_factory=PluginProcesses)
    """Its exec plugin's processes, killed when the build is overtaken or given up."""


class ClusterManager:
    def __init__(
        self,
        config_path: Path,
        on_snapshot: SnapshotCallback | None = None,
        *,
        max_workers: int = 256,
        auto_release: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config_path = Path(config_path)
        self._on_snapshot = on_snapshot
        self._auto_release = auto_release
        self._clock = clock
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._snapshot = Snapshot(generation=0, config_path=self.config_path)
        self._config: Config | None = None
        self._building: dict[str, _Build] = {}  # the build whose result is awaited
        self._running: dict[str, _Build] = {}  # the build whose thread runs (maybe overtaken)
        self._queued: dict[str, _Build] = {}  # waiting for the running one to end
        self._probing: set[str] = set()
        self._probe_again: set[str] = set()  # asked for while a probe was in flight
        self._retired: list[tuple[int, ClusterClient]] = []
        self._released_upto = 0
        self._closed = False
        # Daemon threads, bounded by a semaphore: a build stuck on a dead server must never
        # keep the process alive after quit (ThreadPoolExecutor joins its workers at exit).
        # The bound is a safety net, not a pool size: each task mostly waits on a socket, and
        # with 16 places sixteen dead clusters held every other cluster back for a timeout.
        self._slots = threading.BoundedSemaphore(max_workers)
        self._tasks = 0  # running or queued tasks, overtaken builds included

    # ---------------------------------------------------------------------------- reading

    @property
    def snapshot(self) -> Snapshot:
        """The newest snapshot (a plain attribute read: no lock needed by readers)."""
        return self._snapshot

    @property
    def config(self) -> Config | None:
        """The last config that loaded without file-level errors."""
        return self._config

    def referenced_files(self) -> tuple[Path, ...]:
        config = self._config
        return config.referenced_files() if config else ()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no build or probe is in flight (CLI and tests). False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._tasks > 0:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    # ---------------------------------------------------------------------------- updating

    @contextlib.contextmanager
    def _busy(self) -> Iterator[None]:
        """Count a step of the caller's thread as a task, so `wait_idle` also waits for it.

        A reload publishes first and closes the clients it retired afterwards; without this a
        caller that saw the new snapshot could find `wait_idle` true with those still open.
        """
        with self._lock:
            self._tasks += 1
        try:
            yield
        finally:
            with self._lock:
                self._tasks -= 1
                self._idle.notify_all()

    def reload(self) -> bool:
        """Read the config; publish a new snapshot if anything a reader sees changed.

        Runs on the watcher thread. It reads and hashes files but never talks to a cluster;
        builds are submitted to the pool. Returns True when a snapshot was published.
        """
        with self._busy():
            return self._reload()

    def _reload(self) -> bool:
        try:
            config = load_config(self.config_path)
        except ConfigError as exc:
            problems = exc.issues
            missing = not self.config_path.exists()
            with self._lock:
                current = self._snapshot
                if current.config_problems == problems and current.config_missing == missing:
                    return False
                self._publish(replace(current, config_problems=problems, config_missing=missing))
            self._flush_release()
            return True

        # Hash referenced files outside the lock: it is file I/O.
        keys = {s.name: s.connection_key() for s in config.clusters if s.enabled and not s.problems}
        with self._lock:
            if self._closed:
                return False
            self._config = config
            current = self._snapshot
            handles: dict[str, ClusterHandle] = {}
            submit: list[tuple[str, _Build]] = []
            for spec in config.clusters:
                old = current.clusters.get(spec.name)
                handle = self._next_handle(spec, old, keys.get(spec.name), submit)
                handles[spec.name] = handle
            for name in list(self._building):
                build = self._building[name]
                if name not in handles or handles[name].connection_key != build.key:
                    del self._building[name]  # overtaken: its result will be discarded
                    build.plugins.kill(close=True)
            candidate = Snapshot(
                generation=current.generation,
                clusters=handles,
                default=config.default,
                config_problems=(),
                config_path=self.config_path,
                settings=config.settings,
            )
            changed = candidate != current
            if changed:
                self._publish(candidate)
            self._idle.notify_all()
        for name, build in submit:
            self._start_build(name, build)
        self._flush_release()
        return changed

    def _next_handle(
        self,
        spec: ClusterSpec,
        old: ClusterHandle | None,
        key: str | None,
        submit: list[tuple[str, _Build]],
    ) -> ClusterHandle:
        if spec.problems:
            # Kept structured on the handle (`problems`); the views word them.
            return ClusterHandle(spec, Health.CONFIG_ERROR)
        if not spec.enabled:
            return ClusterHandle(spec, Health.DISABLED)
        assert key is not None
        if old is not None and old.connection_key == key:
            # Same connection: keep the client (and any build in flight for it).
            same = old.spec == spec and old.spec.line == spec.line
            return old if same else old.evolve(spec=spec)
        build = _Build(spec, key, time.monotonic())
        overtaken = self._building.get(spec.name)
        if overtaken is not None:
            overtaken.plugins.kill(close=True)  # its result would be discarded: let it end
        self._building[spec.name] = build
        submit.append((spec.name, build))
        return ClusterHandle(spec, Health.CONNECTING, connection_key=key)

    def resync(self) -> None:
        """Re-read the config, re-probe every cluster, retry failed builds.

        A probe that finds a cluster down marks it down in the next snapshot; one that finds it
        back up marks it ok. Builds stuck longer than a few timeouts are given up.
        """
        with self._busy():
            self._resync()

    def _resync(self) -> None:
        self._reload()
        with self._lock:
            if self._closed:
                return
            snap = self._snapshot
            timeout = snap.settings.request_timeout_seconds
            now = time.monotonic()
            for name, build in list(self._building.items()):
                # A build can hang where no timeout reaches (an exec credential plugin).
                if now - build.started > 3 * timeout:
                    del self._building[name]  # its result, if it ever comes, is discarded
                    build.plugins.kill(close=True)
                    handle = snap.clusters[name].evolve(
                        health=Health.UNREACHABLE,
                        error=f"gave up building the client after {3 * timeout:g}s",
                        checked_at=self._clock(),
                    )
                    snap = self._replace_handle(snap, handle)
            if snap is not self._snapshot:
                self._publish(snap)
                snap = self._snapshot
            probes: list[tuple[str, ClusterClient]] = []
            builds: list[tuple[str, _Build]] = []
            for handle in snap:
                name = handle.name
                if name in self._building or name in self._probing:
                    continue
                if handle.client is not None:
                    self._probing.add(name)
                    probes.append((name, handle.client))
                elif handle.connection_key:  # the last build failed: try again
                    build = _Build(handle.spec, handle.connection_key, now)
                    self._building[name] = build
                    builds.append((name, build))
        for name, client in probes:
            self._submit(self._run_probe, name, client)
        for name, build in builds:
            self._start_build(name, build)
        self._flush_release()

    def reprobe(self, name: str, client: ClusterClient | None = None) -> bool:
        """Probe one cluster now, off-thread, and publish what the probe finds.

        For news about the connection that a resync would only find later: a feed lost its
        server, or has it back. ``client``, when given, must still be the cluster's client
        (news about a replaced one is stale). A request while a probe is in flight runs one
        more probe after it, since the news may be newer than that probe's answer. Returns
        False when there is nothing to probe (no such cluster, no client, closed).
        """
        with self._lock:
            handle = self._snapshot.clusters.get(name)
            target = handle.client if handle is not None else None
            if self._closed or target is None or (client is not None and target is not client):
                return False
            if name in self._probing:
                self._probe_again.add(name)
                return True
            self._probing.add(name)
        self._submit(self._run_probe, name, target)
        return True

    def report_unreachable(
        self, name: str, error: str, client: ClusterClient | None = None
    ) -> bool:
        """A feed's request got no answer within the timeout: mark the cluster unreachable
        now (if it was ok) with that error, and reprobe it. Same ``client`` rule and return
        value as `reprobe`."""
        with self._lock:
            handle = self._snapshot.clusters.get(name)
            if self._closed or handle is None or handle.client is None:
                return False
            if client is not None and handle.client is not client:
                return False
            if handle.health == Health.OK:
                down = handle.evolve(
                    health=Health.UNREACHABLE, error=error, checked_at=self._clock()
                )
                self._publish(self._replace_handle(self._snapshot, down))
        self._flush_release()
        return self.reprobe(name, client)

    def skip_generations(self, generation: int) -> None:
        """Start numbering after `generation` (a consumer switching from another manager)."""
        with self._lock:
            if self._snapshot.generation < generation:
                self._snapshot = replace(self._snapshot, generation=generation)

    def release(self, generation: int) -> None:
        """The consumer now shows `generation`: close clients retired at or before it."""
        with self._lock:
            self._released_upto = max(self._released_upto, generation)
            closable = [c for g, c in self._retired if g <= self._released_upto]
            self._retired = [(g, c) for g, c in self._retired if g > self._released_upto]
        for client in closable:
            client.close()

    def close(self) -> None:
        """Stop the pool and close every client (the app is quitting)."""
        with self._lock:
            self._closed = True
            clients = [h.client for h in self._snapshot if h.client is not None]
            clients += [c for _, c in self._retired]
            self._retired = []
            self._building.clear()
            self._queued.clear()
            for build in self._running.values():
                build.plugins.kill(close=True)
            self._idle.notify_all()
        for client in clients:
            client.close()

    # ---------------------------------------------------------------------------- workers

    def _submit(self, fn: Callable[..., None], *args: object) -> None:
        with self._lock:
            if self._closed:
                return
            self._tasks += 1

        def run() -> None:
            try:
                with self._slots:
                    if not self._closed:
                        fn(*args)
            except Exception:
                log.exception("cluster task failed")
            finally:
                with self._lock:
                    self._tasks -= 1
                    self._idle.notify_all()

        threading.Thread(target=run, name="kite-build", daemon=True).start()

    def _start_build(self, name: str, build: _Build) -> None:
        """Run `build` now, or after the build of that cluster still running (never two)."""
        with self._lock:
            if name in self._running:
                self._queued[name] = build  # the newest wins; the running one ends soon
                return
            self._running[name] = build
        self._submit(self._run_build, name, build)

    def _run_build(self, name: str, build: _Build) -> None:
        try:
            self._build(name, build)
        finally:
            with self._lock:
                if self._running.get(name) is build:
                    del self._running[name]
                queued = self._queued.pop(name, None)
                current = queued is not None and self._building.get(name) is queued
            if queued is not None and current:
                self._start_build(name, queued)

    def _build(self, name: str, build: _Build) -> None:
        timeout = self._snapshot.settings.request_timeout_seconds
        client: ClusterClient | None = None
        try:
            client = build_client(build.spec, timeout, plugins=build.plugins)
            result = probe(client)
        except Exception as exc:  # a bad kubeconfig or plugin must not kill the pool thread
            result = classify_error(exc, build.spec.server)
        with self._lock:
            current = self._building.get(name)
            adopted = current is build and not self._closed
            if adopted:
                del self._building[name]
                handle = self._snapshot.clusters[name].evolve(
                    health=result.health,
                    client=client,
                    version=result.version,
                    error=result.error,
                    checked_at=self._clock(),
                )
                self._publish(self._replace_handle(self._snapshot, handle))
            self._idle.notify_all()
        if not adopted and client is not None:
            log.debug("discarding overtaken client for %s", name)
            client.close()
        self._flush_release()

    def _run_probe(self, name: str, client: ClusterClient) -> None:
        result: ProbeResult | None = None
        try:
            result = probe(client)
        finally:
            with self._lock:
                # Still "probing" until published: a newer probe must not publish first.
                self._probing.discard(name)
                again = name in self._probe_again
                self._probe_again.discard(name)
                handle = self._snapshot.clusters.get(name)
                # A handle replaced meanwhile speaks for the cluster; this answer is stale.
                if result is not None and handle is not None and handle.client is client:
                    self._publish(
                        self._replace_handle(
                            self._snapshot,
                            handle.evolve(
                                health=result.health,
                                version=result.version or handle.version,
                                error=result.error,
                                checked_at=self._clock(),
                            ),
                        )
                    )
                self._idle.notify_all()
        if again:
            self.reprobe(name, client)
        self._flush_release()

    # ---------------------------------------------------------------------------- publishing

    @staticmethod
    def _replace_handle(snap: Snapshot, handle: ClusterHandle) -> Snapshot:
        clusters = dict(snap.clusters)
        clusters[handle.name] = handle
        return replace(snap, clusters=clusters)

    def _publish(self, snap: Snapshot) -> None:
        """Called with the lock held: number, swap, retire, notify. Generations only grow."""
        if self._closed:
            return  # nobody is listening any more; the clients are being closed
        previous = self._snapshot
        snap = replace(snap, generation=previous.generation + 1)
        self._snapshot = snap
        keep = snap.clients()
        for handle in previous:
            client = handle.client
            if client is not None and id(client) not in keep:
                self._retired.append((snap.generation, client))
        if self._on_snapshot is not None:
            try:
                self._on_snapshot(snap)
            except Exception:
                log.exception("snapshot callback failed")
        if self._auto_release:
            self._released_upto = snap.generation

    def _flush_release(self) -> None:
        self.release(self._released_upto)
