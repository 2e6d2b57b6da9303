"""Editing the config from the app: the add/edit form, the import checklist, the overview keys.

Every test runs the real app with its watcher against simulators and real files: an edit is
only "seen" when the saved file comes back through the watcher as a new snapshot.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import Input, Select

from kite_tui.core.config import NO_FIELD, ConfigChangedOnDisk, ConfigIssue, InvalidEdit
from kite_tui.core.snapshot import Health, Snapshot
from kite_tui.sim.discovery import KUBE_VERSION
from kite_tui.sim.server import SimServer
from kite_tui.ui import editing
from kite_tui.ui.app import KiteApp
from kite_tui.ui.messages import SnapshotArrived
from kite_tui.ui.screens.cluster_form import MASK, TOKEN_REFUSED, ClusterFormScreen
from kite_tui.ui.screens.confirm import ConfirmScreen
from kite_tui.ui.screens.import_contexts import ImportContextsScreen
from kite_tui.ui.widgets.overview import ClusterOverview
from tests.ui.helpers import entry, fill, overview_names, settings, settle, settled, start_sim

HEADER = "# kite-tui clusters: hand-written, keep my comments\n"


def screen_text(app: KiteApp) -> str:
    return app.export_screenshot()


def write_kubeconfig(path: Path, contexts: dict[str, str], current: str | None = None) -> Path:
    """A kubeconfig with one context (and cluster of the same name) per server URL."""
    data = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": n, "cluster": {"server": url}} for n, url in contexts.items()],
        "users": [{"name": "me", "user": {}}],
        "contexts": [{"name": n, "context": {"cluster": n, "user": "me"}} for n in contexts],
        "current-context": current or next(iter(contexts)),
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture
def kubeconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`$KUBECONFIG` points at a kubeconfig in tmp_path (written by each test)."""
    path = tmp_path / "kube" / "config"
    path.parent.mkdir()
    monkeypatch.setenv("KUBECONFIG", str(path))
    return path


# ------------------------------------------------------------------------------- the form


async def test_form_shows_each_error_next_to_its_field_and_writes_nothing(
    cfg: Path, tmp_path: Path, kubeconfig: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a")
    write_kubeconfig(kubeconfig, {"ctx-a": a.url, "ctx-b": a.url}, current="ctx-b")
    original = HEADER + settings() + entry("a", a)
    cfg.write_text(original)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClusterFormScreen)
        # The default kubeconfig's contexts are listed, its current-context chosen.
        assert form.query_one("#kubeconfig", Input).value == str(kubeconfig)
        assert form.context_select.value == "ctx-b"

        # Server mode: a taken name and a token file that does not exist.
        form.set_mode("server")
        missing = tmp_path / "no-such-token"
        fill(form, name="a", server=a.url, token_file=str(missing))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "the form stays open"
        assert "a cluster named 'a' already exists" in form.field_error("name")
        assert f"token file {missing} does not exist" in form.field_error("token_file")
        assert form.field_error("server") == ""
        assert app.focused is form.query_one("#name"), "the first bad field gets the focus"

        # A typed token without "store token in config": refused, and never shown.
        fill(form, name="b", token_file="", token="sup3r-s3cret-t0ken")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.field_error("token") == TOKEN_REFUSED
        assert form.field_error("name") == ""
        assert "sup3r-s3cret-t0ken" not in screen_text(app)

        # Kubeconfig mode: the chosen context disappears from the kubeconfig before saving.
        form.set_mode("kubeconfig")
        form.context_select.value = "ctx-a"
        write_kubeconfig(kubeconfig, {"ctx-b": a.url})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "context 'ctx-a' is not in kubeconfig" in form.field_error("context")
        assert form.field_error("token") == ""
        # Everything the user typed is still there.
        assert form.query_one("#name", Input).value == "b"
        assert form.query_one("#token", Input).value == "sup3r-s3cret-t0ken"

        assert cfg.read_text() == original, "nothing was written"
        assert not cfg.with_name(cfg.name + ".bak").exists()
        await pilot.press("escape")
        assert not isinstance(app.screen, ClusterFormScreen)


