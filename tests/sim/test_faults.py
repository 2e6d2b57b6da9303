"""Faults switched while running, TLS, and bearer-token auth."""

from __future__ import annotations

import json
import queue
import socket
import time
from pathlib import Path

import pytest
import urllib3
from kubernetes import client, watch
from kubernetes.client.exceptions import ApiException

from kite_tui.sim.server import SimServer

from .helpers import Collector, api_client, get_json, iter_lines, raw


def _connect_refused(port: int) -> bool:
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port))
    except ConnectionRefusedError:
        return True
    finally:
        s.close()
    return False


def test_wrong_token_is_401(sim: SimServer) -> None:
    status, body = get_json(sim, "/api/v1/pods", token="wrong")
    assert status == 401
    assert body["kind"] == "Status" and body["reason"] == "Unauthorized"
    assert get_json(sim, "/version", token="wrong")[0] == 401
    assert get_json(sim, "/api/v1/namespaces")[0] == 200


def test_accepted_tokens_rotate_and_revoke_while_running(sim: SimServer) -> None:
    # A credential rotating server-side: the old token refused from one request to the next.
    assert get_json(sim, "/api/v1/namespaces")[0] == 200  # the token the sim started with
    sim.accept_tokens("new-1", "new-2")
    assert get_json(sim, "/api/v1/namespaces")[0] == 401
    assert get_json(sim, "/api/v1/namespaces", token="new-1")[0] == 200
    assert get_json(sim, "/api/v1/namespaces", token="new-2")[0] == 200
    sim.accept_tokens()  # everything revoked
    status, body = get_json(sim, "/version", token="new-1")
    assert status == 401 and body["reason"] == "Unauthorized"
    refused = [r.status for r in sim.request_log if r.path in ("/api/v1/namespaces", "/version")]
    assert refused == [200, 401, 200, 200, 401]


def test_wrong_token_through_client(sim: SimServer, tmp_path: Path) -> None:
    sim.token, good = "other", sim.token
    api = api_client(sim, tmp_path)  # kubeconfig says "other"
    sim.token = good
    with pytest.raises(ApiException) as exc:
        client.CoreV1Api(api).list_namespace()
    assert exc.value.status == 401
    api.close()


def test_tls_with_generated_ca(tmp_path: Path) -> None:
    with SimServer(tls=True, token="t") as sim:
        assert sim.url.startswith("https://127.0.0.1:")
        assert sim.ca_pem and b"BEGIN CERTIFICATE" in sim.ca_pem
        kc = sim.write_kubeconfig(tmp_path / "kc", namespace="kube-system")
        assert oct(kc.stat().st_mode & 0o777) == "0o600"
        import yaml

        doc = yaml.safe_load(kc.read_text())
        assert doc["clusters"][0]["cluster"]["certificate-authority-data"]
        assert doc["contexts"][0]["context"]["namespace"] == "kube-system"
        api = api_client(sim, tmp_path)
        names = [n.metadata.name for n in client.CoreV1Api(api).list_namespace().items]
        assert "kube-system" in names
        api.close()
        with pytest.raises(urllib3.exceptions.SSLError):
            urllib3.PoolManager().request("GET", sim.url + "/version", retries=False)


def test_status_fault(v1: client.CoreV1Api, sim: SimServer) -> None:
    for code, reason in ((500, "InternalError"), (403, "Forbidden"), (401, "Unauthorized")):
        sim.faults.status = code
        with pytest.raises(ApiException) as exc:
            v1.list_namespace()
        assert exc.value.status == code
        assert json.loads(exc.value.body)["reason"] == reason
    sim.faults.status = None
    assert v1.list_namespace().items


def test_rbac_one_namespace(v1: client.CoreV1Api, sim: SimServer, api) -> None:
    sim.faults.allowed_namespaces = {"tricky"}
    assert v1.list_namespaced_pod("tricky").items
    assert v1.read_namespaced_pod_log("running", "tricky", tail_lines=1)
    for call in (
        lambda: v1.list_pod_for_all_namespaces(),
        lambda: v1.list_namespaced_pod("kube-system"),
        lambda: v1.list_namespace(),
        lambda: v1.list_node(),
    ):
        with pytest.raises(ApiException) as exc:
            call()
        assert exc.value.status == 403
    body = json.loads(exc.value.body)
    assert body["reason"] == "Forbidden"
    with pytest.raises(ApiException) as exc:
        v1.list_pod_for_all_namespaces()
    msg = json.loads(exc.value.body)["message"]
    assert msg == (
        'pods is forbidden: User "system:serviceaccount:kite:viewer" cannot list '
        'resource "pods" in API group "" at the cluster scope'
    )
    with pytest.raises(ApiException) as exc:
        v1.list_namespaced_pod("kube-system")
    assert 'in the namespace "kube-system"' in json.loads(exc.value.body)["message"]
    assert client.VersionApi(api).get_code().major == "1"
    assert client.CoreV1Api(api).get_api_resources().resources
    sim.faults.allowed_namespaces = None
    assert v1.list_namespace().items


def test_latency(v1: client.CoreV1Api, sim: SimServer) -> None:
    sim.faults.latency = 0.3
    t0 = time.monotonic()
    v1.list_namespace()
    assert time.monotonic() - t0 >= 0.3
    sim.faults.latency = 0


