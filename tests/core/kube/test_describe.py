"""`kubectl describe` of objects from the simulator: pods, deployments, nodes, services, any
other kind, and the prefix writer's alignment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

import pytest

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.describe import describe, smart_label, tabwrite
from kite_tui.core.kube.objects import ObjectRef, events_for, get_object, related_for
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from tests.fixed_objects import CREATED, NOW, POD_REF, client_for, web_pod


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
    # kubectl writes each cell with a trailing space: its columns are one wider
    assert lines[i + 1 : i + 3] == ["  Type              Status", "  Initialized       True"]
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
            "  Ready            True ",
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

        # a daemon set: kubectl's own layout for it, not the generic one
        ds = cluster.store.list("daemonsets")[0]
        text = describe(ds, [], tz=UTC)
        assert "Kind:" not in text and "Desired Number of Nodes Scheduled: " in text
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


def test_generic_describe_prints_every_field_sorted_as_kubectl() -> None:
    """kubectl's generic layout (``printUnstructuredContent``): every field sorted, nested
    maps under smart labels, list items one per line, conditions included as fields (it
    draws no table for them), Go's ``%v`` for values (``<nil>``, ``true``)."""
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "ns", "uid": "u", "generation": 2},
        "spec": {"size": 3, "enabled": True, "ports": [80, 443], "owner": None},
        "status": {
            "conditions": [
                {"type": "Ready", "status": "False", "reason": "Pending", "message": "waiting"}
            ],
            "phase": "Pending",
        },
    }
    assert describe(obj, [], now=NOW, tz=UTC).splitlines() == [
        "Name:         w",
        "Namespace:    ns",
        "Labels:       <none>",
        "Annotations:  <none>",
        "API Version:  example.com/v1",
        "Kind:         Widget",
        "Metadata:",
        "  Generation:  2",
        "  UID:         u",
        "Spec:",
        "  Enabled:  true",
        "  Owner:    <nil>",
        "  Ports:",
        "    80",
        "    443",
        "  Size:  3",
        "Status:",
        "  Conditions:",
        "    Message:  waiting",
        "    Reason:   Pending",
        "    Status:   False",
        "    Type:     Ready",
        "  Phase:      Pending",
        "Events:       <none>",
    ]


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
    """kubectl's ``smartLabelFor``, its quirks included (checked against kubectl's
    generic describe of the same fields)."""
    assert smart_label("creationTimestamp") == "Creation Timestamp"
    assert smart_label("podIPs") == "Pod I Ps"
    assert smart_label("uid") == "UID"
    assert smart_label("apiVersion") == "API Version"
    assert smart_label("ipFamilies") == "Ip Families"
    assert smart_label("httpGet") == "Http Get"
    assert smart_label("HTTPGet") == "HTTPGet"
    assert smart_label("podCIDRs") == "Pod CIDRs"
    assert smart_label("clusterIP") == "Cluster IP"
    assert smart_label("app.kubernetes.io/name") == "app.kubernetes.io/name"
    assert smart_label("ipv4") == "ipv4"


def test_namespace_quotas_and_limit_ranges_as_kubectl() -> None:
    """``describeNamespace``'s sections, as its code writes them (the simulator serves no
    quotas yet, so this is checked against kubectl's source rather than its output)."""
    ns = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "shop", "creationTimestamp": CREATED},
        "status": {"phase": "Active"},
    }
    quota = {
        "metadata": {"name": "compute"},
        "spec": {"hard": {"cpu": "2", "memory": "4Gi", "pods": "10"}},
        "status": {
            "hard": {"cpu": "2", "memory": "4Gi", "pods": "10"},
            "used": {"cpu": "500m", "memory": "1Gi"},
        },
    }
    limits = {
        "metadata": {"name": "defaults"},
        "spec": {
            "limits": [
                {
                    "type": "Container",
                    "min": {"cpu": "10m"},
                    "max": {"cpu": "2"},
                    "defaultRequest": {"cpu": "100m"},
                    "default": {"cpu": "500m"},
                }
            ]
        },
    }
    text = describe(ns, related={"resourcequotas": [quota], "limitranges": [limits]}, now=NOW)
    assert text.splitlines() == [
        "Name:         shop",
        "Labels:       <none>",
        "Annotations:  <none>",
        "Status:       Active",
        "",
        "Resource Quotas",
        "  Name:     compute",
        "  Resource  Used  Hard",
        "  --------  ---   ---",
        "  cpu       500m  2",
        "  memory    1Gi   4Gi",
        "  pods      0     10",
        "",
        "Resource Limits",
        " Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio",
        " ----       --------  ---  ---  ---------------  -------------  -----------------------",
        " Container  cpu       10m  2    100m             500m           -",
    ]
    empty = describe(ns, related={"resourcequotas": [], "limitranges": []}, now=NOW)
    assert empty.endswith("\n\nNo resource quota.\n\nNo LimitRange resource.\n")
    # a server that serves neither (404): no sections, as kubectl
    assert describe(ns, now=NOW).endswith("Status:       Active\n")


