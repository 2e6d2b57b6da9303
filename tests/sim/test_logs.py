"""Pod logs through the official client: container, tailLines, timestamps, previous, follow."""

from __future__ import annotations

import json
import re

import pytest
from kubernetes import client, watch
from kubernetes.client.exceptions import ApiException

from kite_tui.sim.server import SimServer
from kite_tui.sim.store import rfc3339

from .helpers import Collector


def _error(exc: pytest.ExceptionInfo) -> tuple[int, str]:
    return exc.value.status, json.loads(exc.value.body)["message"]


def test_plain_logs(v1: client.CoreV1Api) -> None:
    text = v1.read_namespaced_pod_log("running", "tricky")
    lines = text.splitlines()
    assert len(lines) >= 20
    assert text == v1.read_namespaced_pod_log("running", "tricky")  # deterministic
    assert v1.read_namespaced_pod_log("running", "tricky", tail_lines=5).splitlines() == lines[-5:]


def test_timestamps(v1: client.CoreV1Api) -> None:
    lines = v1.read_namespaced_pod_log(
        "running", "tricky", tail_lines=3, timestamps=True
    ).splitlines()
    assert len(lines) == 3
    for line in lines:
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ", line), line


def test_container_choice(v1: client.CoreV1Api) -> None:
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log("partiallyready", "tricky")
    code, msg = _error(exc)
    assert code == 400
    assert msg.startswith(
        "a container name must be specified for pod partiallyready, choose one of: ["
    )
    app = v1.read_namespaced_pod_log("partiallyready", "tricky", container="metrics-exporter")
    assert app
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log("running", "tricky", container="nope")
    assert _error(exc) == (400, "container nope is not valid for pod running")


def test_waiting_container_and_missing_pod(v1: client.CoreV1Api) -> None:
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log("containercreating", "tricky")
    code, msg = _error(exc)
    assert code == 400 and msg.endswith("is waiting to start: ContainerCreating")
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log("ghost", "tricky")
    assert exc.value.status == 404


def test_previous(v1: client.CoreV1Api) -> None:
    from kite_tui.sim.logs import _CRASHES

    prev = v1.read_namespaced_pod_log("crashloopbackoff", "tricky", previous=True)
    assert prev.splitlines()[-1] in _CRASHES  # the previous instance crashed
    assert prev != v1.read_namespaced_pod_log("running", "tricky", previous=True)
    assert v1.read_namespaced_pod_log("pending", "tricky") == ""  # not scheduled yet
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log(
            "partiallyready", "tricky", container="metrics-exporter", previous=True
        )
    assert _error(exc) == (
        400,
        'previous terminated container "metrics-exporter" in pod "partiallyready" not found',
    )


def test_follow_streams_written_lines_and_ends_with_the_container(
    v1: client.CoreV1Api, sim: SimServer
) -> None:
    w = watch.Watch()
    col = Collector(
        lambda: w.stream(
            v1.read_namespaced_pod_log,
            name="running",
            namespace="tricky",
            follow=True,
            tail_lines=1,
        )
    )
    col.get()  # the backlog's last line
    sim.wait_for_request(lambda r: r.path.endswith("/log") and r.query.get("follow") == "true")
    sim.write_log("tricky", "running", "hello from the test")
    assert col.until(lambda line: line == "hello from the test")
    sim.write_log("tricky", "running", "second line")
    assert col.get() == "second line"

    def stop(p: dict) -> None:
        cs = p["status"]["containerStatuses"][0]
        cs["state"] = {
            "terminated": {"exitCode": 0, "reason": "Completed", "finishedAt": rfc3339(0)}
        }

    sim.store.modify("pods", "tricky", "running", stop)
    assert col.done.wait(5)
    assert col.error is None


def test_follow_generates_lines_on_its_own() -> None:
    from kite_tui.sim.scenario import Scenario

    from .helpers import iter_lines, raw

    with SimServer(
        scenario=Scenario(pods=3, namespaces=1, failing_fraction=0), log_interval=0.01
    ) as sim:
        pod = next(p for p in sim.store.list("pods") if p["status"]["phase"] == "Running")
        ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        resp = raw(
            sim, f"/api/v1/namespaces/{ns}/pods/{name}/log?follow=true&tailLines=0", stream=True
        )
        lines = iter_lines(resp)
        assert [next(lines) for _ in range(3)]
        resp.release_conn()


def test_limit_bytes_and_since_seconds(v1: client.CoreV1Api, sim: SimServer) -> None:
    assert len(v1.read_namespaced_pod_log("running", "tricky", limit_bytes=40)) == 40
    sim.write_log("tricky", "running", "fresh line")
    recent = v1.read_namespaced_pod_log("running", "tricky", since_seconds=5)
    assert recent.splitlines()[-1] == "fresh line"
    assert len(recent.splitlines()) < len(
        v1.read_namespaced_pod_log("running", "tricky").splitlines()
    )
