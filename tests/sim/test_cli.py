"""The ``sim`` and ``demo`` commands and the reusable ``start_demo``."""

from __future__ import annotations

import argparse
import os
import socket
import stat
import threading
import tomllib
from pathlib import Path

import pytest
from kubernetes import client, config

from kite_tui.cli import main as kite_main
from kite_tui.sim.cli import add_parsers, run_demo, run_sim
from kite_tui.sim.demo import start_demo


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    add_parsers(p.add_subparsers(dest="command", required=True))
    return p


def test_parsers_register_sim_and_demo() -> None:
    args = _parser().parse_args(
        [
            "sim",
            "--port",
            "0",
            "--tls",
            "--token",
            "t",
            "--pods",
            "20",
            "--churn",
            "1.5",
            "--objects",
            "a.yaml",
            "b.json",
        ]
    )
    assert args.func is run_sim
    assert (args.tls, args.token, args.pods, args.churn) == (True, "t", 20, 1.5)
    assert args.objects == ["a.yaml", "b.json"]
    assert _parser().parse_args(["demo"]).func is run_demo


def test_sim_command_runs_until_stopped(tmp_path: Path, capsys) -> None:
    args = _parser().parse_args(
        ["sim", "--pods", "30", "--tls", "--token", "t", "--kubeconfig", str(tmp_path / "kc")]
    )
    stop = threading.Event()
    ready = threading.Event()
    seen: dict = {}

    def on_ready(sim, kubeconfig: Path) -> None:
        seen.update(sim=sim, kubeconfig=kubeconfig)
        ready.set()

    result: list[int] = []
    t = threading.Thread(target=lambda: result.append(run_sim(args, stop=stop, ready=on_ready)))
    t.start()
    try:
        assert ready.wait(10)
        api = config.new_client_from_config(str(seen["kubeconfig"]))
        assert len(client.CoreV1Api(api).list_pod_for_all_namespaces().items) == 30
        api.close()
    finally:
        stop.set()
        t.join(10)
    assert result == [0]
    out = capsys.readouterr().out
    assert f"url:        {seen['sim'].url}" in out
    assert f"kubeconfig: {seen['kubeconfig']}" in out


def _refused(url: str) -> bool:
    host, port = url.split("//")[1].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_start_demo(tmp_path: Path) -> None:
    demo = start_demo(tmp_path / "demo")
    try:
        assert demo.config_path == tmp_path / "demo" / "config.toml"
        assert stat.S_IMODE(os.stat(demo.config_path).st_mode) == 0o600
        cfg = tomllib.loads(demo.config_path.read_text())
        assert set(cfg["settings"]) == {"resync_seconds", "request_timeout_seconds"}
        clusters = {c["name"]: c for c in cfg["clusters"]}
        assert set(clusters) == set(demo.sims) and len(clusters) == 4
        assert sum(1 for c in cfg["clusters"] if c.get("default")) == 1
        for c in cfg["clusters"]:
            kc = Path(c["kubeconfig"])
            assert kc.exists() and stat.S_IMODE(os.stat(kc).st_mode) == 0o600
        sims = demo.sims
        assert max(s.store.count("pods") for s in sims.values()) >= 3000
        assert any(s.faults.latency >= 1.0 for s in sims.values())
        # a custom resource to browse: cert-manager's Certificates, served with their CRD
        with_crd = [s for s in sims.values() if s.store.count("customresourcedefinitions")]
        assert with_crd and all(s.store.count("certificates.cert-manager.io") for s in with_crd)
        offline = [s for s in sims.values() if s.faults.refuse]
        assert len(offline) == 1 and _refused(offline[0].url)
        small = min(sims.values(), key=lambda s: s.store.count("pods"))
        if small.faults.refuse:
            small = next(s for s in sims.values() if not s.faults.refuse and not s.faults.latency)
        api = config.new_client_from_config(clusters[small.name]["kubeconfig"])
        assert client.CoreV1Api(api).list_namespace().items
        api.close()
    finally:
        demo.stop()


@pytest.mark.timeout(60)
def test_demo_command_cleans_up(capsys) -> None:
    stop = threading.Event()
    seen: dict = {}

    def on_ready(demo) -> None:
        seen["demo"] = demo
        stop.set()

    assert run_demo(argparse.Namespace(), stop=stop, ready=on_ready) == 0
    assert f"config: {seen['demo'].config_path}" in capsys.readouterr().out
    assert not seen["demo"].directory.exists()


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_sim_refuses_a_port_that_is_not_one(capsys, port: str) -> None:
    with pytest.raises(SystemExit) as info:
        kite_main(["sim", "--port", port])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"kite-tui sim: error: argument --port: {port!r} is not a port number (0 to 65535)"
    )


def test_sim_names_an_objects_file_it_cannot_use(tmp_path: Path, capsys) -> None:
    assert kite_main(["sim", "--objects", "/nonexistent.yaml"]) == 2
    assert capsys.readouterr().err == (
        "kite-tui sim: cannot read objects file /nonexistent.yaml: No such file or directory\n"
    )
    broken = tmp_path / "pods.yaml"
    broken.write_text("kind: Pod\nmetadata: [\n")
    assert kite_main(["sim", "--objects", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kite-tui sim: {broken}:3: not valid YAML or JSON: ")
    assert len(err.splitlines()) == 1
    nameless = tmp_path / "nameless.yaml"
    nameless.write_text("kind: Pod\napiVersion: v1\nmetadata: {}\n---\nkind: Pod\nmetadata: 5\n")
    assert kite_main(["sim", "--objects", str(nameless)]) == 2
    assert capsys.readouterr().err == (f"kite-tui sim: {nameless}: Pod #1 has no metadata.name\n")


def test_sim_says_when_the_port_is_taken(capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert kite_main(["sim", "--port", str(port)]) == 1
    assert capsys.readouterr().err == (
        f"kite-tui sim: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )


def test_demo_simulators_stop_when_the_app_is_killed(tmp_path: Path) -> None:
    # A killed terminal or `kill -9` gives the app no chance to stop its demo child: the
    # child must notice by itself and leave nothing running (nor its temporary directory).
    import signal
    import subprocess
    import sys

    from tests.helpers import wait_until

    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from kite_tui.sim.launcher import DemoProcess\n"
            "d = DemoProcess(); path = d.start()\n"
            "print(d.proc.pid, path, flush=True)\n"
            "time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout is not None
        pid, path = app.stdout.readline().split()
        assert Path(path).exists()
        app.send_signal(signal.SIGKILL)
        app.wait(20)

        def gone() -> bool:
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                return True
            # Reaped by init once it exits; a zombie still answers kill(0).
            try:
                with open(f"/proc/{pid}/stat") as f:
                    return f.read().rsplit(")", 1)[1].split()[0] == "Z"
            except FileNotFoundError:
                return True

        wait_until(gone, timeout=30)
        wait_until(lambda: not Path(path).exists(), timeout=30)
    finally:
        app.kill()
        app.wait(5)