async def test_cluster_added_in_server_mode_appears_through_the_watcher(
    cfg: Path, tmp_path: Path, kubeconfig: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a")
    secured = start_sim(sims, "secured", token="s3cret-token")
    write_kubeconfig(kubeconfig, {"ctx-a": a.url})
    token_file = tmp_path / "token"
    token_file.write_text("s3cret-token\n")
    token_file.chmod(0o600)
    original = HEADER + settings() + entry("a", a) + "# trailing note about a\n"
    cfg.write_text(original)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClusterFormScreen)
        await pilot.press(*"new")  # typed into the name field, which has the focus
        form.set_mode("server")

        # Test connection with a wrong typed token: the error, never the token.
        fill(form, server=secured.url, token="wr0ng-t0ken-value")
        await pilot.press("ctrl+t")
        await settle(pilot)
        result = str(form.query_one("#test-result").render())
        assert "unauthorized" in result and "401" in result
        assert "wr0ng-t0ken-value" not in screen_text(app)

        # With the token file: the server's version.
        fill(form, token="", token_file=str(token_file), description="made in the form")
        await pilot.press("ctrl+t")
        await settle(pilot)
        result = str(form.query_one("#test-result").render())
        assert f"connected to {secured.url}: Kubernetes {KUBE_VERSION[2]}" == result

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ClusterFormScreen), "saved: the form closed"
        snap = await app.wait_for_snapshot(
            lambda s: "new" in s.clusters and s.get("new").health == Health.OK
        )
        await pilot.pause()
        assert snap.get("new").spec.description == "made in the form"
        assert overview_names(app) == ["a", "new"]
        text = cfg.read_text()
        assert text.startswith(original), "comments and existing lines kept"
        assert f'token_file = "{token_file}"' in text
        assert "s3cret-token" not in text


async def test_e_edits_the_description_in_place_and_keeps_the_stored_token(
    cfg: Path, kubeconfig: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a")
    b = start_sim(sims, "b", token="st0red-t0ken")
    write_kubeconfig(kubeconfig, {"ctx-a": a.url})
    original = (
        HEADER
        + settings()
        + entry("a", a)
        + "\n# b is the locked one\n"
        + entry("b", b, token="st0red-t0ken", description="old words")
    )
    cfg.write_text(original)
    cfg.chmod(0o600)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("down", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClusterFormScreen) and form.editing == "b"
        assert form.mode == "server"
        token = form.query_one("#token", Input)
        assert token.value == "" and token.placeholder.startswith(f"{MASK} (set)")
        assert "st0red-t0ken" not in screen_text(app)
        assert form.query_one("#description", Input).value == "old words"

        fill(form, description="new words")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ClusterFormScreen)
        snap = await app.wait_for_snapshot(
            lambda s: s.get("b").spec.description == "new words" and settled(s)
        )
        assert snap.get("b").health == Health.OK, "the stored token was kept"
        # Only that value changed, in its own quoting style; the token line is untouched.
        assert cfg.read_text() == original.replace("'old words'", "'new words'")


async def test_a_refused_save_is_shown_in_the_form_and_the_input_is_kept(
    cfg: Path, kubeconfig: Path, sims: dict[str, SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = start_sim(sims, "k")
    write_kubeconfig(kubeconfig, {"ctx-k": sim.url})
    original = HEADER + settings() + f'[[clusters]]\nname = "k"\nkubeconfig = "{kubeconfig}"\n'
    cfg.write_text(original)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClusterFormScreen)
        assert form.mode == "kubeconfig"
        assert form.context_select.value is Select.NULL, "no context: stays the current one"
        fill(form, namespace="team-a")

        def changing(path: Path, edit: object) -> None:
            raise ConfigChangedOnDisk(path, f"{path} kept changing on disk while saving")

        def invalid(path: Path, edit: object) -> None:
            raise InvalidEdit([ConfigIssue(path, 4, None, "something the loader rejects")])

        for fake, expected in (
            (changing, f"{cfg} kept changing on disk while saving"),
            (invalid, f"not saved: the change would leave {cfg} unloadable"),
        ):
            monkeypatch.setattr(editing, "apply_edit", fake)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form
            assert expected in form.field_error(NO_FIELD)
            assert form.query_one("#namespace", Input).value == "team-a"
        assert cfg.read_text() == original

        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ClusterFormScreen)
        await app.wait_for_snapshot(lambda s: s.get("k").spec.namespace == "team-a" and settled(s))
        assert cfg.read_text() == original + 'namespace = "team-a"\n', "one line added"


