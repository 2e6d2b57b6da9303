"""Scenarios, loading objects from files, and churn."""

from __future__ import annotations

import hashlib
import json
import textwrap
import time
from collections import Counter
from pathlib import Path

import yaml
from kubernetes import client, watch

from kite_tui.sim.scenario import Scenario, load_objects
from kite_tui.sim.server import SimServer
from kite_tui.sim.store import ObjectStore

from .helpers import TABLE_ACCEPT, Collector, api_client, get_json, iter_lines, raw


def _build(sc: Scenario, now: float) -> ObjectStore:
    s = ObjectStore()
    sc.populate(s, now=now)
    return s


def test_scenario_is_deterministic_and_exact() -> None:
    now = time.time()
    a = _build(Scenario(pods=200, seed=5), now)
    b = _build(Scenario(pods=200, seed=5), now)
    c = _build(Scenario(pods=200, seed=6), now)
    assert a.count("pods") == 200
    assert a.list("pods") == b.list("pods")
    assert {p["metadata"]["name"] for p in a.list("pods")} != {
        p["metadata"]["name"] for p in c.list("pods")
    }


def test_scenario_has_every_kind_and_a_mix_of_states() -> None:
    s = _build(
        Scenario(nodes=6, namespaces=5, pods=600, failing_fraction=0.15, seed=1), time.time()
    )
    for kind in (
        "namespaces",
        "nodes",
        "pods",
        "services",
        "configmaps",
        "secrets",
        "events",
        "persistentvolumeclaims",
        "deployments",
        "replicasets",
        "statefulsets",
        "daemonsets",
        "jobs",
        "cronjobs",
        "ingresses",
    ):
        assert s.count(kind) > 0, kind
    assert s.count("nodes") == 6
    from kite_tui.sim.tables import pod_status

    statuses = Counter(pod_status(p) for p in s.list("pods"))
    assert statuses["Running"] > 400
    assert statuses["Completed"] > 0
    failing = sum(n for st, n in statuses.items() if st not in ("Running", "Completed"))
    assert 30 < failing < 150
    assert len(statuses) >= 8  # CrashLoopBackOff, Pending, ImagePullBackOff ...
    # deployments' status agrees with their pods
    for d in s.list("deployments"):
        assert d["status"]["replicas"] == d["spec"]["replicas"]


def test_load_objects_from_files(tmp_path: Path) -> None:
    multi = tmp_path / "multi.yaml"
    multi.write_text(
        textwrap.dedent("""\
        apiVersion: v1
        kind: Namespace
        metadata: {name: loaded}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: loaded}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: "api:1"}]}
        ---
        """)
    )
    dump = tmp_path / "dump.yaml"  # what `kubectl get pods -o yaml` writes
    dump.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "List",
                "items": [
                    {
                        "apiVersion": "v1",
                        "kind": "Pod",
                        "metadata": {"name": "p1", "namespace": "loaded", "labels": {"app": "api"}},
                        "spec": {"containers": [{"name": "api", "image": "api:1"}]},
                        "status": {"phase": "Running"},
                    }
                ],
            }
        )
    )
    podlist = tmp_path / "pods.json"  # a typed list: items carry no kind
    podlist.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "PodList",
                "items": [
                    {
                        "metadata": {"name": "p2", "namespace": "loaded"},
                        "spec": {"containers": [{"name": "c", "image": "x"}]},
                    }
                ],
            }
        )
    )
    assert [o["kind"] for o in load_objects(multi)] == ["Namespace", "Deployment"]
    assert [o["metadata"]["name"] for o in load_objects(podlist)] == ["p2"]
    with SimServer(objects=[multi, dump, podlist]) as sim:
        api = api_client(sim, tmp_path)
        pods = client.CoreV1Api(api).list_namespaced_pod("loaded").items
        assert [p.metadata.name for p in pods] == ["p1", "p2"]
        assert client.AppsV1Api(api).read_namespaced_deployment("api", "loaded").spec.replicas == 2
        api.close()


