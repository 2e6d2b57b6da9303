"""`kite-tui config add|import|remove|set-default|enable|disable|edit`, end to end through
`kite_tui.cli.main`: exit codes, messages naming the file and cluster, exactly the intended
lines changed, and tokens never printed."""

from __future__ import annotations

import difflib
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kite_tui import config_cli
from kite_tui.cli import main
from kite_tui.core.config import load_config

SECRET = "s3cr3t-t0ken-value"

KUBECONFIG = """\
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: {server: "https://127.0.0.1:6443"}
contexts:
- name: dev
  context: {cluster: dev, user: me, namespace: team-a}
- name: staging
  context: {cluster: dev, user: me}
- name: gke_proj_europe-west1_c1
  context: {cluster: dev, user: me}
users:
- name: me
  user: {token: kubeconfig-token-value}
"""

CONFIG = f"""\
# my clusters

[[clusters]]
name = 'dev'   # from the kubeconfig
kubeconfig = "~/kubeconfig"
context = "dev"
default = true  # first

# lab: a direct server
[[clusters]]
name = "lab"
server = "http://127.0.0.1:8080"
token = "{SECRET}"   # inline token, keep private
enabled = false

# end
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake home holding a kubeconfig and the config; the cwd is the home too."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    (tmp_path / "token").write_text("from-file\n")
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG)
    cfg.chmod(0o600)
    monkeypatch.setenv("KITE_TUI_CONFIG", str(cfg))
    # No test may prompt unless it says so.
    monkeypatch.setattr(config_cli, "_stdin_is_tty", lambda: False)
    return tmp_path


@pytest.fixture
def cfg(home: Path) -> Path:
    return home / "config.toml"


@pytest.fixture(autouse=True)
def no_token_in_output(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    yield
    out, err = capsys.readouterr()
    assert SECRET not in out + err and "kubeconfig-token-value" not in out + err


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["config", *argv])
    out, err = capsys.readouterr()
    assert SECRET not in out + err and "kubeconfig-token-value" not in out + err
    return code, out, err


def diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if not line.startswith(("---", "+++", "@@"))
    ]


# --------------------------------------------------------------------------------------------
# add


def test_add_from_kubeconfig(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "add", "stg", "--kubeconfig", "kubeconfig", "--context", "staging",
        "--namespace", "web", "--description", "Staging", "--readonly",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == f"added cluster 'stg' to {cfg}\n"
    # The relative path is written as an absolute one, with ~ for the home directory.
    assert cfg.read_text() == CONFIG.replace(
        "enabled = false\n",
        'enabled = false\n\n[[clusters]]\nname = "stg"\ndescription = "Staging"\n'
        'kubeconfig = "~/kubeconfig"\ncontext = "staging"\nnamespace = "web"\nreadonly = true\n',
    )
    assert load_config(cfg).clusters[2].readonly


def test_add_server_with_default(home: Path, cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "add", "api", "--server", "https://10.1.2.3:6443", "--token-file", "token",
        "--insecure-skip-tls-verify", "--default",
    )  # fmt: skip
    assert code == 0 and out == f"added cluster 'api' to {cfg} (default)\n"
    assert cfg.read_text() == CONFIG.replace("default = true  # first\n", "").replace(
        "enabled = false\n",
        'enabled = false\n\n[[clusters]]\nname = "api"\nserver = "https://10.1.2.3:6443"\n'
        'token_file = "~/token"\ninsecure_skip_tls_verify = true\ndefault = true\n',
    )
    assert load_config(cfg).default == "api"


def test_add_errors(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "add", "dev", "--server", "https://x.example")
    assert (code, out) == (1, "")
    assert err == (
        f"kite-tui: cannot add cluster 'dev' to {cfg}:\n  a cluster named 'dev' already exists\n"
    )
    code, _, err = run(capsys, "add", "x", "--kubeconfig", "kubeconfig", "--context", "qa")
    assert code == 1 and "context 'qa' is not in kubeconfig" in err and "'staging'" in err
    code, _, err = run(capsys, "add", "x", "--server", "https://x", "--context", "dev")
    assert code == 1 and "--context goes with --kubeconfig" in err
    code, _, err = run(capsys, "add", "x", "--kubeconfig", "kubeconfig", "--token-file", "t")
    assert code == 1 and "--token-file only apply with --server" in err
    code, _, err = run(capsys, "add", "x", "--server", "ftp://nope")
    assert code == 1 and "bad server URL 'ftp://nope'" in err
    assert cfg.read_text() == CONFIG


def test_add_has_no_token_option_and_says_why(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["config", "add", "x", "--server", "https://x", "--token", SECRET])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "--token is not accepted" in err and "--token-file" in err and SECRET not in err
    with pytest.raises(SystemExit):
        main(["config", "add", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "There is no --token option on purpose" in help_text and "shell history" in help_text
    with pytest.raises(SystemExit):  # one of --kubeconfig / --server is required
        main(["config", "add", "x"])


# --------------------------------------------------------------------------------------------
# import


def test_import_without_choice_lists_and_changes_nothing(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "import", "--kubeconfig", "kubeconfig")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("contexts in kubeconfig")
    assert lines[2].startswith("* dev") and lines[2].endswith("configured as 'dev'")
    assert lines[3].startswith("  staging") and lines[3].endswith("not configured")
    assert "https://127.0.0.1:6443" in lines[2] and "team-a" in lines[2]
    assert "kite-tui config import --kubeconfig kubeconfig --context NAME" in out
    assert cfg.read_text() == CONFIG


def test_import_contexts_and_all(home: Path, cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", "--kubeconfig", "kubeconfig", "--context", "staging")
    assert code == 0
    assert out == f"imported context 'staging' as cluster 'staging'\n{cfg}: 1 cluster(s) added\n"
    assert cfg.read_text() == CONFIG.replace(
        "enabled = false\n",
        'enabled = false\n\n[[clusters]]\nname = "staging"\nkubeconfig = "~/kubeconfig"\n'
        'context = "staging"\n',
    )
    code, out, _ = run(capsys, "import", "--kubeconfig", str(home / "kubeconfig"), "--all")
    assert code == 0
    assert out.splitlines() == [
        "imported context 'gke_proj_europe-west1_c1' as cluster 'gke_proj_europe-west1_c1'",
        "skipped context 'dev': already configured as cluster 'dev'",
        "skipped context 'staging': already configured as cluster 'staging'",
        f"{cfg}: 1 cluster(s) added",
    ]
    code, out, _ = run(capsys, "import", "--kubeconfig", "kubeconfig", "--all")
    assert code == 0 and out.endswith(f"{cfg}: nothing imported\n")
    assert [c.name for c in load_config(cfg).clusters][2:] == [
        "staging",
        "gke_proj_europe-west1_c1",
    ]


def test_import_default_kubeconfig_and_errors(
    home: Path, cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(home / "kubeconfig"))
    code, out, _ = run(capsys, "import", "--context", "staging")
    assert code == 0 and "imported context 'staging'" in out
    assert 'kubeconfig = "~/kubeconfig"' in cfg.read_text().split('name = "staging"')[1]
    code, out, err = run(capsys, "import", "--context", "nope")
    assert (code, out) == (1, "")
    assert "has no context 'nope'" in err
    code, _, err = run(capsys, "import", "--kubeconfig", "missing", "--all")
    assert code == 1 and "kite-tui: kubeconfig" in err and "does not exist" in err


def test_import_prompts_only_on_a_terminal(
    cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config_cli, "_stdin_is_tty", lambda: True)
    questions: list[str] = []

    def answer(prompt: str) -> str:
        questions.append(prompt)
        return "2"  # the second not-yet-configured context

    monkeypatch.setattr("builtins.input", answer)
    code, out, _ = run(capsys, "import", "--kubeconfig", "kubeconfig")
    assert code == 0 and len(questions) == 1
    assert "imported context 'gke_proj_europe-west1_c1'" in out
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    before = cfg.read_text()
    assert run(capsys, "import", "--kubeconfig", "kubeconfig")[0] == 0
    assert cfg.read_text() == before


# --------------------------------------------------------------------------------------------
# remove, set-default, enable, disable


def test_remove(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "remove", "lab")
    assert code == 0 and out == f"removed cluster 'lab' from {cfg}\n"
    assert diff(CONFIG, cfg.read_text()) == [
        "-[[clusters]]",
        '-name = "lab"',
        '-server = "http://127.0.0.1:8080"',
        f'-token = "{SECRET}"   # inline token, keep private',
        "-enabled = false",
    ]
    assert (cfg.parent / "config.toml.bak").read_text() == CONFIG


def test_set_default_enable_disable(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A disabled cluster cannot be the one opened first: the app would open on "lab is disabled".
    code, out, err = run(capsys, "set-default", "lab")
    assert (code, out) == (1, "")
    assert err == (
        f"kite-tui: {cfg}: cannot make 'lab' the default: it is disabled (enable it first)\n"
    )
    assert cfg.read_text() == CONFIG
    code, out, _ = run(capsys, "enable", "lab")
    assert code == 0 and out == f"enabled cluster 'lab' in {cfg}\n"
    assert diff(CONFIG, cfg.read_text()) == ["-enabled = false"]
    step = cfg.read_text()
    code, out, _ = run(capsys, "set-default", "lab")
    assert code == 0 and out == f"cluster 'lab' is now the default in {cfg}\n"
    assert diff(step, cfg.read_text()) == ["-default = true  # first", "+default = true"]
    step = cfg.read_text()
    code, out, err = run(capsys, "disable", "dev")
    assert (code, err) == (0, "") and out == f"disabled cluster 'dev' in {cfg}\n"
    assert diff(step, cfg.read_text()) == ["+enabled = false"]
    config = load_config(cfg)
    assert config.default == "lab" and [c.enabled for c in config.clusters] == [False, True]

    # Disabling the default is allowed (for a while), and said.
    code, out, err = run(capsys, "disable", "lab")
    assert code == 0 and out == f"disabled cluster 'lab' in {cfg}\n"
    line = cfg.read_text().splitlines().index("default = true") + 1
    assert err == (
        f"kite-tui: warning: {cfg}:{line}: cluster 'lab': the default cluster is disabled, so "
        "kite-tui starts on the overview (enable it, or make another cluster the default)\n"
    )


def test_add_refuses_a_name_that_is_not_one_word(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "add", "prod eu", "--server", "https://x.example")
    assert (code, out) == (1, "")
    assert err == (
        f"kite-tui: cannot add cluster 'prod eu' to {cfg}:\n"
        "  the name must be one word of letters, digits, '-', '_' and '.'\n"
    )
    assert cfg.read_text() == CONFIG


@pytest.mark.parametrize("action", ["remove", "set-default", "enable", "disable"])
def test_unknown_cluster_is_a_user_error(
    cfg: Path, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    code, out, err = run(capsys, action, "nope")
    assert (code, out) == (1, "")
    assert err == f"kite-tui: {cfg}: no cluster named 'nope' (clusters: 'dev', 'lab')\n"
    assert cfg.read_text() == CONFIG


def test_broken_file_is_reported_and_left_alone(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg.write_text("bogus = 1\n" + CONFIG)
    code, _, err = run(capsys, "disable", "dev")
    assert code == 1
    assert err.startswith(f"kite-tui: {cfg} has problems; fix them first (kite-tui config edit):")
    assert f"{cfg}:1: unknown top-level key 'bogus'" in err
    cfg.write_text('[[clusters]\nname = "x"\n')
    code, _, err = run(capsys, "remove", "x")
    assert code == 1
    assert f"cannot edit {cfg}:\n  {cfg}:1: unfinished [[clusters]] header: expected ']]'" in err


def test_warns_about_a_readable_file_with_a_token(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg.chmod(0o644)
    code, _, err = run(capsys, "enable", "lab")
    assert code == 0
    assert err == (
        f"kite-tui: warning: {cfg} holds a token and is readable by group/others (mode 0644); "
        f"make it private: chmod 600 {cfg}\n"
    )


# --------------------------------------------------------------------------------------------
# edit


def editor(tmp_path: Path, body: str) -> str:
    """An "editor" command: a Python script run on the file, like `$EDITOR file`."""
    script = tmp_path / "editor.py"
    script.write_text("import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n" + body)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_edit_valid_result(
    home: Path, cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor(home, "path.write_text(path.read_text() + '# hi\\n')\n"))
    code, out, err = run(capsys, "edit")
    assert (code, out, err) == (0, f"{cfg}: ok\n", "")
    assert cfg.read_text() == CONFIG + "# hi\n"


def test_edit_with_only_a_warning_is_ok_and_shows_it(
    home: Path, cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The editor disables the default cluster: worth a word, not a reason to reopen the file.
    body = (
        "text = path.read_text()\n"
        "path.write_text(text.replace('default = true', 'enabled = false\\ndefault = true'))\n"
    )
    monkeypatch.setenv("VISUAL", editor(home, body))
    monkeypatch.setattr(config_cli, "_stdin_is_tty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("must not prompt"))
    code, out, err = run(capsys, "edit")
    assert (code, out) == (0, f"{cfg}: ok\n")
    assert err == (
        f"{cfg}:8: cluster 'dev': warning: the default cluster is disabled, so kite-tui starts "
        "on the overview (enable it, or make another cluster the default)\n"
    )


def test_edit_invalid_without_a_terminal_exits_1_with_the_issues(
    home: Path, cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", editor(home, "path.write_text('[[clusters]]\\nnme = 1\\n')\n"))
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("must not prompt"))
    code, out, err = run(capsys, "edit")
    assert (code, out) == (1, "")
    assert err == f"{cfg}:1: cluster entry has no 'name' (a non-empty string)\n"


def test_edit_invalid_on_a_terminal_offers_to_reopen(
    home: Path, cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # First run breaks the file, the second fixes it.
    body = (
        "text = path.read_text()\n"
        "if 'broken' in text:\n"
        "    path.write_text(text.replace('broken = 1\\n', ''))\n"
        "else:\n"
        "    path.write_text('broken = 1\\n' + text)\n"
    )
    monkeypatch.setenv("VISUAL", editor(home, body))
    monkeypatch.setattr(config_cli, "_stdin_is_tty", lambda: True)
    prompts: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "")
    code, out, err = run(capsys, "edit")
    assert code == 0 and out == f"{cfg}: ok\n"
    assert prompts == [f"{cfg} has problems. Re-open it? [Y/n] "]
    assert "unknown top-level key 'broken'" in err
    assert cfg.read_text() == CONFIG

    # Answering "n" leaves it broken, exit 1.
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert run(capsys, "edit")[0] == 1
    assert cfg.read_text().startswith("broken = 1\n")


def test_edit_creates_a_private_file_and_reports_a_missing_editor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config_cli, "_stdin_is_tty", lambda: False)
    path = tmp_path / "new" / "config.toml"
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    code = main(["--config", str(path), "config", "edit"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot run editor" in err and "set $VISUAL or $EDITOR" in err
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700


def test_edit_with_an_editor_setting_that_does_not_parse_says_so(
    home: Path, cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same rule as the app's E key: one line naming the setting, never a traceback.
    monkeypatch.setenv("VISUAL", 'vi "unclosed')
    code, out, err = run(capsys, "edit")
    assert (code, out) == (1, "")
    assert err == "kite-tui: cannot parse $VISUAL/$EDITOR 'vi \"unclosed': No closing quotation\n"
    assert cfg.read_text() == CONFIG


def test_import_takes_the_context_namespace(
    home: Path, cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "other").write_text(
        KUBECONFIG.replace("- name: dev\n  context", "- name: dev2\n  context")
    )
    code, out, _ = run(capsys, "import", "--kubeconfig", "other", "--context", "dev2")
    assert code == 0
    assert out == (
        f"imported context 'dev2' as cluster 'dev2' (namespace team-a)\n{cfg}: 1 cluster(s) added\n"
    )
    assert (
        '[[clusters]]\nname = "dev2"\nkubeconfig = "~/other"\ncontext = "dev2"\n'
        'namespace = "team-a"\n'
    ) in cfg.read_text()
    assert load_config(cfg).clusters[-1].namespace == "team-a"
