"""The ``kite-tui sim`` and ``kite-tui demo`` commands.

:func:`add_parsers` registers both on an argparse subparsers object; each sets
``func`` to a callable taking the parsed Namespace and returning an exit code.
``python -m kite_tui.sim sim ...`` runs them without the main CLI.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import yaml

from kite_tui.sim.demo import Demo, start_demo
from kite_tui.sim.scenario import Scenario, load_objects
from kite_tui.sim.server import SimServer

__all__ = ["Demo", "add_parsers", "main", "run_demo", "run_sim", "start_demo"]


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Register ``sim`` and ``demo`` on the main CLI's subparsers."""
    p = subparsers.add_parser(
        "sim",
        help="run one simulated Kubernetes cluster in the foreground",
        description="Run a simulated Kubernetes API server on 127.0.0.1 and print its URL "
        "and a ready kubeconfig. Faults can be switched with "
        "POST /_sim/faults (JSON).",
    )
    p.add_argument("--port", type=_port, default=0, help="port to listen on (0: pick a free one)")
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a generated CA")
    p.add_argument("--token", help="require this bearer token (kubectl only sends it over TLS)")
    p.add_argument(
        "--pods",
        type=int,
        default=None,
        help="generate a cluster with N pods (default 100, or none when --objects is given)",
    )
    p.add_argument("--nodes", type=int, default=None, help="nodes (default: scales with pods)")
    p.add_argument("--namespaces", type=int, default=None, help="app namespaces")
    p.add_argument(
        "--failing",
        type=float,
        default=0.1,
        help="fraction of pods in a failing state (default 0.1)",
    )
    p.add_argument(
        "--tricky",
        action="store_true",
        help="add a 'tricky' namespace with one pod per tricky state",
    )
    p.add_argument(
        "--objects",
        nargs="+",
        default=[],
        metavar="FILE",
        help="load objects from YAML/JSON files (kubectl get -o yaml dumps, Lists)",
    )
    p.add_argument("--churn", type=float, default=0.0, help="pod changes per second")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--name", default="sim", help="cluster/context name")
    p.add_argument(
        "--kubeconfig",
        type=Path,
        default=None,
        help="where to write the kubeconfig (default: a temporary file)",
    )
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    p.set_defaults(func=run_sim)

    d = subparsers.add_parser(
        "demo",
        help="start a few simulated clusters and a config for them",
        description="Start simulated clusters (large, small, slow, unreachable) in the "
        "background and write a kite-tui config for them in a temporary directory.",
    )
    # The app's launcher keeps a pipe to our stdin: when the app goes away however it ends
    # (a killed terminal, SIGKILL), the pipe closes and the simulators stop with it.
    d.add_argument("--stop-on-stdin-eof", action="store_true", help=argparse.SUPPRESS)
    d.set_defaults(func=run_demo)


