"""Fixtures of the config tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.config.helpers import CONFIG, KUBECONFIG


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    (tmp_path / "token").write_text("token-from-file\n")
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path
