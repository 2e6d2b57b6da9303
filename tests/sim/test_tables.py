"""Server-side Tables: kubectl's columns and printPod's rules."""

from __future__ import annotations

import json
import re
import time

import pytest

from kite_tui.sim.objects import container
from kite_tui.sim.pods import pod
from kite_tui.sim.server import SimServer
from kite_tui.sim.store import rfc3339
from kite_tui.sim.tables import human_duration, pod_summary, render_cells, row_for

from .helpers import EXPECTED_STATUS, TABLE_ACCEPT, get_json, iter_lines, raw


@pytest.mark.parametrize(
    "seconds,expected",
    [
        (-5, "<invalid>"),
        (-1, "0s"),
        (0, "0s"),
        (119, "119s"),
        (120, "2m"),
        (150, "2m30s"),
        (599, "9m59s"),
        (600, "10m"),
        (179 * 60, "179m"),
        (3 * 3600, "3h"),
        (3.5 * 3600, "3h30m"),
        (8 * 3600, "8h"),
        (47 * 3600, "47h"),
        (48 * 3600, "2d"),
        (50 * 3600, "2d2h"),
        (8 * 86400, "8d"),
        (729 * 86400, "729d"),
        (730 * 86400, "2y"),
        (800 * 86400, "2y70d"),
        (9 * 365 * 86400, "9y"),
    ],
)
def test_human_duration(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected


def _status(p: dict) -> str:
    return pod_summary(p)[1]


def _base(state: dict, **status) -> dict:
    return {
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a"}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [{"name": "a", "state": state, "ready": False, "restartCount": 0}],
            **status,
        },
    }


