"""`?`: every key binding that applies where the user pressed it, generated from the bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Keys that are typed into the `:` command line rather than bound.
COMMANDS = [
    (":ctx NAME", "switch to a cluster (fuzzy; also :cluster); :ctx alone shows the overview"),
    (":q", "quit"),
]


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


class HelpScreen(ModalScreen[None]):
    """Lists bindings grouped by where they apply, from the live binding map."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._render_sections(), id="help-text")

    def _render_sections(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for title, rows in self.sections:
            table.add_row(Text(title, style="bold underline"), "")
            for key, description in rows:
                table.add_row(key, description)
            table.add_row("", "")
        return table


# Clearer words for bindings whose own description is terse, keyed by action name prefix.
DESCRIPTIONS = {
    "sort_letter": "sort by the column whose name starts with that letter (again: reverse)",
    "cluster_index": "go to cluster 1…9 (the # column of the overview)",
}


def binding_rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    """One row per action family; a long run of keys ("1".."9", "A".."Z") is shown as a range."""
    rows: dict[str, list[str]] = {}
    for b in bindings:
        family = b.action.split("(", 1)[0]
        description = DESCRIPTIONS.get(family) or b.description or family
        rows.setdefault(description, []).append(format_key(b.key))
    result = []
    for description, keys in rows.items():
        keys = list(dict.fromkeys(keys))
        if len(keys) > 3:
            text = f"{keys[0].split('/')[0]}…{keys[-1].split('/')[0]}"
        else:
            text = "  ".join(keys)
        result.append((text, description))
    return result
