"""What the config needs of a kubeconfig: its contexts (for importing and the form) and a cheap
check that a cluster's context leads to a server (for validation). Never any credential.

`load_kubeconfig` is the one place a kubeconfig is read as YAML (the client reads through it
too), so a broken file is worded the same wherever it shows. A "kubeconfig" may be a list of
files joined by `os.pathsep`, as in ``KUBECONFIG=a:b``; the list is merged by kubectl's rules
(see `Kubeconfig`). Each file is parsed once per change of its content (by its stat) and the
result shared by every caller and thread: a fleet of clusters on one large kubeconfig reads it
once, not once per cluster on every reload. The `kubernetes` package's
`list_kube_config_contexts` would not do: it names neither the servers nor the line of a YAML
error, and it raises on files we only want to describe.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from kite_tui.core.config.model import ConfigEditError, did_you_mean, is_url
from kite_tui.core.config.paths import path_list

# libyaml's loader when PyYAML has it (same safe subset, ~10x faster).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The parts of a kubeconfig merged by name, first file first (kubectl's order of the lists).
_NAMED = ("clusters", "users", "contexts")


class KubeconfigUnreadable(ConfigEditError):
    """A kubeconfig that cannot be read, or is not a kubeconfig; the message names the file."""


def kubeconfig_files(path: str | os.PathLike[str]) -> tuple[Path, ...]:
    """The files a kubeconfig value names: one file, or a list joined by `os.pathsep` as in
    ``KUBECONFIG`` (empty parts dropped, as kubectl drops them). A file whose own name holds
    the separator is taken whole when it exists."""
    return tuple(Path(p) for p in path_list(os.fspath(path)))


@dataclass(frozen=True, eq=False)
class Kubeconfig:
    """One kubeconfig, or a list of them merged as kubectl merges ``KUBECONFIG=a:b``.

    The first file that defines a cluster, user or context by a name wins for that name; the
    current-context is the first one set; files that do not exist are skipped (but one of
    them must exist).
    `data` is the merged mapping; shared by every caller, so it must never be changed.
    """

    path: Path  # as given (a list joined by os.pathsep)
    data: dict[str, Any]
    # (part, name) -> the file that defined it: relative paths inside an entry are taken
    # from its own file's folder, as kubectl does.
    origin: dict[tuple[str, str], Path] = field(default_factory=dict)
    files: tuple[Path, ...] = ()  # the files read, in order

    def entry(self, part: str, name: object) -> dict[str, Any] | None:
        """The inner mapping (``cluster:``, ``user:``, ``context:``) of the entry `name` of
        `part` (``clusters``, ``users``, ``contexts``); None when there is none."""
        found = self._index[part].get(name) if isinstance(name, str) else None
        if found is None:
            return None
        inner = found.get(part[:-1])
        return inner if isinstance(inner, dict) else {}

    def file_of(self, part: str, name: str) -> Path:
        """The file that defines entry `name` of `part` (the first file if none does)."""
        file = self.origin.get((part, name)) or (self.files[0] if self.files else self.path)
        return Path(os.path.abspath(file))

    def folder(self, part: str, name: str) -> Path:
        """The folder relative paths of entry `name` are read from (its own file's)."""
        return self.file_of(part, name).parent

    def for_context(self, context: str | None) -> dict[str, Any]:
        """A kubeconfig of its own for `context` (None: the current one) with only that
        context, its cluster and its user, for the client's loader: a copy (the loader writes
        refreshed credentials into what it is given), small (its lookups scan lists), with
        relative file paths taken from the folder of the file that defined each entry."""
        name = context if context is not None else self.data.get("current-context")
        out: dict[str, Any] = {"current-context": name}
        found = self._index["contexts"].get(name) if isinstance(name, str) else None
        out["contexts"] = [copy.deepcopy(found)] if found is not None else []
        ctx = self.entry("contexts", name) or {}
        for part, key, files in (
            ("clusters", ctx.get("cluster"), ("certificate-authority",)),
            ("users", ctx.get("user"), ("client-certificate", "client-key", "tokenFile")),
        ):
            item = self._index[part].get(key) if isinstance(key, str) else None
            out[part] = []
            if item is None:
                continue
            item = copy.deepcopy(item)
            inner = item.get(part[:-1])
            if isinstance(inner, dict) and isinstance(key, str):
                folder = self.folder(part, key)
                for field_name in files:
                    value = inner.get(field_name)
                    if isinstance(value, str) and value and not os.path.isabs(value):
                        inner[field_name] = os.path.normpath(folder / os.path.expanduser(value))
            out[part].append(item)
        return out

    @cached_property
    def _index(self) -> dict[str, dict[str, dict[str, Any]]]:
        index: dict[str, dict[str, dict[str, Any]]] = {}
        for part in _NAMED:
            names: dict[str, dict[str, Any]] = {}
            for item in self.data.get(part) or []:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    names.setdefault(item["name"], item)
            index[part] = names
        return index

    @cached_property
    def contexts(self) -> tuple[ContextInfo, ...]:
        current = self.data.get("current-context")
        out: list[ContextInfo] = []
        for name, item in self._index["contexts"].items():
            ctx = item.get("context")
            if not isinstance(ctx, dict):
                ctx = {}
            cluster = _str_or_none(ctx.get("cluster"))
            fields = self.entry("clusters", cluster) or {}
            out.append(
                ContextInfo(
                    name=name,
                    cluster=cluster,
                    server=_str_or_none(fields.get("server")),
                    user=_str_or_none(ctx.get("user")),
                    namespace=_str_or_none(ctx.get("namespace")),
                    current=name == current,
                )
            )
        return tuple(out)


# Parsed files by path: (stat identity, the mapping or the error it raised). Bounded: a
# long-running app may be pointed at many files over time.
_FileResult = dict[str, Any] | KubeconfigUnreadable
_files: OrderedDict[Path, tuple[tuple[int, ...], _FileResult]] = OrderedDict()
_merged: OrderedDict[str, tuple[tuple[Any, ...], Kubeconfig]] = OrderedDict()
_CACHED = 64
_lock = threading.Lock()
_parses = 0


def parse_count() -> int:
    """How many times a kubeconfig file has been parsed in this process (for tests)."""
    return _parses


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return (-1,)  # unreadable: read it to say why
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > _CACHED:
        cache.popitem(last=False)


def _read_file(path: Path, identity: tuple[int, ...]) -> dict[str, Any]:
    """One file's top-level mapping, parsed at most once per identity. Holds `_lock`."""
    global _parses
    cached = _files.get(path)
    if cached is None or cached[0] != identity:
        _parses += 1
        try:
            result: _FileResult = _parse(path)
        except KubeconfigUnreadable as exc:
            result = exc
        cached = (identity, result)
        _remember(_files, path, cached)
    result = cached[1]
    if isinstance(result, KubeconfigUnreadable):
        raise KubeconfigUnreadable(str(result))
    return result


def _parse(path: Path) -> dict[str, Any]:
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


def load_kubeconfig(path: str | os.PathLike[str]) -> Kubeconfig:
    """The kubeconfig (or merged list of them) at `path`, shared while no file changes.

    Raises `KubeconfigUnreadable` when a file is unreadable, not UTF-8 text, not YAML
    (naming the line) or not a mapping, or when a single file (not a list) is missing.
    """
    files = kubeconfig_files(path)
    identities = tuple(_identity(f) for f in files)
    key = os.fspath(path)
    with _lock:
        cached = _merged.get(key)
        if cached is not None and cached[0] == identities:
            _merged.move_to_end(key)
            return cached[1]
        if all(ident is None for ident in identities):
            if len(files) == 1:
                raise KubeconfigUnreadable(f"kubeconfig {files[0]} does not exist")
            raise KubeconfigUnreadable(f"none of the kubeconfig files {key} exists")
        read = [
            (f, _read_file(f, ident))
            for f, ident in zip(files, identities, strict=True)
            if ident is not None
        ]
        result = _merge(Path(key), read)
        _remember(_merged, key, (identities, result))
        return result


def _merge(path: Path, read: list[tuple[Path, dict[str, Any]]]) -> Kubeconfig:
    if len(read) == 1:
        file, data = read[0]
        origin: dict[tuple[str, str], Path] = {}
        return Kubeconfig(path, data, origin, (file,))
    merged: dict[str, Any] = {}
    origin = {}
    seen: dict[str, set[str]] = {part: set() for part in _NAMED}
    for file, data in read:
        for key, value in data.items():
            if key in _NAMED:
                items = merged.setdefault(key, [])
                for item in value if isinstance(value, list) else []:
                    name = item.get("name") if isinstance(item, dict) else None
                    if not isinstance(name, str) or name in seen[key]:
                        continue
                    seen[key].add(name)
                    items.append(item)
                    origin[(key, name)] = file
            elif key == "current-context":
                if value and not merged.get(key):
                    merged[key] = value
            else:
                merged.setdefault(key, value)
    return Kubeconfig(path, merged, origin, tuple(f for f, _ in read))


def read_kubeconfig(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The kubeconfig's (merged) top-level mapping; shared, never to be changed. Raises
    `KubeconfigUnreadable` (see `load_kubeconfig`)."""
    return load_kubeconfig(path).data


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
    """The contexts of a kubeconfig (or list), in file order. Raises `KubeconfigUnreadable`."""
    return list(load_kubeconfig(path).contexts)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def check_context(path: Path, context: str | None) -> tuple[str | None, str | None, str | None]:
    """Cheap structural check: the file parses, names the context we want, and that context
    leads to a server URL. Returns (problem, the context's server, the context's namespace)."""
    try:
        kubeconfig = load_kubeconfig(path)
    except KubeconfigUnreadable as exc:
        return str(exc), None, None
    if context is None:
        current = kubeconfig.data.get("current-context")
        if not current:
            return f"kubeconfig {path} has no current-context; set 'context'", None, None
        context = current
    entry = kubeconfig.entry("contexts", context)
    if entry is None:
        contexts = [c.name for c in kubeconfig.contexts]
        hint = did_you_mean(context, [c for c in contexts if c])
        have = ", ".join(repr(c) for c in contexts) or "none"
        problem = f"context {context!r} is not in kubeconfig {path}{hint} (it has: {have})"
        return problem, None, None
    cluster_name = entry.get("cluster")
    cluster = kubeconfig.entry("clusters", cluster_name)
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