def test_node_lease_as_kubectl() -> None:
    node = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "n1", "creationTimestamp": CREATED},
        "status": {},
    }
    lease = {"spec": {"holderIdentity": "n1", "renewTime": "2026-03-01T09:59:50.000000Z"}}
    lines = describe(node, related={"lease": [lease]}, now=NOW, tz=UTC).splitlines()
    i = lines.index("Lease:")
    assert lines[i + 1 : i + 4] == [
        "  HolderIdentity:  n1",
        "  AcquireTime:     <unset>",
        "  RenewTime:       Sun, 01 Mar 2026 09:59:50 +0000",
    ]
    failed = describe(
        node, related={"lease_error": [{"message": 'leases "n1" not found'}]}, now=NOW
    )
    assert 'Lease:              Failed to get lease: leases "n1" not found' in failed.splitlines()


def test_describers_are_picked_by_group_and_kind() -> None:
    """A custom resource that happens to be called Job is not a batch Job: kubectl gives
    it the generic layout, and so do we."""
    batch = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "j", "namespace": "ns", "creationTimestamp": CREATED},
        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}},
        "status": {"active": 1},
    }
    custom = {**batch, "apiVersion": "example.com/v1"}
    lines = describe(batch, [], now=NOW).splitlines()
    assert "Pods Statuses:  1 Active / 0 Succeeded / 0 Failed" in lines
    text = describe(custom, [], now=NOW)
    assert "Pods Statuses:" not in text
    assert "API Version:  example.com/v1" in text and "Kind:         Job" in text


def test_service_endpoints_as_kubectl() -> None:
    """``formatEndpointSlices``: ready addresses of the port's name, three at most and
    ``+ N more...``; none read: ``<none>``."""
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}]},
    }
    ready = [{"addresses": [f"10.0.0.{i}"], "conditions": {"ready": True}} for i in range(1, 6)]
    not_ready = {"addresses": ["10.0.0.9"], "conditions": {"ready": False}}
    slices = [
        {
            "ports": [{"name": "http", "port": 8080}, {"name": "other", "port": 9000}],
            "endpoints": [not_ready, *ready],
        }
    ]
    lines = describe(svc, related={"endpointslices": slices}, now=NOW).splitlines()
    assert "Endpoints:         10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more..." in lines
    assert "Port:              http  80/TCP" in lines
    lines = describe(svc, now=NOW).splitlines()
    assert "Endpoints:         <none>" in lines


def test_an_autoscaling_v1_autoscaler_gets_kubectls_v1_layout() -> None:
    """kubectl falls back to autoscaling/v1 (a CPU target, no metrics list) when v2 is not
    served; an object read as v1 is laid out that way, not as a v2 one without metrics."""
    hpa = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "shop", "creationTimestamp": CREATED},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 6,
            "targetCPUUtilizationPercentage": 70,
        },
        "status": {"currentReplicas": 2, "desiredReplicas": 3},
    }
    assert describe(hpa, now=NOW, tz=UTC).splitlines() == [
        "Name:                     web",
        "Namespace:                shop",
        "Labels:                   <none>",
        "Annotations:              <none>",
        "CreationTimestamp:        Sun, 01 Mar 2026 09:00:00 +0000",
        "Reference:                Deployment/web",
        "Target CPU utilization:   70%",
        "Current CPU utilization:  <unknown>%",
        "Min replicas:             2",
        "Max replicas:             6",
        "Deployment pods:          2 current / 3 desired",
        "Events:                   <none>",
    ]
