"""Pods in their JSON wire shape, in every state kubectl tells apart.

:func:`pod` knows the container/condition layout of each pod state kubectl distinguishes
(see :data:`POD_STATES`); the expected STATUS column for each is documented next to the
state and checked by the tests. The other objects are `kite_tui.sim.objects`.
"""

from __future__ import annotations

import hashlib
import random

from kite_tui.sim.objects import DEFAULT_TOLERATIONS, container, meta, uid
from kite_tui.sim.store import rfc3339

__all__ = ["POD_STATES", "pod"]

# state name -> the STATUS kubectl prints for it
POD_STATES: dict[str, str] = {
    "Running": "Running",
    "Pending": "Pending",  # unschedulable, no node
    "ContainerCreating": "ContainerCreating",
    "CrashLoopBackOff": "CrashLoopBackOff",
    "ImagePullBackOff": "ImagePullBackOff",
    "ErrImagePull": "ErrImagePull",
    "OOMKilled": "OOMKilled",
    "Init:0/2": "Init:0/2",
    "Init:CrashLoopBackOff": "Init:CrashLoopBackOff",
    "Completed": "Completed",
    "Error": "Error",
    "Evicted": "Evicted",
    "Terminating": "Terminating",
    "PartiallyReady": "Running",  # 2 containers, 1/2 ready
    "NotReady": "NotReady",  # one container Completed, one still running
    "Sidecar": "Running",  # restartable init container (native sidecar)
    "SchedulingGated": "SchedulingGated",
    "Unknown": "Unknown",  # deleting, node lost
}


def _image_id(image: str, rng: random.Random) -> str:
    repo = image.split(":")[0]
    if "/" not in repo:
        repo = "docker.io/library/" + repo
    return f"{repo}@sha256:{rng.getrandbits(256):064x}"


def _cstatus(
    c: dict,
    state: dict,
    rng: random.Random,
    *,
    ready: bool,
    restarts: int = 0,
    last: dict | None = None,
    started: bool | None = None,
) -> dict:
    s = {
        "name": c["name"],
        "state": state,
        "lastState": last or {},
        "ready": ready,
        "restartCount": restarts,
        "image": c["image"],
        "imageID": "",
    }
    if "running" in state or "terminated" in state:
        s["imageID"] = _image_id(c["image"], rng)
    s["started"] = bool(started if started is not None else "running" in state)
    return s


def _container_ids(pod: str, statuses: list[dict]) -> None:
    """The kubelet names the container it runs (or ran last: a crash-looping one keeps the
    ID of the one that crashed). Derived from the pod and container, not drawn from the
    scenario's random source, so that every other generated value stays as it was."""
    for s in statuses:
        state, last = s["state"], s["lastState"]
        if "running" in state or "terminated" in state or "terminated" in last:
            key = f"{pod}/{s['name']}/{s['restartCount']}".encode()
            s["containerID"] = "containerd://" + hashlib.blake2b(key, digest_size=32).hexdigest()


def _finished(code: int, reason: str, started_at: str, finished: float) -> dict:
    """A container state: terminated with ``code`` for ``reason``."""
    return {
        "terminated": {
            "exitCode": code,
            "reason": reason,
            "startedAt": started_at,
            "finishedAt": rfc3339(finished),
        }
    }


