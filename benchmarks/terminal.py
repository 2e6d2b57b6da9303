"""The app as a user runs it: ``python -m kite_tui ARGS`` on a pty, read by a terminal emulator.

Not a part (no figures): what :mod:`benchmarks.startup` and :mod:`benchmarks.quit` share.
A reader thread timestamps every chunk the app writes as it arrives, so the time a screen
state was reached is when its last byte came, not when this process got round to parsing
it (``pyte`` is pure Python and slower than the app draws). What is on screen is what
`pyte <https://github.com/selectel/pyte>`_ makes of those bytes: the honest way to know
what a user would see.
"""

from __future__ import annotations

import fcntl
import os
import pty
import queue
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent

Screen = list[str]  # the display, one string per row


def app_env(home: Path) -> dict[str, str]:
    """This process's environment as a user's shell would have it: no Textual or kite-tui
    overrides (the harness sets some for the in-process parts), private state/config dirs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "KITE_TUI", "XDG_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


class AppInTerminal:
    """``python -m kite_tui *args`` in a ``columns`` x ``lines`` pty; ``started`` is the
    perf_counter just before it was spawned. Use as a context manager: the process is
    killed on the way out if it is still running."""

    def __init__(self, args: list[str], home: Path, *, columns: int = 160, lines: int = 50) -> None:
        self.args = args
        self.columns, self.lines = columns, lines
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)
        self._chunks: queue.Queue[tuple[float, bytes | None]] = queue.Queue()
        self.output_closed = False
        self.exited_at: float | None = None
        self._exited = threading.Event()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = app_env(home)
        env.update(COLUMNS=str(columns), LINES=str(lines))
        self._master = master
        self.started = time.perf_counter()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kite_tui", *args],
                stdin=slave,
                stdout=slave,
                stderr=slave,  # Textual draws on stderr
                env=env,
                cwd=ROOT,
                start_new_session=True,
            )
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()
        self._waiter = threading.Thread(target=self._wait, name="pty-waiter", daemon=True)
        self._waiter.start()

    def __enter__(self) -> AppInTerminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # EIO: every writer closed the pty (the app exited)
                chunk = b""
            now = time.perf_counter()
            if not chunk:
                self._chunks.put((now, None))
                return
            self._chunks.put((now, chunk))

    def _wait(self) -> None:
        self.proc.wait()
        self.exited_at = time.perf_counter()
        self._exited.set()

    @property
    def display(self) -> Screen:
        return list(self.screen.display)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.display)

    def wait_for(self, predicate: Callable[[Screen], bool], timeout: float, what: str) -> float:
        """Feed the app's output to the emulator until ``predicate(display)`` holds; return
        the arrival time of the chunk that made it so. Raises naming ``what`` (with the
        screen as it was) if it does not happen within ``timeout`` s or the app exits."""
        deadline = time.monotonic() + timeout
        if predicate(self.display):
            return time.perf_counter()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"timed out after {timeout:g}s waiting for {what}; screen:\n{self.text()}"
                )
            try:
                at, chunk = self._chunks.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if chunk is None:
                self.output_closed = True
                raise RuntimeError(
                    f"the app exited ({self.proc.wait()}) before {what}; screen:\n{self.text()}"
                )
            self._stream.feed(chunk)
            if predicate(self.display):
                return at

    def send(self, keys: bytes) -> float:
        """Type ``keys``; the perf_counter just before they were written."""
        at = time.perf_counter()
        os.write(self._master, keys)
        return at

    def wait_exit(self, timeout: float) -> float:
        """The perf_counter at which the process exited; raises if it is still running."""
        if not self._exited.wait(timeout):
            raise TimeoutError(f"the app did not exit within {timeout:g}s")
        assert self.exited_at is not None
        return self.exited_at

    def drain(self) -> None:
        """Drop what was output so far (keeps the pty from filling while nobody watches)."""
        while True:
            try:
                _, chunk = self._chunks.get_nowait()
            except queue.Empty:
                return
            if chunk is None:
                self._chunks.put((0.0, None))
                return
            self._stream.feed(chunk)

    def quit(self, timeout: float = 10.0) -> int:
        """Press q and wait for the exit; kill the process if it does not go."""
        if self.proc.poll() is None:
            self.send(b"q")
            if not self._exited.wait(timeout):
                self.proc.kill()
        return self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._waiter.join(5)
        # The reader ends with EIO once the child is gone (no other writer holds the pty).
        self._reader.join(5)
        os.close(self._master)
