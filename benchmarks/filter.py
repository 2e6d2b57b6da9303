"""One more character typed into the ``/`` filter over 100,000 pods, to the filtered table
painted.

Not the whole app on a 100,000-pod simulator: generating and listing that many pods takes
minutes here, for a figure that does not depend on where the rows came from. The real
:class:`~kite_tui.ui.widgets.browser.ResourceBrowser` (table, filter box, keys) runs in a
small headless app, on a ``:pods -A`` view given its rows the way the feed gives them (one
reset batch of `FeedRow` s through ``ResourceBrowser.FeedBatchArrived``). A run: with
``web-1`` typed, from the key press of ``2`` to the first composed frame repainting the
table filtered by ``web-12``; backspace between runs.
"""

from __future__ import annotations

import asyncio
import time

from textual.app import App, ComposeResult

from benchmarks.harness import Context, Figure, figure
from benchmarks.painted import Painted
from kite_tui.core.kube.tables import FeedBatch, FeedRow, initial_columns
from kite_tui.core.resources import BUILTIN
from kite_tui.ui.widgets.browser import ResourceBrowser
from kite_tui.ui.widgets.browser_view import RowConverter, ViewSpec

FIGURES = {"filter_100k_ms": "≤ 30"}
ROWS = 100_000
TYPED, NEXT = "web-1", "2"
STATUSES = ("Running", "Running", "Running", "Pending", "CrashLoopBackOff", "Completed")


def feed_row(i: int, now: float) -> FeedRow:
    """A plausible pod of ``:pods -A``."""
    status = STATUSES[i % len(STATUSES)]
    name = f"web-{i * 7919 % 100_000}-{i:x}"
    return FeedRow(
        key=f"uid-{i:08d}",
        name=name,
        namespace=f"team-{i % 40}",
        cells=(
            f"team-{i % 40}",
            name,
            "1/1" if status == "Running" else "0/1",
            status,
            str(i % 5),
            now - (i * 37) % 3_000_000,
            f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
            f"node-{i % 97}",
            "<none>",
            "<none>",
        ),
        labels={"app": f"web-{i % 20}", "tier": "fe" if i % 2 else "be"},
        created=now - (i * 37) % 3_000_000,
        resource_version=str(i),
    )


class BrowserApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceBrowser()


async def load(browser: ResourceBrowser) -> None:
    """Open ``:pods -A`` (no cluster: no feed) and hand it ``ROWS`` pods as one reset batch."""
    pods = BUILTIN.resolve("pods")
    assert pods is not None
    view = ViewSpec(pods, None)
    browser._open(view, push=False)
    columns = initial_columns(view.key)
    converter = RowConverter(columns)
    now = time.time()
    feed_rows = [feed_row(i, now) for i in range(ROWS)]
    batch = FeedBatch(
        key=view.key,
        reset=True,
        columns=columns,
        upserts=tuple(feed_rows),
        deletes=(),
        resource_version=str(ROWS),
        total=ROWS,
    )
    rows = [converter(r) for r in feed_rows]
    arrived = ResourceBrowser.FeedBatchArrived(browser._view_id, batch, rows, feed_rows, converter)
    browser.post_message(arrived)
    await browser.wait_for(lambda: browser.table.row_count == ROWS, timeout=120)


async def measure(runs: int) -> tuple[list[float], int]:
    ResourceBrowser.FEED_GRACE = 0.0
    app = BrowserApp()
    samples: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        browser = app.query_one(ResourceBrowser)
        table = browser.table
        await load(browser)
        table.focus()
        await pilot.press("slash", *TYPED)
        await pilot.pause()
        shown = 0
        with Painted(app) as painted:
            for _ in range(runs):
                target = TYPED + NEXT
                frame = asyncio.ensure_future(
                    painted.frame_when(
                        lambda t=target: table.filter_text == t,  # type: ignore[misc]
                        f"the table filtered by {target!r} painted",
                        table=table,
                    )
                )
                started = time.perf_counter()
                await pilot.press(NEXT)
                samples.append((await frame - started) * 1000)
                shown = table.visible_row_count
                back = asyncio.ensure_future(
                    painted.frame_when(
                        lambda: table.filter_text == TYPED, "the filter back", table=table
                    )
                )
                await pilot.press("backspace")
                await back
    return samples, shown


def run(ctx: Context) -> list[Figure]:
    samples, shown = asyncio.run(measure(ctx.runs(7, 2)))
    return [
        figure(
            "filter_100k_ms",
            samples,
            "ms",
            aim=FIGURES["filter_100k_ms"],
            note=(
                f"{TYPED!r} + {NEXT!r} over {ROWS} rows ({shown} pass): the real browser in a "
                "small app, its rows handed as a feed batch, not the whole app on a simulator"
            ),
        )
    ]
