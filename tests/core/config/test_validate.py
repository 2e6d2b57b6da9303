"""Checking one entry before it is saved (`kite_tui.core.config.validate`)."""

from __future__ import annotations

from pathlib import Path

from kite_tui.core.config import (
    NO_FIELD,
    ClusterEntry,
    ConfigDocument,
    validate_entry,
)
from tests.core.config.helpers import CONFIG

# --------------------------------------------------------------------------------------------
# Validation


def test_validate_entry_maps_loader_issues_to_fields(cfg: Path) -> None:
    ok = ClusterEntry(name="new", kubeconfig="kubeconfig", context="staging")
    assert validate_entry(ok, cfg) == {}
    assert validate_entry(ClusterEntry(name="dev", server="https://x.example"), cfg) == {
        "name": "a cluster named 'dev' already exists"
    }
    errors = validate_entry(ClusterEntry(name="n", kubeconfig="kubeconfig", context="qa"), cfg)
    assert list(errors) == ["context"]
    assert errors["context"].startswith("context 'qa' is not in kubeconfig")
    errors = validate_entry(ClusterEntry(name="n", kubeconfig="missing"), cfg)
    assert errors == {"kubeconfig": f"kubeconfig {cfg.parent / 'missing'} does not exist"}
    errors = validate_entry(
        ClusterEntry(name="", server="htp:/x", token_file="nope", client_key="k"), cfg
    )
    # client_key: the file is missing; client_certificate: it goes with client_key.
    assert set(errors) == {"name", "server", "token_file", "client_certificate", "client_key"}
    assert errors["server"].startswith("bad server URL 'htp:/x'")
    errors = validate_entry(
        ClusterEntry(name="n", kubeconfig="kubeconfig", server="https://x"), cfg
    )
    assert set(errors) == {"kubeconfig"} and "not both" in errors["kubeconfig"]


def test_validate_entry_when_editing(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    prod = doc.get("prod")
    assert validate_entry(prod.replace(readonly=False), cfg, replacing="prod") == {}
    assert validate_entry(prod.replace(name="lab"), cfg, replacing="prod") == {
        "name": "a cluster named 'lab' already exists"
    }
    assert validate_entry(prod.replace(default=True), cfg, replacing="prod") == {}
    assert ConfigDocument.read(cfg).text == CONFIG  # validating never writes


def test_validate_entry_reports_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('bogus = 1\n[[clusters]]\nname = "a"\nserver = "https://a.x"\n')
    errors = validate_entry(ClusterEntry(name="b", server="https://b.x"), path)
    assert errors == {NO_FIELD: f"{path}:1: unknown top-level key 'bogus'"}


def test_validate_entry_names_the_field_in_a_file_of_inline_tables(tmp_path: Path) -> None:
    # Every entry sits on the `clusters = [...]` line: the field comes from the problem's key,
    # not from what is written on its line.
    path = tmp_path / "config.toml"
    path.write_text('clusters = [{name = "a", server = "https://a.x"}]\n')
    errors = validate_entry(ClusterEntry(name="b", server="htp:/x", token_file="nope"), path)
    assert errors == {
        "server": "bad server URL 'htp:/x' (expected https://host[:port] or http://host[:port])",
        "token_file": f"token file {tmp_path / 'nope'} does not exist",
    }
