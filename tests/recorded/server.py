"""A server with a real API server's discovery: `kubernetes_1_31.json` served over HTTP.

`RecordedDiscoveryServer` answers discovery as kube-apiserver does: aggregated discovery
(``apidiscovery.k8s.io/v2``, or ``v2beta1``) on ``/api`` and ``/apis`` when the Accept
header asks for it, else the legacy ``APIVersions`` / ``APIGroupList``; ``/apis/G`` and the
``APIResourceList`` of every served group-version; an empty list for any collection of a
kind that can be listed (enough for ``kubectl get``), 405 for one that cannot. Each request
is recorded (`requests`), so a test can see which URL kubectl listed.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).with_name("kubernetes_1_31.json")
_V2_TYPES = {
    "v2": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    "v2beta1": "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
}


@dataclass(frozen=True)
class Resource:
    group: str
    version: str
    plural: str
    singular: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...]
    verbs: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


def load(path: Path = FIXTURE) -> list[tuple[str, list[tuple[str, list[Resource]]]]]:
    """[(group, [(version, [Resource...]), ...]), ...] in the server's order."""
    doc = json.loads(path.read_text())
    every = tuple(doc["all_verbs"])
    out = []
    for g in doc["groups"]:
        versions = []
        for v in g["versions"]:
            rows = [
                Resource(
                    g["name"], v["version"], plural, singular, kind, scope == "N",
                    tuple(short), every if verbs == "*" else tuple(verbs), tuple(cats),
                )
                for plural, singular, kind, scope, short, verbs, cats in v["resources"]
            ]  # fmt: skip
            versions.append((v["version"], rows))
        out.append((g["name"], versions))
    return out


def _resource_list(gv: str, rows: list[Resource]) -> dict[str, Any]:
    resources = []
    for r in rows:
        item: dict[str, Any] = {
            "name": r.plural,
            "singularName": r.singular,
            "namespaced": r.namespaced,
            "kind": r.kind,
            "verbs": list(r.verbs),
        }
        if r.short_names:
            item["shortNames"] = list(r.short_names)
        if r.categories:
            item["categories"] = list(r.categories)
        resources.append(item)
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv,
        "resources": resources,
    }


def _v2_group(name: str, versions: list[tuple[str, list[Resource]]]) -> dict[str, Any]:
    out = []
    for version, rows in versions:
        resources = []
        for r in rows:
            item: dict[str, Any] = {
                "resource": r.plural,
                "responseKind": {"group": "", "version": "", "kind": r.kind},
                "scope": "Namespaced" if r.namespaced else "Cluster",
                "singularResource": r.singular,
                "verbs": list(r.verbs),
            }
            if r.short_names:
                item["shortNames"] = list(r.short_names)
            if r.categories:
                item["categories"] = list(r.categories)
            resources.append(item)
        out.append({"version": version, "resources": resources, "freshness": "Current"})
    return {"metadata": {"name": name}, "versions": out}


def _group(name: str, versions: list[tuple[str, list[Resource]]]) -> dict[str, Any]:
    gvs = [{"groupVersion": f"{name}/{v}", "version": v} for v, _ in versions]
    return {"name": name, "versions": gvs, "preferredVersion": gvs[0]}


