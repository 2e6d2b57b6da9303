"""When something is on screen: frames a headless Textual app composes, and what they show.

Used by the parts that time "... to the table painted" (pods, events, filter, memory).
Two private Textual hooks, acceptable in a benchmark:

* ``App._display`` is called with every composed screen update. Headless, Textual skips
  turning it into terminal bytes; :class:`Painted` does that work too (and drops the
  bytes), so a frame is stamped when a real terminal would be written to.
* ``ResourceTable.render_line`` builds each table line painted in that frame: which
  tables were repainted, and when a watched text (a pod's name) first appeared on screen.

Stamps are ``time.perf_counter()`` values.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual._compositor import CompositorUpdate
from textual.app import App
from textual.strip import Strip

from kite_tui.ui.widgets.resource_table import ResourceTable


class Painted:
    """Watches ``app``'s frames until :meth:`close` (use it as a context manager)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.frames = 0
        self.last_frame = 0.0
        self._changed = asyncio.Event()
        self._repainted: set[int] = set()  # id() of tables painted since the last frame
        self._tables_in_frame: frozenset[int] = frozenset()
        self._watched: dict[str, float | None] = {}  # text -> first frame showing it
        self._seen: set[str] = set()  # watched texts painted since the last frame
        self._checks: list[tuple[Callable[[], bool], int | None, asyncio.Future[float]]] = []
        self._original_display = app._display
        self._original_render_line = ResourceTable.render_line
        painted = self
        original_render_line = self._original_render_line

        def render_line(table: ResourceTable, y: int) -> Strip:
            strip = original_render_line(table, y)
            painted._repainted.add(id(table))
            if painted._watched:
                text = strip.text
                for watched, stamp in painted._watched.items():
                    if stamp is None and watched in text:
                        painted._seen.add(watched)
            return strip

        ResourceTable.render_line = render_line  # type: ignore[method-assign]
        app._display = self._display  # type: ignore[method-assign]

    def close(self) -> None:
        ResourceTable.render_line = self._original_render_line  # type: ignore[method-assign]
        self.app._display = self._original_display  # type: ignore[method-assign]

    def __enter__(self) -> Painted:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _display(self, screen: Any, renderable: Any) -> None:
        self._original_display(screen, renderable)
        if renderable is None or self.app._batch_count:
            return
        if isinstance(renderable, CompositorUpdate) and self.app.is_headless:
            renderable.render_segments(self.app.console)  # what the terminal driver writes
        now = time.perf_counter()
        self.frames += 1
        self.last_frame = now
        self._tables_in_frame = frozenset(self._repainted)
        self._repainted.clear()
        for text in self._seen:
            self._watched[text] = now
        self._seen.clear()
        still = []
        for predicate, table, future in self._checks:
            if future.done():
                continue
            if (table is None or table in self._tables_in_frame) and predicate():
                future.set_result(now)
            else:
                still.append((predicate, table, future))
        self._checks = still
        self._changed.set()

    async def frame_when(
        self,
        predicate: Callable[[], bool],
        what: str,
        *,
        table: ResourceTable | None = None,
        timeout: float = 60.0,
    ) -> float:
        """The stamp of the first frame from now on for which ``predicate()`` holds when it
        is composed (and which repainted ``table``, if given)."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._checks.append((predicate, id(table) if table is not None else None, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}") from None

    def watch(self, text: str) -> None:
        """Stamp the first frame on which a table line containing ``text`` is painted."""
        self._watched[text] = None

    def forget(self, text: str) -> None:
        self._watched.pop(text, None)
        self._seen.discard(text)

    def shown_at(self, text: str) -> float | None:
        return self._watched.get(text)

    async def shown(self, text: str, what: str, timeout: float = 30.0) -> float:
        """Wait until a watched ``text`` has been painted; its frame's stamp."""
        deadline = time.perf_counter() + timeout
        while (stamp := self._watched.get(text)) is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                continue
        return stamp
