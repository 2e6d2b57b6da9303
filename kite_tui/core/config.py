"""The cluster config: TOML on disk <-> frozen `ClusterSpec` / `Settings` values.

This module owns where the config lives, how it is parsed (tomlkit, so that later edits keep
the user's comments and formatting), and how it is validated. Every problem is reported as a
`ConfigIssue` that names the file, the line and, where there is one, the cluster.

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
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tomlkit
import tomlkit.exceptions
import yaml
from platformdirs import user_config_path

ENV_CONFIG = "KITE_TUI_CONFIG"

CLUSTER_KEYS = (
    "name",
    "description",
    "kubeconfig",
    "context",
    "server",
    "token",
    "token_file",
    "client_certificate",
    "client_key",
    "certificate_authority",
    "insecure_skip_tls_verify",
    "default",
    "enabled",
    "namespace",
    "readonly",
)
# One word a user can type after --cluster and `:ctx`: what `sanitize_name` makes of a context.
CLUSTER_NAME = re.compile(r"[A-Za-z0-9._-]+")
SETTINGS_KEYS = ("resync_seconds", "request_timeout_seconds", "readonly")
TOP_LEVEL_KEYS = ("settings", "clusters")

PATH_KEYS = (
    "kubeconfig",
    "token_file",
    "client_certificate",
    "client_key",
    "certificate_authority",
)
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
CONNECTION_KEYS = (
    "kubeconfig",
    "context",
    "server",
    "token",
    "token_file",
    "client_certificate",
    "client_key",
    "certificate_authority",
    "insecure_skip_tls_verify",
)


def default_config_path() -> Path:
    """The platform's config location (``~/.config/kite-tui/config.toml`` on Linux)."""
    return user_config_path("kite-tui", appauthor=False) / "config.toml"


