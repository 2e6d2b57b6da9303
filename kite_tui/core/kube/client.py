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
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import urllib3
from kubernetes import client as k8s_client
from kubernetes import config as k8s_config
from kubernetes.client.exceptions import ApiException
from kubernetes.config.config_exception import ConfigException

from kite_tui.core.config import ClusterSpec
from kite_tui.core.config.kubeconfig import (
    KubeconfigUnreadable,
    cluster_of,
    context_of,
    read_kubeconfig,
)
from kite_tui.core.snapshot import Health

_open_clients: weakref.WeakSet[ClusterClient] = weakref.WeakSet()
_open_lock = threading.Lock()


class ClientError(Exception):
    """A failure put into words here: its text is the whole message a user sees."""

    health = Health.UNREACHABLE


class UnexpectedResponse(ClientError):
    """A 2xx answer that is not what a Kubernetes API server sends (not a JSON object)."""

    def __init__(self, server: str, path: str, what: str) -> None:
        super().__init__(
            f"the server at {server} did not answer like a Kubernetes API server "
            f"({path} returned {what})"
        )


class KubeconfigError(ClientError):
    """The kubeconfig entry a cluster points at cannot be used; the text names the file."""

    health = Health.CONFIG_ERROR


def open_clients() -> list[ClusterClient]:
    """Clients built and not yet closed (for leak checks)."""
    with _open_lock:
        return [c for c in _open_clients if not c.closed]


class ClusterClient:
    """One cluster's `ApiClient`, shared by that cluster's threads, closed when replaced."""

    def __init__(
        self,
        name: str,
        api: k8s_client.ApiClient,
        timeout: float,
        *,
        ca_hint: str = "set certificate_authority",
    ) -> None:
        self.name = name
        self.api = api
        self.timeout = timeout
        self.ca_hint = ca_hint  # how to trust the server's CA, for "unknown authority"
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

    def get_json(self, path: str, query: list[tuple[str, Any]] | None = None) -> dict[str, Any]:
        """GET a path and decode the JSON body without building typed models (hot paths).

        Every answer of the Kubernetes API is a JSON object: anything else raises
        `UnexpectedResponse` (a proxy's HTML page, a server that is something else).
        """
        raw = self.request(path, query)
        try:
            data = raw.data
        finally:
            raw.release_conn()
        try:
            doc = json.loads(data)
        except ValueError:
            raise UnexpectedResponse(self.server, path, _not_json(data)) from None
        if not isinstance(doc, dict):
            raise UnexpectedResponse(self.server, path, _JSON_KINDS.get(type(doc), "JSON"))
        return doc

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
    """Make a client from the spec. Raises `KubeconfigError` (a kubeconfig that cannot be
    used) or `OSError` (an unreadable token file) on bad settings."""
    configuration = type.__call__(k8s_client.Configuration)
    ca_hint = "set certificate_authority"
    if spec.uses_kubeconfig:
        assert spec.kubeconfig is not None
        cluster = _check_kubeconfig_cluster(spec.kubeconfig, spec.context)
        where = f" for cluster {cluster!r}" if cluster else ""
        ca_hint = f"set certificate-authority-data{where} in kubeconfig {spec.kubeconfig}"
        try:
            # Never load_kube_config() without client_configuration: it would mutate the
            # process-wide default that every other cluster's client starts from.
            k8s_config.load_kube_config(
                config_file=str(spec.kubeconfig),
                context=spec.context,
                client_configuration=configuration,
                persist_config=False,
            )
        except Exception as exc:  # the loader's errors name neither the file nor the key
            raise KubeconfigError(f"kubeconfig {spec.kubeconfig}: {_short(exc)}") from exc
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
    return ClusterClient(spec.name, api, timeout, ca_hint=ca_hint)


def _check_kubeconfig_cluster(path: Path, context: str | None) -> str | None:
    """The name of the kubeconfig cluster `context` uses; raises `KubeconfigError` when its
    server is missing or not a string (the kubernetes loader fails on those with an
    AttributeError). Problems found elsewhere (an unreadable file, an unknown context) are
    left to the loader, whose messages say what they are."""
    try:
        data = read_kubeconfig(path)
    except KubeconfigUnreadable:
        return None
    name = context_of(data, context or data.get("current-context")).get("cluster")
    if not isinstance(name, str):
        return None
    fields = cluster_of(data, name)
    if fields is None:
        return name  # no such cluster: the loader says so
    server = fields.get("server")
    if server is None or server == "":
        raise KubeconfigError(f"kubeconfig {path}: cluster {name!r}: no server")
    if not isinstance(server, str):
        raise KubeconfigError(f"kubeconfig {path}: cluster {name!r}: server must be a URL string")
    return name


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
        return classify_error(exc, client.server, ca_hint=client.ca_hint)
    version = info.get("gitVersion")
    return ProbeResult(Health.OK, version=version if isinstance(version, str) else "unknown")


def classify_error(
    exc: BaseException, server: str | None = None, *, ca_hint: str | None = None
) -> ProbeResult:
    """Map an exception from building or probing a client to a health status and one line a
    user understands. `ca_hint` says how to trust the server's CA (the client's `ca_hint`)."""
    result = _classify(exc, server, ca_hint or "set certificate_authority")
    return ProbeResult(result.health, result.version, _one_line(result.error or ""))


