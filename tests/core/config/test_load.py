"""Config loading and validation (`kite_tui.core.config.load`): every problem names the file,
the line and the cluster."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kite_tui.cli import main
from kite_tui.core.config import ConfigError, load_config

KUBECONFIG = """
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: {server: "https://127.0.0.1:6443"}
- name: prod
  cluster: {server: "https://127.0.0.1:6444"}
contexts:
- name: dev
  context: {cluster: dev, user: me}
- name: prod
  context: {cluster: prod, user: me}
users:
- name: me
  user: {token: abc}
"""


@pytest.fixture
def kubeconfig(tmp_path: Path) -> Path:
    path = tmp_path / "kubeconfig"
    path.write_text(KUBECONFIG)
    return path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_valid_config_gives_frozen_specs_in_file_order(tmp_path: Path, kubeconfig: Path) -> None:
    (tmp_path / "token").write_text("secret\n")
    path = write(
        tmp_path,
        f"""
[settings]
resync_seconds = 5
request_timeout_seconds = 2.5

[[clusters]]
name = "dev"
kubeconfig = "{kubeconfig}"
default = true
namespace = "team-a"

[[clusters]]
name = "prod"
kubeconfig = "kubeconfig"   # relative to the config file
context = "prod"
readonly = true

[[clusters]]
name = "raw"
server = "https://10.0.0.1:6443"
token_file = "token"
enabled = false
""",
    )
    config = load_config(path)
    assert [c.name for c in config.clusters] == ["dev", "prod", "raw"]
    assert config.default == "dev"
    assert config.settings.resync_seconds == 5
    assert config.settings.request_timeout_seconds == 2.5
    dev, prod, raw = config.clusters
    assert dev.namespace == "team-a" and dev.error is None
    assert prod.kubeconfig == kubeconfig and prod.context == "prod" and prod.readonly
    assert raw.token_file == tmp_path / "token" and not raw.enabled
    with pytest.raises(AttributeError):
        dev.name = "other"  # type: ignore[misc]


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[clusters]]\nname = "a"\nserver = "https://x\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    (issue,) = info.value.issues
    assert issue.path == path and issue.line == 3
    assert str(issue) == (
        f"{path}:3: unterminated string: expected a closing quote on the same line"
    )


def test_duplicate_names_and_two_defaults_are_file_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """[[clusters]]
name = "a"
server = "https://a.example"
default = true

[[clusters]]
name = "b"
server = "https://b.example"
default = true

[[clusters]]
name = "a"
server = "https://c.example"
""",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    messages = [str(i) for i in info.value.issues]
    assert f"{path}:11: cluster 'a': duplicate cluster name (first defined at line 1)" in messages
    assert any(m.startswith(f"{path}:6: more than one cluster is marked default") for m in messages)


def test_unknown_keys_get_a_did_you_mean_with_their_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """[settings]
resync_secnds = 3

[[clusters]]
name = "a"
server = "https://a.example"
tokn = "x"
""",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert [str(i) for i in info.value.issues] == [
        f"{path}:2: unknown key 'resync_secnds' in [settings] (did you mean 'resync_seconds'?)",
        f"{path}:7: cluster 'a': unknown key 'tokn' (did you mean 'token'?)",
    ]
    path.write_text(path.read_text().replace("resync_secnds", "resync_seconds"))
    config = load_config(path)
    assert [str(i) for i in config.issues()] == [
        f"{path}:7: cluster 'a': unknown key 'tokn' (did you mean 'token'?)"
    ]


def test_cluster_level_problems_break_only_that_cluster(tmp_path: Path, kubeconfig: Path) -> None:
    path = write(
        tmp_path,
        f"""[[clusters]]
name = "ok"
kubeconfig = "{kubeconfig}"

[[clusters]]
name = "missing-file"
kubeconfig = "/nonexistent/kubeconfig"

