"""Server-side Table printing: the columns and cells ``kubectl get`` shows.

This mirrors k8s.io/kubernetes/pkg/printers/internalversion/printers.go: the same
column definitions (``priority: 1`` for the ``-o wide`` ones) and the same cell rules,
including printPod's READY / STATUS / RESTARTS logic (init containers, restartable
sidecars, CrashLoopBackOff, Completed, Terminating, "3 (5m ago)" ...) and
apimachinery's HumanDuration for ages. The server prints every column (Wide), as the
real API server does; kubectl hides the priority-1 ones unless ``-o wide``.

Each kind's columns stand on its printer function (`printer` registers both in
`PRINTERS`): a kind's columns and cells are read and changed together. The module is long
because it is one table of fifteen kinds, as printers.go is; each entry is self-contained
(the kinds beside the workloads are in `kite_tui.sim.tables_more`).

Cells that depend on the clock (ages, "N (5m ago)") are kept as small markers in the
cached row and rendered per request, so a 10,000-pod Table costs one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kite_tui.core.humanize import human_duration
from kite_tui.sim.selectors import format_label_selector, format_labels
from kite_tui.sim.store import parse_time

_NAME_DOC = (
    "Name must be unique within a namespace. Is required when creating resources, although "
    "some resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
)
_AGE_DOC = (
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
)


def col(name: str, type_: str = "string", desc: str = "", *, fmt: str = "", priority: int = 0):
    return {"name": name, "type": type_, "format": fmt, "description": desc, "priority": priority}


NAME = col("Name", desc=_NAME_DOC, fmt="name")
AGE = col("Age", desc=_AGE_DOC)
CONTAINERS = col("Containers", desc="Names of each container in the template.", priority=1)
IMAGES = col("Images", desc="Images referenced by each container in the template.", priority=1)


def _selector_col(desc: str) -> dict:
    return col("Selector", desc=desc, priority=1)


Cells = Callable[[dict], list]
"""An object -> the cells of its row."""


@dataclass(frozen=True)
class Printer:
    """How the API server prints one kind: its Table's columns and the cells of a row
    (one cell per column; time cells as markers, see `render_cells`)."""

    columns: list[dict]
    cells: Cells


PRINTERS: dict[str, Printer] = {}
"""Kind -> its printer; each ``print_*`` function below registers itself with `printer`."""


def printer(kind: str, columns: list[dict]) -> Callable[[Cells], Cells]:
    """Register the decorated function as the printer of ``kind``, with these columns."""

    def register(cells: Cells) -> Cells:
        PRINTERS[kind] = Printer(columns, cells)
        return cells

    return register


# ---------------------------------------------------------------- time cells
class Ago:
    """A cell rendered at request time as HumanDuration(now - ts) (or a fallback)."""

    __slots__ = ("ts", "fallback", "prefix")

    def __init__(self, ts: float | None, fallback: str = "<unknown>", prefix: str = ""):
        self.ts, self.fallback, self.prefix = ts, fallback, prefix

    def render(self, now: float) -> str:
        if self.ts is None:
            return self.fallback
        if self.prefix:
            return f"{self.prefix} ({human_duration(now - self.ts)} ago)"
        return human_duration(now - self.ts)


class Between:
    """A Job duration: end - start, or now - start while it runs."""

    __slots__ = ("start", "end")

    def __init__(self, start: float | None, end: float | None):
        self.start, self.end = start, end

    def render(self, now: float) -> str:
        if self.start is None:
            return ""
        return human_duration((self.end if self.end is not None else now) - self.start)


def render_cells(cells: list, now: float) -> list:
    return [c.render(now) if isinstance(c, Ago | Between) else c for c in cells]


def _age(obj: dict) -> Ago:
    return Ago(parse_time(obj.get("metadata", {}).get("creationTimestamp")))


def _containers(spec: dict | None) -> tuple[str, str]:
    cs = (spec or {}).get("containers") or []
    return ",".join(c.get("name", "") for c in cs), ",".join(c.get("image", "") for c in cs)


def _template_spec(obj: dict) -> dict:
    return obj.get("spec", {}).get("template", {}).get("spec", {})


# ---------------------------------------------------------------------- pods
def _restartable(container: dict | None) -> bool:
    return container is not None and container.get("restartPolicy") == "Always"


def _has_condition(conditions: list, type_: str) -> bool:
    return any(c.get("type") == type_ and c.get("status") == "True" for c in conditions)


def pod_summary(pod: dict) -> tuple[str, str, int, float | None]:
    """printPod's (READY, STATUS, restarts, last restart time) for a pod."""
    spec, status = pod.get("spec", {}), pod.get("status", {})
    meta = pod.get("metadata", {})
    restarts = 0
    restartable_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: float | None = None
    last_restartable: float | None = None
    phase = status.get("phase", "")
    reason = status.get("reason") or phase
    conditions = status.get("conditions") or []
    for c in conditions:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total += sum(1 for c in init_specs.values() if _restartable(c))

    def finished(cs: dict) -> float | None:
        term = (cs.get("lastState") or {}).get("terminated")
        return parse_time(term.get("finishedAt")) if term else None

    initializing = False
    n_init = len(spec.get("initContainers") or [])
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(cs.get("restartCount", 0))
        t = finished(cs)
        if t is not None and (last_restart is None or t > last_restart):
            last_restart = t
        is_sidecar = _restartable(init_specs.get(cs.get("name")))
        if is_sidecar:
            restartable_restarts += int(cs.get("restartCount", 0))
            if t is not None and (last_restartable is None or t > last_restartable):
                last_restartable = t
        state = cs.get("state") or {}
        term, waiting = state.get("terminated"), state.get("waiting")
        if term is not None and term.get("exitCode", 0) == 0:
            continue
        if is_sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if term.get("signal"):
                    reason = f"Init:Signal:{term['signal']}"
                else:
                    reason = f"Init:ExitCode:{term.get('exitCode', 0)}"
            else:
                reason = "Init:" + term["reason"]
            initializing = True
        elif (
            waiting is not None
            and waiting.get("reason")
            and (waiting["reason"] != "PodInitializing")
        ):
            reason = "Init:" + waiting["reason"]
            initializing = True
        else:
            reason = f"Init:{i}/{n_init}"
            initializing = True
        break

    if not initializing or _has_condition(conditions, "Initialized"):
        restarts = restartable_restarts
        last_restart = last_restartable
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount", 0))
            t = finished(cs)
            if t is not None and (last_restart is None or t > last_restart):
                last_restart = t
            state = cs.get("state") or {}
            waiting, term = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if term.get("signal"):
                    reason = f"Signal:{term['signal']}"
                else:
                    reason = f"ExitCode:{term.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _has_condition(conditions, "Ready") else "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        reason = "Terminating"
    return f"{ready}/{total}", reason, restarts, last_restart


