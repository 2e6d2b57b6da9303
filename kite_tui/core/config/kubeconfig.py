"""What the config needs of a kubeconfig: its contexts (for importing and the form) and a cheap
check that a cluster's context leads to a server (for validation). Never any credential."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kite_tui.core.config.model import ConfigEditError, did_you_mean, is_url


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
    """The contexts of a kubeconfig, in file order. Raises `ConfigEditError` if unreadable."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigEditError(f"kubeconfig {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigEditError(f"kubeconfig {path} cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise ConfigEditError(f"kubeconfig {path} is not valid YAML{at}") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ConfigEditError(f"kubeconfig {path} is not a kubeconfig (no mapping at top level)")
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


def _named(items: Any, name: object) -> dict[str, Any] | None:
    """The entry called `name` of a kubeconfig list (`contexts`, `clusters`), if any."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    return None


def check_context(path: Path, context: str | None) -> tuple[str | None, str | None, str | None]:
    """Cheap structural check: the file parses, names the context we want, and that context
    leads to a server URL. Returns (problem, the context's server, the context's namespace)."""
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        return f"kubeconfig {path} cannot be read{at}: {exc.__class__.__name__}", None, None
    if not isinstance(data, dict):
        return f"kubeconfig {path} is not a kubeconfig (no mapping at top level)", None, None
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
    entry = (_named(data.get("contexts"), context) or {}).get("context")
    if not isinstance(entry, dict):
        entry = {}
    cluster_name = entry.get("cluster")
    cluster = (_named(data.get("clusters"), cluster_name) or {}).get("cluster")
    if not isinstance(cluster, dict):
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


def current_context(path: Path) -> str | None:
    """The kubeconfig's current-context, or None (also when the file cannot be read)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    current = data.get("current-context") if isinstance(data, dict) else None
    return current if isinstance(current, str) else None
