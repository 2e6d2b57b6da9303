"""Fixtures for the simulator tests: simulators on ephemeral ports and clients for them
(helpers to make more of them: helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kubernetes import client

from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer

from .helpers import api_client


@pytest.fixture
def sim() -> Iterator[SimServer]:
    """A small cluster with one pod in every tricky state (namespace ``tricky``)."""
    with SimServer(
        scenario=Scenario(
            nodes=3, namespaces=3, pods=40, tricky=True, failing_fraction=0.2, seed=7
        ),
        token="s3cret",
        log_interval=None,
    ) as s:
        yield s


@pytest.fixture
def api(sim: SimServer, tmp_path: Path) -> Iterator[client.ApiClient]:
    c = api_client(sim, tmp_path)
    yield c
    c.close()


@pytest.fixture
def v1(api: client.ApiClient) -> client.CoreV1Api:
    return client.CoreV1Api(api)
