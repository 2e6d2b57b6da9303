"""Suite-wide checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from kite_tui.core.kube.client import ClusterClient, open_clients

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
