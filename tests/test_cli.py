"""`kite-tui clusters`: every cluster's health on the command line, for scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kite_tui.cli import main


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_cli_clusters_exits_1_when_an_enabled_cluster_is_down(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import VersionServer, free_port

    up = VersionServer("v1.30.2")
    try:
        path = write(
            tmp_path,
            f"""[settings]
request_timeout_seconds = 2

[[clusters]]
name = "up"
server = "{up.url}"
default = true

[[clusters]]
name = "down"
server = "http://127.0.0.1:{free_port()}"

[[clusters]]
name = "off"
server = "http://127.0.0.1:{free_port()}"
enabled = false
""",
        )
        assert main(["--config", str(path), "clusters", "--json"]) == 1
        rows = json.loads(capsys.readouterr().out)
        # --no-fail: today's behaviour for scripts that only read the listing.
        assert main(["--config", str(path), "clusters", "--no-fail"]) == 0
        assert "connection refused" in capsys.readouterr().out
        # Only enabled clusters count: with "down" disabled too, everything enabled is ok.
        path.write_text(path.read_text().replace('name = "down"', 'name = "down"\nenabled = false'))
        assert main(["--config", str(path), "clusters"]) == 0
        capsys.readouterr()
    finally:
        up.stop()
    assert rows[0] == {
        "name": "up",
        "status": "ok",
        "version": "v1.30.2",
        "error": None,
        "default": True,
    }
    assert rows[1]["name"] == "down" and rows[1]["status"] == "unreachable"
    assert "connection refused" in rows[1]["error"]
    assert rows[2]["name"] == "off" and rows[2]["status"] == "disabled"


def test_cli_clusters_exits_1_when_unauthorized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import VersionServer

    server = VersionServer(token="right")
    try:
        path = write(
            tmp_path, f'[[clusters]]\nname = "a"\nserver = "{server.url}"\ntoken = "wrong"\n'
        )
        assert main(["--config", str(path), "clusters"]) == 1
    finally:
        server.stop()
    out = capsys.readouterr().out
    assert "unauthorized" in out and "wrong" not in out


def test_cli_clusters_shows_each_error_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server's multi-line message (proxies and webhooks send them) stays in its row."""
    body = json.dumps(
        {
            "kind": "Status",
            "apiVersion": "v1",
            "status": "Failure",
            "message": "upstream connect error\n  reset reason: connection failure\n",
            "code": 503,
        }
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        path = write(tmp_path, f'[[clusters]]\nname = "proxy"\nserver = "{url}"\n')
        assert main(["--config", str(path), "clusters"]) == 1
        out = capsys.readouterr().out.splitlines()
        assert main(["--config", str(path), "clusters", "--json"]) == 1
        (row,) = json.loads(capsys.readouterr().out)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
    assert len(out) == 2, out
    assert out[1].startswith("proxy ") and "upstream connect error reset reason" in out[1]
    assert "\n" not in row["error"] and "upstream connect error reset reason" in row["error"]


def test_cli_clusters_prints_no_insecure_request_warning(tmp_path: Path) -> None:
    from kite_tui.sim.server import SimServer

    sim = SimServer(name="lab", tls=True).start()
    try:
        path = write(
            tmp_path,
            "[settings]\nrequest_timeout_seconds = 5\n\n"
            f'[[clusters]]\nname = "lab"\nserver = "{sim.url}"\ninsecure_skip_tls_verify = true\n',
        )
        proc = subprocess.run(
            [sys.executable, "-m", "kite_tui", "--config", str(path), "clusters"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    finally:
        sim.stop()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[1].split()[:2] == ["lab", "ok"]
    assert proc.stderr == ""


def test_cli_clusters_reports_a_hanging_exec_plugin_and_leaves_none_running(
    tmp_path: Path,
) -> None:
    from kite_tui.sim.server import SimServer
    from tests.core.kube.plugins import Plugin, live_pids

    plugin = Plugin(tmp_path)
    with SimServer(tls=True, token="t", log_interval=None) as sim:
        kc = plugin.kubeconfig(sim, env={"PLUGIN_MODE": "hang", "PLUGIN_STDERR": "log in at X"})
        path = write(
            tmp_path,
            "[settings]\nrequest_timeout_seconds = 1\n\n"
            f'[[clusters]]\nname = "eks"\nkubeconfig = "{kc}"\ncontext = "sim"\n',
        )
        proc = subprocess.run(
            [sys.executable, "-m", "kite_tui", "--config", str(path), "clusters", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    (row,) = json.loads(proc.stdout)
    assert row["status"] == "unauthorized"
    assert row["error"] == (
        f"exec plugin {plugin.command} timed out after 1s (user 'sim-user' in kubeconfig {kc}): "
        "if it waits for a login, run `kubectl get ns` in a terminal once; it wrote: log in at X"
    )
    assert plugin.runs() and live_pids(plugin) == []  # none re-parented to PID 1, still waiting
