"""Fixtures for app tests: simulators on loopback and config files pointing at them
(helpers to start them and write those files: helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui.sim.server import SimServer


@pytest.fixture
def sims() -> Iterator[dict[str, SimServer]]:
    """Simulators started with `helpers.start_sim`, stopped after the test."""
    started: dict[str, SimServer] = {}
    yield started
    for sim in started.values():
        sim.stop()


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"
