"""What went wrong talking to a cluster, put in words a user understands.

This module owns the failures the kube modules share:

* the API's `Status` object, which a Kubernetes API server sends with every failure (as the
  body of an error response, or as the object of a watch ERROR event): `parse_status` reads
  it, `status_message` gives the server's own words for a refused request;
* the errors put into words here (`ClientError` and its kinds);
* `classify_error`: any exception from building, probing or using a client, mapped to a
  `Health` and one line (TLS failures, refusals, timeouts, bad answers...); `error_text`:
  that line for any error a fetch can raise, bugs included.

No Textual import here: the core stays usable headless.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import urllib3
from kubernetes.client.exceptions import ApiException
from kubernetes.config.config_exception import ConfigException

from kite_tui.core.snapshot import Health

if TYPE_CHECKING:
    from kite_tui.core.kube.client import ClusterClient

# --------------------------------------------------------------------------------- Status


@dataclass(frozen=True)
class ApiStatus:
    """The parts of a `Status` failure a caller uses (fields it lacks are None or "")."""

    code: int | None = None
    reason: str = ""
    """Machine-readable: ``NotFound``, ``Forbidden``, ``Expired``..."""
    message: str = ""
    """The server's words for a human: ``pods "web" not found``."""


def parse_status(body: bytes | str | Mapping[str, Any] | None) -> ApiStatus | None:
    """The Status in an error body (bytes or text) or a watch ERROR event's object (a dict).

    None when `body` is not a JSON object: empty, a proxy's HTML page, plain text, JSON of
    another shape. A JSON object is read leniently (a field of the wrong type counts as
    missing), as the message is what matters and some servers leave out ``kind``.
    """
    doc: Any = body
    if not isinstance(body, Mapping):
        if not body:
            return None
        try:
            doc = json.loads(body)
        except ValueError:  # UnicodeDecodeError included
            return None
        if not isinstance(doc, Mapping):
            return None
    code = doc.get("code")
    reason, message = doc.get("reason"), doc.get("message")
    return ApiStatus(
        code if isinstance(code, int) and not isinstance(code, bool) else None,
        reason if isinstance(reason, str) else "",
        "" if message is None else str(message),
    )


def status_message(exc: ApiException) -> str:
    """The server's words for a refused request: the message of the Status it sent, else
    the HTTP reason phrase (``Bad Gateway``), else ``HTTP <code>``. Never empty."""
    status = parse_status(exc.body)
    return (status.message if status else "") or str(exc.reason or "") or f"HTTP {exc.status}"


# ---------------------------------------------------------------------------- our errors


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


@dataclass(frozen=True)
class ProbeResult:
    """A cluster's health with the server's version (when it answered) or one line saying
    what is wrong: what a probe finds, and what `classify_error` makes of a failure."""

    health: Health
    version: str | None = None
    error: str | None = None


# -------------------------------------------------------------------------- classifying


def classify_error(
    exc: BaseException, server: str | None = None, *, ca_hint: str | None = None
) -> ProbeResult:
    """Map an exception from building or probing a client to a health status and one line a
    user understands. `ca_hint` says how to trust the server's CA (the client's `ca_hint`)."""
    result = _classify(exc, server, ca_hint or "set certificate_authority")
    return ProbeResult(result.health, result.version, _one_line(result.error or ""))


def error_text(exc: BaseException, client: ClusterClient | None = None) -> str:
    """One line a user understands, for any error a fetch can raise."""
    if isinstance(exc, ApiException | OSError | ClientError) or "urllib3" in type(exc).__module__:
        result = classify_error(exc, client.server if client is not None else None)
        if result.error:
            return result.error
    return f"{type(exc).__name__}: {exc}"


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
        reason = status_message(exc)
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
    return ProbeResult(Health.UNREACHABLE, error=f"unreachable{at}: {brief(root)}")


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
    return f"TLS handshake failed{at}: {brief(err).split(' (_ssl.c:')[0]}"


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


def brief(exc: BaseException) -> str:
    """An exception's text (its class name if it has none), cut to under 200 characters."""
    text = str(exc) or exc.__class__.__name__
    return text if len(text) < 200 else text[:197] + "..."


def _one_line(text: str) -> str:
    return " ".join(text.split())
