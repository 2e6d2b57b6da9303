"""Fixtures for the kube tests: a simulator serving the fixed objects, a client for it, and
servers that answer fixed bodies.

Modules that need another cluster (the feed's, the log stream's) define their own `sim`
and `client`, which take precedence here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kite_tui.core.kube.client import ClusterClient
from kite_tui.sim.server import SimServer
from tests.helpers import BodyServer
from tests.sample_objects import client_for, fixed_objects


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(objects=fixed_objects(), log_interval=None) as s:
        yield s


@pytest.fixture(scope="module")
def client(sim: SimServer) -> Iterator[ClusterClient]:
    c = client_for(sim)
    yield c
    c.close()


@pytest.fixture
def servers() -> Iterator[list[BodyServer]]:
    """`BodyServer`s started by a test (see `tests.helpers.body_server`), stopped after it."""
    started: list[BodyServer] = []
    yield started
    for s in started:
        s.stop()
