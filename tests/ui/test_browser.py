"""The resource browser against simulators: live views, drill-down, faults, scale."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets._footer import FooterKey

import kite_tui.ui.widgets.browser as browser_module
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.sim.tables import pod_status
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.details import DescribeScreen, YamlScreen
from kite_tui.ui.screens.logs import LogScreen
from kite_tui.ui.widgets.browser import ResourceBrowser
from tests.helpers import wait_until
from tests.ui.helpers import bar_text, entry, notifications, open_cluster, settings, start_sim
from tests.ui.helpers import wait_until as wait_until_async


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
            pilot, app, ready=lambda _: "You can list pods in" in browser_message(app)
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
        browser = await open_cluster(pilot, app, ready=lambda _: browser_rows(app) >= 10_000)
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


# ------------------------------------------------------------------ what a view shows


def header(browser: ResourceBrowser) -> list[str]:
    """The column names as the table's header line paints them."""
    return re.split(r"\s{2,}", browser.table.render_line(0).text.strip().replace("↑", ""))


def status_text(browser: ResourceBrowser) -> str:
    return str(browser.query_one("#view-status").render())


def natural(value: str | tuple[str, ...]) -> tuple:
    """kubectl-like natural order: "pod-2" before "pod-10"."""
    parts = (value,) if isinstance(value, str) else value
    return tuple(tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s)) for s in parts)


async def test_a_view_shows_its_own_columns_before_its_first_table(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=20, seed=3))
    cfg.write_text(settings(timeout=10) + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        sim.faults.latency = 2.0  # the deployments' list takes a while to come
        await pilot.press("colon", *"deploy", "enter")
        await pilot.pause()
        assert browser.table.loading
        deploy_columns = ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
        assert header(browser) == deploy_columns
        sim.faults.latency = 0.0
        await browser.wait_for(lambda: not browser.table.loading, timeout=20)
        assert header(browser) == deploy_columns  # the server's Table agrees with the catalog

        sim.faults.allowed_namespaces = {"default"}
        await pilot.press("colon", *"cm", "enter")
        await browser.wait_for(lambda: browser._status.state == "forbidden", timeout=20)
        await pilot.pause()
        assert header(browser) == ["NAMESPACE", "NAME", "DATA", "AGE"]
        assert "Forbidden" in browser.table.current_empty_message


async def test_header_and_view_agree_on_the_namespace(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=3, pods=30, seed=3))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await pilot.press("colon", *"deploy", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "deployments" and not browser.table.loading
        )
        deploy_ns = browser._rows[browser.table.cursor_key].namespace
        await pilot.press("enter")
        await browser.wait_for(
            lambda: browser.view.label_selector is not None and not browser.table.loading
        )
        assert status_text(browser).startswith(f"pods({deploy_ns})")
        assert f"ns {deploy_ns}" in bar_text(app)
        await pilot.press("escape")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "deployments" and not browser.table.loading
        )
        assert status_text(browser).startswith("deployments.apps(all)")
        assert "ns all" in bar_text(app)

        await pilot.press("colon", *"ns", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "namespaces" and not browser.table.loading
        )
        browser.table.move_cursor_to_key(
            next(k for k, r in browser._rows.items() if r.name == "kube-public")
        )
        await pilot.press("enter")
        await browser.wait_for(
            lambda: browser.view.namespace == "kube-public" and not browser.table.loading
        )
        assert status_text(browser).startswith("pods(kube-public)")
        assert "ns kube-public" in bar_text(app)
        await pilot.press("escape", "escape")  # back to namespaces, back to deployments
        await browser.wait_for(
            lambda: browser.view.kind.plural == "deployments" and not browser.table.loading
        )
        assert status_text(browser).startswith("deployments.apps(all)")
        assert "ns all" in bar_text(app)
        await pilot.press("escape")  # back to where we started: pods of all namespaces
        await browser.wait_for(
            lambda: browser.view.kind.plural == "pods" and not browser.table.loading
        )
        assert status_text(browser).startswith("pods(all)")
        assert "ns all" in bar_text(app)


