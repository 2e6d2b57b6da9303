"""Fixtures for the kube tests: servers that answer fixed bodies. The simulator serving the
fixed objects (`sim`, `client`) is tests/conftest.py's (the pool tests use it); modules that
need another cluster (the feed's) define their own, which take precedence. What the feed and
pool tests share is in tests/core/kube/helpers.py.
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
