"""Header, overview and view tell the same story about a cluster, as it comes and goes.

Every test sets resync_seconds far beyond its deadlines: nothing here may wait for the
periodic resync; the feeds and the manager must tell each other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import kite_tui.ui.widgets.browser as browser_module
from kite_tui.core.kube.feed import Backoff, FeedOptions
from kite_tui.core.snapshot import Health
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.widgets.browser import ResourceBrowser
from kite_tui.ui.widgets.overview import ClusterOverview
from tests.helpers import wait_until
from tests.ui.helpers import bar_text, entry, open_cluster, settings, start_sim


def feed_ready(browser: ResourceBrowser) -> bool:
    return not browser.table.loading and browser._status.state == "ready"


NEVER = 3600  # resync_seconds: longer than any test


def overview_status(app: KiteApp, name: str = "a") -> str:
    row = app.query_one(ClusterOverview).table.get_row(name)
    assert row is not None
    return str(row.cells[2])


def view_status(browser: ResourceBrowser) -> str:
    return str(browser.query_one("#view-status").render())


async def agree(
    app: KiteApp,
    browser: ResourceBrowser,
    health: Health,
    view: Callable[[str], bool],
    timeout: float = 20.0,
) -> None:
    """Wait until the snapshot, then the view, show `health`; then check every place."""
    await app.wait_for_snapshot(lambda s: s.get("a").health == health, timeout)
    await browser.wait_for(lambda: view(view_status(browser)), timeout)
    await app.wait_for_snapshot(lambda s: s.get("a").health == health, timeout)
    assert f"● {health}" in bar_text(app)
    assert overview_status(app) == str(health)


def live(text: str) -> bool:
    return "● live" in text


def not_live(text: str) -> bool:
    return "● live" not in text and "● unreachable" in text


# --------------------------------------------------------------------- item 2: 404
async def test_a_kind_the_server_does_not_serve_says_so_once(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=3, seed=1))
    cfg.write_text(settings(resync=NEVER) + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        browser = await open_cluster(pilot, app, ready=feed_ready)
        mark = sim.mark()
        await pilot.press("colon", *"rc", "enter")
        await browser.wait_for(
            lambda: (
                browser.view.kind.plural == "replicationcontrollers"
                and browser._status.state != "loading"
            )
        )
        await pilot.pause()
        table = browser.table
        assert not table.loading
        assert (
            "this server does not serve replicationcontrollers"
            in table.current_empty_message.lower()
        )
        status = view_status(browser)
        assert "not served" in status and "reconnecting" not in status
        assert "Loading" not in table.current_empty_message
        # One request, then never again: the feed's loop is over.
        assert browser.pool is not None
        feed = browser.pool.feed(browser.view.key)
        assert feed is not None
        wait_until(lambda: not feed._loop_thread.is_alive(), timeout=10)
        asked = [r for r in sim.request_log if r.seq > mark and "replicationcontrollers" in r.path]
        assert len(asked) == 1
        assert app.snapshot.get("a").health == Health.OK  # a missing kind is no outage


# ------------------------------------------------------- item 12: health agrees
async def test_a_killed_server_and_its_return_show_everywhere_at_once(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=2, pods=6, seed=2))
    cfg.write_text(settings(timeout=2, resync=NEVER) + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        browser = await open_cluster(pilot, app, ready=feed_ready)
        sim.faults.refuse = True  # the process is gone: connections cut, connects refused
        await agree(app, browser, Health.UNREACHABLE, not_live)
        assert "refused" in (app.snapshot.get("a").error or "")

        sim.faults.refuse = False  # it is back on the same port
        await agree(app, browser, Health.OK, live)
        sim.store.create(
            {"kind": "Pod", "metadata": {"name": "after-return", "namespace": "default"}}
        )
        await browser.wait_for(
            lambda: any(r.name == "after-return" for r in browser._rows.values())
        )


async def test_a_blackholed_server_and_its_return_show_everywhere_at_once(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=2, pods=6, seed=3))
    cfg.write_text(settings(timeout=2, resync=NEVER) + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        browser = await open_cluster(pilot, app, ready=feed_ready)
        sim.wait_for_watches(1)
        sim.faults.blackhole = True  # the open watch hears nothing more, nor does anything
        await agree(app, browser, Health.UNREACHABLE, not_live)
        assert "timed out" in (app.snapshot.get("a").error or "")

        sim.faults.blackhole = False
        await agree(app, browser, Health.OK, live)


async def test_the_cluster_coming_back_wakes_a_feed_waiting_out_its_backoff(
    cfg: Path, sims: dict[str, SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A feed that would wait a minute before its next try: only a wake-up brings it back.
    patient = FeedOptions(batch_window=0.016, backoff=Backoff(initial=60, maximum=60))
    monkeypatch.setattr(browser_module, "FEED_OPTIONS", patient)
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=2, pods=6, seed=4))
    cfg.write_text(settings(timeout=2, resync=NEVER) + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        browser = await open_cluster(pilot, app, ready=feed_ready)
        sim.faults.refuse = True
        await agree(app, browser, Health.UNREACHABLE, not_live)
        await browser.wait_for(lambda: (browser._status.retry_in or 0) >= 30)

        sim.faults.refuse = False
        await pilot.press("r")  # the user asks: the probe finds the cluster back
        await agree(app, browser, Health.OK, live, timeout=15)