# ------------------------------------------------------------------------------- import


async def test_import_checklist_marks_configured_contexts_and_imports_two(
    cfg: Path, kubeconfig: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "shared")
    write_kubeconfig(kubeconfig, {"one": sim.url, "two": sim.url, "three": sim.url})
    original = (
        HEADER
        + settings()
        + f'[[clusters]]\nname = "first"\nkubeconfig = "{kubeconfig}"\ncontext = "one"\n'
    )
    cfg.write_text(original)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportContextsScreen)
        checklist = screen.checklist
        options = [checklist.get_option_at_index(i) for i in range(checklist.option_count)]
        assert [o.value for o in options] == ["one", "two", "three"]
        assert [o.disabled for o in options] == [True, False, False]
        assert checklist.selected == ["one", "two", "three"], "new ones ticked, like first runs"
        assert "already configured as 'first'" in str(options[0].prompt)

        await pilot.press("space", "down", "space", "enter")  # untick both new ones
        assert checklist.selected == ["one"], "already configured: stays marked"
        assert "nothing to import" in screen.error
        await pilot.press("space", "up", "space")
        assert sorted(checklist.selected) == ["one", "three", "two"]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ImportContextsScreen)
        snap = await app.wait_for_snapshot(
            lambda s: s.names == ("first", "two", "three") and settled(s)
        )
        assert all(h.health == Health.OK for h in snap)
        text = cfg.read_text()
        assert text.startswith(original)
        assert text.count(f'kubeconfig = "{kubeconfig}"') == 3


async def test_import_checklist_merges_a_kubeconfig_list(
    cfg: Path, tmp_path: Path, sims: dict[str, SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # KUBECONFIG=a:b, the clusters in one file and the contexts in the other, as kubectl
    # merges them: both contexts listed, imported with the whole list, and connected.
    sim = start_sim(sims, "shared")
    clusters = write_kubeconfig(tmp_path / "clusters.yaml", {"c": sim.url})
    doc = yaml.safe_load(clusters.read_text())
    doc["contexts"] = []
    clusters.write_text(yaml.safe_dump(doc))
    contexts = tmp_path / "contexts.yaml"
    contexts.write_text(
        yaml.safe_dump(
            {
                "current-context": "one",
                "contexts": [
                    {"name": n, "context": {"cluster": "c", "user": "me"}} for n in ("one", "two")
                ],
            }
        )
    )
    listed = os.pathsep.join([str(tmp_path / "missing.yaml"), str(clusters), str(contexts)])
    monkeypatch.setenv("KUBECONFIG", listed)
    cfg.write_text(settings())
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportContextsScreen)
        assert screen.error == ""
        assert [o.value for o in screen.checklist.options] == ["one", "two"]
        await pilot.press("enter")
        await settle(pilot)
        snap = await app.wait_for_snapshot(lambda s: s.names == ("one", "two") and settled(s))
        assert [h.health for h in snap] == [Health.OK, Health.OK]
        assert cfg.read_text().count(f'kubeconfig = "{listed}"') == 2


async def test_first_run_is_i_then_enter(
    tmp_path: Path, kubeconfig: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "sim")
    write_kubeconfig(kubeconfig, {"dev": sim.url, "prod": sim.url})
    cfg = tmp_path / "new-dir" / "config.toml"
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.wait_for_snapshot(lambda s: s.config_missing)
        await pilot.pause()
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportContextsScreen)
        assert "does not exist yet" in str(screen.query_one("#import-note").render())
        await pilot.press("enter")
        await settle(pilot)
        snap = await app.wait_for_snapshot(lambda s: s.names == ("dev", "prod") and settled(s))
        assert not snap.config_missing
        assert stat.S_IMODE(os.stat(cfg).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(cfg.parent).st_mode) == 0o700


