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


async def test_config_directory_moved_away_shows_the_file_is_gone(tmp_path: Path) -> None:
    from tests.helpers import VersionServer, write_atomic

    srv = VersionServer()
    conf = tmp_path / "kite-tui"
    conf.mkdir()
    cfg = conf / "config.toml"
    text = f'[settings]\nresync_seconds = 3600\n\n[[clusters]]\nname = "a"\nserver = "{srv.url}"\n'
    cfg.write_text(text)
    app = KiteApp(cfg)
    try:
        async with app.run_test(size=(120, 30)):
            await app.wait_for_snapshot(lambda s: s.names == ("a",))
            conf.rename(tmp_path / "elsewhere")
            await app.wait_for_snapshot(lambda s: s.config_missing)
            banner = str(app.query_one("#banner").render())
            assert f"{cfg}" in banner and "last good clusters" in banner
            assert app.snapshot.names == ("a",)
            conf.mkdir()
            write_atomic(cfg, text.replace('"a"', '"b"'))
            await app.wait_for_snapshot(lambda s: s.names == ("b",) and not s.config_missing)
            assert app.query_one("#banner").has_class("hidden")
    finally:
        srv.stop()
