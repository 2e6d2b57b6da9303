"""`kubectl get -o yaml` of an object: key order, folded managedFields, exact strings."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.objects import ObjectRef, get_object
from kite_tui.core.kube.yaml import to_yaml
from kite_tui.sim.server import SimServer
from tests.fixed_objects import POD_REF, SECRET_REF
from tests.sim.helpers import Kubectl


def test_yaml_over_the_socket_folds_managed_fields_and_round_trips(client: ClusterClient) -> None:
    obj = get_object(client, POD_REF)
    assert obj["metadata"]["managedFields"]  # the server sent them
    text = to_yaml(obj)
    assert "managedFields" not in text
    expected = json.loads(json.dumps(obj))
    del expected["metadata"]["managedFields"]
    assert yaml.safe_load(text) == expected
    top = [line.split(":")[0] for line in text.splitlines() if line and not line[0].isspace()]
    assert top == ["apiVersion", "kind", "metadata", "spec", "status"]
    assert 'creationTimestamp: "2026-03-01T09:00:00Z"' in text  # quoted like kubectl
    full = to_yaml(obj, fold_managed_fields=False)
    assert "managedFields:" in full and yaml.safe_load(full) == obj


def test_yaml_keeps_tricky_strings_exact() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c", "annotations": {"a": "1", "b": "true", "c": "", "d": "null"}},
        "data": {"app.yaml": "server:\n  port: 8080\n", "trailing": "x  \ny ", "tab": "a\tb"},
    }
    text = to_yaml(obj)
    assert "app.yaml: |\n    server:\n      port: 8080\n" in text  # literal block
    assert yaml.safe_load(text) == obj


def test_secret_and_configmap_print_exactly_as_kubectl_prints_them(
    client: ClusterClient, sim: SimServer, tmp_path: Path
) -> None:
    # kubectl sorts every key, the top level's too: a Secret reads apiVersion, data,
    # kind, metadata, type; a ConfigMap apiVersion, binaryData, data, immutable, kind...
    sim.store.create(
        {
            "kind": "ConfigMap",
            "metadata": {"name": "settings", "namespace": "shop", "labels": {"app": "web"}},
            "immutable": True,
            "data": {"z.conf": "a = 1\n", "LEVEL": "debug", "port": "8080"},
            "binaryData": {"blob": "AAEC"},
        }
    )
    kubectl = Kubectl(sim, tmp_path)
    cm_ref = ObjectRef("", "v1", "configmaps", "ConfigMap", "settings", "shop")
    for ref in (SECRET_REF, cm_ref):
        ours = to_yaml(get_object(client, ref))
        theirs = kubectl("get", ref.plural, ref.name, "-n", "shop", "-o", "yaml").stdout
        assert ours == theirs
    top = [line.split(":")[0] for line in ours.splitlines() if not line[0].isspace()]
    assert top == ["apiVersion", "binaryData", "data", "immutable", "kind", "metadata"]
