"""Start-up: ``python -m kite_tui --config CONFIG`` in a pty, 20 clusters of which 5 blackholed.

From just before the process is spawned to

* ``startup_first_frame_s``: the overview table painted with every cluster's name (their
  rows say "connecting" then: no cluster has answered yet);
* ``startup_all_ready_s``: every reachable cluster's row showing its server version.

Both read off a terminal emulator (:mod:`benchmarks.terminal`), so they include the
interpreter's start, the imports and the terminal write. The blackholed clusters accept
connections and never answer (their rows stay "connecting" for the request timeout). Each
run is a fresh process; the app is quit with ``q`` after each.
"""

from __future__ import annotations

import re

from benchmarks.harness import Context, Figure, figure, fleet
from benchmarks.terminal import AppInTerminal, Screen

FIGURES = {
    "startup_first_frame_s": "≤ 0.5",
    "startup_all_ready_s": "≤ 1.0",
}

CLUSTERS = 20
BLACKHOLED = {3, 7, 11, 15, 19}  # spread through the list, as dead clusters would be
VERSION = r"v\d+\.\d+\.\d+"


def _row(name: str) -> re.Pattern[str]:
    return re.compile(rf"\s{re.escape(name)}\s")


def run(ctx: Context) -> list[Figure]:
    names = [f"cluster-{i:02d}" for i in range(1, CLUSTERS + 1)]
    clusters = [
        {"name": n, "pods": 20, "blackhole": i in BLACKHOLED} for i, n in enumerate(names, 1)
    ]
    reachable = [n for i, n in enumerate(names, 1) if i not in BLACKHOLED]
    rows = {n: _row(n) for n in names}
    ready_rows = {n: re.compile(rf"\s{re.escape(n)}\s.*\s{VERSION}\s") for n in reachable}

    def all_names(screen: Screen) -> bool:
        return all(any(p.search(line) for line in screen) for p in rows.values())

    def all_ready(screen: Screen) -> bool:
        return all(any(p.search(line) for line in screen) for p in ready_rows.values())

    first: list[float] = []
    ready: list[float] = []
    with fleet(clusters, ctx.workdir / "fleet") as sims:
        for i in range(ctx.runs(5, 1)):
            home = ctx.workdir / f"home-{i}"
            with AppInTerminal(["--config", str(sims.config_path)], home) as app:
                shown = app.wait_for(all_names, 60, f"the {CLUSTERS} cluster names on screen")
                done = app.wait_for(
                    all_ready, 60, f"the versions of the {len(reachable)} reachable clusters"
                )
                first.append(shown - app.started)
                ready.append(done - app.started)
                app.quit()
    note = f"{CLUSTERS} clusters, {len(BLACKHOLED)} blackholed; a fresh process under a pty"
    figures = []
    if ctx.wants("startup_first_frame_s"):
        figures.append(
            figure(
                "startup_first_frame_s", first, "s", aim=FIGURES["startup_first_frame_s"], note=note
            )
        )
    if ctx.wants("startup_all_ready_s"):
        figures.append(
            figure("startup_all_ready_s", ready, "s", aim=FIGURES["startup_all_ready_s"], note=note)
        )
    return figures
