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
    An empty selector (``-l`` alone) matches everything.

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
from dataclasses import dataclass
from typing import Literal, cast

__all__ = [
    "FilterKind",
    "LabelSelector",
    "Requirement",
    "RowFilter",
    "SelectorError",
    "compile_filter",
    "join_cells",
    "parse_label_selector",
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
# Label selectors (k8s.io/apimachinery/pkg/labels: Parse)
# --------------------------------------------------------------------------------------


class SelectorError(ValueError):
    """A label selector could not be parsed."""


_DNS_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_SUBDOMAIN_RE = re.compile(rf"{_DNS_LABEL}(\.{_DNS_LABEL})*")
_NAME_RE = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_SPECIAL_CHARS = frozenset("=!(),<>")
_OPERATORS = ("==", "!=", "=", "<", ">", "(", ")", ",", "!")


def _validate_key(key: str) -> None:
    """Raise SelectorError unless ``key`` is a qualified label key (``[prefix/]name``)."""
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS_SUBDOMAIN_RE.fullmatch(prefix)):
        raise SelectorError(f"invalid label key {key!r}: prefix must be a DNS subdomain")
    if not name or len(name) > 63 or not _NAME_RE.fullmatch(name):
        raise SelectorError(
            f"invalid label key {key!r}: name must be 1-63 alphanumerics, '-', '_' or '.',"
            " starting and ending with an alphanumeric"
        )


def _validate_value(value: str) -> None:
    """Raise SelectorError unless ``value`` is a valid (possibly empty) label value."""
    if value and (len(value) > 63 or not _NAME_RE.fullmatch(value)):
        raise SelectorError(
            f"invalid label value {value!r}: must be at most 63 alphanumerics, '-', '_' or"
            " '.', starting and ending with an alphanumeric"
        )


def _tokenize(text: str) -> list[str]:
    """Split a selector into operator and identifier tokens (whitespace separates)."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _SPECIAL_CHARS:
            for op in _OPERATORS:  # two-character operators are listed first
                if text.startswith(op, i):
                    tokens.append(op)
                    i += len(op)
                    break
            else:  # pragma: no cover - every special char is an operator prefix
                raise SelectorError(f"unexpected {ch!r}")
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in _SPECIAL_CHARS:
            i += 1
        tokens.append(text[start:i])
    return tokens


Operator = Literal["exists", "!", "=", "!=", "in", "notin", ">", "<"]


@dataclass(frozen=True, slots=True)
class Requirement:
    """One comma-separated term of a label selector."""

    key: str
    operator: Operator
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether ``labels`` satisfy this requirement (Kubernetes semantics)."""
        op = self.operator
        value = labels.get(self.key)
        if op == "exists":
            return value is not None
        if op == "!":
            return value is None
        if op in ("=", "in"):
            return value is not None and value in self.values
        if op in ("!=", "notin"):
            # As in Kubernetes: a missing label satisfies "!=" and "notin".
            return value is None or value not in self.values
        # ">" / "<": both sides must be integers.
        if value is None:
            return False
        try:
            have = int(value)
        except ValueError:
            return False
        (want,) = self.values
        return have > int(want) if op == ">" else have < int(want)


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """A parsed label selector: all requirements must match."""

    requirements: tuple[Requirement, ...]

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether ``labels`` satisfy every requirement."""
        return all(req.matches(labels) for req in self.requirements)


def parse_label_selector(text: str) -> LabelSelector:
    """Parse ``kubectl -l`` selector syntax.

    Args:
        text: e.g. ``"app=web,tier in (fe,be),!canary"``.

    Returns:
        The parsed selector (empty text gives a selector that matches everything).

    Raises:
        SelectorError: With a message fit to show the user.
    """
    tokens = _tokenize(text)
    pos = 0
    requirements: list[Requirement] = []

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str | None:
        nonlocal pos
        tok = peek()
        pos += 1
        return tok

    def is_ident(tok: str | None) -> bool:
        return tok is not None and tok not in _OPERATORS

    if not tokens:
        return LabelSelector(())
    while True:
        tok = take()
        if tok == "!":
            key = take()
            if not is_ident(key):
                raise SelectorError(f"expected a label key after '!', found {key or 'end'!r}")
            assert key is not None
            _validate_key(key)
            requirements.append(Requirement(key, "!"))
        elif is_ident(tok):
            assert tok is not None
            key = tok
            _validate_key(key)
            op = peek()
            if op is None or op == ",":
                requirements.append(Requirement(key, "exists"))
            elif op in ("=", "==", "!="):
                take()
                nxt = peek()
                if nxt is None or nxt == ",":
                    value = ""  # "a=" selects an empty value, as in Kubernetes
                elif is_ident(nxt):
                    value = take() or ""
                else:
                    raise SelectorError(f"expected a value after {op!r}, found {nxt!r}")
                _validate_value(value)
                requirements.append(
                    Requirement(key, "!=" if op == "!=" else "=", frozenset((value,)))
                )
            elif op in ("in", "notin"):
                take()
                if take() != "(":
                    raise SelectorError(f"expected '(' after {op!r}")
                values: set[str] = set()
                expect_value = True
                while True:
                    nxt = take()
                    if nxt == ")":
                        if expect_value:
                            values.add("")  # "in ()" / "in (a,)" mean the empty value
                        break
                    if nxt == "," and not expect_value:
                        expect_value = True
                    elif nxt == ",":
                        values.add("")
                    elif is_ident(nxt) and expect_value:
                        assert nxt is not None
                        _validate_value(nxt)
                        values.add(nxt)
                        expect_value = False
                    else:
                        raise SelectorError(
                            f"unexpected {nxt or 'end'!r} in the values of {key!r} {op}"
                        )
                requirements.append(Requirement(key, cast(Operator, op), frozenset(values)))
            elif op in (">", "<"):
                take()
                nxt = take()
                if not is_ident(nxt):
                    raise SelectorError(f"expected an integer after {op!r}")
                assert nxt is not None
                try:
                    int(nxt)
                except ValueError:
                    raise SelectorError(
                        f"for {op!r}, the value must be an integer, not {nxt!r}"
                    ) from None
                requirements.append(Requirement(key, cast(Operator, op), frozenset((nxt,))))
            else:
                raise SelectorError(f"expected an operator after {key!r}, found {op!r}")
        else:
            raise SelectorError(f"expected a label key, found {tok or 'end'!r}")

        sep = take()
        if sep is None:
            break
        if sep != ",":
            raise SelectorError(f"expected ',' between requirements, found {sep!r}")
        if peek() is None:
            raise SelectorError("expected a requirement after ','")
    return LabelSelector(tuple(requirements))


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

    __slots__ = ("_label_match", "_text_match", "error", "inverted", "kind", "text")

    def __init__(
        self,
        text: str,
        kind: FilterKind,
        *,
        inverted: bool = False,
        error: str | None = None,
        text_match: Callable[[str], bool] | None = None,
        label_match: Callable[[Mapping[str, str]], bool] | None = None,
    ) -> None:
        self.text = text
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
        text, "substring", inverted=inverted, text_match=lambda haystack: needle in haystack
    )
