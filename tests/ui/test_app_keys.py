"""What the keys, the footer, `?` help and `:` completion tell the user, against simulators."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Input

from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.confirm import ConfirmScreen
from kite_tui.ui.screens.details import DescribeScreen
from kite_tui.ui.screens.help import HelpScreen
from kite_tui.ui.screens.logs import LogScreen
from kite_tui.ui.widgets.browser import ResourceBrowser
from tests.ui.helpers import bar_text, entry, screen_lines, settings, settled, start_sim, wait_until


async def open_browser(app: KiteApp, pilot: Pilot[int], cluster: str) -> ResourceBrowser:
    """Open `cluster`'s page and wait until its pods are listed."""
    app.switch_to_cluster(cluster)
    await pilot.pause()  # the page composes its browser
    browser = app._views[cluster].browser
    assert browser is not None
    await browser.wait_for(lambda: browser.table.row_count > 0, timeout=20)
    await pilot.pause()
    return browser


def two_clusters(cfg: Path, sims: dict[str, SimServer]) -> None:
    a = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=2, pods=6, seed=1))
    b = start_sim(sims, "b")
    cfg.write_text(settings() + entry("a", a) + entry("b", b))


async def test_cluster_keys_do_nothing_under_another_screen(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    two_clusters(cfg, sims)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.press("1")
        await open_browser(app, pilot, "a")
        await pilot.pause()

        await pilot.press("d")  # describe the pod under the cursor
        assert isinstance(app.screen, DescribeScreen)
        for key in ("2", "right_square_bracket", "left_square_bracket", "ctrl+right"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, DescribeScreen)
            assert app.current_cluster == "a", f"{key} changed the page behind the screen"
        await pilot.press("escape")
        assert not isinstance(app.screen, DescribeScreen)

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        for key in ("2", "right_square_bracket"):
            await pilot.press(key)
            await pilot.pause()
            assert app.current_cluster == "a"
        await pilot.press("escape")

        await pilot.press("escape")  # the overview; D asks before removing a cluster
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen)
        for key in ("2", "right_square_bracket"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert app.query_one("#pages").current == "overview"
        await pilot.press("escape")
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("2")  # on the main screen the keys work again
        assert app.current_cluster == "b"


async def open_help(app: KiteApp, pilot: Pilot[int]) -> str:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(screen_lines(app))


def help_row(text: str, key: str) -> str | None:
    """The description beside the help key `key` (wrapped lines joined), or None."""
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.count("│") < 2:
            continue  # not a line inside the help box
        inside = line[line.index("│") + 2 : line.rindex("│")].rstrip()
        if inside.startswith(" ") and rows:  # no key: the description goes on
            rows[-1] = (rows[-1][0], f"{rows[-1][1]} {inside.strip()}")
        elif inside:
            first, _, rest = inside.partition("  ")
            rows.append((first, rest.strip()))
    for found, description in rows:
        if found == key:
            return description
    return None


async def test_help_lists_what_works_on_the_overview_and_nothing_else(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    two_clusters(cfg, sims)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 70)) as pilot:
        await app.wait_for_snapshot(settled)
        text = await open_help(app, pilot)
        assert "Demo clusters" not in text, "d offers the demo only on a first run"
        assert help_row(text, "D/ctrl+d") == "Remove cluster"
        assert help_row(text, "E") == "Edit config"
        # Sorting is one line, which says D and E (and G) mean something else here.
        assert help_row(text, "A…Z") is None
        sort = help_row(text, "shift+letter")
        assert sort is not None and sort.startswith("sort by the column")
        assert "except D, E, G" in sort
        assert text.count("sort by the column") == 1
        # Commands: the ones that work without a cluster open, and the config file.
        assert help_row(text, ":ctx NAME") is not None
        assert help_row(text, ":KIND [NAMESPACE]") is None, "kinds need a cluster page"
        assert str(cfg) in (help_row(text, "config") or "").replace(" ", "")
        await pilot.press("escape")

        await open_browser(app, pilot, "a")
        await pilot.pause()
        text = await open_help(app, pilot)
        assert "Remove cluster" not in text and "Edit config" not in text
        assert help_row(text, ":KIND [NAMESPACE]") is not None
        assert help_row(text, ":ns NAME") is not None
        assert "except G" in (help_row(text, "shift+letter") or "")


async def test_help_on_a_first_run_offers_the_demo(tmp_path: Path) -> None:
    app = KiteApp(tmp_path / "nowhere" / "config.toml")
    async with app.run_test(size=(120, 60)) as pilot:
        await app.wait_for_snapshot(lambda s: s.config_missing)
        text = await open_help(app, pilot)
        assert help_row(text, "d") == "Demo clusters"


async def test_help_under_describe_lists_its_keys_not_the_main_screen_ones(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    two_clusters(cfg, sims)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 70)) as pilot:
        await app.wait_for_snapshot(settled)
        await open_browser(app, pilot, "a")
        await pilot.pause()
        await pilot.press("d")
        assert isinstance(app.screen, DescribeScreen)
        text = await open_help(app, pilot)
        assert help_row(text, "r/ctrl+r") == "Reload"
        assert help_row(text, "/") == "Search"
        assert help_row(text, ":") is None and help_row(text, "1…9") is None
        assert help_row(text, ":ctx NAME") is None
        assert "Resync" not in text and "Previous cluster" not in text


async def test_demo_help_shows_the_demo_config_path(cfg: Path, sims: dict[str, SimServer]) -> None:
    two_clusters(cfg, sims)
    app = KiteApp(cfg, demo=True)
    async with app.run_test(size=(120, 70)) as pilot:
        await app.wait_for_snapshot(settled)
        text = await open_help(app, pilot)
        row = help_row(text, "demo config")
        assert row is not None and str(cfg) in row.replace(" ", "")


