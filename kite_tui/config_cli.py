"""`kite-tui config add|import|remove|set-default|enable|disable|edit`: the config file from
the command line.

Every action is a read -> edit -> safe save of the file through `kite_tui.core.config`
(comments and formatting kept, nothing written that would not load, a concurrent edit never
overwritten); a running app picks the change up from the file. Errors go to stderr naming the
file and the cluster, with exit status 1. Tokens are never printed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from kite_tui.core.config import (
    ClusterEntry,
    ConfigDocument,
    ConfigEditError,
    ConfigError,
    ContextInfo,
    Editor,
    EditorError,
    EditResult,
    apply_edit,
    check_config,
    create_if_missing,
    default_kubeconfig_path,
    edit_error_message,
    kubeconfig_contexts,
    path_list,
    resolve_config_path,
    typed_paths,
    user_path,
    user_paths,
    validate_entry,
)

_T = TypeVar("_T")

_ADD_EPILOG = """\
There is no --token option on purpose: a token given on the command line ends up in your
shell history and in the process list. Put it in a file only you can read (chmod 600) and pass
--token-file, or add `token = "..."` with `kite-tui config edit`.
"""


def register(config_subparsers: Any) -> None:
    """Add the editing actions to the `kite-tui config` subcommand group."""
    sub = config_subparsers

    p = sub.add_parser(
        "add",
        help="add a cluster",
        description="Add a [[clusters]] entry, from a kubeconfig context or an API server URL.",
        epilog=_ADD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        # Without this, `--token VALUE` would be taken as an abbreviation of --token-file.
        allow_abbrev=False,
    )
    p.add_argument("name", metavar="NAME", help="unique cluster name")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--kubeconfig", metavar="FILE", help="connect through this kubeconfig")
    source.add_argument("--server", metavar="URL", help="connect straight to this API server")
    p.add_argument(
        "--context", metavar="NAME", help="kubeconfig context (default: its current-context)"
    )
    p.add_argument("--token-file", metavar="FILE", help="bearer token file (with --server)")
    p.add_argument("--token", nargs="?", action=_RefuseToken, help=argparse.SUPPRESS)
    p.add_argument("--certificate-authority", metavar="FILE", help="CA bundle to verify the server")
    p.add_argument("--client-certificate", metavar="FILE", help="client certificate (mTLS)")
    p.add_argument("--client-key", metavar="FILE", help="client key (mTLS)")
    p.add_argument(
        "--insecure-skip-tls-verify",
        action="store_true",
        help="do not verify the server's certificate (labs only)",
    )
    p.add_argument("--default", dest="make_default", action="store_true", help="open it first")
    # dest differs from the top-level --readonly, which means something else (the whole app).
    p.add_argument(
        "--readonly", dest="entry_readonly", action="store_true", help="refuse changes on it"
    )
    p.add_argument("--namespace", metavar="NS", help="start in this namespace")
    p.add_argument("--description", metavar="TEXT", help="shown next to the name")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser(
        "import",
        help="add clusters from kubeconfig contexts",
        description=(
            "Without --context or --all, list the kubeconfig's contexts and which are already "
            "configured (and, on a terminal, offer to import some). Contexts already "
            "configured are skipped."
        ),
    )
    p.add_argument(
        "--kubeconfig",
        metavar="FILE",
        help="kubeconfig to read (default: $KUBECONFIG's first entry, else ~/.kube/config)",
    )
    p.add_argument(
        "--context",
        dest="contexts",
        metavar="NAME",
        action="append",
        help="import this context (repeatable)",
    )
    p.add_argument("--all", action="store_true", help="import every context")
    p.set_defaults(func=cmd_import)

    for action, help_text, func in (
        ("remove", "remove a cluster", cmd_remove),
        ("set-default", "make a cluster the one opened first", cmd_set_default),
        ("enable", "connect to a disabled cluster again", cmd_enable),
        ("disable", "keep a cluster in the file but do not connect to it", cmd_disable),
    ):
        p = sub.add_parser(action, help=help_text, description=help_text[0].upper() + help_text[1:])
        p.add_argument("name", metavar="NAME", help="cluster name")
        p.set_defaults(func=func)

    p = sub.add_parser(
        "edit",
        help="open the config in $VISUAL / $EDITOR, then check it",
        description="Open the config file in $VISUAL, else $EDITOR, else vi; then check it.",
    )
    p.set_defaults(func=cmd_edit)


class _RefuseToken(argparse.Action):
    """`--token` exists only to refuse it, without echoing the value back."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        parser.error(
            "--token is not accepted (a token on the command line ends up in your shell "
            "history); put it in a file readable only by you and use --token-file FILE"
        )


