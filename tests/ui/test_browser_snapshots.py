"""Snapshot tests of the resource browser, fed by a real simulator over a socket.

The objects carry fixed creation times and the app a fixed clock, so every AGE is stable;
no pod has restarts (the server renders "N (Xm ago)" against its own clock).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from kite_tui.core.snapshot import Health
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from tests.ui.helpers import entry, settings, start_sim

NOW = 1_800_000_000.0


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pod(name: str, ns: str, age_s: float, state: str, ready: bool, node: str) -> dict:
    waiting = {"reason": state} if state not in ("Running",) else None
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": ns,
            "creationTimestamp": iso(NOW - age_s),
            "labels": {"app": name.rsplit("-", 1)[0]},
        },
        "spec": {"nodeName": node, "containers": [{"name": "main", "image": "nginx:1.27"}]},
        "status": {
            "phase": "Running" if state == "Running" else "Pending",
            "podIP": "10.244.0.7",
            "containerStatuses": [
                {
                    "name": "main",
                    "image": "nginx:1.27",
                    "ready": ready,
                    "restartCount": 0,
                    "state": {"waiting": waiting}
                    if waiting
                    else {"running": {"startedAt": iso(NOW - age_s)}},
                }
            ],
        },
    }


OBJECTS = [
    {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": ns, "creationTimestamp": iso(NOW - 86400 * 30)},
    }
    for ns in ("shop", "payments")
] + [
    pod("web-7d9f8-abcde", "shop", 3 * 86400, "Running", True, "node-1"),
    pod("web-7d9f8-fghij", "shop", 3 * 86400, "Running", True, "node-2"),
    pod("cart-5c6b7-klmno", "shop", 7200, "ImagePullBackOff", False, "node-1"),
    pod("api-66d4f-pqrst", "payments", 300, "ContainerCreating", False, "node-2"),
    pod("api-66d4f-uvwxy", "payments", 45, "Running", True, "node-3"),
]


def test_pods_view_against_a_simulator(snap_compare, tmp_path: Path) -> None:
    sims: dict[str, SimServer] = {}
    sim = start_sim(sims, "a", objects=OBJECTS)
    cfg = tmp_path / "config.toml"
    cfg.write_text(settings() + entry("a", sim, default=True, namespace="shop"))

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, KiteApp)
        await app.wait_for_snapshot(lambda s: getattr(s.get("a"), "health", None) == Health.OK)
        await pilot.pause()
        browser = app._views["a"].browser
        assert browser is not None
        await browser.wait_for(lambda: not browser.table.loading)
        await pilot.press("0")  # all namespaces
        await browser.wait_for(
            lambda: (
                browser.view.namespace is None
                and not browser.table.loading
                and browser._status.state == "ready"
            )
        )
        await pilot.pause()

    try:
        app = KiteApp(cfg, clock=lambda: NOW)
        assert snap_compare(app, terminal_size=(110, 16), run_before=run_before)
    finally:
        for s in sims.values():
            s.stop()
