"""The top bar: which cluster is current (of how many), its health, context, user, namespace.

Its parts have ranks: when the terminal is narrow the least useful go first (the app's name,
the version, the user, the context), and what says where the user is and how to move (the
cluster, its health, the view, the namespace, READ-ONLY, `1-4 [ ] switch cluster`) stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from kite_tui.core.snapshot import ClusterHandle, Health

HEALTH_STYLE: dict[Health, str] = {
    Health.OK: "green",
    Health.CONNECTING: "yellow",
    Health.UNREACHABLE: "red",
    Health.UNAUTHORIZED: "magenta",
    Health.FORBIDDEN: "magenta",
    Health.TLS_ERROR: "red",
    Health.CONFIG_ERROR: "bold red",
    Health.DISABLED: "bright_black",
}


@dataclass(frozen=True)
class _Part:
    text: Text
    rank: int  # the lowest rank is dropped first when the line is too long
    gap: str = "  "  # what separates it from the part before


class ClusterBar(Widget):
    """One line: `kite-tui  pods  cluster NAME 1/4  ● ok  vX.Y  ns NS  ctx C  user U`."""

    DEFAULT_CSS = """
    ClusterBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: list[_Part] = []
        self._hint: _Part | None = None

    def show(
        self,
        handle: ClusterHandle | None,
        *,
        view: str,
        namespace: str | None = None,
        readonly: bool = False,
        clusters: int = 0,
        position: int | None = None,
        context: str | None = None,
        user: str | None = None,
    ) -> None:
        """Render the bar for `handle` (None: the overview), number `position` of `clusters`."""
        parts = [_Part(Text("kite-tui", style="bold"), 1, "")]
        if view:
            parts.append(_Part(Text(view, "bold cyan"), 8))
        keys = f"1-{min(clusters, 9)}" if clusters > 1 else "1"
        if handle is None:
            parts.append(_Part(Text(f"{clusters} cluster{'s' if clusters != 1 else ''}"), 9))
            hint = f"Enter or {keys} open a cluster" if clusters else ""
        else:
            style = HEALTH_STYLE[handle.health]
            parts.append(_Part(Text.assemble(("cluster ", "dim"), (handle.name, "bold")), 10))
            if position is not None:
                parts.append(_Part(Text(f"{position}/{clusters}", "dim"), 7, " "))
            parts.append(_Part(Text(f"● {handle.health}", style), 10))
            if handle.version:
                parts.append(_Part(Text(handle.version, "dim"), 3))
            if namespace is not None:
                parts.append(_Part(Text.assemble(("ns ", "dim"), (namespace or "all", "bold")), 8))
            if context and context != handle.name:  # the same name twice says nothing
                parts.append(_Part(Text.assemble(("ctx ", "dim"), context), 5))
            if user:
                parts.append(_Part(Text.assemble(("user ", "dim"), user), 4))
            hint = f"{keys} [ ] switch cluster" if clusters > 1 else "esc: all clusters"
        if readonly:
            parts.append(_Part(Text(" READ-ONLY ", "bold white on red"), 10))
        self._parts = parts
        self._hint = _Part(Text(hint, "dim italic"), 6) if hint else None
        self.refresh()

    def render(self) -> Text:
        width = self.content_size.width  # 0 before the first layout: show everything
        parts = [*self._parts, *([self._hint] if self._hint else [])]

        if width:
            # The highest-ranked parts first, each one that still fits; shown in their order.
            kept: set[int] = set()
            for i in sorted(range(len(parts)), key=lambda i: -parts[i].rank):
                trial = [p for j, p in enumerate(parts) if j in kept or j == i]
                if _length(trial) <= width:
                    kept.add(i)
            parts = [p for j, p in enumerate(parts) if j in kept]
        line = Text()
        for i, part in enumerate(p for p in parts if p is not self._hint):
            if i:
                line.append(part.gap)
            line.append_text(part.text)
        if self._hint in parts and self._hint is not None:
            # The hint sits at the right end, after whatever room is left.
            line.append(" " * max(2, width - line.cell_len - self._hint.text.cell_len))
            line.append_text(self._hint.text)
        return line


def _length(parts: list[_Part]) -> int:
    """Cells `parts` take on one line (no gap before the first)."""
    return sum(cell_len(p.gap) + p.text.cell_len for p in parts) - (
        cell_len(parts[0].gap) if parts else 0
    )