def test_print_pod_rules_on_handmade_pods() -> None:
    assert _status(_base({"terminated": {"exitCode": 2}})) == "ExitCode:2"
    assert _status(_base({"terminated": {"exitCode": 0, "signal": 15}})) == "Signal:15"
    # a pod that completed while being deleted keeps its terminal status
    done = _base({"terminated": {"exitCode": 0, "reason": "Completed"}}, phase="Succeeded")
    done["metadata"]["deletionTimestamp"] = rfc3339(time.time())
    assert _status(done) == "Completed"
    init = {
        "metadata": {"name": "p"},
        "spec": {"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "a"}]},
        "status": {
            "phase": "Pending",
            "initContainerStatuses": [
                {"name": "i1", "state": {"terminated": {"exitCode": 0}}, "restartCount": 0},
                {
                    "name": "i2",
                    "state": {"terminated": {"exitCode": 1, "signal": 9}},
                    "restartCount": 4,
                },
            ],
        },
    }
    assert pod_summary(init)[1:3] == ("Init:Signal:9", 4)
    init["status"]["initContainerStatuses"][1]["state"] = {"terminated": {"exitCode": 3}}
    assert _status(init) == "Init:ExitCode:3"
    init["status"]["initContainerStatuses"][1]["state"] = {"waiting": {"reason": "PodInitializing"}}
    assert _status(init) == "Init:1/2"
    # "Completed" with another container still running: Running when the pod is Ready
    both = {
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
        "status": {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [
                {"name": "a", "state": {"running": {}}, "ready": True},
                {"name": "b", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            ],
        },
    }
    assert pod_summary(both)[:2] == ("1/2", "Running")


def test_restarts_cell_shows_when() -> None:
    now = time.time()
    p = _base({"running": {}}, conditions=[])
    p["status"]["containerStatuses"][0].update(
        restartCount=3,
        ready=True,
        lastState={"terminated": {"exitCode": 1, "finishedAt": rfc3339(now - 300)}},
    )
    cells = render_cells(row_for("Pod", p), now)
    assert cells[3] == "3 (5m ago)"
    p["status"]["containerStatuses"][0]["restartCount"] = 0
    assert render_cells(row_for("Pod", p), now)[3] == "0"


def test_sidecar_restarts_count_while_initializing() -> None:
    now = time.time()
    spec_init = [{"name": "proxy", "restartPolicy": "Always"}, {"name": "setup"}]
    p = {
        "metadata": {"name": "p"},
        "spec": {"initContainers": spec_init, "containers": [{"name": "a"}]},
        "status": {
            "phase": "Pending",
            "initContainerStatuses": [
                {
                    "name": "proxy",
                    "state": {"running": {}},
                    "started": True,
                    "ready": True,
                    "restartCount": 2,
                    "lastState": {"terminated": {"exitCode": 1, "finishedAt": rfc3339(now - 60)}},
                },
                {"name": "setup", "state": {"running": {}}, "restartCount": 0},
            ],
            "containerStatuses": [
                {
                    "name": "a",
                    "state": {"waiting": {"reason": "PodInitializing"}},
                    "restartCount": 0,
                }
            ],
        },
    }
    ready, status, restarts, _last = pod_summary(p)
    assert (ready, status, restarts) == ("1/2", "Init:1/2", 2)


def test_builder_states_print_as_documented() -> None:
    import random

    from kite_tui.sim.pods import POD_STATES

    now = time.time()
    for state, expected in POD_STATES.items():
        p = pod(
            "p",
            "ns",
            created=now - 600,
            now=now,
            rng=random.Random(1),
            containers=[container("app", "nginx")],
            node_name="n1",
            state=state,
        )
        assert _status(p) == expected, state


def table(sim: SimServer, path: str) -> dict:
    status, body = get_json(sim, path, accept=TABLE_ACCEPT)
    assert status == 200, body
    assert body["kind"] == "Table" and body["apiVersion"] == "meta.k8s.io/v1"
    return body


def test_pod_table_over_http(sim: SimServer) -> None:
    t = table(sim, "/api/v1/namespaces/tricky/pods")
    cols = [(c["name"], c["priority"]) for c in t["columnDefinitions"]]
    assert cols == [
        ("Name", 0),
        ("Ready", 0),
        ("Status", 0),
        ("Restarts", 0),
        ("Age", 0),
        ("IP", 1),
        ("Node", 1),
        ("Nominated Node", 1),
        ("Readiness Gates", 1),
    ]
    rows = {r["cells"][0]: r for r in t["rows"]}
    assert {name: (r["cells"][1], r["cells"][2]) for name, r in rows.items()} == EXPECTED_STATUS
    assert re.fullmatch(r"3 \(5m(\ds)? ago\)", rows["running"]["cells"][3])
    assert rows["crashloopbackoff"]["cells"][3].endswith(" ago)")
    obj = rows["running"]["object"]
    assert obj["kind"] == "PartialObjectMetadata"
    assert obj["metadata"]["namespace"] == "tricky"
    assert rows["completed"]["conditions"][0]["reason"] == "Succeeded"
    assert t["metadata"]["resourceVersion"] == str(sim.store.resource_version)


def test_table_include_object(sim: SimServer) -> None:
    t = table(sim, "/api/v1/namespaces/tricky/pods?includeObject=Object")
    assert t["rows"][0]["object"]["kind"] == "Pod"
    assert "spec" in t["rows"][0]["object"]
    t = table(sim, "/api/v1/namespaces/tricky/pods?includeObject=None")
    assert "object" not in t["rows"][0]
    t = table(sim, "/api/v1/namespaces/tricky/pods/running")
    assert [r["cells"][0] for r in t["rows"]] == ["running"]


TABLE_COLUMNS = {
    "/api/v1/nodes": [
        "Name",
        "Status",
        "Roles",
        "Age",
        "Version",
        "Internal-IP",
        "External-IP",
        "OS-Image",
        "Kernel-Version",
        "Container-Runtime",
    ],
    "/api/v1/namespaces": ["Name", "Status", "Age"],
    "/api/v1/services": ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"],
    "/api/v1/events": [
        "Last Seen",
        "Type",
        "Reason",
        "Object",
        "Subobject",
        "Source",
        "Message",
        "First Seen",
        "Count",
        "Name",
    ],
    "/apis/apps/v1/deployments": [
        "Name",
        "Ready",
        "Up-to-date",
        "Available",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ],
    "/apis/apps/v1/replicasets": [
        "Name",
        "Desired",
        "Current",
        "Ready",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ],
    "/apis/apps/v1/daemonsets": [
        "Name",
        "Desired",
        "Current",
        "Ready",
        "Up-to-date",
        "Available",
        "Node Selector",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ],
    "/apis/apps/v1/statefulsets": ["Name", "Ready", "Age", "Containers", "Images"],
    "/apis/batch/v1/jobs": [
        "Name",
        "Status",
        "Completions",
        "Duration",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ],
    "/apis/batch/v1/cronjobs": [
        "Name",
        "Schedule",
        "Timezone",
        "Suspend",
        "Active",
        "Last Schedule",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ],
    "/apis/networking.k8s.io/v1/ingresses": ["Name", "Class", "Hosts", "Address", "Ports", "Age"],
    "/api/v1/configmaps": ["Name", "Data", "Age"],
    "/api/v1/secrets": ["Name", "Type", "Data", "Age"],
    "/api/v1/persistentvolumeclaims": [
        "Name",
        "Status",
        "Volume",
        "Capacity",
        "Access Modes",
        "StorageClass",
        "VolumeAttributesClass",
        "Age",
        "VolumeMode",
    ],
}


@pytest.mark.parametrize("path", sorted(TABLE_COLUMNS))
def test_table_columns_for_every_kind(sim: SimServer, path: str) -> None:
    t = table(sim, path)
    assert [c["name"] for c in t["columnDefinitions"]] == TABLE_COLUMNS[path]
    for row in t["rows"]:
        assert len(row["cells"]) == len(TABLE_COLUMNS[path])


def test_table_watch_sends_columns_once(sim: SimServer) -> None:
    resp = raw(
        sim,
        "/api/v1/namespaces/tricky/pods?watch=true&resourceVersion="
        f"{sim.store.resource_version}&timeoutSeconds=10",
        accept=TABLE_ACCEPT,
        stream=True,
    )
    for value in ("1", "2"):
        sim.store.modify(
            "pods", "tricky", "running", lambda p, v=value: p["metadata"]["labels"].update(n=v)
        )
    lines = iter_lines(resp)
    first, second = json.loads(next(lines)), json.loads(next(lines))
    assert first["type"] == second["type"] == "MODIFIED"
    assert first["object"]["kind"] == "Table"
    assert len(first["object"]["columnDefinitions"]) == 9
    assert [r["cells"][0] for r in first["object"]["rows"]] == ["running"]
    assert "columnDefinitions" not in second["object"]
    resp.release_conn()
