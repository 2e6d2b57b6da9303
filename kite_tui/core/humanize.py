"""kubectl-compatible human-readable durations and ages.

`human_duration` reproduces ``HumanDuration`` from
``k8s.io/apimachinery/pkg/util/duration`` rule for rule, so the AGE column reads
exactly as ``kubectl get`` prints it (``45s``, ``5m3s``, ``15m``, ``3h5m``,
``20h``, ``2d3h``, ``8d``, ``3y45d``, ``9y``).  The thresholds are:

==================  =========================  ==========
duration            format                     example
==================  =========================  ==========
< -1s               ``<invalid>``
-1s .. 0s           ``0s`` (clock-skew slack)
< 2 minutes         seconds                    ``119s``
< 10 minutes        minutes + seconds          ``5m3s``
< 3 hours           minutes                    ``179m``
< 8 hours           hours + minutes            ``7h59m``
< 48 hours          hours                      ``47h``
< 8 days            days + hours               ``7d23h``
< 2 years           days                       ``729d``
< 8 years           years + days               ``7y364d``
otherwise           years                      ``9y``
==================  =========================  ==========

A zero remainder is dropped (``5m`` not ``5m0s``).  Years are 365 days, as in Go.

No Textual import here: the core must stay usable headless.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

__all__ = ["UNKNOWN_AGE", "Since", "age", "human_duration", "parse_human_duration"]

UNKNOWN_AGE = "<unknown>"
"""What kubectl prints for a missing creationTimestamp."""

_INVALID = "<invalid>"


def human_duration(seconds: float) -> str:
    """Format a duration the way kubectl's ``duration.HumanDuration`` does.

    Args:
        seconds: The duration in seconds (may be fractional or negative).

    Returns:
        A short string with ~2-3 significant figures, e.g. ``"5m3s"`` or ``"2d3h"``.
    """
    if not math.isfinite(seconds):
        return _INVALID
    # Go does int(d.Seconds()), which truncates toward zero; so does int() on a float.
    # This is why -1.9s still prints "0s" and only -2s and below are "<invalid>".
    secs = int(seconds)
    if secs < -1:
        return _INVALID
    if secs < 0:
        return "0s"
    if secs < 60 * 2:
        return f"{secs}s"
    # From here on secs >= 120, so floor division matches Go's truncating integer division.
    minutes = secs // 60
    if minutes < 10:
        s = secs % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = secs // 3600
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if dy == 0 else f"{years}y{dy}d"
    return f"{hours // 24 // 365}y"


def age(ts_epoch: float | None, now: float | None = None) -> str:
    """Format the age of an object created at ``ts_epoch``, like kubectl's AGE column.

    Args:
        ts_epoch: Creation time as a Unix timestamp, or ``None`` when unknown.
        now: The current Unix time; defaults to ``time.time()``. Pass it explicitly to
            render many cells against one consistent instant (and in tests).

    Returns:
        The human duration since ``ts_epoch``, or ``"<unknown>"`` for ``None``.
    """
    if ts_epoch is None:
        return UNKNOWN_AGE
    if now is None:
        now = time.time()
    return human_duration(now - ts_epoch)


_DURATION = re.compile(r"(?:(\d+)y)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_UNITS = (365 * 86400, 86400, 3600, 60, 1)


def parse_human_duration(text: str) -> float | None:
    """The seconds a `human_duration` text stands for, at least (``"5m3s"`` -> 303,
    ``"3h"`` -> 10800: the text is truncated, the real duration may be up to one unit
    more); None for anything else (``"<unknown>"``, ``""``)."""
    match = _DURATION.fullmatch(text)
    if match is None or not text:
        return None
    return float(sum(int(v) * unit for v, unit in zip(match.groups(), _UNITS, strict=True) if v))


@dataclass(frozen=True, slots=True)
class Since:
    """A count and when it last went up: kubectl's RESTARTS ``5 (3m ago)``, recomputed
    whenever it is shown (``at`` is an epoch time)."""

    count: str
    at: float

    def text(self, now: float) -> str:
        return f"{self.count} ({human_duration(now - self.at)} ago)"

    def __str__(self) -> str:
        return self.text(time.time())
