"""Object details against the simulator: YAML, events, describe, secrets, addressing.

The fixed objects (`web_pod`, `web_events`, `web_secret`) are in `tests.sample_objects`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import pytest
import yaml
from kubernetes.client.exceptions import ApiException

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.objects import (
    ObjectRef,
    describe,
    error_text,
    events_for,
    get_object,
    human_duration,
    related_for,
    secret_keys,
    secret_value,
    smart_label,
    tabwrite,
    to_yaml,
)
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from tests.sample_objects import (
    CREATED,
    NOW,
    POD_REF,
    POD_UID,
    SECRET_REF,
    client_for,
    pod_event,
    web_events,
    web_pod,
)

# ------------------------------------------------------------------------------------ refs


def test_object_ref_paths() -> None:
    assert POD_REF.path == "/api/v1/namespaces/shop/pods/web-7d4b9c-x2x8k"
    assert POD_REF.display == "Pod shop/web-7d4b9c-x2x8k"
    node = ObjectRef("", "v1", "nodes", "Node", "worker-01")
    assert node.path == "/api/v1/nodes/worker-01"
    deploy = ObjectRef.from_kind_path("/apis/apps/v1", "deployments", "Deployment", "web", "shop")
    assert deploy.path == "/apis/apps/v1/namespaces/shop/deployments/web"
    assert deploy.api_version == "apps/v1" and deploy.kind_path == "/apis/apps/v1"

    class Kind:  # what the resource browser has
        group, version, plural, kind = "batch", "v1", "jobs", "Job"

    assert (
        ObjectRef.of(Kind(), "nightly", "ops").path == "/apis/batch/v1/namespaces/ops/jobs/nightly"
    )
    with pytest.raises(ValueError):
        ObjectRef.from_kind_path("/v1", "pods", "Pod", "x")


# ------------------------------------------------------------------------------------ YAML


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


# ---------------------------------------------------------------------------------- events


def test_events_for_asks_the_server_to_filter_and_sorts(
    sim: SimServer, client: ClusterClient
) -> None:
    mark = sim.mark()
    obj = get_object(client, POD_REF)
    events = events_for(client, obj)
    assert [e["reason"] for e in events] == ["Scheduled", "Pulled", "BackOff"]
    rec = sim.wait_for_request(lambda r: r.path == "/api/v1/namespaces/shop/events", since=mark)
    assert rec.query["fieldSelector"] == f"involvedObject.uid={POD_UID}"


class _NoSelectorClient:
    """A server that refuses field selectors on events (400), as some aggregated APIs do."""

    server = "https://old.example"

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.queries: list[list[tuple[str, Any]]] = []

    def get_json(self, path: str, query: list[tuple[str, Any]] | None = None) -> Any:
        query = query or []
        self.queries.append(query)
        if any(k == "fieldSelector" for k, _ in query):
            raise ApiException(
                status=400, reason="Bad Request", body='{"message": "field label not supported"}'
            )
        return {"items": self.items, "metadata": {}}


def test_events_fall_back_to_filtering_here() -> None:
    fake = _NoSelectorClient(web_events())
    events = events_for(fake, web_pod())  # type: ignore[arg-type]
    assert [e["reason"] for e in events] == ["Scheduled", "Pulled", "BackOff"]
    assert len(fake.queries) == 2


def test_node_events_match_by_name() -> None:
    node = {"kind": "Node", "metadata": {"name": "worker-01", "uid": "abc"}}
    by_name = pod_event("n.1", "NodeReady", "ready", first=0, last=0, uid="worker-01")
    by_name["involvedObject"].update(kind="Node", name="worker-01", namespace="")
    fake = _NoSelectorClient([by_name, web_events()[0]])
    assert [e["reason"] for e in events_for(fake, node)] == ["NodeReady"]  # type: ignore[arg-type]


# -------------------------------------------------------------------------------- describe


def test_describe_pod_shows_containers_conditions_and_events(client: ClusterClient) -> None:
    obj = get_object(client, POD_REF)
    text = describe(obj, events_for(client, obj), now=NOW, tz=UTC)
    lines = text.splitlines()
    assert lines[:4] == [
        "Name:             web-7d4b9c-x2x8k",
        "Namespace:        shop",
        "Priority:         0",
        "Service Account:  default",
    ]
    assert "Node:             sim-control-plane/10.0.0.10" in lines
    assert "Start Time:       Sun, 01 Mar 2026 09:00:00 +0000" in lines
    assert "Labels:           app=web" in lines
    assert "                  pod-template-hash=7d4b9c" in lines
    assert "Controlled By:  ReplicaSet/web-7d4b9c" in lines
    # both containers, their state, last state, restarts
    assert "  web:" in lines and "  metrics:" in lines
    assert "    Image:          nginx:1.27.3" in lines
    assert "    State:          Running" in lines
    assert "    Last State:     Terminated" in lines
    assert "      Reason:       OOMKilled" in lines
    assert "    Restart Count:  1" in lines
    assert "      /etc/nginx/conf.d from config (ro)" in lines
    # conditions table
    i = lines.index("Conditions:")
    assert lines[i + 1 : i + 3] == ["  Type             Status", "  Initialized      True"]
    # volumes, tolerations
    assert "    Type:        ConfigMap (a volume populated by a ConfigMap)" in lines
    assert "Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s" in lines
    # events, oldest first, with kubectl's age column
    i = lines.index("Events:")
    assert lines[i + 1 :] == [
        "  Type     Reason     Age                From               Message",
        "  ----     ------     ----               ----               -------",
        "  Normal   Scheduled  60m                default-scheduler  Successfully assigned "
        "shop/web-7d4b9c-x2x8k to sim-control-plane",
        "  Normal   Pulled     59m                kubelet            Container image "
        '"nginx:1.27.3" already present',
        "  Warning  BackOff    10m (x7 over 59m)  kubelet            Back-off restarting "
        "failed container web",
    ]


def test_describe_without_events_says_none() -> None:
    text = describe(web_pod(), [], now=NOW, tz=UTC)
    assert text.rstrip().endswith("\nEvents:          <none>")


@pytest.fixture(scope="module")
def cluster() -> Iterator[SimServer]:
    with SimServer(
        scenario=Scenario(nodes=3, namespaces=1, pods=6, failing_fraction=0, seed=3),
        log_interval=None,
    ) as s:
        yield s


def test_describe_deployment_node_service(cluster: SimServer) -> None:
    c = client_for(cluster)
    try:
        dep = next(d for d in cluster.store.list("deployments") if d["spec"]["replicas"] > 0)
        ns, name = dep["metadata"]["namespace"], dep["metadata"]["name"]
        obj = get_object(c, ObjectRef("apps", "v1", "deployments", "Deployment", name, ns))
        text = describe(obj, events_for(c, obj), related=related_for(c, obj), tz=UTC)
        replicas = obj["spec"]["replicas"]
        assert f"Replicas:               {replicas} desired | {replicas} updated" in text
        assert "StrategyType:           RollingUpdate" in text
        assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge" in text
        assert "Pod Template:\n  Labels:" in text
        assert "  Available      True    MinimumReplicasAvailable" in text
        new_rs = next(
            rs
            for rs in cluster.store.list("replicasets", ns)
            if rs["metadata"]["ownerReferences"][0]["uid"] == obj["metadata"]["uid"]
            and rs["spec"]["replicas"]
        )
        assert (
            f"NewReplicaSet:   {new_rs['metadata']['name']} ({replicas}/{replicas} replicas "
            "created)"
        ) in text

        node = get_object(c, ObjectRef("", "v1", "nodes", "Node", "worker-01"))
        text = describe(node, events_for(c, node), related=related_for(c, node), tz=UTC)
        for expected in (
            "Roles:              <none>",
            "Conditions:",
            "  Ready           True",
            "Addresses:",
            "  InternalIP:  ",
            "Capacity:",
            "Allocatable:",
            "System Info:",
            "  Kubelet Version:            v1.37.0",
            "Non-terminated Pods:",
        ):
            assert expected in text

        svc = get_object(c, ObjectRef("", "v1", "services", "Service", name, ns))
        text = describe(svc, [], related=related_for(c, svc), tz=UTC)
        assert f"Selector:                 app.kubernetes.io/name={name}" in text
        assert "Type:                     ClusterIP" in text
        assert "TargetPort:" in text

        # any other kind: the generic layout
        sts = cluster.store.list("daemonsets")[0]
        text = describe(sts, [], tz=UTC)
        assert "Kind:         DaemonSet" in text and "Spec:\n  Selector:\n    Match Labels:" in text
        assert "Status:\n  Current Number Scheduled:" in text
    finally:
        c.close()


def test_describe_writes_a_selector_as_kubectl_does() -> None:
    deploy = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "sel", "namespace": "default", "creationTimestamp": CREATED},
        "spec": {
            "selector": {
                "matchLabels": {"zone": "a", "app": "web"},
                "matchExpressions": [
                    {"key": "tier", "operator": "In", "values": ["web", "api"]},
                    {"key": "beta", "operator": "Exists"},
                    {"key": "old", "operator": "DoesNotExist"},
                    {"key": "env", "operator": "NotIn", "values": ["qa", "dev"]},
                ],
            },
        },
    }
    lines = describe(deploy, [], now=NOW, tz=UTC).splitlines()
    selector = next(line for line in lines if line.startswith("Selector:"))
    # What `kubectl describe deployment sel` prints for it (kubectl 1.3x, checked by hand).
    assert selector.split(None, 1)[1] == (
        "app=web,beta,env notin (dev,qa),!old,tier in (api,web),zone=a"
    )


def test_generic_describe_renders_conditions_as_a_table() -> None:
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "ns", "uid": "u", "generation": 2},
        "spec": {"size": 3, "enabled": True, "ports": [80, 443], "owner": None},
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "False",
                    "reason": "Pending",
                    "message": "waiting\n for it",
                }
            ],
            "phase": "Pending",
        },
    }
    text = describe(obj, [], now=NOW, tz=UTC)
    assert "Spec:\n  Size:     3\n  Enabled:  true\n  Ports:    80\n            443\n" in text
    assert "  Ready  False   Pending  waiting for it" in text
    assert "Metadata:\n  UID:         u\n  Generation:  2" in text


# --------------------------------------------------------------------------------- secrets


def test_secret_keys_and_values(client: ClusterClient) -> None:
    obj = get_object(client, SECRET_REF)
    assert secret_keys(obj) == [("ca.crt", 59), ("keystore", 40), ("password", 15), ("username", 3)]
    assert secret_value(obj, "password") == "s3cr3t-passw0rd"
    assert secret_value(obj, "ca.crt").startswith("-----BEGIN CERTIFICATE-----\nMIIB\n")
    binary = secret_value(obj, "keystore")
    assert binary.startswith("<binary, 40 bytes> 00 01 02") and binary.endswith("…")
    with pytest.raises(KeyError):
        secret_value(obj, "nope")
    text = describe(obj, [], tz=UTC)
    assert "password:  15 bytes" in text
    assert "s3cr3t" not in text  # describe never shows values


# ---------------------------------------------------------------------------------- errors


def test_errors_read_well(sim: SimServer, client: ClusterClient) -> None:
    with pytest.raises(ApiException) as exc:
        get_object(client, ObjectRef("", "v1", "pods", "Pod", "ghost", "shop"))
    assert exc.value.status == 404
    assert error_text(exc.value, client).endswith('pods "ghost" not found')
    sim.faults.allowed_namespaces = {"default"}
    try:
        with pytest.raises(ApiException) as exc:
            get_object(client, POD_REF)
        assert "403 Forbidden" in error_text(exc.value, client)
        assert "cannot get resource" in error_text(exc.value, client)
    finally:
        sim.faults.allowed_namespaces = None


# --------------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "<invalid>"),
        (0, "0s"),
        (119, "119s"),
        (125, "2m5s"),
        (600, "10m"),
        (7200, "120m"),
        (3 * 3600 + 60, "3h1m"),
        (10 * 3600, "10h"),
        (3 * 86400, "3d"),
        (30 * 86400, "30d"),
        (800 * 86400, "2y70d"),
        (3000 * 86400, "8y"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_tabwrite_aligns_column_blocks_like_go() -> None:
    lines = ["Name:\tweb", "Service Account:\tdefault", "IPs:", "  IP:\t10.0.0.1", "\tx"]
    assert tabwrite(lines) == [
        "Name:             web",
        "Service Account:  default",
        "IPs:",
        "  IP:  10.0.0.1",
        "       x",
    ]


def test_smart_label() -> None:
    assert smart_label("creationTimestamp") == "Creation Timestamp"
    assert smart_label("podIPs") == "Pod IPs"
    assert smart_label("uid") == "UID"
    assert smart_label("ipFamilies") == "IP Families"
    assert smart_label("httpGet") == "HTTP Get"
    assert smart_label("HTTPGet") == "HTTP Get"
    assert smart_label("podCIDRs") == "Pod CIDRs"
    assert smart_label("app.kubernetes.io/name") == "app.kubernetes.io/name"
