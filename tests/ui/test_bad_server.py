"""A server that answers with malformed Tables: an error in that view, never a dead app.

`BadTableServer` is a tiny real Kubernetes-shaped HTTP server: it answers the health probe,
discovery and a pods list whose Table has a row with too many cells, then a watch whose
MODIFIED row has too few.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kite_tui.core.snapshot import Health
from kite_tui.ui.app import KiteApp
from tests.helpers import VERSION
from tests.ui.helpers import entry, settings

COLUMNS = [
    {"name": "Name", "type": "string", "format": "name", "priority": 0},
    {"name": "Age", "type": "string", "format": "", "priority": 0},
]


def table_row(ns: str, name: str, cells: list[Any], rv: str = "1") -> dict[str, Any]:
    meta = {
        "name": name,
        "namespace": ns,
        "uid": f"uid-{ns}-{name}",
        "resourceVersion": rv,
        "creationTimestamp": "2026-01-01T00:00:00Z",
    }
    partial = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1"}
    return {"cells": cells, "object": {**partial, "metadata": meta}}


class BadTableServer:
    """Lists pods with a 3-cell row for 2 columns; its watch sends a 1-cell MODIFIED row."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.watching = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # the body ends when the connection closes

            def log_message(self, *args: object) -> None:
                pass

            def send(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path, _, query = self.path.partition("?")
                if path == "/version":
                    self.send(VERSION)
                elif path == "/api":
                    self.send({"kind": "APIVersions", "versions": ["v1"]})
                elif path == "/apis":
                    self.send({"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
                elif path == "/api/v1":
                    self.send(
                        {
                            "kind": "APIResourceList",
                            "groupVersion": "v1",
                            "resources": [
                                {
                                    "name": "pods",
                                    "singularName": "pod",
                                    "namespaced": True,
                                    "kind": "Pod",
                                    "verbs": ["get", "list", "watch"],
                                    "shortNames": ["po"],
                                }
                            ],
                        }
                    )
                elif path == "/api/v1/pods" and "watch=1" not in query:
                    self.send(
                        {
                            "kind": "Table",
                            "apiVersion": "meta.k8s.io/v1",
                            "metadata": {"resourceVersion": "10"},
                            "columnDefinitions": COLUMNS,
                            "rows": [
                                table_row("ns1", "a", ["a", "5m", "surplus"]),
                                table_row("ns1", "b", ["b", "5m"]),
                            ],
                        }
                    )
                elif path == "/api/v1/pods":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    event = {
                        "type": "MODIFIED",
                        "object": {
                            "kind": "Table",
                            "apiVersion": "meta.k8s.io/v1",
                            "metadata": {"resourceVersion": "11"},
                            "rows": [table_row("ns1", "b", ["b"], rv="11")],
                        },
                    }
                    self.wfile.write(json.dumps(event).encode() + b"\n")
                    self.wfile.flush()
                    server.watching.set()
                    server.release.wait(30)
                else:
                    self.send({"kind": "Status", "code": 404, "reason": "NotFound"}, 404)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


@pytest.fixture
def bad_server() -> Iterator[BadTableServer]:
    server = BadTableServer()
    yield server
    server.stop()


async def test_malformed_table_rows_are_an_error_in_that_view_only(
    cfg: Path, bad_server: BadTableServer
) -> None:
    cfg.write_text(settings() + entry("bad", bad_server.url))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        await app.wait_for_snapshot(lambda s: getattr(s.get("bad"), "health", None) == Health.OK)
        app.switch_to_cluster("bad")
        await pilot.pause()
        await pilot.pause()
        browser = app._views["bad"].browser
        assert browser is not None
        status = browser.query_one("#view-status")

        def row(name: str) -> tuple[Any, ...] | None:
            key = f"uid-ns1-{name}"
            found = browser.table.get_row(key)
            return found.cells if found else None

        await browser.wait_for(lambda: "2 malformed rows" in str(status.render()), 20)
        # The surplus cell is cut, the missing one is blank; the rest of each row shows.
        assert row("a") == ("ns1", "a", 1767225600.0)
        assert row("b") == ("ns1", "b", 1767225600.0)
        text = str(status.render())
        assert "pods(all)  [2]" in text
        assert "row 'ns1/b' has 1 cells for 2 columns" in text  # the latest problem
        await pilot.press("j")  # the app still answers keys
        assert browser.table.cursor_key == "uid-ns1-b"
        assert app.is_running
