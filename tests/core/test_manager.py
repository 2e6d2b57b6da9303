"""The cluster manager against real HTTP servers on loopback."""

from __future__ import annotations

import time
from pathlib import Path

from kite_tui.core.manager import ClusterManager
from kite_tui.core.snapshot import Health
from tests.helpers import (
    SnapshotRecorder,
    StartServer,
    VersionServer,
    all_settled,
    cluster,
    config_text,
    free_port,
)


def test_clusters_appear_change_disable_and_disappear(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    a, b, b2 = server("v1.29.1"), server("v1.30.0"), server("v1.31.4")
    cfg.write_text(config_text(cluster("a", a.url, default=True)))
    manager.reload()
    first = rec.snapshots[0]
    assert first.get("a").health == Health.CONNECTING  # listed before any network answer
    snap = rec.wait(all_settled)
    assert snap.get("a").version == "v1.29.1" and snap.default == "a"

    cfg.write_text(config_text(cluster("a", a.url, default=True), cluster("b", b.url)))
    manager.reload()
    snap = rec.wait(lambda s: "b" in s.clusters and all_settled(s))
    assert snap.names == ("a", "b") and snap.get("b").version == "v1.30.0"

    cfg.write_text(config_text(cluster("a", a.url, default=True), cluster("b", b2.url)))
    manager.reload()
    snap = rec.wait(lambda s: s.get("b").version == "v1.31.4")
    assert snap.get("b").server == b2.url

    cfg.write_text(
        config_text(cluster("a", a.url, default=True, enabled=False), cluster("b", b2.url))
    )
    manager.reload()
    snap = rec.wait(lambda s: s.get("a").health == Health.DISABLED)
    assert snap.get("a").client is None

    cfg.write_text(config_text(cluster("b", b2.url)))
    manager.reload()
    snap = rec.wait(lambda s: s.names == ("b",))
    assert snap.default is None
    generations = [s.generation for s in rec.snapshots]
    assert generations == sorted(set(generations)), "generations strictly increase"


def test_unchanged_cluster_keeps_the_same_client_and_replaced_one_is_closed(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    a, b, b2 = server(), server(), server()
    cfg.write_text(config_text(cluster("a", a.url), cluster("b", b.url)))
    manager.reload()
    snap = rec.wait(all_settled)
    client_a, client_b = snap.get("a").client, snap.get("b").client
    assert client_a is not None and client_b is not None

    # Only presentation changes for a (description); b moves to another server.
    cfg.write_text(config_text(cluster("a", a.url, description="prod EU"), cluster("b", b2.url)))
    manager.reload()
    snap = rec.wait(lambda s: s.get("b").server == b2.url and all_settled(s))
    assert snap.get("a").client is client_a
    assert snap.get("a").spec.description == "prod EU"
    assert snap.get("b").client is not client_b
    assert client_b.closed and not client_a.closed


def test_replaced_clients_wait_for_release_when_the_consumer_owns_closing(
    cfg: Path, rec: SnapshotRecorder, server: StartServer
) -> None:
    a, a2 = server(), server()
    manager = ClusterManager(cfg, rec, auto_release=False)
    try:
        cfg.write_text(config_text(cluster("a", a.url)))
        manager.reload()
        old = rec.wait(all_settled).get("a").client
        cfg.write_text(config_text(cluster("a", a2.url)))
        manager.reload()
        snap = rec.wait(lambda s: s.get("a").server == a2.url and all_settled(s))
        assert old is not None and not old.closed, "the UI may still be using it"
        manager.release(snap.generation)
        assert old.closed
    finally:
        manager.close()


def test_blackholed_server_does_not_delay_a_healthy_cluster(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    healthy, dead = server(), server()
    dead.mode = "blackhole"
    timeout = 3.0
    cfg.write_text(
        config_text(cluster("dead", dead.url), cluster("healthy", healthy.url), timeout=timeout)
    )
    started = time.monotonic()
    manager.reload()
    snap = rec.wait(lambda s: s.get("healthy").health == Health.OK)
    healthy_at = time.monotonic() - started
    # The dead cluster is still being waited for while the healthy one is already usable.
    assert snap.get("dead").health == Health.CONNECTING
    assert healthy_at < timeout
    snap = rec.wait(lambda s: s.get("dead").health == Health.UNREACHABLE, timeout=timeout + 5)
    assert "timed out" in snap.get("dead").error


def test_a_fleet_of_dead_clusters_does_not_delay_a_healthy_one(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    # Forty clusters whose server never answers, listed before the one that does: each waits
    # out its own timeout in its own task; none of them holds a place the healthy one needs.
    healthy, dead = server(), server()
    dead.mode = "blackhole"
    dark = [cluster(f"dark-{i:02d}", dead.url) for i in range(40)]
    cfg.write_text(config_text(*dark, cluster("healthy", healthy.url), timeout=8))
    manager.reload()
    snap = rec.wait(lambda s: s.get("healthy").health == Health.OK, timeout=30)
    assert {h.health for h in snap if h.name != "healthy"} == {Health.CONNECTING}


def test_token_file_rewrite_rebuilds_only_that_cluster(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    secure = server(token="old-token")
    other = server()
    token = cfg.parent / "token"
    token.write_text("old-token\n")
    cfg.write_text(
        config_text(
            cluster("secure", secure.url, token_file=str(token)), cluster("other", other.url)
        )
    )
    manager.reload()
    snap = rec.wait(all_settled)
    assert snap.get("secure").health == Health.OK
    other_client, secure_client = snap.get("other").client, snap.get("secure").client

    secure.token = "new-token"  # the credential was rotated server-side ...
    token.write_text("new-token\n")  # ... and the file refreshed
    manager.reload()
    snap = rec.wait(lambda s: s.get("secure").client is not secure_client and all_settled(s))
    assert snap.get("secure").health == Health.OK
    assert snap.get("other").client is other_client
    assert secure.requests[-1]["auth"] == "Bearer new-token"


def test_wrong_token_is_unauthorized(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    secure = server(token="right")
    cfg.write_text(config_text(cluster("s", secure.url, token="wrong")))
    manager.reload()
    snap = rec.wait(all_settled)
    assert snap.get("s").health == Health.UNAUTHORIZED
    assert "401" in snap.get("s").error
    assert "wrong" not in snap.get("s").error  # never echo a token


def test_broken_toml_keeps_last_good_clusters_and_fixing_clears_it(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    a = server()
    good = config_text(cluster("a", a.url))
    cfg.write_text(good)
    manager.reload()
    client = rec.wait(all_settled).get("a").client
    cfg.write_text(good + '\n[[clusters]]\nname = "b\n')
    manager.reload()
    snap = rec.wait(lambda s: s.config_error is not None)
    assert snap.config_error == (
        f"{cfg}:9: unterminated string: expected a closing quote on the same line"
    )
    assert snap.names == ("a",) and snap.get("a").client is client

    cfg.unlink()  # deleted mid-save
    manager.reload()
    snap = rec.wait(lambda s: s.config_error is not None and "not found" in s.config_error)
    assert snap.names == ("a",)

    cfg.write_text(good)
    manager.reload()
    snap = rec.wait(lambda s: s.config_error is None)
    assert snap.get("a").client is client and not client.closed


def test_config_problems_stay_structured_in_the_snapshot(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    # Each reader words them where it shows them: nobody parses a "path:line:" text back.
    a = server()
    cfg.write_text(config_text(cluster("a", a.url), cluster("typo", "htps:/typo")))
    manager.reload()
    snap = rec.wait(all_settled)
    typo = snap.get("typo")
    assert typo is not None and typo.health == Health.CONFIG_ERROR and typo.error is None
    bad_url = "bad server URL 'htps:/typo' (expected https://host[:port] or http://host[:port])"
    assert [(p.line, p.key, p.cluster, p.message) for p in typo.problems] == [
        (10, "server", "typo", bad_url)
    ]
    assert typo.reason() == f"{cfg}:10: {bad_url}"
    assert typo.reason(path=False) == f"line 10: {bad_url}"

    cfg.write_text("bogus = 1\n" + config_text(cluster("a", a.url)))
    manager.reload()
    snap = rec.wait(lambda s: bool(s.config_problems))
    assert [(p.line, p.key) for p in snap.config_problems] == [(1, "bogus")]
    assert snap.config_error == f"{cfg}:1: unknown top-level key 'bogus'"


def test_an_older_build_finishing_late_never_replaces_a_newer_snapshot(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    slow, fast = server("v1.1.0"), server("v1.2.0")
    slow.mode = "blackhole"
    cfg.write_text(config_text(cluster("a", slow.url), timeout=2))
    manager.reload()
    slow.wait_for_requests(1)  # the first build is now stuck on the slow server
    cfg.write_text(config_text(cluster("a", fast.url), timeout=2))
    manager.reload()
    newer = rec.wait(lambda s: s.get("a").version == "v1.2.0")
    assert manager.wait_idle(10)  # the overtaken build has finished (timed out) by now
    final = manager.snapshot
    assert final.get("a").version == "v1.2.0" and final.get("a").server == fast.url
    assert final.generation == newer.generation, "the late result published nothing"
    assert all(s.get("a").server != slow.url or s.get("a").client is None for s in rec.snapshots)


def test_resync_marks_a_dead_cluster_down_and_back_up(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    a = server()
    cfg.write_text(config_text(cluster("a", a.url), timeout=1))
    manager.reload()
    up = rec.wait(all_settled)
    assert up.get("a").health == Health.OK and up.get("a").checked_at is not None
    a.mode = 500
    manager.resync()
    down = rec.wait(lambda s: s.get("a").health == Health.UNREACHABLE)
    assert "HTTP 500" in down.get("a").error
    a.mode = "ok"
    manager.resync()
    back = rec.wait(lambda s: s.get("a").health == Health.OK)
    assert back.get("a").error is None and back.get("a").client is up.get("a").client


def test_refused_connection_is_unreachable_and_retried_on_resync(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager
) -> None:
    port = free_port()
    cfg.write_text(config_text(cluster("a", f"http://127.0.0.1:{port}"), timeout=1))
    manager.reload()
    snap = rec.wait(all_settled)
    assert snap.get("a").health == Health.UNREACHABLE
    assert "connection refused" in snap.get("a").error


def test_reprobe_checks_one_cluster_now_and_publishes_what_it_finds(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    """What a feed that lost (or regained) its server asks for: no waiting for a resync."""
    flaky, steady = server(), server()
    cfg.write_text(config_text(cluster("flaky", flaky.url), cluster("steady", steady.url)))
    manager.reload()
    rec.wait(lambda s: all(h.health == Health.OK for h in s) and len(s) == 2)
    asked_steady = len(steady.requests)
    client = manager.snapshot.get("flaky").client

    flaky.mode = 503
    assert manager.reprobe("flaky", client)
    snap = rec.wait(lambda s: s.get("flaky").health == Health.UNREACHABLE)
    assert "503" in snap.get("flaky").error
    flaky.mode = "ok"
    assert manager.reprobe("flaky")
    snap = rec.wait(lambda s: s.get("flaky").health == Health.OK)
    assert snap.get("flaky").client is client  # the same client, just a new verdict
    assert manager.wait_idle(5)
    assert len(steady.requests) == asked_steady  # only the one cluster was asked

    assert not manager.reprobe("nosuch")
    assert not manager.reprobe("steady", client)  # news about another cluster's client


def connected_then_silent(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> tuple[VersionServer, int]:
    """Cluster "a" (timeout 1.5 s) on a server that answered, then fell silent (blackhole);
    returns that server and how many requests it had heard by then."""
    dead = server()
    cfg.write_text(config_text(cluster("a", dead.url), timeout=1.5))
    manager.reload()
    rec.wait(lambda s: s.get("a").health == Health.OK)
    dead.mode = "blackhole"
    return dead, len(dead.requests)


def test_reprobe_during_a_probe_probes_again_after_it(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    """News newer than the probe in flight must not be lost behind its (older) answer."""
    dead, seen = connected_then_silent(cfg, rec, manager, server)
    assert manager.reprobe("a")
    dead.wait_for_requests(seen + 1)  # that probe now waits out its timeout
    dead.mode = "ok"  # it is back, for any request after the one being held
    assert manager.reprobe("a")  # while the first is still in flight
    rec.wait(lambda s: s.get("a").health == Health.UNREACHABLE, timeout=10)
    snap = rec.wait(lambda s: s.get("a").health == Health.OK, timeout=10)
    assert snap.get("a").version == "v1.31.0"


def test_a_request_left_unanswered_marks_the_cluster_down_at_once_then_probes(
    cfg: Path, rec: SnapshotRecorder, manager: ClusterManager, server: StartServer
) -> None:
    """A feed waited out the whole timeout: no need to wait out another for the probe."""
    dead, seen = connected_then_silent(cfg, rec, manager, server)
    error = "timed out (a feed): no answer from the server"
    assert manager.report_unreachable("a", error)
    down = manager.snapshot.get("a")  # published before the call returned
    assert (down.health, down.error) == (Health.UNREACHABLE, error)
    dead.wait_for_requests(seen + 1)  # and the probe that confirms it is under way
    assert manager.wait_idle(10)
    snap = manager.snapshot.get("a")
    assert snap.health == Health.UNREACHABLE and "timed out" in (snap.error or "")

    dead.mode = "ok"
    manager.reprobe("a")
    rec.wait(lambda s: s.get("a").health == Health.OK)
    assert not manager.report_unreachable("nosuch", error)
