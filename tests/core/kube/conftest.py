"""Fixtures for the kube tests: servers that answer fixed bodies. The simulator serving the
fixed objects (`sim`, `client`) is tests/conftest.py's; modules that need another cluster (the
feed's) define their own, which take precedence.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import BodyServer


@pytest.fixture
def servers() -> Iterator[list[BodyServer]]:
    """`BodyServer`s started by a test (see `tests.helpers.body_server`), stopped after it."""
    started: list[BodyServer] = []
    yield started
    for s in started:
        s.stop()
