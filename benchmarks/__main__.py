"""``python -m benchmarks [--quick] [--json FILE] [--only NAME,...] [--list]``.

Runs every part (see :mod:`benchmarks.harness`) in a process of its own, one after the
other, prints a table of the figures and, with ``--json``, writes them as a JSON list of
objects (``name``, ``value``, ``unit``, ``runs``, ``min``, ``max``, ``aim``, and for
comparisons ``baseline`` and ``ratio``). A part that fails is reported and the others still
run; the exit status is 1 then.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import FIGURE_PREFIX

# In the order they run. Each is a module of this package with FIGURES and run(ctx).
PARTS: tuple[str, ...] = (
    "startup",
    "reload",
    "quit",
    "sync",
    "stall",
    "pods",
    "events",
    "filter",
    "memory",
    "kubeconfig",
)

ROOT = Path(__file__).resolve().parent.parent


def part_figures(part: str) -> dict[str, str]:
    return dict(importlib.import_module(f"benchmarks.{part}").FIGURES)


def run_part(part: str, quick: bool, only: set[str]) -> tuple[list[dict[str, Any]], str | None]:
    cmd = [sys.executable, "-m", "benchmarks.harness", part]
    if quick:
        cmd.append("--quick")
    if only:
        cmd += ["--only", ",".join(sorted(only))]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    figures: list[dict[str, Any]] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(FIGURE_PREFIX):
            figures.append(json.loads(line[len(FIGURE_PREFIX) :]))
        else:
            print(f"  [{part}] {line.rstrip()}", file=sys.stderr)
    rc = proc.wait()
    return figures, (None if rc == 0 else f"part {part} exited with {rc}")


def fmt(v: float | None) -> str:
    if v is None:
        return ""
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"


def table(figures: list[dict[str, Any]]) -> str:
    head = ("figure", "value", "unit", "runs", "min", "max", "baseline", "ratio", "aim")
    rows = [head]
    for f in figures:
        rows.append(
            (
                f["name"],
                fmt(f["value"]),
                f["unit"],
                str(f["runs"]),
                fmt(f["min"]),
                fmt(f["max"]),
                fmt(f.get("baseline")),
                fmt(f.get("ratio")),
                f.get("aim", ""),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller where it says")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE as JSON")
    parser.add_argument("--only", default="", help="comma-separated figure names")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    args = parser.parse_args(argv)
    known = {p: part_figures(p) for p in PARTS}
    if args.list:
        for p, figs in known.items():
            for name, aim in figs.items():
                print(f"{name:28} {aim:12} ({p})")
        return 0
    only = {n for n in args.only.split(",") if n}
    unknown = only - {n for figs in known.values() for n in figs}
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(sorted(unknown))} (see --list)")
    started = time.monotonic()
    figures: list[dict[str, Any]] = []
    failures: list[str] = []
    for part in PARTS:
        wanted = only & set(known[part]) if only else set()
        if only and not wanted:
            continue
        print(f"running {part} ...", file=sys.stderr, flush=True)
        part_started = time.monotonic()
        figs, failure = run_part(part, args.quick, wanted)
        print(f"  {part}: {time.monotonic() - part_started:.1f} s", file=sys.stderr, flush=True)
        figures += figs
        if failure:
            failures.append(failure)
    print(table(figures))
    print(f"\n{len(figures)} figures in {time.monotonic() - started:.0f} s", file=sys.stderr)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
