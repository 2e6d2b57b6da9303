"""What the config reads of a kubeconfig (`kite_tui.core.config.kubeconfig`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kite_tui.cli import main
from kite_tui.core.config import ConfigEditError, kubeconfig_contexts, load_config


def test_kubeconfig_contexts(cfg: Path) -> None:
    contexts = kubeconfig_contexts(cfg.parent / "kubeconfig")
    assert [c.name for c in contexts] == [
        "dev",
        "staging",
        "arn:aws:eks:eu-west-1:123:cluster/prod",
    ]
    dev, _, eks = contexts
    assert dev.current and dev.namespace == "team-a" and dev.server == "https://127.0.0.1:6443"
    assert (eks.cluster, eks.server, eks.user, eks.current) == (
        "eks",
        "https://eks.example:443",
        "aws",
        False,
    )
    bad = cfg.parent / "bad.yaml"
    bad.write_text("contexts: [\n")
    with pytest.raises(ConfigEditError, match="is not valid YAML at line"):
        kubeconfig_contexts(bad)
    with pytest.raises(ConfigEditError, match="does not exist"):
        kubeconfig_contexts(cfg.parent / "missing")


def one_cluster_on(tmp_path: Path, kubeconfig: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[[clusters]]\nname = "a"\nkubeconfig = "{kubeconfig}"\n')
    return path


def test_a_kubeconfig_that_is_not_text_is_a_problem_of_its_cluster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_bytes(b"\xff\xfe\x00binary")
    path = one_cluster_on(tmp_path, kubeconfig)
    expected = f"{path}:3: cluster 'a': kubeconfig {kubeconfig} is not UTF-8 text"
    assert [str(i) for i in load_config(path).issues()] == [expected]
    assert main(["config", "check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [expected]


def test_a_broken_kubeconfig_reads_the_same_when_loading_and_importing(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\ncontexts: [\n")
    path = one_cluster_on(tmp_path, kubeconfig)
    with pytest.raises(ConfigEditError) as info:
        kubeconfig_contexts(kubeconfig)
    assert str(info.value) == f"kubeconfig {kubeconfig} is not valid YAML at line 3"
    (issue,) = load_config(path).issues()
    assert issue.message == str(info.value)