[[clusters]]
name = "missing-context"
kubeconfig = "{kubeconfig}"
context = "staging"

[[clusters]]
name = "bad-url"
server = "htps:/nowhere"
""",
    )
    config = load_config(path)
    issues = {i.cluster: str(i) for i in config.issues()}
    assert "ok" not in issues
    assert issues["missing-file"] == (
        f"{path}:7: cluster 'missing-file': kubeconfig /nonexistent/kubeconfig does not exist"
    )
    assert issues["missing-context"].startswith(
        f"{path}:12: cluster 'missing-context': context 'staging' is not in kubeconfig"
    )
    assert "it has: 'dev', 'prod'" in issues["missing-context"]
    assert issues["bad-url"].startswith(f"{path}:16: cluster 'bad-url': bad server URL")


def test_cli_config_path_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write(tmp_path, '[[clusters]]\nname = "a"\nserver = "https://a.example"\n')
    monkeypatch.setenv("KITE_TUI_CONFIG", str(good))
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(good)
    assert main(["config", "check"]) == 0
    assert capsys.readouterr().out.strip() == f"{good}: ok"

    bad = tmp_path / "bad.toml"
    bad.write_text('[[clusters]]\nname = "a"\nserver = "https://a.example"\nkubeconfg = "x"\n')
    assert main(["config", "check", str(bad)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"{bad}:4: cluster 'a': unknown key 'kubeconfg' (did you mean 'kubeconfig'?)"]


def test_tilde_and_env_vars_expand_in_paths(
    tmp_path: Path, kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KCDIR", str(kubeconfig.parent))
    path = write(
        tmp_path,
        '[[clusters]]\nname = "a"\nkubeconfig = "~/kubeconfig"\n'
        '[[clusters]]\nname = "b"\nkubeconfig = "$KCDIR/kubeconfig"\n',
    )
    a, b = load_config(path).clusters
    assert a.kubeconfig == kubeconfig and b.kubeconfig == kubeconfig
    assert os.fspath(a.kubeconfig).startswith(str(tmp_path))


def test_a_kubeconfig_cluster_starts_in_its_context_namespace(tmp_path: Path) -> None:
    # kubectl's rule: without an explicit namespace, the context's namespace applies.
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        KUBECONFIG.replace("{cluster: dev, user: me}", "{cluster: dev, user: me, namespace: shop}")
    )
    path = write(
        tmp_path,
        f"""
[[clusters]]
name = "current"
kubeconfig = "{kubeconfig}"

[[clusters]]
name = "named"
kubeconfig = "{kubeconfig}"
context = "dev"

[[clusters]]
name = "explicit"
kubeconfig = "{kubeconfig}"
context = "dev"
namespace = "payments"

[[clusters]]
name = "none"
kubeconfig = "{kubeconfig}"
context = "prod"
""",
    )
    spaces = {c.name: c.namespace for c in load_config(path).clusters}
    assert spaces == {"current": "shop", "named": "shop", "explicit": "payments", "none": None}


def test_check_reports_file_and_cluster_problems_in_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        """bogus = 1

[[clusters]]
name = "a"
server = "https://a.example"
tokn = "x"

