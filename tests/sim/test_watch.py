"""Watches through the official client: resume, bookmarks, 410 then re-list, timeouts."""

from __future__ import annotations

import json
import socket
import time

import pytest
from kubernetes import client, watch
from kubernetes.client.exceptions import ApiException

from kite_tui.sim.server import SimServer

from .helpers import Collector, iter_lines, raw


def _touch(sim: SimServer, name: str, value: str) -> None:
    sim.store.modify(
        "pods",
        "tricky",
        name,
        lambda p: p["metadata"].setdefault("labels", {}).update(touched=value),
    )


def test_watch_resumes_from_resource_version(v1: client.CoreV1Api, sim: SimServer) -> None:
    rv = v1.list_namespaced_pod("tricky").metadata.resource_version
    _touch(sim, "running", "1")
    sim.store.delete("pods", "tricky", "pending")
    w = watch.Watch()
    events = []
    for ev in w.stream(v1.list_namespaced_pod, "tricky", resource_version=rv, timeout_seconds=10):
        events.append((ev["type"], ev["object"].metadata.name))
        if len(events) == 2:
            w.stop()
    assert events == [("MODIFIED", "running"), ("DELETED", "pending")]
    assert isinstance(ev["object"], client.V1Pod)


def test_watch_without_resource_version_starts_with_added(
    v1: client.CoreV1Api, sim: SimServer
) -> None:
    n = len(sim.store.list("pods", "tricky"))
    w = watch.Watch()
    seen = []
    for ev in w.stream(v1.list_namespaced_pod, "tricky", timeout_seconds=10):
        seen.append(ev["type"])
        if len(seen) == n:
            w.stop()
    assert seen == ["ADDED"] * n


def test_watch_sees_live_changes_and_selector_transitions(
    v1: client.CoreV1Api, sim: SimServer
) -> None:
    rv = v1.list_namespaced_pod("tricky").metadata.resource_version
    w = watch.Watch()
    col = Collector(
        lambda: w.stream(
            v1.list_namespaced_pod,
            "tricky",
            resource_version=rv,
            label_selector="touched=yes",
            timeout_seconds=10,
        )
    )
    sim.wait_for_watches(1)
    _touch(sim, "running", "yes")  # enters the selector: ADDED
    _touch(sim, "running", "no")  # leaves it: DELETED
    assert col.get()["type"] == "ADDED"
    assert col.get()["type"] == "DELETED"
    w.stop()
    sim.drop_watches(graceful=True)
    assert col.done.wait(5)


def test_bookmarks(v1: client.CoreV1Api, sim: SimServer) -> None:
    rv = v1.list_namespaced_pod("tricky").metadata.resource_version
    resp = v1.list_namespaced_pod(
        "tricky",
        watch=True,
        allow_watch_bookmarks=True,
        resource_version=rv,
        timeout_seconds=10,
        _preload_content=False,
    )
    assert sim.open_watches == 1
    _touch(sim, "running", "b")
    sim.send_bookmarks()
    lines = iter_lines(resp)
    first = json.loads(next(lines))
    assert first["type"] == "MODIFIED"
    bookmark = json.loads(next(lines))
    assert bookmark["type"] == "BOOKMARK"
    assert bookmark["object"]["kind"] == "Pod"
    assert bookmark["object"]["metadata"]["resourceVersion"] == str(sim.store.resource_version)
    resp.release_conn()


def test_watch_helper_tracks_bookmark_resource_version(
    v1: client.CoreV1Api, sim: SimServer
) -> None:
    rv = v1.list_namespaced_pod("tricky").metadata.resource_version
    sim.store.modify("pods", "tricky", "error", lambda p: None)
    w = watch.Watch()
    col = Collector(
        lambda: w.stream(
            v1.list_namespaced_pod,
            "tricky",
            resource_version=rv,
            allow_watch_bookmarks=True,
            timeout_seconds=10,
        )
    )
    assert col.get()["type"] == "MODIFIED"
    sim.send_bookmarks()
    ev = col.get()
    assert ev["type"] == "BOOKMARK"
    assert w.resource_version == str(sim.store.resource_version)
    w.stop()
    sim.drop_watches(graceful=True)


def test_periodic_bookmarks_arrive(sim: SimServer) -> None:
    sim.bookmark_interval = 0.05  # read when a watch opens; wait on the stream, not a clock
    resp = raw(
        sim,
        "/api/v1/namespaces/tricky/pods?watch=true&allowWatchBookmarks=true"
        f"&resourceVersion={sim.store.resource_version}&timeoutSeconds=10",
        stream=True,
    )
    ev = json.loads(next(iter_lines(resp)))
    assert ev["type"] == "BOOKMARK"
    resp.release_conn()


def test_410_then_relist(v1: client.CoreV1Api, sim: SimServer) -> None:
    old_rv = v1.list_namespaced_pod("tricky").metadata.resource_version
    _touch(sim, "running", "x")
    sim.expire_resource_versions()
    with pytest.raises(ApiException) as exc:
        for _ in watch.Watch().stream(v1.list_namespaced_pod, "tricky", resource_version=old_rv):
            pass
    assert exc.value.status == 410
    # the client retried once, so the server saw two watches from the expired version
    watches = [r for r in sim.request_log if r.is_watch and r.path.endswith("/pods")]
    assert [r.query["resourceVersion"] for r in watches] == [old_rv, old_rv]
    new_rv = v1.list_namespaced_pod("tricky").metadata.resource_version
    assert int(new_rv) > int(old_rv)
    w = watch.Watch()
    col = Collector(
        lambda: w.stream(
            v1.list_namespaced_pod, "tricky", resource_version=new_rv, timeout_seconds=10
        )
    )
    sim.wait_for_watches(1)
    _touch(sim, "running", "y")
    ev = col.get()
    assert (ev["type"], ev["object"].metadata.name) == ("MODIFIED", "running")
    w.stop()
    sim.drop_watches(graceful=True)