def test_churn_creates_updates_and_deletes_pods(tmp_path: Path) -> None:
    with SimServer(scenario=Scenario(pods=60, failing_fraction=0, seed=2), churn=200) as sim:
        api = api_client(sim, tmp_path)
        v1 = client.CoreV1Api(api)
        rv = v1.list_pod_for_all_namespaces().metadata.resource_version
        w = watch.Watch()
        col = Collector(
            lambda: w.stream(
                v1.list_pod_for_all_namespaces, resource_version=rv, timeout_seconds=20
            )
        )
        seen: set[str] = set()
        while seen != {"ADDED", "MODIFIED", "DELETED"}:
            seen.add(col.get(10)["type"])
        w.stop()
        sim.drop_watches(graceful=True)
        col.done.wait(5)
        api.close()
        assert sim.store.count("pods") == 60


def test_a_paused_churn_resumes_when_given_a_rate() -> None:
    from kite_tui.sim.churn import Churner
    from tests.helpers import wait_until

    store = ObjectStore()
    Scenario(pods=20, failing_fraction=0, seed=4).populate(store)
    churn = Churner(store, 0)  # paused from the start
    churn.start()
    try:
        rv = store.resource_version
        churn.rate = 200
        wait_until(lambda: churn.operations >= 5 and store.resource_version > rv)
        assert store.count("pods") == 20
    finally:
        churn.stop()


def _tricky_statuses(sim: SimServer) -> dict[str, str]:
    """NAME -> STATUS of the tricky namespace, as `kubectl get pods -n tricky` shows them."""
    code, table = get_json(sim, "/api/v1/namespaces/tricky/pods", accept=TABLE_ACCEPT)
    assert code == 200
    names = [c["name"] for c in table["columnDefinitions"]]
    name, status = names.index("Name"), names.index("Status")
    return {row["cells"][name]: row["cells"][status] for row in table["rows"]}


def test_churn_leaves_the_tricky_pods_in_their_states() -> None:
    scenario = Scenario(nodes=1, namespaces=1, pods=30, tricky=True, failing_fraction=0, seed=3)
    with SimServer(scenario=scenario, churn=200, log_interval=None) as sim:
        before = _tricky_statuses(sim)
        assert {"CrashLoopBackOff", "ContainerCreating", "ErrImagePull"} <= set(before.values())
        _code, pods = get_json(sim, "/api/v1/pods")
        rv = pods["metadata"]["resourceVersion"]
        events = 0
        watch_path = f"/api/v1/pods?watch=true&resourceVersion={rv}&allowWatchBookmarks=false"
        with raw(sim, watch_path, stream=True, timeout=20) as resp:
            for _line in iter_lines(resp):  # each line is one change the churn made
                events += 1
                if events >= 400:  # every pod picked many times over
                    break
        sim.drop_watches(graceful=True)
        assert _tricky_statuses(sim) == before


def test_loading_skips_unknown_kinds_and_creates_namespaces(tmp_path: Path) -> None:
    f = tmp_path / "mixed.yaml"
    f.write_text(
        textwrap.dedent("""\
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: builder, namespace: ci}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: ci}
        data: {a: "1"}
        """)
    )
    with SimServer(objects=[f]) as sim:
        assert sim.skipped_objects == ["Widget/builder"]
        assert sim.store.get("configmaps", "ci", "settings")["data"] == {"a": "1"}
        assert sim.store.get("namespaces", None, "ci")["status"]["phase"] == "Active"


def test_certificates_scenario_adds_a_crd_and_leaves_the_rest_alone() -> None:
    now = time.time()
    plain = _build(Scenario(pods=60, namespaces=3, seed=9), now)
    with_certs = _build(Scenario(pods=60, namespaces=3, seed=9, certificates=True), now)
    assert [p["metadata"]["name"] for p in with_certs.list("pods")] == [
        p["metadata"]["name"] for p in plain.list("pods")
    ]
    assert plain.count("customresourcedefinitions") == 0
    (crd,) = with_certs.list("customresourcedefinitions")
    assert crd["metadata"]["name"] == "certificates.cert-manager.io"
    assert {c["type"] for c in crd["status"]["conditions"]} == {"NamesAccepted", "Established"}
    certs = with_certs.list("certificates.cert-manager.io")
    assert len(certs) == 6 and {c["metadata"]["namespace"] for c in certs} == {
        "shop",
        "payments",
        "search",
    }


