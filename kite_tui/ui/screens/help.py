"""`?`: every key that works where the user pressed it, generated from the live bindings.

The rows come from the screen's active bindings, the same map Textual dispatches keys with:
a key another widget shadows, or one whose `check_action` says no (`d` for the demo once a
config exists, cluster keys under a dialog), is not listed, so help never offers a dead key.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

Rows = list[tuple[str, str]]
Section = tuple[str, Rows]

# Textual's own plumbing (focus cycling, copy, the ctrl+c hint): not kite-tui's keys.
SKIPPED_ACTIONS = frozenset(
    {"app.focus_next", "app.focus_previous", "screen.copy_text", "help_quit"}
)

# Actions with one binding per key ("1".."9", shift+letter) shown as one row.
FAMILIES = ("sort_letter", "cluster_index")

# Clearer words for bindings whose own description is terse, keyed by action (or family).
DESCRIPTIONS = {
    "sort_letter": "sort by the column whose name starts with that letter (again: reverse)",
    "cluster_index": "go to cluster 1…9 (the # column of the overview)",
    "command_palette": "command palette: switch cluster by name",
}


def format_key(key: str) -> str:
    names = {
        "question_mark": "?",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "colon": ":",
        "slash": "/",
        "asterisk": "*",
        "space": "space",
        "escape": "esc",
    }
    return "/".join(names.get(k, k) for k in key.split(","))


def binding_sections(
    active: Mapping[str, ActiveBinding], title: Callable[[DOMNode], str]
) -> list[Section]:
    """One section per node that owns a working key, nearest the focus first."""
    by_node: dict[DOMNode, dict[str, list[Binding]]] = {}
    for node, binding, enabled, _tooltip in active.values():
        if not enabled or binding.system or binding.action in SKIPPED_ACTIONS:
            continue
        family = binding.action.split("(", 1)[0]
        row = family if family in FAMILIES else binding.action
        by_node.setdefault(node, {}).setdefault(row, []).append(binding)
    sections = []
    for node, rows in by_node.items():
        sections.append((title(node), [_row(row, b, active) for row, b in rows.items()]))
    return sections


def _row(
    action: str, bindings: list[Binding], active: Mapping[str, ActiveBinding]
) -> tuple[str, str]:
    description = DESCRIPTIONS.get(action) or bindings[0].description or action
    if action == "sort_letter":
        return "shift+letter", description + _sort_exceptions(active)
    keys = [format_key(b.key) for b in bindings]
    # "D" and "shift+d" are one key to the user (terminals differ in which they send).
    keys = [k for k in keys if not (k.startswith("shift+") and k[6:].upper() in keys)]
    # Plain keys first ("q/ctrl+q"), in the order they were bound.
    keys = sorted(dict.fromkeys(keys), key=lambda k: "+" in k and len(k) > 1)
    if len(keys) > 3:
        return f"{keys[0]}…{keys[-1]}", description
    return "/".join(keys), description


def _sort_exceptions(active: Mapping[str, ActiveBinding]) -> str:
    """Letters whose shift+letter means something else where the user is (G: bottom)."""
    taken = []
    for c in string.ascii_uppercase:
        found = active.get(c)
        if found is None or not found.binding.action.startswith("sort_letter"):
            taken.append(c)
    return f"; except {', '.join(taken)}" if taken else ""


class HelpScreen(ModalScreen[None]):
    """Lists keys grouped by where they apply, then the `:` commands and the config file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
    ]

    DEFAULT_CLASSES = "dialog"  # the box and its border: app.tcss

    DEFAULT_CSS = """
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: 90%;
        padding: 0 1;
    }
    """

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._render_sections(), id="help-text")

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_relative(y=pages * max(1, scroll.size.height - 1), animate=False)

    def _render_sections(self) -> Group:
        # One grid per section, all with the same key column width, so a long section title
        # does not widen the key column.
        width = max((len(key) for _, rows in self.sections for key, _ in rows), default=0)
        parts: list[RenderableType] = []
        for title, rows in self.sections:
            parts.append(Text(title, style="bold underline"))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold cyan", no_wrap=True, min_width=width)
            grid.add_column(overflow="fold")  # a long config path is shown whole
            for key, description in rows:
                grid.add_row(key, description)
            parts += [grid, Text("")]
        return Group(*parts)
