"""The official kubernetes client against every simulator endpoint (typed models)."""

from __future__ import annotations

import json

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from kite_tui.sim.server import SimServer

from .helpers import get_json, raw


def test_version_has_all_nine_fields(api: client.ApiClient) -> None:
    info = client.VersionApi(api).get_code()
    for field in (
        "major",
        "minor",
        "git_version",
        "git_commit",
        "git_tree_state",
        "build_date",
        "go_version",
        "compiler",
        "platform",
    ):
        assert getattr(info, field), field
    assert info.git_version.startswith("v1.")


def test_discovery(api: client.ApiClient) -> None:
    core = client.CoreApi(api).get_api_versions()
    assert core.versions == ["v1"]
    assert core.server_address_by_client_cidrs
    groups = {g.name: g for g in client.ApisApi(api).get_api_versions().groups}
    assert {"apps", "batch", "networking.k8s.io", "metrics.k8s.io"} <= set(groups)
    assert groups["apps"].preferred_version.group_version == "apps/v1"
    core_res = {r.name: r for r in client.CoreV1Api(api).get_api_resources().resources}
    for name in (
        "namespaces",
        "nodes",
        "pods",
        "pods/log",
        "services",
        "configmaps",
        "secrets",
        "events",
        "persistentvolumeclaims",
    ):
        assert name in core_res, name
    assert core_res["pods"].short_names == ["po"]
    assert core_res["pods"].singular_name == "pod"
    assert "watch" in core_res["pods"].verbs and core_res["pods"].namespaced
    assert not core_res["nodes"].namespaced
    apps = {r.name for r in client.AppsV1Api(api).get_api_resources().resources}
    assert {"deployments", "replicasets", "statefulsets", "daemonsets"} <= apps
    batch = {r.name for r in client.BatchV1Api(api).get_api_resources().resources}
    assert {"jobs", "cronjobs"} <= batch
    net = {r.name for r in client.NetworkingV1Api(api).get_api_resources().resources}
    assert "ingresses" in net
    assert client.AppsApi(api).get_api_group().name == "apps"


def test_metrics_discovery(sim: SimServer) -> None:
    status, body = get_json(sim, "/apis/metrics.k8s.io/v1beta1")
    assert status == 200
    kinds = {r["name"]: r["kind"] for r in body["resources"]}
    assert kinds == {"nodes": "NodeMetrics", "pods": "PodMetrics"}


V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
PROTOBUF_V2 = (
    "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
)


@pytest.mark.parametrize(
    "accept, content_type",
    [
        (f"{V2},{V2BETA1},application/json", V2),  # what kubectl and kite-tui ask for
        (f"{V2BETA1},application/json", V2BETA1),
        (f"{PROTOBUF_V2},{V2},application/json", V2),  # protobuf passed over
        ("application/json", "application/json"),
        (f"application/json,{V2}", "application/json"),  # the first acceptable type wins
    ],
)
def test_aggregated_discovery_is_negotiated(sim: SimServer, accept: str, content_type: str) -> None:
    for path, legacy_kind in (("/api", "APIVersions"), ("/apis", "APIGroupList")):
        r = raw(sim, path, accept=accept)
        assert r.status == 200
        assert r.headers["Content-Type"] == content_type
        doc = json.loads(r.data)
        if content_type == "application/json":
            assert doc["kind"] == legacy_kind
        else:
            assert doc["kind"] == "APIGroupDiscoveryList"
            version = "v2beta1" if content_type == V2BETA1 else "v2"
            assert doc["apiVersion"] == f"apidiscovery.k8s.io/{version}"


def test_aggregated_discovery_says_what_the_legacy_documents_say(sim: SimServer) -> None:
    """Every group, version (preferred first), resource and subresource, from one source."""
    legacy: dict[str, list[dict]] = {}
    _, core = get_json(sim, "/api")
    _, apis = get_json(sim, "/apis")
    gvs = [("", v) for v in core["versions"]]
    for g in apis["groups"]:
        assert g["preferredVersion"] == g["versions"][0]
        gvs += [(g["name"], v["version"]) for v in g["versions"]]
    for group, version in gvs:
        _, doc = get_json(sim, f"/apis/{group}/{version}" if group else f"/api/{version}")
        legacy[f"{group}/{version}"] = doc["resources"]
    aggregated: dict[str, list[dict]] = {}
    for path in ("/api", "/apis"):
        _, doc = get_json(sim, path, accept=V2)
        for item in doc["items"]:
            for v in item["versions"]:
                assert v["freshness"] == "Current"
                aggregated[f"{item['metadata']['name']}/{v['version']}"] = v["resources"]
    assert list(aggregated) == list(legacy)
    for gv, resources in legacy.items():
        expected = []
        for r in resources:
            name, _, sub = r["name"].partition("/")
            if not sub:
                expected.append(
                    (name, r["singularName"], r["kind"], r["namespaced"], r["verbs"],
                     r.get("shortNames", []), r.get("categories", []), [])
                )  # fmt: skip
            else:
                kind = {
                    "group": r.get("group", ""),
                    "version": r.get("version", ""),
                    "kind": r["kind"],
                }
                expected[-1][-1].append((sub, kind, r["verbs"]))
        got = [
            (r["resource"], r["singularResource"], r["responseKind"]["kind"],
             r["scope"] == "Namespaced", r["verbs"], r.get("shortNames", []),
             r.get("categories", []),
             [(s["subresource"], s["responseKind"], s["verbs"]) for s in r.get("subresources", [])])
            for r in aggregated[gv]
        ]  # fmt: skip
        assert got == expected, gv