def _classify(exc: BaseException, server: str | None, ca_hint: str) -> ProbeResult:
    at = f" ({server})" if server else ""
    if isinstance(exc, ClientError):
        return ProbeResult(exc.health, error=str(exc))
    tls = _find_tls_error(exc)
    if tls is not None:
        return ProbeResult(Health.TLS_ERROR, error=_tls_message(tls, server, ca_hint))
    if isinstance(exc, ApiException) and not exc.status:
        # Status 0: the kubernetes client wrapped a transport failure; classify that instead.
        cause = exc.__cause__ or exc.__context__
        if cause is not None:
            return _classify(cause, server, ca_hint)
        return ProbeResult(Health.UNREACHABLE, error=f"request failed{at}: {exc.reason}")
    if isinstance(exc, ApiException):
        reason = _status_message(exc)
        if exc.status == 401:
            return ProbeResult(Health.UNAUTHORIZED, error=f"401 Unauthorized{at}: {reason}")
        if exc.status == 403:
            return ProbeResult(Health.FORBIDDEN, error=f"403 Forbidden{at}: {reason}")
        return ProbeResult(
            Health.UNREACHABLE, error=f"HTTP {exc.status} {exc.reason or ''}{at}: {reason}"
        )
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        return ProbeResult(Health.CONFIG_ERROR, error=f"cannot read {exc.filename}: {exc.strerror}")
    if isinstance(exc, ConfigException | OSError | ValueError) and not isinstance(
        exc, urllib3.exceptions.HTTPError | socket.timeout | ConnectionError
    ):
        return ProbeResult(Health.CONFIG_ERROR, error=f"cannot build client: {exc}")
    root = _root_cause(exc)
    if isinstance(root, urllib3.exceptions.ReadTimeoutError | socket.timeout | TimeoutError):
        return ProbeResult(Health.UNREACHABLE, error=f"timed out{at}: no answer from the server")
    if isinstance(root, urllib3.exceptions.ConnectTimeoutError):
        return ProbeResult(Health.UNREACHABLE, error=f"timed out connecting{at}")
    if isinstance(root, ConnectionRefusedError) or "Connection refused" in str(root):
        return ProbeResult(Health.UNREACHABLE, error=f"connection refused{at}")
    if isinstance(root, urllib3.exceptions.NameResolutionError | socket.gaierror):
        return ProbeResult(Health.UNREACHABLE, error=f"cannot resolve host{at}")
    return ProbeResult(Health.UNREACHABLE, error=f"unreachable{at}: {_short(root)}")


# OpenSSL's X509_V_ERR_* codes for "the chain does not end at a CA we trust".
_UNKNOWN_AUTHORITY = {2, 18, 19, 20, 21}
_NOT_YET_VALID, _EXPIRED = 9, 10
_HOST_MISMATCH = {62, 64}  # hostname, IP address
# What OpenSSL says when the other end answered something that is not TLS (plain HTTP).
_NOT_TLS = {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST", "UNKNOWN_PROTOCOL"}


def _find_tls_error(exc: BaseException) -> BaseException | None:
    """The TLS failure in `exc`'s chain: OpenSSL's own error if there is one, else urllib3's."""
    chain = _chain(exc)
    for kind in (ssl.SSLError, urllib3.exceptions.SSLError):
        for link in chain:
            if isinstance(link, kind):
                return link
    return None


def _tls_message(err: BaseException, server: str | None, ca_hint: str) -> str:
    at = f" ({server})" if server else ""
    if isinstance(err, ssl.SSLCertVerificationError):
        code = err.verify_code
        if code in _UNKNOWN_AUTHORITY:
            return f"certificate signed by an unknown authority{at}: {ca_hint}"
        if code in _HOST_MISMATCH:
            host = urlparse(server).hostname if server else None
            return (
                f"the server's certificate is not valid for {host or 'this address'}{at}: "
                "use an address the certificate was issued for"
            )
        if code == _EXPIRED:
            return f"the server's certificate has expired{at}"
        if code == _NOT_YET_VALID:
            return f"the server's certificate is not valid yet{at}: check this machine's clock"
        return f"the server's certificate was refused{at}: {err.verify_message}"
    reason = getattr(err, "reason", None)
    if reason in _NOT_TLS:
        where = f"the server at {server}" if server else "the server"
        return f"{where} does not speak TLS: is it an http:// address?"
    if isinstance(reason, str) and reason:
        return f"TLS handshake failed{at}: {reason.replace('_', ' ').lower()}"
    return f"TLS handshake failed{at}: {_short(err).split(' (_ssl.c:')[0]}"


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps (urllib3's `reason`, then causes and contexts), in order."""
    out: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in out and len(out) < 12:
        out.append(link)
        nxt = getattr(link, "reason", None)
        link = nxt if isinstance(nxt, BaseException) else (link.__cause__ or link.__context__)
    return out


def _root_cause(exc: BaseException) -> BaseException:
    return _chain(exc)[-1]


def _short(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return text if len(text) < 200 else text[:197] + "..."


def _one_line(text: str) -> str:
    return " ".join(text.split())


_JSON_KINDS: dict[type, str] = {
    str: "a JSON string",
    list: "a JSON array",
    int: "a JSON number",
    float: "a JSON number",
    bool: "a JSON boolean",
    type(None): "JSON null",
}


def _not_json(data: bytes | None) -> str:
    head = (data or b"").lstrip()[:200].lower()
    if not head:
        return "an empty body"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page"
    return "text that is not JSON"


def _status_message(exc: ApiException) -> str:
    try:
        body = json.loads(exc.body or "")
        return str(body.get("message") or exc.reason)
    except (ValueError, AttributeError):
        return str(exc.reason or "")
