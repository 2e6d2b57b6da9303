"""A cluster rebuilt behind the same address, its resourceVersions started over: the view
lists it again and shows what `kubectl get` shows, not the old rows as "● live"."""

from __future__ import annotations

from pathlib import Path

from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.widgets.browser import ResourceBrowser
from tests.sim.helpers import Kubectl
from tests.ui.helpers import entry, open_cluster, settings, start_sim


def shown(browser: ResourceBrowser) -> set[tuple[str, str]]:
    table = browser.table
    cols = [c.name for c in table.columns]
    ns, name = cols.index("NAMESPACE"), cols.index("NAME")
    rows = [table.get_row(k) for k in table.visible_keys()]
    return {(r.cells[ns], r.cells[name]) for r in rows if r is not None}


def kubectl_pods(kubectl: Kubectl) -> set[tuple[str, str]]:
    out = kubectl("get", "pods", "-A", "--no-headers").stdout
    return {(line.split()[0], line.split()[1]) for line in out.splitlines() if line.strip()}


async def test_a_restarted_cluster_with_fewer_pods_shows_what_kubectl_shows(
    cfg: Path, sims: dict[str, SimServer], tmp_path: Path
) -> None:
    sim = start_sim(sims, "a", scenario=Scenario(nodes=2, namespaces=3, pods=120, seed=4),
                    log_interval=None)  # fmt: skip
    # The default request timeout (10 s): a server answers a version it lacks after 3 s.
    cfg.write_text(settings(timeout=10) + entry("a", sim))
    kubectl = Kubectl(sim, tmp_path)
    app = KiteApp(cfg)
    async with app.run_test(size=(140, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await browser.wait_for(lambda: shown(browser) == kubectl_pods(kubectl))
        before = shown(browser)
        sim.wait_for_watches(1)
        sim.restart(scenario=Scenario(nodes=2, namespaces=2, pods=70, seed=12))
        now = kubectl_pods(kubectl)
        assert len(now) < len(before)
        await browser.wait_for(lambda: shown(browser) == now, timeout=30)
        assert browser._status.state == "ready"
