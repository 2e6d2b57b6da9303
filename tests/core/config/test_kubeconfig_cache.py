"""A kubeconfig is parsed once per change of its content, shared by every cluster on it: a
fleet on one large kubeconfig must not re-read it per cluster on every reload and resync."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import yaml

from kite_tui.core.config import kubeconfig_contexts, load_config, load_kubeconfig
from kite_tui.core.config.kubeconfig import parse_count
from kite_tui.core.kube.client import build_client, probe
from kite_tui.core.manager import ClusterManager
from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from tests.helpers import SnapshotRecorder

CLUSTERS = 20


def big_kubeconfig(path: Path, sim: SimServer, contexts: int = 500) -> Path:
    good = sim.kubeconfig()
    doc: dict = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "ctx-0",
        "clusters": [{"name": "sim", "cluster": good["clusters"][0]["cluster"]}],
        "users": [{"name": "me", "user": good["users"][0]["user"]}],
        "contexts": [
            {"name": f"ctx-{i}", "context": {"cluster": "sim", "user": "me"}}
            for i in range(contexts)
        ],
    }
    path.write_text(yaml.safe_dump(doc))
    return path


def fleet_config(path: Path, kubeconfig: Path) -> Path:
    path.write_text(
        "[settings]\nresync_seconds = 3600\n"
        + "".join(
            f'[[clusters]]\nname = "c{i}"\nkubeconfig = "{kubeconfig}"\ncontext = "ctx-{i}"\n'
            for i in range(CLUSTERS)
        )
    )
    return path


def test_twenty_clusters_on_one_kubeconfig_parse_it_once(tmp_path: Path) -> None:
    with SimServer(token="t0k") as sim:
        kubeconfig = big_kubeconfig(tmp_path / "kubeconfig", sim)
        config = fleet_config(tmp_path / "config.toml", kubeconfig)
        before = parse_count()
        loaded = load_config(config)
        assert [s.problems for s in loaded.clusters] == [()] * CLUSTERS
        assert len(kubeconfig_contexts(kubeconfig)) == 500
        assert load_kubeconfig(kubeconfig) is load_kubeconfig(kubeconfig)
        # Every cluster's client built at once, as the manager's pool does.
        results: list[Health] = []

        def connect(i: int) -> None:
            client = build_client(loaded.clusters[i], 5)
            try:
                results.append(probe(client).health)
            finally:
                client.close()

        threads = [threading.Thread(target=connect, args=(i,)) for i in range(CLUSTERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert results == [Health.OK] * CLUSTERS
        load_config(config)
        assert parse_count() - before == 1

        # A change of the content (same size: only its stat's times differ) is read again,
        # once, and what it says is seen.
        text = kubeconfig.read_text().replace("current-context: ctx-0", "current-context: ctx-1")
        kubeconfig.write_text(text)
        os.utime(kubeconfig, ns=(1, 1))  # even with a clock that did not move: ctime did
        contexts = kubeconfig_contexts(kubeconfig)
        assert [c.name for c in contexts if c.current] == ["ctx-1"]
        load_config(config)
        assert parse_count() - before == 2


def test_an_idle_manager_never_reads_its_kubeconfig_again(tmp_path: Path) -> None:
    with SimServer(token="t0k") as sim:
        kubeconfig = big_kubeconfig(tmp_path / "kubeconfig", sim)
        config = fleet_config(tmp_path / "config.toml", kubeconfig)
        recorder = SnapshotRecorder()
        manager = ClusterManager(config, on_snapshot=recorder)
        try:
            before = parse_count()
            manager.reload()
            recorder.wait(lambda s: all(h.health == Health.OK for h in s), timeout=20)
            for _ in range(3):
                manager.resync()
                assert manager.wait_idle(20)
            assert parse_count() - before == 1
        finally:
            manager.close()
