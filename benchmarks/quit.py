"""Quitting: ``q`` to process exit with a blackholed cluster's pods view open.

``quit_s``: ``python -m kite_tui`` in a pty (:mod:`benchmarks.terminal`) on two clusters,
one healthy and one blackholed (it accepts connections and never answers). Once the
overview shows the dark one unreachable, the user opens its page with its number key
(``2``; its pods view opens there), looks at it for a moment, then presses ``q``. Timed
from writing ``q`` to the process having exited (waitpid), with the pods list request
of that view still waiting on the dead server.

The request timeout is set to 2 s so the dark cluster is known unreachable (and its page
gets a client and a view) quickly; the view's request is then outstanding for up to 2 s,
much longer than a prompt quit may take.
"""

from __future__ import annotations

import re
import time

from benchmarks.harness import Context, Figure, figure, fleet
from benchmarks.terminal import AppInTerminal

FIGURES = {"quit_s": "≤ 0.5"}

TIMEOUT = 2.0  # request_timeout_seconds of the config
LOOK = 0.3  # s the user looks at the view before pressing q (the list is still pending)


def run(ctx: Context) -> list[Figure]:
    clusters = [{"name": "alpha", "pods": 50}, {"name": "dark", "pods": 50, "blackhole": True}]
    unreachable = re.compile(r"\sdark\s+unreachable\s")
    page = re.compile(r"cluster dark\b")
    view = re.compile(r"^\s*pods\(all\)")
    samples: list[float] = []
    with fleet(clusters, ctx.workdir / "fleet", request_timeout_seconds=TIMEOUT) as sims:
        for i in range(ctx.runs(5, 1)):
            home = ctx.workdir / f"home-{i}"
            with AppInTerminal(["--config", str(sims.config_path)], home, lines=30) as app:
                app.wait_for(
                    lambda d: any(unreachable.search(line) for line in d),
                    30,
                    "the overview showing the blackholed cluster unreachable",
                )
                app.send(b"2")
                app.wait_for(
                    lambda d: (
                        any(page.search(line) for line in d)
                        and any(view.search(line) for line in d)
                    ),
                    30,
                    "the blackholed cluster's pods view",
                )
                time.sleep(LOOK)
                pressed = app.send(b"q")
                try:
                    exited = app.wait_exit(30)
                except TimeoutError:
                    raise TimeoutError(
                        f"the app did not exit within 30 s of q; screen:\n{app.text()}"
                    ) from None
                if app.proc.returncode != 0:
                    raise RuntimeError(f"the app exited with {app.proc.returncode} after q")
                samples.append(exited - pressed)
    return [
        figure(
            "quit_s",
            samples,
            "s",
            aim=FIGURES["quit_s"],
            note=f"q with a blackholed cluster's pods view open; request timeout {TIMEOUT:g} s",
        )
    ]
