"""Checking one entry before it is saved: the problems it would have, by form field, and the
spec it would make (to test its connection first).

The entry is put into a copy of the file and the copy read by the loader, so the rules are
exactly the loader's; each problem is then mapped back to the field it is about.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import tomlkit

from kite_tui.core.config.document import ENTRY_FIELDS, ClusterEntry, ConfigDocument
from kite_tui.core.config.load import parse_config
from kite_tui.core.config.model import ClusterSpec, ConfigEditError, ConfigError, ConfigIssue

# The key `validate_entry` uses for a problem that is not about one field of the entry.
NO_FIELD = ""

_HEADER = re.compile(r"^\s*\[\[\s*clusters\s*\]\]")
_ANY_TABLE = re.compile(r"^\s*\[")
_KEY_LINE = re.compile(r"^\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*=")


def validate_entry(
    entry: ClusterEntry,
    config_path: str | os.PathLike[str],
    *,
    replacing: str | None = None,
    document: ConfigDocument | None = None,
) -> dict[str, str]:
    """Problems `entry` would have once saved, as ``{field: message}`` (empty: fine).

    `replacing` is the name of the entry being edited (None: a new entry). The entry is put
    into a copy of the file and the result checked with `parse_config`, so the rules are
    exactly the loader's; each issue is mapped back to the field on its line. Problems that are
    not about one field (e.g. the rest of the file is broken) are under `NO_FIELD`.
    """
    path = Path(config_path)
    try:
        doc = document or ConfigDocument.read(path)
    except ConfigError as exc:
        return {NO_FIELD: str(exc)}
    # Work on a copy: validating must not edit the caller's document.
    doc = ConfigDocument(doc.path, tomlkit.parse(doc.text), doc.original, doc.signature)
    errors: dict[str, str] = {}
    probe = entry
    if not entry.name.strip():
        errors["name"] = "a name is required"
    elif entry.name != replacing and entry.name in doc.names():
        errors["name"] = f"a cluster named {entry.name!r} already exists"
    if "name" in errors:
        # Check the other fields under a stand-in name nobody uses.
        probe = entry.replace(name=doc._free_name("kite-tui-validate"))
    try:
        if replacing is None:
            doc.add_cluster(probe)
        else:
            doc.update_cluster(replacing, probe)
    except ConfigEditError as exc:
        errors.setdefault(NO_FIELD, str(exc))
        return errors
    text = doc.text
    try:
        issues: Iterable[ConfigIssue] = parse_config(text, path).issues()
    except ConfigError as exc:
        issues = exc.issues
    index, _ = doc._find(probe.name)
    span = _table_span(text, index)
    for issue in issues:
        if issue.cluster not in (None, probe.name):
            continue  # another cluster's own problem
        in_table = span is not None and issue.line is not None and span[0] <= issue.line < span[1]
        if issue.cluster is None and not in_table:
            errors.setdefault(NO_FIELD, str(issue))
            continue
        errors.setdefault(_field_of(issue, text), issue.message)
    return errors


def _table_span(text: str, index: int) -> tuple[int, int] | None:
    """1-based [first, end) line numbers of the `index`-th ``[[clusters]]`` table."""
    lines = text.splitlines()
    headers = [i + 1 for i, ln in enumerate(lines) if _HEADER.match(ln)]
    if index >= len(headers):
        return None
    start = headers[index]
    end = len(lines) + 1
    for i in range(start, len(lines)):
        if _ANY_TABLE.match(lines[i]):
            end = i + 1
            break
    return start, end


def _field_of(issue: ConfigIssue, text: str) -> str:
    """The entry field an issue is about: the key on its line, else the first field the
    message names (issues about the table as a whole sit on its header line)."""
    lines = text.splitlines()
    if issue.line and issue.line <= len(lines):
        m = _KEY_LINE.match(lines[issue.line - 1])
        if m:
            return m.group(1) if m.group(1) in ENTRY_FIELDS else NO_FIELD
    message = issue.message
    found = [
        (pos, f)
        for f in ENTRY_FIELDS
        for label in {f, f.replace("_", " ")}
        if (pos := _word_at(message, label)) is not None
    ]
    return min(found)[1] if found else "name"


def _word_at(message: str, word: str) -> int | None:
    m = re.search(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])", message)
    return m.start() if m else None


def spec_for(entry: ClusterEntry, config_path: Path) -> ClusterSpec:
    """The `ClusterSpec` the loader would make of `entry` alone (paths resolved as in the
    file), to test a connection before anything is saved. Problems are in `spec.problems`;
    raises `ConfigError` if the entry does not even make a file (no name, say)."""
    probe_entry = entry if entry.name.strip() else entry.replace(name="connection-test")
    text = tomlkit.dumps({"clusters": [probe_entry.values()]})
    return parse_config(text, config_path).clusters[0]
