"""The `:` prompt at the bottom of the app, with tab completion (the language: ui/commands.py)."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from kite_tui.ui.commands import CommandSuggester, Vocabulary, completions


class CommandLine(Input):
    """The k9s-style `:` prompt. Hidden until `:` is pressed; esc hides it again.

    Tab completes (fuzzily) from `vocabulary`; tab again takes the next match.
    """

    class Cancelled(Message):
        """Esc emptied and hid the prompt: the keys go back to the page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "complete", "Complete"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(suggester=CommandSuggester(), **kwargs)
        self._matches: list[str] = []
        self._match = 0

    @property
    def vocabulary(self) -> Vocabulary:
        return cast(CommandSuggester, self.suggester).vocabulary

    @vocabulary.setter
    def vocabulary(self, vocabulary: Vocabulary) -> None:
        cast(CommandSuggester, self.suggester).vocabulary = vocabulary

    def action_cancel(self) -> None:
        self.value = ""
        self.display = False
        self.post_message(self.Cancelled())

    def action_complete(self) -> None:
        if self._matches and self.value == self._matches[self._match]:
            self._match = (self._match + 1) % len(self._matches)
        else:
            self._matches, self._match = completions(self.value, self.vocabulary), 0
            if not self._matches:
                self.app.bell()
                return
        self.value = self._matches[self._match]
        self.cursor_position = len(self.value)
