"""The pods of a generated cluster, and the events about the ones that are failing.

`PodMaker` holds what every part of a scenario's generation shares (the store, the clock,
the seeded random source, the nodes pods can run on, the IP counters) and writes pods:
``make_pod`` places a pod on a node with an IP, picks its restarts and records the events
kubectl would show for its state. The workloads that own pods build on it
(`kite_tui.sim.workloads`); the cluster as a whole is `kite_tui.sim.scenario`.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from kite_tui.sim import objects as o
from kite_tui.sim import pods
from kite_tui.sim.store import ObjectStore

if TYPE_CHECKING:
    from kite_tui.sim.scenario import Scenario

__all__ = ["FAILING_STATES", "TRICKY_NAMESPACE", "PodMaker"]

# One bare pod per state of `objects.POD_STATES`: a showcase that churn leaves as it is.
TRICKY_NAMESPACE = "tricky"
FAILING_STATES = (
    "CrashLoopBackOff",
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "OOMKilled",
    "Pending",
    "ContainerCreating",
    "Init:0/2",
    "Init:CrashLoopBackOff",
    "Terminating",
    "Evicted",
    "PartiallyReady",
    "NotReady",
    "SchedulingGated",
)


class PodMaker:
    """Shared generation state, and pods with their events; see the module docstring."""

    def __init__(self, sc: Scenario, store: ObjectStore, now: float) -> None:
        self.sc = sc
        self.store = store
        self.now = now
        self.rng = random.Random(sc.seed)
        self.node_names: list[str] = []
        self.node_ips: dict[str, str] = {}
        self.pod_count = 0
        self.ip_counter = 0
        self.svc_counter = 0

    def put(self, obj: dict) -> dict:
        self.store.create(obj, copy=False)
        return obj

    def age(self, lo_days: float = 0.02, hi_days: float = 60.0) -> float:
        return self.now - self.rng.uniform(lo_days, hi_days) * 86400

    def next_ip(self) -> str:
        self.ip_counter += 1
        n = self.ip_counter
        return f"10.244.{(n // 250) % 256}.{n % 250 + 2}"

    def next_cluster_ip(self) -> str:
        self.svc_counter += 1
        n = self.svc_counter
        return f"10.96.{(n // 250) % 256}.{n % 250 + 2}"

    def pick_state(self) -> str:
        if self.rng.random() < self.sc.failing_fraction:
            return self.rng.choice(FAILING_STATES)
        return "Running"

    def make_pod(
        self,
        name: str,
        ns: str,
        containers: list[dict],
        labels: dict,
        owner: dict | None,
        created: float,
        state: str,
        *,
        node: str | None = None,
        restart_policy: str = "Always",
        init: list[dict] | None = None,
        generate_name: str | None = None,
    ) -> dict:
        rng = self.rng
        node = node or rng.choice(self.node_names)
        restarts = rng.choice((0, 0, 0, 0, 0, 1, 2)) if state == "Running" else 0
        doc = pods.pod(
            name,
            ns,
            created=created,
            now=self.now,
            rng=rng,
            containers=containers,
            node_name=node,
            host_ip=self.node_ips.get(node, ""),
            pod_ip=self.next_ip(),
            labels=labels,
            owner=owner,
            init_containers=init,
            state=state,
            restarts=restarts,
            restart_policy=restart_policy,
            generate_name=generate_name,
        )
        self.put(doc)
        self.pod_count += 1
        self.pod_events(doc, state, node)
        return doc

    def pod_events(self, pod: dict, state: str, node: str) -> None:
        rng, ns = self.rng, pod["metadata"]["namespace"]
        name = pod["metadata"]["name"]
        c = pod["spec"]["containers"][0]["name"]
        path = f"spec.containers{{{c}}}"
        recent = self.now - rng.uniform(30, 3000)

        def ev(
            reason: str,
            msg: str,
            type_: str = "Warning",
            count: int = 1,
            component: str = "kubelet",
            host: str | None = node,
            field_path: str | None = path,
        ) -> None:
            self.put(
                o.event(
                    name,
                    ns,
                    pod,
                    reason=reason,
                    message=msg,
                    type_=type_,
                    first=recent - count * 30,
                    last=recent,
                    count=count,
                    component=component,
                    host=host,
                    rng=rng,
                    field_path=field_path,
                )
            )

        if state == "CrashLoopBackOff":
            ev(
                "BackOff",
                f"Back-off restarting failed container {c} in pod {name}_{ns}"
                f"({pod['metadata']['uid']})",
                count=rng.randint(5, 200),
            )
        elif state in ("ImagePullBackOff", "ErrImagePull"):
            image = pod["spec"]["containers"][0]["image"]
            ev("Failed", f'Failed to pull image "{image}": not found', count=rng.randint(2, 40))
            ev("BackOff", f'Back-off pulling image "{image}"', count=rng.randint(2, 80))
        elif state == "Pending":
            ev(
                "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient cpu. preemption: "
                "0/3 nodes are available: 3 No preemption victims found for incoming pod.",
                component="default-scheduler",
                host=None,
                field_path=None,
            )
        elif state == "OOMKilled":
            ev(
                "BackOff",
                f"Back-off restarting failed container {c} in pod {name}_{ns}",
                count=rng.randint(2, 30),
            )
        elif state == "Evicted":
            ev("Evicted", "The node was low on resource: memory.", field_path=None)
        elif rng.random() < 0.05:
            ev(
                "Pulled",
                f'Container image "{pod["spec"]["containers"][0]["image"]}" already '
                "present on machine",
                type_="Normal",
            )
            ev("Started", f"Started container {c}", type_="Normal")