LISTS = [
    ("CoreV1Api", "list_namespace", "read_namespace", False),
    ("CoreV1Api", "list_node", "read_node", False),
    ("CoreV1Api", "list_pod_for_all_namespaces", "read_namespaced_pod", True),
    ("CoreV1Api", "list_service_for_all_namespaces", "read_namespaced_service", True),
    ("CoreV1Api", "list_config_map_for_all_namespaces", "read_namespaced_config_map", True),
    ("CoreV1Api", "list_secret_for_all_namespaces", "read_namespaced_secret", True),
    ("CoreV1Api", "list_event_for_all_namespaces", "read_namespaced_event", True),
    (
        "CoreV1Api",
        "list_persistent_volume_claim_for_all_namespaces",
        "read_namespaced_persistent_volume_claim",
        True,
    ),
    ("AppsV1Api", "list_deployment_for_all_namespaces", "read_namespaced_deployment", True),
    ("AppsV1Api", "list_replica_set_for_all_namespaces", "read_namespaced_replica_set", True),
    ("AppsV1Api", "list_stateful_set_for_all_namespaces", "read_namespaced_stateful_set", True),
    ("AppsV1Api", "list_daemon_set_for_all_namespaces", "read_namespaced_daemon_set", True),
    ("BatchV1Api", "list_job_for_all_namespaces", "read_namespaced_job", True),
    ("BatchV1Api", "list_cron_job_for_all_namespaces", "read_namespaced_cron_job", True),
    ("NetworkingV1Api", "list_ingress_for_all_namespaces", "read_namespaced_ingress", True),
]


@pytest.fixture
def sim_all_kinds():
    # enough pods that every kind (statefulset, cronjob, ingress ...) shows up
    from kite_tui.sim.scenario import Scenario

    with SimServer(
        scenario=Scenario(
            nodes=4, namespaces=4, pods=160, tricky=True, failing_fraction=0.3, seed=3
        )
    ) as s:
        yield s


@pytest.mark.parametrize("api_cls,list_fn,read_fn,namespaced", LISTS)
def test_typed_list_and_get_every_kind(
    sim_all_kinds: SimServer, tmp_path, api_cls, list_fn, read_fn, namespaced
) -> None:
    from .helpers import api_client

    api = api_client(sim_all_kinds, tmp_path)
    try:
        obj_api = getattr(client, api_cls)(api)
        result = getattr(obj_api, list_fn)()
        assert result.items, f"{list_fn} returned nothing"
        assert int(result.metadata.resource_version) == sim_all_kinds.store.resource_version
        first = result.items[-1]
        if namespaced:
            got = getattr(obj_api, read_fn)(first.metadata.name, first.metadata.namespace)
        else:
            got = getattr(obj_api, read_fn)(first.metadata.name)
        assert got.metadata.uid == first.metadata.uid
    finally:
        api.close()


def test_list_matches_store(v1: client.CoreV1Api, sim: SimServer) -> None:
    pods = v1.list_pod_for_all_namespaces().items
    stored = sim.store.list("pods")
    assert [(p.metadata.namespace, p.metadata.name) for p in pods] == [
        (p["metadata"]["namespace"], p["metadata"]["name"]) for p in stored
    ]
    ns_pods = v1.list_namespaced_pod("tricky").items
    assert {p.metadata.namespace for p in ns_pods} == {"tricky"}
    assert len(ns_pods) == len(sim.store.list("pods", "tricky"))


def test_owner_references_chain(sim: SimServer) -> None:
    deps = sim.store.list("deployments")
    rs_by_uid = {r["metadata"]["uid"]: r for r in sim.store.list("replicasets")}
    checked = 0
    for pod in sim.store.list("pods"):
        refs = pod["metadata"].get("ownerReferences") or []
        if refs and refs[0]["kind"] == "ReplicaSet":
            rs = rs_by_uid[refs[0]["uid"]]
            dep_ref = rs["metadata"]["ownerReferences"][0]
            assert dep_ref["kind"] == "Deployment"
            assert dep_ref["uid"] in {d["metadata"]["uid"] for d in deps}
            checked += 1
    assert checked > 5


