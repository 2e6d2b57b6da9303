"""Where things are: the config file (`--config`, `$KITE_TUI_CONFIG`, the platform's config
directory), the kubeconfig kubectl would use, and what a path means: one written in the config
(`resolve_path`), one the user typed (`typed_path`), and how a typed one is written (`user_path`).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path

ENV_CONFIG = "KITE_TUI_CONFIG"


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
    """`$KUBECONFIG` or ``~/.kube/config``, as kubectl resolves it. A list in `$KUBECONFIG`
    (``a:b``) stays a list, joined by `os.pathsep`: kubectl merges its files."""
    parts = [p for p in os.environ.get("KUBECONFIG", "").split(os.pathsep) if p]
    if parts:
        return Path(os.pathsep.join(os.path.expanduser(p) for p in parts))
    return Path("~/.kube/config").expanduser()


def path_list(value: str) -> list[str]:
    """The paths of a value that may be a list joined by `os.pathsep` (``a:b``, as in
    ``KUBECONFIG``); one path when there is no separator, or the whole names a file."""
    if os.pathsep not in value or os.path.isfile(value):
        return [value]
    return [p for p in value.split(os.pathsep) if p] or [value]


def resolve_paths(value: str, config_path: Path) -> Path:
    """`resolve_path` for each path of a list (``a:b``), joined again by `os.pathsep`."""
    return Path(os.pathsep.join(str(resolve_path(p, config_path)) for p in path_list(value)))


def typed_paths(value: str) -> Path:
    """`typed_path` for each path of a list (``a:b``), joined again by `os.pathsep`."""
    return Path(os.pathsep.join(str(typed_path(p)) for p in path_list(value)))


def user_paths(value: str | os.PathLike[str]) -> str:
    """`user_path` for each path of a list (``a:b``), joined again by `os.pathsep`."""
    return os.pathsep.join(user_path(p) for p in path_list(os.fspath(value)))


def resolve_path(value: str, config_path: Path) -> Path:
    """A path written in the config, as the loader reads it: ``$VARS`` and ``~`` expanded, and
    a relative path taken from the config file's directory (not from where the app runs)."""
    path = Path(os.path.expandvars(value)).expanduser()
    return path if path.is_absolute() else config_path.absolute().parent / path


def typed_path(value: str) -> Path:
    """A path the user typed (on the command line, in a form): ``~`` expanded, absolute from
    where they are, normalised."""
    return Path(os.path.normpath(Path(value).expanduser().absolute()))


def user_path(value: str | os.PathLike[str]) -> str:
    """A typed path as it is written into the config: absolute (a relative path in the config
    would be relative to the config file, not to where the user typed it), with the home
    directory as ``~`` so the file stays readable and portable."""
    path = typed_path(os.fspath(value))
    try:
        rel = path.relative_to(Path.home())
    except (ValueError, RuntimeError):
        return str(path)
    return "~" if str(rel) == "." else f"~/{rel.as_posix()}"
