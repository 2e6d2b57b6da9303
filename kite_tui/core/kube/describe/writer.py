"""The prefix writer describers write with, and the tab alignment it renders through.

`PrefixWriter` collects lines at indentation levels (kubectl's ``PrefixWriter``), with
``label:\tvalue`` and ``\t``-separated cells; `tabwrite` aligns those cells at the end
the way Go's text/tabwriter does, which is what kubectl uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["NONE", "PrefixWriter", "tabwrite"]

NONE = "<none>"


def _cell_width(text: str) -> int:
    if text.isascii():
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def tabwrite(lines: Sequence[str], padding: int = 2) -> list[str]:
    """Align tab-separated cells the way Go's text/tabwriter does (kubectl uses it).

    A column block is a run of consecutive lines that have a tab-terminated cell in that
    column; a line without one ends the block. So ``Labels:`` and its continuation lines
    stay aligned with the fields around them, while a heading line such as ``Containers:``
    starts a fresh alignment below it.
    """
    rows = [line.split("\t") for line in lines]
    widths: list[list[int]] = [[0] * (len(r) - 1) for r in rows]

    def fmt(start: int, end: int, col: int) -> None:
        i = start
        while i < end:
            if len(rows[i]) - 1 <= col:
                i += 1
                continue
            j, width = i, 0
            while j < end and len(rows[j]) - 1 > col:
                width = max(width, _cell_width(rows[j][col]))
                j += 1
            for k in range(i, j):
                widths[k][col] = width + padding
            fmt(i, j, col + 1)
            i = j

    fmt(0, len(rows), 0)
    out = []
    for cells, ws in zip(rows, widths, strict=True):
        text = "".join(c + " " * (w - _cell_width(c)) for c, w in zip(cells, ws, strict=False))
        out.append((text + cells[-1]).rstrip())
    return out


class PrefixWriter:
    """Collects describe lines; ``label:\\tvalue`` cells are aligned at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def kv(self, level: int, label: str, value: Any, *, empty: str = NONE) -> None:
        """``label:<tab>value``. A newline in the value starts a line of its own, not
        indented and outside the columns, as kubectl's writer leaves it."""
        text = empty if value is None or value == "" else str(value).replace("\t", "    ")
        self.lines.append(f"{'  ' * level}{label}:\t{text}")

    def head(self, level: int, label: str) -> None:
        self.lines.append(f"{'  ' * level}{label}:")

    def multi(self, level: int, label: str, values: Sequence[str]) -> None:
        """``label: first`` then the others below it, aligned; ``<none>`` if empty."""
        if not values:
            self.kv(level, label, NONE)
            return
        self.kv(level, label, values[0])
        for value in values[1:]:
            self.kv_more(level, value)

    def kv_more(self, level: int, value: Any) -> None:
        """A continuation line: aligned with the value above it."""
        text = str(value).replace("\t", "    ").replace("\n", " ")
        self.lines.append(f"{'  ' * level}\t{text}")

    def row(self, level: int, *cells: Any) -> None:
        """Cells of one row; a newline in a cell breaks the line there, as in kubectl."""
        clean = (str(c).replace("\t", " ") for c in cells)
        self.lines.append("  " * level + "\t".join(clean))

    def text(self, line: str = "") -> None:
        self.lines.append(line.replace("\t", "    "))

    def render(self) -> str:
        return "\n".join(tabwrite("\n".join(self.lines).split("\n"))) + "\n"