class RecordedDiscoveryServer:
    """Serves the recorded discovery on 127.0.0.1 (plain HTTP); use as a context manager."""

    def __init__(self, path: Path = FIXTURE, *, aggregated: bool = True) -> None:
        self.groups = load(path)
        self.aggregated = aggregated  # False: an older server, legacy discovery only
        self.requests: list[tuple[str, str]] = []  # (path, Accept)
        self._lock = threading.Lock()
        self._bodies: dict[str, tuple[int, bytes, str]] = {}
        self._build()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                accept = self.headers.get("Accept") or ""
                with server._lock:
                    server.requests.append((self.path, accept))
                code, body, ctype = server.answer(self.path.partition("?")[0], accept)
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> RecordedDiscoveryServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def mark(self) -> int:
        with self._lock:
            return len(self.requests)

    def since(self, mark: int) -> list[tuple[str, str]]:
        with self._lock:
            return self.requests[mark:]

    def write_kubeconfig(self, path: Path) -> Path:
        path.write_text(
            json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [{"name": "recorded", "cluster": {"server": self.url}}],
                    "users": [{"name": "u", "user": {}}],
                    "contexts": [
                        {
                            "name": "recorded",
                            "context": {"cluster": "recorded", "user": "u", "namespace": "default"},
                        }
                    ],
                    "current-context": "recorded",
                }
            )
        )
        return path

    # ------------------------------------------------------------------ answers
    def _json(self, path: str, doc: dict[str, Any], ctype: str = "application/json") -> None:
        self._bodies[path] = (200, json.dumps(doc).encode(), ctype)

    def _build(self) -> None:
        core = [versions for name, versions in self.groups if name == ""][0]
        others = [(name, versions) for name, versions in self.groups if name]
        self._json("/version", {"major": "1", "minor": "31", "gitVersion": "v1.31.0"})
        self._json("/api", {"kind": "APIVersions", "versions": [v for v, _ in core]})
        self._json(
            "/apis",
            {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(*g) for g in others]},
        )
        for version, rows in core:
            self._json(f"/api/{version}", _resource_list(version, rows))
        for name, versions in others:
            self._json(
                f"/apis/{name}", {"kind": "APIGroup", "apiVersion": "v1", **_group(name, versions)}
            )
            for version, rows in versions:
                self._json(f"/apis/{name}/{version}", _resource_list(f"{name}/{version}", rows))
        self._v2 = {
            "/api": [_v2_group("", core)],
            "/apis": [_v2_group(name, versions) for name, versions in others],
        }
        self._collections: dict[str, Resource] = {}
        for _, versions in self.groups:
            for _, rows in versions:
                for r in rows:
                    base = f"/apis/{r.group_version}" if r.group else f"/api/{r.version}"
                    self._collections[f"{base}/{r.plural}"] = r

    def answer(self, path: str, accept: str) -> tuple[int, bytes, str]:
        path = path.rstrip("/") or "/"
        if path in self._v2 and self.aggregated:
            for version, ctype in _V2_TYPES.items():
                if ctype in accept.replace(" ", ""):
                    doc = {
                        "kind": "APIGroupDiscoveryList",
                        "apiVersion": f"apidiscovery.k8s.io/{version}",
                        "metadata": {},
                        "items": self._v2[path],
                    }
                    return 200, json.dumps(doc).encode(), ctype
        if path in self._bodies:
            return self._bodies[path]
        resource = self._collection(path)
        if resource is None:
            return _status(404, "the server could not find the requested resource", "NotFound")
        if "list" not in resource.verbs:
            return _status(
                405,
                "the server does not allow this method on the requested resource",
                "MethodNotAllowed",
            )
        doc = {
            "kind": f"{resource.kind}List",
            "apiVersion": resource.group_version,
            "metadata": {"resourceVersion": "1"},
            "items": [],
        }
        return 200, json.dumps(doc).encode(), "application/json"

    def is_collection(self, path: str) -> bool:
        """Whether ``path`` is a collection this server lists (not a discovery document)."""
        return self._collection(path) is not None

    def _collection(self, path: str) -> Resource | None:
        parts = path.strip("/").split("/")
        # /api/v1/namespaces/NS/pods, /apis/G/V/namespaces/NS/deployments
        head = 2 if parts[0] == "api" else 3
        if len(parts) == head + 3 and parts[head] == "namespaces":
            found = self._collections.get("/" + "/".join(parts[:head] + parts[head + 2 :]))
            return found if found is not None and found.namespaced else None
        return self._collections.get(path)


def _status(code: int, message: str, reason: str) -> tuple[int, bytes, str]:
    doc = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    return code, json.dumps(doc).encode(), "application/json"
