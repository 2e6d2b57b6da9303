"""Where the config is (`kite_tui.core.config.paths`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kite_tui.cli import main
from kite_tui.core.config import load_config, resolve_config_path


def test_config_location_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("KITE_TUI_CONFIG", raising=False)
    assert resolve_config_path() == tmp_path / "xdg" / "kite-tui" / "config.toml"
    monkeypatch.setenv("KITE_TUI_CONFIG", str(tmp_path / "env.toml"))
    assert resolve_config_path() == tmp_path / "env.toml"
    assert resolve_config_path(str(tmp_path / "flag.toml")) == tmp_path / "flag.toml"


def test_a_relative_path_in_the_config_is_read_from_the_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The config named relative to where the command runs: its own paths are still relative
    # to its directory, and reported absolute (as the spec promises).
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "config.toml").write_text(
        '[[clusters]]\nname = "a"\nkubeconfig = "kube/missing"\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["config", "check", "conf/config.toml"]) == 1
    missing = tmp_path / "conf" / "kube" / "missing"
    assert capsys.readouterr().out.splitlines() == [
        f"conf/config.toml:3: cluster 'a': kubeconfig {missing} does not exist"
    ]
    (spec,) = load_config(Path("conf/config.toml")).clusters
    assert spec.kubeconfig == missing
