"""The `:` language alone, as a user typing it gets it: parsing, cluster resolution, tab
completion."""

from __future__ import annotations

import pytest

from kite_tui.core.resources import BUILTIN
from kite_tui.ui.commands import (
    Command,
    Vocabulary,
    completions,
    kind_words,
    parse_command,
    resolve_cluster,
)

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


@pytest.mark.parametrize(
    "typed,command",
    [
        # every cluster word switches cluster; without a name it shows the overview
        (":ctx prod", Command("cluster", "prod")),
        ("context prod", Command("cluster", "prod")),
        ("contexts", Command("cluster")),
        ("cluster staging-eu", Command("cluster", "staging-eu")),
        (":clusters", Command("cluster")),
        # the verb is case-insensitive, the name is kept as typed (the matcher decides)
        (":CTX Prod-EU", Command("cluster", "Prod-EU")),
        ("  :ctx   staging  ", Command("cluster", "staging")),
        (":ctx two words", Command("cluster", "two words")),
        # quitting, as in vim and k9s
        (":q", Command("quit")),
        (":q!", Command("quit")),
        ("quit", Command("quit")),
        (":exit", Command("quit")),
        (":quit now", Command("quit")),  # anything after it is ignored
        # help
        (":help", Command("help")),
        (":?", Command("help")),
        # anything else is a resource word for the browser, with its argument
        (":pods", Command("pods")),
        (":PO", Command("po")),
        (":deploy kube-system", Command("deploy", "kube-system")),
        (":ns all", Command("ns", "all")),
        (":svc -A", Command("svc", "-A")),
    ],
)
def test_parse_command_gives_what_was_typed(typed: str, command: Command) -> None:
    assert parse_command(typed) == command


@pytest.mark.parametrize("typed", ["", "   ", ":", " : "])
def test_an_empty_command_line_does_nothing(typed: str) -> None:
    assert parse_command(typed) is None


NAMES = ["prod-eu", "prod-us", "Prod-Asia", "staging", "dev", "web-prod"]


@pytest.mark.parametrize(
    "typed,cluster",
    [
        ("dev", "dev"),  # the exact name
        ("staging", "staging"),
        ("prod-us", "prod-us"),
        ("PROD-ASIA", "Prod-Asia"),  # any case
        ("stag", "staging"),  # a prefix
        ("prod", "prod-eu"),  # the shortest name it starts, the first of equals; not web-prod
        ("prod-a", "Prod-Asia"),
        ("us", "prod-us"),  # inside a name
        ("web", "web-prod"),
        ("stagnig", "staging"),  # a typo
        ("prdo-us", "prod-us"),
    ],
)
def test_resolve_cluster_finds_the_cluster_the_user_means(typed: str, cluster: str) -> None:
    assert resolve_cluster(typed, NAMES) == cluster


def test_an_exact_name_wins_over_other_matches() -> None:
    assert resolve_cluster("prod", ["prod-eu", "prod"]) == "prod"
    assert resolve_cluster("dev", ["Dev", "dev"]) == "dev"  # the case typed, when it exists


def test_a_name_that_starts_with_it_wins_over_a_shorter_one_that_contains_it() -> None:
    assert resolve_cluster("web", ["my-web", "webshop"]) == "webshop"


def test_of_names_that_contain_it_the_shortest_wins() -> None:
    assert resolve_cluster("team", ["blue-team-prod", "red-team"]) == "red-team"


@pytest.mark.parametrize(
    "typed,names",
    [
        ("zzzz", NAMES),  # nothing like it
        ("", NAMES),  # nothing typed
        ("dev", []),  # no clusters
    ],
)
def test_resolve_cluster_finds_nothing_rather_than_a_wrong_cluster(
    typed: str, names: list[str]
) -> None:
    assert resolve_cluster(typed, names) is None
