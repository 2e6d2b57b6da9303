"""The control plane's ComponentStatuses (``v1``, cluster-scoped, ``cs``): scheduler,
controller-manager and etcd-0, healthy, as a real API server answers them.

A real server probes its components on each read and stores nothing; it serves get and
list only (no watch, no writes). The simulator keeps the three objects in its store so that
get, list and Tables come from the same code as every other kind, and its registry gives
the type only those two verbs (the API layer refuses the others with 405).
"""

from __future__ import annotations

__all__ = ["COMPONENTS", "component_statuses"]

COMPONENTS = ("scheduler", "controller-manager", "etcd-0")


def component_statuses() -> list[dict]:
    """The ComponentStatus objects of a healthy control plane."""
    return [
        {
            "apiVersion": "v1",
            "kind": "ComponentStatus",
            "metadata": {"name": name},
            "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}],
        }
        for name in COMPONENTS
    ]
