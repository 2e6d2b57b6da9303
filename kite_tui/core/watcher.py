"""The config-watch thread: file changes and the resync clock become `ClusterManager` calls.

Editors save by writing a temporary file and renaming it over the original, which replaces the
inode a file watch would follow; so we watch the *directories* (non-recursively) and filter on
the names we care about: the config file and every kubeconfig / token / certificate it refers
to. Vim's `4913` probe and swap files, or any other file in those directories, never match.
Kubernetes' secret volumes swap a `..data` symlink; those names pass the filter too.

A directory that does not exist yet (no config written so far) is watched through its nearest
existing ancestor, for the name of the next path component.

Notifications alone can be lost: a save that lands after a reload but before the watch is
armed (or while it is re-armed for a new set of files) produces no event, and a watched
directory that is moved away takes its watch with it. So every file's identity (inode, size,
mtime and, for small regular files, a digest of the content) is taken before each reload and
compared on every tick of the watch (`poll_ms`): a lost notification costs one tick, never a
save. The directories' identities are compared too, and the watch is re-armed when one was
replaced.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import watchfiles

from kite_tui.core.manager import ClusterManager

log = logging.getLogger(__name__)

Targets = dict[Path, frozenset[str]]
FileIdentity = tuple[int, int, int, int, int, bytes | None] | None

# Config files, kubeconfigs, tokens and certificates are small; a larger file is compared by
# its stat alone (a digest of it on every tick would cost real CPU for nothing).
DIGEST_LIMIT = 1 << 20
POLL_CAUSE = "(poll)"  # the `reload_causes` entry of a change found by comparing identities


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


def file_identity(path: Path) -> FileIdentity:
    """What a save changes about a file; None when it does not exist (or cannot be read).

    Follows symlinks (a `..data` swap changes the target). Only regular files are read: a
    FIFO or a device as a "file" must never block the watcher.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    digest: bytes | None = None
    if stat.S_ISREG(st.st_mode) and st.st_size <= DIGEST_LIMIT:
        try:
            with open(path, "rb") as f:
                digest = hashlib.blake2b(f.read(DIGEST_LIMIT + 1), digest_size=16).digest()
        except OSError:
            digest = b"unreadable"
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, digest)


def _dir_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


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
        self.reloads = 0  # how many times a change (event or identity) made us reload
        # Which names triggered those reloads (POLL_CAUSE for an identity change): for tests
        # and stats; bounded, since only watched names ever get here.
        self.reload_causes: Counter[str] = Counter()

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

    def _files(self) -> tuple[Path, ...]:
        return (self.manager.config_path, *self.manager.referenced_files())

    @staticmethod
    def _identities(files: Iterable[Path]) -> dict[Path, FileIdentity]:
        return {f: file_identity(f) for f in files}

    @staticmethod
    def _arming(targets: Targets) -> tuple[Targets, dict[Path, tuple[int, int] | None]]:
        """What a watch is armed on: the directories, their names, and which inode they are."""
        return targets, {d: _dir_identity(d) for d in targets}

    def _run(self) -> None:
        manager = self.manager
        wake = self._wake
        last_resync = time.monotonic()

        def resync_due() -> bool:
            # Read the interval each time: the config may change it.
            return time.monotonic() - last_resync >= manager.snapshot.settings.resync_seconds

        while not wake.stop.is_set():
            if wake.resync.is_set():
                wake.resync.clear()
                self._safe(manager.resync)
                last_resync = time.monotonic()
            targets = watch_targets(self._files())
            armed = self._arming(targets)
            # Identities first, then the reload: a save landing in between is seen either by
            # the reload itself or, at the latest, on the first tick of the watch.
            seen = self._identities(self._files())
            self._safe(manager.reload)

            def relevant(path: str, targets: Targets = targets) -> bool:
                p = Path(path)
                names = targets.get(p.parent)
                return names is not None and (p.name in names or p.name.startswith(".."))

            try:
                # No watch_filter: every batch (and every quiet `poll_ms`) is a tick of ours,
                # so a busy directory of unrelated files cannot starve the identity check.
                for raw in watchfiles.watch(
                    *targets,
                    watch_filter=None,
                    stop_event=wake,
                    debounce=self.debounce_ms,
                    step=50,
                    rust_timeout=self.poll_ms,
                    yield_on_timeout=True,
                    recursive=False,
                    ignore_permission_denied=True,
                ):
                    if wake.stop.is_set():
                        return
                    names = {Path(path).name for _, path in raw if relevant(path)}
                    now = self._identities(self._files())
                    if names or now != seen:
                        self.reloads += 1
                        self.reload_causes.update(names or (POLL_CAUSE,))
                        seen = now
                        self._safe(manager.reload)
                    if self._arming(watch_targets(self._files())) != armed:
                        break  # other files, or a directory replaced: watch anew
                    if resync_due():
                        self._safe(manager.resync)
                        last_resync = time.monotonic()
                    if wake.is_set():
                        break
            except Exception as exc:  # e.g. a watched directory vanished while arming
                # Re-resolve the targets after a beat; the identities catch what was missed.
                log.debug("watch restarted: %s", exc)
                wake.stop.wait(self.poll_ms / 1000)

    @staticmethod
    def _safe(fn: object) -> None:
        try:
            fn()  # type: ignore[operator]
        except Exception:
            log.exception("config watcher step failed")
