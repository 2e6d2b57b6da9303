"""The immutable snapshot of every configured cluster, as handed to readers.

A `Snapshot` is built whole by the manager and then only read: the app swaps its reference in
one assignment, and every reader (UI, workers, CLI) sees one consistent state without a lock.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from kite_tui.core.config import ClusterSpec, ConfigIssue, Settings

if TYPE_CHECKING:
    from kite_tui.core.kube.client import ClusterClient


class Health(enum.StrEnum):
    OK = "ok"
    CONNECTING = "connecting"
    UNREACHABLE = "unreachable"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    TLS_ERROR = "tls-error"
    CONFIG_ERROR = "config-error"
    DISABLED = "disabled"


@dataclass(frozen=True)
class ClusterHandle:
    """One cluster as of one snapshot: its spec, its client (if any) and its health."""

    spec: ClusterSpec
    health: Health
    client: ClusterClient | None = None
    version: str | None = None
    error: str | None = None
    checked_at: float | None = None  # wall-clock time of the last probe
    connection_key: str = ""

    def __post_init__(self) -> None:
        # Every reader shows the error as one line (a table row, a status line); servers and
        # libraries send multi-line texts, so whitespace runs become one space here, once.
        if self.error is not None and not self.error.isprintable():
            object.__setattr__(self, "error", " ".join(self.error.split()))

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def problems(self) -> tuple[ConfigIssue, ...]:
        """What is wrong in the cluster's config entry (then its health is config-error and it
        has no client), kept structured: whoever shows them words them."""
        return self.spec.problems

    def reason(self, *, path: bool = True) -> str | None:
        """Why the cluster is not ok, in one line: its config problems (each at ``file:line``,
        or at ``line N`` without `path`), else the error of its connection."""
        if self.problems:
            return "; ".join(p.text(path=path, cluster=False) for p in self.problems)
        return self.error

    @property
    def server(self) -> str | None:
        if self.client is not None:
            return self.client.server
        return self.spec.server or self.spec.context_server

    def evolve(self, **changes: object) -> ClusterHandle:
        return replace(self, **changes)  # type: ignore[arg-type]


def _no_clusters() -> Mapping[str, ClusterHandle]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Snapshot:
    """Everything a reader needs, in one value. Ordered as in the config file."""

    generation: int
    clusters: Mapping[str, ClusterHandle] = field(default_factory=_no_clusters)
    default: str | None = None
    # The problems of a config file that cannot be used (the last good clusters are kept).
    config_problems: tuple[ConfigIssue, ...] = ()
    config_missing: bool = False  # no config file yet: the app offers to import or demo
    config_path: Path | None = None
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        # Callers may pass a plain dict; freeze it so nobody can mutate a published snapshot.
        if not isinstance(self.clusters, MappingProxyType):
            object.__setattr__(self, "clusters", MappingProxyType(dict(self.clusters)))

    @property
    def config_error(self) -> str | None:
        """`config_problems` as text, one per line (None: the file is fine)."""
        return "\n".join(str(p) for p in self.config_problems) or None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.clusters)

    def __iter__(self) -> Iterator[ClusterHandle]:
        return iter(self.clusters.values())

    def __len__(self) -> int:
        return len(self.clusters)

    def get(self, name: str) -> ClusterHandle | None:
        return self.clusters.get(name)

    def clients(self) -> set[int]:
        """ids of the clients this snapshot refers to (used to decide what may be closed)."""
        return {id(h.client) for h in self.clusters.values() if h.client is not None}


EMPTY = Snapshot(generation=0)
