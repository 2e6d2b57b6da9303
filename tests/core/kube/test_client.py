"""Client health and error messages against real servers: TLS failures, wrong answers, bad
kubeconfigs. Every message is one line that names the problem, never a Python exception."""

from __future__ import annotations

import datetime
import json
import ssl
from pathlib import Path

import pytest
import trustme
import yaml

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import build_client, classify_error, probe
from kite_tui.core.manager import ClusterManager
from kite_tui.core.resources import discover
from kite_tui.core.snapshot import Health, Snapshot
from kite_tui.sim.server import SimServer
from tests.helpers import VERSION, BodyServer, SnapshotRecorder, body_server

JSON = "application/json"


def check(spec: ClusterSpec) -> tuple[Health, str]:
    """Build and probe as the manager does: what the overview would show."""
    client = None
    try:
        client = build_client(spec, 5)
        result = probe(client)
    except Exception as exc:
        result = classify_error(exc, spec.server)
    finally:
        if client is not None:
            client.close()
    assert result.error is None or "\n" not in result.error, result.error
    return result.health, result.error or ""


# ------------------------------------------------------------------------------------ TLS


def test_unknown_ca_is_a_tls_error_in_one_sentence() -> None:
    with SimServer(tls=True, token="t") as sim:
        health, error = check(ClusterSpec(name="x", server=sim.url, token="t"))
    assert health == Health.TLS_ERROR
    assert error == (
        f"certificate signed by an unknown authority ({sim.url}): set certificate_authority"
    )


def test_unknown_ca_of_a_kubeconfig_cluster_names_the_kubeconfig(tmp_path: Path) -> None:
    with SimServer(tls=True, token="t") as sim:
        kc = sim.write_kubeconfig(tmp_path / "kc")
        doc = yaml.safe_load(kc.read_text())
        del doc["clusters"][0]["cluster"]["certificate-authority-data"]
        kc.write_text(yaml.safe_dump(doc))
        health, error = check(ClusterSpec(name="x", kubeconfig=kc, context="sim"))
    assert health == Health.TLS_ERROR
    assert error == (
        f"certificate signed by an unknown authority ({sim.url}): "
        f"set certificate-authority-data for cluster 'sim' in kubeconfig {kc}"
    )


def test_a_kubeconfig_ca_file_is_found_beside_the_kubeconfig(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # kubectl reads a relative certificate-authority from the kubeconfig's own folder,
    # whatever the working directory.
    with SimServer(tls=True, token="t") as sim:
        folder = tmp_path / "kube"
        folder.mkdir()
        kc = sim.write_kubeconfig(folder / "config")
        doc = yaml.safe_load(kc.read_text())
        cluster = doc["clusters"][0]["cluster"]
        assert sim.ca_pem is not None
        (folder / "ca.crt").write_bytes(sim.ca_pem)
        del cluster["certificate-authority-data"]
        cluster["certificate-authority"] = "ca.crt"
        kc.write_text(yaml.safe_dump(doc))
        monkeypatch.chdir(tmp_path)  # not the kubeconfig's folder
        health, error = check(ClusterSpec(name="x", kubeconfig=kc, context="sim"))
    assert (health, error) == (Health.OK, "")


def test_a_certificate_for_another_host_is_a_tls_error(tmp_path: Path) -> None:
    # The simulator's certificate names 127.0.0.1 and localhost; serve it on 127.0.0.2.
    with SimServer(tls=True, token="t", host="127.0.0.2") as sim:
        assert sim.ca_pem is not None
        ca = tmp_path / "ca.pem"
        ca.write_bytes(sim.ca_pem)
        spec = ClusterSpec(name="x", server=sim.url, token="t", certificate_authority=ca)
        health, error = check(spec)
    assert health == Health.TLS_ERROR
    assert error == (
        f"the server's certificate is not valid for 127.0.0.2 ({sim.url}): "
        "use an address the certificate was issued for"
    )


def test_an_expired_certificate_is_a_tls_error(tmp_path: Path, servers: list[BodyServer]) -> None:
    ca = trustme.CA()
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    cert = ca.issue_cert("127.0.0.1", not_before=past, not_after=past + datetime.timedelta(days=30))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(ctx)
    server = body_server(servers, (200, JSON, json.dumps(VERSION).encode()), ssl_context=ctx)
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.cert_pem.bytes())
    health, error = check(ClusterSpec(name="x", server=server.url, certificate_authority=ca_file))
    assert health == Health.TLS_ERROR
    assert error == f"the server's certificate has expired ({server.url})"


def test_https_to_a_plain_http_server_says_so(servers: list[BodyServer]) -> None:
    server = body_server(servers, (200, JSON, json.dumps(VERSION).encode()))
    url = server.url.replace("http://", "https://")
    health, error = check(ClusterSpec(name="x", server=url))
    assert health == Health.TLS_ERROR
    assert error == f"the server at {url} does not speak TLS: is it an http:// address?"


