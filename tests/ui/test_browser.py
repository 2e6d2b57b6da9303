"""The resource browser against simulators: live views, drill-down, faults, scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kite_tui.core.snapshot import Health
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.sim.tables import pod_status
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.details import DescribeScreen, YamlScreen
from kite_tui.ui.screens.logs import LogScreen
from kite_tui.ui.widgets.browser import ResourceBrowser
from tests.helpers import wait_until
from tests.ui.conftest import entry, settings, start_sim
from tests.ui.test_details import wait_until as wait_until_async


def new_pod(name: str, namespace: str = "default", labels: dict | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
        "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}], "nodeName": "node-1"},
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "main",
                    "ready": True,
                    "restartCount": 0,
                    "image": "nginx:1.27",
                    "state": {"running": {"startedAt": "2026-11-26T10:00:00Z"}},
                }
            ],
        },
    }


async def open_cluster(
    pilot: Pilot, app: KiteApp, name: str = "a", ready: Callable[[], bool] | None = None
) -> ResourceBrowser:
    await app.wait_for_snapshot(lambda s: getattr(s.get(name), "health", None) == Health.OK)
    app.switch_to_cluster(name)
    await pilot.pause()
    browser = app._views[name].browser
    assert browser is not None
    await browser.wait_for(ready or (lambda: not browser.table.loading))
    return browser


def names(browser: ResourceBrowser) -> list[str]:
    table = browser.table
    col = [c.name for c in table.columns].index("NAME")
    return [table.get_row(k).cells[col] for k in table.visible_keys()]  # type: ignore[union-attr]


async def test_pods_of_all_namespaces_with_kubectl_columns_and_live_changes(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=3, namespaces=3, pods=120, seed=7))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        table = browser.table
        assert [c.name for c in table.visible_columns] == [
            "NAMESPACE",
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
        ]
        assert table.row_count == sim.store.count("pods")

        sim.store.create(new_pod("fresh-one"))
        await browser.wait_for(lambda: "fresh-one" in names(browser))
        sim.store.delete("pods", "default", "fresh-one")
        await browser.wait_for(lambda: "fresh-one" not in names(browser))

        await pilot.press("ctrl+w")
        assert [c.name for c in table.visible_columns][-4:] == [
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ]


async def test_drill_down_and_back_keeps_cursor(cfg: Path, sims: dict[str, SimServer]) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=40, seed=3))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await pilot.press("colon", *"deploy", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "deployments" and not browser.table.loading
        )
        await pilot.press("down")
        chosen = browser.table.cursor_key
        deploy_name = browser._rows[chosen].name
        await pilot.press("enter")
        await browser.wait_for(
            lambda: browser.view.label_selector is not None and not browser.table.loading
        )
        pods = names(browser)
        assert pods and all(p.startswith(deploy_name + "-") for p in pods)
        await pilot.press("escape")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "deployments" and not browser.table.loading
        )
        assert browser.table.cursor_key == chosen

        await pilot.press("colon", *"ns", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "namespaces" and not browser.table.loading
        )
        browser.table.move_cursor_to_key(
            next(k for k, r in browser._rows.items() if r.name == "kube-system")
        )
        await pilot.press("enter")
        await browser.wait_for(
            lambda: browser.view.namespace == "kube-system" and not browser.table.loading
        )
        assert browser.namespace == "kube-system"
        assert "ns kube-system" in str(app.query_one("#bar").render())
        await pilot.press("0")
        await browser.wait_for(lambda: browser.view.namespace is None and not browser.table.loading)
        assert browser.table.row_count == sim.store.count("pods")


async def test_filter_as_you_type_and_details_screens(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=30, seed=5))
    sim.store.create(new_pod("needle-pod"))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await pilot.press("slash", *"needle")
        assert names(browser) == ["needle-pod"]
        await pilot.press("enter")  # back to the table, filter kept
        assert browser.table.has_focus
        await pilot.press("y")
        assert isinstance(app.screen, YamlScreen)
        await pilot.press("escape")
        await pilot.press("d")
        assert isinstance(app.screen, DescribeScreen)
        await pilot.press("escape")
        await pilot.press("l")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        await pilot.press("escape")
        await pilot.press("escape")  # clears the filter
        assert len(names(browser)) == sim.store.count("pods")


@pytest.mark.parametrize(
    ("pod", "container"),
    [
        ("init-crashloopbackoff", "init-config"),  # the failing init container
        ("init-0-2", "wait-for-db"),  # the init container the pod is waiting for
        ("crashloopbackoff", None),  # initialised: the app container, as kubectl
        ("sidecar", None),  # a running sidecar (an init container) is not a step
    ],
)
async def test_logs_open_on_the_container_that_explains_the_pod(
    cfg: Path, sims: dict[str, SimServer], pod: str, container: str | None
) -> None:
    scenario = Scenario(nodes=1, namespaces=1, pods=0, tricky=True, seed=4)
    sim = start_sim(sims, "a", scenario=scenario, log_interval=None)
    spec = sim.store.get("pods", "tricky", pod)
    assert spec is not None
    expected = container or spec["spec"]["containers"][0]["name"]
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await pilot.press("slash", *pod, "enter")
        await browser.wait_for(lambda: pod in names(browser))
        browser.table.move_cursor_to_index(names(browser).index(pod))
        await pilot.press("l")
        await wait_until_async(pilot, lambda: isinstance(app.screen, LogScreen))
        screen = app.screen
        assert isinstance(screen, LogScreen)
        await wait_until_async(pilot, lambda: bool(screen.view.lines))
        assert screen.container == expected
        assert f"Logs tricky/{pod} [{expected}]" in screen.status_text().plain


async def test_watch_survives_410_and_dropped_connections(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=20, seed=9))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        sim.wait_for_watches(1)
        mark = sim.mark()
        sim.expire_resource_versions()
        # 410 Gone: the feed lists again, then watches from the new resourceVersion.
        sim.wait_for_request(
            lambda r: r.path == "/api/v1/pods" and "watch" not in r.query, since=mark
        )
        sim.store.create(new_pod("after-410"))
        await browser.wait_for(lambda: "after-410" in names(browser))

        sim.drop_watches()
        sim.store.create(new_pod("while-away"))  # created while the watch was down
        await browser.wait_for(lambda: "while-away" in names(browser))
        assert browser._status.state == "ready"


async def test_forbidden_cluster_wide_shows_the_namespaces_you_may_see(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=20, seed=1))
    sim.faults.allowed_namespaces = {"default"}
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(
            pilot, app, ready=lambda: "You can list pods in" in browser_message(app)
        )
        assert "Forbidden" in browser.table.current_empty_message
        assert "default" in browser.table.current_empty_message
        sim.store.create(new_pod("mine"))
        await pilot.press("colon", *"ns default", "enter")
        await browser.wait_for(lambda: "mine" in names(browser))


def browser_message(app: KiteApp) -> str:
    view = app._views.get("a")
    browser = view.browser if view else None
    return browser.table.current_empty_message if browser else ""


async def test_leaving_a_view_stops_its_watch(
    cfg: Path, sims: dict[str, SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ResourceBrowser, "FEED_GRACE", 0.0)
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=10, seed=2))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        sim.wait_for_watches(1)
        assert browser.pool is not None
        pods_feed = browser.pool.feed(browser.view.key)
        assert pods_feed is not None and pods_feed.alive()
        await pilot.press("colon", *"svc", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "services" and not browser.table.loading
        )
        # The pods feed's threads end and its connection is shut; the services one runs.
        wait_until(lambda: not pods_feed.alive(), timeout=5)
        assert browser.pool.active() == [browser.view.key]
        assert browser.pool.idle() == []
        mark = sim.mark()
        sim.store.create(new_pod("unseen"))
        sim.store.create(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "seen", "namespace": "default"},
                "spec": {"ports": [{"port": 80}]},
            }
        )
        await browser.wait_for(lambda: "seen" in names(browser))
        # Nothing asked for pods again after we left them.
        assert not [r for r in sim.request_log if r.seq > mark and "pods" in r.path]


async def test_ten_thousand_pods_filtered_and_sorted(cfg: Path, sims: dict[str, SimServer]) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=100, namespaces=20, pods=10_000, seed=4))
    cfg.write_text(settings(timeout=10) + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app, ready=lambda: browser_rows(app) >= 10_000)
        table = browser.table
        assert table.row_count == sim.store.count("pods") >= 10_000
        await pilot.press("slash", *"CrashLoop", "enter")
        # What kubectl would print as STATUS for each pod in the store, by the sim's printer.
        crashing = [p for p in sim.store.list("pods") if "CrashLoop" in pod_status(p)]
        assert 0 < table.visible_row_count == len(crashing)
        await pilot.press("R")  # READY, the first column starting with R
        assert table.sort_column == "READY" and not table.sort_reverse
        await pilot.press("R")
        assert table.sort_column == "READY" and table.sort_reverse
        await pilot.press("R")  # on to the next R column: RESTARTS, numerically
        assert table.sort_column == "RESTARTS"
        col = [c.name for c in table.columns].index("RESTARTS")

        def restarts() -> list[int]:
            return [int(str(table.get_row(k).cells[col]).split()[0]) for k in table.visible_keys()]

        assert restarts() == sorted(restarts()) and restarts()[0] < restarts()[-1]
        await pilot.press("R")
        assert restarts() == sorted(restarts(), reverse=True)


def browser_rows(app: KiteApp) -> int:
    view = app._views.get("a")
    browser = view.browser if view else None
    return browser.table.row_count if browser else 0


async def test_enter_on_a_node_lists_its_pods(cfg: Path, sims: dict[str, SimServer]) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=3, namespaces=2, pods=60, seed=11))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await pilot.press("colon", *"no", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "nodes" and not browser.table.loading
        )
        node = browser._rows[browser.table.cursor_key].name
        await pilot.press("enter")
        await browser.wait_for(
            lambda: browser.view.field_selector is not None and not browser.table.loading
        )
        expected = sorted(
            p["metadata"]["name"]
            for p in sim.store.list("pods")
            if p["spec"].get("nodeName") == node
        )
        assert expected and sorted(names(browser)) == expected
        assert browser.view.title == f"on node {node}"


async def test_a_kubeconfig_cluster_opens_in_its_context_namespace(
    cfg: Path, tmp_path: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=3, pods=30, seed=5))
    kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="work", namespace="shop")
    cfg.write_text(
        settings() + f'[[clusters]]\nname = "a"\nkubeconfig = "{kubeconfig}"\ncontext = "work"\n'
    )
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        shop = sorted(p["metadata"]["name"] for p in sim.store.list("pods", "shop"))
        assert shop and len(shop) < sim.store.count("pods")
        assert sorted(names(browser)) == shop
        assert "NAMESPACE" not in [c.name for c in browser.table.visible_columns]
        assert "ns shop" in str(app.query_one("#bar").render())
