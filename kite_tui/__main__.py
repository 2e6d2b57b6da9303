"""`python -m kite_tui` (so `textual serve "python -m kite_tui"` works)."""

from kite_tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
