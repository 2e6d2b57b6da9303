"""Exec credential plugins (``users[].user.exec`` in a kubeconfig), run by us as kubectl runs
them, not by the `kubernetes` client.

The client's own `ExecProvider` runs a plugin with no timeout, hands it the app's terminal
when stdout is a TTY (Textual's is), reads all it prints, and runs it again only once the
token's ``expirationTimestamp`` has passed, never after a 401. This module owns instead:

* running a plugin (client.authentication.k8s.io v1 and v1beta1; ``env``, ``args``,
  ``installHint``, ``provideClusterInfo``, ``interactiveMode``) without a terminal: stdin
  closed, stderr captured for the error, its own session, the cluster's timeout, its output
  capped, and its whole process group killed at the deadline or when its owner goes;
* `ExecCredentials`: one user's credential, cached until shortly before it expires, fetched
  by one plugin run at a time whatever the number of threads asking, and fetched again once
  after the server refuses it (`ExecCredentials.refreshed`);
* `PluginProcesses`: the live plugin processes of an owner (a client build), and `PLUGINS`,
  every one of this process, which `kill_plugins` ends when the app or the CLI quits.

Every failure is a `CredentialError` whose text names the plugin and the kubeconfig and
carries the plugin's own words (the tail of its stderr): never "401 Unauthorized".
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kite_tui.core.config.kubeconfig import cluster_of, context_of, named
from kite_tui.core.kube.errors import ClientError, KubeconfigError, parse_status
from kite_tui.core.snapshot import Health

__all__ = [
    "PLUGINS",
    "Credential",
    "CredentialError",
    "ExecCredentials",
    "PluginProcesses",
    "exec_credentials",
    "kill_plugins",
]

API_VERSIONS = ("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1")
INTERACTIVE_MODES = ("IfAvailable", "Never", "Always")
EXEC_EXTENSION = "client.authentication.k8s.io/exec"

OUTPUT_LIMIT = 8 * 1024 * 1024
"""What a plugin may print: a credential is a few kilobytes; more is a broken plugin."""
_STDERR_KEPT = 16 * 1024
_STDERR_SHOWN = 300

MIN_REUSE = 5.0
"""Seconds a credential just fetched is used whatever its timestamp says, and a failure is
repeated before the plugin runs again: a plugin reporting an expiry already passed (or a
clock off) would otherwise run before every request. A server that refuses it says so (401)."""
REFRESH_MARGIN = 60.0
"""At most this long before ``expirationTimestamp`` the credential is fetched again (a tenth
of its lifetime when that is shorter), so no request goes out with a token about to lapse."""


class CredentialError(ClientError):
    """A plugin that gave no usable credential; the text is the plugin's own story."""

    health = Health.UNAUTHORIZED


class PluginMissing(CredentialError):
    """The plugin's command is not installed (the text carries its ``installHint``)."""

    health = Health.CONFIG_ERROR


@dataclass(frozen=True)
class Credential:
    """What one plugin run gave. Secrets are left out of the repr."""

    token: str | None = field(default=None, repr=False)
    client_certificate: str | None = field(default=None, repr=False)
    client_key: str | None = field(default=None, repr=False)
    expires: float | None = None  # wall-clock seconds, None: never
    fetched: float = 0.0  # monotonic seconds


# ------------------------------------------------------------------------------ processes


class PluginProcesses:
    """Live plugin processes, killed together (their build is overtaken, the app quits).

    `kill` with ``close=True`` also refuses every process started later (its owner is gone).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._closed = False

    def add(self, proc: subprocess.Popen[bytes]) -> bool:
        """Register a started process; False (and it is killed) once closed."""
        with self._lock:
            if not self._closed:
                self._procs.add(proc)
                return True
        _kill_group(proc)
        return False

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def kill(self, *, close: bool = False) -> int:
        """Kill every live process's whole group; how many there were."""
        with self._lock:  # under the lock: a process is reaped only after its discard
            self._closed = self._closed or close
            procs = list(self._procs)
            for proc in procs:
                _kill_group(proc)
        return len(procs)

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._procs]


PLUGINS = PluginProcesses()
"""Every plugin process this process runs, whoever started it."""


def kill_plugins() -> int:
    """Kill every plugin still running (the app or CLI is quitting); how many there were."""
    return PLUGINS.kill()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.returncode is not None:
        return  # reaped: its pid (and group id) may already belong to another process
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the group is the plugin's
    with contextlib.suppress(OSError):
        proc.kill()


# ------------------------------------------------------------------------------- the user


