"""Run the demo simulators in a child process, for the app.

The simulated clusters (thousands of pods, churn, watches) would compete with the UI for the
GIL if they ran in the app's process; in a child process they behave like the remote servers
they stand for. The child prints the config path; stopping it (SIGINT) removes its directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


class DemoProcess:
    """`python -m kite_tui.sim demo` as a child; `.config_path` once started."""

    def __init__(self) -> None:
        self.config_path: Path | None = None
        self.proc: subprocess.Popen[str] | None = None
        fd, log = tempfile.mkstemp(prefix="kite-demo-", suffix=".log")
        os.close(fd)
        self.log_path = Path(log)

    def start(self, timeout: float = 60.0) -> Path:
        """Start the simulators; return the config path. Raises RuntimeError on failure."""
        log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kite_tui.sim", "demo", "--stop-on-stdin-eof"],
            stdout=subprocess.PIPE,
            stderr=log,
            # Never written to: it closes when this process ends, however it ends, and the
            # child stops with it (no simulators left behind by a killed terminal).
            stdin=subprocess.PIPE,
            text=True,
            start_new_session=True,  # Ctrl-C in the app's terminal must not reach it directly
        )
        log.close()
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("config: "):
                self.config_path = Path(line.removeprefix("config: ").strip())
                return self.config_path
        self.proc.wait(timeout)
        raise RuntimeError(
            f"the demo simulators did not start (exit {self.proc.returncode}); "
            f"see {self.log_path}:\n{self.log_path.read_text()[-2000:]}"
        )

    def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()
        self.log_path.unlink(missing_ok=True)