def resolve_config_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--config PATH`, else `$KITE_TUI_CONFIG`, else the platform config dir."""
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser().absolute()
    return default_config_path()


def default_kubeconfig_path() -> Path:
    """`$KUBECONFIG` (its first entry) or ``~/.kube/config``, as kubectl resolves it."""
    env = os.environ.get("KUBECONFIG")
    if env:
        first = next((p for p in env.split(os.pathsep) if p), None)
        if first:
            return Path(first).expanduser()
    return Path("~/.kube/config").expanduser()


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in the config, located as precisely as we can."""

    file: Path
    line: int | None
    message: str
    cluster: str | None = None
    warning: bool = False  # worth saying, but the file is fine

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        who = f"cluster {self.cluster!r}: " if self.cluster else ""
        what = "warning: " if self.warning else ""
        return f"{where}: {who}{what}{self.message}"


class ConfigError(Exception):
    """The config file as a whole cannot be used; `issues` says why and where (one problem per
    line of the message), `warnings` what else was noticed on the way."""

    def __init__(self, issues: Iterable[ConfigIssue], warnings: Iterable[ConfigIssue] = ()) -> None:
        self.issues = tuple(issues)
        self.warnings = tuple(warnings)
        super().__init__("\n".join(str(i) for i in self.issues))


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
    # Cluster-level validation problems as (line, message): the cluster gets config-error.
    problems: tuple[tuple[int | None, str], ...] = field(default=(), compare=False)

    @property
    def error(self) -> str | None:
        return "; ".join(msg for _, msg in self.problems) or None

    @property
    def uses_kubeconfig(self) -> bool:
        return self.server is None

    def referenced_files(self) -> tuple[Path, ...]:
        """Files whose content defines the connection (watched; hashed for reuse decisions)."""
        files = [
            self.kubeconfig,
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
                h.update(path.read_bytes())
            except OSError as exc:
                h.update(f"<unreadable: {exc.__class__.__name__}>".encode())
            h.update(b"\0")
        return h.hexdigest()


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
        return tuple(
            ConfigIssue(self.path, line, msg, s.name)
            for s in self.clusters
            for line, msg in s.problems
        )

    def referenced_files(self) -> tuple[Path, ...]:
        seen: dict[Path, None] = {}
        for spec in self.clusters:
            for p in spec.referenced_files():
                seen.setdefault(p, None)
        return tuple(seen)


# --------------------------------------------------------------------------------------------
# Locating lines. tomlkit does not expose line numbers for values, so we find them in the text:
# the n-th `[[clusters]]` header, then the first `key =` after it.


_HEADER = re.compile(r"^\s*\[\[\s*clusters\s*\]\]")
_TABLE = re.compile(r"^\s*\[")


class _Lines:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.cluster_starts = [i + 1 for i, ln in enumerate(self.lines) if _HEADER.match(ln)]

    def cluster(self, index: int) -> int | None:
        if index < len(self.cluster_starts):
            return self.cluster_starts[index]
        return self.key("clusters")

    def key(self, key: str, start: int | None = None) -> int | None:
        """The line of `key = ...` in the table starting at line `start` (1-based)."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        begin = start or 0
        for i in range(begin, len(self.lines)):
            if start and i >= begin + 1 and _TABLE.match(self.lines[i]):
                break
            if pattern.match(self.lines[i]):
                return i + 1
        return start

    def table(self, name: str) -> int | None:
        pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        for i, ln in enumerate(self.lines):
            if pattern.match(ln):
                return i + 1
        return None


def _did_you_mean(key: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _plain(value: Any) -> Any:
    """tomlkit items -> plain Python values."""
    unwrap = getattr(value, "unwrap", None)
    return unwrap() if unwrap else value


# --------------------------------------------------------------------------------------------
# TOML syntax errors, said plainly. tomlkit (which we parse with, to keep comments for edits)
# reports "Unexpected character: '\x00'" for an unfinished array; tomllib reads the same grammar
# and names the problem ("Unclosed array"), so a file tomlkit rejects is read again by tomllib
# for the words. Each pattern is matched against tomllib's message.

_TOML_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), plain)
    for pattern, plain in (
        (r"^Unclosed array", "unfinished array: expected ']'"),
        (r"^Unclosed inline table", "unfinished inline table: expected '}'"),
        (r"^Expected '\]\]' at the end", "unfinished [[{table}]] header: expected ']]'"),
        (r"^Expected '\]' at the end", "unfinished [{table}] header: expected ']'"),
        (
            r"^(Illegal|Found invalid) character '\\n'",
            "unterminated string: expected a closing quote on the same line",
        ),
        (r"^Unterminated string|^Expected \"'\"", "unterminated string: expected a closing quote"),
        (r"^Illegal character|^Found invalid character", "control character in a string"),
        (r"^Invalid value", "invalid value: text needs quotes, true and false are lowercase"),
        (r"^Cannot declare .* twice", "[{table}] is declared twice"),
        (r"^Cannot overwrite a value|^Duplicate inline table key", "{key} is set twice"),
        (r"^Expected '=' after a key", "expected '=' after the key"),
        (
            r"^Expected newline or end of document",
            "unexpected text after the value: one key = value per line",
        ),
        (
            r"^Unescaped '\\' in a string",
            "a backslash in a \"string\" starts an escape: write \\\\ or use 'single quotes'",
        ),
        (
            r"^Invalid statement|^Invalid initial character for a key",
            "expected key = value or a [table] header",
        ),
    )
)
_TOML_POSITION = re.compile(r"^(.*) \((?:at line (\d+), column \d+|at end of document)\)$", re.S)
_OPENS_VALUE = re.compile(r"""^\s*[\w."'-]+\s*=\s*[\[{]""")
_KEY_AT = re.compile(r"""^\s*(["']?)([^"'=\s]+)\1\s*=""")
_TABLE_AT = re.compile(r"^\s*\[+\s*([^\]\s]+)")


def _toml_syntax_issue(text: str, path: Path, exc: tomlkit.exceptions.TOMLKitError) -> ConfigIssue:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = _TOML_POSITION.match(str(err))
    else:
        found = None  # the parsers disagree: keep tomlkit's words
    if found is None:
        # tomlkit's message ends with "at line L col C"; the line goes up front instead.
        message = re.sub(r"\s+at line \d+ col \d+$", "", str(exc))
        return ConfigIssue(path, getattr(exc, "line", None), f"invalid TOML: {message}")
    what = found.group(1)
    lines = text.splitlines()
    line = int(found.group(2)) if found.group(2) else max(len(lines), 1)
    if what.startswith("Unclosed"):
        # The parser notices at the next key (or the end); the user wants the opening line.
        for n in range(min(line, len(lines)), 0, -1):
            if _OPENS_VALUE.match(lines[n - 1]):
                line = n
                break
    at = lines[line - 1] if 0 < line <= len(lines) else ""
    key = _KEY_AT.match(at)
    table = _TABLE_AT.match(at)
    for pattern, plain in _TOML_WORDS:
        if pattern.search(what):
            message = plain.format(
                key=repr(key.group(2)) if key else "this key",
                table=table.group(1) if table else "table",
            )
            break
    else:
        message = what[:1].lower() + what[1:]
    return ConfigIssue(path, line, message)


# --------------------------------------------------------------------------------------------


def parse_config(text: str, path: Path) -> Config:
    """Validate config text. Raises `ConfigError` for file-level problems."""
    path = Path(path)
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:  # ParseError, KeyAlreadyPresent
        raise ConfigError([_toml_syntax_issue(text, path, exc)]) from None
    data = _plain(doc)
    lines = _Lines(text)
    problems: list[ConfigIssue] = []

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(
                ConfigIssue(
                    path,
                    lines.key(key) or lines.table(key),
                    f"unknown top-level key {key!r}{_did_you_mean(key, TOP_LEVEL_KEYS)}",
                )
            )

    settings = _parse_settings(data.get("settings", {}), path, lines, problems)

    raw_clusters = data.get("clusters", [])
    if not isinstance(raw_clusters, list):
        problems.append(
            ConfigIssue(path, lines.key("clusters"), "'clusters' must be an array of tables")
        )
        raw_clusters = []

    base = path.parent
    specs: list[ClusterSpec] = []
    first_line: dict[str, int | None] = {}
    default_line: dict[str, int | None] = {}
    for index, raw in enumerate(raw_clusters):
        line = lines.cluster(index)
        if not isinstance(raw, dict):
            problems.append(ConfigIssue(path, line, "each [[clusters]] entry must be a table"))
            continue
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(
                ConfigIssue(path, line, "cluster entry has no 'name' (a non-empty string)")
            )
            continue
        if name in first_line:
            problems.append(
                ConfigIssue(
                    path,
                    line,
                    f"duplicate cluster name (first defined at line {first_line[name]})",
                    name,
                )
            )
            continue
        first_line[name] = line
        spec = _parse_cluster(raw, name, line, base, lines)
        if spec.default:
            default_line[name] = line
        specs.append(spec)

    if len(default_line) > 1:
        names = ", ".join(f"{n!r} (line {ln})" for n, ln in default_line.items())
        second = list(default_line.values())[1]
        problems.append(
            ConfigIssue(path, second, f"more than one cluster is marked default: {names}")
        )

    warnings = [
        ConfigIssue(
            path,
            lines.key("default", spec.line),
            "the default cluster is disabled, so kite-tui starts on the overview "
            "(enable it, or make another cluster the default)",
            spec.name,
            warning=True,
        )
        for spec in specs
        if spec.default and not spec.enabled
    ]
    config = Config(path=path, settings=settings, clusters=tuple(specs), warnings=tuple(warnings))
    if problems:
        # Every problem in one pass: the clusters' own ones too, in file order.
        everything = sorted([*problems, *config.issues()], key=lambda i: i.line or 0)
        raise ConfigError(everything, warnings)
    return config


def _parse_settings(raw: Any, path: Path, lines: _Lines, problems: list[ConfigIssue]) -> Settings:
    if not isinstance(raw, dict):
        problems.append(ConfigIssue(path, lines.key("settings"), "'settings' must be a table"))
        return Settings()
    start = lines.table("settings")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        line = lines.key(key, start)
        if key not in SETTINGS_KEYS:
            problems.append(
                ConfigIssue(
                    path,
                    line,
                    f"unknown key {key!r} in [settings]{_did_you_mean(key, SETTINGS_KEYS)}",
                )
            )
            continue
        if key == "readonly":
            if not isinstance(value, bool):
                problems.append(ConfigIssue(path, line, "'readonly' must be true or false"))
                continue
        elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(ConfigIssue(path, line, f"{key!r} must be a positive number"))
            continue
        values[key] = float(value) if key != "readonly" else value
    return Settings(**values)


def _parse_cluster(
    raw: Mapping[str, Any], name: str, line: int | None, base: Path, lines: _Lines
) -> ClusterSpec:
    problems: list[tuple[int | None, str]] = []
    values: dict[str, Any] = {"name": name, "line": line}

    def problem(key: str | None, message: str) -> None:
        where = lines.key(key, line) if key is not None and key in raw else line
        problems.append((where, message))

    for key, value in raw.items():
        if key not in CLUSTER_KEYS:
            problem(key, f"unknown key {key!r}{_did_you_mean(key, CLUSTER_KEYS)}")
        elif key == "name":
            continue
        elif key in ("insecure_skip_tls_verify", "default", "enabled", "readonly"):
            if isinstance(value, bool):
                values[key] = value
            else:
                problem(key, f"{key!r} must be true or false")
        elif not isinstance(value, str):
            problem(key, f"{key!r} must be a string")
        elif key in PATH_KEYS:
            given = Path(os.path.expandvars(value)).expanduser()
            values[key] = given if given.is_absolute() else (base / given)
        else:
            values[key] = value

    server = values.get("server")
    if server is not None:
        if "kubeconfig" in values or "context" in values:
            problem(None, "give either 'kubeconfig' (with 'context') or 'server', not both")
        if not _is_url(server):
            problem(
                "server",
                f"bad server URL {server!r} (expected https://host[:port] or http://host[:port])",
            )
        if values.get("token") and values.get("token_file"):
            problem(None, "give either 'token' or 'token_file', not both")
        if bool(values.get("client_certificate")) != bool(values.get("client_key")):
            problem(None, "'client_certificate' and 'client_key' go together")
    else:
        for key in SERVER_ONLY_KEYS:
            if key in values:
                problem(key, f"{key!r} only applies with 'server'")
        values.setdefault("kubeconfig", default_kubeconfig_path())

    if not CLUSTER_NAME.fullmatch(name):
        problem("name", "the name must be one word of letters, digits, '-', '_' and '.'")

    for key in PATH_KEYS:
        p = values.get(key)
        if not isinstance(p, Path):
            continue
        label = key.replace("_", " ")
        if not p.exists():
            problem(key, f"{label} {p} does not exist")
        elif not p.is_file() or not os.access(p, os.R_OK):
            problem(key, f"{label} {p} is not a readable file")

    kubeconfig = values.get("kubeconfig")
    if server is None and kubeconfig is not None and not problems:
        message, values["context_server"], context_namespace = _check_kubeconfig(
            kubeconfig, values.get("context")
        )
        if message:
            problem("context" if "context" in raw else "kubeconfig", message)
        elif "namespace" not in values:
            # kubectl's rule: without a namespace of its own, the context's namespace applies.
            values["namespace"] = context_namespace

    return ClusterSpec(**values, problems=tuple(problems))


def _is_url(value: object) -> bool:
    """An http(s) URL with a host (and a valid port, if any)."""
    if not isinstance(value, str):
        return False
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 (raises ValueError when out of range)
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


def _named(items: Any, name: object) -> dict[str, Any] | None:
    """The entry called `name` of a kubeconfig list (`contexts`, `clusters`), if any."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    return None


def _check_kubeconfig(path: Path, context: str | None) -> tuple[str | None, str | None, str | None]:
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
        hint = _did_you_mean(context, [c for c in contexts if c])
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
    if not _is_url(server):
        problem = (
            f"kubeconfig {path}: the server of context {context!r} is {server!r}, "
            "not a URL (expected https://host[:port])"
        )
        return problem, None, None
    namespace = entry.get("namespace")
    return None, server, namespace if isinstance(namespace, str) and namespace else None


def load_config(path: Path) -> Config:
    """Read and validate the file. Raises `ConfigError` naming the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigIssue(path, None, "config file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([ConfigIssue(path, None, f"not UTF-8 text: {exc.reason}")]) from None
    except OSError as exc:
        raise ConfigError([ConfigIssue(path, None, f"cannot read: {exc.strerror}")]) from None
    return parse_config(text, path)


def check_config(path: Path) -> list[ConfigIssue]:
    """Every problem in the file, file-level and cluster-level, then the warnings (for
    `kite-tui config check`; the file is fine when every issue is a warning)."""
    try:
        config = load_config(path)
    except ConfigError as exc:
        return [*exc.issues, *exc.warnings]
    return [*config.issues(), *config.warnings]
