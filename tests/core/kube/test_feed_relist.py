"""A feed re-lists when its resourceVersion means nothing to the server any more, as
client-go's reflector does: the server restarted with its versions started over (a 504
"Too large resource version", or versions older than the feed's), against real simulators,
with the real kubectl saying what the server now holds.

Every wait is on an event (a callback, a request the simulator received, an open watch).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient, build_client
from kite_tui.core.kube.feed import FeedBatch, FeedKey, FeedState, ResourceFeed
from kite_tui.sim import reads
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from tests.core.kube.helpers import FAST, PODS, Recorder, pod
from tests.helpers import wait_until
from tests.sim.helpers import Kubectl


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(scenario=Scenario(nodes=2, namespaces=3, pods=60, seed=3),
                   log_interval=None, bookmark_interval=3600) as s:  # fmt: skip
        yield s


@pytest.fixture
def client(sim: SimServer) -> Iterator[ClusterClient]:
    # The simulator waits 3 s for a version it has not reached, as a real server does.
    c = build_client(ClusterSpec(name="sim", server=sim.url), timeout=10)
    yield c
    c.close()


@pytest.fixture
def feed(client: ClusterClient) -> Iterator[tuple[ResourceFeed, Recorder]]:
    rec = Recorder()
    f = ResourceFeed(client, FeedKey(PODS, None), rec.on_batch, rec.on_status, options=FAST)
    f.start()
    yield f, rec
    f.stop()
    assert not f.alive()


def kubectl_pods(kubectl: Kubectl) -> set[tuple[str, str]]:
    """(namespace, name) of every pod `kubectl get pods -A` lists."""
    out = kubectl("get", "pods", "-A", "--no-headers").stdout
    return {(line.split()[0], line.split()[1]) for line in out.splitlines() if line.strip()}


def shown(rec: Recorder) -> set[tuple[str, str]]:
    return {(r.namespace, r.name) for r in rec.rows().values()}


def test_a_server_restarted_with_fewer_pods_is_relisted_to_what_kubectl_shows(
    sim: SimServer, feed: tuple[ResourceFeed, Recorder], tmp_path: Path
) -> None:
    f, rec = feed
    kubectl = Kubectl(sim, tmp_path)
    assert len(rec.reset().upserts) == 60
    sim.wait_for_watches(1)
    for i in range(20):  # the old cluster has lived a while: its versions are well ahead
        sim.store.create(pod(f"old-{i}", "default"))
    rec.wait(lambda i: isinstance(i, FeedBatch) and i.total == 80, timeout=20)
    old_rv = int(f.resource_version)
    mark = sim.mark()
    sim.restart(scenario=Scenario(nodes=2, namespaces=2, pods=40, seed=11))
    assert sim.store.resource_version < old_rv  # the versions started over
    again = rec.reset(2, timeout=30)
    assert again.total == 40
    assert shown(rec) == kubectl_pods(kubectl)
    assert len(shown(rec)) == 40
    # The watch from the old version was refused, then a list and a watch from its version.
    watch = sim.wait_for_request(lambda r: r.is_watch, since=mark)
    assert watch.query["resourceVersion"] == str(old_rv)
    relist = sim.wait_for_request(lambda r: not r.is_watch and r.path.endswith("/pods"), since=mark)
    resumed = sim.wait_for_request(lambda r: r.is_watch, since=relist.seq)
    assert resumed.query["resourceVersion"] == again.resource_version
    # And it is live on the new server.
    sim.wait_for_watches(1)
    sim.store.create(pod("fresh", "default"))
    rec.wait(lambda i: isinstance(i, FeedBatch) and any(r.name == "fresh" for r in i.upserts))
    assert shown(rec) == kubectl_pods(kubectl)
    assert f.status.state == FeedState.READY


def test_too_large_resource_version_on_a_watch_relists_at_once(
    sim: SimServer, feed: tuple[ResourceFeed, Recorder], tmp_path: Path
) -> None:
    # The store is rebuilt under open connections: the feed's next watch, from a version
    # the server has not reached, is answered with the 504 ERROR event; no error shows.
    f, rec = feed
    kubectl = Kubectl(sim, tmp_path)
    rec.reset()
    sim.wait_for_watches(1)
    for i in range(5):
        sim.store.create(pod(f"gone-{i}", "default"))
    rec.wait(lambda i: isinstance(i, FeedBatch) and i.total == 65, timeout=20)
    mark = sim.mark()
    sim.store.wipe()  # cuts the watch
    sim.store.load([pod(f"new-{i}", "default") for i in range(3)])
    sim.store.ensure_namespaces()
    again = rec.reset(2, timeout=30)
    assert {r.name for r in again.upserts} == {"new-0", "new-1", "new-2"}
    lists = [r for r in sim.request_log if r.seq > mark and not r.is_watch]
    assert len(lists) == 1  # one re-list, not a loop
    assert shown(rec) == kubectl_pods(kubectl)
    assert all(s.state != FeedState.ERROR for s in rec.statuses)


def test_a_504_too_large_answer_to_a_watch_request_relists(
    sim: SimServer,
    feed: tuple[ResourceFeed, Recorder],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Some servers (and proxies) refuse the watch request itself: HTTP 504 with the Status
    # (the simulator is made one here; it answers so a list from a version it lacks).
    plain = reads._watch

    def refusing(ctx: Any, req: Any, t: Any, lp: Any, fp: Any) -> reads.Response:
        rv = int(req.query.get("resourceVersion") or 0)
        late = reads.too_large(ctx, rv) if rv else None
        if late is not None:
            return reads.Response(504, reads.dumps(late))
        return plain(ctx, req, t, lp, fp)

    _f, rec = feed
    rec.reset()
    sim.wait_for_watches(1)
    monkeypatch.setattr(reads, "_watch", refusing)
    sim.restart(scenario=Scenario(nodes=1, namespaces=1, pods=7, seed=5))
    again = rec.reset(2, timeout=30)
    assert again.total == 7
    assert shown(rec) == kubectl_pods(Kubectl(sim, tmp_path))


def test_versions_older_than_the_feeds_on_a_lenient_server_relist(
    sim: SimServer, feed: tuple[ResourceFeed, Recorder], tmp_path: Path
) -> None:
    # A server without a watch cache accepts the watch from the future; the first bookmark
    # (or event) it sends carries a version older than the feed's: it was rebuilt.
    sim.faults.future_versions = True
    f, rec = feed
    rec.reset()
    sim.wait_for_watches(1)
    for i in range(20):
        sim.store.create(pod(f"old-{i}", "default"))
    rec.wait(lambda i: isinstance(i, FeedBatch) and i.total == 80, timeout=20)
    before = set(sim.store.watchers())
    sim.restart(scenario=Scenario(nodes=1, namespaces=2, pods=25, seed=8))
    wait_until(lambda: bool(set(sim.store.watchers()) - before), timeout=20)
    sim.send_bookmarks()
    again = rec.reset(2, timeout=30)
    assert again.total == 25
    assert shown(rec) == kubectl_pods(Kubectl(sim, tmp_path))
