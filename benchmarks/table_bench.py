"""Benchmark `ResourceTable` at cluster scale in a headless Textual app.

Run:  python benchmarks/table_bench.py [--rows 10000] [--runs 5]

Prints (median and worst over the runs):

* load: ``set_columns`` + ``replace_rows(10,000 rows)`` until the first frame with the
  rows has been composed (the headless driver skips the terminal write, which depends on
  the terminal anyway);
* batch: ``apply()`` of 100 changes (60 updates, 20 inserts, 20 deletes) until the next
  frame;
* scroll: one page down until the next frame;
* paint cost of a full screen with 1,000 vs 100,000 rows (it should not grow);
* the longest stall of the event loop during all of the above (how long a key press could
  wait).

The worst cases are dominated by CPython's full (generation 2) garbage collections, whose
cost grows with the number of live objects (10,000 rows are ~50,000 objects).  With
``--gc-freeze`` the benchmark calls ``gc.freeze()`` after loading, as an app could after
its initial lists, to show the difference.

Frames are detected by wrapping ``App._display``, which Textual calls with every composed
update (a private hook, acceptable in a benchmark).  Building the Row objects is not timed:
in the app they come from the watch stream.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult  # noqa: E402

from kite_tui.ui.widgets.resource_table import Column, ResourceTable, Row  # noqa: E402

NOW = 1_700_000_000.0
COLUMNS = [
    Column("NAMESPACE"),
    Column("NAME"),
    Column("READY"),
    Column("STATUS"),
    Column("RESTARTS"),
    Column("AGE", kind="age"),
    Column("IP", priority=1),
    Column("NODE", priority=1),
]
STATUSES = ("Running", "Running", "Running", "Pending", "CrashLoopBackOff", "Completed")


def make_row(i: int, generation: int = 0) -> Row:
    """A plausible pod row; ``generation`` varies the mutable fields."""
    status = STATUSES[(i + generation) % len(STATUSES)]
    return Row(
        key=f"uid-{i:08d}",
        cells=(
            f"team-{i % 40}",
            f"web-{i * 7919 % 100_000}-{i:x}",
            "1/1" if status == "Running" else "0/1",
            status,
            f"{(i + generation) % 7}" if generation % 3 else f"{i % 5} (3m ago)",
            NOW - (i * 37) % 3_000_000,
            f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
            f"node-{i % 97}",
        ),
        labels={"app": f"web-{i % 20}", "tier": "fe" if i % 2 else "be"},
        style="red" if status == "CrashLoopBackOff" else "",
    )


class BenchApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceTable(clock=lambda: NOW)


class FrameWatch:
    """Timestamps every composed frame and the longest event-loop stall."""

    def __init__(self, app: App[Any]) -> None:
        self.frame_event = asyncio.Event()
        self.last_frame = 0.0
        self.max_stall = 0.0
        self._running = True
        original: Callable[..., None] = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is not None:
                self.last_frame = time.perf_counter()
                self.frame_event.set()

        app._display = display  # type: ignore[method-assign]
        self._task = asyncio.create_task(self._monitor())

    async def _monitor(self) -> None:
        # A 1 ms heartbeat: any gap well beyond that is time the loop was blocked.
        while self._running:
            start = time.perf_counter()
            await asyncio.sleep(0.001)
            self.max_stall = max(self.max_stall, time.perf_counter() - start - 0.001)

    async def next_frame(self) -> float:
        """Wait for the next composed frame and return its timestamp."""
        self.frame_event.clear()
        await asyncio.wait_for(self.frame_event.wait(), timeout=10)
        return self.last_frame

    async def stop(self) -> None:
        self._running = False
        await self._task


def fmt(samples: list[float]) -> str:
    return f"median {statistics.median(samples):7.1f} ms   worst {max(samples):7.1f} ms"


async def run(n_rows: int, runs: int, gc_freeze: bool = False) -> None:
    app = BenchApp()
    async with app.run_test(size=(160, 50)) as pilot:
        table = app.query_one(ResourceTable)
        table.focus()
        await pilot.pause()
        watch = FrameWatch(app)
        rows = [make_row(i) for i in range(n_rows)]

        load: list[float] = []
        load_call: list[float] = []
        for _ in range(runs):
            table.set_columns([])
            await watch.next_frame()
            start = time.perf_counter()
            table.set_columns(COLUMNS)
            table.replace_rows(rows)
            load_call.append((time.perf_counter() - start) * 1000)
            frame = await watch.next_frame()
            assert table.visible_row_count == n_rows
            load.append((frame - start) * 1000)

        if gc_freeze:
            gc.collect()
            gc.freeze()  # loaded rows are long-lived: stop re-scanning them

        batch: list[float] = []
        apply_only: list[float] = []
        next_new = n_rows
        for generation in range(1, 21):
            base = generation * 97
            upserts = [make_row((base + 131 * k) % n_rows, generation) for k in range(60)]
            upserts += [make_row(next_new + k) for k in range(20)]
            next_new += 20
            deletes = [f"uid-{(base + 31 * k + 7) % n_rows:08d}" for k in range(20)]
            start = time.perf_counter()
            table.apply(upserts, deletes)
            applied = time.perf_counter()
            frame = await watch.next_frame()
            apply_only.append((applied - start) * 1000)
            batch.append((frame - start) * 1000)

        scroll: list[float] = []
        for _ in range(10):
            start = time.perf_counter()
            table.action_cursor_page_down()
            frame = await watch.next_frame()
            scroll.append((frame - start) * 1000)

        await watch.stop()

        paint: dict[int, float] = {}
        for size in (1_000, 100_000):
            table.replace_rows([make_row(i) for i in range(size)])
            await pilot.pause()
            table.move_cursor_to_index(size // 2)  # paint from the middle of the list
            await pilot.pause()
            height = table.size.height
            start = time.perf_counter()
            for _ in range(20):
                # render_line directly: render_lines() would hit Textual's line cache.
                for y in range(height):
                    table.render_line(y)
            paint[size] = (time.perf_counter() - start) / 20 * 1000

    freeze = ", gc.freeze() after loading" if gc_freeze else ""
    print(f"ResourceTable benchmark: {n_rows:,} rows, {runs} load runs, terminal 160x50{freeze}")
    print("(frame times include waiting for Textual's 60 Hz refresh tick, up to 16.7 ms)")
    print(f"  load {n_rows:,} rows (call only)     : {fmt(load_call)}")
    print(f"  load {n_rows:,} rows + first frame   : {fmt(load)}")
    print(f"  apply 100 changes (call only)     : {fmt(apply_only)}")
    print(f"  apply 100 changes + next frame    : {fmt(batch)}")
    print(f"  page down + next frame            : {fmt(scroll)}")
    print(
        f"  full-screen paint (render_line x{height}): {paint[1_000]:.2f} ms @ 1k rows, "
        f"{paint[100_000]:.2f} ms @ 100k rows"
    )
    print(f"  max event-loop stall              : {watch.max_stall * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after loading")
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.runs, args.gc_freeze))


if __name__ == "__main__":
    main()