# --------------------------------------------------------------------------------------------
# Helpers


def _config_path(args: argparse.Namespace) -> Path:
    return resolve_config_path(getattr(args, "config", None))


def _error(message: str) -> int:
    print(f"kite-tui: {message}", file=sys.stderr)
    return 1


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _edit(path: Path, what: str, edit: Callable[[ConfigDocument], _T]) -> EditResult[_T] | int:
    """Apply `edit` to the file and save; on a user error print it and return exit code 1."""
    try:
        result = apply_edit(path, edit)
    except (ConfigError, ConfigEditError, OSError) as exc:
        return _error(edit_error_message(exc, path, change=what))
    for warning in result.warnings:
        print(f"kite-tui: warning: {warning}", file=sys.stderr)
    return result


# --------------------------------------------------------------------------------------------
# Actions


def cmd_add(args: argparse.Namespace) -> int:
    path = _config_path(args)
    name = args.name
    if args.kubeconfig is None:
        if args.context:
            return _error("--context goes with --kubeconfig")
    else:
        given = [
            flag
            for flag, value in (
                ("--token-file", args.token_file),
                ("--certificate-authority", args.certificate_authority),
                ("--client-certificate", args.client_certificate),
                ("--client-key", args.client_key),
                ("--insecure-skip-tls-verify", args.insecure_skip_tls_verify),
            )
            if value
        ]
        if given:
            return _error(f"{', '.join(given)} only apply with --server, not --kubeconfig")

    def file(value: str | None) -> str | None:
        return user_path(value) if value else None

    entry = ClusterEntry(
        name=name,
        description=args.description or "",
        kubeconfig=user_paths(args.kubeconfig) if args.kubeconfig else None,  # may be a list
        context=args.context,
        server=args.server,
        token_file=file(args.token_file),
        certificate_authority=file(args.certificate_authority),
        client_certificate=file(args.client_certificate),
        client_key=file(args.client_key),
        insecure_skip_tls_verify=args.insecure_skip_tls_verify,
        default=args.make_default,
        namespace=args.namespace,
        readonly=args.entry_readonly,
    )
    problems = validate_entry(entry, path)
    if problems:
        lines = [f"cannot add cluster {name!r} to {path}:"]
        # The loader's messages name the setting and the file already ("context 'x' is not in
        # kubeconfig ..."), so they are printed as they are.
        lines.extend(problems.values())
        return _error("\n  ".join(lines))
    result = _edit(path, f"adding {name!r}", lambda doc: doc.add_cluster(entry))
    if isinstance(result, int):
        return result
    print(f"added cluster {name!r} to {path}" + (" (default)" if entry.default else ""))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = _config_path(args)
    # Either may be a list of files (``a:b``), merged as kubectl merges KUBECONFIG.
    source = (
        Path(os.pathsep.join(os.path.expanduser(p) for p in path_list(args.kubeconfig)))
        if args.kubeconfig
        else default_kubeconfig_path()
    )
    value = user_paths(source)
    contexts: list[str] | None = args.contexts
    if contexts is None and not args.all:
        try:
            infos = kubeconfig_contexts(source)
            doc = ConfigDocument.read(path)
        except ConfigEditError as exc:
            return _error(str(exc))
        except ConfigError as exc:
            return _error("\n  ".join([f"cannot read {path}:", *(str(i) for i in exc.issues)]))
        used = doc.contexts_used(typed_paths(str(source)))
        configured = {c.name: used.get(c.name) for c in infos}
        _print_contexts(source, infos, configured)
        free = [c.name for c in infos if configured[c.name] is None]
        if not free:
            return 0
        if not _stdin_is_tty():
            print(
                "\nimport with: kite-tui config import"
                + (f" --kubeconfig {shlex.quote(args.kubeconfig)}" if args.kubeconfig else "")
                + " --context NAME [--context NAME ...]  (or --all)"
            )
            return 0
        chosen = _ask_contexts(free)
        if not chosen:
            return 0
        contexts = chosen

    def edit(doc: ConfigDocument) -> Any:
        return doc.import_contexts(value, contexts, all=args.all)

    result = _edit(path, f"importing from {source}", edit)
    if isinstance(result, int):
        return result
    imported = result.value
    for entry in imported.added:
        where = f" (namespace {entry.namespace})" if entry.namespace else ""
        print(f"imported context {entry.context!r} as cluster {entry.name!r}{where}")
    for skip in imported.skipped:
        print(f"skipped context {skip.context!r}: already configured as cluster {skip.cluster!r}")
    if imported.added:
        print(f"{path}: {len(imported.added)} cluster(s) added")
    else:
        print(f"{path}: nothing imported")
    return 0


