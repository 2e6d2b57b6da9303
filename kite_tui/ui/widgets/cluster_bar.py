"""The top bar: which cluster is current, its health, the namespace, and READ-ONLY."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

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


class ClusterBar(Static):
    """One line: `kite-tui  cluster NAME  ● status  vX.Y  ns NS   [READ-ONLY]`."""

    DEFAULT_CSS = """
    ClusterBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def show(
        self,
        handle: ClusterHandle | None,
        *,
        view: str,
        namespace: str | None = None,
        readonly: bool = False,
        clusters: int = 0,
    ) -> None:
        text = Text()
        text.append("kite-tui", style="bold")
        text.append(f"  {view}", style="bold cyan")
        if handle is None:
            text.append(f"  {clusters} cluster{'s' if clusters != 1 else ''}", style="dim")
        else:
            text.append("  cluster ", style="dim")
            text.append(handle.name, style="bold")
            text.append("  ● ", style=HEALTH_STYLE[handle.health])
            text.append(str(handle.health), style=HEALTH_STYLE[handle.health])
            if handle.version:
                text.append(f"  {handle.version}", style="dim")
            if namespace is not None:
                text.append("  ns ", style="dim")
                text.append(namespace or "all", style="bold")
        if readonly:
            text.append("  ")
            text.append(" READ-ONLY ", style="bold white on red")
        self.update(text)
