"""What the config needs of a kubeconfig: its contexts (for importing and the form) and a cheap
check that a cluster's context leads to a server (for validation). Never any credential.

`read_kubeconfig` is the one place a kubeconfig is read as YAML (the client's own check reads
through it too), so a broken file is worded the same wherever it shows. The `kubernetes`
package's `list_kube_config_contexts` would not do: it names neither the servers nor the line
of a YAML error, and it raises on files we only want to describe.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kite_tui.core.config.model import ConfigEditError, did_you_mean, is_url

# libyaml's loader when PyYAML has it (same safe subset, ~10x faster): a fleet's clients are
# built from hundreds of kubeconfig reads, each on the build threads' shared GIL.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KubeconfigUnreadable(ConfigEditError):
    """A kubeconfig that cannot be read, or is not a kubeconfig; the message names the file."""


def read_kubeconfig(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The kubeconfig's top-level mapping (empty for an empty file).

    Raises `KubeconfigUnreadable` when the file is missing, unreadable, not UTF-8 text, not
    YAML (naming the line) or not a mapping.
    """
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise KubeconfigUnreadable(f"kubeconfig {path} does not exist") from None
    except UnicodeDecodeError:
        raise KubeconfigUnreadable(f"kubeconfig {path} is not UTF-8 text") from None
    except OSError as exc:
        raise KubeconfigUnreadable(
            f"kubeconfig {path} cannot be read: {exc.strerror or exc}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise KubeconfigUnreadable(f"kubeconfig {path} is not valid YAML{at}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KubeconfigUnreadable(
            f"kubeconfig {path} is not a kubeconfig (no mapping at top level)"
        )
    return data


def named(items: Any, name: object) -> dict[str, Any]:
    """The entry called `name` of a kubeconfig list (``contexts``, ``clusters``), or {}."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    return {}


def context_of(data: dict[str, Any], context: object) -> dict[str, Any]:
    """The ``context:`` mapping of context `context` (cluster, user, namespace), or {}."""
    entry = named(data.get("contexts"), context).get("context")
    return entry if isinstance(entry, dict) else {}


def cluster_of(data: dict[str, Any], cluster: object) -> dict[str, Any] | None:
    """The ``cluster:`` mapping of cluster `cluster` (server, CA, ...); None if not defined."""
    entry = named(data.get("clusters"), cluster).get("cluster")
    return entry if isinstance(entry, dict) else None


def current_context(path: Path) -> str | None:
    """The kubeconfig's current-context, or None (also when the file cannot be read)."""
    try:
        current = read_kubeconfig(path).get("current-context")
    except KubeconfigUnreadable:
        return None
    return current if isinstance(current, str) else None


@dataclass(frozen=True)
class ContextInfo:
    """One context of a kubeconfig, with what it points at (never any credential)."""

    name: str
    cluster: str | None
    server: str | None
    user: str | None
    namespace: str | None
    current: bool = False


def kubeconfig_contexts(path: str | os.PathLike[str]) -> list[ContextInfo]:
    """The contexts of a kubeconfig, in file order. Raises `KubeconfigUnreadable`."""
    data = read_kubeconfig(path)
    servers = {
        c.get("name"): (c.get("cluster") or {}).get("server")
        for c in data.get("clusters") or []
        if isinstance(c, dict) and isinstance(c.get("cluster") or {}, dict)
    }
    current = data.get("current-context")
    out: list[ContextInfo] = []
    for item in data.get("contexts") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        ctx = item.get("context")
        if not isinstance(ctx, dict):
            ctx = {}
        cluster = _str_or_none(ctx.get("cluster"))
        out.append(
            ContextInfo(
                name=item["name"],
                cluster=cluster,
                server=_str_or_none(servers.get(cluster)),
                user=_str_or_none(ctx.get("user")),
                namespace=_str_or_none(ctx.get("namespace")),
                current=item["name"] == current,
            )
        )
    return out


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def check_context(path: Path, context: str | None) -> tuple[str | None, str | None, str | None]:
    """Cheap structural check: the file parses, names the context we want, and that context
    leads to a server URL. Returns (problem, the context's server, the context's namespace)."""
    try:
        data = read_kubeconfig(path)
    except KubeconfigUnreadable as exc:
        return str(exc), None, None
    contexts = [c.get("name") for c in data.get("contexts") or [] if isinstance(c, dict)]
    if context is None:
        current = data.get("current-context")
        if not current:
            return f"kubeconfig {path} has no current-context; set 'context'", None, None
        context = current
    if context not in contexts:
        hint = did_you_mean(context, [c for c in contexts if c])
        have = ", ".join(repr(c) for c in contexts) or "none"
        problem = f"context {context!r} is not in kubeconfig {path}{hint} (it has: {have})"
        return problem, None, None
    entry = context_of(data, context)
    cluster_name = entry.get("cluster")
    cluster = cluster_of(data, cluster_name)
    if cluster is None:
        problem = (
            f"kubeconfig {path}: context {context!r} names cluster {cluster_name!r}, "
            "which the kubeconfig does not define"
        )
        return problem, None, None
    server = cluster.get("server")
    if not is_url(server):
        problem = (
            f"kubeconfig {path}: the server of context {context!r} is {server!r}, "
            "not a URL (expected https://host[:port])"
        )
        return problem, None, None
    namespace = entry.get("namespace")
    return None, server, namespace if isinstance(namespace, str) and namespace else None
