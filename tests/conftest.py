"""Suite-wide checks, and the simulator of the fixed objects (`sim`, `client`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from kite_tui.core.kube.client import ClusterClient, open_clients
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from tests.fixed_objects import client_for, fixed_objects

# A build or probe still running when its test ends (its manager closed meanwhile) closes the
# client it made as soon as it returns; give it that long before calling the client leaked.
CLOSE_IN_FLIGHT_S = 20.0


def _builds_in_flight() -> bool:
    return any(t.name == "kite-build" and t.is_alive() for t in threading.enumerate())


@pytest.fixture(autouse=True)
def no_leaked_clients() -> Iterator[None]:
    """Every test closes the clients it (or the code under test) built."""
    before = {id(c) for c in open_clients()}
    yield

    def leaked() -> list[ClusterClient]:
        return [c for c in open_clients() if id(c) not in before]

    # Not a fixed wait: it ends as soon as nothing is open, or nothing could still close it.
    deadline = time.monotonic() + CLOSE_IN_FLIGHT_S
    while leaked() and _builds_in_flight() and time.monotonic() < deadline:
        time.sleep(0.02)
    left = leaked()
    for client in left:
        client.close()
    assert not left, f"clients left open: {left}"


@pytest.fixture
def sim() -> Iterator[SimServer]:
    """A simulator serving the fixed objects (tests/fixed_objects.py) beside a one-node
    scenario with a pod in every tricky state (namespace ``tricky``); no log lines but those
    a test writes. Tests that need another cluster define their own ``sim``."""
    scenario = Scenario(nodes=1, namespaces=1, pods=0, tricky=True, seed=7)
    with SimServer(scenario=scenario, objects=fixed_objects(), log_interval=None) as s:
        yield s


@pytest.fixture
def client(sim: SimServer) -> Iterator[ClusterClient]:
    """A client for `sim`, closed after the test."""
    c = client_for(sim)
    yield c
    c.close()
