"""Test helpers: minimal servers on loopback, config text, event-driven waiting.

The full Kubernetes simulator lives in `kite_tui.sim`; the foundation tests only need a server
that answers `/version`, can stop answering (blackhole), or can refuse a token
(`VersionServer`), or one that answers fixed bodies, as a server that is not quite
Kubernetes does (`BodyServer`).
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kite_tui.core.snapshot import Health, Snapshot

VERSION = {
    "major": "1",
    "minor": "31",
    "gitVersion": "v1.31.0",
    "gitCommit": "0" * 40,
    "gitTreeState": "clean",
    "buildDate": "2024-08-13T07:28:49Z",
    "goVersion": "go1.22.5",
    "compiler": "gc",
    "platform": "linux/amd64",
}


class VersionServer:
    """Answers GET /version over real HTTP. `mode`: "ok", "blackhole" or an HTTP status."""

    def __init__(self, git_version: str = "v1.31.0", token: str | None = None) -> None:
        self.git_version = git_version
        self.token = token
        self.mode: str | int = "ok"
        self.requests: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server._cond:
                    server.requests.append(
                        {"path": self.path, "auth": self.headers.get("Authorization")}
                    )
                    server._cond.notify_all()
                mode = server.mode
                if mode == "blackhole":
                    server._release.wait()
                    return
                status = 200
                body: dict[str, Any] = dict(VERSION, gitVersion=server.git_version)
                if server.token and self.headers.get("Authorization") != f"Bearer {server.token}":
                    status, body = 401, _status(401, "Unauthorized")
                elif isinstance(mode, int):
                    status, body = mode, _status(mode, "Forced failure")
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"expected {count} requests, saw {len(self.requests)}")

    def stop(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


StartServer = Callable[..., VersionServer]
"""Starts a `VersionServer` for a test (the `server` fixture of tests/core/conftest.py)."""


def _status(code: int, reason: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": reason.lower(),
        "reason": reason,
        "code": code,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SnapshotRecorder:
    """A manager callback that records every snapshot and lets a test wait for one."""

    def __init__(self) -> None:
        self.snapshots: list[Snapshot] = []
        self._cond = threading.Condition()

    def __call__(self, snap: Snapshot) -> None:
        with self._cond:
            self.snapshots.append(snap)
            self._cond.notify_all()

    @property
    def latest(self) -> Snapshot:
        return self.snapshots[-1]

    def wait(self, predicate: Callable[[Snapshot], bool], timeout: float = 10.0) -> Snapshot:
        """Wait until the newest snapshot satisfies `predicate`; return it."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: bool(self.snapshots) and predicate(self.snapshots[-1]), timeout
            )
            if not ok:
                last = self.snapshots[-1] if self.snapshots else None
                raise AssertionError(f"no matching snapshot within {timeout}s; last: {last}")
            return self.snapshots[-1]


# ------------------------------------------------------------------------ config files
def config_text(*clusters: str, timeout: float = 3) -> str:
    """A config file: the ``[settings]`` table, then these `cluster` entries."""
    return f"[settings]\nrequest_timeout_seconds = {timeout}\n\n" + "\n".join(clusters)


def cluster(name: str, url: str, **extra: object) -> str:
    """One ``[[clusters]]`` entry."""
    lines = [f'[[clusters]]\nname = "{name}"\nserver = "{url}"']
    for key, value in extra.items():
        lines.append(f"{key} = {value!r}".replace("True", "true").replace("False", "false"))
    return "\n".join(lines) + "\n"


def all_settled(snap: Snapshot) -> bool:
    """Every cluster of the snapshot has been probed (none is still connecting)."""
    return bool(snap.clusters) and all(h.health != Health.CONNECTING for h in snap)


def write_atomic(path: Path, text: str) -> None:
    """Save the way editors do: write a temporary file, then rename it over the original."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    tmp.replace(path)


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """For conditions no event announces (a thread ending): check on a short interval."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= end:
            raise AssertionError("condition not met within timeout")
        time.sleep(0.01)


class BodyServer:
    """Answers every GET with a fixed status and body (a server that is not quite Kubernetes).

    `bodies` maps a path to (status, content type, body); other paths get `default`. A body
    given as a list of byte strings is sent chunked, one chunk each, as a streamed answer
    (a watch, a log) arrives.
    """

    def __init__(
        self,
        default: tuple[int, str, bytes | list[bytes]],
        bodies: dict[str, tuple[int, str, bytes | list[bytes]]] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        table = bodies or {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                status, kind, body = table.get(self.path.split("?")[0], default)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if isinstance(body, list):
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for chunk in filter(None, body):  # an empty chunk would end the body
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        scheme = "https" if ssl_context is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


def body_server(servers: list[BodyServer], *args: object, **kw: object) -> BodyServer:
    """Start a `BodyServer` and add it to `servers` (the `servers` fixture stops them)."""
    s = BodyServer(*args, **kw)  # type: ignore[arg-type]
    servers.append(s)
    return s
