"""What the config reads of a kubeconfig (`kite_tui.core.config.kubeconfig`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kite_tui.core.config import (
    ConfigEditError,
    kubeconfig_contexts,
)

# --------------------------------------------------------------------------------------------
# Kubeconfig contexts and import


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