def test_blackhole_holds_requests_until_client_gives_up(
    v1: client.CoreV1Api, sim: SimServer
) -> None:
    sim.faults.blackhole = True
    mark = sim.mark()
    with pytest.raises((urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.MaxRetryError)):
        v1.list_namespace(_request_timeout=(2, 0.2))  # the client retries 3 times
    assert sim.wait_for_request(lambda r: r.path == "/api/v1/namespaces", since=mark)
    assert sim.request_log[-1].status is None  # never answered
    sim.faults.blackhole = False
    assert v1.list_namespace().items


def test_blackhole_stalls_open_watches_until_lifted(sim: SimServer) -> None:
    """A dead link swallows what is already flowing too: a client can only notice it by
    hearing nothing."""
    resp = raw(sim, "/api/v1/namespaces/default/pods?watch=true", stream=True)
    sim.wait_for_watches(1)
    lines = Collector(lambda: iter_lines(resp))
    sim.faults.blackhole = True
    sim.store.create(
        {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "held", "namespace": "default"}}
    )
    with pytest.raises(queue.Empty):
        lines.get(timeout=1.0)  # a bounded wait for silence: nothing may arrive
    sim.faults.blackhole = False
    event = json.loads(lines.get(timeout=5))
    assert (event["type"], event["object"]["metadata"]["name"]) == ("ADDED", "held")
    resp.release_conn()


def test_refuse_and_relisten_on_the_same_port(v1: client.CoreV1Api, sim: SimServer) -> None:
    port = sim.port
    v1.list_namespace()  # leave a pooled keep-alive connection open
    sim.faults.refuse = True
    assert _connect_refused(port)
    with pytest.raises(urllib3.exceptions.MaxRetryError):
        client.CoreV1Api(v1.api_client).list_namespace(_request_timeout=2)
    sim.faults.refuse = False
    assert sim.port == port
    assert v1.list_namespace().items


def test_restart_keeps_store_and_port(v1: client.CoreV1Api, sim: SimServer) -> None:
    rv = v1.list_namespaced_pod("tricky").metadata.resource_version
    # returns once the response headers are in, so the restart cuts an established stream
    resp = v1.list_namespaced_pod("tricky", watch=True, resource_version=rv, _preload_content=False)
    port = sim.port
    sim.restart()
    assert sim.port == port
    with pytest.raises(urllib3.exceptions.ProtocolError):
        for _ in iter_lines(resp):
            pass
    # the store survived: same resourceVersion, and resuming from it works
    assert int(v1.list_namespaced_pod("tricky").metadata.resource_version) == int(rv)
    events = list(
        watch.Watch().stream(
            v1.list_namespaced_pod, "tricky", resource_version=rv, timeout_seconds=1
        )
    )
    assert events == []


def test_control_endpoint(sim: SimServer) -> None:
    status, body = get_json(sim, "/_sim/faults")
    assert status == 200 and body["latency"] == 0 and body["refuse"] is False
    r = raw(sim, "/_sim/faults", method="POST", body={"status": 500, "latency": 0.01})
    assert r.status == 200 and json.loads(r.data)["status"] == 500
    assert sim.faults.status == 500
    assert get_json(sim, "/api/v1/pods")[0] == 500
    assert get_json(sim, "/_sim/faults")[0] == 200  # control is never faulted
    raw(sim, "/_sim/faults", method="POST", body={"clear": True})
    assert sim.faults.status is None and sim.faults.latency == 0
    r = raw(sim, "/_sim/faults", method="POST", body={"bogus": 1})
    assert r.status == 400
    r = raw(sim, "/_sim/faults", method="POST", body={"allowed_namespaces": ["tricky"]})
    assert sim.faults.allowed_namespaces == frozenset({"tricky"})
    assert json.loads(r.data)["allowed_namespaces"] == ["tricky"]
    sim.faults.clear()
    assert get_json(sim, "/_sim/info")[1]["name"] == "sim"


def test_control_refuse_with_clear_after(sim: SimServer) -> None:
    r = raw(sim, "/_sim/faults", method="POST", body={"refuse": True, "clear_after": 0.2})
    assert r.status == 200
    assert _connect_refused(sim.port)
    assert sim.faults.wait_until(lambda f: not f.refuse, timeout=5)
    assert get_json(sim, "/version")[0] == 200


def test_control_drop_and_expire(sim: SimServer) -> None:
    resp = raw(
        sim, f"/api/v1/pods?watch=true&resourceVersion={sim.store.resource_version}", stream=True
    )
    sim.wait_for_watches(1)
    assert json.loads(raw(sim, "/_sim/expire", method="POST").data)["resourceVersion"]
    assert json.loads(next(iter_lines(resp)))["object"]["code"] == 410
    sim.wait_for_watches(0)
    assert json.loads(raw(sim, "/_sim/drop-watches", method="POST").data) == {"dropped": 0}


def test_stop_does_not_hang_on_open_streams() -> None:
    sim = SimServer().start()
    resp = raw(sim, "/api/v1/pods?watch=true", stream=True)
    sim.wait_for_watches(1)
    sim.faults.blackhole = True
    pm = urllib3.PoolManager()
    col = Collector(lambda: [pm.request("GET", sim.url + "/version", retries=False, timeout=10)])
    sim.wait_for_request(lambda r: r.path == "/version")
    t0 = time.monotonic()
    sim.stop()
    sim.stop()  # idempotent
    assert time.monotonic() - t0 < 3
    assert col.done.wait(5)
    resp.release_conn()


def test_faults_set_before_start() -> None:
    sim = SimServer()
    sim.faults.refuse = True
    with sim:
        assert _connect_refused(sim.port)
        sim.faults.refuse = False
        assert get_json(sim, "/version")[0] == 200
