"""ResourceFeed against real simulators on ephemeral ports.

Every wait is on an event (a callback, a request the simulator received, an open watch);
nothing sleeps and hopes.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kite_tui.core.config import ClusterSpec
from kite_tui.core.humanize import Since, parse_human_duration
from kite_tui.core.kube.client import ClusterClient, build_client
from kite_tui.core.kube.feed import (
    TABLE_ACCEPT,
    Backoff,
    FeedBatch,
    FeedKey,
    FeedOptions,
    FeedStatus,
    ResourceFeed,
)
from kite_tui.core.resources import BUILTIN, ResourceKind
from kite_tui.sim.faults import forbidden
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.sim.store import parse_time
from tests.core.kube.helpers import FAST, PATIENT, PODS, Connection, Recorder, pod
from tests.helpers import wait_until

NODES = BUILTIN.resolve("nodes")
assert NODES is not None
POD_COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
POD_WIDE = ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]


@pytest.fixture
def sim() -> Iterator[SimServer]:
    # No spontaneous bookmarks: tests send them when they want one.
    with SimServer(scenario=Scenario(nodes=2, namespaces=2, pods=30, seed=3), token="t0k",
                   log_interval=None, bookmark_interval=3600) as s:  # fmt: skip
        yield s


@pytest.fixture
def client(sim: SimServer) -> Iterator[ClusterClient]:
    c = build_client(ClusterSpec(name="sim", server=sim.url, token="t0k"), timeout=5)
    yield c
    c.close()


@pytest.fixture
def feeds() -> Iterator[list[ResourceFeed]]:
    """Feeds to stop at the end; none may leave a thread behind."""
    made: list[ResourceFeed] = []
    yield made
    for f in made:
        f.stop()
    assert not [f for f in made if f.alive()]
    assert not [t.name for t in threading.enumerate() if t.name.startswith(("feed ", "emit "))]


def start(feeds: list[ResourceFeed], client: ClusterClient, key: FeedKey,
          options: FeedOptions = FAST) -> tuple[ResourceFeed, Recorder]:  # fmt: skip
    rec = Recorder()
    feed = ResourceFeed(client, key, rec.on_batch, rec.on_status, options=options)
    feeds.append(feed)
    feed.start()
    return feed, rec


def uid(sim: SimServer, ns: str, name: str) -> str:
    obj = sim.store.get("pods", ns, name)
    assert obj is not None
    return obj["metadata"]["uid"]


def sim_table(client: ClusterClient, path: str) -> dict[str, Any]:
    resp = client.request(path, [("includeObject", "Metadata")], accept=TABLE_ACCEPT)
    try:
        return json.loads(resp.data)
    finally:
        resp.release_conn()


# ------------------------------------------------------------------------- first list
def test_first_list_is_one_reset_batch_with_kubectl_columns(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    ns = sim.store.list("pods")[0]["metadata"]["namespace"]
    feed, rec = start(feeds, client, FeedKey(PODS, ns))
    batch = rec.reset()
    assert [s.state for s in rec.statuses[:2]] == ["loading", "ready"]
    assert rec.items.index(batch) < rec.items.index(rec.statuses[1])  # rows, then "ready"
    assert batch.columns is not None
    assert [c.name for c in batch.columns] == POD_COLUMNS + POD_WIDE
    assert [c.priority for c in batch.columns] == [0] * 5 + [1] * 4
    assert [c.is_age for c in batch.columns] == [False] * 4 + [True] + [False] * 4
    assert [c.is_since for c in batch.columns] == [False] * 3 + [True] + [False] * 5
    # Exactly the simulator's Table for these pods, AGE replaced by the creation time and
    # RESTARTS "N (X ago)" by a Since that is X old now.
    table = sim_table(client, PODS.api_path(ns))
    assert [c["name"].upper() for c in table["columnDefinitions"]] == POD_COLUMNS + POD_WIDE
    assert (
        batch.total == len(batch.upserts) == len(table["rows"]) == len(sim.store.list("pods", ns))
    )
    by_key = {r.key: r for r in batch.upserts}
    for trow in table["rows"]:
        meta = trow["object"]["metadata"]
        row = by_key[meta["uid"]]
        created = parse_time(meta["creationTimestamp"])
        expected = list(trow["cells"])
        expected[4] = created
        restarts = re.fullmatch(r"(\S+) \((\S+) ago\)", str(expected[3]))
        if restarts:
            since = row.cells[3]
            assert isinstance(since, Since) and since.count == restarts[1]
            ago = parse_human_duration(restarts[2])
            assert ago is not None and abs(time.time() - since.at - ago) < 120
            expected[3] = since
        assert list(row.cells) == expected
        assert (row.name, row.namespace, row.created) == (meta["name"], ns, created)
        assert dict(row.labels) == (meta.get("labels") or {})
        assert row.owner_uids == tuple(o["uid"] for o in meta.get("ownerReferences") or ())
        assert row.resource_version == meta["resourceVersion"]
    assert batch.resource_version == table["metadata"]["resourceVersion"] == feed.resource_version
    assert feed.rows() == by_key
    feed.rows().clear()  # a copy
    assert len(feed.rows()) == batch.total


def test_all_namespaces_prepends_namespace_and_pages_into_one_reset(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    mark = sim.mark()
    options = FeedOptions(page_size=7, backoff=FAST.backoff)
    _feed, rec = start(feeds, client, FeedKey(PODS, None), options)
    batch = rec.reset()
    rec.state("ready")
    everything = sim.store.list("pods")
    assert batch.total == len(everything) > 7
    assert batch.columns is not None
    assert [c.name for c in batch.columns] == ["NAMESPACE"] + POD_COLUMNS + POD_WIDE
    assert {(r.cells[0], r.cells[1]) for r in batch.upserts} == {
        (p["metadata"]["namespace"], p["metadata"]["name"]) for p in everything
    }
    lists = [r for r in sim.request_log if r.seq > mark and r.path == "/api/v1/pods"]
    pages = [r for r in lists if not r.is_watch]
    assert len(pages) == -(-len(everything) // 7) and "continue" in pages[-1].query
    assert all(r.query["limit"] == "7" for r in pages)
    assert len([b for b in rec.batches if b.reset]) == 1


def test_empty_list_is_a_real_answer(client: ClusterClient, feeds: list[ResourceFeed]) -> None:
    _feed, rec = start(feeds, client, FeedKey(PODS, "nothing-here"))
    batch = rec.reset()
    assert (batch.total, batch.upserts, batch.deletes) == (0, (), ())
    assert batch.columns is not None and batch.columns[0].name == "NAME"
    assert rec.state("ready")


def test_cluster_scoped_kind_and_label_selector(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    assert FeedKey(NODES, "ignored") == FeedKey(NODES, None)
    _feed, rec = start(feeds, client, FeedKey(NODES, None))
    nodes = rec.reset()
    assert nodes.columns is not None and nodes.columns[0].name == "NAME"  # no NAMESPACE
    assert nodes.total == len(sim.store.list("nodes"))

    sim.store.create(pod("tagged", "sel", tier="gold"))
    sim.store.create(pod("plain", "sel"))
    mark = sim.mark()
    _feed, rec = start(feeds, client, FeedKey(PODS, "sel", "tier=gold"))
    assert [r.name for r in rec.reset().upserts] == ["tagged"]
    watch = sim.wait_for_request(lambda r: r.is_watch and "/sel/" in r.path, since=mark)
    assert watch.query["labelSelector"] == "tier=gold"
    sim.store.create(pod("tagged-2", "sel", tier="gold"))
    sim.store.create(pod("plain-2", "sel"))
    assert rec.wait(lambda i: isinstance(i, FeedBatch) and not i.reset).upserts[0].name == (
        "tagged-2"
    )


# ------------------------------------------------------------------------------ watch
def test_watch_events_arrive_batched(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    # A long window so that the few changes below certainly fall into one batch.
    options = FeedOptions(batch_window=0.5, backoff=FAST.backoff)
    for name in ("stay", "edit", "doomed"):
        sim.store.create(pod(name, "w"))
    feed, rec = start(feeds, client, FeedKey(PODS, "w"), options)
    rec.reset()
    sim.wait_for_watches(1)
    doomed = uid(sim, "w", "doomed")
    with sim.store.lock:  # one burst
        sim.store.create(pod("new", "w"))
        for n in range(3):  # three events for one pod collapse to the last
            sim.store.modify(
                "pods", "w", "edit", lambda p, n=n: p["metadata"]["labels"].update(n=str(n))
            )
        sim.store.delete("pods", "w", "doomed")
        sim.store.create(pod("flash", "w"))  # added and deleted in one window: never seen
        sim.store.delete("pods", "w", "flash")
    batch = rec.wait(lambda i: isinstance(i, FeedBatch) and not i.reset)
    assert batch.columns is None
    assert sorted(r.name for r in batch.upserts) == ["edit", "new"]
    edit = next(r for r in batch.upserts if r.name == "edit")
    assert edit.labels["n"] == "2"
    assert batch.deletes == (doomed,)
    assert batch.total == 3 == len(feed.rows())
    assert batch.resource_version == str(sim.store.resource_version) == feed.resource_version
    assert {r.name for r in rec.rows().values()} == {"stay", "edit", "new"}
    assert len(rec.batches) == 2


def test_batch_max_splits_a_burst(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    options = FeedOptions(batch_window=0.2, batch_max=3, backoff=FAST.backoff)
    _feed, rec = start(feeds, client, FeedKey(PODS, "burst"), options)
    rec.reset()
    sim.wait_for_watches(1)
    with sim.store.lock:
        for i in range(7):
            sim.store.create(pod(f"p{i}", "burst"))
    rec.wait(lambda i: isinstance(i, FeedBatch) and i.total == 7)
    sizes = [len(b.upserts) for b in rec.batches if not b.reset]
    assert sizes == [3, 3, 1]
    assert [b.total for b in rec.batches if not b.reset] == [3, 6, 7]


def test_bookmark_advances_the_resource_version(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    feed, rec = start(feeds, client, FeedKey(PODS, "bm"))
    listed = rec.reset().resource_version
    sim.wait_for_watches(1)
    first = sim.wait_for_request(lambda r: r.is_watch)
    assert first.query["resourceVersion"] == listed
    assert first.query["allowWatchBookmarks"] == "true" and int(first.query["timeoutSeconds"]) > 0
    sim.store.create({"kind": "ConfigMap", "metadata": {"name": "elsewhere", "namespace": "x"}})
    target = str(sim.store.resource_version)
    assert target != listed
    mark = sim.mark()
    sim.send_bookmarks()
    sim.drop_watches(graceful=True)  # the stream ends after the bookmark: resume from it
    again = sim.wait_for_request(lambda r: r.is_watch, since=mark)
    assert again.query["resourceVersion"] == target == feed.resource_version
    assert not [b for b in rec.batches if not b.reset]  # a bookmark is not a change
    assert [s.state for s in rec.statuses] == ["loading", "ready"]


def test_expired_resource_version_relists_and_watches_on(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    _feed, rec = start(feeds, client, FeedKey(PODS, "gone"))
    rec.reset()
    sim.wait_for_watches(1)
    sim.store.create(pod("before", "gone"))
    rec.wait(lambda i: isinstance(i, FeedBatch) and not i.reset)
    mark = sim.mark()
    sim.expire_resource_versions()
    second = rec.reset(2)
    assert [r.name for r in second.upserts] == ["before"]
    relist = sim.wait_for_request(lambda r: r.path.endswith("/pods") and not r.is_watch, since=mark)
    watch = sim.wait_for_request(lambda r: r.is_watch, since=relist.seq)
    assert watch.query["resourceVersion"] == second.resource_version
    sim.wait_for_watches(1)
    sim.store.create(pod("after", "gone"))
    batch = rec.wait(
        lambda i: isinstance(i, FeedBatch) and any(r.name == "after" for r in i.upserts)
    )
    assert batch.total == 2
    assert [s.state for s in rec.statuses] == ["loading", "ready"]  # never looked broken


def test_dropped_watch_reconnects_from_the_last_version_without_losing_events(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    # A long backoff so the pod below is certainly created while the feed is disconnected;
    # retry_now() then ends the wait.
    feed, rec = start(feeds, client, FeedKey(PODS, "drop"), PATIENT)
    listed = rec.reset().resource_version
    sim.wait_for_watches(1)
    sim.drop_watches()
    status = rec.state("reconnecting")
    assert rec.items[-1] is status  # and it waits: nothing follows until retry_now()
    assert status.attempt == 1 and status.retry_in == 60 and status.message
    sim.store.create(pod("while-away", "drop"))
    mark, seen = sim.mark(), rec.mark()
    feed.retry_now()
    rec.state("ready", after=seen)
    batch = rec.wait(lambda i: isinstance(i, FeedBatch) and not i.reset)
    assert [r.name for r in batch.upserts] == ["while-away"]
    resumed = sim.wait_for_request(lambda r: r.is_watch, since=mark)
    assert resumed.query["resourceVersion"] == listed
    assert not [r for r in sim.request_log if r.seq > mark and not r.is_watch]  # no re-list
    assert len([b for b in rec.batches if b.reset]) == 1


def test_reconnects_by_itself_after_a_restart(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    _feed, rec = start(feeds, client, FeedKey(PODS, "restart"))
    rec.reset()
    sim.wait_for_watches(1)
    sim.restart()
    rec.state("reconnecting")
    rec.wait(lambda i: i == FeedStatus("ready"), after=3)  # the second "ready"
    sim.wait_for_watches(1)
    sim.store.create(pod("back", "restart"))
    rec.wait(lambda i: isinstance(i, FeedBatch) and [r.name for r in i.upserts] == ["back"])


def test_a_silent_watch_is_renewed_quietly_and_a_blackholed_one_noticed(
    sim: SimServer, feeds: list[ResourceFeed]
) -> None:
    quick = build_client(ClusterSpec(name="quick", server=sim.url, token="t0k"), timeout=0.5)
    try:
        options = FeedOptions(watch_timeout=60, backoff=FAST.backoff)
        told = Connection()
        rec = Recorder()
        feed = ResourceFeed(quick, FeedKey(PODS, "bh"), rec.on_batch, rec.on_status,
                            options=options, on_connection=told)  # fmt: skip
        feeds.append(feed.start())
        rec.reset()
        sim.wait_for_watches(1)
        sim.store.create(pod("proof", "bh"))  # once it arrives, the stream is being read
        rec.wait(lambda i: isinstance(i, FeedBatch) and not i.reset)
        # No bookmarks from this server: after the idle timeout (the client's 0.5 s) the
        # feed watches again from where it was, and nobody sees anything happen.
        mark = sim.mark()
        again = sim.wait_for_request(lambda r: r.is_watch, since=mark, timeout=10)
        assert again.query["resourceVersion"] == feed.resource_version
        assert [s.state for s in rec.statuses] == ["loading", "ready"]
        # A dead link: the open stream just goes quiet (no drop, no error, no end).
        sim.faults.blackhole = True
        status = rec.wait(lambda i: isinstance(i, FeedStatus) and "timed out" in i.message, 10)
        assert status.state == "reconnecting"
        told.wait([False])
        assert told.unanswered == [status.message]  # no answer at all: the cluster is down
        sim.faults.blackhole = False
        rec.wait(lambda i: i == FeedStatus("ready"), 10, after=rec.items.index(status))
        told.wait([False, True])
    finally:
        quick.close()


def test_losing_and_regaining_the_server_is_told_once_each(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    told = Connection()
    rec = Recorder()
    feed = ResourceFeed(client, FeedKey(PODS, "conn"), rec.on_batch, rec.on_status,
                        options=FAST, on_connection=told)  # fmt: skip
    feeds.append(feed.start())
    rec.reset()
    sim.wait_for_watches(1)
    sim.faults.refuse = True
    told.wait([False])
    rec.wait(lambda i: isinstance(i, FeedStatus) and i.attempt >= 3)  # failing on and on
    back = rec.mark()
    sim.faults.refuse = False
    told.wait([False, True])
    rec.state("ready", after=back)
    assert told.unanswered == [None, None]  # refused is an answer: only a probe may judge
    # A 403 is about one kind in one place, not about reaching the server.
    denied = rec.mark()
    sim.faults.allowed_namespaces = {"elsewhere"}
    sim.drop_watches(graceful=True)
    rec.state("forbidden", after=denied)
    assert told.calls == [False, True]


def test_a_kind_the_server_does_not_serve_is_said_once_and_never_retried(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    accounts = BUILTIN.resolve("rc")
    assert accounts is not None
    mark = sim.mark()
    feed, rec = start(feeds, client, FeedKey(accounts, None))  # FAST: retries would pile up
    status = rec.wait(lambda i: isinstance(i, FeedStatus) and i.state != "loading")
    assert status == FeedStatus("unserved", "this server does not serve replicationcontrollers")
    wait_until(lambda: not feed._loop_thread.is_alive())  # the loop is done for good
    feed.retry_now()
    asked = [r for r in sim.request_log if r.seq > mark and "replicationcontrollers" in r.path]
    assert len(asked) == 1
    assert [s.state for s in rec.statuses] == ["loading", "unserved"]
    assert not rec.batches


def test_a_kind_that_cannot_be_watched_is_polled(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    # metrics.k8s.io serves get and list only, like componentstatuses: listed again and
    # again, never watched (a watch would be refused and the view would never be ready).
    node_metrics = ResourceKind(
        "metrics.k8s.io", "v1beta1", "nodes", "", "NodeMetrics", False, verbs=("get", "list")
    )
    mark = sim.mark()
    options = FeedOptions(backoff=FAST.backoff, poll_interval=0.1)
    _feed, rec = start(feeds, client, FeedKey(node_metrics, None), options)
    first = rec.reset()
    assert first.total == len(sim.store.list("nodes")) == 2
    assert rec.state("ready")
    ready = [c for c in sim.store.list("nodes")[0]["status"]["conditions"] if c["type"] == "Ready"]
    sim.store.create(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "added"},
         "status": {"conditions": ready}}
    )  # fmt: skip
    later = rec.wait(lambda i: isinstance(i, FeedBatch) and i.reset and i.total == 3, 10)
    assert "added" in {r.name for r in later.upserts}
    asked = [r for r in sim.request_log if r.seq > mark and "metrics.k8s.io" in r.path]
    assert len(asked) >= 2 and not any(r.is_watch for r in asked)
    assert {s.state for s in rec.statuses} == {"loading", "ready"}  # never "reconnecting"


# ------------------------------------------------------------------------------- stop
def test_stop_is_prompt_while_blocked_in_a_watch(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    feed, rec = start(feeds, client, FeedKey(PODS, None))
    rec.reset()
    sim.wait_for_watches(1)
    began = time.monotonic()
    feed.stop()
    assert time.monotonic() - began < 0.5
    assert not feed.alive()
    assert rec.items[-1] == FeedStatus("stopped") == feed.status
    # The connection is closed, not returned to the pool half-read. The simulator notices
    # a vanished client only when it next writes to it: make it write until it does.
    for _ in range(100):
        sim.send_bookmarks()
        with contextlib.suppress(TimeoutError):
            sim.wait_for_watches(0, timeout=0.05)
            break
    assert sim.open_watches == 0
    feed.stop()  # idempotent
    late = Recorder()
    feed.subscribe(late.on_batch, late.on_status)
    assert late.items == [FeedStatus("stopped")]


def test_stop_is_prompt_over_tls(tmp_path: Path, feeds: list[ResourceFeed]) -> None:
    with SimServer(scenario=Scenario(nodes=1, namespaces=1, pods=3), token="t", tls=True,
                   log_interval=None) as sim:  # fmt: skip
        assert sim.ca_pem is not None
        (tmp_path / "ca.pem").write_bytes(sim.ca_pem)
        spec = ClusterSpec(name="tls", server=sim.url, token="t",
                           certificate_authority=tmp_path / "ca.pem")  # fmt: skip
        client = build_client(spec, timeout=5)
        try:
            feed, rec = start(feeds, client, FeedKey(PODS, None))
            rec.reset()
            sim.wait_for_watches(1)
            began = time.monotonic()
            feed.stop()
            assert time.monotonic() - began < 0.5 and not feed.alive()
        finally:
            client.close()


def test_stop_while_waiting_for_headers_is_bounded_by_the_client_timeout(
    sim: SimServer, feeds: list[ResourceFeed]
) -> None:
    """No response to shut down yet: the thread ends when the header wait times out."""
    quick = build_client(ClusterSpec(name="quick", server=sim.url, token="t0k"), timeout=0.3)
    try:
        sim.faults.blackhole = True
        mark = sim.mark()
        feed, rec = start(feeds, quick, FeedKey(PODS, None))
        sim.wait_for_request(lambda r: r.path == "/api/v1/pods", since=mark)
        began = time.monotonic()
        feed.stop()
        assert time.monotonic() - began < 1.2 and not feed.alive()
        assert rec.items[-1] == FeedStatus("stopped")
    finally:
        sim.faults.blackhole = False
        quick.close()


def test_stop_during_backoff_and_a_broken_subscriber(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    sim.faults.status = 500
    feed, rec = start(feeds, client, FeedKey(PODS, "x"), PATIENT)

    def explode(_: object) -> None:
        raise RuntimeError("a buggy view")

    feed.subscribe(explode, explode)  # must not take the feed (or other subscribers) down
    rec.state("reconnecting")
    began = time.monotonic()
    feed.stop()
    assert time.monotonic() - began < 0.5 and not feed.alive()
    assert rec.items[-1] == FeedStatus("stopped")


def test_unsubscribed_before_attached_hears_nothing(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    """A view released before the emitter attached it (fast view switching) stays gone."""
    feed = ResourceFeed(client, FeedKey(PODS, "quick"), options=FAST)
    feeds.append(feed)
    gone, stays = Recorder(), Recorder()
    feed.unsubscribe(feed.subscribe(gone.on_batch, gone.on_status))  # still queued
    feed.subscribe(stays.on_batch, stays.on_status)
    feed.start()
    stays.reset()
    sim.wait_for_watches(1)
    sim.store.create(pod("later", "quick"))
    stays.wait(lambda i: isinstance(i, FeedBatch) and not i.reset)
    assert gone.items == []


# --------------------------------------------------------------------- errors, backoff
def test_server_errors_back_off_then_recover(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    sim.faults.status = 503
    _feed, rec = start(feeds, client, FeedKey(PODS, "flaky"))
    first = rec.state("reconnecting")
    assert first.attempt == 1 and "503" in first.message
    assert "the server is currently unable to handle the request" in first.message
    rec.wait(lambda i: isinstance(i, FeedStatus) and i.attempt == 3)
    sim.faults.status = None
    rec.reset()
    rec.state("ready")
    delays = [s.retry_in for s in rec.statuses if s.state == "reconnecting"][:3]
    assert delays == [0.01, 0.02, 0.04]  # exponential (no jitter in FAST)


def test_forbidden_is_reported_once_and_retried_slowly(
    sim: SimServer, client: ClusterClient, feeds: list[ResourceFeed]
) -> None:
    sim.faults.allowed_namespaces = {"team-a"}
    sim.store.create(pod("mine", "team-a"))
    mark = sim.mark()
    everywhere, rec_all = start(feeds, client, FeedKey(PODS, None))
    status = rec_all.state("forbidden")
    expected = forbidden(sim.faults.user, "list", "pods", "", None)["message"]
    assert status.message == expected
    assert status.retry_in == 60 and status.attempt == 1
    assert len([r for r in sim.request_log if r.seq > mark]) == 1  # no hot loop
    assert not rec_all.batches

    _mine, rec_a = start(feeds, client, FeedKey(PODS, "team-a"))
    assert [r.name for r in rec_a.reset().upserts] == ["mine"]
    rec_a.state("ready")

    sim.faults.allowed_namespaces = None  # access granted: the next retry lists
    everywhere.retry_now()
    assert rec_all.reset().total == len(sim.store.list("pods"))
    rec_all.state("ready")


def test_unauthorized_is_an_error(sim: SimServer, feeds: list[ResourceFeed]) -> None:
    bad = build_client(ClusterSpec(name="bad", server=sim.url, token="wrong"), timeout=5)
    try:
        _feed, rec = start(feeds, bad, FeedKey(PODS, None))
        status = rec.state("error")
        assert status.message == "401 Unauthorized: Unauthorized" and status.retry_in == 60
    finally:
        bad.close()


def test_backoff_is_capped_exponential_with_jitter() -> None:
    plain = Backoff(jitter=0.0)
    assert [plain.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]
    low = Backoff(random=lambda: 1.0)  # the most jitter takes 20 % off
    assert low.delay(1) == pytest.approx(0.4) and low.delay(20) == pytest.approx(24)
