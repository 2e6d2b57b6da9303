"""Writing the config file back safely, and the read -> edit -> save cycle (`apply_edit`).

"Safely" means:

* nothing is written that would not load (`parse_config` is run on the new text first);
* a file changed on disk since it was read is never overwritten (content hash, not only mtime);
  `apply_edit` re-reads and re-applies the edit instead, so a concurrent hand edit is not lost;
* the write is atomic (temporary file in the same directory, fsync, `os.replace`, fsync of the
  directory), new files are private (0600, new directories 0700), an existing file keeps its
  mode, and the previous version is kept as ``<name>.bak`` (0600: it may hold tokens).

This has no UI dependency; the CLI (`kite_tui.config_cli`) and the app's forms both call it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from kite_tui.core.config.document import ConfigDocument, FileSignature
from kite_tui.core.config.load import parse_config
from kite_tui.core.config.model import (
    Config,
    ConfigChangedOnDisk,
    ConfigEditError,
    ConfigError,
    InvalidEdit,
)

_T = TypeVar("_T")


def backup_path(path: Path) -> Path:
    """Where `save` keeps the previous version: ``config.toml`` -> ``config.toml.bak``."""
    return path.with_name(path.name + ".bak")


def save(doc: ConfigDocument, *, expect: FileSignature | None = None) -> list[str]:
    """Write `doc` to its file safely; returns warnings for the user (possibly none).

    Raises `ConfigChangedOnDisk` if the file's content differs from `expect` (default: what
    `doc` was read from), `InvalidEdit` if the new text would not load, `ConfigEditError` if
    the layout cannot be edited without rewriting other lines, and `OSError` on I/O failure
    (the old file is then intact). On success `doc` describes the new file, so it can be
    edited and saved again.
    """
    expect = expect or doc.signature
    path = doc.path
    if not doc.lossless:
        raise ConfigEditError(
            f"{path}: cannot edit this file without reformatting parts of it (for example "
            "[[clusters]] tables separated by another table); group the [[clusters]] tables "
            "together, or edit it by hand (kite-tui config edit)"
        )
    text = doc.text
    data = text.encode("utf-8")
    try:
        config = parse_config(text, path)
    except ConfigError as exc:
        preexisting = True
        try:
            parse_config(doc.original.decode("utf-8"), path)
        except ConfigError:
            pass
        else:
            preexisting = False
        raise InvalidEdit(exc.issues, preexisting=preexisting) from None

    # Write the real file behind a symlink (dotfile managers link config files), so the link
    # survives the replace.
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    current, old_data = FileSignature.of(target)
    if not current.same_content(expect):
        raise ConfigChangedOnDisk(path)
    if current.exists and old_data == data:
        return _warnings(config, doc, os.stat(target).st_mode)  # nothing to write

    _make_private_dirs(target.parent)
    if current.exists:
        st = os.stat(target)
        mode = stat.S_IMODE(st.st_mode)
        owner: tuple[int, int] | None = (st.st_uid, st.st_gid)
        _atomic_write(backup_path(target), old_data, 0o600, None)
    else:
        mode, owner = 0o600, None
    _atomic_write(target, data, mode, owner)
    doc.signature, doc.original = FileSignature.of(target)
    doc.lossless = True
    return _warnings(config, doc, mode)


def _warnings(config: Config, doc: ConfigDocument, mode: int) -> list[str]:
    # The caller says "warning:" already.
    warnings = [str(dataclasses.replace(w, warning=False)) for w in config.warnings]
    path = config.path
    if doc.holds_token() and mode & 0o044:
        warnings.append(
            f"{path} holds a token and is readable by group/others (mode {stat.S_IMODE(mode):04o})"
            f"; make it private: chmod 600 {path}"
        )
    return warnings


def _make_private_dirs(directory: Path) -> None:
    """Create missing directories, each 0700 (the config may hold credentials)."""
    missing: list[Path] = []
    d = directory
    while not d.exists():
        missing.append(d)
        if d.parent == d:
            break
        d = d.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(d, 0o700)
            os.chmod(d, 0o700)  # the umask may have taken bits away; 0700 is what we promise


def _atomic_write(target: Path, data: bytes, mode: int, owner: tuple[int, int] | None) -> None:
    """Write `data` to a temporary file next to `target`, then rename it over `target`.

    A crash or error before the rename leaves `target` as it was and no temporary file behind;
    after it, the new content is durable (file and directory fsynced).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        if owner is not None and hasattr(os, "chown"):
            st = os.stat(tmp)
            if (st.st_uid, st.st_gid) != owner:
                # Keep the owner/group of a file edited by someone else (e.g. root); not
                # being allowed to is fine, the mode is what protects it.
                with contextlib.suppress(OSError):
                    os.chown(tmp, *owner)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # e.g. Windows: directories cannot be opened; the rename is durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True)
class EditResult(Generic[_T]):
    """What `apply_edit` did: the edit function's return value and the save warnings."""

    value: _T
    warnings: tuple[str, ...]
    document: ConfigDocument
    attempts: int


def apply_edit(
    path: str | os.PathLike[str],
    edit: Callable[[ConfigDocument], _T],
    retries: int = 1,
) -> EditResult[_T]:
    """Read the file, apply `edit` to it, save; if the file changed meanwhile, do it again.

    `edit` must be repeatable (it is applied to a fresh read of the file each time), so a hand
    edit saved between our read and our write ends up in the file together with ours. After
    `retries` extra attempts, raises `ConfigChangedOnDisk` without writing.
    """
    path = Path(path)
    for attempt in range(1, retries + 2):
        doc = ConfigDocument.read(path)
        value = edit(doc)
        try:
            warnings = save(doc)
        except ConfigChangedOnDisk:
            continue
        return EditResult(value, tuple(warnings), doc, attempt)
    raise ConfigChangedOnDisk(
        path,
        f"{path} kept changing on disk while saving (tried {retries + 1} times); "
        "nothing was written, try again",
    )


def edit_error_message(
    exc: BaseException,
    path: Path,
    *,
    change: str = "the change",
    fix: str = "kite-tui config edit",
) -> str:
    """What to tell the user when `apply_edit` refused or failed: a head line, then the
    file's problems one per indented line. `change` names the edit ("adding 'prod'"), `fix`
    says how to open the file by hand. Never includes a token (see `scrub` for texts that
    might)."""
    if isinstance(exc, InvalidEdit):
        if exc.preexisting:
            head = f"{path} has problems; fix them first ({fix}):"
        else:
            head = f"not saved: {change} would leave {path} unloadable:"
        return "\n".join([head, *(f"  {issue}" for issue in exc.issues)])
    if isinstance(exc, ConfigError):  # the file is not readable TOML
        return "\n".join([f"cannot edit {path}:", *(f"  {issue}" for issue in exc.issues)])
    if isinstance(exc, ConfigEditError):  # includes ConfigChangedOnDisk after its retry
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot write {path}: {exc.strerror or exc}"
    return f"unexpected error: {exc}"