async def test_footer_fits_80_columns_with_help_and_quit_always_visible(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    two_clusters(cfg, sims)
    app = KiteApp(cfg)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Quit" in footer, footer
        await open_browser(app, pilot, "a")
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Quit" in footer, footer
        assert "/ Filter" in footer, "the view's own keys come first"
        shown = footer.split("▏")[0].rstrip()
        assert shown.endswith(("Filter", "Wide", "namespaces", "Describe", "YAML", "Logs")), (
            f"a key is cut mid-word: {footer!r}"
        )
        await pilot.press("d")
        assert isinstance(app.screen, DescribeScreen)
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Quit" in footer, footer
        await pilot.press("escape")
        await pilot.press("l")  # the logs screen has many keys of its own
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Quit" in footer, footer


async def test_tab_completes_kinds_and_namespaces_and_ns_checks_the_name(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=2, pods=6, seed=1))
    cfg.write_text(settings() + entry("staging", a) + entry("prod", start_sim(sims, "p")))
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await app.wait_for_snapshot(settled)
        line = app.query_one("#command", Input)
        await pilot.press("colon", *"ctx stg", "tab")
        assert line.value == "ctx staging"
        await pilot.press("enter")
        assert app.current_cluster == "staging"
        browser = await open_browser(app, pilot, "staging")

        await pilot.press("colon", *"dep", "tab")
        assert line.value == "deployments"
        await pilot.press("escape")

        await pilot.press("colon")
        await wait_until(pilot, lambda: app.known_namespaces("staging") is not None, timeout=20)
        await pilot.press(*"ns ku", "tab")
        assert line.value == "ns kube-system"
        await pilot.press("tab")  # again: the next match
        assert line.value == "ns kube-public"
        await pilot.press("enter")
        assert browser.namespace == "kube-public"

        await pilot.press("colon", *"ns nosuch", "enter")
        await pilot.pause()
        assert browser.namespace == "kube-public", "an unknown namespace changes nothing"
        message = "Namespace 'nosuch' does not exist on staging"
        await wait_until(
            pilot, lambda: any(message in row for row in screen_lines(app)), timeout=20
        )
        await pilot.press("colon", *"pods nosuch", "enter")
        await pilot.pause()
        assert browser.namespace == "kube-public"


async def test_header_shows_cluster_context_user_count_and_how_to_switch(
    cfg: Path, tmp_path: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=2, seed=1))
    kubeconfig = a.write_kubeconfig(tmp_path / "a.kubeconfig", context="team-a")
    b, c = start_sim(sims, "b"), start_sim(sims, "c")
    cfg.write_text(
        settings()
        + f'[[clusters]]\nname = "alpha"\nkubeconfig = "{kubeconfig}"\ncontext = "team-a"\n'
        + entry("beta", b)
        + entry("gamma", c)
    )
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        bar = bar_text(app)
        assert "3 clusters" in bar
        assert "Enter or 1-3 open a cluster" in bar

        await pilot.press("1")
        await wait_until(pilot, lambda: "user team-a-user" in bar_text(app), timeout=20)
        bar = bar_text(app)
        assert "cluster alpha 1/3" in bar
        assert "ctx team-a" in bar
        assert "1-3 [ ] switch cluster" in bar

        await pilot.press("2")  # a server entry: no kubeconfig, no context
        await pilot.pause()
        bar = bar_text(app)
        assert "cluster beta 2/3" in bar and "ctx" not in bar and "user" not in bar


async def test_header_fits_80_columns_keeping_cluster_health_and_the_switch_hint(
    cfg: Path, tmp_path: Path, sims: dict[str, SimServer]
) -> None:
    a = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=2, seed=1))
    kubeconfig = a.write_kubeconfig(tmp_path / "a.kubeconfig", context="a-rather-long-context")
    cfg.write_text(
        settings()
        + f'[[clusters]]\nname = "prod-eu"\nkubeconfig = "{kubeconfig}"\ndefault = true\n'
        + entry("staging", start_sim(sims, "b"))
    )
    app = KiteApp(cfg)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_snapshot(settled)
        await wait_until(pilot, lambda: app.current_cluster == "prod-eu", timeout=20)
        await pilot.pause()
        header = screen_lines(app)[0]
        assert "cluster prod-eu 1/2" in header and "● ok" in header, header
        assert header.rstrip().endswith("1-2 [ ] switch cluster"), header
        assert "ns all" in header


async def test_help_scrolls_with_j_k_and_space(cfg: Path, sims: dict[str, SimServer]) -> None:
    two_clusters(cfg, sims)
    app = KiteApp(cfg)
    async with app.run_test(size=(100, 20)) as pilot:
        await app.wait_for_snapshot(settled)
        await open_help(app, pilot)
        scroll = app.screen.query_one(VerticalScroll)
        await pilot.press("j", "j")
        assert scroll.scroll_y == 2
        await pilot.press("k")
        assert scroll.scroll_y == 1
        await pilot.press("space")
        assert scroll.scroll_y > 5
        await pilot.press("q")  # closes help, does not quit
        assert not isinstance(app.screen, HelpScreen) and app.is_running


async def test_keys_typed_right_after_colon_go_to_the_command_line(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    two_clusters(cfg, sims)
    app = KiteApp(cfg)
    async with app.run_test(size=(100, 24)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        # A fast typist (or a paste): every key is queued before the first is handled.
        for key, char in [("colon", ":"), ("c", "c"), ("t", "t"), ("x", "x")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert app.query_one("#command", Input).value == "ctx"
        await pilot.press("colon")  # in a text field `:` is a character
        assert app.query_one("#command", Input).value == "ctx:"
