"""Small real servers the credential tests talk to: an HTTP CONNECT proxy (for a cluster's
``proxy-url``) and an OpenID Connect issuer (for the ``oidc`` auth-provider's refresh)."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import trustme


class ConnectProxy:
    """An HTTP proxy that only tunnels (``CONNECT host:port``), over a real socket.

    `hosts` maps names only the proxy knows to the address it dials, so a client that
    reaches a server by such a name must have gone through the proxy. `tunnels` records
    each CONNECT target, in order.
    """

    def __init__(self, hosts: dict[str, str] | None = None) -> None:
        self.hosts = dict(hosts or {})
        self.tunnels: list[str] = []
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, name="connect-proxy", daemon=True)
        self._accept.start()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._tunnel, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _tunnel(self, client: socket.socket) -> None:
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
            if method != "CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            host, _, port = target.rpartition(":")
            with self._lock:
                self.tunnels.append(target)
            try:
                upstream = socket.create_connection((self.hosts.get(host, host), int(port)), 5)
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            with upstream:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                pump = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
                pump.start()
                _pipe(client, upstream)
                pump.join(5)

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        self._accept.join(5)

    def __enter__(self) -> ConnectProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while chunk := src.recv(65536):
            dst.sendall(chunk)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def jwt(claims: dict[str, Any]) -> str:
    """An unsigned-looking JWT with `claims` (the client reads only `exp` from it)."""

    def part(doc: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


class OidcIssuer:
    """An OpenID Connect issuer over HTTP: its discovery document and a token endpoint that
    trades `refresh_token` (with `client_id`/`client_secret` by basic auth) for `id_token`.

    Each refresh issues a new id-token (valid an hour) and a new refresh token, as real
    issuers rotate them; `refreshes` records the refresh tokens it was given.
    """

    def __init__(
        self,
        refresh_token: str,
        client_id: str,
        client_secret: str,
        *,
        on_issue: Callable[[str], None] | None = None,
    ) -> None:
        self.refresh_token = refresh_token
        self.client = (client_id, client_secret)
        self.refreshes: list[str] = []
        self.id_token = ""
        self.on_issue = on_issue  # told each new id-token before it is handed out
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if self.path != "/.well-known/openid-configuration":
                    self._send(404, {"error": "not_found"})
                    return
                self._send(
                    200,
                    {
                        "issuer": issuer.url,
                        "token_endpoint": f"{issuer.url}/token",
                        "authorization_endpoint": f"{issuer.url}/auth",
                        "jwks_uri": f"{issuer.url}/keys",
                    },
                )

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                auth = self.headers.get("Authorization", "")
                user, _, secret = (
                    base64.b64decode(auth.split(" ", 1)[1]).decode().partition(":")
                    if auth.startswith("Basic ")
                    else ("", "", "")
                )
                given = form.get("refresh_token", [""])[0]
                issuer.refreshes.append(given)
                if self.path != "/token" or form.get("grant_type") != ["refresh_token"]:
                    self._send(400, {"error": "unsupported_grant_type"})
                elif (user, secret) != issuer.client:
                    self._send(401, {"error": "invalid_client"})
                elif given != issuer.refresh_token:
                    self._send(400, {"error": "invalid_grant"})
                else:
                    issuer.rotate()
                    self._send(
                        200,
                        {
                            "access_token": "opaque-access",
                            "token_type": "Bearer",
                            "expires_in": 3600,
                            "id_token": issuer.id_token,
                            "refresh_token": issuer.refresh_token,
                        },
                    )

            def _send(self, code: int, doc: dict[str, Any]) -> None:
                body = json.dumps(doc).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        # Over HTTPS, as real issuers are (the kubernetes client refuses a plain-HTTP one).
        ca = trustme.CA(organization_name="kite-tui test issuer")
        self.ca_pem = ca.cert_pem.bytes()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1").configure_cert(ctx)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def rotate(self) -> None:
        n = len(self.refreshes)
        self.id_token = jwt({"iss": self.url, "sub": "me", "exp": int(time.time()) + 3600, "n": n})
        self.refresh_token = f"refresh-{n}"
        if self.on_issue is not None:
            self.on_issue(self.id_token)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> OidcIssuer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
