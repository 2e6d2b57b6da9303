"""Suite-wide checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kite_tui.core.kube.client import open_clients


@pytest.fixture(autouse=True)
def no_leaked_clients() -> Iterator[None]:
    """Every test closes the clients it (or the code under test) built."""
    before = {id(c) for c in open_clients()}
    yield
    leaked = [c for c in open_clients() if id(c) not in before]
    for client in leaked:
        client.close()
    assert not leaked, f"clients left open: {leaked}"
