"""`kubectl get -o yaml` of an object: key order, folded managedFields, exact strings."""

from __future__ import annotations

import json

import yaml

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.objects import get_object
from kite_tui.core.kube.yaml import to_yaml
from tests.fixed_objects import POD_REF


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
