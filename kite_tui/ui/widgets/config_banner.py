"""The banner under the cluster bar: what is wrong with the config file, or that there is none
yet (hidden while the config is fine)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from kite_tui.core.config import ConfigIssue
from kite_tui.core.snapshot import Snapshot


class ConfigBanner(Static):
    """Says what the snapshot's config state means for the user, naming the file."""

    def show(self, snap: Snapshot, config_path: Path) -> None:
        if snap.config_missing and snap.clusters:
            self.update(
                f"The config file {config_path} is gone. Showing the last good clusters; "
                "this screen follows the file as soon as it is back."
            )
            self.set_classes("error")
        elif snap.config_missing:
            self.update(
                f"No config file at {config_path} yet. Press i to import the contexts "
                "of your kubeconfig, a to add a cluster, or d to try kite-tui on simulated "
                "demo clusters. This screen follows the file as soon as it exists."
            )
            self.set_classes("info")
        elif snap.config_error:
            # Text, not markup: the messages quote the file ("[[clusters]]", "[settings]").
            problems = snap.config_problems
            self.update(Text(config_error_banner(problems, config_path, bool(snap.clusters))))
            self.set_classes("error")
        else:
            self.update("")
            self.set_classes("hidden")


def config_error_banner(problems: Sequence[ConfigIssue], path: Path, keeping: bool) -> str:
    """One problem in a sentence; several counted, then listed one per line by line number
    (the file is named once, in the count). `keeping`: are the last good clusters shown?"""
    tail = " Showing the last good clusters." if keeping else ""
    if len(problems) == 1:
        return f"Config error: {str(problems[0]).rstrip('.')}.{tail}"
    head = f"Config error: {len(problems)} problems in {path}.{tail}"
    return "\n".join([head, *(f"  {p.text(path=False)}" for p in problems)])