def exec_credentials(
    data: dict[str, Any],
    context: str | None,
    path: Path,
    timeout: float,
    processes: PluginProcesses | None = None,
) -> tuple[dict[str, Any], ExecCredentials | None]:
    """The kubeconfig with the context's user's ``exec`` taken out (so the `kubernetes`
    loader never runs it) and our `ExecCredentials` for it; ``(data, None)`` when that user
    has no exec plugin, or a token or auth-provider that comes first (as for the loader).
    Raises `KubeconfigError` for an ``exec`` kubectl would refuse too."""
    ctx = context_of(data, context or data.get("current-context"))
    user_name = ctx.get("user")
    entry = named(data.get("users"), user_name)
    user = entry.get("user")
    if not isinstance(user, dict) or user.get("exec") is None:
        return data, None
    if user.get("token") or user.get("tokenFile") or user.get("auth-provider"):
        return data, None
    cluster = cluster_of(data, ctx.get("cluster")) or {}
    credentials = ExecCredentials(
        user["exec"],
        cluster=cluster,
        kubeconfig=path,
        user=str(user_name),
        timeout=timeout,
        processes=processes,
    )
    stripped = {k: v for k, v in user.items() if k != "exec"}
    users = [
        {**item, "user": stripped} if item is entry else item for item in data.get("users") or []
    ]
    return {**data, "users": users}, credentials


