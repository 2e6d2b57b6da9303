"""Label selectors, read and written as kubectl and the API server do (apimachinery's
``labels.Parse`` and ``Selector.String``).

`parse_label_selector` turns ``kubectl get -l`` syntax into a `LabelSelector` whose
``matches(labels)`` decides whether an object is selected: the table's ``/-l`` filter and
the simulator's ``labelSelector`` both use it. `label_selector_string` writes a
LabelSelector *object* (``spec.selector`` of a deployment) in that syntax, the way
``kubectl describe`` and the server's tables print it. `split_requirements` cuts a
selector into its requirements as typed, for display.

Grammar: requirements separated by commas, all of which must hold: ``key=value``,
``key==value``, ``key!=value``, ``key in (a,b)``, ``key notin (a,b)``, ``key`` (exists),
``!key`` (does not exist), ``key>1``, ``key<1`` (integers). As in Kubernetes, ``!=`` and
``notin`` also match objects without the label; ``key=``, ``key in ()`` and the empty item
of ``key in (a,)`` mean the empty value. Keys and values are validated as the server does.

No Textual import here: the core stays usable headless.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

__all__ = [
    "LabelSelector",
    "Operator",
    "Requirement",
    "SelectorError",
    "label_selector_string",
    "parse_label_selector",
    "split_requirements",
]

# --------------------------------------------------------------------------------------
# Reading selectors
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
# Writing selectors
# --------------------------------------------------------------------------------------

_EXPRESSION_OPERATORS = {"In": "in", "NotIn": "notin", "Exists": "", "DoesNotExist": "!"}


def label_selector_string(selector: Mapping[str, Any] | None) -> str:
    """A LabelSelector object (``matchLabels``, ``matchExpressions``) in selector syntax, as
    the API server writes it: requirements sorted by key, each value list sorted. Empty for
    an empty selector (it selects everything); expressions with an unknown operator are
    left out."""
    if not selector:
        return ""
    reqs = [(str(k), f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        key, op = str(expr.get("key", "")), _EXPRESSION_OPERATORS.get(expr.get("operator", ""))
        values = ",".join(sorted(str(v) for v in expr.get("values") or []))
        if op in ("in", "notin"):
            reqs.append((key, f"{key} {op} ({values})"))
        elif op is not None:
            reqs.append((key, f"{op}{key}"))
    reqs.sort(key=lambda kr: kr[0])  # stable, as Go's sort by key leaves equal keys
    return ",".join(text for _key, text in reqs)


def split_requirements(selector: str) -> list[str]:
    """A selector's requirements as typed: split at the commas outside ``in (a,b)`` lists
    (empty parts kept; none for an empty selector)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(selector):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(selector[start:i])
            start = i + 1
    if selector:
        parts.append(selector[start:])
    return parts
