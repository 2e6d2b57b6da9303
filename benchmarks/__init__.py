"""kite-tui's benchmark suite: ``python -m benchmarks [--quick] [--json FILE] [--only NAME,...]``.

Every figure is measured by a *part* (a module of this package) in a fresh Python process of
its own, so one part's threads, caches and resident memory never colour another's. A part's
simulators run in yet another child process (:mod:`benchmarks.fleet`), as remote API servers
would, so they never share the app's GIL. See :mod:`benchmarks.harness` for the figure format.
"""