def pod_status(pod: dict) -> str:
    """The STATUS column kubectl prints for a pod."""
    return pod_summary(pod)[1]


@printer(
    "Pod",
    [
        NAME,
        col("Ready", desc="The aggregate readiness state of this pod for accepting traffic."),
        col("Status", desc="The aggregate status of the containers in this pod."),
        col(
            "Restarts",
            desc="The number of times the containers in this pod have been "
            "restarted and when the last container in this pod has restarted.",
        ),
        AGE,
        col("IP", desc="podIP address allocated to the pod.", priority=1),
        col("Node", desc="NodeName indicates in which node this pod is scheduled.", priority=1),
        col(
            "Nominated Node",
            desc="nominatedNodeName is set only when this pod preempts other pods on the node.",
            priority=1,
        ),
        col(
            "Readiness Gates",
            desc="If specified, all readiness gates will be evaluated for pod readiness.",
            priority=1,
        ),
    ],
)
def print_pod(pod: dict) -> list:
    ready, reason, restarts, last = pod_summary(pod)
    restarts_cell: object = str(restarts)
    if restarts != 0 and last is not None:
        restarts_cell = Ago(last, prefix=str(restarts))
    spec, status = pod.get("spec", {}), pod.get("status", {})
    ips = status.get("podIPs") or []
    pod_ip = (ips[0].get("ip") if ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    gates_cell = "<none>"
    if gates:
        conds = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        true = sum(1 for g in gates if conds.get(g.get("conditionType")) == "True")
        gates_cell = f"{true}/{len(gates)}"
    return [
        pod["metadata"]["name"],
        ready,
        reason,
        restarts_cell,
        _age(pod),
        pod_ip,
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        gates_cell,
    ]


def pod_row_conditions(pod: dict) -> list | None:
    phase = pod.get("status", {}).get("phase")
    if phase == "Succeeded":
        return [
            {
                "type": "Completed",
                "status": "True",
                "reason": "Succeeded",
                "message": "The pod has completed successfully.",
            }
        ]
    if phase == "Failed":
        return [
            {
                "type": "Completed",
                "status": "True",
                "reason": "Failed",
                "message": "The pod failed.",
            }
        ]
    return None


# ------------------------------------------------------------- other kinds
@printer(
    "Node",
    [
        NAME,
        col("Status", desc="The status of the node"),
        col("Roles", desc="The roles of the node"),
        AGE,
        col("Version", desc="Kubelet Version reported by the node."),
        col("Internal-IP", desc="List of addresses reachable to the node.", priority=1),
        col("External-IP", desc="List of addresses reachable to the node.", priority=1),
        col("OS-Image", desc="OS Image reported by the node from /etc/os-release.", priority=1),
        col("Kernel-Version", desc="Kernel Version reported by the node.", priority=1),
        col("Container-Runtime", desc="ContainerRuntime Version reported by the node.", priority=1),
    ],
)
def print_node(node: dict) -> list:
    status = node.get("status", {})
    ready = [c for c in status.get("conditions") or [] if c.get("type") == "Ready"]
    states = ["Ready" if ready[0].get("status") == "True" else "NotReady"] if ready else ["Unknown"]
    if node.get("spec", {}).get("unschedulable"):
        states.append("SchedulingDisabled")
    roles = set()
    for k, v in (node.get("metadata", {}).get("labels") or {}).items():
        if k.startswith("node-role.kubernetes.io/") and k[len("node-role.kubernetes.io/") :]:
            roles.add(k[len("node-role.kubernetes.io/") :])
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    info = status.get("nodeInfo") or {}

    def address(kind: str) -> str:
        for a in status.get("addresses") or []:
            if a.get("type") == kind:
                return a.get("address", "")
        return "<none>"

    return [
        node["metadata"]["name"],
        ",".join(states),
        ",".join(sorted(roles)) or "<none>",
        _age(node),
        info.get("kubeletVersion", ""),
        address("InternalIP"),
        address("ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


@printer("Namespace", [NAME, col("Status", desc="The status of the namespace"), AGE])
def print_namespace(ns: dict) -> list:
    return [ns["metadata"]["name"], ns.get("status", {}).get("phase", ""), _age(ns)]


def _lb_ingress(ingress: list, wide: bool = True) -> str:
    result = sorted(
        {
            i.get("ip") or i.get("hostname")
            for i in ingress or []
            if i.get("ip") or i.get("hostname")
        }
    )
    r = ",".join(result)
    if not wide and len(r) > 16:
        r = r[:13] + "..."
    return r


@printer(
    "Service",
    [
        NAME,
        col("Type", desc="type determines how the Service is exposed."),
        col("Cluster-IP", desc="clusterIP is the IP address of the service."),
        col(
            "External-IP",
            desc="externalIPs is a list of IP addresses for which nodes in the "
            "cluster will also accept traffic for this service.",
        ),
        col("Port(s)", desc="The list of ports that are exposed by this service."),
        AGE,
        _selector_col(
            "Route service traffic to pods with label keys and values matching this selector."
        ),
    ],
)
def print_service(svc: dict) -> list:
    spec = svc.get("spec", {})
    type_ = spec.get("type", "")
    cluster_ips = spec.get("clusterIPs") or []
    internal = cluster_ips[0] if cluster_ips else "<none>"
    ext_ips = spec.get("externalIPs") or []
    if type_ in ("ClusterIP", "NodePort"):
        external = ",".join(ext_ips) if ext_ips else "<none>"
    elif type_ == "LoadBalancer":
        lb = _lb_ingress(svc.get("status", {}).get("loadBalancer", {}).get("ingress") or [])
        if ext_ips:
            external = ",".join(([*lb.split(",")] if lb else []) + ext_ips)
        else:
            external = lb or "<pending>"
    elif type_ == "ExternalName":
        external = spec.get("externalName", "")
    else:
        external = "<unknown>"
    ports = []
    for p in spec.get("ports") or []:
        if p.get("nodePort"):
            ports.append(f"{p.get('port')}:{p['nodePort']}/{p.get('protocol', 'TCP')}")
        else:
            ports.append(f"{p.get('port')}/{p.get('protocol', 'TCP')}")
    return [
        svc["metadata"]["name"],
        type_,
        internal,
        external,
        ",".join(ports) or "<none>",
        _age(svc),
        format_labels(spec.get("selector")),
    ]


@printer("ConfigMap", [NAME, col("Data", desc="Data contains the configuration data."), AGE])
def print_configmap(cm: dict) -> list:
    n = len(cm.get("data") or {}) + len(cm.get("binaryData") or {})
    return [cm["metadata"]["name"], n, _age(cm)]


@printer(
    "Secret",
    [
        NAME,
        col("Type", desc="Used to facilitate programmatic handling of secret data."),
        col("Data", desc="Data contains the secret data."),
        AGE,
    ],
)
def print_secret(s: dict) -> list:
    return [s["metadata"]["name"], s.get("type", ""), len(s.get("data") or {}), _age(s)]


@printer(
    "Event",
    [
        col(
            "Last Seen",
            desc="The time at which the most recent occurrence of this event was recorded.",
        ),
        col(
            "Type",
            desc="Type of this event (Normal, Warning), new types could be added in the future",
        ),
        col(
            "Reason",
            desc="This should be a short, machine understandable string that gives "
            "the reason for the transition into the object's current status.",
        ),
        col("Object", desc="The object that this event is about."),
        col(
            "Subobject",
            desc="If referring to a piece of an object instead of an entire "
            "object, this string should contain a valid JSON/Go field access statement.",
            priority=1,
        ),
        col("Source", desc="The component reporting this event.", priority=1),
        col("Message", desc="A human-readable description of the status of this operation."),
        col("First Seen", desc="The time at which the event was first recorded.", priority=1),
        col("Count", desc="The number of times this event has occurred.", priority=1),
        col("Name", desc=_NAME_DOC, fmt="name", priority=1),
    ],
)
def print_event(ev: dict) -> list:
    first = parse_time(ev.get("firstTimestamp")) or parse_time(ev.get("eventTime"))
    first_cell = Ago(first)
    last = parse_time(ev.get("lastTimestamp"))
    last_cell = Ago(last) if last is not None else first_cell
    count = ev.get("count") or 0
    series = ev.get("series")
    if series:
        last_cell = Ago(parse_time(series.get("lastObservedTime")))
        count = series.get("count", 0)
    elif count == 0:
        count = 1
    inv = ev.get("involvedObject") or {}
    target = inv.get("kind", "").lower()
    if inv.get("name"):
        target = f"{target}/{inv['name']}"
    src = ev.get("source") or {}
    component = src.get("component") or ev.get("reportingComponent") or ""
    instance = src.get("host") or ev.get("reportingInstance") or ""
    source = f"{component}, {instance}" if instance else component
    return [
        last_cell,
        ev.get("type", ""),
        ev.get("reason", ""),
        target,
        inv.get("fieldPath", ""),
        source,
        (ev.get("message") or "").strip(),
        first_cell,
        count,
        ev["metadata"]["name"],
    ]


_ACCESS = {
    "ReadWriteOnce": "RWO",
    "ReadOnlyMany": "ROX",
    "ReadWriteMany": "RWX",
    "ReadWriteOncePod": "RWOP",
}


@printer(
    "PersistentVolumeClaim",
    [
        NAME,
        col("Status", desc="phase represents the current phase of PersistentVolumeClaim."),
        col(
            "Volume",
            desc="volumeName is the binding reference to the PersistentVolume backing this claim.",
        ),
        col("Capacity", desc="capacity represents the actual resources of the underlying volume."),
        col(
            "Access Modes",
            desc="accessModes contains the actual access modes the volume backing the PVC has.",
        ),
        col("StorageClass", desc="StorageClass of the pvc"),
        col("VolumeAttributesClass", desc="VolumeAttributesClass of the pvc"),
        AGE,
        col(
            "VolumeMode",
            desc="volumeMode defines what type of volume is required by the claim.",
            priority=1,
        ),
    ],
)
def print_pvc(pvc: dict) -> list:
    spec, status = pvc.get("spec", {}), pvc.get("status", {})
    phase = "Terminating" if pvc["metadata"].get("deletionTimestamp") else status.get("phase", "")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = ",".join(_ACCESS.get(m, m) for m in status.get("accessModes") or [])
        capacity = (status.get("capacity") or {}).get("storage", "")
    sc = spec.get("storageClassName") or (pvc["metadata"].get("annotations") or {}).get(
        "volume.beta.kubernetes.io/storage-class", ""
    )
    return [
        pvc["metadata"]["name"],
        phase,
        spec.get("volumeName", ""),
        capacity,
        modes,
        sc,
        spec.get("volumeAttributesClassName") or "<unset>",
        _age(pvc),
        spec.get("volumeMode") or "<unset>",
    ]


@printer(
    "Deployment",
    [
        NAME,
        col("Ready", desc="Number of the pod with ready state"),
        col(
            "Up-to-date",
            desc="Total number of non-terminating pods targeted by this "
            "deployment that have the desired template spec.",
        ),
        col(
            "Available",
            desc="Total number of available pods (ready for at least "
            "minReadySeconds) targeted by this deployment.",
        ),
        AGE,
        CONTAINERS,
        IMAGES,
        _selector_col("Label selector for pods."),
    ],
)
def print_deployment(d: dict) -> list:
    spec, status = d.get("spec", {}), d.get("status", {})
    names, images = _containers(_template_spec(d))
    return [
        d["metadata"]["name"],
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        _age(d),
        names,
        images,
        format_label_selector(spec.get("selector")).replace("<none>", ""),
    ]


@printer(
    "ReplicaSet",
    [
        NAME,
        col("Desired", "integer", "Replicas is the number of desired replicas."),
        col("Current", "integer", "Replicas is the most recently observed number of replicas."),
        col(
            "Ready",
            "integer",
            "readyReplicas is the number of pods targeted by this "
            "ReplicaSet with a Ready Condition.",
        ),
        AGE,
        CONTAINERS,
        IMAGES,
        _selector_col("Selector is a label query over pods that should match the replica count."),
    ],
)
def print_replicaset(rs: dict) -> list:
    spec, status = rs.get("spec", {}), rs.get("status", {})
    names, images = _containers(_template_spec(rs))
    return [
        rs["metadata"]["name"],
        spec.get("replicas", 1),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        _age(rs),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


@printer(
    "StatefulSet",
    [
        NAME,
        col("Ready", desc="Number of the pod with ready state"),
        AGE,
        CONTAINERS,
        IMAGES,
    ],
)
def print_statefulset(s: dict) -> list:
    spec, status = s.get("spec", {}), s.get("status", {})
    names, images = _containers(_template_spec(s))
    return [
        s["metadata"]["name"],
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        _age(s),
        names,
        images,
    ]


@printer(
    "DaemonSet",
    [
        NAME,
        col(
            "Desired", "integer", "The total number of nodes that should be running the daemon pod."
        ),
        col(
            "Current",
            "integer",
            "The number of nodes that are running at least 1 daemon pod "
            "and are supposed to run the daemon pod.",
        ),
        col(
            "Ready",
            "integer",
            "numberReady is the number of nodes that should be running the "
            "daemon pod and have one or more of the daemon pod running with a Ready Condition.",
        ),
        col(
            "Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"
        ),
        col(
            "Available",
            "integer",
            "The number of nodes that should be running the daemon pod "
            "and have one or more of the daemon pod running and available.",
        ),
        col(
            "Node Selector",
            desc="NodeSelector is a selector which must be true for the pod to fit on a node.",
        ),
        AGE,
        CONTAINERS,
        IMAGES,
        _selector_col("A label query over pods that are managed by the daemon set."),
    ],
)
def print_daemonset(ds: dict) -> list:
    spec, status = ds.get("spec", {}), ds.get("status", {})
    names, images = _containers(_template_spec(ds))
    return [
        ds["metadata"]["name"],
        status.get("desiredNumberScheduled", 0),
        status.get("currentNumberScheduled", 0),
        status.get("numberReady", 0),
        status.get("updatedNumberScheduled", 0),
        status.get("numberAvailable", 0),
        format_labels(_template_spec(ds).get("nodeSelector")),
        _age(ds),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _job_condition(conditions: list, type_: str) -> bool:
    for c in conditions:
        if c.get("type") == type_:
            return c.get("status") == "True"
    return False


@printer(
    "Job",
    [
        NAME,
        col("Status", desc="Status of the job."),
        col("Completions", desc="The number of pods which reached phase Succeeded."),
        col("Duration", desc="Time required to complete the job."),
        AGE,
        CONTAINERS,
        IMAGES,
        _selector_col("A label query over pods that should match the pod count."),
    ],
)
def print_job(job: dict) -> list:
    spec, status = job.get("spec", {}), job.get("status", {})
    succeeded = status.get("succeeded", 0)
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{spec['completions']}"
    elif (spec.get("parallelism") or 0) > 1:
        completions = f"{succeeded}/1 of {spec['parallelism']}"
    else:
        completions = f"{succeeded}/1"
    conds = status.get("conditions") or []
    if _job_condition(conds, "Complete"):
        state = "Complete"
    elif _job_condition(conds, "Failed"):
        state = "Failed"
    elif job["metadata"].get("deletionTimestamp"):
        state = "Terminating"
    elif _job_condition(conds, "Suspended"):
        state = "Suspended"
    elif _job_condition(conds, "FailureTarget"):
        state = "FailureTarget"
    else:
        state = "Running"
    names, images = _containers(_template_spec(job))
    return [
        job["metadata"]["name"],
        state,
        completions,
        Between(parse_time(status.get("startTime")), parse_time(status.get("completionTime"))),
        _age(job),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


@printer(
    "CronJob",
    [
        NAME,
        col(
            "Schedule", desc="The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."
        ),
        col("Timezone", desc="The time zone name for the given schedule."),
        col(
            "Suspend",
            "boolean",
            "This flag tells the controller to suspend subsequent "
            "executions, it does not apply to already started executions.",
        ),
        col("Active", "integer", "A list of pointers to currently running jobs."),
        col(
            "Last Schedule",
            desc="Information when was the last time the job was successfully scheduled.",
        ),
        AGE,
        CONTAINERS,
        IMAGES,
        _selector_col("A label query over pods that should match the pod count."),
    ],
)
def print_cronjob(cj: dict) -> list:
    spec, status = cj.get("spec", {}), cj.get("status", {})
    last = parse_time(status.get("lastScheduleTime"))
    suspend = spec.get("suspend")
    tmpl = spec.get("jobTemplate", {}).get("spec", {})
    names, images = _containers(tmpl.get("template", {}).get("spec"))
    return [
        cj["metadata"]["name"],
        spec.get("schedule", ""),
        spec.get("timeZone") or "<none>",
        "<unset>" if suspend is None else ("True" if suspend else "False"),
        len(status.get("active") or []),
        Ago(last) if last is not None else "<none>",
        _age(cj),
        names,
        images,
        format_label_selector(tmpl.get("selector")),
    ]


@printer(
    "Ingress",
    [
        NAME,
        col(
            "Class",
            desc="The name of the IngressClass resource that should be used for "
            "additional configuration",
        ),
        col(
            "Hosts", desc="Hosts that incoming requests are matched against before the ingress rule"
        ),
        col("Address", desc="Address is a list containing ingress points for the load-balancer"),
        col("Ports", desc="Ports of TLS configurations that open"),
        AGE,
    ],
)
def print_ingress(ing: dict) -> list:
    spec = ing.get("spec", {})
    rules = spec.get("rules") or []
    hosts = [r["host"] for r in rules[:3] if r.get("host")]
    host_cell = ",".join(hosts) if hosts else "*"
    if len(rules) > 3:
        host_cell = f"{host_cell} + {len(rules) - 3} more..."
    address = _lb_ingress(ing.get("status", {}).get("loadBalancer", {}).get("ingress") or [])
    return [
        ing["metadata"]["name"],
        spec.get("ingressClassName") or "<none>",
        host_cell,
        address,
        "80, 443" if spec.get("tls") else "80",
        _age(ing),
    ]


def print_default(obj: dict) -> list:
    return [obj["metadata"]["name"], obj["metadata"].get("creationTimestamp")]


DEFAULT = Printer([NAME, col("Created At", "date", _AGE_DOC)], print_default)
"""The printer of kinds without one of their own (the API server's default Table)."""


def columns_for(kind: str) -> list[dict]:
    return PRINTERS.get(kind, DEFAULT).columns


def row_for(kind: str, obj: dict) -> list:
    """The cells of one row (time cells as markers; see :func:`render_cells`)."""
    return PRINTERS.get(kind, DEFAULT).cells(obj)


# The printers of the kinds beside the workloads register themselves on import.
from kite_tui.sim import tables_more  # noqa: E402, F401