def test_not_found_is_a_status(v1: client.CoreV1Api) -> None:
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod("nope", "tricky")
    assert exc.value.status == 404
    body = json.loads(exc.value.body)
    assert body["kind"] == "Status" and body["reason"] == "NotFound"
    assert body["details"] == {"name": "nope", "kind": "pods"}
    assert body["message"] == 'pods "nope" not found'
    with pytest.raises(ApiException) as exc:
        client.AppsV1Api(v1.api_client).read_namespaced_deployment("nope", "tricky")
    assert json.loads(exc.value.body)["details"]["group"] == "apps"


def test_label_selectors(v1: client.CoreV1Api, sim: SimServer) -> None:
    dep = next(d for d in sim.store.list("deployments") if d["spec"]["replicas"] > 1)
    name = dep["metadata"]["name"]
    pods = v1.list_pod_for_all_namespaces(label_selector=f"app.kubernetes.io/name={name}").items
    assert len(pods) == dep["spec"]["replicas"]
    pods_in = v1.list_pod_for_all_namespaces(
        label_selector=f"app.kubernetes.io/name in ({name},other)"
    ).items
    assert len(pods_in) == len(pods)
    not_in = v1.list_pod_for_all_namespaces(label_selector=f"app.kubernetes.io/name!={name}")
    assert len(not_in.items) + len(pods) == len(sim.store.list("pods"))
    assert all(
        "run" not in (p.metadata.labels or {})
        for p in v1.list_pod_for_all_namespaces(label_selector="!run").items
    )


def test_label_selectors_are_parsed_like_the_api_server(
    v1: client.CoreV1Api, sim: SimServer
) -> None:
    for name, rank in (("rank-1", "1"), ("rank-5", "5"), ("rank-x", "x")):
        sim.store.create(
            {
                "kind": "Pod",
                "metadata": {"name": name, "namespace": "tricky", "labels": {"rank": rank}},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
            }
        )

    def names(selector: str) -> list[str]:
        pods = v1.list_namespaced_pod("tricky", label_selector=selector).items
        return sorted(p.metadata.name for p in pods)

    assert names("rank>2") == ["rank-5"]  # a value that is not an integer never compares
    assert names("rank<2,rank") == ["rank-1"]
    assert names("rank in (x,)") == ["rank-x"]  # "(x,)": x or the empty value
    with pytest.raises(ApiException) as exc:
        v1.list_namespaced_pod("tricky", label_selector="-bad=1")
    assert exc.value.status == 400
    assert "invalid label key '-bad'" in json.loads(exc.value.body)["message"]


def test_field_selectors(v1: client.CoreV1Api) -> None:
    pods = v1.list_pod_for_all_namespaces(field_selector="metadata.name=running").items
    assert [(p.metadata.namespace, p.metadata.name) for p in pods] == [("tricky", "running")]
    pods = v1.list_pod_for_all_namespaces(field_selector="metadata.namespace=tricky").items
    assert pods and all(p.metadata.namespace == "tricky" for p in pods)
    pods = v1.list_namespaced_pod("tricky", field_selector="metadata.name!=running").items
    assert "running" not in {p.metadata.name for p in pods}
    with pytest.raises(ApiException) as exc:
        v1.list_pod_for_all_namespaces(field_selector="spec.bogus=1")
    assert exc.value.status == 400
    assert "field label not supported" in json.loads(exc.value.body)["message"]


