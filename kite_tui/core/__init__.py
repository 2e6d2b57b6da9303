"""The headless core: config, snapshots, the cluster manager and Kubernetes access.

Nothing below this package imports Textual; the UI imports the core, never the other way.
"""
