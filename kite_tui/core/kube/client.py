"""Building one cluster's client from its spec, probing its health, and closing it.

Everything here blocks (file reads, exec credential plugins, TCP, TLS), so it runs in the
manager's build pool, never on the UI thread.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import weakref
from dataclasses import dataclass
from typing import Any

import urllib3
from kubernetes import client as k8s_client
from kubernetes import config as k8s_config
from kubernetes.client.exceptions import ApiException
from kubernetes.config.config_exception import ConfigException

from kite_tui.core.config import ClusterSpec
from kite_tui.core.snapshot import Health

_open_clients: weakref.WeakSet[ClusterClient] = weakref.WeakSet()
_open_lock = threading.Lock()


def open_clients() -> list[ClusterClient]:
    """Clients built and not yet closed (for leak checks)."""
    with _open_lock:
        return [c for c in _open_clients if not c.closed]


class ClusterClient:
    """One cluster's `ApiClient`, shared by that cluster's threads, closed when replaced."""

    def __init__(self, name: str, api: k8s_client.ApiClient, timeout: float) -> None:
        self.name = name
        self.api = api
        self.timeout = timeout
        self.closed = False
        with _open_lock:
            _open_clients.add(self)

    @property
    def server(self) -> str:
        return str(self.api.configuration.host)

    @property
    def request_timeout(self) -> tuple[float, float]:
        """(connect, read) for `_request_timeout`: without it a dead connection hangs forever."""
        return (self.timeout, self.timeout)

    def request(
        self,
        path: str,
        query: list[tuple[str, Any]] | None = None,
        *,
        accept: str = "application/json",
        timeout: float | tuple[float, float] | None = None,
    ) -> Any:
        """GET `path`; returns the streaming urllib3 response. Non-2xx raises ApiException.

        The caller reads (`.data`) or streams (`.stream()` / line iteration) the body and must
        `release_conn()` when it stops early.
        """
        method, url, headers, body, post = self.api.param_serialize(
            method="GET",
            resource_path=path,
            query_params=query or [],
            header_params={"Accept": accept},
            auth_settings=["BearerToken"],
        )
        resp = self.api.call_api(
            method,
            url,
            header_params=headers,
            body=body,
            post_params=post,
            _request_timeout=timeout if timeout is not None else self.request_timeout,
        )
        raw = resp.response
        if not 200 <= raw.status <= 299:
            data = raw.data
            raw.release_conn()
            raise ApiException(
                status=raw.status,
                reason=raw.reason,
                body=data.decode("utf-8", "replace") if data else None,
            )
        return raw

    def get_json(self, path: str, query: list[tuple[str, Any]] | None = None) -> Any:
        """GET a path and decode the JSON body without building typed models (hot paths)."""
        raw = self.request(path, query)
        try:
            return json.loads(raw.data)
        finally:
            raw.release_conn()

    def version(self) -> dict[str, Any]:
        return self.get_json("/version")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(Exception):  # closing must never take the manager down
            self.api.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<ClusterClient {self.name} {self.server} {state}>"


def build_client(spec: ClusterSpec, timeout: float) -> ClusterClient:
    """Make a client from the spec. Raises `ConfigException`/`OSError` on bad settings."""
    configuration = type.__call__(k8s_client.Configuration)
    if spec.uses_kubeconfig:
        # Never load_kube_config() without client_configuration: it would mutate the
        # process-wide default that every other cluster's client starts from.
        k8s_config.load_kube_config(
            config_file=str(spec.kubeconfig),
            context=spec.context,
            client_configuration=configuration,
            persist_config=False,
        )
    else:
        assert spec.server is not None
        configuration.host = spec.server.rstrip("/")
        token = spec.token
        if spec.token_file is not None:
            token = spec.token_file.read_text().strip()
        if token:
            configuration.api_key = {"authorization": token}
            configuration.api_key_prefix = {"authorization": "Bearer"}
        if spec.certificate_authority is not None:
            configuration.ssl_ca_cert = str(spec.certificate_authority)
        if spec.client_certificate is not None and spec.client_key is not None:
            configuration.cert_file = str(spec.client_certificate)
            configuration.key_file = str(spec.client_key)
        configuration.verify_ssl = not spec.insecure_skip_tls_verify
    # One try per request: urllib3's default three retries would turn a 10 s timeout into 40 s.
    configuration.retries = False
    # Watches hold connections: one per open view, plus the warm ones the feed pool keeps.
    configuration.connection_pool_maxsize = 32
    api = k8s_client.ApiClient(configuration)
    return ClusterClient(spec.name, api, timeout)


@dataclass(frozen=True)
class ProbeResult:
    health: Health
    version: str | None = None
    error: str | None = None


def probe(client: ClusterClient) -> ProbeResult:
    """GET /version and classify the outcome the way a user thinks about it."""
    try:
        info = client.version()
    except Exception as exc:  # classified below; nothing escapes a probe
        return classify_error(exc, client.server)
    version = info.get("gitVersion") if isinstance(info, dict) else None
    return ProbeResult(Health.OK, version=version or "unknown")


def classify_error(exc: BaseException, server: str | None = None) -> ProbeResult:
    """Map an exception from building or probing a client to a health status and message."""
    at = f" ({server})" if server else ""
    if isinstance(exc, ApiException):
        reason = _status_message(exc)
        if exc.status == 401:
            return ProbeResult(Health.UNAUTHORIZED, error=f"401 Unauthorized{at}: {reason}")
        if exc.status == 403:
            return ProbeResult(Health.FORBIDDEN, error=f"403 Forbidden{at}: {reason}")
        return ProbeResult(
            Health.UNREACHABLE, error=f"HTTP {exc.status} {exc.reason or ''}{at}: {reason}"
        )
    if isinstance(exc, ConfigException | OSError | ValueError) and not isinstance(
        exc, urllib3.exceptions.HTTPError | socket.timeout | ConnectionError
    ):
        return ProbeResult(Health.CONFIG_ERROR, error=f"cannot build client: {exc}")
    root = _root_cause(exc)
    if isinstance(root, ssl.SSLError) or isinstance(exc, urllib3.exceptions.SSLError):
        return ProbeResult(Health.TLS_ERROR, error=f"TLS error{at}: {_short(root)}")
    if isinstance(root, urllib3.exceptions.ReadTimeoutError | socket.timeout | TimeoutError):
        return ProbeResult(Health.UNREACHABLE, error=f"timed out{at}: no answer from the server")
    if isinstance(root, urllib3.exceptions.ConnectTimeoutError):
        return ProbeResult(Health.UNREACHABLE, error=f"timed out connecting{at}")
    if isinstance(root, ConnectionRefusedError) or "Connection refused" in str(root):
        return ProbeResult(Health.UNREACHABLE, error=f"connection refused{at}")
    if isinstance(root, urllib3.exceptions.NameResolutionError | socket.gaierror):
        return ProbeResult(Health.UNREACHABLE, error=f"cannot resolve host{at}")
    return ProbeResult(Health.UNREACHABLE, error=f"unreachable{at}: {_short(root)}")


def _root_cause(exc: BaseException) -> BaseException:
    seen = 0
    while seen < 10:
        seen += 1
        nxt = getattr(exc, "reason", None)
        if isinstance(nxt, BaseException) and nxt is not exc:
            exc = nxt
            continue
        nxt = exc.__cause__ or exc.__context__
        if nxt is not None and nxt is not exc:
            exc = nxt
            continue
        break
    return exc


def _short(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return text if len(text) < 200 else text[:197] + "..."


def _status_message(exc: ApiException) -> str:
    try:
        body = json.loads(exc.body or "")
        return str(body.get("message") or exc.reason)
    except (ValueError, AttributeError):
        return str(exc.reason or "")
