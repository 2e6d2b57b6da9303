"""``python -m kite_tui.sim sim|demo``: the simulator commands without the main CLI."""

from kite_tui.sim.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