def test_open_watch_gets_410_error_event(sim: SimServer) -> None:
    resp = raw(
        sim, f"/api/v1/pods?watch=true&resourceVersion={sim.store.resource_version}", stream=True
    )
    sim.wait_for_watches(1)
    sim.expire_resource_versions()
    ev = json.loads(next(iter_lines(resp)))
    assert ev["type"] == "ERROR"
    assert ev["object"]["code"] == 410 and ev["object"]["reason"] == "Expired"
    sim.wait_for_watches(0)


def test_history_is_bounded(tmp_path) -> None:
    with SimServer(history_limit=5) as sim:
        ns = sim.store.get("namespaces", None, "default")
        start = sim.store.resource_version
        for i in range(10):
            ns["metadata"]["labels"] = {"n": str(i)}
            sim.store.update(ns)
        resp = raw(sim, f"/api/v1/namespaces?watch=true&resourceVersion={start}", stream=True)
        assert json.loads(next(iter_lines(resp)))["object"]["code"] == 410
        recent = sim.store.resource_version - 3
        resp = raw(
            sim,
            f"/api/v1/namespaces?watch=true&resourceVersion={recent}&timeoutSeconds=5",
            stream=True,
        )
        lines = iter_lines(resp)
        assert [json.loads(next(lines))["type"] for _ in range(3)] == ["MODIFIED"] * 3
        resp.release_conn()


def test_timeout_seconds_closes_the_stream(v1: client.CoreV1Api) -> None:
    t0 = time.monotonic()
    events = list(watch.Watch().stream(v1.list_namespaced_pod, "kube-public", timeout_seconds=1))
    elapsed = time.monotonic() - t0
    assert events == []
    assert 0.9 <= elapsed < 5


def test_watch_single_object_by_field_selector(v1: client.CoreV1Api, sim: SimServer) -> None:
    w = watch.Watch()
    col = Collector(
        lambda: w.stream(
            v1.list_namespaced_pod,
            "tricky",
            field_selector="metadata.name=running",
            timeout_seconds=10,
        )
    )
    assert col.get()["object"].metadata.name == "running"  # initial ADDED
    _touch(sim, "error", "1")
    _touch(sim, "running", "2")
    ev = col.get()
    assert (ev["type"], ev["object"].metadata.name) == ("MODIFIED", "running")
    w.stop()
    sim.drop_watches(graceful=True)


def test_drop_watches_cuts_the_connection(sim: SimServer) -> None:
    resp = raw(
        sim, f"/api/v1/pods?watch=true&resourceVersion={sim.store.resource_version}", stream=True
    )
    sim.wait_for_watches(1)
    assert sim.drop_watches() == 1
    with pytest.raises(Exception):  # noqa: B017 - urllib3 reports the cut as ProtocolError
        for _ in iter_lines(resp):
            pass
    sim.wait_for_watches(0)


def test_shared_informer_survives_410(v1: client.CoreV1Api, sim: SimServer) -> None:
    import threading

    from kubernetes.informer import SharedInformer

    n = len(sim.store.list("pods", "tricky"))
    added: list[str] = []
    synced = threading.Event()
    touched = threading.Event()
    relisted = threading.Event()

    def on_added(pod) -> None:
        added.append(pod.metadata.name)
        if len(added) == n:
            synced.set()

    def on_modified(pod) -> None:
        if (pod.metadata.labels or {}).get("touched") == "after-410":
            touched.set()

    inf = SharedInformer(v1.list_namespaced_pod, namespace="tricky")
    inf.add_event_handler("ADDED", on_added)
    inf.add_event_handler("MODIFIED", on_modified)
    inf.add_event_handler(
        "ERROR", lambda exc: relisted.set() if getattr(exc, "status", None) == 410 else None
    )
    inf.start()
    try:
        assert synced.wait(10)
        sim.wait_for_watches(1)
        mark = sim.mark()  # before the 410: the informer may re-list and watch at once
        sim.expire_resource_versions()
        assert relisted.wait(10)
        pods = "/api/v1/namespaces/tricky/pods"
        relist = sim.wait_for_request(lambda r: r.path == pods and not r.is_watch, since=mark)
        sim.wait_for_request(lambda r: r.is_watch, since=relist.seq)  # watching again
        _touch(sim, "running", "after-410")
        assert touched.wait(10)
        assert len(inf.cache.list()) == n
    finally:
        sim.drop_watches(graceful=True)
        inf.stop()


def test_a_watch_its_client_abandoned_is_no_longer_counted(sim: SimServer) -> None:
    # No event and no bookmark follows: the server notices the closed connection by itself,
    # as a real API server does, so `open_watches` is what clients really hold open.
    host, port = sim.url.removeprefix("http://").split(":")
    auth = f"Authorization: Bearer {sim.token}\r\n" if sim.token else ""
    with socket.create_connection((host, int(port)), timeout=20) as conn:
        conn.sendall(
            f"GET /api/v1/pods?watch=true&resourceVersion={sim.store.resource_version} "
            f"HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n".encode()
        )
        assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        sim.wait_for_watches(1)
    sim.wait_for_watches(0)
