"""The cluster overview and the config banner against simulators and real config files:
what the rows, the columns and the banner say, and where the app starts."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerState

from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.widgets.overview import ClusterOverview
from tests.helpers import free_port, write_atomic
from tests.ui.helpers import entry, notifications, settings, settled, start_sim


def banner(app: KiteApp) -> str:
    return str(app.query_one("#banner").render())


def header(app: KiteApp) -> str:
    return app.query_one(ClusterOverview).table.render_line(0).text


def server_cell(app: KiteApp, name: str) -> str:
    row = app.query_one(ClusterOverview).table.get_row(name)
    assert row is not None
    return str(row.cells[6])


async def edits_done(pilot: Pilot) -> None:
    """Wait for the overview's edit workers, then for the messages they posted."""
    app = pilot.app
    ours = [w for w in app.workers if w.group.startswith("overview-")]
    await app.workers.wait_for_complete(ours)
    await pilot.pause()
    assert not any(w.state == WorkerState.ERROR for w in ours)


BROKEN = """bogus = 1

[[clusters]]
name = "a"
server = "{url}"
tokn = "x"

[[clusters]]
name = "b"
server = "htps:/b"
"""


async def test_banner_counts_and_lists_every_problem(cfg: Path, sims: dict[str, SimServer]) -> None:
    a = start_sim(sims, "a")
    cfg.write_text(entry("a", a))
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        write_atomic(cfg, BROKEN.format(url=a.url))
        await app.wait_for_snapshot(lambda s: s.config_error is not None)
        await pilot.pause()
        assert banner(app).splitlines() == [
            f"Config error: 3 problems in {cfg}. Showing the last good clusters.",
            "  line 1: unknown top-level key 'bogus'",
            "  line 6: cluster 'a': unknown key 'tokn' (did you mean 'token'?)",
            "  line 10: cluster 'b': bad server URL 'htps:/b' (expected https://host[:port] or "
            "http://host[:port])",
        ]
        # One problem: said in one sentence, in plain words.
        write_atomic(cfg, entry("a", a) + 'description = ["x", "y"\n')
        await app.wait_for_snapshot(
            lambda s: s.config_error is not None and "unfinished" in s.config_error
        )
        await pilot.pause()
        assert banner(app) == (
            f"Config error: {cfg}:4: unfinished array: expected ']'. "
            "Showing the last good clusters."
        )
        assert app.query_one(ClusterOverview).table.visible_keys() == ["a"]


async def test_a_disabled_default_starts_on_the_overview(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    alpha, beta = start_sim(sims, "alpha"), start_sim(sims, "beta")
    cfg.write_text(
        settings() + entry("alpha", alpha) + entry("beta", beta, default=True, enabled=False)
    )
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        assert app.query_one("#pages").current == "overview"
        assert app.current_cluster is None
        assert any("default cluster 'beta' is disabled" in n for n in notifications(app))


async def test_star_on_a_disabled_cluster_is_refused(cfg: Path, sims: dict[str, SimServer]) -> None:
    alpha, beta = start_sim(sims, "alpha"), start_sim(sims, "beta")
    text = settings() + entry("alpha", alpha) + entry("beta", beta, enabled=False)
    cfg.write_text(text)
    app = KiteApp(cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        app.query_one(ClusterOverview).table.move_cursor_to_key("beta")
        await pilot.press("asterisk")
        await edits_done(pilot)
        assert f"{cfg}: cannot make 'beta' the default: it is disabled (enable it first)" in (
            notifications(app)
        )
        assert cfg.read_text() == text
        assert app.snapshot.default is None


async def test_error_column_shrinks_back_after_a_fix(cfg: Path, sims: dict[str, SimServer]) -> None:
    a = start_sim(sims, "a")
    cfg.write_text(settings() + entry("a", a) + entry("b", "htps:/nowhere"))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        assert re.search(r"ERROR {20,}SERVER", header(app)), header(app)
        write_atomic(cfg, settings() + entry("a", a) + entry("b", a))
        await app.wait_for_snapshot(lambda s: settled(s) and s.get("b").health == Health.OK)
        await pilot.pause()
        assert re.search(r"ERROR {2,3}SERVER", header(app)), header(app)


async def test_server_column_reads_the_same_for_http_https_and_disabled(
    cfg: Path, tmp_path: Path, sims: dict[str, SimServer]
) -> None:
    plain = start_sim(sims, "plain")
    tls = start_sim(sims, "tls", tls=True)
    kubeconfig = tls.write_kubeconfig(tmp_path / "kubeconfig")
    assert tls.ca_pem is not None
    ca = tmp_path / "ca.pem"
    ca.write_bytes(tls.ca_pem)
    off_url = f"https://127.0.0.1:{free_port()}"
    cfg.write_text(
        settings()
        + entry("plain", plain)
        + entry("tls", tls, certificate_authority=str(ca))
        + entry("off", off_url, enabled=False)
        + f'[[clusters]]\nname = "offkc"\nkubeconfig = "{kubeconfig}"\nenabled = false\n'
    )
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 30)) as pilot:
        await app.wait_for_snapshot(settled)
        await pilot.pause()
        assert app.snapshot.get("tls").health == Health.OK
        assert server_cell(app, "plain") == plain.url
        assert server_cell(app, "tls") == tls.url
        assert server_cell(app, "off") == off_url
        assert server_cell(app, "offkc") == tls.url
