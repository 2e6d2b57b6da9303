"""The object store: versions, uids, ownership, history, watch bookkeeping, selectors."""

from __future__ import annotations

import pytest

from kite_tui.sim.resources import lookup
from kite_tui.sim.selectors import (
    SelectorError,
    format_label_selector,
    label_predicate,
    parse_field_selector,
)
from kite_tui.sim.store import AlreadyExists, Expired, NotFound, ObjectStore


def _pod(name: str, ns: str = "default", **labels: str) -> dict:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }


def test_create_update_delete_bump_one_global_version() -> None:
    s = ObjectStore()
    start = s.resource_version
    a = s.create(_pod("a"))
    assert a["apiVersion"] == "v1" and a["metadata"]["uid"]
    assert a["metadata"]["creationTimestamp"].endswith("Z")
    assert int(a["metadata"]["resourceVersion"]) == start + 1
    s.create({"kind": "ConfigMap", "metadata": {"name": "cm", "namespace": "default"}})
    assert s.resource_version == start + 2
    a["metadata"]["labels"] = {"x": "1"}
    a["metadata"]["uid"] = "forged"
    b = s.update(a)
    assert b["metadata"]["uid"] != "forged"
    assert int(b["metadata"]["resourceVersion"]) == start + 3
    with pytest.raises(AlreadyExists):
        s.create(_pod("a"))
    gone = s.delete("po", "default", "a")
    assert int(gone["metadata"]["resourceVersion"]) == start + 4
    assert s.get("pods", "default", "a") is None
    with pytest.raises(NotFound):
        s.delete("pods", "default", "a")
    with pytest.raises(NotFound):
        s.update(_pod("a"))


def test_generate_name_and_copies() -> None:
    s = ObjectStore()
    p = s.create({"kind": "Pod", "metadata": {"generateName": "web-", "namespace": "x"}})
    assert p["metadata"]["name"].startswith("web-") and len(p["metadata"]["name"]) == 9
    p["metadata"]["labels"] = {"mutated": "yes"}
    assert "labels" not in s.get("pods", "x", p["metadata"]["name"])["metadata"]


def test_cascading_delete_follows_owner_references() -> None:
    s = ObjectStore()
    dep = s.create(
        {
            "kind": "Deployment",
            "apiVersion": "apps/v1",
            "metadata": {"name": "web", "namespace": "d"},
        }
    )
    ref = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "web",
        "uid": dep["metadata"]["uid"],
        "controller": True,
    }
    rs = s.create(
        {
            "kind": "ReplicaSet",
            "apiVersion": "apps/v1",
            "metadata": {"name": "web-1", "namespace": "d", "ownerReferences": [ref]},
        }
    )
    rs_ref = {**ref, "kind": "ReplicaSet", "name": "web-1", "uid": rs["metadata"]["uid"]}
    s.create(
        {
            "kind": "Pod",
            "metadata": {"name": "web-1-a", "namespace": "d", "ownerReferences": [rs_ref]},
        }
    )
    s.create(_pod("bystander", "d"))
    s.delete("deployments.apps", "d", "web")
    assert [p["metadata"]["name"] for p in s.list("pods")] == ["bystander"]
    assert s.list("replicasets") == []


def test_list_order_namespace_filter_and_paging() -> None:
    s = ObjectStore()
    for ns, name in (("b", "z"), ("a", "y"), ("b", "a"), ("c", "m")):
        s.create(_pod(name, ns))
    assert [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in s.list("pods")] == [
        ("a", "y"),
        ("b", "a"),
        ("b", "z"),
        ("c", "m"),
    ]
    assert [p["metadata"]["name"] for p in s.list("pods", "b")] == ["a", "z"]
    entries, rv, next_key, remaining = s.list_entries(lookup("pods"), None, limit=3)
    assert len(entries) == 3 and next_key == ("b", "z") and remaining == 1
    entries, *_ = s.list_entries(lookup("pods"), None, limit=3, after=next_key)
    assert [e.key for e in entries] == [("c", "m")]


def test_watch_replays_history_and_expires() -> None:
    s = ObjectStore(history_limit=3)
    rtype = lookup("pods")
    s.create(_pod("a"))
    rv = s.resource_version
    s.create(_pod("b"))
    s.delete("pods", "default", "a")
    w = s.watch(rtype, resource_version=rv)
    items = [w.queue.get_nowait() for _ in range(2)]
    assert [(i[1], i[2].key[1]) for i in items] == [("ADDED", "b"), ("DELETED", "a")]
    for name in "cdef":
        s.create(_pod(name))
    with pytest.raises(Expired):
        s.watch(rtype, resource_version=rv)
    s.unwatch(w)
    w2 = s.watch(rtype)
    assert {w2.queue.get_nowait()[2].key[1] for _ in range(5)} == set("bcdef")
    s.expire_resource_versions()
    assert w2.queue.get_nowait() == ("close", "expired")
    assert s.oldest_resource_version == s.resource_version


def test_label_selector_parsing() -> None:
    sel = label_predicate("app=web, tier in (a, b),!legacy,env!=prod,team")
    assert sel({"app": "web", "tier": "a", "env": "dev", "team": "x"})
    assert not sel({"app": "web", "tier": "c", "team": "x"})
    assert not sel({"app": "web", "tier": "a", "legacy": "1", "team": "x"})
    assert not sel({"app": "web", "tier": "b", "env": "prod", "team": "x"})
    assert label_predicate("x notin (1)")({"x": "2"})
    assert label_predicate("") is None
    with pytest.raises(SelectorError):
        label_predicate("a in b")
    assert (
        format_label_selector(
            {
                "matchLabels": {"b": "2", "a": "1"},
                "matchExpressions": [{"key": "k", "operator": "In", "values": ["y", "x"]}],
            }
        )
        == "a=1,b=2,k in (x,y)"
    )


def test_selector_objects_print_as_the_api_server_prints_them() -> None:
    # metav1.FormatLabelSelector: requirements sorted by key, each value list sorted.
    selector = {
        "matchLabels": {"zone": "a", "app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["web", "api"]},
            {"key": "old", "operator": "DoesNotExist"},
        ],
    }
    assert format_label_selector(selector) == "app=web,!old,tier in (api,web),zone=a"
    assert format_label_selector({}) == "<none>"


def test_field_selector_parsing() -> None:
    sel = parse_field_selector(
        "metadata.name=a,status.phase!=Failed", ["metadata.name", "status.phase"]
    )
    assert sel({"metadata": {"name": "a"}, "status": {"phase": "Running"}})
    assert not sel({"metadata": {"name": "a"}, "status": {"phase": "Failed"}})
    with pytest.raises(SelectorError, match="field label not supported: spec.x"):
        parse_field_selector("spec.x=1", ["metadata.name"])


def test_deleting_a_namespace_deletes_its_objects() -> None:
    s = ObjectStore()
    s.create({"kind": "Namespace", "metadata": {"name": "gone"}})
    s.create(_pod("a", "gone"))
    s.create(_pod("b", "kept"))
    s.create({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "gone"}})
    s.delete("namespaces", None, "gone")
    assert [p["metadata"]["name"] for p in s.list("pods")] == ["b"]
    assert s.list("configmaps") == []
