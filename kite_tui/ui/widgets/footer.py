"""The footer, with `? Help  q Quit` pinned to its right end.

Textual's footer lists keys nearest the focus first and the app's last, cutting off whatever
does not fit: at 80 columns a view with many keys hid `? Help` and `q Quit`, the two a new
user needs most. Here they sit docked at the right edge, and the view's keys fill the rest:
as many as fit whole, in order (a key cut mid-word reads as a different key).

Textual's footer composes itself anew whenever the app refreshes its bindings, which the
browser does with every feed batch (a loading view's keys only count once it is loaded).
Each new key binds itself to the footer, and Textual checks each binding against all the
earlier ones, never pruned while `compact` stays put: rebuilt on every batch, a busy view
grew slower by the minute. Here the footer is recomposed only when what it shows changes.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KiteFooter(Footer):
    """A `Footer` whose help and quit keys are always visible."""

    PINNED = ("help", "quit")

    DEFAULT_CSS = """
    KiteFooter > #pinned-keys {
        dock: right;
        width: auto;
        height: 1;
        background: $footer-background;
        border-left: vkey $foreground 20%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        # ctrl+p (the palette) is listed in `?` help; the footer's room goes to the view.
        super().__init__(show_command_palette=False, id=id)
        self._keys: list[FooterKey] = []
        self._pinned: list[FooterKey] = []
        self._shown: tuple[object, ...] | None = None  # what the last compose showed

    def _showing(self) -> tuple[object, ...]:
        """What `compose` would show now: each key with its state, and the palette key."""
        return (
            self.show_command_palette,
            tuple(
                (b.key, b.action, b.description, b.group, enabled, tooltip)
                for (_, b, enabled, tooltip) in self.screen.active_bindings.values()
                if b.show
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        if (
            self._shown is not None
            and screen is self.screen
            and screen.app.app_focus
            and self._showing() == self._shown
        ):
            return  # the same keys in the same states: nothing to rebuild
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        keys: list[FooterKey] = []
        pinned: list[FooterKey] = []
        self._shown = self._showing() if self._bindings_ready else None
        # Re-yield at once what Textual's footer composes (its key groups rely on that).
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in self.PINNED:
                pinned.append(widget)
                continue
            if isinstance(widget, FooterKey):
                keys.append(widget)
            yield widget
        if pinned:
            with HorizontalGroup(id="pinned-keys"):
                yield from pinned
        self._keys, self._pinned = keys, pinned
        self._fit(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Show the leading keys that fit whole beside the pinned ones; hide the rest."""
        if not width:
            return  # not laid out yet: the first resize fits the keys
        room = width - sum(_width(key) for key in self._pinned) - (1 if self._pinned else 0)
        used = 0
        for key in self._keys:
            used += _width(key)
            key.display = used <= room


def _width(key: FooterKey) -> int:
    """Cells a (non-compact) key takes: ` KEY ` then `DESCRIPTION `."""
    return cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)