async def test_import_ctrl_o_reads_another_kubeconfig_as_it_is_typed(
    cfg: Path, tmp_path: Path, kubeconfig: Path
) -> None:
    write_kubeconfig(kubeconfig, {"default-ctx": "https://default.example.com:6443"})
    other = write_kubeconfig(
        tmp_path / "other.yaml",
        {"x": "https://x.example.com:6443", "y": "https://y.example.com:6443"},
    )
    cfg.write_text(settings())
    app = KiteApp(cfg, watch=False)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = ImportContextsScreen(cfg)
        app.push_screen(screen)
        await settle(pilot)
        assert [o.value for o in screen.checklist.options] == ["default-ctx"]
        assert screen.checklist.selected == ["default-ctx"], "the default kubeconfig: ticked"
        await pilot.press("ctrl+o")
        field = screen.query_one("#import-kubeconfig", Input)
        assert app.focused is field
        # Typing: every change starts a read; only the one for the final text is shown.
        field.value = str(tmp_path / "no")
        field.action_end()
        await pilot.press("p", "e")
        await settle(pilot)
        assert f"kubeconfig {tmp_path / 'nope'} does not exist" in screen.error
        assert screen.checklist.option_count == 0
        field.value = str(other)[:-2]
        field.action_end()
        await pilot.press(*str(other)[-2:], "enter")
        await settle(pilot)
        assert screen.error == ""
        assert [o.value for o in screen.checklist.options] == ["x", "y"]
        assert screen.checklist.selected == ["x", "y"], "another kubeconfig: ticked the same"
        assert "are ticked" in str(screen.query_one("#import-note").render())
        assert app.focused is screen.checklist
        await pilot.press("down", "space", "enter")  # untick y
        await settle(pilot)
        assert app.screen is not screen, screen.error
        text = cfg.read_text()
        assert text.startswith(settings())
        assert f'kubeconfig = "{other}"\ncontext = "x"' in text and '"y"' not in text


# ------------------------------------------------------------------------------- overview keys


