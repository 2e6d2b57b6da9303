"""Snapshot tests: what the user sees, pixel for pixel, with volatile text fixed.

The app runs with its watcher off and a fixed clock; the test hands it a crafted snapshot the
way the manager would (as a message), so times, ports and paths are the same on every run.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from kite_tui.core.config import ClusterSpec, ConfigIssue, Settings
from kite_tui.core.snapshot import ClusterHandle, Health, Snapshot
from kite_tui.ui.app import KiteApp
from kite_tui.ui.messages import SnapshotArrived
from kite_tui.ui.screens.confirm import ConfirmScreen

NOW = 1_800_000_000.0
CONFIG = Path("/home/sre/.config/kite-tui/config.toml")


def handle(name: str, health: Health, **kw: object) -> ClusterHandle:
    spec_kw = {k: kw.pop(k) for k in list(kw) if k in ClusterSpec.__dataclass_fields__}
    spec_kw.setdefault("server", f"https://{name}.example.com:6443")
    spec = ClusterSpec(name=name, **spec_kw)  # type: ignore[arg-type]
    return ClusterHandle(spec, health, **kw)  # type: ignore[arg-type]


def every_status(generation: int = 1, config_problems: tuple[ConfigIssue, ...] = ()) -> Snapshot:
    handles = [
        handle(
            "prod-eu",
            Health.OK,
            version="v1.31.2",
            checked_at=NOW - 12,
            default=True,
            description="Production, Frankfurt",
        ),
        handle("prod-us", Health.OK, version="v1.30.6", checked_at=NOW - 75, readonly=True),
        handle("staging", Health.CONNECTING),
        handle(
            "edge-07",
            Health.UNREACHABLE,
            checked_at=NOW - 3,
            error="timed out (https://edge-07.example.com:6443): no answer from the server",
        ),
        handle(
            "ci",
            Health.UNAUTHORIZED,
            checked_at=NOW - 40,
            error="401 Unauthorized (https://ci.example.com:6443): Unauthorized",
        ),
        handle(
            "audit",
            Health.FORBIDDEN,
            checked_at=NOW - 40,
            error="403 Forbidden (https://audit.example.com:6443): forbidden",
        ),
        handle(
            "lab",
            Health.TLS_ERROR,
            checked_at=NOW - 600,
            error="TLS error (https://lab.example.com:6443): certificate verify failed: "
            "self-signed certificate",
        ),
        handle(
            "typo",
            Health.CONFIG_ERROR,
            server="htps:/typo",
            # As the loader reports it: the overview words it ("line 31: bad server URL ...").
            problems=(
                ConfigIssue(
                    CONFIG,
                    31,
                    "server",
                    "bad server URL 'htps:/typo' (expected https://host[:port] or "
                    "http://host[:port])",
                    "typo",
                ),
            ),
        ),
        handle("old", Health.DISABLED, enabled=False),
    ]
    return Snapshot(
        generation=generation,
        clusters={h.name: h for h in handles},
        default="prod-eu",
        config_problems=config_problems,
        config_path=CONFIG,
        settings=Settings(),
    )


def make_app(**kw: object) -> KiteApp:
    return KiteApp(CONFIG, watch=False, clock=lambda: NOW, **kw)  # type: ignore[arg-type]


def feed(snapshot: Snapshot):  # noqa: ANN201 (pytest-textual-snapshot's run_before type)
    async def run_before(pilot: Pilot) -> None:
        pilot.app.post_message(SnapshotArrived(snapshot))
        await pilot.pause()
        await pilot.press("escape")  # the default cluster opened: go back to the overview
        await pilot.pause()

    return run_before


def test_overview_every_status(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 24), run_before=feed(every_status()))


def test_overview_at_80x24(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=feed(every_status()))


def test_broken_config_banner_keeps_last_good_clusters(snap_compare) -> None:
    problem = ConfigIssue(CONFIG, 14, None, "unfinished [[clusters]] header: expected ']]'")
    assert snap_compare(
        make_app(),
        terminal_size=(120, 24),
        run_before=feed(every_status(config_problems=(problem,))),
    )


def test_broken_config_banner_lists_every_problem(snap_compare) -> None:
    problems = (
        ConfigIssue(CONFIG, 1, "bogus", "unknown top-level key 'bogus'"),
        ConfigIssue(CONFIG, 6, "tokn", "unknown key 'tokn' (did you mean 'token'?)", "a"),
        ConfigIssue(
            CONFIG,
            12,
            "clusters.default",
            "more than one cluster is marked default: 'a' (line 3), 'b' (line 9)",
        ),
    )
    assert snap_compare(
        make_app(),
        terminal_size=(120, 24),
        run_before=feed(every_status(config_problems=problems)),
    )


def test_help_screen(snap_compare) -> None:
    assert snap_compare(
        make_app(),
        terminal_size=(100, 40),
        run_before=feed(every_status()),
        press=["question_mark"],
    )


def test_confirm_dialog(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await feed(every_status())(pilot)
        pilot.app.push_screen(ConfirmScreen(f"Remove cluster 'prod-eu' from {CONFIG}?"))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 24), run_before=run_before)


def test_switcher_command_line_with_completion(snap_compare) -> None:
    assert snap_compare(
        make_app(),
        terminal_size=(120, 24),
        run_before=feed(every_status()),
        press=["colon", *"ctx pro"],
    )


def test_down_cluster_page(snap_compare) -> None:
    assert snap_compare(
        make_app(),
        terminal_size=(100, 24),
        run_before=feed(every_status()),
        press=["4"],
    )