def restarted_pod(name: str, restarts: int, finished: float) -> dict:
    doc = new_pod(name)
    status = doc["status"]["containerStatuses"][0]
    status["restartCount"] = restarts
    status["lastState"] = {
        "terminated": {
            "exitCode": 1,
            "reason": "Error",
            "finishedAt": datetime.fromtimestamp(finished, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    }
    return doc


def cell_text(browser: ResourceBrowser, name: str, column: str) -> str:
    """What the screen shows in `column` on the row of the object called `name`."""
    table = browser.table
    names = [c.name for c in table.visible_columns]
    keys = table.visible_keys()
    index = next(i for i, k in enumerate(keys) if browser._rows[k].name == name)
    table.move_cursor_to_index(index)  # on screen, so it is painted
    line = table.render_line(index - table.scroll_offset.y + 1).text
    return re.split(r"\s{2,}", line.strip())[names.index(column)]


async def test_restarts_ago_ticks_like_age(cfg: Path, sims: dict[str, SimServer]) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=3, seed=3))
    sim.store.create(restarted_pod("crashy", 5, time.time() - 317))
    cfg.write_text(settings() + entry("a", sim, namespace="default"))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        first = cell_text(browser, "crashy", "RESTARTS")
        assert re.fullmatch(r"5 \(5m\d+s ago\)", first), first
        mark = sim.mark()
        await wait_until_async(
            pilot, lambda: cell_text(browser, "crashy", "RESTARTS") != first, timeout=10.0
        )
        later = cell_text(browser, "crashy", "RESTARTS")
        assert re.fullmatch(r"5 \(5m\d\ds ago\)", later) and later > first
        # It ticked on its own: no list came back with a new rendering (a quiet watch may be
        # renewed meanwhile; resumed from its resourceVersion, it brings no rows).
        lists = [r for r in sim.request_log if r.seq > mark and "pods" in r.path]
        assert not [r for r in lists if "watch" not in r.query]


async def test_default_order_is_namespace_then_name_as_rows_arrive(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=3, pods=40, seed=8))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        table = browser.table

        def order() -> list[tuple[str, str]]:
            rows = [browser._rows[k] for k in table.visible_keys()]
            return [(r.namespace, r.name) for r in rows]

        assert order() == sorted(order(), key=natural)
        for name in ("aaa-first", "mmm-middle", "zzz-last"):
            sim.store.create(new_pod(name, "default"))
        sim.store.create(new_pod("aaa-first", "kube-system"))
        await browser.wait_for(lambda: len([n for _, n in order() if n == "aaa-first"]) == 2)
        await browser.wait_for(lambda: "zzz-last" in names(browser))
        assert order() == sorted(order(), key=natural)
        assert table.sort_column is None

        table.sort_by("NAMESPACE")
        assert order() == sorted(order(), key=natural)  # ties broken by name
        sim.store.create(new_pod("aab-second", "default"))
        await browser.wait_for(lambda: "aab-second" in names(browser))
        assert order() == sorted(order(), key=natural)

        table.sort_by("STATUS")
        statuses = [table.get_row(k).cells[3] for k in table.visible_keys()]  # type: ignore[union-attr]
        groups: dict[str, list[tuple[str, str]]] = {}
        for status, pair in zip(statuses, order(), strict=True):
            groups.setdefault(status, []).append(pair)
        assert all(pairs == sorted(pairs, key=natural) for pairs in groups.values())


