"""Saving the config safely (`kite_tui.core.config.save`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kite_tui.core.config import (
    ClusterEntry,
    ConfigChangedOnDisk,
    ConfigDocument,
    InvalidEdit,
    apply_edit,
    backup_path,
    save,
)
from tests.core.config.helpers import CONFIG, diff

# --------------------------------------------------------------------------------------------
# Saving safely


def test_file_changed_on_disk_is_not_overwritten(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    doc.set_enabled("lab", True)
    st = cfg.stat()
    # Same size, same mtime, other content: only the hash can tell.
    hand = CONFIG.replace("probe every 30 s", "probe every 30 S")
    cfg.write_text(hand)
    os.utime(cfg, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(ConfigChangedOnDisk, match="changed on disk since it was read"):
        save(doc)
    assert cfg.read_text() == hand


def test_a_file_created_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    doc = ConfigDocument.read(path)
    doc.add_cluster(ClusterEntry(name="a", server="https://a.x"))
    path.write_text("# mine\n")
    with pytest.raises(ConfigChangedOnDisk):
        save(doc)
    assert path.read_text() == "# mine\n"


def test_apply_edit_reapplies_after_a_concurrent_hand_edit(cfg: Path) -> None:
    calls = 0

    def edit(doc: ConfigDocument) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # someone saves the file in their editor while we are editing
            cfg.write_text(CONFIG.replace("resync_seconds = 30", "resync_seconds = 45"))
        doc.set_enabled("lab", True)

    result = apply_edit(cfg, edit)
    assert calls == 2 and result.attempts == 2
    assert diff(CONFIG, cfg.read_text()) == [
        "-resync_seconds = 30   # probe every 30 s",
        "+resync_seconds = 45   # probe every 30 s",
        "-enabled = false",
    ]


def test_apply_edit_gives_up_when_the_file_keeps_changing(cfg: Path) -> None:
    n = 0

    def edit(doc: ConfigDocument) -> None:
        nonlocal n
        n += 1
        cfg.write_text(CONFIG + f"# hand edit {n}\n")
        doc.set_enabled("lab", True)

    with pytest.raises(ConfigChangedOnDisk, match=r"kept changing on disk .*\(tried 2 times\)"):
        apply_edit(cfg, edit)
    assert cfg.read_text() == CONFIG + "# hand edit 2\n"


def test_a_file_that_would_not_load_is_not_written(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    doc.doc["clusters"][2]["default"] = True  # a second default: a file-level error
    with pytest.raises(InvalidEdit) as info:
        save(doc)
    assert not info.value.preexisting
    assert "more than one cluster is marked default" in str(info.value)
    assert cfg.read_text() == CONFIG

    cfg.write_text("bogus = 1\n" + CONFIG)
    with pytest.raises(InvalidEdit) as info:
        apply_edit(cfg, lambda d: d.set_enabled("lab", True))
    assert info.value.preexisting and "unknown top-level key 'bogus'" in str(info.value)


def test_interrupted_write_leaves_the_old_file_and_no_temp_file(
    cfg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if Path(dst) == cfg:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    before = sorted(p.name for p in cfg.parent.iterdir())
    with pytest.raises(OSError, match="No space left"):
        apply_edit(cfg, lambda d: d.remove_cluster("prod"))
    assert cfg.read_text() == CONFIG
    after = sorted(p.name for p in cfg.parent.iterdir())
    assert [n for n in after if n not in before] == ["config.toml.bak"]  # no temporary file


def test_new_file_is_private_and_its_new_directory_too(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "config.toml"
    apply_edit(path, lambda d: d.add_cluster(ClusterEntry(name="a", server="https://a.x")))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    assert not backup_path(path).exists()  # there was no previous version


def test_backup_keeps_the_previous_version_privately(cfg: Path) -> None:
    cfg.chmod(0o640)
    apply_edit(cfg, lambda d: d.remove_cluster("lab"))
    bak = backup_path(cfg)
    assert bak.name == "config.toml.bak" and bak.read_text() == CONFIG
    assert stat.S_IMODE(bak.stat().st_mode) == 0o600
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o640  # the file's own mode is kept
    second = cfg.read_text()
    apply_edit(cfg, lambda d: d.remove_cluster("prod"))
    assert bak.read_text() == second


def test_token_in_a_readable_file_gives_a_warning(cfg: Path) -> None:
    cfg.chmod(0o644)
    entry = ClusterEntry(name="t", server="https://t.x", token="very-secret")
    result = apply_edit(cfg, lambda d: d.add_cluster(entry))
    assert result.warnings == (
        f"{cfg} holds a token and is readable by group/others (mode 0644); "
        f"make it private: chmod 600 {cfg}",
    )
    assert "very-secret" not in result.warnings[0]
    cfg.chmod(0o600)
    assert apply_edit(cfg, lambda d: d.set_enabled("lab", True)).warnings == ()


def test_a_symlinked_config_stays_a_symlink(tmp_path: Path, cfg: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "config.toml"
    real.write_text(CONFIG)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    # The link sits next to the kubeconfig, so the relative paths still resolve.
    apply_edit(link, lambda d: d.set_enabled("lab", True))
    assert link.is_symlink() and "\nenabled = false" not in real.read_text()
    assert backup_path(real).read_text() == CONFIG
