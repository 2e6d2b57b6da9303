"""Scenarios: realistic clusters of a given size, and objects loaded from files.

``Scenario(nodes=3, namespaces=4, pods=100, failing_fraction=0.1, seed=0)`` builds a
deterministic cluster (same seed, same objects): system namespaces and kube-system
workloads, app namespaces full of deployments (owning replicasets owning pods),
statefulsets with PVCs, daemonsets, cronjobs owning jobs owning pods, services,
ingresses, configmaps, secrets, and events for whatever is failing; and what the control
plane makes beside them (endpoints, PVs, RBAC, classes, leases...: `cluster_objects`). About
``failing_fraction`` of the app pods are in one of the tricky states of
:data:`kite_tui.sim.pods.POD_STATES`; ``tricky=True`` adds one pod per state in the
``tricky`` namespace; ``certificates=True`` adds cert-manager's Certificate CRD and a few
Certificates (a custom resource). :func:`load_objects` reads a ``kubectl get -o yaml`` dump, a
``List``, multi-document YAML or JSON.

This module owns the cluster as a whole (namespaces, nodes, the mix of workloads); the
workloads and what they own are `kite_tui.sim.workloads`, pods and their events
`kite_tui.sim.podmaker`.
"""

from __future__ import annotations

import gc
import json
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from kite_tui.sim import certmanager, crds, pods
from kite_tui.sim import objects as o
from kite_tui.sim.podmaker import TRICKY_NAMESPACE
from kite_tui.sim.store import ObjectStore
from kite_tui.sim.workloads import WorkloadMaker

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
APP_NAMESPACES = (
    "shop",
    "payments",
    "search",
    "auth",
    "analytics",
    "monitoring",
    "data",
    "ml-serving",
    "platform",
    "notifications",
    "media",
    "billing",
)


def base_objects(now: float | None = None, *, seed: int = 0) -> list[dict]:
    """The bare minimum of a cluster: the system namespaces and one ready node."""
    now = time.time() if now is None else now
    rng = random.Random(seed)
    created = now - 30 * 86400
    objs = [o.namespace(n, created, rng) for n in SYSTEM_NAMESPACES]
    objs.append(o.node("sim-control-plane", 0, created, rng, control_plane=True))
    return objs


@dataclass
class Scenario:
    """A generated cluster; see the module docstring."""

    nodes: int = 3
    namespaces: int = 4
    pods: int = 100
    failing_fraction: float = 0.1
    seed: int = 0
    tricky: bool = False
    certificates: bool = False
    """cert-manager's Certificate CRD and a few Certificates in each app namespace."""

    def populate(self, store: ObjectStore, *, now: float | None = None) -> None:
        """Create every object of the scenario in ``store``."""
        b = _Builder(self, store, time.time() if now is None else now)
        # Generation allocates millions of dicts that all live on: the cyclic collector
        # would rescan the growing heap again and again (a third of the time at 20,000
        # pods) and free nothing.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            b.build()
        finally:
            if was_enabled:
                gc.enable()


class _Builder(WorkloadMaker):
    """The whole cluster: namespaces, nodes, system workloads, then a mix of app workloads
    until the scenario's pod count is reached."""

    def build(self) -> None:
        sc, rng = self.sc, self.rng
        cluster_created = self.now - 120 * 86400
        for n in SYSTEM_NAMESPACES:
            self.put(o.namespace(n, cluster_created, rng))
        for i in range(max(sc.nodes, 1)):
            cp = i == 0 and sc.nodes >= 3
            if cp:
                name = "control-plane-1"
            else:
                name = f"worker-{i:02d}" if sc.nodes >= 3 else f"node-{i + 1}"
            ready = not (sc.nodes >= 8 and i == sc.nodes - 1 and sc.failing_fraction > 0)
            doc = o.node(name, i, cluster_created + i * 60, rng, control_plane=cp, ready=ready)
            self.put(doc)
            if ready and not cp:
                self.node_names.append(name)
            self.node_ips[name] = doc["status"]["addresses"][0]["address"]
        if not self.node_names:
            self.node_names = list(self.node_ips)
        app_ns = []
        for i in range(sc.namespaces):
            name = APP_NAMESPACES[i % len(APP_NAMESPACES)]
            if i >= len(APP_NAMESPACES):
                name = f"{name}-{i // len(APP_NAMESPACES) + 1}"
            ns_created = self.age(10, 100)
            self.put(o.namespace(name, ns_created, rng))
            app_ns.append((name, ns_created))
        self.extras.cluster(cluster_created, self.node_ips)
        for n in SYSTEM_NAMESPACES:
            self.extras.namespace(n, cluster_created, app=False)
        for n, ns_created in app_ns:
            self.extras.namespace(n, ns_created, app=True)
        self.system_workloads()
        if sc.tricky:
            tricky_created = self.age(1, 2)
            self.put(o.namespace(TRICKY_NAMESPACE, tricky_created, rng))
            self.extras.namespace(TRICKY_NAMESPACE, tricky_created, app=False)
            for state in pods.POD_STATES:
                self.bare_pod(
                    TRICKY_NAMESPACE, state.lower().replace(":", "-").replace("/", "-"), state
                )
        namespaces = [n for n, _ in app_ns] or ["default"]
        i = 0
        while self.pod_count < sc.pods:
            ns = namespaces[i % len(namespaces)]
            left = sc.pods - self.pod_count
            roll = rng.random()
            if roll < 0.75 or left < 2:
                self.deployment(ns, min(left, rng.choice((1, 2, 2, 3, 3, 4, 6))))
            elif roll < 0.87:
                self.statefulset(ns, min(left, rng.choice((1, 3, 3))))
            elif roll < 0.97:
                self.cronjob(ns, min(left, rng.choice((1, 2, 3))))
            else:
                self.bare_pod(ns, f"debug-{o.suffix(rng)}", "Running")
            i += 1
        if sc.certificates:
            # an rng of their own: the rest of the cluster is the same with or without them
            crds.install(self.store)  # a store of its own (not a SimServer's) too
            cert_rng = random.Random(f"{sc.seed}/certificates")
            for obj in certmanager.certificates(namespaces, self.now, cert_rng):
                self.put(obj)


def _iter_docs(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _iter_docs(item)
        return
    if not isinstance(data, dict):
        return
    kind = data.get("kind", "")
    if isinstance(data.get("items"), list) and (kind == "List" or kind.endswith("List")):
        item_kind = kind[:-4] if kind.endswith("List") and kind != "List" else None
        for item in data["items"]:
            if isinstance(item, dict):
                if item_kind and "kind" not in item:
                    item = {"kind": item_kind, "apiVersion": data.get("apiVersion"), **item}
                yield from _iter_docs(item)
        return
    if kind:
        yield data


def load_objects(path: str | os.PathLike) -> list[dict]:
    """Objects from a YAML (multi-document) or JSON file; ``List``/``*List`` are flattened."""
    p = Path(path)
    text = p.read_text()
    if p.suffix == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            return list(_iter_docs(json.loads(text)))
        except ValueError:
            pass
    return [d for doc in yaml.safe_load_all(text) for d in _iter_docs(doc)]
