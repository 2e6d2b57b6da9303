"""One object as ``kubectl get -o yaml`` prints it, ``metadata.managedFields`` folded away.

Pure: plain Python over the object's JSON (dicts), no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

__all__ = ["to_yaml", "without_managed_fields"]


class _YamlDumper(yaml.SafeDumper):
    """kubectl-like YAML: block style, multi-line strings as literal blocks, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        # Objects decoded from JSON never share nodes on purpose; anchors would only confuse.
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # A literal block (|) keeps embedded configs readable. PyYAML falls back to a quoted
    # style by itself when a block cannot represent the string exactly (trailing spaces...).
    style: str | None = None
    if "\n" in data:
        style = "|"
    elif dumper.resolve(yaml.ScalarNode, data, (True, False)) != "tag:yaml.org,2002:str":
        # A string that would read back as a number, bool, null or timestamp ("1", "true",
        # "2024-01-01T00:00:00Z"): double quotes, as kubectl prints them.
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_YamlDumper.add_representer(str, _represent_str)


def _sorted_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_value(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_value(v) for v in value]
    return value


def without_managed_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy of ``obj`` whose metadata has no ``managedFields``."""
    out = dict(obj)
    meta = out.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        out["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    return out


def to_yaml(obj: Mapping[str, Any], fold_managed_fields: bool = True) -> str:
    """The object as ``kubectl get -o yaml`` prints it.

    Every key sorted, the top level's too, as kubectl's JSON-to-YAML conversion does (a Pod
    reads apiVersion, kind, metadata, spec, status; a Secret apiVersion, data, kind,
    metadata, type). ``metadata.managedFields`` (hundreds of lines of server-side-apply
    bookkeeping nobody reads) is left out unless ``fold_managed_fields`` is False, as
    kubectl leaves it out unless ``--show-managed-fields``.
    """
    if fold_managed_fields:
        obj = without_managed_fields(obj)
    doc = _sorted_value(dict(obj))
    return yaml.dump(
        doc,
        Dumper=_YamlDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,  # never fold long values: one value per line reads and searches best
    )