async def test_shift_n_sorts_by_name_first(cfg: Path, sims: dict[str, SimServer]) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=20, seed=2))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(200, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        assert header(browser)[:2] == ["NAMESPACE", "NAME"]
        await pilot.press("N")
        assert browser.table.sort_column == "NAME"
        assert names(browser) == sorted(names(browser), key=natural)


async def test_events_open_newest_first_by_last_seen(cfg: Path, sims: dict[str, SimServer]) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=2, pods=60, seed=2))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(200, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        browser.table.sort_by("NAME")
        await pilot.press("colon", *"ev", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "events" and not browser.table.loading
        )
        table = browser.table
        assert table.sort_column == "LAST SEEN" and not table.sort_reverse
        assert len(table.visible_keys()) > 3
        events = {
            (e["metadata"]["namespace"], e["metadata"]["name"]): e for e in sim.store.list("events")
        }

        def last_seen(key: str) -> str:
            row = browser._rows[key]
            return events[(row.namespace, row.name)]["lastTimestamp"]

        seen = [last_seen(k) for k in table.visible_keys()]
        assert seen == sorted(seen, reverse=True)  # newest first
        await pilot.press("escape")  # back to pods: their own default order
        await browser.wait_for(
            lambda: browser.view.kind.plural == "pods" and not browser.table.loading
        )
        assert browser.table.sort_column == "NAME"  # as the user left it


def footer(app: KiteApp) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


async def test_footer_shows_only_the_keys_that_work_on_the_view(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=5, seed=2))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(200, 30)) as pilot:
        browser = await open_cluster(pilot, app)
        await pilot.pause()
        assert "Logs" in footer(app) and "Secret" not in footer(app)
        # Events do not rebuild it: rebuilt on each feed batch, Textual piled up a watcher
        # per footer key ever made, every batch cost more than the last and a busy view fell
        # seconds behind.
        keys = set(app.screen.query(FooterKey))
        for i in range(5):
            sim.store.create(new_pod(f"extra-{i}"))
            await browser.wait_for(lambda i=i: f"extra-{i}" in names(browser))
            await pilot.pause()
        assert set(app.screen.query(FooterKey)) == keys  # the same key widgets
        for word, logs, secret in (("secrets", False, True), ("cm", False, False)):
            await pilot.press("colon", *word, "enter")
            await browser.wait_for(lambda: not browser.table.loading)
            await pilot.pause()
            assert ("Logs" in footer(app), "Secret" in footer(app)) == (logs, secret), word
            assert "Describe" in footer(app)


async def test_a_long_drill_down_breadcrumb_is_shortened_whole_requirements_first(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=2, seed=2))
    labels = {
        "app.kubernetes.io/name": "checkout-frontend",
        "app.kubernetes.io/instance": "checkout-frontend-production",
        "app.kubernetes.io/component": "web",
    }
    sim.store.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "checkout-frontend-production", "namespace": "default"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]},
                },
            },
        }
    )
    sim.store.create(new_pod("checkout-frontend-production-abc12", labels=labels))
    cfg.write_text(settings() + entry("a", sim, namespace="default"))
    app = KiteApp(cfg)
    async with app.run_test(size=(80, 24)) as pilot:
        browser = await open_cluster(pilot, app)
        await pilot.press("colon", *"deploy", "enter")
        await browser.wait_for(
            lambda: browser.view.kind.plural == "deployments" and not browser.table.loading
        )
        browser.table.move_cursor_to_key(
            next(k for k, r in browser._rows.items() if r.name == "checkout-frontend-production")
        )
        await pilot.press("enter")
        await browser.wait_for(
            lambda: browser.view.label_selector is not None and not browser.table.loading
        )
        await pilot.pause()
        status = browser.query_one("#view-status")
        line = status.render_lines(Region(0, 0, status.outer_size.width, 1))[0].text.strip()
        assert line.startswith("pods(default)  [1]  ● live")
        assert len(line) <= status.size.width
        assert "…" in line and " -l " in line
        shown = line.split(" -l ", 1)[1]
        requirements = browser.view.label_selector.split(",")
        assert shown.endswith("…")
        kept = shown.removesuffix("…").removesuffix(",").split(",")
        kept = [r for r in kept if r]
        assert kept == requirements[: len(kept)]  # whole requirements, never a cut one


