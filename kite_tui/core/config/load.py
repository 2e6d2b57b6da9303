"""Reading the config: TOML text -> a validated `Config`, every problem a `ConfigIssue`.

The file is parsed with tomlkit (the parser later edits use, so that both read the same file
the same way) and validated in one pass: file-level problems raise `ConfigError` with every
problem found, cluster-level ones stay on their `ClusterSpec` (see `model`). tomlkit does not
say where a value is, so lines are found in the text; TOML syntax errors are worded plainly.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions

from kite_tui.core.config.kubeconfig import check_context, kubeconfig_files
from kite_tui.core.config.model import (
    CLUSTER_KEYS,
    CLUSTER_NAME,
    PATH_KEYS,
    SERVER_ONLY_KEYS,
    SETTINGS_KEYS,
    TOP_LEVEL_KEYS,
    ClusterSpec,
    Config,
    ConfigError,
    ConfigIssue,
    Settings,
    did_you_mean,
    is_url,
)
from kite_tui.core.config.paths import default_kubeconfig_path, resolve_path, resolve_paths

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


def plain(value: Any) -> Any:
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
        return ConfigIssue(path, getattr(exc, "line", None), None, f"invalid TOML: {message}")
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
    return ConfigIssue(path, line, None, message)


# --------------------------------------------------------------------------------------------


def parse_config(text: str, path: Path) -> Config:
    """Validate config text. Raises `ConfigError` for file-level problems."""
    path = Path(path)
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:  # ParseError, KeyAlreadyPresent
        raise ConfigError([_toml_syntax_issue(text, path, exc)]) from None
    data = plain(doc)
    lines = _Lines(text)
    problems: list[ConfigIssue] = []

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(
                ConfigIssue(
                    path,
                    lines.key(key) or lines.table(key),
                    key,
                    f"unknown top-level key {key!r}{did_you_mean(key, TOP_LEVEL_KEYS)}",
                )
            )

    settings = _parse_settings(data.get("settings", {}), path, lines, problems)

    raw_clusters = data.get("clusters", [])
    if not isinstance(raw_clusters, list):
        problems.append(
            ConfigIssue(
                path, lines.key("clusters"), "clusters", "'clusters' must be an array of tables"
            )
        )
        raw_clusters = []

    specs: list[ClusterSpec] = []
    first_line: dict[str, int | None] = {}
    default_line: dict[str, int | None] = {}
    for index, raw in enumerate(raw_clusters):
        line = lines.cluster(index)
        if not isinstance(raw, dict):
            problems.append(
                ConfigIssue(path, line, "clusters", "each [[clusters]] entry must be a table")
            )
            continue
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(
                ConfigIssue(
                    path, line, "clusters.name", "cluster entry has no 'name' (a non-empty string)"
                )
            )
            continue
        if name in first_line:
            problems.append(
                ConfigIssue(
                    path,
                    line,
                    "name",
                    f"duplicate cluster name (first defined at line {first_line[name]})",
                    name,
                )
            )
            continue
        first_line[name] = line
        spec = _parse_cluster(raw, name, line, path, lines)
        if spec.default:
            default_line[name] = line
        specs.append(spec)

    if len(default_line) > 1:
        names = ", ".join(f"{n!r} (line {ln})" for n, ln in default_line.items())
        second = list(default_line.values())[1]
        problems.append(
            ConfigIssue(
                path,
                second,
                "clusters.default",
                f"more than one cluster is marked default: {names}",
            )
        )

    warnings = [
        ConfigIssue(
            path,
            lines.key("default", spec.line),
            "default",
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
        problems.append(
            ConfigIssue(path, lines.key("settings"), "settings", "'settings' must be a table")
        )
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
                    f"settings.{key}",
                    f"unknown key {key!r} in [settings]{did_you_mean(key, SETTINGS_KEYS)}",
                )
            )
            continue
        if key == "readonly":
            if not isinstance(value, bool):
                problems.append(
                    ConfigIssue(path, line, "settings.readonly", "'readonly' must be true or false")
                )
                continue
        elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(
                ConfigIssue(path, line, f"settings.{key}", f"{key!r} must be a positive number")
            )
            continue
        values[key] = float(value) if key != "readonly" else value
    return Settings(**values)


def _parse_cluster(
    raw: Mapping[str, Any], name: str, line: int | None, path: Path, lines: _Lines
) -> ClusterSpec:
    problems: list[ConfigIssue] = []
    values: dict[str, Any] = {"name": name, "line": line}

    def problem(key: str, message: str, *, whole_entry: bool = False) -> None:
        """`key`: what the problem is about (of two keys, the first named). It is located on
        that key's line, unless it is about the entry as a whole (then on its header)."""
        where = line if whole_entry or key not in raw else lines.key(key, line)
        problems.append(ConfigIssue(path, where, key, message, name))

    for key, value in raw.items():
        if key not in CLUSTER_KEYS:
            problem(key, f"unknown key {key!r}{did_you_mean(key, CLUSTER_KEYS)}")
        elif key == "name":
            continue
        elif key in ("insecure_skip_tls_verify", "default", "enabled", "readonly"):
            if isinstance(value, bool):
                values[key] = value
            else:
                problem(key, f"{key!r} must be true or false")
        elif not isinstance(value, str):
            problem(key, f"{key!r} must be a string")
        elif key == "kubeconfig":
            values[key] = resolve_paths(value, path)  # may be a list, as in KUBECONFIG
        elif key in PATH_KEYS:
            values[key] = resolve_path(value, path)
        else:
            values[key] = value

    server = values.get("server")
    if server is not None:
        if "kubeconfig" in values or "context" in values:
            problem(
                "kubeconfig",
                "give either 'kubeconfig' (with 'context') or 'server', not both",
                whole_entry=True,
            )
        if not is_url(server):
            problem(
                "server",
                f"bad server URL {server!r} (expected https://host[:port] or http://host[:port])",
            )
        if values.get("token") and values.get("token_file"):
            problem("token", "give either 'token' or 'token_file', not both", whole_entry=True)
        if bool(values.get("client_certificate")) != bool(values.get("client_key")):
            problem(
                "client_certificate",
                "'client_certificate' and 'client_key' go together",
                whole_entry=True,
            )
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
        files = kubeconfig_files(p) if key == "kubeconfig" else (p,)
        if len(files) > 1:
            # kubectl skips the files of a list that do not exist; one of them must.
            if not any(f.exists() for f in files):
                problem(key, f"none of the {label} files {p} exists")
                continue
            files = tuple(f for f in files if f.exists())
        for f in files:
            if not f.exists():
                problem(key, f"{label} {f} does not exist")
            elif not f.is_file() or not os.access(f, os.R_OK):
                problem(key, f"{label} {f} is not a readable file")

    kubeconfig = values.get("kubeconfig")
    if server is None and kubeconfig is not None and not problems:
        message, values["context_server"], context_namespace = check_context(
            kubeconfig, values.get("context")
        )
        if message:
            problem("context" if "context" in raw else "kubeconfig", message)
        elif "namespace" not in values:
            # kubectl's rule: without a namespace of its own, the context's namespace applies.
            values["namespace"] = context_namespace

    return ClusterSpec(**values, problems=tuple(problems))


def load_config(path: Path) -> Config:
    """Read and validate the file. Raises `ConfigError` naming the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError.unreadable(path, "config file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError.unreadable(path, f"not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise ConfigError.unreadable(path, f"cannot read: {exc.strerror}") from None
    return parse_config(text, path)


def check_config(path: Path) -> list[ConfigIssue]:
    """Every problem in the file, file-level and cluster-level, then the warnings (for
    `kite-tui config check`; the file is fine when every issue is a warning)."""
    try:
        config = load_config(path)
    except ConfigError as exc:
        return [*exc.issues, *exc.warnings]
    return [*config.issues(), *config.warnings]
