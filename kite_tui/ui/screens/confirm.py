"""`ConfirmScreen`: a yes/no question before something that cannot be undone from the app.

y or enter answers yes; n or esc answers no. The screen has nothing focusable on purpose, so
enter can only mean "yes" and never presses a button the user did not look at.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask `question`; dismiss with True (yes) or False (no)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    DEFAULT_CLASSES = "dialog -warning"  # the box and its border: app.tcss

    DEFAULT_CSS = """
    ConfirmScreen > Vertical {
        width: auto;
        min-width: 40;
        max-width: 90%;
        height: auto;
        padding: 1 2;
    }
    ConfirmScreen #confirm-question {
        width: auto;
        text-style: bold;
    }
    ConfirmScreen #confirm-keys {
        width: auto;
        margin-top: 1;
        color: $text-muted;
    }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), id="confirm-question")
            yield Static("y / enter: yes    n / esc: no", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
