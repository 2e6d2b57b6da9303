"""A Kubernetes API simulator: a real HTTP server on loopback (no Textual import)."""
