"""What a config is: `Settings`, `ClusterSpec` values, the keys a file may hold, and the
`ConfigIssue` / `ConfigError` every problem is reported as.

Two levels of problems:

* file-level (the TOML does not parse, the file is missing or unreadable, `[settings]` is wrong,
  two clusters share a name, two are marked default, unknown top-level keys): the file as a whole
  is unusable, `load_config` raises `ConfigError`, and the manager keeps the last good clusters.
* cluster-level (unknown key in one entry, a name that is not one word, missing kubeconfig,
  context not in the kubeconfig, bad URL, unreadable token file): only that cluster is broken; it
  gets status ``config-error`` with the message while every other cluster keeps working.

A `ConfigError` carries every problem found in one pass, the cluster-level ones of a file that
also has file-level ones included, so a fix never uncovers problems that were there all along.
Warnings (e.g. the default cluster is disabled) are reported but never make a file unusable.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from kite_tui.core.config.paths import path_list

# Keys that only apply to a cluster given by its API server URL (not by a kubeconfig).
SERVER_ONLY_KEYS = (
    "token",
    "token_file",
    "client_certificate",
    "client_key",
    "certificate_authority",
    "insecure_skip_tls_verify",
)
# Keys whose value changes the connection (and so needs a new client). The others (description,
# default, readonly, namespace, enabled) change only how the cluster is presented.
CONNECTION_KEYS = ("kubeconfig", "context", "server", *SERVER_ONLY_KEYS)
# Every key of a [[clusters]] entry, in the order the docs and forms list them.
CLUSTER_KEYS = (
    "name",
    "description",
    *CONNECTION_KEYS,
    "default",
    "enabled",
    "namespace",
    "readonly",
)
# Keys whose value is a file (expanded and made absolute when loading).
PATH_KEYS = (
    "kubeconfig",
    "token_file",
    "client_certificate",
    "client_key",
    "certificate_authority",
)
# One word a user can type after --cluster and `:ctx`: what `sanitize_name` makes of a context.
CLUSTER_NAME = re.compile(r"[A-Za-z0-9._-]+")
SETTINGS_KEYS = ("resync_seconds", "request_timeout_seconds", "readonly")
TOP_LEVEL_KEYS = ("settings", "clusters")


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in the config, located as precisely as we can, and kept apart: what it is
    about is `key`, not words to find in `message`; the text is made where it is shown.

    `key` is the key the problem is about: a key of the entry `cluster` names when there is
    one (``server``), else dotted from the top of the file (``settings.readonly``, ``bogus``,
    ``clusters.default``); None when it is about no key (the TOML does not parse, the file
    cannot be read). A problem about two keys names the first.
    """

    path: Path
    line: int | None
    key: str | None
    message: str
    cluster: str | None = None
    warning: bool = False  # worth saying, but the file is fine

    def __str__(self) -> str:
        return self.text()

    def text(self, *, path: bool = True, cluster: bool = True) -> str:
        """The problem in one line: ``file:line: cluster 'x': message``. Without `path` the
        place is ``line N`` (where the file goes without saying); without `cluster` the
        cluster's name is left out (where it is shown beside it)."""
        if path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        else:
            where = f"line {self.line}: " if self.line else ""
        who = f"cluster {self.cluster!r}: " if cluster and self.cluster else ""
        what = "warning: " if self.warning else ""
        return f"{where}{who}{what}{self.message}"


class ConfigError(Exception):
    """The config file as a whole cannot be used; `issues` says why and where (one problem per
    line of the message), `warnings` what else was noticed on the way."""

    def __init__(self, issues: Iterable[ConfigIssue], warnings: Iterable[ConfigIssue] = ()) -> None:
        self.issues = tuple(issues)
        self.warnings = tuple(warnings)
        super().__init__("\n".join(str(i) for i in self.issues))

    @classmethod
    def unreadable(cls, path: Path, message: str) -> ConfigError:
        """The file cannot be read at all (missing, not UTF-8, ...): one problem, about no key."""
        return cls([ConfigIssue(path, None, None, message)])


class ConfigEditError(Exception):
    """A user-facing refusal: unknown or duplicate cluster, unreadable kubeconfig, etc."""


class ConfigChangedOnDisk(ConfigEditError):
    """The file changed since it was read; saving would lose that change. Re-read, re-apply."""

    def __init__(self, path: Path, message: str | None = None) -> None:
        self.path = Path(path)
        super().__init__(
            message
            or f"{path} changed on disk since it was read; not overwritten (reload and try again)"
        )


