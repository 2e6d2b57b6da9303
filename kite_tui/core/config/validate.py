"""Checking one entry before it is saved: the problems it would have, by form field, and the
spec it would make (to test its connection first).

The entry is put into a copy of the file and the copy read by the loader, so the rules are
exactly the loader's; each problem is then mapped back to the field it is about.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import tomlkit

from kite_tui.core.config.document import ENTRY_FIELDS, ClusterEntry, ConfigDocument
from kite_tui.core.config.load import parse_config
from kite_tui.core.config.model import ClusterSpec, ConfigEditError, ConfigError, ConfigIssue

# The key `validate_entry` uses for a problem that is not about one field of the entry.
NO_FIELD = ""


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
    exactly the loader's; each issue is mapped to the field its `key` names. Problems that are
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
    try:
        issues: Iterable[ConfigIssue] = parse_config(doc.text, path).issues()
    except ConfigError as exc:
        issues = exc.issues
    for issue in issues:
        if issue.cluster == probe.name:
            field = issue.key if issue.key in ENTRY_FIELDS else NO_FIELD
            errors.setdefault(field, issue.message)
        elif issue.cluster is None:
            errors.setdefault(NO_FIELD, str(issue))  # the rest of the file
        # else: another cluster's own problem
    return errors


def spec_for(entry: ClusterEntry, config_path: Path) -> ClusterSpec:
    """The `ClusterSpec` the loader would make of `entry` alone (paths resolved as in the
    file), to test a connection before anything is saved. Problems are in `spec.problems`;
    raises `ConfigError` if the entry does not even make a file (no name, say)."""
    probe_entry = entry if entry.name.strip() else entry.replace(name="connection-test")
    text = tomlkit.dumps({"clusters": [probe_entry.values()]})
    return parse_config(text, config_path).clusters[0]