async def test_D_asks_naming_the_cluster_and_removes_only_on_yes(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    a, b = start_sim(sims, "a"), start_sim(sims, "prod-eu")
    original = HEADER + settings() + entry("a", a) + "\n" + entry("prod-eu", b)
    cfg.write_text(original)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("down", "D")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question == f"Remove cluster 'prod-eu' from {cfg}?"
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+d", "escape")
        await settle(pilot)
        assert cfg.read_text() == original, "no: nothing removed"

        await pilot.press("D", "y")
        await settle(pilot)
        await app.wait_for_snapshot(lambda s: s.names == ("a",) and settled(s))
        assert cfg.read_text() == HEADER + settings() + entry("a", a)


async def test_star_moves_the_default_and_space_disables(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    a, b = start_sim(sims, "a"), start_sim(sims, "b")
    # No default at start: the app would open its page; the overview is what is tested here.
    cfg.write_text(settings() + entry("a", a) + "\n" + entry("b", b))
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("asterisk")
        await settle(pilot)
        await app.wait_for_snapshot(lambda s: s.default == "a")
        await pilot.press("down", "asterisk")
        await settle(pilot)
        await app.wait_for_snapshot(lambda s: s.default == "b")
        first, second = cfg.read_text().split("[[clusters]]")[1:]
        assert "default" not in first and "default = true" in second

        await pilot.press("space")
        await settle(pilot)
        await app.wait_for_snapshot(lambda s: s.get("b").health == Health.DISABLED)
        await pilot.pause()
        assert "enabled = false" in cfg.read_text()
        assert "disabled" in str(app.query_one("#cluster-detail").render())
        await pilot.press("space")
        await app.wait_for_snapshot(lambda s: s.get("b").health == Health.OK)
        assert "enabled" not in cfg.read_text()


EDITOR_SCRIPT = """\
import os, sys
path = sys.argv[1]
with open(path) as f:
    n = f.read().count("edited-") + 1
with open(path, "a") as f:
    f.write(f'\\n[[clusters]]\\nname = "edited-{n}"\\nserver = "{os.environ["SIM_URL"]}"\\n')
"""


async def test_E_runs_the_editor_and_the_watcher_picks_up_the_save(
    cfg: Path, tmp_path: Path, sims: dict[str, SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = start_sim(sims, "a")
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("SIM_URL", a.url)
    cfg.write_text(settings() + entry("a", a, description="E would sort by ERROR"))
    app = KiteApp(cfg)
    suspended: list[bool] = []

    @contextmanager
    def fake_suspend() -> Iterator[None]:
        # The headless test driver cannot hand over a terminal; record that we asked to.
        suspended.append(True)
        yield

    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        table = app.query_one(ClusterOverview).table
        sort_before = table.sort_column
        monkeypatch.setattr(app, "suspend", fake_suspend)
        await pilot.press("E")
        await settle(pilot)
        await app.wait_for_snapshot(lambda s: "edited-1" in s.clusters and settled(s))
        assert suspended == [True]
        assert table.sort_column == sort_before, "E reached the overview, not the table's sort"

        # Without a terminal to suspend (textual-web, headless) the editor runs detached.
        del app.suspend
        await pilot.press("E")
        await settle(pilot)
        # Settled, so no probe result arrives while the app shuts down.
        await app.wait_for_snapshot(lambda s: "edited-2" in s.clusters and settled(s))
        assert suspended == [True]


# ------------------------------------------------------------------------------- snapshots

NOW = 1_800_000_000.0
SNAP_CONFIG = Path("/home/sre/.config/kite-tui/config.toml")  # never created


def test_snapshot_add_form_with_errors(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBECONFIG", "/nonexistent/kite-tui/kube/config")

    async def run_before(pilot: Pilot) -> None:
        snap = Snapshot(generation=1, config_path=SNAP_CONFIG, config_missing=True)
        pilot.app.post_message(SnapshotArrived(snap))
        await pilot.pause()
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ClusterFormScreen)
        form.set_mode("server")
        fill(
            form,
            server="htps:/typo",
            token_file="/nonexistent/kite-tui/token",
            token="abc123",
            description="Production, Frankfurt",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        # A blinking cursor is drawn or not depending on when the picture is taken.
        for field in form.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    app = KiteApp(SNAP_CONFIG, watch=False, clock=lambda: NOW)
    assert snap_compare(app, terminal_size=(110, 40), run_before=run_before)


def test_snapshot_import_checklist(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Relative paths under tmp_path: the screen shows them as given, so the picture is stable.
    monkeypatch.chdir(tmp_path)
    servers = {n: f"https://{n}.example.com:6443" for n in ("prod-eu", "staging", "lab")}
    write_kubeconfig(tmp_path / "kubeconfig", servers, current="staging")
    config = Path("config.toml")
    config.write_text(
        '[[clusters]]\nname = "prod"\nkubeconfig = "kubeconfig"\ncontext = "prod-eu"\n'
    )

    async def run_before(pilot: Pilot) -> None:
        pilot.app.post_message(SnapshotArrived(Snapshot(generation=1, config_path=config)))
        await pilot.pause()
        pilot.app.push_screen(ImportContextsScreen(config, kubeconfig=Path("kubeconfig")))
        await settle(pilot)
        # Everything comes up ticked; untick the first new one (the cursor starts there).
        await pilot.press("space")

    app = KiteApp(config, watch=False, clock=lambda: NOW)
    assert snap_compare(app, terminal_size=(110, 24), run_before=run_before)
