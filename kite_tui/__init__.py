"""kite-tui: a keyboard-driven, multi-cluster Kubernetes dashboard for the terminal."""

__version__ = "0.1.0"
