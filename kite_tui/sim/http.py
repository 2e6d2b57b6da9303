"""The HTTP/1.1 side of the simulator: listening, connections, TLS, framing, faults, auth.

:class:`Listener` owns the listening socket and an accept loop in its own thread;
every connection gets a daemon thread running :class:`Handler` (keep-alive, so a
client's connection pool is reused). Long requests (watches, followed logs) are
streamed with chunked transfer encoding from the iterator the API returns, so they
never block other requests. The listener can close and reopen its socket on the same
port (the ``refuse`` fault, ``restart``) and cut every open connection.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from kite_tui.sim.api import DropConnection, Request, Response, handle, status
from kite_tui.sim.store import dumps

if TYPE_CHECKING:
    from kite_tui.sim.server import SimServer


@dataclass
class RequestRecord:
    """One request the simulator received (recorded when it arrives)."""

    seq: int
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    time: float = field(default_factory=time.time)
    status: int | None = None  # filled in when answered (None if never answered)
    answered: float | None = None  # when the response (or stream) was complete
    body: bytes = b""  # what the client sent (writes: JSON, or kubectl's protobuf)

    @property
    def is_watch(self) -> bool:
        return self.query.get("watch") in ("true", "1") or "/watch/" in self.path


class Handler(BaseHTTPRequestHandler):
    """Serves one connection; every method goes through :meth:`_dispatch`."""

    protocol_version = "HTTP/1.1"
    server_version = "kite-tui-sim"
    sys_version = ""
    sim: SimServer

    def __init__(self, sock: socket.socket, addr: tuple, sim: SimServer) -> None:
        self.sim = sim
        super().__init__(sock, addr, sim)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET  # noqa: N815

    # ------------------------------------------------------------------ core
    def _dispatch(self) -> None:
        sim = self.sim
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        record = sim._record(self.command, split.path, query, headers)
        record.body = body
        path = unquote(split.path)  # as a real server reads it: %3A is ':'
        if path.startswith("/_sim/"):
            self._send(self._control(path, body), record)
            if sim.faults.refuse:
                self.close_connection = True
            return
        faults = sim.faults
        if faults.blackhole:
            while faults.blackhole and not sim._stopping.is_set():
                faults.wait_blackhole_cleared(sim._stopping)
            self.close_connection = True
            raise DropConnection("blackhole")
        if faults.latency > 0 and sim._stopping.wait(faults.latency):
            raise DropConnection("stopping")
        if not sim.authorized(headers.get("authorization", "")):
            self._send(status(401, "Unauthorized", "Unauthorized"), record)
            return
        if faults.status is not None:
            self._send(status(faults.status), record)
            return
        req = Request(self.command, path, query, headers, body)
        try:
            resp = handle(sim._api, req)
        except Exception as exc:  # a simulator bug: answer like a real server would
            resp = status(500, f"simulator error: {type(exc).__name__}: {exc}", "InternalError")
        self._send(resp, record)

    def _control(self, path: str, body: bytes) -> Response:
        sim = self.sim
        if path == "/_sim/faults":
            if self.command == "POST":
                try:
                    changes = json.loads(body or b"{}")
                    sim.set_faults(changes)
                except (ValueError, TypeError) as exc:
                    return Response(400, dumps({"error": str(exc)}))
            return Response(200, dumps(sim.faults.to_dict()))
        if path == "/_sim/drop-watches" and self.command == "POST":
            return Response(200, dumps({"dropped": sim.drop_watches()}))
        if path == "/_sim/expire" and self.command == "POST":
            return Response(200, dumps({"resourceVersion": sim.expire_resource_versions()}))
        if path == "/_sim/restart" and self.command == "POST":
            threading.Thread(target=sim.restart, daemon=True).start()
            return Response(202, dumps({"restarting": True}))
        if path == "/_sim/info":
            return Response(200, dumps(sim.info()))
        return Response(
            404,
            dumps(
                {
                    "error": f"no control endpoint {path}",
                    "endpoints": [
                        "/_sim/faults",
                        "/_sim/drop-watches",
                        "/_sim/expire",
                        "/_sim/restart",
                        "/_sim/info",
                    ],
                }
            ),
        )

    def _send(self, resp: Response, record: RequestRecord) -> None:
        record.status = resp.code
        self.send_response(resp.code)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Cache-Control", "no-cache, private")
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if resp.stream is None:
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(resp.body)
            record.answered = time.time()
            return
        stream = resp.stream
        try:
            # Run the stream up to its first chunk before the headers go out, so that
            # whatever it registers (a watch) is in place when the client sees a 200.
            first = next(stream, b"")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if first:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(first), first))
            for chunk in stream:
                if chunk:
                    self._hold()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                elif self._peer_closed():
                    # An empty chunk is the stream's heartbeat: a client that went away is
                    # noticed now (as a real API server's request context would be), not at
                    # the next event, so open watches are counted right.
                    self.close_connection = True
                    return
            self._hold()
            self.wfile.write(b"0\r\n\r\n")
            record.answered = time.time()
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()

    def _peer_closed(self) -> bool:
        """True once the client has closed its end (EOF is readable on the raw socket)."""
        conn = self.connection
        try:
            readable, _, _ = select.select([conn], [], [], 0)
            # The raw socket's recv even under TLS: only an EOF counts, never TLS bytes.
            return bool(readable) and socket.socket.recv(conn, 1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _hold(self) -> None:
        """A blackhole swallows open streams too (watches, followed logs): nothing more
        gets through, not even the end, until it is lifted."""
        sim = self.sim
        while sim.faults.blackhole and not sim._stopping.is_set():
            sim.faults.wait_blackhole_cleared(sim._stopping)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self.connection, socket.SHUT_RDWR)
        except (ConnectionError, ssl.SSLError, TimeoutError):
            self.close_connection = True


class Listener:
    """A listening socket on a fixed port plus its accept loop and open connections."""

    def __init__(self, host: str, port: int, serve: Callable[[list, tuple], None]):
        """``serve(slot, addr)`` runs a connection; ``slot[0]`` is its socket, which
        ``serve`` may replace (by its TLS wrapper) so cutting connections still works."""
        self.host = host
        self._serve = serve
        self._sock: socket.socket | None = None
        self._want_open = True
        self._stopping = False
        self._lock = threading.Lock()
        self._applied = threading.Condition(self._lock)
        self._generation = 0
        self._applied_generation = 0
        self._wake_r, self._wake_w = socket.socketpair()
        self.port = port
        self.accepted = 0  # connections accepted so far
        self._open()  # bind now so the port is known (and errors surface) at start()
        self._thread = threading.Thread(
            target=self._loop, name=f"sim-accept-{self.port}", daemon=True
        )
        self._conns: dict[int, list] = {}  # id(slot) -> [socket, thread]
        self._conn_lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def _open(self) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.host, self.port))
        s.listen(128)
        self.port = s.getsockname()[1]
        self._sock = s

    def _close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def set_open(self, want_open: bool, timeout: float = 5.0) -> None:
        """Close or reopen the listening socket; returns once the loop has applied it."""
        with self._lock:
            self._want_open = want_open
            self._generation += 1
            gen = self._generation
            self._wake_w.send(b"x")
            if threading.current_thread() is self._thread or not self._thread.is_alive():
                self._apply()
                return
            self._applied.wait_for(
                lambda: self._applied_generation >= gen or self._stopping, timeout
            )

    def _apply(self) -> None:
        if self._want_open and not self._stopping and self._sock is None:
            for _ in range(50):  # the old socket's port can take a moment to free up
                try:
                    self._open()
                    break
                except OSError:
                    self._applied.wait(0.02)
        elif (not self._want_open or self._stopping) and self._sock is not None:
            self._close()
        self._applied_generation = self._generation
        self._applied.notify_all()

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    self._close()
                    self._applied.notify_all()
                    return
                if self._applied_generation < self._generation:
                    self._apply()
                sock = self._sock
            rlist = [self._wake_r] + ([sock] if sock is not None else [])
            try:
                ready, _w, _x = select.select(rlist, [], [])
            except (OSError, ValueError):
                continue
            if self._wake_r in ready:
                with contextlib.suppress(OSError):
                    self._wake_r.recv(4096)
                continue
            if sock is not None and sock in ready:
                try:
                    conn, addr = sock.accept()
                except OSError:
                    continue
                self.accepted += 1
                self._spawn(conn, addr)

    def _spawn(self, conn: socket.socket, addr: tuple) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        slot: list = [conn, None]
        t = threading.Thread(
            target=self._run_conn, args=(slot, addr), daemon=True, name=f"sim-conn-{self.port}"
        )
        slot[1] = t
        with self._conn_lock:
            self._conns[id(slot)] = slot
        t.start()

    def _run_conn(self, slot: list, addr: tuple) -> None:
        try:
            self._serve(slot, addr)
        except (OSError, ssl.SSLError):
            pass
        finally:
            with self._conn_lock:
                self._conns.pop(id(slot), None)
            with contextlib.suppress(OSError):
                slot[0].close()

    def cut_connections(self) -> int:
        """Abruptly shut down every open connection (idle keep-alive ones too), except
        the calling thread's own (a control request switching a fault gets its answer)."""
        me = threading.current_thread()
        with self._conn_lock:
            socks = [slot[0] for slot in self._conns.values() if slot[1] is not me]
        for c in socks:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(c, socket.SHUT_RDWR)
        return len(socks)

    def connection_count(self) -> int:
        with self._conn_lock:
            return len(self._conns)

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._stopping = True
            self._wake_w.send(b"x")
        if self._thread.is_alive():
            self._thread.join(timeout)
        else:
            with self._lock:
                self._close()
        self.cut_connections()
        deadline = time.monotonic() + timeout
        with self._conn_lock:
            threads = [slot[1] for slot in self._conns.values()]
        for t in threads:
            t.join(max(deadline - time.monotonic(), 0.01))
        self._wake_r.close()
        self._wake_w.close()
