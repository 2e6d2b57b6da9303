"""Label selectors as kubectl and the API server read and write them (apimachinery's
`labels.Parse` and `Selector.String`): the one parser the table filter and the simulator use."""

from __future__ import annotations

import re

import pytest

from kite_tui.core.kube.selectors import (
    SelectorError,
    label_selector_string,
    parse_label_selector,
    split_requirements,
)

LABELS = {"app": "web", "tier": "frontend", "rank": "3", "empty": "", "example.com/team": "a-b"}


def test_parse_label_selector_raises_for_direct_callers() -> None:
    with pytest.raises(SelectorError):
        parse_label_selector("a in (")
    assert parse_label_selector("").requirements == ()
    (req,) = parse_label_selector("tier notin (a,b)").requirements
    assert (req.key, req.operator, req.values) == ("tier", "notin", frozenset({"a", "b"}))


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        # equality: =, == and !=; a missing label satisfies !=
        ("app=web", True),
        ("app==web", True),
        ("app!=web", False),
        ("missing!=x", True),
        # sets: in / notin; a missing label satisfies notin
        ("tier in (frontend,backend)", True),
        ("tier notin (frontend)", False),
        ("missing notin (x)", True),
        ("missing in (x)", False),
        # existence
        ("app", True),
        ("!app", False),
        ("!missing", True),
        # integer comparison; a value that is not an integer never compares
        ("rank>2", True),
        ("rank<3", False),
        ("app>1", False),
        # the empty value: "k=", "k in ()", "k in (a,)"
        ("empty=", True),
        ("empty in ()", True),
        ("empty in (x,)", True),
        ("app in ()", False),
        # whitespace anywhere between tokens; qualified keys; all requirements must hold
        ("  app = web ,  tier  in ( frontend , x )  ", True),
        ("example.com/team=a-b", True),
        ("app=web,rank>1,!missing", True),
        ("app=web,rank>5", False),
    ],
)
def test_kubectl_grammar(selector: str, expected: bool) -> None:
    assert parse_label_selector(selector).matches(LABELS) is expected


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("app=web,", "expected a requirement after ','"),
        ("app in web", "expected '(' after 'in'"),
        ("rank>x", "the value must be an integer"),
        ("-bad=1", "invalid label key '-bad'"),
        ("app=bad-", "invalid label value 'bad-'"),
        ("Example.com/x=1", "prefix must be a DNS subdomain"),
        ("app web", "expected an operator after 'app'"),
    ],
)
def test_malformed_selectors_say_what_is_wrong(selector: str, message: str) -> None:
    with pytest.raises(SelectorError, match=re.escape(message)):
        parse_label_selector(selector)


def test_a_selector_object_is_written_as_the_api_server_writes_it() -> None:
    # What `kubectl describe deployment` prints for this selector: requirements sorted by
    # key (matchLabels and matchExpressions together), each value list sorted.
    selector = {
        "matchLabels": {"zone": "a", "app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["web", "api"]},
            {"key": "beta", "operator": "Exists"},
            {"key": "old", "operator": "DoesNotExist"},
            {"key": "env", "operator": "NotIn", "values": ["qa", "dev"]},
        ],
    }
    text = label_selector_string(selector)
    assert text == "app=web,beta,env notin (dev,qa),!old,tier in (api,web),zone=a"
    assert parse_label_selector(text).matches(
        {"app": "web", "zone": "a", "tier": "api", "beta": ""}
    )


def test_an_empty_selector_object_selects_everything() -> None:
    assert label_selector_string(None) == ""
    assert label_selector_string({}) == ""
    assert label_selector_string({"matchLabels": {}, "matchExpressions": []}) == ""


def test_requirements_split_at_commas_outside_value_lists() -> None:
    assert split_requirements("app=web,tier in (a,b),!old") == ["app=web", "tier in (a,b)", "!old"]
    assert split_requirements("") == []
    assert split_requirements("a=1,,b") == ["a=1", "", "b"]
