"""SimServer: one simulated Kubernetes cluster on 127.0.0.1, ready for clients.

It ties together the store (and its scenario), the HTTP listener (optionally TLS with
a generated CA), bearer-token auth, the faults, churn, logs and the test helpers
(request log with :meth:`SimServer.wait_for_request`, open watch count)::

    with SimServer(scenario=Scenario(pods=50), token="t0k", tls=True) as sim:
        path = sim.write_kubeconfig(tmp_path / "kubeconfig")
        ...
        sim.faults.latency = 1.5
"""

from __future__ import annotations

import base64
import os
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from kite_tui.sim import crds
from kite_tui.sim.api import ApiContext
from kite_tui.sim.churn import Churner
from kite_tui.sim.discovery import Discovery
from kite_tui.sim.faults import Faults
from kite_tui.sim.http import Handler, Listener, RequestRecord
from kite_tui.sim.logs import LogHub
from kite_tui.sim.scenario import Scenario, base_objects, load_objects
from kite_tui.sim.store import ObjectStore


class SimServer:
    """A simulated cluster. ``start()`` (or ``with``) listens; ``stop()`` tears down.

    ``scenario`` populates the store (None: just the system namespaces and one
    node); ``objects`` are YAML/JSON files (or already-parsed dicts) loaded on top;
    ``churn`` is pod changes per second. ``history_limit`` bounds the watch history,
    ``bookmark_interval`` is the seconds between BOOKMARK events for watches that
    allow them, ``log_interval`` the seconds between lines a followed container writes
    (None: only :meth:`write_log` lines).
    """

    def __init__(
        self,
        *,
        port: int = 0,
        tls: bool = False,
        token: str | None = None,
        scenario: Scenario | None = None,
        objects: Iterable[str | os.PathLike | dict] = (),
        churn: float = 0.0,
        seed: int = 0,
        name: str = "sim",
        history_limit: int = 5000,
        bookmark_interval: float = 5.0,
        log_interval: float | None = 0.2,
        host: str = "127.0.0.1",
    ) -> None:
        self.name = name
        self.host = host
        # The bearer tokens requests must carry (None: no auth); `accept_tokens` changes them.
        self._accepted: frozenset[str] | None = None
        self.token = token
        self.tls = tls
        self.seed = seed
        self.bookmark_interval = bookmark_interval
        self._requested_port = port
        self._scenario = scenario
        self._objects = list(objects)
        self._churn_rate = churn
        self.store = crds.install(ObjectStore(history_limit=history_limit))
        self.logs = LogHub(self.store, interval=log_interval)
        self.faults = Faults(on_change=self._fault_changed)
        self.ca_pem: bytes | None = None
        self._ssl: ssl.SSLContext | None = None
        self._listener: Listener | None = None
        self._stopping = threading.Event()
        self._state = threading.Condition()
        self._log: deque[RequestRecord] = deque(maxlen=20000)
        self._seq = 0
        self._open_watches = 0
        self._churner: Churner | None = None
        self._started = False
        self._stopped = False
        self._clear_timer: threading.Timer | None = None
        self.skipped_objects: list[str] = []  # "Kind/name" of loaded objects not served
        self._api: ApiContext  # set in start()

    # ------------------------------------------------------------ lifecycle
    def start(self) -> SimServer:
        """Populate the store, listen, and return self once connections are accepted."""
        if self._started:
            return self
        self._started = True
        self._populate(self._scenario, self._objects)
        if self.tls:
            self._setup_tls()
        self._listener = Listener(self.host, self._requested_port, self._serve_conn)
        self._api = ApiContext(
            store=self.store,
            faults=self.faults,
            logs=self.logs,
            discovery=Discovery(f"{self.host}:{self._listener.port}", self.store.registry),
            stop=self._stopping,
            bookmark_interval=lambda: self.bookmark_interval,
            on_watch=self._watch_delta,
        )
        self._listener.start()
        if self.faults.refuse:  # switched on before start()
            self._listener.set_open(False)
        if self._churn_rate > 0:
            self._churner = Churner(self.store, self._churn_rate, seed=self.seed)
            self._churner.start()
        return self

    def _populate(self, scenario: Scenario | None, objects: list[str | os.PathLike | dict]) -> None:
        now = time.time()
        if scenario is not None:
            scenario.populate(self.store, now=now)
        else:
            self.store.load(base_objects(now))
        for item in objects:
            self.store.load(
                [item] if isinstance(item, dict) else load_objects(item),
                skipped=self.skipped_objects,
            )
        if objects:
            self.store.ensure_namespaces()

    def stop(self) -> None:
        """Close everything and join the server's threads (idempotent)."""
        if self._stopped or not self._started:
            self._stopped = True
            return
        self._stopped = True
        self._stopping.set()
        if self._clear_timer is not None:
            self._clear_timer.cancel()
        if self._churner is not None:
            self._churner.stop()
        self.faults.wake()
        self.logs.wake_all()
        self.store.close_watches("stop")
        if self._listener is not None:
            self._listener.stop()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _setup_tls(self) -> None:
        import trustme

        ca = trustme.CA(organization_name="kite-tui simulator")
        cert = ca.issue_cert("127.0.0.1", "localhost", common_name=self.name)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(ctx)
        ctx.set_alpn_protocols(["http/1.1"])
        self._ssl = ctx
        self.ca_pem = ca.cert_pem.bytes()

    def _serve_conn(self, slot: list, addr: tuple) -> None:
        if self._ssl is not None:
            raw = slot[0]
            tls = self._ssl.wrap_socket(raw, server_side=True, do_handshake_on_connect=False)
            slot[0] = tls
            tls.settimeout(10)
            tls.do_handshake()
            tls.settimeout(None)
        Handler(slot[0], addr, self)

    # ------------------------------------------------------------ addresses
    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the simulator is not started")
        return self._listener.port

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def kubeconfig(self, *, context: str | None = None, namespace: str | None = None) -> dict:
        """A complete kubeconfig dict for this cluster."""
        context = context or self.name
        cluster: dict[str, Any] = {"server": self.url}
        if self.ca_pem is not None:
            cluster["certificate-authority-data"] = base64.b64encode(self.ca_pem).decode()
        user: dict[str, Any] = {"token": self.token} if self.token is not None else {}
        ctx: dict[str, Any] = {"cluster": context, "user": f"{context}-user"}
        if namespace:
            ctx["namespace"] = namespace
        return {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": context, "cluster": cluster}],
            "users": [{"name": f"{context}-user", "user": user}],
            "contexts": [{"name": context, "context": ctx}],
            "current-context": context,
            "preferences": {},
        }

    def write_kubeconfig(
        self, path: str | os.PathLike, *, context: str | None = None, namespace: str | None = None
    ) -> Path:
        """Write :meth:`kubeconfig` to ``path`` (mode 0600) and return the path."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(
            self.kubeconfig(context=context, namespace=namespace), sort_keys=False
        )
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(p, 0o600)
        return p

    # ----------------------------------------------------------------- auth
    @property
    def token(self) -> str | None:
        """The token `kubeconfig` gives; setting it makes it the only one accepted."""
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        self._accepted = None if value is None else frozenset({value})

    def accept_tokens(self, *tokens: str) -> None:
        """From now on accept exactly these bearer tokens (none: refuse every request), as a
        real server does when credentials rotate or are revoked. Watches already open go on."""
        self._accepted = frozenset(tokens)

    def authorized(self, authorization: str) -> bool:
        """Whether a request with this ``Authorization`` header gets in."""
        accepted = self._accepted
        if accepted is None:
            return True
        scheme, _, token = authorization.partition(" ")
        return scheme == "Bearer" and token in accepted

    # --------------------------------------------------------------- faults
    def _fault_changed(self, name: str) -> None:
        if name == "refuse" and self._listener is not None and not self._stopping.is_set():
            if self.faults.refuse:
                self._listener.set_open(False)
                self.store.close_watches("drop")
                self._listener.cut_connections()
            else:
                self._listener.set_open(True)

    def set_faults(self, changes: dict) -> dict:
        """Apply control-endpoint style changes; ``clear_after`` (seconds) schedules a
        reset of every fault, which is the way back from ``refuse`` over HTTP."""
        self.faults.update(changes)
        after = changes.get("clear_after")
        if after:
            if self._clear_timer is not None:
                self._clear_timer.cancel()
            self._clear_timer = threading.Timer(float(after), self.faults.clear)
            self._clear_timer.daemon = True
            self._clear_timer.start()
        return self.faults.to_dict()

    def drop_watches(self, *, graceful: bool = False) -> int:
        """Cut every open watch stream (or end them cleanly); returns how many."""
        return self.store.close_watches("end" if graceful else "drop")

    def expire_resource_versions(self) -> int:
        """Every open watch gets a 410 ERROR event; older resourceVersions are gone."""
        return self.store.expire_resource_versions()

    def send_bookmarks(self) -> None:
        """Send a BOOKMARK now to every watch that allows them."""
        self.store.send_bookmarks()

    def restart(
        self,
        scenario: Scenario | None = None,
        objects: Iterable[str | os.PathLike | dict] = (),
    ) -> None:
        """Drop every connection (watches too) and listen again on the same port: what a
        client sees when the API server restarts. The store is kept, unless a fresh
        ``scenario`` (and/or ``objects``) is given: then it is emptied and filled anew with
        resourceVersions starting over, as a cluster rebuilt behind the same address (or
        restored from another etcd) would be."""
        if self._listener is None:
            return
        self._listener.set_open(False)
        self.store.close_watches("drop")
        self._listener.cut_connections()
        objects = list(objects)
        if scenario is not None or objects:
            self.store.wipe()
            self._populate(scenario, objects)
        self._listener.set_open(not self.faults.refuse)

    # ------------------------------------------------------------- helpers
    def write_log(
        self, namespace: str, pod: str, text: str, *, container: str | None = None
    ) -> None:
        """Make a container "write" a log line (followers see it at once)."""
        self.logs.write(namespace, pod, container, text)

    def info(self) -> dict:
        return {
            "name": self.name,
            "url": self.url,
            "tls": self.tls,
            "resourceVersion": self.store.resource_version,
            "openWatches": self.open_watches,
            "pods": self.store.count("pods"),
            "faults": self.faults.to_dict(),
        }

    # ------------------------------------------------------- request records
    def _record(self, method: str, path: str, query: dict, headers: dict) -> RequestRecord:
        with self._state:
            self._seq += 1
            rec = RequestRecord(self._seq, method, path, query, headers)
            self._log.append(rec)
            self._state.notify_all()
            return rec

    @property
    def request_log(self) -> list[RequestRecord]:
        """A snapshot of the recent requests (oldest first)."""
        with self._state:
            return list(self._log)

    def mark(self) -> int:
        """The sequence number of the latest request; pass it as ``since``."""
        with self._state:
            return self._seq

    def wait_for_request(
        self, predicate: Callable[[RequestRecord], bool], timeout: float = 20.0, *, since: int = 0
    ) -> RequestRecord:
        """Wait for (or find) a request with seq > ``since`` matching ``predicate``.

        Raises TimeoutError when none arrives in time.
        """
        deadline = time.monotonic() + timeout
        checked = since
        with self._state:
            while True:
                for rec in self._log:
                    if rec.seq > checked and predicate(rec):
                        return rec
                if self._log:
                    checked = max(checked, self._log[-1].seq)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching request arrived within {timeout}s")
                self._state.wait(remaining)

    def _watch_delta(self, delta: int) -> None:
        with self._state:
            self._open_watches += delta
            self._state.notify_all()

    @property
    def connections_accepted(self) -> int:
        """How many TCP connections the server has accepted (keep-alive reuses them)."""
        return self._listener.accepted if self._listener is not None else 0

    @property
    def open_watches(self) -> int:
        """How many watch streams are open right now."""
        return self._open_watches

    def wait_for_watches(self, count: int, timeout: float = 20.0) -> None:
        """Wait until exactly ``count`` watch streams are open (TimeoutError if not)."""
        with self._state:
            if not self._state.wait_for(lambda: self._open_watches == count, timeout):
                raise TimeoutError(f"{self._open_watches} watches open, wanted {count}")
