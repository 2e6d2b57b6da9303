"""The `/` filter language: substring, regex, inversion and label selectors (the selector
parser itself is tested in tests/core/kube/test_selectors.py)."""

from __future__ import annotations

import pytest

from kite_tui.core.filtering import compile_filter, join_cells

POD = ["default", "web-7d4b9c-x2kq", "1/1", "Running", "0", "10.0.0.7"]
FAILING = ["kube-system", "coredns-5d78c9869d-abcde", "0/1", "CrashLoopBackOff", "12"]
NO_LABELS: dict[str, str] = {}


def matches(text: str, cells: list[str], labels: dict[str, str] | None = None) -> bool:
    return compile_filter(text).matches(cells, labels or NO_LABELS)


@pytest.mark.parametrize("text", ["", "   ", "!", "~", "!~", "-l", "-l   "])
def test_empty_or_half_typed_filters_match_everything(text: str) -> None:
    flt = compile_filter(text)
    assert flt.matches_all
    assert flt.error is None
    assert flt.matches(POD, NO_LABELS)


def test_substring_is_case_insensitive_over_all_cells() -> None:
    assert matches("web", POD)
    assert matches("RUNNING", POD)
    assert matches("10.0.0", POD)
    assert not matches("pending", POD)


def test_substring_does_not_span_two_cells() -> None:
    # "default" + "web" are adjacent cells; a match must lie inside one cell.
    assert not matches("defaultweb", POD)
    assert not matches("default web", POD)


def test_leading_bang_inverts() -> None:
    assert not matches("!Running", POD)
    assert matches("!Running", FAILING)


def test_regex_is_case_insensitive_and_searched_per_cell() -> None:
    assert matches("~web-[0-9a-f]+-", POD)
    assert matches("~^KUBE-", FAILING)  # ^ anchors at the start of a cell
    assert matches("~^crash.*off$", FAILING)
    assert not matches("~^system", FAILING)
    assert not matches("~default.web", POD)  # "." does not cross cells


def test_inverted_regex() -> None:
    assert matches("!~^0/", POD)
    assert not matches("!~^0/", FAILING)


def test_invalid_regex_reports_an_error_and_matches_nothing() -> None:
    flt = compile_filter("~web-(")
    assert flt.error is not None
    assert "regular expression" in flt.error
    assert not flt.matches(POD, NO_LABELS)
    assert not compile_filter("!~(").matches(POD, NO_LABELS)


def test_backslash_makes_a_leading_bang_or_tilde_literal() -> None:
    cells = ["!important", "~tilde"]
    assert matches("\\!imp", cells)
    assert matches("\\~til", cells)
    assert not matches("\\!imp", POD)


def test_matches_text_fast_path_agrees_with_matches() -> None:
    flt = compile_filter("coredns")
    assert flt.matches_text(join_cells(FAILING).lower(), NO_LABELS)
    assert flt(FAILING, NO_LABELS)  # callable as a predicate


LABELS = {"app": "web", "tier": "frontend", "replicas": "3", "example.com/team": "a-b"}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("app=web", True),
        ("app==web", True),
        ("app=db", False),
        ("app!=db", True),
        ("app!=web", False),
        ("missing!=x", True),  # != matches objects without the label
        ("app", True),
        ("missing", False),
        ("!missing", True),
        ("!app", False),
        ("tier in (frontend, backend)", True),
        ("tier in (backend)", False),
        ("missing in (x)", False),
        ("tier notin (backend,db)", True),
        ("tier notin (frontend)", False),
        ("missing notin (x)", True),
        ("app=web,tier=frontend", True),
        ("app=web, tier=backend", False),
        ("app=web,!missing,tier in (frontend)", True),
        ("replicas>2", True),
        ("replicas<3", False),
        ("app>1", False),  # non-integer label value never compares
        ("example.com/team=a-b", True),
        ("app=", False),  # empty value
    ],
)
def test_label_selector(selector: str, expected: bool) -> None:
    flt = compile_filter(f"-l {selector}")
    assert flt.error is None
    assert flt.kind == "selector"
    assert flt.matches(POD, LABELS) is expected


def test_label_selector_ignores_cells() -> None:
    assert not compile_filter("-l web").matches(["web"], NO_LABELS)


def test_empty_value_selects_empty_labels() -> None:
    assert compile_filter("-l app=").matches([], {"app": ""})
    assert compile_filter("-l app in ()").matches([], {"app": ""})


@pytest.mark.parametrize(
    "selector",
    [
        "app=web,",
        "app in web",
        "app in (a b)",
        "app in (a",
        "=web",
        "app=(web)",
        "app>x",
        "-bad-key=1",
        "app=-bad-value-",
        "a" * 64,
        "Example.com/x=1",
        "app web",
        "!",
    ],
)
def test_invalid_label_selector_reports_an_error_and_matches_nothing(selector: str) -> None:
    flt = compile_filter(f"-l {selector}")
    assert flt.error is not None, selector
    assert flt.error.startswith("Invalid label selector")
    assert not flt.matches(POD, LABELS)


@pytest.mark.parametrize(
    ("previous", "typed", "narrows"),
    [
        ("web", "web-1", True),  # one more character
        ("eb", "web", True),  # a character before: still contains it
        ("web-1", "web-", False),  # one taken back
        ("web", "api", False),
        ("", "w", False),  # everything before: nothing to gain, and no needle
        ("!web", "!web-1", False),  # inverted filters widen as they grow
        ("web", "!web", False),
        ("~web", "~web-1", False),  # a regex is not a substring
        ("web", "-l app=web", False),
    ],
)
def test_a_filter_narrows_only_a_plain_substring_it_contains(
    previous: str, typed: str, narrows: bool
) -> None:
    assert compile_filter(typed).narrows(compile_filter(previous)) is narrows
