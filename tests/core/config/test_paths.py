"""Where the config is (`kite_tui.core.config.paths`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kite_tui.core.config import resolve_config_path


def test_config_location_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("KITE_TUI_CONFIG", raising=False)
    assert resolve_config_path() == tmp_path / "xdg" / "kite-tui" / "config.toml"
    monkeypatch.setenv("KITE_TUI_CONFIG", str(tmp_path / "env.toml"))
    assert resolve_config_path() == tmp_path / "env.toml"
    assert resolve_config_path(str(tmp_path / "flag.toml")) == tmp_path / "flag.toml"