[[clusters]]
name = "b"
server = "htps:/b"
""",
    )
    assert main(["config", "check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}:1: unknown top-level key 'bogus'"
    assert out[1] == f"{path}:6: cluster 'a': unknown key 'tokn' (did you mean 'token'?)"
    assert out[2].startswith(f"{path}:10: cluster 'b': bad server URL 'htps:/b'")
    assert len(out) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[clusters]]\nname = "a"\nserver = "https://a.example"\ndescription = ["x", "y"\n',
            "4: unfinished array: expected ']'",
        ),
        (
            '[[clusters]]\nname = "a"\ndescription = ["x",\n  "y"\nserver = "https://a.example"\n',
            "3: unfinished array: expected ']'",
        ),
        (
            '[[clusters]]\nname = "a"\nserver = "https://x\n',
            "3: unterminated string: expected a closing quote on the same line",
        ),
        (
            '[[clusters]\nname = "a"\n',
            "1: unfinished [[clusters]] header: expected ']]'",
        ),
        (
            '[[clusters]]\nname = "a"\nenabled = yes\n',
            "3: invalid value: text needs quotes, true and false are lowercase",
        ),
        (
            '[[clusters]]\nname = "a"\nname = "b"\n',
            "3: 'name' is set twice",
        ),
        (
            '[[clusters]]\nname "a"\n',
            "2: expected '=' after the key",
        ),
    ],
)
def test_toml_syntax_errors_read_plainly(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert [str(i) for i in info.value.issues] == [f"{path}:{expected}"]


@pytest.mark.parametrize("name", ["two words", "a/b", "prod:eu", "é", " a"])
def test_cluster_names_are_one_word(tmp_path: Path, name: str) -> None:
    path = write(
        tmp_path,
        '[[clusters]]\nname = "ok-1.b_2"\nserver = "https://a.example"\n\n'
        f'[[clusters]]\nserver = "https://b.example"\nname = "{name}"\n',
    )
    config = load_config(path)
    assert [str(i) for i in config.issues()] == [
        f"{path}:7: cluster {name!r}: the name must be one word of letters, digits, "
        "'-', '_' and '.'"
    ]


def test_kubeconfig_server_that_is_not_a_url_is_a_clear_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = tmp_path / "kc"
    kubeconfig.write_text(KUBECONFIG.replace('"https://127.0.0.1:6443"', "12345"))
    path = write(tmp_path, f'[[clusters]]\nname = "dev"\nkubeconfig = "{kubeconfig}"\n')
    message = (
        f"cluster 'dev': kubeconfig {kubeconfig}: the server of context 'dev' is 12345, "
        "not a URL (expected https://host[:port])"
    )
    assert [str(i) for i in load_config(path).issues()] == [f"{path}:3: {message}"]
    assert main(["--config", str(path), "clusters"]) == 1
    out = capsys.readouterr().out
    assert "config-error" in out and "the server of context 'dev' is 12345" in out
    assert "rstrip" not in out and "object has no attribute" not in out


def test_disabled_default_is_a_warning_in_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        '[[clusters]]\nname = "alpha"\nserver = "https://a.example"\n\n'
        '[[clusters]]\nname = "beta"\nserver = "https://b.example"\n'
        "default = true\nenabled = false\n",
    )
    assert main(["config", "check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:8: cluster 'beta': warning: the default cluster is disabled, so kite-tui "
        "starts on the overview (enable it, or make another cluster the default)",
        f"{path}: ok (1 warning)",
    ]


@pytest.mark.parametrize("url", ["https://[::1", "https://host:99999", "https://", "host:6443"])
def test_a_malformed_server_url_is_a_cluster_problem(tmp_path: Path, url: str) -> None:
    path = write(tmp_path, f'[[clusters]]\nname = "a"\nserver = "{url}"\n')
    (issue,) = load_config(path).issues()
    assert str(issue).startswith(f"{path}:3: cluster 'a': bad server URL {url!r}")


def test_every_problem_says_which_key_it_is_about(tmp_path: Path, kubeconfig: Path) -> None:
    path = write(
        tmp_path,
        f"""bogus = 1

[settings]
resync_seconds = -1

[[clusters]]
name = "a"
server = "https://a.example"
kubeconfig = "{kubeconfig}"
tokn = "x"

[[clusters]]
name = "b"
server = "htps:/b"
""",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert [(i.line, i.cluster, i.key) for i in info.value.issues] == [
        (1, None, "bogus"),
        (4, None, "settings.resync_seconds"),
        # About two keys: the first one named, on the entry's header line.
        (6, "a", "kubeconfig"),
        (10, "a", "tokn"),
        (14, "b", "server"),
    ]