def pod(
    name: str,
    ns: str,
    *,
    created: float,
    now: float,
    rng: random.Random,
    containers: list[dict],
    node_name: str | None,
    host_ip: str = "",
    pod_ip: str = "",
    labels: dict | None = None,
    owner: dict | None = None,
    init_containers: list[dict] | None = None,
    state: str = "Running",
    restarts: int = 0,
    restart_policy: str = "Always",
    generate_name: str | None = None,
) -> dict:
    """A pod in one of :data:`POD_STATES`."""
    init_containers = list(init_containers or [])
    if state == "Init:0/2" and len(init_containers) < 2:
        init_containers = [
            container("wait-for-db", "busybox:1.36", cpu="10m", memory="16Mi"),
            container("migrate", containers[0]["image"], cpu="50m", memory="64Mi"),
        ]
    if state == "Init:CrashLoopBackOff" and not init_containers:
        init_containers = [container("init-config", "busybox:1.36", cpu="10m", memory="16Mi")]
    if state == "Sidecar" and not any(c.get("restartPolicy") == "Always" for c in init_containers):
        init_containers.append(
            container(
                "istio-proxy", "istio/proxyv2:1.24.1", cpu="50m", memory="64Mi", restart_always=True
            )
        )
    if state in ("PartiallyReady", "NotReady") and len(containers) < 2:
        containers = [
            *containers,
            container(
                "metrics-exporter",
                "prom/statsd-exporter:v0.27.1",
                port=9102,
                cpu="20m",
                memory="32Mi",
            ),
        ]
    scheduled = state not in ("Pending", "SchedulingGated")
    started = created + rng.uniform(2, 40)
    t_created, t_started = rfc3339(created), rfc3339(started)
    spec: dict = {}
    if init_containers:
        spec["initContainers"] = init_containers
    # What the API server stores for a pod created without them: its defaults and what the
    # Priority and DefaultTolerationSeconds admission plugins add. The tolerations are one
    # shared, never-mutated list: pods stay cheap to make and list by the hundred thousand.
    spec.update(
        {
            "containers": containers,
            "restartPolicy": restart_policy,
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "serviceAccount": "default",
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "tolerations": DEFAULT_TOLERATIONS,
            "priority": 0,
            "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority",
        }
    )
    if scheduled and node_name:
        spec["nodeName"] = node_name
    if state == "SchedulingGated":
        spec["schedulingGates"] = [{"name": "example.com/quota-check"}]

    def cond(type_: str, ok: bool, reason: str | None = None, message: str | None = None):
        c = {
            "type": type_,
            "status": "True" if ok else "False",
            "lastTransitionTime": t_started if ok else t_created,
        }
        if reason:
            c["reason"] = reason
        if message:
            c["message"] = message
        return c

    status: dict = {"phase": "Running"}
    cs: list[dict] = []
    ics: list[dict] = []
    run = {"running": {"startedAt": t_started}}
    init_done = {
        "terminated": {
            "exitCode": 0,
            "reason": "Completed",
            "startedAt": t_created,
            "finishedAt": t_started,
        }
    }
    last_crash = now - rng.uniform(20, 900)
    crash = {
        "terminated": {
            "exitCode": 1,
            "reason": "Error",
            "startedAt": rfc3339(last_crash - 5),
            "finishedAt": rfc3339(last_crash),
        }
    }
    ready_all = True
    initialized = True
    for ic in init_containers:
        if ic.get("restartPolicy") == "Always":
            ics.append(_cstatus(ic, run, rng, ready=True, started=True))
        else:
            ics.append(_cstatus(ic, init_done, rng, ready=False))

    if state == "Pending":
        status = {
            "phase": "Pending",
            "conditions": [
                cond(
                    "PodScheduled",
                    False,
                    "Unschedulable",
                    "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are "
                    "available: 3 No preemption victims found for incoming pod.",
                )
            ],
            "qosClass": "Burstable",
        }
        return _pod_doc(name, ns, created, rng, labels, owner, spec, status, generate_name)
    if state == "SchedulingGated":
        status = {
            "phase": "Pending",
            "conditions": [
                cond(
                    "PodScheduled",
                    False,
                    "SchedulingGated",
                    "Scheduling is blocked due to non-empty scheduling gates",
                )
            ],
            "qosClass": "Burstable",
        }
        return _pod_doc(name, ns, created, rng, labels, owner, spec, status, generate_name)

    for i, c in enumerate(containers):
        if state == "ContainerCreating":
            status["phase"] = "Pending"
            cs.append(_cstatus(c, {"waiting": {"reason": "ContainerCreating"}}, rng, ready=False))
            ready_all = False
        elif state == "CrashLoopBackOff" and i == 0:
            n = restarts or rng.randint(3, 60)
            cs.append(
                _cstatus(
                    c,
                    {
                        "waiting": {
                            "reason": "CrashLoopBackOff",
                            "message": f"back-off 5m0s restarting failed container={c['name']} "
                            f"pod={name}_{ns}({uid(rng)})",
                        }
                    },
                    rng,
                    ready=False,
                    restarts=n,
                    last=crash,
                )
            )
            ready_all = False
        elif state in ("ImagePullBackOff", "ErrImagePull") and i == 0:
            status["phase"] = "Pending"
            msg = (
                f'Back-off pulling image "{c["image"]}"'
                if state == "ImagePullBackOff"
                else f"rpc error: code = NotFound desc = failed to pull and unpack image "
                f'"{c["image"]}": not found'
            )
            cs.append(_cstatus(c, {"waiting": {"reason": state, "message": msg}}, rng, ready=False))
            ready_all = False
        elif state == "OOMKilled" and i == 0:
            n = restarts or rng.randint(1, 12)
            oom = {
                "terminated": {
                    "exitCode": 137,
                    "reason": "OOMKilled",
                    "startedAt": rfc3339(now - 40),
                    "finishedAt": rfc3339(now - 3),
                }
            }
            cs.append(
                _cstatus(
                    c,
                    oom,
                    rng,
                    ready=False,
                    restarts=n,
                    last={
                        "terminated": {
                            **oom["terminated"],
                            "startedAt": rfc3339(last_crash - 60),
                            "finishedAt": rfc3339(last_crash),
                        }
                    },
                )
            )
            ready_all = False
        elif state == "Init:0/2" or state == "Init:CrashLoopBackOff":
            status["phase"] = "Pending"
            cs.append(_cstatus(c, {"waiting": {"reason": "PodInitializing"}}, rng, ready=False))
            ready_all = False
            initialized = False
        elif state == "Completed":
            status["phase"] = "Succeeded"
            cs.append(
                _cstatus(c, _finished(0, "Completed", t_started, started + 30), rng, ready=False)
            )
            ready_all = False
        elif state == "Error":
            status["phase"] = "Failed"
            cs.append(_cstatus(c, _finished(1, "Error", t_started, started + 12), rng, ready=False))
            ready_all = False
        elif state == "Evicted":
            status.update(
                phase="Failed",
                reason="Evicted",
                message=(
                    "The node was low on resource: memory. Threshold quantity: 100Mi, available: "
                    f"91232Ki. Container {c['name']} was using 1843240Ki, request is 128Mi, has "
                    "larger consumption of memory."
                ),
            )
            cs.append(_cstatus(c, {}, rng, ready=False))
            ready_all = False
        elif state == "PartiallyReady" and i == len(containers) - 1:
            cs.append(_cstatus(c, run, rng, ready=False, started=True))
            ready_all = False
        elif state == "NotReady" and i == len(containers) - 1:
            cs.append(
                _cstatus(
                    c,
                    {
                        "terminated": {
                            "exitCode": 0,
                            "reason": "Completed",
                            "startedAt": t_started,
                            "finishedAt": rfc3339(started + 60),
                        }
                    },
                    rng,
                    ready=False,
                )
            )
            ready_all = False
        else:
            n = restarts if state in ("Running", "Terminating", "Sidecar") else 0
            last = None
            state_now = run
            if n:
                prev_start = max(started, last_crash - 3600)
                last = {
                    "terminated": {
                        "exitCode": 137,
                        "reason": "Error",
                        "startedAt": rfc3339(prev_start),
                        "finishedAt": rfc3339(last_crash),
                    }
                }
                state_now = {"running": {"startedAt": rfc3339(last_crash + 1)}}
            cs.append(_cstatus(c, state_now, rng, ready=True, restarts=n, last=last))

    if state == "Init:0/2":
        ics = [
            _cstatus(init_containers[0], run, rng, ready=False),
            _cstatus(
                init_containers[1], {"waiting": {"reason": "PodInitializing"}}, rng, ready=False
            ),
        ]
    elif state == "Init:CrashLoopBackOff":
        ics = [
            _cstatus(
                init_containers[0],
                {
                    "waiting": {
                        "reason": "CrashLoopBackOff",
                        "message": "back-off 2m40s restarting failed container="
                        + init_containers[0]["name"],
                    }
                },
                rng,
                ready=False,
                restarts=restarts or rng.randint(2, 9),
                last=crash,
            )
        ]
    terminal = status["phase"] in ("Succeeded", "Failed")
    status["conditions"] = [
        cond("PodReadyToStartContainers", not terminal and state != "ContainerCreating"),
        cond(
            "Initialized",
            initialized,
            None if initialized else "ContainersNotInitialized",
            None
            if initialized
            else "containers with incomplete status: "
            f"[{' '.join(c['name'] for c in init_containers)}]",
        ),
        cond(
            "Ready",
            ready_all,
            None if ready_all else ("PodCompleted" if terminal else "ContainersNotReady"),
            None
            if ready_all or terminal
            else "containers with unready status: "
            f"[{' '.join(s['name'] for s in cs if not s['ready'])}]",
        ),
        cond(
            "ContainersReady",
            ready_all,
            None if ready_all else ("PodCompleted" if terminal else "ContainersNotReady"),
        ),
        cond("PodScheduled", True),
    ]
    status["hostIP"] = host_ip
    if (
        pod_ip
        and state not in ("ContainerCreating", "Evicted", "Init:0/2", "Init:CrashLoopBackOff")
        and not terminal
    ):
        status["podIP"] = pod_ip
        status["podIPs"] = [{"ip": pod_ip}]
    status["startTime"] = t_created
    if ics:
        status["initContainerStatuses"] = ics
    status["containerStatuses"] = cs
    _container_ids(f"{ns}/{name}", [*ics, *cs])
    status["qosClass"] = "Burstable"
    doc = _pod_doc(name, ns, created, rng, labels, owner, spec, status, generate_name)
    if state in ("Terminating", "Unknown"):
        doc["metadata"]["deletionTimestamp"] = rfc3339(now + 25)
        doc["metadata"]["deletionGracePeriodSeconds"] = 30
        if state == "Unknown":
            status["reason"] = "NodeLost"
            status["message"] = f"Node {node_name} which was running pod {name} is unresponsive"
    return doc


def _pod_doc(name, ns, created, rng, labels, owner, spec, status, generate_name) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta(
            name, created, rng, ns, labels=labels, owner=owner, generate_name=generate_name
        ),
        "spec": spec,
        "status": status,
    }
