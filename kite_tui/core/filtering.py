"""The ``/`` filter language of the resource table.

``compile_filter(text)`` turns what the user typed after ``/`` into a `RowFilter`
whose ``matches(cells, labels)`` decides whether a row stays visible.

Language
--------
Leading and trailing whitespace is ignored.

``""`` (empty)
    Everything matches.
``nginx``
    Case-insensitive substring over the row's cells.  The substring is looked for in
    each cell (cells are joined with newlines, so a match never spans two cells).
``~ngin.x-[0-9]+``
    Case-insensitive regular expression (Python ``re`` syntax), searched in each cell.
    ``^`` and ``$`` anchor at the start and end of a *cell* (multiline mode), so
    ``~^web`` finds rows with a cell starting with ``web``.
``!text`` / ``!~regex``
    A leading ``!`` inverts the text or regex match (the k9s habit): ``!Running`` shows
    every row that does not mention ``Running``.  A lone ``!`` (or ``~``, ``!~``) is
    treated as empty, so half-typed filters do not blank the table.
``\\!text`` / ``\\~text``
    A leading backslash makes the next ``!`` or ``~`` literal.
``-l selector``
    A Kubernetes label selector matched against the row's labels (not its cells), with
    the syntax of ``kubectl get -l``: ``app=web``, ``app==web``, ``app!=web``, ``app``
    (exists), ``!app`` (does not exist), ``tier in (web,api)``, ``tier notin (db)``,
    ``replicas>2``, ``replicas<5``; requirements separated by commas must all hold.
    As in Kubernetes, ``!=`` and ``notin`` also match rows without the label.
    An empty selector (``-l`` alone) matches everything. The parser is
    `kite_tui.core.kube.selectors`, the one the simulator uses too.

Errors
------
An invalid regular expression or label selector never raises: `compile_filter`
returns a filter whose ``error`` is a human-readable message and which matches
**nothing**.  Showing no rows (with the error) is deliberate: showing every row
under a broken filter would look like a result the user did not ask for.

Performance notes
-----------------
The table calls `RowFilter.matches_text` with the row's cells pre-joined by
`join_cells` and lower-cased (it caches that per row), so filtering 10,000 rows is a
plain loop of ``in`` / ``re.search`` calls.  ``matches(cells, labels)`` is the
convenient general form.  Age cells are not passed in by the table: they change every
second, so a filter over them would silently change its result over time.

No Textual import here: the core must stay usable headless.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from kite_tui.core.kube.selectors import SelectorError, parse_label_selector

__all__ = [
    "FilterKind",
    "RowFilter",
    "compile_filter",
    "join_cells",
]

FilterKind = Literal["all", "substring", "regex", "selector", "invalid"]

CELL_SEPARATOR = "\n"
"""Joins cells for matching: a newline keeps ``.`` and substrings inside one cell."""


def join_cells(cells: Sequence[str]) -> str:
    """Join a row's cell texts into the single string the matchers search.

    Args:
        cells: The displayed text of each cell.

    Returns:
        The cells joined with newlines (not lower-cased).
    """
    return CELL_SEPARATOR.join(cells)


# --------------------------------------------------------------------------------------
# Row filters
# --------------------------------------------------------------------------------------


class RowFilter:
    """A compiled ``/`` filter.  Create with `compile_filter`.

    Attributes:
        text: The filter text as typed.
        kind: ``"all"``, ``"substring"``, ``"regex"``, ``"selector"`` or ``"invalid"``.
        inverted: Whether a leading ``!`` inverts a substring / regex match.
        error: A message for the user if the filter is invalid, else ``None``.
    """

    __slots__ = ("_label_match", "_needle", "_text_match", "error", "inverted", "kind", "text")

    def __init__(
        self,
        text: str,
        kind: FilterKind,
        *,
        inverted: bool = False,
        error: str | None = None,
        text_match: Callable[[str], bool] | None = None,
        label_match: Callable[[Mapping[str, str]], bool] | None = None,
        needle: str | None = None,
    ) -> None:
        self.text = text
        self._needle = needle
        self.kind: FilterKind = kind
        self.inverted = inverted
        self.error = error
        self._text_match = text_match
        self._label_match = label_match

    def __repr__(self) -> str:
        return f"RowFilter({self.text!r}, kind={self.kind!r}, error={self.error!r})"

    @property
    def matches_all(self) -> bool:
        """True when the filter lets every row through (callers can skip filtering)."""
        return self.kind == "all"

    @property
    def uses_text(self) -> bool:
        """True when the result depends on the cell texts (not only on labels)."""
        return self._text_match is not None

    def narrows(self, previous: RowFilter) -> bool:
        """True when every row this filter passes also passed `previous` (one more character
        typed into a plain substring): the table may then filter only what `previous` let
        through."""
        return (
            self._needle is not None
            and previous._needle is not None
            and not self.inverted
            and not previous.inverted
            and previous._needle in self._needle
        )

    def matches_text(self, haystack_lower: str, labels: Mapping[str, str]) -> bool:
        """Match a row given its cells already joined (`join_cells`) and lower-cased.

        This is the fast path used by the table, which caches ``haystack_lower`` per row.
        """
        if self._text_match is not None:
            return self._text_match(haystack_lower) != self.inverted
        if self._label_match is not None:
            return self._label_match(labels)
        return self.kind == "all"

    def matches(self, cells: Sequence[str], labels: Mapping[str, str]) -> bool:
        """Whether a row with these cell texts and labels passes the filter."""
        if self._text_match is None:
            return self.matches_text("", labels)
        return self.matches_text(join_cells(cells).lower(), labels)

    __call__ = matches


def compile_filter(text: str) -> RowFilter:
    """Compile the ``/`` filter text (see the module docstring for the language).

    Args:
        text: What the user typed.

    Returns:
        A `RowFilter`; never raises.  Check ``.error`` to show a problem to the user.
    """
    stripped = text.strip()
    if not stripped:
        return RowFilter(text, "all")

    if stripped == "-l" or stripped.startswith(("-l ", "-l\t")):
        selector_text = stripped[2:].strip()
        try:
            selector = parse_label_selector(selector_text)
        except SelectorError as exc:
            return RowFilter(text, "invalid", error=f"Invalid label selector: {exc}")
        if not selector.requirements:
            return RowFilter(text, "all")
        return RowFilter(text, "selector", label_match=selector.matches)

    pattern = stripped
    inverted = False
    if pattern.startswith("!"):
        inverted = True
        pattern = pattern[1:]
    is_regex = pattern.startswith("~")
    # Drop the "~" marker, or the backslash that makes a leading "!" / "~" literal.
    if is_regex or pattern.startswith(("\\!", "\\~")):
        pattern = pattern[1:]
    if not pattern:
        # Half-typed ("!", "~", "!~"): show everything rather than flash an empty table.
        return RowFilter(text, "all")

    if is_regex:
        try:
            # Haystacks are lower-cased by the caller; IGNORECASE still matters for
            # patterns with upper-case literals or classes like [A-Z].
            compiled = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
        except re.error as exc:
            return RowFilter(text, "invalid", error=f"Invalid regular expression: {exc}")
        search = compiled.search
        return RowFilter(
            text,
            "regex",
            inverted=inverted,
            text_match=lambda haystack: search(haystack) is not None,
        )

    needle = pattern.lower()
    return RowFilter(
        text,
        "substring",
        inverted=inverted,
        text_match=lambda haystack: needle in haystack,
        needle=needle,
    )