def _print_contexts(
    source: Path, infos: list[ContextInfo], configured: dict[str, str | None]
) -> None:
    if not infos:
        print(f"{source} has no contexts")
        return
    print(f"contexts in {source} (* = current-context):")
    rows = [
        [
            ("* " if c.current else "  ") + c.name,
            c.cluster or "-",
            c.server or "-",
            c.namespace or "-",
            f"configured as {configured[c.name]!r}" if configured[c.name] else "not configured",
        ]
        for c in infos
    ]
    headers = ["  CONTEXT", "CLUSTER", "SERVER", "NAMESPACE", "KITE-TUI"]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _ask_contexts(free: list[str]) -> list[str]:
    """On a terminal: which of the not-yet-configured contexts to import (none by default)."""
    print()
    for i, name in enumerate(free, 1):
        print(f"  {i}) {name}")
    try:
        answer = input("import which? (numbers or names, 'all', empty for none): ").strip()
    except EOFError:
        return []
    if answer.lower() == "all":
        return list(free)
    chosen: list[str] = []
    for word in answer.replace(",", " ").split():
        if word.isdigit() and 1 <= int(word) <= len(free):
            chosen.append(free[int(word) - 1])
        elif word in free:
            chosen.append(word)
        else:
            print(f"kite-tui: ignoring {word!r}: not one of the choices", file=sys.stderr)
    return list(dict.fromkeys(chosen))


def _simple(args: argparse.Namespace, what: str, edit: Callable[[ConfigDocument], Any]) -> int:
    path = _config_path(args)
    result = _edit(path, what, edit)
    if isinstance(result, int):
        return result
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    code = _simple(args, f"removing {args.name!r}", lambda d: d.remove_cluster(args.name))
    if code == 0:
        print(f"removed cluster {args.name!r} from {_config_path(args)}")
    return code


def cmd_set_default(args: argparse.Namespace) -> int:
    code = _simple(args, f"making {args.name!r} default", lambda d: d.set_default(args.name))
    if code == 0:
        print(f"cluster {args.name!r} is now the default in {_config_path(args)}")
    return code


def cmd_enable(args: argparse.Namespace) -> int:
    code = _simple(args, f"enabling {args.name!r}", lambda d: d.set_enabled(args.name, True))
    if code == 0:
        print(f"enabled cluster {args.name!r} in {_config_path(args)}")
    return code


def cmd_disable(args: argparse.Namespace) -> int:
    code = _simple(args, f"disabling {args.name!r}", lambda d: d.set_enabled(args.name, False))
    if code == 0:
        print(f"disabled cluster {args.name!r} in {_config_path(args)}")
    return code


def cmd_edit(args: argparse.Namespace) -> int:
    path = _config_path(args)
    try:
        editor = Editor.from_environment()
    except EditorError as exc:
        return _error(str(exc))
    try:
        create_if_missing(path)
    except (ConfigEditError, ConfigError, OSError) as exc:
        return _error(f"cannot create {path}: {exc}")
    while True:
        try:
            complaint = editor.run(path)
        except EditorError as exc:
            return _error(str(exc))
        if complaint:
            print(f"kite-tui: {complaint}", file=sys.stderr)
        issues = check_config(path)
        for issue in issues:
            print(issue, file=sys.stderr)
        if all(issue.warning for issue in issues):
            print(f"{path}: ok")
            return 0
        if not _stdin_is_tty():
            return 1
        try:
            answer = input(f"{path} has problems. Re-open it? [Y/n] ").strip().lower()
        except EOFError:
            return 1
        if answer not in ("", "y", "yes"):
            return 1
