"""The app against simulators: live reload, health, switching, quitting."""

from __future__ import annotations

import threading
from pathlib import Path

from kite_tui.core.kube.client import open_clients
from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.help import HelpScreen
from kite_tui.ui.widgets.overview import ClusterOverview
from tests.helpers import wait_until, write_atomic
from tests.ui.helpers import bar_text, entry, overview_names, settings, settled, start_sim


async def test_cluster_added_by_atomic_rename_appears_without_a_keypress(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    a, b = start_sim(sims, "a"), start_sim(sims, "b")
    cfg.write_text(settings() + entry("a", a))
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        assert overview_names(app) == ["a"]
        write_atomic(cfg, settings() + entry("a", a) + entry("b", b, description="new one"))
        snap = await app.wait_for_snapshot(lambda s: "b" in s.clusters and settled(s))
        assert snap.get("b").health == Health.OK
        assert overview_names(app) == ["a", "b"]

        # Rename b: the row follows the file; the cursor stays on a, which still exists.
        app.query_one(ClusterOverview).table.move_cursor_to_key("a")
        write_atomic(cfg, settings() + entry("a", a) + entry("bee", b))
        await app.wait_for_snapshot(lambda s: s.names == ("a", "bee"))
        await pilot.pause()
        assert overview_names(app) == ["a", "bee"]
        assert app.query_one(ClusterOverview).table.cursor_key == "a"

        # A broken save keeps the clusters and shows a banner naming the line.
        write_atomic(cfg, settings() + entry("a", a) + "[[clusters]\n")
        await app.wait_for_snapshot(lambda s: s.config_error is not None)
        await pilot.pause()
        banner = str(app.query_one("#banner").render())
        assert f"{cfg}:8" in banner and "last good clusters" in banner
        assert overview_names(app) == ["a", "bee"]
        write_atomic(cfg, settings() + entry("a", a))
        await app.wait_for_snapshot(lambda s: s.config_error is None and s.names == ("a",))
        await pilot.pause()
        assert app.query_one("#banner").has_class("hidden")


async def test_blackholed_cluster_turns_unreachable_while_keys_keep_working(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a")
    cfg.write_text(settings(timeout=1.5) + entry("a", a))
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        a.faults.blackhole = True
        mark = a.mark()
        await pilot.press("r")
        # The probe is now stuck on the server; the UI still answers.
        a.wait_for_request(lambda r: r.path == "/version", since=mark)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert app.snapshot.get("a").health == Health.OK, "still waiting for the probe"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        snap = await app.wait_for_snapshot(lambda s: s.get("a").health == Health.UNREACHABLE)
        assert "timed out" in snap.get("a").error


async def test_number_keys_ctx_command_and_brackets_switch_clusters(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    names = ["alpha", "beta", "prod-eu", "staging"]
    text = settings()
    for name in names:
        text += entry(name, start_sim(sims, name))
    cfg.write_text(text)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        assert app.current_cluster is None  # no default: start on the overview
        await pilot.press("3")
        assert app.current_cluster == "prod-eu"
        assert "prod-eu" in bar_text(app)
        await pilot.press("right_square_bracket")
        assert app.current_cluster == "staging"
        await pilot.press("right_square_bracket")
        assert app.current_cluster == "alpha"  # wraps
        await pilot.press("left_square_bracket")
        assert app.current_cluster == "staging"
        await pilot.press("ctrl+left")
        assert app.current_cluster == "prod-eu"
        await pilot.press("ctrl+right")
        assert app.current_cluster == "staging"
        await pilot.press("colon", *"ctx prd", "enter")  # fuzzy: a typo still finds it
        assert app.current_cluster == "prod-eu"
        await pilot.press("colon", *"cluster bet", "enter")
        assert app.current_cluster == "beta"
        await pilot.press("colon", *"ctx st", "tab")  # completion
        assert app.query_one("#command").value == "ctx staging"
        await pilot.press("enter")
        assert app.current_cluster == "staging"
        await pilot.press("9")  # there is no ninth cluster: nothing changes
        assert app.current_cluster == "staging"
        await pilot.press("escape")  # back to the overview, cursor on the current cluster
        assert app.query_one("#pages").current == "overview"
        assert app.query_one(ClusterOverview).table.cursor_key == "staging"
        await pilot.press("up", "enter")
        assert app.current_cluster == "prod-eu"


async def test_command_palette_switches_cluster(cfg: Path, sims: dict[str, SimServer]) -> None:
    cfg.write_text(
        settings() + entry("one", start_sim(sims, "one")) + entry("two", start_sim(sims, "two"))
    )
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("ctrl+p")
        await pilot.press(*"switch two")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_cluster == "two"


async def test_start_cluster_flag_and_default(cfg: Path, sims: dict[str, SimServer]) -> None:
    one, two = start_sim(sims, "one"), start_sim(sims, "two")
    cfg.write_text(settings() + entry("one", one) + entry("two", two, default=True))
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)):
        await app.wait_for_snapshot(lambda s: bool(s.clusters))
        assert app.current_cluster == "two"
    app = KiteApp(cfg, cluster="one")
    async with app.run_test(size=(120, 30)):
        await app.wait_for_snapshot(lambda s: bool(s.clusters))
        assert app.current_cluster == "one"


async def test_switching_to_a_down_cluster_shows_why_at_once(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    up = start_sim(sims, "up")
    down = start_sim(sims, "down")
    down.faults.status = 401
    cfg.write_text(settings() + entry("up", up) + entry("down", down, readonly=True))
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("2")
        state = str(app.query_one(f"#{app._views['down'].id} #cluster-state").render())
        assert "down is unauthorized" in state and "401" in state
        assert "READ-ONLY" in bar_text(app)
        await pilot.press("1")
        assert "READ-ONLY" not in bar_text(app)
        view_up = app._views["up"]
        await pilot.press("2", "1")
        assert app._views["up"] is view_up, "switching back keeps the page"


async def test_quitting_leaves_no_thread_and_no_open_client(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    cfg.write_text(settings() + entry("a", start_sim(sims, "a")))
    baseline = {t for t in threading.enumerate() if not t.name.startswith("sim-conn")}
    app = KiteApp(cfg)
    async with app.run_test(size=(100, 24)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("q")
    assert app.return_value == 0
    assert open_clients() == []

    def ours() -> set[str]:
        # The simulator's per-connection threads end when our clients hang up.
        return {t.name for t in set(threading.enumerate()) - baseline}

    try:
        wait_until(lambda: not ours(), timeout=5)
    except AssertionError:
        raise AssertionError(f"threads left behind: {ours()}") from None


async def test_first_run_without_config_offers_the_demo(tmp_path: Path) -> None:
    app = KiteApp(tmp_path / "nowhere" / "config.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.wait_for_snapshot(lambda s: s.config_missing)
        await pilot.pause()
        banner = str(app.query_one("#banner").render())
        assert "No config file" in banner and "d to try" in banner
        await pilot.press("d")
        snap = await app.wait_for_snapshot(lambda s: len(s) == 4 and settled(s), timeout=30)
        assert app.config_path != tmp_path / "nowhere" / "config.toml"
        assert snap.get("prod-eu").health == Health.OK
        assert snap.get("dr-offline").health == Health.UNREACHABLE
        demo_dir = app.config_path.parent
        assert app.current_cluster == "prod-eu"  # the demo's default cluster opens
        await pilot.press("q")
    assert not demo_dir.exists(), "quitting stops the demo and removes its files"


async def test_global_readonly_flag_and_setting_show_the_marker(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a")
    cfg.write_text(settings() + entry("a", a))
    app = KiteApp(cfg, readonly=True)
    async with app.run_test(size=(120, 30)):
        await app.wait_for_snapshot(settled)
        assert "READ-ONLY" in bar_text(app)
    cfg.write_text(
        settings().replace("[settings]\n", "[settings]\nreadonly = true\n") + entry("a", a)
    )
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)):
        await app.wait_for_snapshot(settled)
        assert "READ-ONLY" in bar_text(app)


async def test_fixing_a_broken_config_keeps_the_user_on_the_overview(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a")
    good = settings() + entry("a", a, default=True)
    cfg.write_text(good + "[[clusters]\n")
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(lambda s: s.config_error is not None)
        await pilot.pause()
        assert app.query_one("#pages").current == "overview"
        write_atomic(cfg, good)
        await app.wait_for_snapshot(lambda s: s.config_error is None and settled(s))
        await pilot.pause()
        # A reload never navigates: the default cluster does not open behind the user's back.
        assert app.query_one("#pages").current == "overview"
        assert app.current_cluster is None
        assert "clusters" in bar_text(app)
