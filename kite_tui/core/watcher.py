"""The config-watch thread: file changes and the resync clock become `ClusterManager` calls.

Editors save by writing a temporary file and renaming it over the original, which replaces the
inode a file watch would follow; so we watch the *directories* (non-recursively) and filter on
the names we care about: the config file and every kubeconfig / token / certificate it refers
to. Vim's `4913` probe and swap files, or any other file in those directories, never match.
Kubernetes' secret volumes swap a `..data` symlink; those names pass the filter too.

A directory that does not exist yet (no config written so far) is watched through its nearest
existing ancestor, for the name of the next path component.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import watchfiles

from kite_tui.core.manager import ClusterManager

log = logging.getLogger(__name__)

Targets = dict[Path, frozenset[str]]


def watch_targets(files: Iterable[Path]) -> Targets:
    """Directory -> names inside it whose changes matter, for the given files."""
    targets: dict[Path, set[str]] = {}
    for file in files:
        file = Path(file).absolute()
        child, parent = file, file.parent
        while not parent.is_dir() and parent != parent.parent:
            child, parent = parent, parent.parent
        targets.setdefault(parent, set()).add(child.name)
    return {d: frozenset(names) for d, names in targets.items()}


class _Wake:
    """A `stop_event` for watchfiles that also fires when a resync is requested."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.resync = threading.Event()

    def is_set(self) -> bool:
        return self.stop.is_set() or self.resync.is_set()


class ConfigWatcher:
    """Runs `manager.reload()` on relevant file changes and `manager.resync()` on a clock."""

    def __init__(
        self,
        manager: ClusterManager,
        *,
        debounce_ms: int = 150,
        poll_ms: int = 500,
    ) -> None:
        self.manager = manager
        self.debounce_ms = debounce_ms
        self.poll_ms = poll_ms
        self._wake = _Wake()
        self._thread: threading.Thread | None = None
        self.reloads = 0  # how many times a file change made us reload (for tests and stats)

    def start(self) -> ConfigWatcher:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="kite-config-watcher", daemon=True
            )
            self._thread.start()
        return self

    def request_resync(self) -> None:
        """Resync now (the `r` key): re-read the config and re-probe every cluster."""
        self._wake.resync.set()

    def stop(self, timeout: float = 2.0) -> None:
        self._wake.stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _targets(self) -> Targets:
        return watch_targets([self.manager.config_path, *self.manager.referenced_files()])

    def _run(self) -> None:
        manager = self.manager
        wake = self._wake
        # Read the interval each time: the config may change it.
        last_resync = time.monotonic()

        def resync_due() -> bool:
            return time.monotonic() - last_resync >= manager.snapshot.settings.resync_seconds

        while not wake.stop.is_set():
            if wake.resync.is_set():
                wake.resync.clear()
                self._safe(manager.resync)
                last_resync = time.monotonic()
            targets = self._targets()

            def relevant(_change: watchfiles.Change, path: str, targets: Targets = targets) -> bool:
                p = Path(path)
                names = targets.get(p.parent)
                return names is not None and (p.name in names or p.name.startswith(".."))

            # Anything that changed while the watch was being (re)started is caught here.
            self._safe(manager.reload)
            try:
                for changes in watchfiles.watch(
                    *targets,
                    watch_filter=relevant,
                    stop_event=wake,
                    debounce=self.debounce_ms,
                    step=50,
                    rust_timeout=self.poll_ms,
                    yield_on_timeout=True,
                    recursive=False,
                    ignore_permission_denied=True,
                ):
                    if changes:
                        self.reloads += 1
                        self._safe(manager.reload)
                        if self._targets() != targets:
                            break  # the set of referenced files changed: watch anew
                    if resync_due():
                        self._safe(manager.resync)
                        last_resync = time.monotonic()
                    if wake.is_set():
                        break
            except (FileNotFoundError, OSError) as exc:
                # A watched directory vanished under us: re-resolve the targets after a beat.
                log.debug("watch restarted: %s", exc)
                wake.stop.wait(self.poll_ms / 1000)

    @staticmethod
    def _safe(fn: object) -> None:
        try:
            fn()  # type: ignore[operator]
        except Exception:
            log.exception("config watcher step failed")
