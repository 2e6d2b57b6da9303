"""The kinds every cluster has beside its workloads: the app shows what kubectl prints.

One simulator, one app, one kubectl run for all the kinds (and one for ``-o wide``): for
each kind, the view's header is kubectl's header (and so are the columns it shows before
its first Table), and every row's cells are kubectl's cells (AGE aside: it ticks between
the two reads).
"""

from __future__ import annotations

import re
from pathlib import Path

from kite_tui.core.kube.tables import FeedKey, initial_columns
from kite_tui.core.resources import BUILTIN
from kite_tui.sim.resources import stored_resources
from kite_tui.sim.scenario import Scenario
from kite_tui.sim.server import SimServer
from kite_tui.ui.app import KiteApp
from kite_tui.ui.widgets.browser import ResourceBrowser
from kite_tui.ui.widgets.table_rows import text_of
from tests.sim.helpers import Kubectl
from tests.ui.helpers import entry, open_cluster, settings, start_sim

# The words a user types (kubectl's short names where there is one).
KINDS = (
    "sa", "roles", "rolebindings", "clusterroles", "clusterrolebindings", "ep",
    "endpointslices", "hpa", "pdb", "netpol", "pv", "sc", "pc", "leases", "ingressclasses",
    "csr", "quota", "limits",
)  # fmt: skip

Table = tuple[list[str], dict[tuple[str, str], list[str]]]
"""A header, and the cells of each row by (namespace, name)."""


def kubectl_tables(text: str) -> dict[str, Table]:
    """``kubectl get A,B,... -A`` split into one table per kind (by plural), the cells cut
    at the header's column starts (cells may be empty or hold single spaces)."""
    prefixes = {f"{r.singular}.{r.group}" if r.group else r.singular: r for r in stored_resources()}
    tables: dict[str, Table] = {}
    for block in text.strip().split("\n\n"):
        header, *lines = block.splitlines()
        starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", header)]
        bounds = list(zip(starts, [*starts[1:], None], strict=True))
        names = [header[a:b].strip() for a, b in bounds]
        rows = [[line[a:b].strip() for a, b in bounds] for line in lines]
        prefix = rows[0][1].split("/", 1)[0]
        rtype = prefixes[prefix]
        for row in rows:
            row[1] = row[1].split("/", 1)[1]  # kubectl names each row kind/name here
        if not rtype.namespaced:
            # Listing several kinds, kubectl keeps the NAMESPACE column for cluster-scoped
            # ones too, empty; alone (kubectl get pv -A) they have none.
            assert all(row[0] == "" for row in rows)
            names, rows = names[1:], [row[1:] for row in rows]
        tables[rtype.plural] = (names, {key(rtype.namespaced, r): r for r in rows})
    return tables


def key(namespaced: bool, cells: list[str]) -> tuple[str, str]:
    return (cells[0], cells[1]) if namespaced else ("", cells[0])


def shown(browser: ResourceBrowser) -> Table:
    """The view's visible header and the text of each row's visible cells."""
    table = browser.table
    visible = table.visible_columns
    index = [i for i, c in enumerate(table.columns) if c in visible]
    rows = {}
    for k in table.visible_keys():
        row = table.get_row(k)
        assert row is not None
        cells = [text_of(row.cells[i]) for i in index]
        rows[key(browser.view.kind.namespaced, cells)] = cells
    return [c.name for c in visible], rows


def without_age(table: Table) -> Table:
    names, rows = table
    keep = [i for i, n in enumerate(names) if n != "AGE"]
    return [names[i] for i in keep], {k: [r[i] for i in keep] for k, r in rows.items()}


async def test_every_cluster_kind_shows_kubectl_columns_and_cells(
    cfg: Path, sims: dict[str, SimServer], tmp_path: Path
) -> None:
    sim = start_sim(
        sims, "a", scenario=Scenario(nodes=3, namespaces=3, pods=60, seed=4), log_interval=None
    )
    kubectl = Kubectl(sim, tmp_path)
    expected = {
        wide: kubectl_tables(kubectl("get", ",".join(KINDS), "-A", *wide).stdout)
        for wide in ((), ("-o", "wide"))
    }
    plurals = []
    for word in KINDS:
        kind = BUILTIN.resolve(word)
        assert kind is not None, word
        plurals.append(kind.plural)
    # Every kind has objects in a generated cluster.
    assert sorted(expected[()]) == sorted(plurals)
    # The columns a view shows before its first Table has come are kubectl's too.
    for word, plural in zip(KINDS, plurals, strict=True):
        kind = BUILTIN.resolve(word)
        assert kind is not None
        for wide in ((), ("-o", "wide")):
            before = [
                c.name for c in initial_columns(FeedKey(kind, None)) if wide or not c.priority
            ]
            assert before == expected[wide][plural][0], (word, wide)
    cfg.write_text(settings() + entry("a", sim))
    app = KiteApp(cfg)
    async with app.run_test(size=(220, 50)) as pilot:
        browser = await open_cluster(pilot, app)
        for wide in ((), ("-o", "wide")):
            if wide:
                await pilot.press("ctrl+w")
            for word, plural in zip(KINDS, plurals, strict=True):
                if word == KINDS[0]:
                    await pilot.press("colon", *word, "enter")
                else:  # what `:WORD` runs, without typing it (typing costs a second a word)
                    assert browser.open_kind(word)
                await browser.wait_for(
                    lambda p=plural: browser.view.kind.plural == p and not browser.table.loading
                )
                got, want = without_age(shown(browser)), without_age(expected[wide][plural])
                assert got[0] == want[0], (word, wide)
                assert got[1] == want[1], (word, wide)