class InvalidEdit(ConfigError):
    """Saving would produce a file that does not load; nothing was written.

    `preexisting` is true when the file on disk already had these problems before the edit
    (the user has to fix it by hand first, e.g. with ``kite-tui config edit``).
    """

    def __init__(self, issues: Iterable[ConfigIssue], *, preexisting: bool = False) -> None:
        super().__init__(issues)
        self.preexisting = preexisting


@dataclass(frozen=True)
class Settings:
    resync_seconds: float = 60.0
    request_timeout_seconds: float = 10.0
    readonly: bool = False


@dataclass(frozen=True)
class ClusterSpec:
    """One validated `[[clusters]]` entry. Paths are expanded and absolute."""

    name: str
    description: str = ""
    kubeconfig: Path | None = None
    context: str | None = None
    server: str | None = None
    token: str | None = field(default=None, repr=False)
    token_file: Path | None = None
    client_certificate: Path | None = None
    client_key: Path | None = None
    certificate_authority: Path | None = None
    insecure_skip_tls_verify: bool = False
    default: bool = False
    enabled: bool = True
    namespace: str | None = None
    readonly: bool = False
    # The server of the kubeconfig context, as read at load time (shown before any client
    # exists, e.g. for a disabled cluster); None in server mode or when it cannot be read.
    context_server: str | None = None
    # Where the entry starts in the file; not part of the cluster's identity.
    line: int | None = field(default=None, compare=False)
    # Cluster-level validation problems: the cluster gets config-error.
    problems: tuple[ConfigIssue, ...] = field(default=(), compare=False)

    @property
    def error(self) -> str | None:
        return "; ".join(p.message for p in self.problems) or None

    @property
    def uses_kubeconfig(self) -> bool:
        return self.server is None

    def referenced_files(self) -> tuple[Path, ...]:
        """Files whose content defines the connection (watched; hashed for reuse decisions)."""
        files = [
            # A list (``a:b``, as in KUBECONFIG): each of its files.
            *(Path(p) for p in path_list(str(self.kubeconfig)) if self.kubeconfig),
            self.token_file,
            self.client_certificate,
            self.client_key,
            self.certificate_authority,
        ]
        return tuple(p for p in files if p is not None)

    def connection_key(self) -> str:
        """A digest of everything that defines the connection, file contents included.

        Two specs with the same key can share a client; a rewritten token file or kubeconfig
        changes the key, so refreshed credentials are picked up without a restart.
        """
        h = hashlib.sha256()
        for key in CONNECTION_KEYS:
            h.update(f"{key}={getattr(self, key)!r}\0".encode())
        for path in self.referenced_files():
            h.update(str(path).encode() + b"\0")
            try:
                h.update(_content_digest(path))
            except OSError as exc:
                h.update(f"<unreadable: {exc.__class__.__name__}>".encode())
            h.update(b"\0")
        return h.hexdigest()


# Content digests by path, while the file's stat says it is unchanged: every reload keys
# every cluster, and twenty clusters on one large kubeconfig would hash it twenty times.
_digests: dict[Path, tuple[tuple[int, ...], bytes]] = {}
_digests_lock = threading.Lock()


def _content_digest(path: Path) -> bytes:
    st = os.stat(path)
    identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    with _digests_lock:
        cached = _digests.get(path)
    if cached is not None and cached[0] == identity:
        return cached[1]
    digest = hashlib.sha256(path.read_bytes()).digest()
    with _digests_lock:
        if len(_digests) > 256:
            _digests.clear()
        _digests[path] = (identity, digest)
    return digest


@dataclass(frozen=True)
class Config:
    """A loaded config file: settings plus clusters in file order."""

    path: Path
    settings: Settings
    clusters: tuple[ClusterSpec, ...]
    warnings: tuple[ConfigIssue, ...] = ()

    @property
    def default(self) -> str | None:
        for spec in self.clusters:
            if spec.default:
                return spec.name
        return None

    def issues(self) -> tuple[ConfigIssue, ...]:
        """Cluster-level problems (file-level ones raise instead)."""
        return tuple(p for s in self.clusters for p in s.problems)

    def referenced_files(self) -> tuple[Path, ...]:
        seen: dict[Path, None] = {}
        for spec in self.clusters:
            for p in spec.referenced_files():
                seen.setdefault(p, None)
        return tuple(seen)


# --------------------------------------------------------------------------------------------
# Wording and value checks shared by the loader and the kubeconfig check


def did_you_mean(key: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def is_url(value: object) -> bool:
    """An http(s) URL with a host (and a valid port, if any)."""
    if not isinstance(value, str):
        return False
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 (raises ValueError when out of range)
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


# What a secret shows as wherever it would otherwise be printed.
MASK = "••••"


def scrub(text: str, secret: str | None) -> str:
    """Mask `secret` in a message: errors must never show a token, whatever produced them."""
    return text.replace(secret, MASK) if secret else text
