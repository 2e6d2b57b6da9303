"""Command-line entry point: argument parsing and subcommands. Thin: the work is in core/ui."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kite_tui import __version__
from kite_tui.config_cli import register
from kite_tui.core.config import check_config, resolve_config_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kite-tui",
        description="A keyboard-driven, multi-cluster Kubernetes dashboard for the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"kite-tui {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $KITE_TUI_CONFIG, else ~/.config/kite-tui/config.toml)",
    )
    parser.add_argument("--cluster", metavar="NAME", help="start on this cluster")
    parser.add_argument(
        "--readonly", action="store_true", help="never change anything on any cluster"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    config = sub.add_parser("config", help="inspect and edit the config file")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    p = config_sub.add_parser("path", help="print the resolved config path")
    p.set_defaults(func=cmd_config_path)
    p = config_sub.add_parser("check", help="validate a config file (exit 1 if invalid)")
    p.add_argument("path", nargs="?", help="file to check (default: the resolved config)")
    p.set_defaults(func=cmd_config_check)
    register(config_sub)

    p = sub.add_parser(
        "clusters",
        help="connect to every cluster once and print its status",
        description="Connect to every cluster once and print its status. Exit status 0 when "
        "every enabled cluster is ok, 1 otherwise.",
    )
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument(
        "--no-fail",
        action="store_true",
        help="exit 0 even when a cluster is down (for scripts that only read the listing)",
    )
    p.set_defaults(func=cmd_clusters)

    from kite_tui.sim.cli import add_parsers as add_sim_parsers

    add_sim_parsers(sub)
    demo = sub.choices["demo"]
    demo.description = (
        "Start simulated clusters (large, small, slow, unreachable) in a child process, "
        "write a kite-tui config for them in a temporary directory and open the app on it. "
        "Edit that config while the app runs to watch it react. Everything is removed on exit."
    )
    demo.add_argument(
        "--no-app", action="store_true", help="only run the simulators and print the config"
    )
    demo.set_defaults(func=cmd_demo)
    return parser


def cmd_config_path(args: argparse.Namespace) -> int:
    print(resolve_config_path(args.config))
    return 0


def cmd_config_check(args: argparse.Namespace) -> int:
    path = Path(args.path).expanduser() if args.path else resolve_config_path(args.config)
    issues = check_config(path)
    for issue in issues:
        print(issue)
    warnings = sum(issue.warning for issue in issues)
    if len(issues) > warnings:
        return 1
    noted = f" ({warnings} warning{'s' if warnings > 1 else ''})" if warnings else ""
    print(f"{path}: ok{noted}")
    return 0


def cmd_clusters(args: argparse.Namespace) -> int:
    import warnings

    from urllib3.exceptions import InsecureRequestWarning

    from kite_tui.core.kube.credentials import kill_plugins
    from kite_tui.core.manager import ClusterManager
    from kite_tui.core.snapshot import Health

    # insecure_skip_tls_verify is the user's own choice, written in the config; urllib3 would
    # repeat it on the terminal for every request, over the table.
    warnings.simplefilter("ignore", InsecureRequestWarning)
    path = resolve_config_path(args.config)
    manager = ClusterManager(path)
    try:
        manager.reload()
        snap = manager.snapshot
        if snap.config_error and not snap.clusters:
            print(snap.config_error, file=sys.stderr)
            return 1
        # Every build has its own request timeout; allow for the client build on top.
        manager.wait_idle(timeout=3 * snap.settings.request_timeout_seconds + 5)
        snap = manager.snapshot
        rows = [
            {
                "name": h.name,
                "status": str(h.health),
                "version": h.version,
                "error": h.reason(),
                "default": h.name == snap.default,
            }
            for h in snap
        ]
        if snap.config_error:
            print(snap.config_error, file=sys.stderr)
        if args.json:
            print(json.dumps(rows, indent=2))
        else:
            _print_table(rows)
        healthy = all(h.health in (Health.OK, Health.DISABLED) for h in snap)
        return 0 if healthy or args.no_fail else 1
    finally:
        manager.close()
        kill_plugins()  # none outlives the command (a plugin still waiting for a login)


def _print_table(rows: list[dict[str, Any]]) -> None:
    headers = ["NAME", "STATUS", "VERSION", "ERROR"]
    table = [
        [
            f"{r['name']}{' (default)' if r['default'] else ''}",
            str(r["status"]),
            str(r["version"] or "-"),
            str(r["error"] or ""),
        ]
        for r in rows
    ]
    widths = [max([len(h)] + [len(row[i]) for row in table]) for i, h in enumerate(headers)]
    for row in [headers, *table]:
        print("   ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def cmd_app(args: argparse.Namespace) -> int:
    return run_app(resolve_config_path(args.config), cluster=args.cluster, readonly=args.readonly)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.no_app:
        from kite_tui.sim.cli import run_demo

        return run_demo(args)
    from kite_tui.sim.launcher import DemoProcess

    demo = DemoProcess()
    try:
        print("Starting the demo clusters…", flush=True)
        path = demo.start()
        print(
            f"Demo config: {path} (edit it while the app runs; ? in the app shows it again)",
            flush=True,
        )
        return run_app(path, cluster=args.cluster, readonly=args.readonly, demo=True)
    except RuntimeError as exc:
        print(f"kite-tui demo: {exc}", file=sys.stderr)
        return 1
    finally:
        demo.stop()


def run_app(path: Path, *, cluster: str | None, readonly: bool, demo: bool = False) -> int:
    try:
        from kite_tui.ui.app import run_app as run
    except ImportError as exc:  # a broken install: say what is missing
        print(f"kite-tui: cannot start the terminal UI: {exc}", file=sys.stderr)
        return 2
    return run(path, cluster=cluster, readonly=readonly, demo=demo)


def leave_promptly(code: int, grace: float = 0.1) -> int:
    """Exit now even if a worker thread is still blocked on a dead server.

    Python joins non-daemon threads at exit, and a thread worker waiting on a blackholed API
    server would hold the process for up to its request timeout after the user pressed q.
    The terminal is already restored and every client closed; only such waits are left.
    """
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    deadline = time.monotonic() + grace
    for thread in others:
        thread.join(max(0.0, deadline - time.monotonic()))
    if not any(t.is_alive() for t in others):
        return code
    # What atexit would have done that matters: kubeconfig credential temp files, logs.
    with contextlib.suppress(Exception):
        from kubernetes.config.kube_config import _cleanup_temp_files

        _cleanup_temp_files()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None) or cmd_app
    try:
        code = int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    if func in (cmd_app, cmd_demo) and not getattr(args, "no_app", False):
        return leave_promptly(code)
    return code
