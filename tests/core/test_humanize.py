"""kubectl-compatible durations: the boundaries of apimachinery's HumanDuration."""

from __future__ import annotations

import pytest

from kite_tui.core.humanize import Since, age, human_duration, parse_human_duration

MS = 0.001
MIN = 60
HOUR = 3600
DAY = 24 * HOUR
YEAR = 365 * DAY


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (-2, "<invalid>"),
        (-2 + 1e-9, "0s"),  # Go truncates -1.999...s to -1: within the clock-skew slack
        (-1, "0s"),
        (0, "0s"),
        (1 - MS, "0s"),
        (1, "1s"),
        (45, "45s"),
        (70, "70s"),
        (2 * MIN - MS, "119s"),
        (2 * MIN, "2m"),
        (2 * MIN + 1, "2m1s"),
        (190, "3m10s"),
        (5 * MIN + 3, "5m3s"),
        (10 * MIN - MS, "9m59s"),
        (10 * MIN, "10m"),
        (10 * MIN + 1, "10m"),
        (70 * MIN, "70m"),
        (3 * HOUR - MS, "179m"),
        (3 * HOUR, "3h"),
        (3 * HOUR + MIN, "3h1m"),
        (3 * HOUR + 5 * MIN, "3h5m"),
        (8 * HOUR - MS, "7h59m"),
        (8 * HOUR, "8h"),
        (8 * HOUR + 59 * MIN, "8h"),
        (47 * HOUR, "47h"),
        (2 * DAY - MS, "47h"),
        (2 * DAY, "2d"),
        (2 * DAY + HOUR, "2d1h"),
        (2 * DAY + 3 * HOUR, "2d3h"),
        (8 * DAY - MS, "7d23h"),
        (8 * DAY, "8d"),
        (8 * DAY + 23 * HOUR, "8d"),
        (367 * DAY, "367d"),
        (2 * YEAR - MS, "729d"),
        (2 * YEAR, "2y"),
        (2 * YEAR + 23 * HOUR + 59 * MIN, "2y"),
        (2 * YEAR + DAY - MS, "2y"),
        (2 * YEAR + DAY, "2y1d"),
        (3 * YEAR + 45 * DAY, "3y45d"),
        (7 * YEAR, "7y"),
        (8 * YEAR - MS, "7y364d"),
        (8 * YEAR, "8y"),
        (8 * YEAR + 364 * DAY, "8y"),
        (9 * YEAR, "9y"),
    ],
)
def test_human_duration_matches_kubectl(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected


def test_non_finite_durations_are_invalid() -> None:
    assert human_duration(float("nan")) == "<invalid>"
    assert human_duration(float("inf")) == "<invalid>"


def test_age_is_relative_to_now() -> None:
    now = 1_700_000_000.0
    assert age(now - 303, now) == "5m3s"
    assert age(now + 5, now) == "<invalid>"  # created "in the future": clock skew


def test_age_of_missing_timestamp_is_unknown() -> None:
    assert age(None, 1_700_000_000.0) == "<unknown>"


def test_age_defaults_to_the_current_time() -> None:
    import time

    assert age(time.time() - 10) in {"10s", "11s"}


@pytest.mark.parametrize("seconds", [0, 45, 119, 120, 303, 599, 600, 10799, 10800, 28799, 7 * DAY])
def test_parse_human_duration_reads_back_what_it_printed(seconds: float) -> None:
    text = human_duration(seconds)
    parsed = parse_human_duration(text)
    assert parsed is not None and parsed <= seconds  # the text is truncated, never rounded up
    assert human_duration(parsed) == text


@pytest.mark.parametrize("text", ["", "<unknown>", "<invalid>", "5 m", "abc", "5m3"])
def test_parse_human_duration_refuses_anything_else(text: str) -> None:
    assert parse_human_duration(text) is None


def test_since_renders_the_count_and_how_long_ago() -> None:
    since = Since("5", 1_700_000_000.0 - 317)
    assert since.text(1_700_000_000.0) == "5 (5m17s ago)"
    assert since.text(1_700_000_000.0 + 60) == "5 (6m17s ago)"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "<invalid>"),
        (0, "0s"),
        (119, "119s"),
        (125, "2m5s"),
        (600, "10m"),
        (7200, "120m"),
        (3 * 3600 + 60, "3h1m"),
        (10 * 3600, "10h"),
        (3 * 86400, "3d"),
        (30 * 86400, "30d"),
        (800 * 86400, "2y70d"),
        (3000 * 86400, "8y"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text
