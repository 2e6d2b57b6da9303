"""The app run as a user runs it: a real process in a real terminal (a pty)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import stat
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def run_in_terminal(
    args: list[str],
    env: dict[str, str],
    timeout: float = 60.0,
    send: tuple[tuple[str, bytes], ...] = (),
) -> tuple[int, str]:
    """Run `python -m kite_tui ARGS` on an 80x24 pty; return its exit status and output.

    `send`: (text, keys) pairs: once `text` has been output, type `keys`, in order.
    """
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the app, its stdin/stdout/stderr on the pty
        os.execve(sys.executable, [sys.executable, "-m", "kite_tui", *args], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    output = bytearray()
    pending = list(send)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal (it exited)
                break
            if not chunk:
                break
            output += chunk
            while pending and pending[0][0] in output.decode("utf-8", "replace"):
                os.write(fd, pending.pop(0)[1])
        else:
            os.kill(pid, 9)
            raise AssertionError(f"the app did not exit within {timeout}s: {output[-2000:]!r}")
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def app_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "KITE_TUI", "XDG_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TERM="xterm-256color",
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        **extra,
    )
    return env


def test_a_crash_restores_the_terminal_logs_the_traceback_and_exits_non_zero(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    # KITE_TUI_TEST_CRASH: the first SnapshotArrived handler raises, as a bug would.
    env = app_env(tmp_path, KITE_TUI_TEST_CRASH="snapshot")
    code, out = run_in_terminal(["--config", str(tmp_path / "none" / "config.toml")], env)

    assert code == 1, out[-2000:]
    # The app drew on the alternate screen and left it again: the terminal is the user's.
    assert "\x1b[?1049h" in out
    assert out.rfind("\x1b[?1049l") > out.rfind("\x1b[?1049h")
    after = out[out.rfind("\x1b[?1049l") :]
    assert "kite-tui crashed: RuntimeError: KITE_TUI_TEST_CRASH" in after
    found = re.search(r"traceback is in (\S+\.log)", after)
    assert found, after
    log = Path(found.group(1))
    assert log.is_relative_to(state), "the log goes to the user's state dir (platformdirs)"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert "on_snapshot_arrived" in text and "RuntimeError: KITE_TUI_TEST_CRASH" in text
    assert "Traceback" not in after, "the terminal gets one line, the file the traceback"


def test_demo_prints_its_config_path_before_the_app_opens_and_q_exits_0(
    tmp_path: Path,
) -> None:
    code, out = run_in_terminal(
        ["demo"], app_env(tmp_path), timeout=90, send=(("switch cluster", b"q"),)
    )
    assert code == 0, out[-2000:]
    before_app = out[: out.index("\x1b[?1049h")]
    found = re.search(r"Demo config: (\S+config\.toml)", before_app)
    assert found, before_app
    assert "edit it while the app runs" in before_app
    assert not Path(found.group(1)).exists(), "quitting removes the demo's files"