def _port(text: str) -> int:
    """argparse type: a TCP port, so that `--port 99999` is a usage error, not a traceback."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


class ObjectsFileError(Exception):
    """An ``--objects`` file that cannot be used; the message names the file (and line)."""


def read_objects(path: str) -> list[dict]:
    """The objects of one ``--objects`` file, or `ObjectsFileError` saying what is wrong."""
    try:
        objects = load_objects(path)
    except OSError as exc:
        raise ObjectsFileError(f"cannot read objects file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ObjectsFileError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise ObjectsFileError(f"{where}: not valid YAML or JSON: {problem}") from None
    for n, obj in enumerate(objects, start=1):
        meta = obj.get("metadata")
        if not isinstance(meta, dict) or not (meta.get("name") or meta.get("generateName")):
            raise ObjectsFileError(f"{path}: {obj.get('kind')} #{n} has no metadata.name")
    return objects


def scenario_from_args(args: argparse.Namespace) -> Scenario | None:
    if args.pods is None and args.objects and not args.tricky:
        return None
    pods = 100 if args.pods is None else args.pods
    nodes = args.nodes if args.nodes is not None else max(3, min(200, pods // 60 + 2))
    namespaces = (
        args.namespaces if args.namespaces is not None else max(2, min(40, pods // 150 + 3))
    )
    return Scenario(
        nodes=nodes,
        namespaces=namespaces,
        pods=pods,
        failing_fraction=args.failing,
        seed=args.seed,
        tricky=args.tricky,
    )


@contextmanager
def _until_interrupted(stop: threading.Event):
    """Set ``stop`` on SIGINT/SIGTERM/SIGHUP (when running in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    for s in old:
        signal.signal(s, lambda *_: stop.set())
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _stop_at_eof(stop: threading.Event) -> None:
    """Read stdin until it closes (the parent is gone), then stop."""
    with contextlib.suppress(OSError, ValueError):
        while sys.stdin.buffer.read(4096):
            pass
    stop.set()


def run_sim(
    args: argparse.Namespace,
    *,
    stop: threading.Event | None = None,
    ready: Callable[[SimServer, Path], None] | None = None,
) -> int:
    """Run one simulator until Ctrl-C (or ``stop``); ``ready`` is called once it listens."""
    stop = stop or threading.Event()
    tmp: Path | None = None
    try:
        # Read here, not in start(): a file's problem is then not taken for a listen error.
        objects = [obj for path in args.objects for obj in read_objects(path)]
    except ObjectsFileError as exc:
        print(f"kite-tui sim: {exc}", file=sys.stderr)
        return 2
    sim = SimServer(
        port=args.port,
        tls=args.tls,
        token=args.token,
        scenario=scenario_from_args(args),
        objects=objects,
        churn=args.churn,
        seed=args.seed,
        name=args.name,
    )
    try:
        sim.start()
    except OSError as exc:
        where = f"{sim.host}:{args.port}"
        print(f"kite-tui sim: cannot listen on {where}: {exc.strerror or exc}", file=sys.stderr)
        sim.stop()
        return 1
    except ValueError as exc:  # an object the store refuses (its message names it)
        print(f"kite-tui sim: cannot load the objects: {exc}", file=sys.stderr)
        sim.stop()
        return 2
    try:
        gc.collect()
        gc.freeze()  # the store lives as long as the process: keep it out of GC scans
        sim.faults.latency = args.latency
        if args.kubeconfig is None:
            tmp = Path(tempfile.mkdtemp(prefix="kite-sim-"))
            kubeconfig = sim.write_kubeconfig(tmp / "kubeconfig")
        else:
            kubeconfig = sim.write_kubeconfig(args.kubeconfig)
        print(
            f"kite-tui sim {args.name!r}: {sim.store.count('pods')} pods, "
            f"{sim.store.count('nodes')} nodes"
        )
        if sim.skipped_objects:
            print(
                f"skipped {len(sim.skipped_objects)} object(s) of kinds the simulator does "
                f"not serve: {', '.join(sim.skipped_objects[:5])}"
                + (" ..." if len(sim.skipped_objects) > 5 else "")
            )
        print(f"url:        {sim.url}")
        print(f"kubeconfig: {kubeconfig}")
        print(f"try:        KUBECONFIG={kubeconfig} kubectl get pods -A")
        print(
            f"faults:     curl -s -X POST {sim.url}/_sim/faults -d '{{\"latency\": 1.5}}'"
            + (" -k" if args.tls else "")
        )
        print("Ctrl-C to stop.", flush=True)
        if ready is not None:
            ready(sim, kubeconfig)
        with _until_interrupted(stop):
            stop.wait()
    finally:
        sim.stop()
        gc.unfreeze()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def run_demo(
    args: argparse.Namespace,
    *,
    stop: threading.Event | None = None,
    ready: Callable[[Demo], None] | None = None,
) -> int:
    """Start the demo clusters, print the config path, keep them running until Ctrl-C."""
    stop = stop or threading.Event()
    directory = Path(tempfile.mkdtemp(prefix="kite-demo-"))
    try:
        demo = start_demo(directory)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    try:
        print("kite-tui demo clusters:")
        for name, sim in demo.sims.items():
            print(f"  {name:12} {sim.url}  ({sim.store.count('pods')} pods)")
        print(f"config: {demo.config_path}")
        print("Edit the config while kite-tui runs to watch it react. Ctrl-C to stop.", flush=True)
        if ready is not None:
            ready(demo)
        if getattr(args, "stop_on_stdin_eof", False):
            threading.Thread(
                target=_stop_at_eof, args=(stop,), name="demo-parent-pipe", daemon=True
            ).start()
        with _until_interrupted(stop):
            stop.wait()
    finally:
        demo.stop()
        shutil.rmtree(directory, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kite_tui.sim")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parsers(sub)
    args = parser.parse_args(argv)
    return args.func(args)
