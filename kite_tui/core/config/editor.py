"""Handing the config file to the user's editor: ``$VISUAL``, else ``$EDITOR``, else ``vi``.

One rule for ``kite-tui config edit`` and the app's E key: which editor, how its setting is
split into a command, what is said when it cannot be started or exits with an error, and that
a missing config is created private before any editor creates it with the umask's mode.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kite_tui.core.config.save import apply_edit


class EditorError(Exception):
    """The editor cannot be used (a blank or unparsable setting, a command that cannot be
    started); the message says so in one line."""


@dataclass(frozen=True)
class Editor:
    """The user's editor command, as set in the environment."""

    setting: str  # as written in $VISUAL / $EDITOR, for messages
    argv: tuple[str, ...]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Editor:
        """The editor `environ` names. Raises `EditorError` for a blank or unparsable one."""
        setting = environ.get("VISUAL") or environ.get("EDITOR") or "vi"
        try:
            argv = tuple(shlex.split(setting))
        except ValueError as exc:
            raise EditorError(f"cannot parse $VISUAL/$EDITOR {setting!r}: {exc}") from None
        if not argv:
            raise EditorError("$VISUAL / $EDITOR is blank")
        return cls(setting, argv)

    def run(self, path: Path, *, detached: bool = False) -> str | None:
        """Open `path` and wait until the editor exits; returns what is worth a warning (it
        exited with an error) or None.

        `detached`: there is no terminal to hand over (textual-web, a headless run), so the
        editor gets no input and its output is kept for the warning; a GUI editor such as
        ``code --wait`` still works that way. Raises `EditorError` if it cannot be started.
        """
        command = [*self.argv, str(path)]
        said = ""
        try:
            if detached:
                proc = subprocess.run(
                    command, check=False, stdin=subprocess.DEVNULL, capture_output=True, text=True
                )
                said = (proc.stderr.strip().splitlines() or [""])[-1]
            else:
                code = subprocess.run(command, check=False).returncode
        except OSError as exc:
            raise EditorError(
                f"cannot run editor {self.setting!r} ({exc.strerror}); set $VISUAL or $EDITOR"
            ) from None
        if detached:
            code = proc.returncode
        if not code:
            return None
        return " ".join(filter(None, [f"editor exited with status {code}", said]))


def create_if_missing(path: Path) -> None:
    """Create a missing config empty and private (0600, new directories 0700) before an editor
    opens it: editors create files with the umask's mode (often 0644), and this file may end up
    holding tokens. Raises what `apply_edit` raises."""
    if not path.exists():
        apply_edit(path, lambda doc: None)