async def test_a_kind_that_cannot_be_watched_is_polled_and_says_so(
    cfg: Path, sims: dict[str, SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # metrics.k8s.io, like componentstatuses, serves list but not watch: its view lists
    # again every few seconds, and says it polls rather than "● live".
    quick = replace(browser_module.FEED_OPTIONS, poll_interval=0.2)
    monkeypatch.setattr(browser_module, "FEED_OPTIONS", quick)
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=1, pods=3, seed=1))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        browser = await open_cluster(pilot, app)
        await wait_until_async(
            pilot, lambda: browser.catalog.resolve("nodes.metrics.k8s.io") is not None, 20
        )
        mark = sim.mark()
        await pilot.press("colon", *"nodes.metrics.k8s.io", "enter")
        await browser.wait_for(lambda: names(browser) == ["node-1", "node-2"], timeout=20)
        status = str(browser.query_one("#view-status").render())
        assert "● polled every 0.2s" in status and "live" not in status, status
        ready = sim.store.list("nodes")[0]["status"]["conditions"]
        sim.store.create(
            {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-3"},
             "status": {"conditions": ready}}
        )  # fmt: skip
        await browser.wait_for(lambda: "node-3" in names(browser), timeout=20)
        asked = [r for r in sim.request_log if r.seq > mark and "metrics.k8s.io" in r.path]
        assert len(asked) >= 2 and not any(r.is_watch for r in asked)


async def test_a_kind_the_server_does_not_have_is_said_once_naming_the_cluster(
    cfg: Path, sims: dict[str, SimServer]
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=3, seed=1))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        browser = await open_cluster(pilot, app)
        await wait_until_async(
            pilot, lambda: browser.catalog.resolve("nodes.metrics.k8s.io") is not None, 20
        )
        mark = sim.mark()
        # `vac` (volumeattributesclasses): neither the simulator nor the built-in list has it.
        await pilot.press("colon", *"vac", "enter")
        # The catalog is asked again (a CRD may have been created since), then it is said.
        await wait_until_async(pilot, lambda: any("'vac'" in n for n in notifications(app)), 20)
        await pilot.pause()
        said = [n for n in notifications(app) if "'vac'" in n]
        assert said == ["Cluster a does not serve a resource type 'vac'"]
        assert browser.view is not None and browser.view.kind.plural == "pods"
        assert not [
            r for r in sim.request_log if r.seq > mark and "volumeattributesclasses" in r.path
        ]


async def test_componentstatuses_are_polled_with_kubectls_columns(
    cfg: Path, sims: dict[str, SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # componentstatuses serves get and list but not watch: `:cs` lists the control plane's
    # components with kubectl's columns and says it polls.
    quick = replace(browser_module.FEED_OPTIONS, poll_interval=0.2)
    monkeypatch.setattr(browser_module, "FEED_OPTIONS", quick)
    sim = start_sim(sims, "a", scenario=Scenario(nodes=1, namespaces=1, pods=3, seed=1))
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 30)) as pilot:
        browser = await open_cluster(pilot, app)
        await wait_until_async(pilot, lambda: browser.catalog.resolve("cs") is not None, 20)
        mark = sim.mark()
        await pilot.press("colon", *"cs", "enter")
        want = ["controller-manager", "etcd-0", "scheduler"]
        await browser.wait_for(lambda: sorted(names(browser)) == want, timeout=20)
        assert header(browser)[:4] == ["NAME", "STATUS", "MESSAGE", "ERROR"], header(browser)
        status = str(browser.query_one("#view-status").render())
        assert "● polled every 0.2s" in status and "live" not in status, status
        await wait_until_async(
            pilot,
            lambda: (
                len([r for r in sim.request_log if r.seq > mark and "componentstatuses" in r.path])
                >= 2
            ),
            20,
        )
        asked = [r for r in sim.request_log if r.seq > mark and "componentstatuses" in r.path]
        assert not any(r.is_watch for r in asked)
