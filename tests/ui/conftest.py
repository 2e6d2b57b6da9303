"""Fixtures for app tests: simulators on loopback and config files pointing at them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui.sim.server import SimServer


@pytest.fixture
def sims() -> Iterator[dict[str, SimServer]]:
    started: dict[str, SimServer] = {}
    yield started
    for sim in started.values():
        sim.stop()


def start_sim(sims: dict[str, SimServer], name: str, **kw: object) -> SimServer:
    sim = SimServer(name=name, **kw).start()  # type: ignore[arg-type]
    sims[name] = sim
    return sim


def entry(name: str, sim: SimServer | str, **extra: object) -> str:
    url = sim if isinstance(sim, str) else sim.url
    text = f'[[clusters]]\nname = "{name}"\nserver = "{url}"\n'
    for key, value in extra.items():
        text += f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}\n"
    return text


def settings(timeout: float = 2, resync: float = 60) -> str:
    return f"[settings]\nrequest_timeout_seconds = {timeout}\nresync_seconds = {resync}\n\n"


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"
