"""Hundreds of config rewrites while readers read: consistent snapshots, nothing leaked."""

from __future__ import annotations

import threading
from pathlib import Path

from kite_tui.core.kube.client import open_clients
from kite_tui.core.manager import ClusterManager
from kite_tui.core.snapshot import Health, Snapshot
from kite_tui.core.watcher import ConfigWatcher
from tests.helpers import SnapshotRecorder, VersionServer, wait_until, write_atomic

REWRITES = 300
READERS = 3


def version_text(k: int, servers: list[VersionServer]) -> str:
    count = 1 + k % 4
    parts = ["[settings]\nrequest_timeout_seconds = 2\n"]
    for i in range(count):
        url = servers[(k + i) % 2].url
        parts.append(
            f'[[clusters]]\nname = "c{i}"\nserver = "{url}"\ndescription = "v{k}"\n'
            + ("default = true\n" if i == 0 and k % 3 == 0 else "")
        )
    return "\n".join(parts)


def check_consistent(snap: Snapshot) -> None:
    """What one version of the file says, all of it, and nothing of another version."""
    if not snap.clusters:
        return
    versions = {h.spec.description for h in snap}
    assert len(versions) == 1, f"mixed versions in one snapshot: {versions}"
    k = int(versions.pop()[1:])
    assert snap.names == tuple(f"c{i}" for i in range(1 + k % 4))
    assert snap.default == ("c0" if k % 3 == 0 else None)
    for name, handle in snap.clusters.items():
        assert handle.name == name
        if handle.client is not None:
            assert handle.client.server == handle.spec.server, "client built for another spec"
        if handle.health == Health.OK:
            assert handle.client is not None and handle.version == "v1.31.0"


def test_rewrites_under_concurrent_readers(tmp_path: Path) -> None:
    baseline_threads = set(threading.enumerate())
    servers = [VersionServer(), VersionServer()]
    cfg = tmp_path / "config.toml"
    cfg.write_text(version_text(0, servers))
    rec = SnapshotRecorder()
    manager = ClusterManager(cfg, rec)
    watcher = ConfigWatcher(manager, debounce_ms=20, poll_ms=100).start()
    stop = threading.Event()
    reads = [0] * READERS
    failures: list[BaseException] = []

    def reader(slot: int) -> None:
        try:
            while not stop.is_set():
                check_consistent(manager.snapshot)
                reads[slot] += 1
                stop.wait(0.001)  # a reader that never sleeps would starve the writer (GIL)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    readers = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in readers:
        t.start()
    try:
        for k in range(1, REWRITES + 1):
            write_atomic(cfg, version_text(k, servers))
            if k % 50 == 0:  # let the watcher catch up now and then, as a real editor would
                rec.wait(lambda s, k=k: s.get("c0").spec.description == f"v{k}", timeout=30)
        final = rec.wait(
            lambda s: (
                s.get("c0").spec.description == f"v{REWRITES}"
                and all(h.health != Health.CONNECTING for h in s)
            )
        )
        assert manager.wait_idle(10)
    finally:
        stop.set()
        for t in readers:
            t.join(5)
    assert not failures, failures[0]
    assert min(reads) > 10, "the readers really ran alongside the writer"
    for snap in rec.snapshots:
        check_consistent(snap)

    final = manager.snapshot
    assert final.names == tuple(f"c{i}" for i in range(1 + REWRITES % 4))
    assert all(h.health == Health.OK for h in final)
    # Nothing but the current snapshot's clients is open: every replaced one was closed.
    assert {id(c) for c in open_clients()} == final.clients()

    watcher.stop()
    manager.close()
    for s in servers:
        s.stop()
    assert open_clients() == []
    wait_until(lambda: set(threading.enumerate()) <= baseline_threads, timeout=10)
