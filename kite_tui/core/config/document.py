"""The config file as a document to edit: comment-preserving changes of ``[[clusters]]``
entries, in memory until `save` writes them.

The config file is the one source of truth: a running app watches it and reloads on every save,
so every change made by the CLI or the in-app form is simply a careful edit of that file. Only
the intended lines change: values are edited in place with tomlkit (which keeps inline
comments, key order and quoting); structural changes (a new key, a new or removed
``[[clusters]]`` table) are spliced into the rendered text at a marker and the text is
re-parsed, so comments that merely *follow* a table (and really introduce the next one, or end
the file) stay where they are. `FileSignature` records what the file was when read, so that
`save` never overwrites a change made on disk meanwhile.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Array, InlineTable, Item, String, StringType, Table, Whitespace
from tomlkit.items import Comment as TomlComment
from tomlkit.toml_document import TOMLDocument

from kite_tui.core.config.kubeconfig import current_context, kubeconfig_contexts
from kite_tui.core.config.load import parse_config, plain
from kite_tui.core.config.model import ConfigEditError, ConfigError
from kite_tui.core.config.paths import (
    default_kubeconfig_path,
    path_list,
    resolve_paths,
)

# --------------------------------------------------------------------------------------------
# The user-facing fields of one [[clusters]] entry


@dataclass(frozen=True)
class ClusterEntry:
    """One ``[[clusters]]`` table as the user writes it: raw strings, nothing expanded.

    Only values that differ from these defaults are written to the file. Empty strings count as
    "not set" (a blank form field), so they are never written either.
    """

    name: str
    description: str = ""
    kubeconfig: str | None = None
    context: str | None = None
    server: str | None = None
    token: str | None = field(default=None, repr=False)
    token_file: str | None = None
    certificate_authority: str | None = None
    client_certificate: str | None = None
    client_key: str | None = None
    insecure_skip_tls_verify: bool = False
    default: bool = False
    enabled: bool = True
    namespace: str | None = None
    readonly: bool = False

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ClusterEntry:
        """Read an entry from a parsed table. Values of the wrong type read as unset (the
        validator reports them), and keys this class does not know are ignored."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            value = plain(raw.get(f.name))
            if f.name in _BOOL_FIELDS:
                if isinstance(value, bool):
                    values[f.name] = value
            elif isinstance(value, str):
                values[f.name] = value
        values.setdefault("name", "")
        return cls(**values)

    def values(self) -> dict[str, str | bool]:
        """The non-default values, in field order: exactly what goes into the file."""
        out: dict[str, str | bool] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "name" or not _is_default(f.name, value):
                out[f.name] = value
        return out

    def replace(self, **changes: Any) -> ClusterEntry:
        return dataclasses.replace(self, **changes)


ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(ClusterEntry))
_BOOL_FIELDS = frozenset(
    f.name for f in dataclasses.fields(ClusterEntry) if f.type in ("bool", bool)
)
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(ClusterEntry) if f.name != "name"}


def _is_default(name: str, value: Any) -> bool:
    if name in _BOOL_FIELDS:
        return value == _DEFAULTS[name]
    return not value  # None or "" (a blank form field) is "not set"


_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sanitize_name(context: str) -> str:
    """A cluster name from a context name: ``arn:aws:eks:…:cluster/prod`` -> ``arn-aws-eks-…``.

    Keeps letters, digits, ``.``, ``_`` and ``-`` so the name is easy to type after
    ``--cluster`` and in the UI; everything else becomes a single ``-``.
    """
    return _NAME_UNSAFE.sub("-", context).strip("-.") or "cluster"


@dataclass(frozen=True)
class SkippedContext:
    """A context `import_contexts` did not import because a cluster already uses it."""

    context: str
    cluster: str


@dataclass(frozen=True)
class ImportResult:
    added: tuple[ClusterEntry, ...]
    skipped: tuple[SkippedContext, ...]


# --------------------------------------------------------------------------------------------
# The document


