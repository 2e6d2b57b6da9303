"""Building one cluster's client from its spec, probing its health, and closing it.

Everything here blocks (file reads, exec credential plugins, TCP, TLS), so it runs in the
manager's build pool, never on the UI thread. What a failure means, and the words for it,
is `kite_tui.core.kube.errors`; its `classify_error` and `ProbeResult` are part of this
module's API too, for callers that build and probe.
"""

from __future__ import annotations

import contextlib
import json
import threading
import weakref
from pathlib import Path
from typing import Any

from kubernetes import client as k8s_client
from kubernetes.client.exceptions import ApiException
from kubernetes.config.kube_config import KubeConfigLoader

from kite_tui.core.config import ClusterSpec
from kite_tui.core.config.kubeconfig import (
    KubeconfigUnreadable,
    cluster_of,
    context_of,
    load_kubeconfig,
)
from kite_tui.core.kube.credentials import (
    Credential,
    ExecCredentials,
    PluginProcesses,
    exec_credentials,
)
from kite_tui.core.kube.errors import (
    KubeconfigError,
    ProbeResult,
    UnexpectedResponse,
    brief,
    classify_error,
)
from kite_tui.core.kube.oidc import OidcRefreshFailed, take_oidc
from kite_tui.core.snapshot import Health

__all__ = [
    "ClusterClient",
    "ProbeResult",
    "build_client",
    "classify_error",
    "open_clients",
    "probe",
]