class ExecCredentials:
    """The exec plugin of one kubeconfig user, and the credential it last gave.

    Thread-safe: threads that want a credential while the plugin runs wait for that run and
    share its result (or its error), so a burst of requests runs it once.
    """

    def __init__(
        self,
        exec_config: object,
        *,
        cluster: dict[str, Any],
        kubeconfig: Path,
        user: str,
        timeout: float,
        processes: PluginProcesses | None = None,
    ) -> None:
        self.kubeconfig = Path(kubeconfig)
        self.user = user
        self.timeout = timeout
        self._processes = processes or PluginProcesses()
        where = f"kubeconfig {self.kubeconfig}: user {user!r}: exec"
        if not isinstance(exec_config, dict):
            raise KubeconfigError(f"{where} must be a mapping")
        command = exec_config.get("command")
        if not isinstance(command, str) or not command:
            raise KubeconfigError(f"{where}: no command")
        self.api_version = exec_config.get("apiVersion")
        if self.api_version not in API_VERSIONS:
            raise KubeconfigError(
                f"{where}: apiVersion {self.api_version!r} is not one of {', '.join(API_VERSIONS)}"
            )
        mode = exec_config.get("interactiveMode")
        if mode is None and self.api_version == API_VERSIONS[0]:
            # kubectl refuses it too: a v1 plugin must say whether it may prompt.
            raise KubeconfigError(f"{where}: interactiveMode must be set for {self.api_version}")
        self.interactive_mode = mode or "IfAvailable"
        if self.interactive_mode not in INTERACTIVE_MODES:
            raise KubeconfigError(f"{where}: interactiveMode {mode!r} is not one of "
                                  f"{', '.join(INTERACTIVE_MODES)}")  # fmt: skip
        args = exec_config.get("args") or []
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise KubeconfigError(f"{where}: args must be a list of strings")
        self._env: dict[str, str] = {}
        for item in exec_config.get("env") or []:
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str) or not name:
                raise KubeconfigError(f"{where}: every env entry needs a name")
            self._env[name] = str(item.get("value", ""))
        hint = exec_config.get("installHint")
        self.install_hint = " ".join(str(hint).split()) if hint else ""
        # As kubectl: a command with a slash in it is relative to the kubeconfig's folder.
        if "/" in command and not os.path.isabs(command):
            command = os.path.join(os.path.dirname(os.path.abspath(self.kubeconfig)), command)
        self.command = command
        self.args = list(args)
        self._cluster_info = (
            _cluster_info(cluster, self.kubeconfig)
            if exec_config.get("provideClusterInfo")
            else None
        )
        self._name = str(exec_config.get("command"))
        self._lock = threading.Lock()
        self._credential: Credential | None = None
        self._failure: tuple[float, CredentialError] | None = None
        self._runs = 0
        self._closed = False
        self._dir: str | None = None  # where a client certificate's files are
        self.stderr = ""
        """The tail of what the last run wrote on stderr (one line)."""

    def _error(
        self, problem: str, detail: str = "", kind: type[CredentialError] = CredentialError
    ) -> CredentialError:
        """``exec plugin NAME PROBLEM (user U in kubeconfig K): DETAIL``: the problem first,
        as a table cell cut short keeps it; DETAIL is most often what the plugin wrote."""
        where = f"user {self.user!r} in kubeconfig {self.kubeconfig}"
        return kind(
            f"exec plugin {self._name} {problem} ({where})" + (f": {detail}" if detail else "")
        )

    # ------------------------------------------------------------------- credentials

    def current(self) -> Credential:
        """The cached credential if still good, else a fresh one. Raises `CredentialError`."""
        seen = self._runs
        with self._lock:
            if self._runs == seen:
                cached = self._usable()
                if cached is not None:
                    return cached
                return self._fetch()
            return self._last()  # a run finished while this thread waited: share it

    def refreshed(self, refused: Credential) -> Credential:
        """The server refused `refused` (401): a credential fetched after that refusal. Threads
        refused the same credential share one run."""
        with self._lock:
            failure = self._failure
            if failure is not None and time.monotonic() - failure[0] < MIN_REUSE:
                raise failure[1]  # the refresh for another refused request just failed
            if self._credential is not None and self._credential is not refused:
                return self._credential
            return self._fetch()

    def refusal(self, body: str | None) -> str:
        """The body of a 401 for a credential fetched fresh: the server's Status with its
        message saying which plugin's credential it refused, and what the plugin wrote."""
        status = parse_status(body)
        message = (status.message if status else "") or "Unauthorized"
        fresh = self._error("gave a credential the server refuses even fresh", self.stderr)
        return json.dumps(
            {
                "kind": "Status",
                "apiVersion": "v1",
                "status": "Failure",
                "code": 401,
                "reason": (status.reason if status else "") or "Unauthorized",
                "message": f"{message}: {fresh}",
            }
        )

    def cert_files(self, cred: Credential) -> tuple[str, str]:
        """Files holding `cred`'s client certificate and key (urllib3 reads them from files
        only): private to this process's user, removed on `close`."""
        assert cred.client_certificate is not None and cred.client_key is not None
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="kite-exec-")  # mode 0700
        paths = (os.path.join(self._dir, "client.crt"), os.path.join(self._dir, "client.key"))
        for path, text in zip(paths, (cred.client_certificate, cred.client_key), strict=True):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(text)
        return paths

    def close(self) -> None:
        """Kill a run in progress and refuse new ones (the client is closed)."""
        self._closed = True
        self._processes.kill(close=True)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def _usable(self) -> Credential | None:
        failure = self._failure
        if failure is not None and time.monotonic() - failure[0] < MIN_REUSE:
            raise failure[1]
        cred = self._credential
        if cred is None:
            return None
        if cred.expires is None or time.monotonic() - cred.fetched < MIN_REUSE:
            return cred
        now = time.time()
        lifetime = max(0.0, cred.expires - (now - (time.monotonic() - cred.fetched)))
        margin = min(REFRESH_MARGIN, lifetime / 10)
        return cred if now < cred.expires - margin else None

    def _last(self) -> Credential:
        if self._failure is not None and (
            self._credential is None or self._failure[0] > self._credential.fetched
        ):
            raise self._failure[1]
        assert self._credential is not None
        return self._credential

    def _fetch(self) -> Credential:
        self._runs += 1
        try:
            cred = self._run()
        except CredentialError as exc:
            self._failure = (time.monotonic(), exc)
            raise
        self._failure = None
        self._credential = cred
        return cred

    # ------------------------------------------------------------------------ running

    def _run(self) -> Credential:
        if self._closed:
            raise self._error("was not run", "its client is closed")
        if self.interactive_mode == "Always":
            raise self._error(
                "needs a terminal (interactiveMode: Always)",
                "run `kubectl get ns` in a terminal once to log in",
            )
        spec: dict[str, Any] = {"interactive": False}
        if self._cluster_info is not None:
            spec["cluster"] = self._cluster_info
        info = {"apiVersion": self.api_version, "kind": "ExecCredential", "spec": spec}
        env = {**os.environ, **self._env, "KUBERNETES_EXEC_INFO": json.dumps(info)}
        try:
            proc = subprocess.Popen(  # noqa: S603 - the kubeconfig's own command, as kubectl
                [self.command, *self.args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,
            )
        except FileNotFoundError:
            hint = self.install_hint or "install it, or fix the command in the kubeconfig"
            raise self._error("not found", hint, PluginMissing) from None
        except OSError as exc:
            raise self._error("cannot be started", str(exc.strerror or exc)) from None
        if not self._processes.add(proc):
            proc.wait()
            raise self._error("was stopped", "its client is closed")
        PLUGINS.add(proc)
        try:
            out, err, problem = _collect(proc, self.timeout)
        finally:
            self._processes.discard(proc)
            PLUGINS.discard(proc)
            _kill_group(proc)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
        self.stderr = _tail(err)
        said = self.stderr
        if problem == "timeout":
            # Most often a login waiting for a user who cannot see it (a device code, a
            # browser): kubectl in a terminal shows it, and the plugin then caches the login.
            login = "if it waits for a login, run `kubectl get ns` in a terminal once"
            raise self._error(
                f"timed out after {self.timeout:g}s",
                f"{login}; it wrote: {said}" if said else login,
            )
        if problem == "too much":
            raise self._error(
                f"printed more than {OUTPUT_LIMIT // (1024 * 1024)} MiB", "not a credential"
            )
        code = proc.returncode
        if code is None or code < 0:
            raise self._error("was killed", said)
        if code != 0:
            raise self._error(f"failed with exit code {code}", said)
        return self._parse(out, said)

    def _parse(self, out: bytes, said: str) -> Credential:
        """The credential in the plugin's output; `said` is what it wrote on stderr."""
        try:
            doc = json.loads(out)
        except ValueError:
            what = "nothing" if not out.strip() else "something that is not JSON"
            raise self._error(f"printed {what}", said) from None
        if not isinstance(doc, dict) or doc.get("kind") != "ExecCredential":
            raise self._error("printed no ExecCredential", said)
        if doc.get("apiVersion") != self.api_version:
            raise self._error(
                f"answered apiVersion {doc.get('apiVersion')!r} "
                f"where the kubeconfig asks for {self.api_version}"
            )
        status = doc.get("status")
        if not isinstance(status, dict):
            raise self._error("printed an ExecCredential without status", said)
        token = status.get("token")
        cert, key = status.get("clientCertificateData"), status.get("clientKeyData")
        if not (isinstance(token, str) and token) and not (
            isinstance(cert, str) and cert and isinstance(key, str) and key
        ):
            raise self._error("gave neither a token nor a client certificate and key", said)
        expires = None
        stamp = status.get("expirationTimestamp")
        if stamp:
            try:
                expires = datetime.datetime.fromisoformat(str(stamp)).timestamp()
            except ValueError:
                raise self._error(
                    "gave an expirationTimestamp that is not a time", repr(stamp)
                ) from None
        return Credential(
            token=token if isinstance(token, str) and token else None,
            client_certificate=cert if isinstance(cert, str) and cert else None,
            client_key=key if isinstance(key, str) and key else None,
            expires=expires,
            fetched=time.monotonic(),
        )

    def __repr__(self) -> str:
        return f"<ExecCredentials {self._name} user={self.user!r}>"


def _collect(proc: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes, str | None]:
    """Read stdout (capped) and stderr (its tail) until both close and the process exits, or
    the deadline. Returns (stdout, stderr, None | "timeout" | "too much")."""
    deadline = time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    assert proc.stdout is not None and proc.stderr is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ, out)
        sel.register(proc.stderr, selectors.EVENT_READ, err)
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                return bytes(out), bytes(err), "timeout"
            for key, _ in sel.select(left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                buf: bytearray = key.data
                buf += chunk
                if buf is out and len(out) > OUTPUT_LIMIT:
                    return b"", bytes(err), "too much"
                if buf is err and len(err) > _STDERR_KEPT:
                    del err[:-_STDERR_KEPT]
    try:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:  # closed its output, still running
        return bytes(out), bytes(err), "timeout"
    return bytes(out), bytes(err), None


def _tail(err: bytes) -> str:
    text = " ".join(err.decode("utf-8", "replace").split())
    return text if len(text) <= _STDERR_SHOWN else "..." + text[-_STDERR_SHOWN:]


def _cluster_info(cluster: dict[str, Any], kubeconfig: Path) -> dict[str, Any]:
    """``spec.cluster`` of KUBERNETES_EXEC_INFO for ``provideClusterInfo``, as kubectl sends it:
    the cluster's connection fields (its CA as data, read from the file if need be) and the
    ``config`` of its ``client.authentication.k8s.io/exec`` extension."""
    info: dict[str, Any] = {}
    for key in ("server", "tls-server-name", "insecure-skip-tls-verify", "proxy-url"):
        if cluster.get(key) not in (None, ""):
            info[key] = cluster[key]
    ca = cluster.get("certificate-authority-data")
    if not ca and isinstance(cluster.get("certificate-authority"), str):
        ca_path = Path(cluster["certificate-authority"])
        if not ca_path.is_absolute():
            ca_path = kubeconfig.parent / ca_path
        with contextlib.suppress(OSError):
            ca = base64.b64encode(ca_path.read_bytes()).decode()
    if ca:
        info["certificate-authority-data"] = ca
    for ext in cluster.get("extensions") or []:
        if isinstance(ext, dict) and ext.get("name") == EXEC_EXTENSION:
            info["config"] = ext.get("extension")
            break
    return info
