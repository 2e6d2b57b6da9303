"""The app's side of editing the config: `apply_edit` run from a worker thread, and its
failures worded for the app (where the file is opened by hand with E, not a command).

Shared by the overview's keys, the cluster form and the import screen; the edits themselves
and their words live in `kite_tui.core.config`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kite_tui.core.config import (
    ConfigDocument,
    ConfigEditError,
    ConfigError,
    EditResult,
    apply_edit,
)
from kite_tui.core.config import edit_error_message as _worded

__all__ = ["edit_error_message", "run_edit"]

_T = TypeVar("_T")

# How the app's user opens the config by hand.
FIX_BY_HAND = "E opens it in your editor"


def edit_error_message(exc: BaseException, path: Path) -> str:
    """What to tell the user when an edit of `path` was refused or failed."""
    return _worded(exc, path, fix=FIX_BY_HAND)


def run_edit(
    path: Path, edit: Callable[[ConfigDocument], _T]
) -> tuple[EditResult[_T] | None, str | None]:
    """`apply_edit` for a worker thread: (result, None) or (None, message for the user)."""
    try:
        return apply_edit(path, edit), None
    except (ConfigError, ConfigEditError, OSError) as exc:
        return None, edit_error_message(exc, path)