def test_limit_and_continue(v1: client.CoreV1Api, sim: SimServer) -> None:
    total = len(sim.store.list("pods"))
    first = v1.list_pod_for_all_namespaces(limit=7)
    assert len(first.items) == 7
    assert first.metadata.remaining_item_count == total - 7
    rv = first.metadata.resource_version
    names = [p.metadata.name for p in first.items]
    token = first.metadata._continue
    pages = 1
    while token:
        page = v1.list_pod_for_all_namespaces(limit=7, _continue=token)
        assert page.metadata.resource_version == rv
        names += [p.metadata.name for p in page.items]
        token = page.metadata._continue
        pages += 1
    assert pages == -(-total // 7)
    assert names == [p["metadata"]["name"] for p in sim.store.list("pods")]


def test_expired_continue_token_is_410(v1: client.CoreV1Api, sim: SimServer) -> None:
    first = v1.list_pod_for_all_namespaces(limit=5)
    sim.store.modify(
        "pods",
        "tricky",
        "running",
        lambda p: p["metadata"].update(labels={"run": "running", "touched": "yes"}),
    )
    sim.expire_resource_versions()
    with pytest.raises(ApiException) as exc:
        v1.list_pod_for_all_namespaces(limit=5, _continue=first.metadata._continue)
    assert exc.value.status == 410
    assert json.loads(exc.value.body)["reason"] == "Expired"


def test_metrics_lists(api: client.ApiClient, sim: SimServer) -> None:
    co = client.CustomObjectsApi(api)
    nodes = co.list_cluster_custom_object("metrics.k8s.io", "v1beta1", "nodes")
    assert nodes["kind"] == "NodeMetricsList"
    ready_nodes = [
        n
        for n in sim.store.list("nodes")
        if any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"]["conditions"])
    ]
    assert {i["metadata"]["name"] for i in nodes["items"]} == {
        n["metadata"]["name"] for n in ready_nodes
    }
    assert all(i["usage"]["cpu"].endswith("n") for i in nodes["items"])
    pods = co.list_namespaced_custom_object("metrics.k8s.io", "v1beta1", "tricky", "pods")
    names = {i["metadata"]["name"] for i in pods["items"]}
    assert "running" in names and "pending" not in names and "completed" not in names
    one = co.get_namespaced_custom_object("metrics.k8s.io", "v1beta1", "tricky", "pods", "running")
    assert one["containers"][0]["usage"]["memory"].endswith("Ki")


def test_writes(v1: client.CoreV1Api, sim: SimServer) -> None:
    body = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "made-by-test"},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    created = v1.create_namespaced_pod("tricky", body)
    assert created.metadata.uid and created.metadata.namespace == "tricky"
    patched = v1.patch_namespaced_pod(
        "made-by-test", "tricky", {"metadata": {"labels": {"x": "y"}}}
    )
    assert patched.metadata.labels == {"x": "y"}
    assert int(patched.metadata.resource_version) > int(created.metadata.resource_version)
    v1.delete_namespaced_pod("made-by-test", "tricky")
    assert sim.store.get("pods", "tricky", "made-by-test") is None


def test_keep_alive_reuses_connections(v1: client.CoreV1Api, sim: SimServer) -> None:
    before = sim.connections_accepted
    for _ in range(20):
        v1.list_namespaced_pod("tricky", limit=1)
    assert sim.connections_accepted - before <= 2


def test_unknown_paths(sim: SimServer) -> None:
    status, body = get_json(sim, "/api/v1/widgets")
    assert status == 404 and body["kind"] == "Status"
    assert raw(sim, "/nonsense").status == 404
    status, body = get_json(sim, "/apis/apps/v1/namespaces/x/pods")
    assert status == 404


def test_scale_subresource(api: client.ApiClient, sim: SimServer) -> None:
    apps = client.AppsV1Api(api)
    dep = next(
        d for d in sim.store.list("deployments") if d["metadata"]["namespace"] != "kube-system"
    )
    name, ns = dep["metadata"]["name"], dep["metadata"]["namespace"]
    s = apps.read_namespaced_deployment_scale(name, ns)
    assert s.spec.replicas == dep["spec"]["replicas"]
    assert s.status.selector.startswith("app.kubernetes.io/name=")
    apps.patch_namespaced_deployment_scale(name, ns, {"spec": {"replicas": 5}})
    sel = f"app.kubernetes.io/name={name}"
    pods = client.CoreV1Api(api).list_namespaced_pod(ns, label_selector=sel).items
    assert len(pods) == 5
    got = apps.read_namespaced_deployment(name, ns)
    assert got.spec.replicas == 5 and got.status.replicas == 5
    apps.patch_namespaced_deployment_scale(name, ns, {"spec": {"replicas": 0}})
    assert client.CoreV1Api(api).list_namespaced_pod(ns, label_selector=sel).items == []
    sts = sim.store.list("statefulsets")
    if sts:
        n, sns = sts[0]["metadata"]["name"], sts[0]["metadata"]["namespace"]
        apps.patch_namespaced_stateful_set_scale(n, sns, {"spec": {"replicas": 4}})
        names = sorted(
            p["metadata"]["name"]
            for p in sim.store.list("pods", sns)
            if p["metadata"]["name"].startswith(n + "-")
        )
        assert names == [f"{n}-{i}" for i in range(4)]


def test_a_percent_escaped_name_is_the_name(sim: SimServer) -> None:
    # A real server decodes the path: a client that escapes ':' (curl, some SDKs) asks for
    # the same ClusterRole as one that does not.
    for path in (
        "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:discovery",
        "/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Adiscovery",
    ):
        code, doc = get_json(sim, path)
        assert (code, doc["metadata"]["name"]) == (200, "system:discovery"), path
