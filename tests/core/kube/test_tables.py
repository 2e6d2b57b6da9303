"""Server-side Tables (and plain objects) decoded into feed rows: kubectl's columns and
cells, rows that do not fit, and times that tick."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kite_tui.core.humanize import Since
from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.tables import TABLE_ACCEPT, FeedKey, TableDecoder, include_object
from kite_tui.core.resources import BUILTIN
from kite_tui.sim import tables as sim_tables
from kite_tui.sim.server import SimServer
from kite_tui.sim.store import parse_time
from tests.sim.helpers import Kubectl

PODS = BUILTIN.resolve("pods")
NODES = BUILTIN.resolve("nodes")
assert PODS is not None and NODES is not None


def test_plain_objects_fall_back_to_name_and_age() -> None:
    """An API that ignores as=Table answers with plain objects: kubectl shows NAME, AGE."""
    decoder = TableDecoder(FeedKey(PODS, None))
    rows = decoder.decode({
        "kind": "PodList",
        "items": [{"metadata": {"name": "p", "namespace": "n", "uid": "u1",
                                "creationTimestamp": "2024-01-02T03:04:05Z"}}],
    })  # fmt: skip
    assert decoder.columns is not None
    assert [c.name for c in decoder.columns] == ["NAMESPACE", "NAME", "AGE"]
    assert rows[0].cells == ("n", "p", 1704164645.0) and rows[0].key == "u1"


def test_cells_keep_numbers_and_print_the_rest_like_kubectl() -> None:
    decoder = TableDecoder(FeedKey(NODES, None))
    table = {
        "kind": "Table",
        "columnDefinitions": [{"name": "Name"}, {"name": "Count", "type": "integer"},
                              {"name": "Flag"}, {"name": "Missing"}, {"name": "Age"}],
        "rows": [{"cells": ["n1", 3, True, None, "5d"],
                  "object": {"metadata": {"name": "n1", "resourceVersion": "9"}}}],
    }  # fmt: skip
    (row,) = decoder.decode(table)
    assert row.cells == ("n1", 3, "true", "", None)  # kubectl prints a null cell blank
    assert row.key == "/n1"  # no uid: namespace/name
    assert decoder.columns is not None and decoder.columns[1].type == "integer"


def test_a_row_that_does_not_fit_the_columns_is_cut_or_padded_and_says_so() -> None:
    decoder = TableDecoder(FeedKey(PODS, None))
    table = {
        "kind": "Table",
        "columnDefinitions": [{"name": "Name"}, {"name": "Status"}],
        "rows": [
            {"cells": ["a", "Running", "surplus"],
             "object": {"metadata": {"name": "a", "namespace": "ns1", "uid": "ua"}}},
            {"cells": ["b"], "object": {"metadata": {"name": "b", "namespace": "ns1"}}},
            {"cells": "not a list", "object": {"metadata": {"name": "c", "namespace": "ns1"}}},
            {"cells": ["d", "Running"], "object": {"metadata": {"name": "d", "namespace": "ns1"}}},
        ],
    }  # fmt: skip
    a, b, c, d = decoder.decode(table)
    assert (
        a.cells == ("ns1", "a", "Running") and a.problem == "row 'ns1/a' has 3 cells for 2 columns"
    )
    assert b.cells == ("ns1", "b", "") and b.problem == "row 'ns1/b' has 1 cells for 2 columns"
    assert c.cells == ("ns1", "", "") and c.problem == "row 'ns1/c' has 0 cells for 2 columns"
    assert d.cells == ("ns1", "d", "Running") and d.problem == ""


def test_times_printed_as_ago_become_times_that_can_tick() -> None:
    now = 1_800_000_000.0
    pods = TableDecoder(FeedKey(PODS, "default"), clock=lambda: now)
    table = {
        "kind": "Table",
        "columnDefinitions": [{"name": "Name"}, {"name": "Restarts"}, {"name": "Age"}],
        "rows": [{"cells": ["p", "5 (5m17s ago)", "1h"], "object": {"metadata": {"name": "p"}}},
                 {"cells": ["q", "0", "1h"], "object": {"metadata": {"name": "q"}}}],
    }  # fmt: skip
    p, q = pods.decode(table)
    assert p.cells[1] == Since("5", now - 317) and q.cells[1] == "0"
    assert pods.columns is not None and pods.columns[1].is_since

    events_kind = BUILTIN.get("", "events")
    assert events_kind is not None
    assert include_object(events_kind) == "Object" and include_object(PODS) == "Metadata"
    events = TableDecoder(FeedKey(events_kind, None), clock=lambda: now)
    event = {
        "metadata": {"name": "e", "namespace": "n"},
        "lastTimestamp": "2027-01-15T08:00:00Z",
        "firstTimestamp": "2027-01-15T07:00:00Z",
    }
    table = {
        "kind": "Table",
        "columnDefinitions": [{"name": "Last Seen"}, {"name": "Type"}, {"name": "First Seen"}],
        "rows": [{"cells": ["5m", "Warning", "65m"], "object": event},
                 {"cells": ["3m", "Normal", "<unknown>"],
                  "object": {"kind": "PartialObjectMetadata", "metadata": {"name": "f"}}}],
    }  # fmt: skip
    e, f = events.decode(table)
    # From the event itself when the server sent it; else from the text, at the clock.
    assert e.cells == ("n", parse_time("2027-01-15T08:00:00Z"), "Warning",
                       parse_time("2027-01-15T07:00:00Z"))  # fmt: skip
    assert f.cells == ("", now - 180, "Normal", None)
    assert events.columns is not None
    assert [c.is_age for c in events.columns] == [False, True, False, True]


def test_a_null_cell_is_blank_as_kubectl_prints_it(
    sim: SimServer, client: ClusterClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real server sends null for a custom resource's printer column whose JSONPath finds
    # nothing; the simulator's ConfigMap printer is made to do so for its DATA column here.
    printer = sim_tables.PRINTERS["ConfigMap"]
    monkeypatch.setitem(
        sim_tables.PRINTERS,
        "ConfigMap",
        sim_tables.Printer(printer.columns, lambda o: [o["metadata"]["name"], None, None]),
    )
    sim.store.create({"kind": "ConfigMap", "metadata": {"name": "blank", "namespace": "shop"}})
    configmaps = BUILTIN.resolve("configmaps")
    assert configmaps is not None
    resp = client.request(
        configmaps.api_path("shop"), [("includeObject", "Metadata")], accept=TABLE_ACCEPT
    )
    try:
        doc = json.loads(resp.data)
    finally:
        resp.release_conn()
    # Only the "blank" ConfigMap (the namespace also has its kube-root-ca.crt).
    doc["rows"] = [r for r in doc["rows"] if r["cells"][0] == "blank"]
    assert doc["rows"][0]["cells"][1] is None
    [row] = TableDecoder(FeedKey(configmaps, "shop")).decode(doc)
    out = Kubectl(sim, tmp_path)("get", "configmaps", "-n", "shop").stdout.splitlines()
    header, line = out[0], next(x for x in out if x.startswith("blank "))
    data = header.index("DATA")
    assert line[data : header.index("AGE")].strip() == ""  # kubectl: nothing there
    assert row.cells[1] == ""