def test_generated_clusters_have_what_the_control_plane_makes() -> None:
    store = ObjectStore()
    Scenario(nodes=4, namespaces=3, pods=80, seed=9, failing_fraction=0.2).populate(store)

    def names(resource: str, ns: str | None = None) -> set[str]:
        return {o["metadata"]["name"] for o in store.list(resource, ns)}

    for ns in names("namespaces"):
        assert {"default"} <= names("serviceaccounts", ns), ns
        assert "kube-root-ca.crt" in names("configmaps", ns), ns
    assert names("leases", "kube-node-lease") == names("nodes")
    assert {"kube-controller-manager", "kube-scheduler"} <= names("leases", "kube-system")
    assert {"system-cluster-critical", "system-node-critical"} <= names("priorityclasses")
    assert {"cluster-admin", "admin", "edit", "view"} <= names("clusterroles")
    default_classes = [
        s["metadata"]["name"]
        for s in store.list("storageclasses")
        if (s["metadata"].get("annotations") or {}).get(
            "storageclass.kubernetes.io/is-default-class"
        )
        == "true"
    ]
    assert default_classes == ["standard"]
    # Every service's endpoints are the IPs of the ready pods it selects.
    pods = store.list("pods")
    for svc in store.list("services"):
        ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        if (ns, name) == ("default", "kubernetes"):  # the API server's, not a pod's
            ep = store.get("endpoints", ns, name)
            assert ep is not None and svc["spec"]["clusterIP"] == "10.96.0.1"
            node = store.get("nodes", None, "control-plane-1")
            assert node is not None
            apiserver = node["status"]["addresses"][0]["address"]
            assert ep["subsets"][0]["addresses"] == [{"ip": apiserver}]
            continue
        selector = svc["spec"]["selector"]
        ready = sorted(
            p["status"]["podIP"]
            for p in pods
            if p["metadata"]["namespace"] == ns
            and selector.items() <= (p["metadata"].get("labels") or {}).items()
            and p["status"].get("podIP")
            and "deletionTimestamp" not in p["metadata"]
            and any(
                c["type"] == "Ready" and c["status"] == "True" for c in p["status"]["conditions"]
            )
        )
        ep = store.get("endpoints", ns, name)
        assert ep is not None, name
        got = sorted(a["ip"] for s in ep.get("subsets") or [] for a in s.get("addresses") or [])
        assert got == ready, name
        (es,) = store.list(
            "endpointslices", ns, label_selector=f"kubernetes.io/service-name={name}"
        )
        assert (
            sorted(e["addresses"][0] for e in es["endpoints"] if e["conditions"]["ready"]) == ready
        )
    # Every PVC is bound to a PV that names it back.
    for pvc in store.list("persistentvolumeclaims"):
        pv = store.get("persistentvolumes", None, pvc["spec"]["volumeName"])
        assert pv is not None and pv["status"]["phase"] == "Bound"
        ref = pv["spec"]["claimRef"]
        assert (ref["namespace"], ref["name"], ref["uid"]) == (
            pvc["metadata"]["namespace"], pvc["metadata"]["name"], pvc["metadata"]["uid"],
        )  # fmt: skip


def test_the_objects_beside_the_workloads_leave_a_seed_s_pods_as_they_were() -> None:
    """They draw from a random source of their own: same seed, same pods as before them."""
    store = ObjectStore()
    Scenario(nodes=3, namespaces=2, pods=30, seed=7).populate(store)
    pods = sorted(
        (m["namespace"], m["name"], p["status"].get("podIP", ""), m["uid"])
        for p in store.list("pods")
        for m in [p["metadata"]]
    )
    # The digest of these pods as generated before the cluster objects existed.
    assert hashlib.sha256(repr(pods).encode()).hexdigest()[:16] == "b97c015726b6b92d"
