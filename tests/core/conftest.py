"""Fixtures for the manager and watcher tests: a config path, a recorder of the snapshots a
manager publishes, the manager itself (closed after the test) and `/version` servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui.core.manager import ClusterManager
from tests.helpers import SnapshotRecorder, StartServer, VersionServer


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    """Where the test's config file goes (not written yet)."""
    return tmp_path / "config.toml"


@pytest.fixture
def rec() -> SnapshotRecorder:
    return SnapshotRecorder()


@pytest.fixture
def manager(cfg: Path, rec: SnapshotRecorder) -> Iterator[ClusterManager]:
    """A manager of `cfg` publishing to `rec`; it reads the config at its first reload."""
    m = ClusterManager(cfg, rec)
    yield m
    m.close()


@pytest.fixture
def server() -> Iterator[StartServer]:
    """Starts a `VersionServer` (``server("v1.30.0", token=...)``), stopped after the test."""
    started: list[VersionServer] = []

    def start(version: str = "v1.31.0", token: str | None = None) -> VersionServer:
        s = VersionServer(version, token=token)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def srv(server: StartServer) -> VersionServer:
    """One `VersionServer`, for tests that need just one."""
    return server()
