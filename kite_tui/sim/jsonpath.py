"""The subset of Kubernetes JSONPath that CRD printer columns use.

A CRD's ``additionalPrinterColumns[].jsonPath`` is a "simple" path (the API server rejects
others): fields (``.spec.secretName``, ``.metadata.labels['app.kubernetes.io/name']``),
indexes (``[0]``, ``[-1]``), ``[*]`` and filters (``[?(@.type=="Ready")]``, ``==``/``!=``
against a string, number or boolean, or ``[?(@.ready)]`` for existence). :func:`find`
returns every match, as k8s.io/client-go/util/jsonpath does (none for a missing field);
:func:`text` prints one value as jsonpath's text printer does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

Step = Callable[[list], list]

_FILTER = re.compile(
    r"""\?\(\s*@((?:\.[\w\-/]+|\[['"][^'"]+['"]\])+)\s*(?:(==|!=)\s*(.+?))?\s*\)$"""
)


class JSONPathError(ValueError):
    """A path outside the supported subset."""


def _field(name: str) -> Step:
    def step(values: list) -> list:
        return [v[name] for v in values if isinstance(v, dict) and name in v]

    return step


def _index(i: int) -> Step:
    def step(values: list) -> list:
        out = []
        for v in values:
            if isinstance(v, list) and -len(v) <= i < len(v):
                out.append(v[i])
        return out

    return step


def _wildcard(values: list) -> list:
    out: list = []
    for v in values:
        if isinstance(v, list):
            out.extend(v)
        elif isinstance(v, dict):
            out.extend(v.values())
    return out


def _literal(text: str) -> object:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    try:
        return json.loads(text)
    except ValueError as exc:
        raise JSONPathError(f"unsupported filter value {text!r}") from exc


def _filter(expr: str) -> Step:
    m = _FILTER.match(expr)
    if m is None:
        raise JSONPathError(f"unsupported filter {expr!r}")
    sub = compile_path(m.group(1))
    op, want = m.group(2), _literal(m.group(3)) if m.group(2) else None

    def keep(item: object) -> bool:
        found = sub([item])
        if op is None:
            return bool(found)
        hit = any(v == want for v in found)
        return hit if op == "==" else bool(found) and not hit

    def step(values: list) -> list:
        out: list = []
        for v in values:
            items = v if isinstance(v, list) else list(v.values()) if isinstance(v, dict) else []
            out.extend(i for i in items if keep(i))
        return out

    return step


def compile_path(path: str) -> Step:
    """Compile a path (``{...}`` braces optional) into a function of [root] -> matches."""
    text = path.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    if text.startswith("$"):
        text = text[1:]
    steps: list[Step] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == ".":
            m = re.compile(r"[\w\-/]+").match(text, i + 1)
            if m is None:
                if text.startswith(".[", i) or i + 1 == len(text):
                    i += 1
                    continue
                raise JSONPathError(f"unsupported path {path!r}")
            steps.append(_field(m.group()))
            i = m.end()
        elif c == "[":
            end = _closing(text, i)
            inner = text[i + 1 : end].strip()
            if inner == "*":
                steps.append(_wildcard)
            elif inner.startswith("?"):
                steps.append(_filter(inner))
            elif inner[:1] in "'\"":
                steps.append(_field(inner[1:-1]))
            else:
                try:
                    steps.append(_index(int(inner)))
                except ValueError as exc:
                    raise JSONPathError(f"unsupported index [{inner}] in {path!r}") from exc
            i = end + 1
        else:
            raise JSONPathError(f"unsupported path {path!r}")

    def run(values: list) -> list:
        for step in steps:
            values = step(values)
        return values

    return run


def _closing(text: str, start: int) -> int:
    depth, quote = 0, ""
    for j in range(start, len(text)):
        c = text[j]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
    raise JSONPathError(f"unclosed [ in {text!r}")


def find(obj: object, path: str) -> list:
    """Every value ``path`` selects in ``obj`` (empty when nothing matches)."""
    return compile_path(path)([obj])


def text(value: object) -> str:
    """A value as jsonpath's text printer writes it: Go's ``fmt.Fprint`` of the decoded JSON
    (``map[k:v]`` for objects, ``[a b]`` for arrays)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "<nil>"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{text(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(text(v) for v in value) + "]"
    return str(value)