def test_the_manager_reports_a_tls_failure_as_tls_error(tmp_path: Path) -> None:
    with SimServer(tls=True, token="t") as sim:
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            "[settings]\nrequest_timeout_seconds = 5\n\n"
            f'[[clusters]]\nname = "tls"\nserver = "{sim.url}"\ntoken = "t"\n'
        )
        rec = SnapshotRecorder()
        manager = ClusterManager(cfg, rec)
        try:
            manager.reload()

            def settled(s: Snapshot) -> bool:
                h = s.get("tls")
                return h is not None and h.health != Health.CONNECTING

            snap = rec.wait(settled, timeout=20)
        finally:
            manager.close()
    handle = snap.get("tls")
    assert handle is not None
    assert handle.health == Health.TLS_ERROR
    assert handle.error == (
        f"certificate signed by an unknown authority ({sim.url}): set certificate_authority"
    )


# -------------------------------------------------------------------- not a Kubernetes server


@pytest.mark.parametrize(
    ("body", "kind", "what"),
    [
        (b'"hello"', JSON, "a JSON string"),
        (b"[1, 2]", JSON, "a JSON array"),
        (b"42", JSON, "a JSON number"),
        (b"null", JSON, "JSON null"),
        (b"<html><body>Welcome to nginx!</body></html>", "text/html", "an HTML page"),
        (b"hello there", "text/plain", "text that is not JSON"),
        (b"", JSON, "an empty body"),
    ],
)
def test_a_server_that_is_not_kubernetes_says_so(
    servers: list[BodyServer], body: bytes, kind: str, what: str
) -> None:
    server = body_server(servers, (200, kind, body))
    health, error = check(ClusterSpec(name="x", server=server.url))
    assert health == Health.UNREACHABLE
    assert error == (
        f"the server at {server.url} did not answer like a Kubernetes API server "
        f"(/version returned {what})"
    )


def test_discovery_of_a_wrong_kind_answer_names_the_path(servers: list[BodyServer]) -> None:
    server = body_server(
        servers,
        (200, JSON, b'"not a list"'),
        {"/version": (200, JSON, json.dumps(VERSION).encode())},
    )
    client = build_client(ClusterSpec(name="x", server=server.url), 5)
    try:
        assert probe(client).health == Health.OK
        with pytest.raises(Exception) as caught:
            discover(client)
    finally:
        client.close()
    result = classify_error(caught.value, client.server)
    assert result.health == Health.UNREACHABLE
    assert result.error == (
        f"the server at {server.url} did not answer like a Kubernetes API server "
        "(/api returned a JSON string)"
    )


def test_an_error_with_newlines_becomes_one_line(servers: list[BodyServer]) -> None:
    status = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "message": "etcd is down\n  retry later\n",
        "reason": "InternalError",
        "code": 500,
    }
    server = body_server(servers, (500, JSON, json.dumps(status).encode()))
    health, error = check(ClusterSpec(name="x", server=server.url))
    assert health == Health.UNREACHABLE
    assert error == f"HTTP 500 Internal Server Error ({server.url}): etcd is down retry later"


# -------------------------------------------------------------------------- bad kubeconfigs


def write_kubeconfig(path: Path, cluster: dict[str, object]) -> Path:
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "c",
        "clusters": [{"name": "k", "cluster": cluster}],
        "users": [{"name": "u", "user": {"token": "t"}}],
        "contexts": [{"name": "c", "context": {"cluster": "k", "user": "u"}}],
    }
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.mark.parametrize(
    ("cluster", "problem"),
    [
        ({"server": 12345}, "server must be a URL string"),
        ({"server": ["https://a.example"]}, "server must be a URL string"),
        ({}, "no server"),
    ],
)
def test_a_kubeconfig_server_that_is_not_a_url_is_a_config_error(
    tmp_path: Path, cluster: dict[str, object], problem: str
) -> None:
    kc = write_kubeconfig(tmp_path / "kc", cluster)
    health, error = check(ClusterSpec(name="x", kubeconfig=kc, context="c"))
    assert health == Health.CONFIG_ERROR
    assert error == f"kubeconfig {kc}: cluster 'k': {problem}"


def test_other_kubeconfig_load_failures_name_the_kubeconfig(tmp_path: Path) -> None:
    kc = write_kubeconfig(
        tmp_path / "kc",
        {"server": "https://127.0.0.1:1", "certificate-authority": "/nonexistent/ca.crt"},
    )
    health, error = check(ClusterSpec(name="x", kubeconfig=kc, context="c"))
    assert health == Health.CONFIG_ERROR
    assert error == f"kubeconfig {kc}: File does not exist: /nonexistent/ca.crt"


def test_an_unreadable_token_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "token"
    spec = ClusterSpec(name="x", server="https://127.0.0.1:1", token_file=missing)
    health, error = check(spec)
    assert health == Health.CONFIG_ERROR
    assert error == f"cannot read {missing}: No such file or directory"