@dataclass(frozen=True)
class FileSignature:
    """What the file looked like when read. `sha256` decides "changed"; the rest is cheap
    metadata (an mtime can stay equal across a fast rewrite, so it is not trusted alone)."""

    exists: bool
    sha256: str
    size: int = 0
    mtime_ns: int = 0
    inode: int = 0

    @classmethod
    def of(cls, path: Path) -> tuple[FileSignature, bytes]:
        """The signature and content of `path` now (a missing file has an empty signature)."""
        try:
            with open(path, "rb") as f:
                data = f.read()
                st = os.fstat(f.fileno())
        except FileNotFoundError:
            return cls(exists=False, sha256=hashlib.sha256(b"").hexdigest()), b""
        return (
            cls(
                exists=True,
                sha256=hashlib.sha256(data).hexdigest(),
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
                inode=st.st_ino,
            ),
            data,
        )

    def same_content(self, other: FileSignature) -> bool:
        return self.exists == other.exists and self.sha256 == other.sha256


class ConfigDocument:
    """The config file parsed with tomlkit, plus what it looked like on disk when read.

    Edit operations change the in-memory document only; `save` writes it. The document
    renders back to exactly the original text until it is edited.
    """

    def __init__(
        self, path: Path, doc: TOMLDocument, original: bytes, signature: FileSignature
    ) -> None:
        self.path = Path(path)
        self.doc = doc
        self.original = original
        self.signature = signature
        text = original.decode("utf-8")
        # Lines we add use the file's own line ending, so a CRLF file stays CRLF.
        self.newline = "\r\n" if "\r\n" in text else "\n"
        # tomlkit cannot reproduce some layouts (e.g. [[clusters]] tables interleaved with
        # other tables: it would regroup them). Editing such a file would rewrite lines we did
        # not mean to touch, so `save` refuses instead.
        self.lossless = doc.as_string() == text

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> ConfigDocument:
        """Parse the file; a missing file is an empty document. Raises `ConfigError` if the
        file is not readable UTF-8 TOML (with the file and line)."""
        path = Path(path)
        try:
            signature, data = FileSignature.of(path)
        except OSError as exc:
            raise ConfigError.unreadable(path, f"cannot read: {exc.strerror}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError.unreadable(path, f"not UTF-8 text: {exc.reason}") from None
        try:
            doc = tomlkit.parse(text)
        except tomlkit.exceptions.TOMLKitError:  # ParseError, KeyAlreadyPresent
            parse_config(text, path)  # raises ConfigError worded like every other report
            raise  # pragma: no cover - parse_config always raises on a TOML error
        return cls(path, doc, data, signature)

    # -- reading -------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.doc.as_string()

    def _tables(self) -> list[Table | InlineTable]:
        clusters = self.doc.get("clusters")
        if isinstance(clusters, AoT):
            return list(clusters.body)
        if isinstance(clusters, Array):
            return [t for t in clusters if isinstance(t, InlineTable)]
        return []

    def _find(self, name: str) -> tuple[int, Table | InlineTable]:
        for index, table in enumerate(self._tables()):
            if plain(table.get("name")) == name:
                return index, table
        have = ", ".join(repr(n) for n in self.names()) or "none"
        raise ConfigEditError(f"{self.path}: no cluster named {name!r} (clusters: {have})")

    def names(self) -> list[str]:
        return [e.name for e in self.entries()]

    def entries(self) -> list[ClusterEntry]:
        """Every named entry in file order (for forms and listings)."""
        return [
            ClusterEntry.from_mapping(t)
            for t in self._tables()
            if isinstance(plain(t.get("name")), str)
        ]

    def get(self, name: str) -> ClusterEntry:
        """The entry called `name`; `ConfigEditError` if there is none."""
        return ClusterEntry.from_mapping(self._find(name)[1])

    def holds_token(self) -> bool:
        """Whether any cluster has an inline `token` (the file is then a secret)."""
        return any("token" in t for t in self._tables())

    def cluster_using(self, kubeconfig: Path, context: str | None) -> str | None:
        """The name of a cluster that already connects through `context` of `kubeconfig`."""
        return self._contexts_used().get((_same_file_key(kubeconfig), context))

    def contexts_used(self, kubeconfig: Path) -> dict[str | None, str]:
        """Context of `kubeconfig` -> the cluster that already connects through it (the
        whole file's answer to `cluster_using` at once: a kubeconfig may have thousands)."""
        target = _same_file_key(kubeconfig)
        return {c: name for (k, c), name in self._contexts_used().items() if k == target}

    def _contexts_used(self) -> dict[tuple[str, str | None], str]:
        """(kubeconfig, context) -> the cluster using it, for every kubeconfig cluster."""
        used: dict[tuple[str, str | None], str] = {}
        current: dict[str, str | None] = {}
        for table in self._tables():
            raw = {k: plain(v) for k, v in table.items()}
            name = raw.get("name")
            if not isinstance(name, str) or isinstance(raw.get("server"), str):
                continue
            value = raw.get("kubeconfig")
            path = (
                resolve_paths(value, self.path)
                if isinstance(value, str)
                else default_kubeconfig_path()
            )
            key = _same_file_key(path)
            context = raw.get("context")
            if not isinstance(context, str):
                # No `context` means the kubeconfig's current-context, as when loading.
                if key not in current:
                    current[key] = current_context(path)
                context = current[key]
            used.setdefault((key, context), name)
        return used

    # -- edits ---------------------------------------------------------------------------------

    def add_cluster(self, entry: ClusterEntry) -> None:
        """Append a ``[[clusters]]`` table after the last one (or at the end of the file)."""
        if not entry.name:
            raise ConfigEditError(f"{self.path}: a cluster needs a name")
        if entry.name in self.names():
            raise ConfigEditError(f"{self.path}: a cluster named {entry.name!r} already exists")
        if entry.default:
            self._clear_default(except_name=None)
        clusters = self.doc.get("clusters")
        if clusters is not None and not isinstance(clusters, AoT | Array):
            raise ConfigEditError(f"{self.path}: 'clusters' must be an array of tables")
        if isinstance(clusters, Array):
            inline = tomlkit.inline_table()
            inline.update(entry.values())
            clusters.append(inline)
            return
        nl = self.newline
        table_text = self._table_text(entry)
        tables = [t for t in self._tables() if isinstance(t, Table)]
        if not tables:
            # No clusters yet: at the end of the file, after a blank line.
            text = self.text
            if text and not text.endswith("\n"):
                text += nl
            self._reparse(text + (nl if text.strip() else "") + table_text)
            return
        # Right after the end of the last cluster's table: comments further down, after a
        # blank line (a footer, a commented-out example), stay at the end of the file.
        trivia = _table_end(tables[-1])
        lead = "" if trivia.trail.endswith("\n") else nl
        self._splice(trivia, "trail", after=f"{lead}{nl}{table_text}")

    def add_clusters(self, entries: Sequence[ClusterEntry]) -> None:
        """`add_cluster` for each entry in turn, the tables after the first added in one
        edit of the text: one re-parse, not one per entry (importing 3,000 contexts)."""
        if not entries:
            return
        self.add_cluster(entries[0])
        rest = list(entries[1:])
        tables = [t for t in self._tables() if isinstance(t, Table)]
        if not rest or not tables or any(e.default for e in rest):
            for entry in rest:
                self.add_cluster(entry)
            return
        taken = set(self.names())
        for entry in rest:
            if not entry.name:
                raise ConfigEditError(f"{self.path}: a cluster needs a name")
            if entry.name in taken:
                raise ConfigEditError(f"{self.path}: a cluster named {entry.name!r} already exists")
            taken.add(entry.name)
        nl = self.newline
        trivia = _table_end(tables[-1])
        lead = "" if trivia.trail.endswith("\n") else nl
        text = "".join(f"{nl}{self._table_text(e)}" for e in rest)
        self._splice(trivia, "trail", after=f"{lead}{text}")

    def _table_text(self, entry: ClusterEntry) -> str:
        nl = self.newline
        body = nl.join(f"{k} = {_render_value(v)}" for k, v in entry.values().items())
        return f"[[clusters]]{nl}{body}{nl}"

    def update_cluster(self, name: str, entry: ClusterEntry) -> None:
        """Edit the table of cluster `name` in place to hold `entry` (which may rename it).

        Only fields whose value changes are touched: a changed value is rewritten on its own
        line (inline comment, quoting style and position kept), a value back to its default is
        removed, a new value is added after the table's last key. Keys this module does not
        know are left alone.
        """
        _, table = self._find(name)
        if entry.name != name:
            if not entry.name:
                raise ConfigEditError(f"{self.path}: a cluster needs a name")
            if entry.name in self.names():
                raise ConfigEditError(
                    f"{self.path}: cannot rename {name!r}: a cluster named {entry.name!r} "
                    "already exists"
                )
        if entry.default:
            self._clear_default(except_name=name)
        old = ClusterEntry.from_mapping(table)
        changed = [f for f in ENTRY_FIELDS if getattr(old, f) != getattr(entry, f)]
        # Removals and in-place rewrites first: they keep the table object valid. Additions
        # re-parse the document, so they come last, one at a time, each re-finding the table.
        additions: list[str] = []
        for key in changed:
            value = getattr(entry, key)
            if key != "name" and _is_default(key, value):
                if key in table:
                    del table[key]
            elif key in table:
                table[key] = _toml_value(value, table.item(key))
            else:
                additions.append(key)
        for key in additions:
            _, table = self._find(entry.name)
            self._add_key(table, key, getattr(entry, key))

    def remove_cluster(self, name: str) -> None:
        """Remove the table of cluster `name`: its header, its keys, the comments among them
        and comment lines directly below its last key. Comments above its header and after a
        blank line below it (which introduce the next table or end the file) are kept."""
        _, table = self._find(name)
        clusters = self.doc["clusters"]
        if isinstance(clusters, Array) or isinstance(table, InlineTable):
            del clusters[clusters.index(table)]
            return
        start, end = _marker(), _marker()
        table.trivia.indent += start
        _table_end(table).trail += end
        before, rest = self.text.split(start, 1)
        _, after = rest.split(end, 1)
        # Do not leave two blank lines where the table was (the blank line that separated it
        # from the previous table and the one that followed it), nor blank lines at the end.
        if before.endswith(("\n\n", "\n\r\n")) and after.startswith(("\n", "\r\n")):
            after = after.split("\n", 1)[1]
        elif not after:
            before = before.rstrip("\r\n") + (self.newline if before.strip() else "")
        self._reparse(before + after)

    def set_default(self, name: str) -> None:
        """Make `name` the default cluster: ``default = true`` on it, and no other cluster
        keeps ``default = true``. A disabled cluster is refused: the app would open on it only
        to say it is disabled."""
        entry = self.get(name)
        if not entry.enabled:
            raise ConfigEditError(
                f"{self.path}: cannot make {name!r} the default: it is disabled (enable it first)"
            )
        self.update_cluster(name, entry.replace(default=True))

    def set_enabled(self, name: str, enabled: bool) -> None:
        """``enabled = false`` on `name`, or remove it (true is the default)."""
        entry = self.get(name)
        self.update_cluster(name, entry.replace(enabled=enabled))

    def import_contexts(
        self,
        kubeconfig: str | os.PathLike[str],
        contexts: Iterable[str] | None = None,
        all: bool = False,
    ) -> ImportResult:
        """Add one cluster per chosen context of `kubeconfig` (see `import_contexts`)."""
        value = os.fspath(kubeconfig)
        path = resolve_paths(value, self.path)
        available = kubeconfig_contexts(path)
        names = [c.name for c in available]
        namespaces = {c.name: c.namespace for c in available}
        if all:
            chosen = names
        elif contexts is not None:
            chosen = list(dict.fromkeys(contexts))
            unknown = [c for c in chosen if c not in names]
            if unknown:
                have = ", ".join(repr(n) for n in names) or "none"
                raise ConfigEditError(
                    f"kubeconfig {path} has no context "
                    + ", ".join(repr(c) for c in unknown)
                    + f" (it has: {have})"
                )
        else:
            raise ConfigEditError("choose the contexts to import, or all of them")
        added: list[ClusterEntry] = []
        skipped: list[SkippedContext] = []
        used = self._contexts_used()
        taken = set(self.names())
        for context in chosen:
            existing = used.get((_same_file_key(path), context))
            if existing is not None:
                skipped.append(SkippedContext(context, existing))
                continue
            entry = ClusterEntry(
                name=_free_name(sanitize_name(context), taken),
                kubeconfig=value,
                context=context,
                # Written out, so the file says where the cluster opens (kubectl's rule).
                namespace=namespaces[context],
            )
            taken.add(entry.name)
            added.append(entry)
        self.add_clusters(added)
        return ImportResult(tuple(added), tuple(skipped))

    # -- internals -----------------------------------------------------------------------------

    def _free_name(self, base: str) -> str:
        return _free_name(base, set(self.names()))

    def _clear_default(self, except_name: str | None) -> None:
        for table in self._tables():
            if plain(table.get("name")) != except_name and plain(table.get("default")) is True:
                del table["default"]

    def _add_key(self, table: Table | InlineTable, key: str, value: str | bool) -> None:
        if isinstance(table, InlineTable):
            table[key] = value
            return
        anchor = _last_value_item(table)
        if anchor is None:
            trivia, indent = table.trivia, ""
        else:
            trivia, indent = anchor.trivia, anchor.trivia.indent
        nl = self.newline
        line = f"{indent}{key} = {_render_value(value)}"
        if trivia.trail.endswith("\n"):
            self._splice(trivia, "trail", after=f"{line}{nl}")
        else:
            # The last line of a file without a final newline: keep it without one.
            self._splice(trivia, "trail", after=f"{nl}{line}")

    def _splice(self, trivia: Any, attr: str, *, after: str) -> None:
        """Insert `after` into the rendered text right after `trivia.<attr>`, then re-parse."""
        mark = _marker()
        setattr(trivia, attr, getattr(trivia, attr) + mark)
        self._reparse(self.text.replace(mark, after, 1))

    def _reparse(self, text: str) -> None:
        try:
            self.doc = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as exc:  # pragma: no cover - a bug of ours
            raise ConfigEditError(f"{self.path}: cannot apply this edit ({exc})") from None


def _marker() -> str:
    # NUL cannot appear in a TOML file, so the marker cannot collide with the user's text.
    return f"\0kite-{uuid.uuid4().hex}\0"


def _last_value_item(table: Table | InlineTable) -> Item | None:
    """The table's last key/value item (not a comment or blank line after it)."""
    if isinstance(table, InlineTable):
        return None
    last = None
    for key, item in table.value.body:
        if key is None or isinstance(item, (TomlComment, Whitespace)):
            continue
        if isinstance(item, (Table, AoT)):
            raise ConfigEditError(
                f"cluster table {plain(table.get('name'))!r} has sub-tables; "
                "edit it by hand (kite-tui config edit)"
            )
        last = item
    return last


def _table_end(table: Table) -> Any:
    """The trivia of the table's last line: its last key/value, or a comment line directly
    below it (no blank line between: typically a commented-out option of this cluster)."""
    anchor = _last_value_item(table)
    trivia = anchor.trivia if anchor is not None else table.trivia
    seen_anchor = anchor is None
    for _, item in table.value.body:
        if not seen_anchor:
            seen_anchor = item is anchor
            continue
        if not isinstance(item, TomlComment):
            break
        trivia = item.trivia
    return trivia


def _render_value(value: str | bool) -> str:
    return tomlkit.item(value).as_string()


def _toml_value(value: str | bool, old: Any) -> Any:
    """`value` as a tomlkit item, in the old value's quoting style where it can be."""
    if (
        isinstance(value, str)
        and isinstance(old, String)
        and old.type == StringType.SLL
        and "'" not in value
        and not any(ord(c) < 0x20 or c == "\x7f" for c in value)
    ):
        return tomlkit.string(value, literal=True)
    return value


def _free_name(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _same_file_key(path: Path) -> str:
    """The same for two spellings of one file (or of one list of files, ``a:b``)."""
    return os.pathsep.join(os.path.normcase(os.path.realpath(p)) for p in path_list(str(path)))


def import_contexts(
    doc: ConfigDocument,
    path_kubeconfig: str | os.PathLike[str],
    contexts: list[str] | None = None,
    all: bool = False,
) -> ImportResult:
    """Add one entry per chosen context (`contexts`, or every one with `all`) to `doc`.

    Each entry is named after its context (sanitised, ``-2``… if the name is taken) with
    ``kubeconfig = path_kubeconfig`` (written as given), ``context = <context>`` and the
    context's ``namespace`` if it sets one. Contexts a cluster already uses (same kubeconfig
    file and context) are skipped and reported. Unknown contexts raise `ConfigEditError`
    before anything is added.
    """
    return doc.import_contexts(path_kubeconfig, contexts, all)
