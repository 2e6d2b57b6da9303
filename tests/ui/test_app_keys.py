"""What the keys, the footer, `?` help and `:` completion tell the user, against simulators."""

from __future__ import annotations

from pathlib import Path

from kite_tui.core.snapshot import Health, Snapshot
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.confirm import ConfirmScreen
from kite_tui.ui.screens.details import DescribeScreen
from kite_tui.ui.screens.help import HelpScreen
from kite_tui.ui.widgets.browser import ResourceBrowser
from tests.ui.conftest import entry, settings, start_sim


def settled(snap: Snapshot) -> bool:
    return bool(snap.clusters) and all(h.health != Health.CONNECTING for h in snap)


def screen_lines(app: KiteApp) -> list[str]:
    """The text of every row of the terminal, as the user sees it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def open_browser(app: KiteApp, cluster: str) -> ResourceBrowser:
    """Open `cluster`'s page and wait until its pods are listed."""
    app.switch_to_cluster(cluster)
    browser = app._views[cluster].browser
    assert browser is not None
    await browser.wait_for(lambda: browser.table.row_count > 0, timeout=20)
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
        await open_browser(app, "a")
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
