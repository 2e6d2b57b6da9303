"""What the overview and the form's Test connection say when a cluster cannot be used: the
health a user thinks in (tls-error, not unreachable) and one sentence naming the fix."""

from __future__ import annotations

from pathlib import Path

from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.cluster_form import ClusterFormScreen
from kite_tui.ui.widgets.overview import ClusterOverview
from tests.ui.helpers import entry, fill, settings, settle, start_sim


async def test_unknown_ca_is_tls_error_on_the_overview_and_in_test_connection(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "lab", tls=True, token="s3cret-token")
    cfg.write_text(settings(timeout=5) + entry("lab", sim, token="s3cret-token"))
    sentence = f"certificate signed by an unknown authority ({sim.url}): set certificate_authority"
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        snap = await app.wait_for_snapshot(
            lambda s: getattr(s.get("lab"), "health", Health.CONNECTING) != Health.CONNECTING
        )
        await pilot.pause()
        handle = snap.get("lab")
        assert handle is not None
        assert (handle.health, handle.error) == (Health.TLS_ERROR, sentence)
        overview = app.query_one(ClusterOverview)
        row = overview.table.get_row("lab")
        assert row is not None
        status, error = row.cells[2], row.cells[5]
        assert status == "tls-error"
        assert str(error).startswith("certificate signed by an unknown authority")
        detail = str(app.query_one("#cluster-detail").render())
        assert sentence in detail and "SSLError" not in detail

        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClusterFormScreen)
        form.set_mode("server")
        fill(form, name="lab2", server=sim.url, token="s3cret-token")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert str(form.query_one("#test-result").render()) == f"tls-error: {sentence}"
