"""The `:` language alone: parsing, cluster resolution, tab completion."""

from __future__ import annotations

from kite_tui.core.resources import BUILTIN
from kite_tui.ui.commands import Vocabulary, completions, kind_words, resolve_cluster

CLUSTERS = ("prod-eu", "staging", "edge-slow", "dr-offline")
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system", "shop", "payments")
ON_A_CLUSTER = Vocabulary(clusters=CLUSTERS, kinds=kind_words(BUILTIN), namespaces=NAMESPACES)


def test_tab_completes_clusters_fuzzily() -> None:
    vocab = Vocabulary(clusters=CLUSTERS)
    assert completions("ctx stg", vocab)[0] == "ctx staging"
    assert completions("ctx st", vocab)[0] == "ctx staging"
    assert completions(":cluster prd", vocab)[0] == ":cluster prod-eu"
    assert completions("ctx zzzz", vocab) == []


def test_tab_completes_kinds_to_their_name() -> None:
    assert completions("dep", ON_A_CLUSTER)[0] == "deployments"
    assert completions("deploy", ON_A_CLUSTER)[0] == "deployments"
    assert completions("svc", ON_A_CLUSTER)[0] == "services"
    assert completions("dpeloy", ON_A_CLUSTER)[0] == "deployments"  # a typo
    assert "ctx" in completions("ct", ON_A_CLUSTER)


def test_kinds_are_not_offered_without_a_cluster_page() -> None:
    vocab = Vocabulary(clusters=CLUSTERS)
    assert completions("dep", vocab) == []
    assert completions("cl", vocab)[0] == "clusters"


def test_tab_completes_namespaces_for_ns_and_for_a_kind() -> None:
    assert completions("ns ku", ON_A_CLUSTER)[0] == "ns kube-system"
    # Every match is offered (tab again cycles), the rarely browsed ones last.
    assert completions("ns ku", ON_A_CLUSTER) == [
        "ns kube-system",
        "ns kube-public",
        "ns kube-node-lease",
    ]
    assert completions("ns shp", ON_A_CLUSTER)[0] == "ns shop"
    assert completions("pods pay", ON_A_CLUSTER)[0] == "pods payments"
    assert completions("ns al", ON_A_CLUSTER)[0] == "ns all"
    unknown = Vocabulary(clusters=CLUSTERS, kinds=kind_words(BUILTIN), namespaces=None)
    assert completions("ns ku", unknown) == []


def test_resolve_cluster_keeps_its_order() -> None:
    assert resolve_cluster("prd", CLUSTERS) == "prod-eu"
    assert resolve_cluster("st", CLUSTERS) == "staging"
    assert resolve_cluster("offline", CLUSTERS) == "dr-offline"
    assert resolve_cluster("nothing-like-it", CLUSTERS) is None