_open_clients: weakref.WeakSet[ClusterClient] = weakref.WeakSet()
_open_lock = threading.Lock()


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
        credentials: ExecCredentials | None = None,
    ) -> None:
        self.name = name
        self.api = api
        self.credentials = credentials  # an exec plugin's: every request asks it for a token
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
        timeout: float | tuple[float, float | None] | None = None,
    ) -> Any:
        """GET `path`; returns the streaming urllib3 response. Non-2xx raises ApiException.

        The caller reads (`.data`) or streams (`kite_tui.core.kube.stream`) the body and must
        `release_conn()` when it stops early. `timeout` is seconds, or (connect, read) where a
        read of None never times out (a followed log); the default is `request_timeout`.
        With an exec plugin, a 401 fetches a fresh credential and tries once more.
        """
        auth = self.credentials
        cred = auth.current() if auth is not None else None
        raw = self._get(path, query, accept, timeout, cred)
        if raw.status == 401 and auth is not None and cred is not None:
            raw.data  # noqa: B018 - read to the end, or the connection goes back dirty
            raw.release_conn()
            cred = auth.refreshed(cred)
            raw = self._get(path, query, accept, timeout, cred)
        if not 200 <= raw.status <= 299:
            data = raw.data
            raw.release_conn()
            body = data.decode("utf-8", "replace") if data else None
            if raw.status == 401 and auth is not None:
                body = auth.refusal(body)  # refused even fresh: what the plugin said too
            raise ApiException(status=raw.status, reason=raw.reason, body=body)
        return raw

    def _get(
        self,
        path: str,
        query: list[tuple[str, Any]] | None,
        accept: str,
        timeout: float | tuple[float, float | None] | None,
        cred: Credential | None,
    ) -> Any:
        header_params = {"Accept": accept}
        if cred is not None and cred.token:
            header_params["Authorization"] = f"Bearer {cred.token}"
        method, url, headers, body, post = self.api.param_serialize(
            method="GET",
            resource_path=path,
            query_params=query or [],
            header_params=header_params,
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
        return resp.response

    def get_json(
        self,
        path: str,
        query: list[tuple[str, Any]] | None = None,
        *,
        accept: str = "application/json",
    ) -> dict[str, Any]:
        """GET a path and decode the JSON body without building typed models (hot paths).

        Every answer of the Kubernetes API is a JSON object: anything else raises
        `UnexpectedResponse` (a proxy's HTML page, a server that is something else).
        ``accept`` may ask for another JSON form (aggregated discovery).
        """
        raw = self.request(path, query, accept=accept)
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
        if self.credentials is not None:
            self.credentials.close()
        with contextlib.suppress(Exception):  # closing must never take the manager down
            self.api.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<ClusterClient {self.name} {self.server} {state}>"


def build_client(
    spec: ClusterSpec, timeout: float, *, plugins: PluginProcesses | None = None
) -> ClusterClient:
    """Make a client from the spec. Raises `KubeconfigError` (a kubeconfig that cannot be
    used), `CredentialError` (its exec plugin gave no credential) or `OSError` (an unreadable
    token file) on bad settings. An exec plugin's processes go into `plugins`."""
    configuration = type.__call__(k8s_client.Configuration)
    ca_hint = "set certificate_authority"
    credentials: ExecCredentials | None = None
    if spec.uses_kubeconfig:
        assert spec.kubeconfig is not None
        path = spec.kubeconfig
        try:
            kubeconfig = load_kubeconfig(path)  # parsed once, shared by every cluster on it
        except KubeconfigUnreadable as exc:
            raise KubeconfigError(str(exc)) from None
        data = kubeconfig.data
        cluster = _check_kubeconfig_cluster(path, data, spec.context)
        where = f" for cluster {cluster!r}" if cluster else ""
        ca_hint = f"set certificate-authority-data{where} in kubeconfig {path}"
        try:
            # The client's own loader, given this context's entries alone (relative paths
            # taken from their own file's folder, as kubectl does), with the user's folder for
            # a relative command. Into our own `configuration`: the process-wide default
            # every other cluster's client starts from must never change.
            context = kubeconfig.entry("contexts", spec.context or data.get("current-context"))
            user = (context or {}).get("user")
            origin = kubeconfig.file_of("users", user if isinstance(user, str) else "")
            config_dict = kubeconfig.for_context(spec.context)
            # Its exec plugin is ours to run (kite_tui.core.kube.credentials), not the
            # loader's; a relative command is found beside the file that defines the user.
            config_dict, credentials = exec_credentials(
                config_dict, spec.context, origin, timeout, plugins
            )
            oidc = take_oidc(config_dict, origin=origin, timeout=timeout)
            loader = KubeConfigLoader(
                config_dict=config_dict,
                config_base_path=str(origin.parent),
                active_context=spec.context,
            )
            loader.load_and_set(configuration)
            if oidc is not None:  # its id-token kept fresh before every request
                configuration.refresh_api_key_hook = oidc.hook
        except (OidcRefreshFailed, KubeconfigError):
            raise  # its message names the file and the user (and the issuer)
        except Exception as exc:  # the loader's errors name neither the file nor the key
            raise KubeconfigError(f"kubeconfig {path}: {brief(exc)}") from exc
        if isinstance((kubeconfig.entry("clusters", cluster) or {}).get("proxy-url"), str):
            # kubectl sends every request through a cluster's proxy-url, whatever NO_PROXY says.
            configuration.no_proxy = ""
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
    if credentials is not None:
        cred = credentials.current()  # its error is the build's (missing plugin, failing one)
        if cred.client_certificate and cred.client_key:
            # Presented at each TLS handshake: a certificate the plugin renews later is not
            # picked up by this client (kubectl starts afresh per command).
            configuration.cert_file, configuration.key_file = credentials.cert_files(cred)
    api = k8s_client.ApiClient(configuration)
    return ClusterClient(spec.name, api, timeout, ca_hint=ca_hint, credentials=credentials)


def _check_kubeconfig_cluster(path: Path, data: dict[str, Any], context: str | None) -> str | None:
    """The name of the kubeconfig cluster `context` uses; raises `KubeconfigError` when its
    server is missing or not a string (the kubernetes loader fails on those with an
    AttributeError). Problems found elsewhere (an unknown context, a bad user) are
    left to the loader, whose messages say what they are."""
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


def probe(client: ClusterClient) -> ProbeResult:
    """GET /version and classify the outcome the way a user thinks about it."""
    try:
        info = client.version()
    except Exception as exc:  # classified below; nothing escapes a probe
        return classify_error(exc, client.server, ca_hint=client.ca_hint)
    version = info.get("gitVersion")
    return ProbeResult(Health.OK, version=version if isinstance(version, str) else "unknown")


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
