"""The config-watch thread: real files, real inotify, real HTTP servers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui.core.manager import ClusterManager
from kite_tui.core.snapshot import Health
from kite_tui.core.watcher import ConfigWatcher, watch_targets
from tests.helpers import (
    SnapshotRecorder,
    VersionServer,
    all_settled,
    cluster,
    config_text,
    wait_until,
    write_atomic,
)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, SnapshotRecorder, ConfigWatcher]]:
    cfg = tmp_path / "conf" / "config.toml"
    rec = SnapshotRecorder()
    manager = ClusterManager(cfg, rec)
    watcher = ConfigWatcher(manager, debounce_ms=50).start()
    yield cfg, rec, watcher
    watcher.stop()
    manager.close()


def test_config_saved_by_atomic_rename_is_picked_up(
    watched: tuple[Path, SnapshotRecorder, ConfigWatcher], srv: VersionServer
) -> None:
    cfg, rec, _ = watched
    cfg.parent.mkdir()
    write_atomic(cfg, config_text(cluster("a", srv.url)))
    rec.wait(lambda s: s.names == ("a",) and all_settled(s))
    write_atomic(cfg, config_text(cluster("a", srv.url), cluster("b", srv.url)))
    snap = rec.wait(lambda s: s.names == ("a", "b") and all_settled(s))
    assert snap.get("b").health == Health.OK


def test_missing_config_directory_is_watched_until_it_appears(
    watched: tuple[Path, SnapshotRecorder, ConfigWatcher], srv: VersionServer
) -> None:
    cfg, rec, _ = watched
    snap = rec.wait(lambda s: s.config_error is not None)
    assert "config file not found" in snap.config_error
    cfg.parent.mkdir()
    cfg.write_text(config_text(cluster("a", srv.url)))
    snap = rec.wait(lambda s: s.names == ("a",) and s.config_error is None)


def test_editor_scratch_files_do_not_trigger_reloads(
    watched: tuple[Path, SnapshotRecorder, ConfigWatcher], srv: VersionServer, tmp_path: Path
) -> None:
    cfg, rec, watcher = watched
    cfg.parent.mkdir()
    cfg.write_text(config_text(cluster("a", srv.url)))
    rec.wait(all_settled)
    targets = watch_targets([cfg])
    assert targets == {cfg.parent: frozenset({"config.toml"})}
    # What vim does on :w: probe file 4913, swap files; plus unrelated neighbours.
    scratch = ("4913", ".config.toml.swp", ".config.toml.swx", "config.toml~", "notes.txt")
    for name in scratch:
        (cfg.parent / name).write_text("x")
    cfg.write_text(config_text(cluster("a", srv.url), cluster("b", srv.url)))
    rec.wait(lambda s: s.names == ("a", "b"))
    # However the events were batched, the scratch files never caused a reload.
    assert watcher.reloads >= 1
    assert not set(scratch) & set(watcher.reload_causes), watcher.reload_causes


def test_broken_save_keeps_clusters_and_fix_clears_error(
    watched: tuple[Path, SnapshotRecorder, ConfigWatcher], srv: VersionServer
) -> None:
    cfg, rec, _ = watched
    cfg.parent.mkdir()
    good = config_text(cluster("a", srv.url))
    write_atomic(cfg, good)
    client = rec.wait(all_settled).get("a").client
    write_atomic(cfg, good + "[[clusters]\n")
    snap = rec.wait(lambda s: s.config_error is not None)
    assert snap.config_error.startswith(f"{cfg}:7:")
    assert snap.get("a").client is client
    write_atomic(cfg, good)
    snap = rec.wait(lambda s: s.config_error is None)
    assert snap.get("a").client is client


def test_rewritten_token_file_in_another_directory_is_picked_up(
    watched: tuple[Path, SnapshotRecorder, ConfigWatcher], tmp_path: Path
) -> None:
    cfg, rec, _ = watched
    secure = VersionServer(token="one")
    try:
        secrets = tmp_path / "secrets"
        secrets.mkdir()
        token = secrets / "token"
        token.write_text("one")
        cfg.parent.mkdir()
        cfg.write_text(config_text(cluster("s", secure.url, token_file=str(token))))
        rec.wait(lambda s: all_settled(s) and s.get("s").health == Health.OK)
        secure.token = "two"
        write_atomic(token, "two")
        snap = rec.wait(
            lambda s: s.get("s").health == Health.OK and secure.requests[-1]["auth"] == "Bearer two"
        )
        assert snap.get("s").error is None
    finally:
        secure.stop()


def test_resync_on_request_and_on_the_clock(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, srv: VersionServer
) -> None:
    cfg.write_text("[settings]\nresync_seconds = 0.3\n" + cluster("a", srv.url))
    watcher = ConfigWatcher(manager, debounce_ms=50, poll_ms=100).start()
    try:
        rec.wait(all_settled)
        srv.mode = 503
        # The clock alone brings the outage to light.
        rec.wait(lambda s: s.get("a").health == Health.UNREACHABLE)
        srv.mode = "ok"
        watcher.request_resync()
        rec.wait(lambda s: s.get("a").health == Health.OK)
    finally:
        watcher.stop()


def test_watcher_thread_stops_promptly(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    manager = ClusterManager(cfg)
    watcher = ConfigWatcher(manager).start()
    wait_until(lambda: manager.snapshot.generation >= 0 and watcher.alive)
    stopped = threading.Event()

    def stop() -> None:
        watcher.stop(timeout=5)
        stopped.set()

    threading.Thread(target=stop).start()
    assert stopped.wait(2), "stop() must not hang"
    assert not watcher.alive
    manager.close()


class WriteWhileArming:
    """Wraps `watchfiles.watch`: runs `action` on the Nth call, before that watch is armed.

    The watcher reloads, then (re)starts its watch; a save that lands between the two is the
    one an inotify-only watcher never hears of. This puts a save exactly there, every time.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, on_call: int, action) -> None:  # type: ignore[no-untyped-def]
        import watchfiles

        self.calls = 0
        self.done = threading.Event()
        real = watchfiles.watch

        def watch(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls += 1
            if self.calls == on_call:
                action()
                self.done.set()
            return real(*args, **kwargs)

        monkeypatch.setattr(watchfiles, "watch", watch)


def test_save_before_the_watch_is_armed_is_not_lost(
    cfg: Path,
    rec: SnapshotRecorder,
    manager: ClusterManager,
    srv: VersionServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cfg.write_text(config_text(cluster("a", srv.url)))
    arming = WriteWhileArming(
        monkeypatch, 1, lambda: write_atomic(cfg, config_text(cluster("renamed", srv.url)))
    )
    # A resync clock far away: only the watcher itself can bring the save to light.
    watcher = ConfigWatcher(manager, debounce_ms=50, poll_ms=100).start()
    try:
        assert arming.done.wait(10)
        rec.wait(lambda s: s.names == ("renamed",), timeout=10)
    finally:
        watcher.stop()


def test_save_while_the_watch_is_re_armed_is_not_lost(
    cfg: Path,
    rec: SnapshotRecorder,
    manager: ClusterManager,
    tmp_path: Path,
    srv: VersionServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Referencing a new token file changes what is watched: the watch is re-armed, and a save
    # of the config in that window must still be seen.
    token = tmp_path / "secrets" / "token"
    token.parent.mkdir()
    token.write_text("t")
    cfg.write_text(config_text(cluster("a", srv.url)))
    arming = WriteWhileArming(
        monkeypatch,
        2,
        lambda: write_atomic(
            cfg,
            config_text(cluster("a", srv.url, token_file=str(token)), cluster("b", srv.url)),
        ),
    )
    watcher = ConfigWatcher(manager, debounce_ms=50, poll_ms=100).start()
    try:
        rec.wait(all_settled)
        write_atomic(cfg, config_text(cluster("a", srv.url, token_file=str(token))))
        assert arming.done.wait(10), "the watch was never re-armed"
        rec.wait(lambda s: s.names == ("a", "b"), timeout=10)
    finally:
        watcher.stop()


def test_config_directory_replaced_is_followed(
    watched: tuple[Path, SnapshotRecorder, ConfigWatcher], srv: VersionServer, tmp_path: Path
) -> None:
    # `mv ~/.config/kite-tui elsewhere`, then the directory comes back with another file.
    cfg, rec, _ = watched
    cfg.parent.mkdir()
    write_atomic(cfg, config_text(cluster("a", srv.url)))
    rec.wait(lambda s: s.names == ("a",) and all_settled(s))
    cfg.parent.rename(tmp_path / "elsewhere")
    snap = rec.wait(lambda s: s.config_missing)
    assert snap.names == ("a",), "the last good clusters stay while the file is gone"
    cfg.parent.mkdir()
    write_atomic(cfg, config_text(cluster("renamed", srv.url)))
    rec.wait(lambda s: s.names == ("renamed",) and not s.config_missing)
    # ...and the new directory is watched from then on.
    write_atomic(cfg, config_text(cluster("renamed", srv.url), cluster("later", srv.url)))
    rec.wait(lambda s: s.names == ("renamed", "later"))
