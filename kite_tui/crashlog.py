"""Where a crash goes: its traceback into a private file, one line about it on the terminal.

A traceback can hold server URLs, file paths and error texts a user would not paste anywhere,
so the file is created 0600 in the user's log directory (platformdirs: on Linux
``$XDG_STATE_HOME/kite-tui/log``), and no local variables are written.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import traceback
from pathlib import Path

import platformdirs

from kite_tui import __version__

APP_NAME = "kite-tui"


def crash_log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def summary(error: BaseException) -> str:
    """`Type: first line of the message`, for the one line the terminal gets."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def write_crash_log(error: BaseException, directory: Path | None = None) -> Path:
    """Write `error`'s traceback to a new 0600 file and return its path (OSError if it can't)."""
    directory = crash_log_dir() if directory is None else directory
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = directory / f"crash-{stamp}-{os.getpid()}.log"
    text = (
        f"kite-tui {__version__} crashed at {time.strftime('%Y-%m-%d %H:%M:%S %z')}\n"
        f"python {platform.python_version()} on {platform.platform()}\n"
        f"argv: {sys.argv}\n\n" + "".join(traceback.format_exception(error))
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def report_crash(error: BaseException, log: Path | None = None) -> None:
    """After the terminal is restored: say what crashed and where its traceback is."""
    print(f"kite-tui crashed: {summary(error)}", file=sys.stderr)
    if log is None:
        try:
            log = write_crash_log(error)
        except OSError as exc:
            print(f"kite-tui: cannot write a crash log ({exc}); the traceback:", file=sys.stderr)
            traceback.print_exception(error, file=sys.stderr)
            return
    print(
        f"The traceback is in {log}; please attach it to a bug report.",
        file=sys.stderr,
    )
