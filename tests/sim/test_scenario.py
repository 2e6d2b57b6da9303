"""Scenarios, loading objects from files, and churn."""

from __future__ import annotations

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
