"""Comment-preserving config edits (`kite_tui.core.config.document`).

Every edit is checked with a line diff of the whole file: exactly the intended lines change,
every other line (comments, blank lines, odd formatting) stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kite_tui.core.config import (
    CLUSTER_KEYS,
    ClusterEntry,
    ConfigDocument,
    ConfigEditError,
    ConfigError,
    apply_edit,
    backup_path,
    import_contexts,
    load_config,
    sanitize_name,
    save,
)
from tests.core.config.helpers import CONFIG, KUBECONFIG, comments, diff, edited

# --------------------------------------------------------------------------------------------
# Reading


def test_entry_fields_match_the_config_format() -> None:
    assert {f for f in ClusterEntry.__dataclass_fields__} == set(CLUSTER_KEYS)
    entry = ClusterEntry(name="x", token="very-secret")
    assert "very-secret" not in repr(entry)
    assert entry.values() == {"name": "x", "token": "very-secret"}
    assert ClusterEntry(name="x", namespace="", description="").values() == {"name": "x"}


def test_read_gives_entries_and_renders_back_unchanged(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    assert doc.text == CONFIG and doc.lossless
    assert doc.names() == ["dev", "prod", "lab"]
    dev = doc.get("dev")
    assert dev == ClusterEntry(
        name="dev", description="Dev box", kubeconfig="kubeconfig", context="dev", default=True
    )
    assert not doc.get("lab").enabled
    assert doc.signature.exists and doc.signature.size == len(CONFIG)


def test_missing_file_is_an_empty_document(tmp_path: Path) -> None:
    doc = ConfigDocument.read(tmp_path / "nope" / "config.toml")
    assert doc.names() == [] and doc.text == "" and not doc.signature.exists


def test_unreadable_toml_raises_config_error_with_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[clusters]]\nname = "a\n')
    with pytest.raises(ConfigError) as info:
        ConfigDocument.read(path)
    assert str(info.value) == (
        f"{path}:2: unterminated string: expected a closing quote on the same line"
    )


def test_unknown_cluster_error_names_file_and_clusters(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    with pytest.raises(ConfigEditError) as info:
        doc.remove_cluster("nope")
    assert str(info.value) == f"{cfg}: no cluster named 'nope' (clusters: 'dev', 'prod', 'lab')"


# --------------------------------------------------------------------------------------------
# Edits: exactly the intended lines


def test_add_appends_after_last_table_and_keeps_the_footer(cfg: Path) -> None:
    entry = ClusterEntry(name="new", server="https://new.example", readonly=True, namespace="ns")
    after = edited(cfg, lambda d: d.add_cluster(entry))
    # Right after lab's last key, before the blank line and the end-of-file comment.
    lab_end = 'server = "http://127.0.0.1:8080"\n'
    assert after == CONFIG.replace(
        lab_end,
        lab_end
        + '\n[[clusters]]\nname = "new"\nserver = "https://new.example"\nnamespace = "ns"\n'
        + "readonly = true\n",
    )
    assert all(line.startswith("+") for line in diff(CONFIG, after))
    assert comments(after) == comments(CONFIG)


def test_add_refuses_a_duplicate_name(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    with pytest.raises(ConfigEditError, match="a cluster named 'prod' already exists"):
        doc.add_cluster(ClusterEntry(name="prod", server="https://x.example"))
    assert doc.text == CONFIG


def test_add_default_moves_the_default(cfg: Path) -> None:
    entry = ClusterEntry(name="new", server="https://new.example", default=True)
    after = edited(cfg, lambda d: d.add_cluster(entry))
    lab_end = 'server = "http://127.0.0.1:8080"\n'
    assert after == CONFIG.replace("default = true  # open this one first\n", "").replace(
        lab_end,
        lab_end + '\n[[clusters]]\nname = "new"\nserver = "https://new.example"\ndefault = true\n',
    )
    assert load_config(cfg).default == "new"


def test_add_to_a_new_file_and_to_a_file_without_clusters(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = edited(path, lambda d: d.add_cluster(ClusterEntry(name="a", server="https://a.x")))
    assert text == '[[clusters]]\nname = "a"\nserver = "https://a.x"\n'

    path.write_text("# only settings\n[settings]\nreadonly = true")  # no final newline
    text = edited(path, lambda d: d.add_cluster(ClusterEntry(name="a", server="https://a.x")))
    assert text == (
        "# only settings\n[settings]\nreadonly = true\n\n"
        '[[clusters]]\nname = "a"\nserver = "https://a.x"\n'
    )


def test_update_rewrites_changed_keys_in_place_and_keeps_their_comments(cfg: Path) -> None:
    def edit(doc: ConfigDocument) -> None:
        dev = doc.get("dev")
        doc.update_cluster(
            "dev",
            dev.replace(
                description="Dev sandbox",  # changed: inline comment + single quotes kept
                context="staging",  # changed: double quotes, odd spacing kept
                namespace="team-b",  # new key: after the last key
            ),
        )

    after = edited(cfg, edit)
    assert diff(CONFIG, after) == [
        "-  description = 'Dev box'      # indented, single-quoted",
        "+  description = 'Dev sandbox'      # indented, single-quoted",
        '-context="dev"',
        '+context="staging"',
        '+namespace = "team-b"',
    ]
    lines = after.splitlines()
    assert lines[lines.index('namespace = "team-b"') - 1] == "default = true  # open this one first"


def test_update_removes_keys_back_to_default_and_renames(cfg: Path) -> None:
    def edit(doc: ConfigDocument) -> None:
        prod = doc.get("prod")
        doc.update_cluster("prod", prod.replace(name="production", readonly=False, token_file=""))

    after = edited(cfg, edit)
    assert diff(CONFIG, after) == [
        '-name = "prod"',
        '+name = "production"',
        "-token_file = 'token'",
        "-readonly = true",
    ]
    assert comments(after) == comments(CONFIG)


def test_update_refuses_renaming_onto_another_cluster(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    with pytest.raises(ConfigEditError, match="cannot rename 'prod': .* 'lab' already exists"):
        doc.update_cluster("prod", doc.get("prod").replace(name="lab"))


def test_update_with_unchanged_entry_changes_nothing(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    for entry in doc.entries():
        doc.update_cluster(entry.name, entry)
    assert doc.text == CONFIG
    assert save(doc) == []
    assert not backup_path(cfg).exists()  # nothing written: no churn for the watcher


def test_update_preserves_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[clusters]]\nname = "a"\nserver = "https://a.x"\ntokn = "typo"\n')
    after = edited(path, lambda d: d.update_cluster("a", d.get("a").replace(server="https://b.x")))
    assert after == '[[clusters]]\nname = "a"\nserver = "https://b.x"\ntokn = "typo"\n'


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "dev",
            [
                "-[[clusters]]",
                "-# inside dev, above the name",
                "-  description = 'Dev box'      # indented, single-quoted",
                "-name = 'dev'",
                "-kubeconfig = 'kubeconfig'",
                '-context="dev"',
                "-default = true  # open this one first",
            ],
        ),
        (
            "prod",
            [
                "-[[clusters]]   # prod, straight to the server",
                '-name = "prod"',
                '-server = "https://10.0.0.1:6443"',
                "-token_file = 'token'",
                "-readonly = true",
                "-# enabled = false   (commented-out option of prod)",
                "-",
            ],
        ),
        (
            "lab",
            [
                "-[[clusters]]",
                "-enabled = false",
                '-name = "lab"',
                '-server = "http://127.0.0.1:8080"',
                "-",
            ],
        ),
    ],
)
def test_remove_takes_the_table_and_keeps_surrounding_comments(
    cfg: Path, name: str, expected: list[str]
) -> None:
    after = edited(cfg, lambda d: d.remove_cluster(name))
    assert diff(CONFIG, after) == expected
    removed = {line[1:] for line in expected}
    assert comments(after) == [c for c in comments(CONFIG) if c not in removed]
    assert "# end of file" in after and "# lab follows" in after


def test_remove_every_cluster_leaves_the_rest(cfg: Path) -> None:
    def edit(doc: ConfigDocument) -> None:
        for name in ("prod", "dev", "lab"):
            doc.remove_cluster(name)

    after = edited(cfg, edit)
    assert "[[clusters]]" not in after
    assert after.startswith("# kite-tui config (hand-written)\n\n[settings]\n")
    assert after.endswith("# lab follows\n\n# end of file\n")
    assert load_config(cfg).clusters == ()


def test_set_default_sets_one_and_removes_the_others(cfg: Path) -> None:
    enabled = edited(cfg, lambda d: d.set_enabled("lab", True))
    after = edited(cfg, lambda d: d.set_default("lab"))
    assert diff(enabled, after) == [
        "-default = true  # open this one first",
        "+default = true",
    ]
    # the new line is lab's last key
    assert after.splitlines()[-3:] == ["default = true", "", "# end of file"]
    assert load_config(cfg).default == "lab"
    # already the default: nothing changes
    again = edited(cfg, lambda d: d.set_default("lab"))
    assert again == after


def test_set_default_refuses_a_disabled_cluster(cfg: Path) -> None:
    with pytest.raises(ConfigEditError) as info:
        apply_edit(cfg, lambda d: d.set_default("lab"))
    assert str(info.value) == (
        f"{cfg}: cannot make 'lab' the default: it is disabled (enable it first)"
    )
    assert cfg.read_text() == CONFIG


def test_enable_and_disable(cfg: Path) -> None:
    after = edited(cfg, lambda d: d.set_enabled("lab", True))
    assert diff(CONFIG, after) == ["-enabled = false"]
    after2 = edited(cfg, lambda d: d.set_enabled("prod", False))
    assert diff(after, after2) == ["+enabled = false"]
    lines = after2.splitlines()
    assert lines[lines.index("enabled = false") - 1] == "readonly = true"  # after the last key
    assert not load_config(cfg).clusters[1].enabled
    # Disabling a disabled cluster is a no-op.
    assert edited(cfg, lambda d: d.set_enabled("prod", False)) == after2


def test_crlf_file_stays_crlf(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'# win\r\n[[clusters]]\r\nname = "a"\r\nserver = "https://a.x"\r\n')
    apply_edit(path, lambda d: d.set_enabled("a", False))
    apply_edit(path, lambda d: d.add_cluster(ClusterEntry(name="b", server="https://b.x")))
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.startswith(b'# win\r\n[[clusters]]\r\nname = "a"\r\nserver = "https://a.x"\r\n')


def test_layout_tomlkit_cannot_reproduce_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = '[[clusters]]\nname = "a"\nserver = "https://a.x"\n\n[settings]\nreadonly = true\n\n'
    text += '[[clusters]]\nname = "b"\nserver = "https://b.x"\n'
    path.write_text(text)
    doc = ConfigDocument.read(path)
    doc.set_enabled("a", False)
    with pytest.raises(ConfigEditError, match="group the \\[\\[clusters\\]\\] tables together"):
        save(doc)
    assert path.read_text() == text


def test_sanitize_name() -> None:
    assert sanitize_name("arn:aws:eks:eu-west-1:123:cluster/prod") == (
        "arn-aws-eks-eu-west-1-123-cluster-prod"
    )
    assert sanitize_name("gke_proj_zone_c1") == "gke_proj_zone_c1"
    assert sanitize_name("::") == "cluster"


def test_import_skips_configured_contexts_and_suffixes_taken_names(cfg: Path) -> None:
    # `dev` is configured (as cluster 'dev'); add a cluster that takes the name 'staging' but
    # points elsewhere, so the imported staging context needs a suffix.
    doc = ConfigDocument.read(cfg)
    doc.add_cluster(ClusterEntry(name="staging", server="https://other.example"))
    save(doc)
    before = cfg.read_text()
    result = apply_edit(cfg, lambda d: import_contexts(d, "kubeconfig", all=True)).value
    assert [(e.name, e.context) for e in result.added] == [
        ("staging-2", "staging"),
        ("arn-aws-eks-eu-west-1-123-cluster-prod", "arn:aws:eks:eu-west-1:123:cluster/prod"),
    ]
    assert [(s.context, s.cluster) for s in result.skipped] == [("dev", "dev")]
    staging_end = 'server = "https://other.example"\n'
    assert cfg.read_text() == before.replace(
        staging_end,
        staging_end
        + '\n[[clusters]]\nname = "staging-2"\nkubeconfig = "kubeconfig"\ncontext = "staging"\n'
        + '\n[[clusters]]\nname = "arn-aws-eks-eu-west-1-123-cluster-prod"\n'
        + 'kubeconfig = "kubeconfig"\ncontext = "arn:aws:eks:eu-west-1:123:cluster/prod"\n',
    )
    # Importing again: everything is configured now (an absolute path to the same file too).
    again = apply_edit(cfg, lambda d: d.import_contexts(str(cfg.parent / "kubeconfig"), all=True))
    assert again.value.added == () and len(again.value.skipped) == 3


def test_import_matches_an_entry_that_relies_on_current_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kube = tmp_path / "kube"
    kube.write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(kube))
    path = tmp_path / "config.toml"
    path.write_text('[[clusters]]\nname = "mine"\n')  # default kubeconfig, its current-context
    result = apply_edit(path, lambda d: d.import_contexts(kube, ["dev", "staging"])).value
    assert [s.cluster for s in result.skipped] == ["mine"]
    assert [e.name for e in result.added] == ["staging"]


def test_import_copies_the_context_namespace(tmp_path: Path) -> None:
    kube = tmp_path / "kube"
    kube.write_text(KUBECONFIG)
    path = tmp_path / "config.toml"
    result = apply_edit(path, lambda d: d.import_contexts(kube, ["dev", "staging"])).value
    assert [(e.name, e.namespace) for e in result.added] == [("dev", "team-a"), ("staging", None)]
    assert path.read_text() == (
        f'[[clusters]]\nname = "dev"\nkubeconfig = "{kube}"\ncontext = "dev"\n'
        'namespace = "team-a"\n'
        f'\n[[clusters]]\nname = "staging"\nkubeconfig = "{kube}"\ncontext = "staging"\n'
    )


def test_import_unknown_context_adds_nothing(cfg: Path) -> None:
    doc = ConfigDocument.read(cfg)
    with pytest.raises(ConfigEditError, match="has no context 'nope' \\(it has: 'dev', 'staging'"):
        doc.import_contexts("kubeconfig", ["staging", "nope"])
    assert doc.text == CONFIG


def test_commented_out_options_right_below_a_table_stay_with_it(cfg: Path) -> None:
    def edit(doc: ConfigDocument) -> None:
        doc.remove_cluster("lab")
        doc.add_cluster(ClusterEntry(name="new", server="https://new.example"))

    after = edited(cfg, edit)
    assert "# enabled = false   (commented-out option of prod)\n\n[[clusters]]\n" in after
    assert after.endswith(
        'name = "new"\nserver = "https://new.example"\n\n# lab follows\n\n# end of file\n'
    )


def test_edits_in_a_file_without_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[clusters]]\nname = "a"\nserver = "https://a.x"  # last line')
    after = edited(path, lambda d: d.set_enabled("a", False))
    assert after == '[[clusters]]\nname = "a"\nserver = "https://a.x"  # last line\nenabled = false'
    after = edited(path, lambda d: d.add_cluster(ClusterEntry(name="b", server="https://b.x")))
    assert after.endswith('enabled = false\n\n[[clusters]]\nname = "b"\nserver = "https://b.x"\n')


def test_inline_array_of_clusters_can_be_edited(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('clusters = [{name = "a", server = "https://a.x"}]  # compact\n')
    after = edited(path, lambda d: d.add_cluster(ClusterEntry(name="b", server="https://b.x")))
    assert [c.name for c in load_config(path).clusters] == ["a", "b"] and "# compact" in after
    edited(path, lambda d: d.set_default("b"))
    edited(path, lambda d: d.remove_cluster("a"))
    config = load_config(path)
    assert [c.name for c in config.clusters] == ["b"] and config.default == "b"


def test_clusters_that_is_not_a_table_array_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("clusters = 3\n")
    doc = ConfigDocument.read(path)
    with pytest.raises(ConfigEditError, match="'clusters' must be an array of tables"):
        doc.add_cluster(ClusterEntry(name="a", server="https://a.x"))
