"""How snapshots reach the screen: newest wins, never a half-built or older state."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kite_tui.ui.app import KiteApp
from kite_tui.ui.messages import SnapshotArrived


async def test_a_burst_of_snapshots_renders_only_the_newest(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    app = KiteApp(cfg, watch=False)
    async with app.run_test(size=(100, 24)):
        rendered: list[int] = []
        render = app._render_snapshot

        def counting_render() -> None:
            rendered.append(app.snapshot.generation)
            render()

        app._render_snapshot = counting_render  # type: ignore[method-assign]
        first = app.snapshot.generation + 1
        # Posted while the UI is busy (this coroutine holds its loop): all 50 are queued
        # before the app handles any of them.
        for generation in range(first, first + 50):
            app.post_message(SnapshotArrived(replace(app.snapshot, generation=generation)))
        await app.wait_for_snapshot(lambda s: s.generation == first + 49)
        assert rendered == [first + 49]
