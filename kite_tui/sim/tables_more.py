"""Server-side Table printing for the kinds every cluster has beside its workloads.

Service accounts, RBAC, endpoints and endpoint slices, autoscalers, disruption budgets,
network policies, persistent volumes, storage / priority / ingress classes, leases,
certificate signing requests and resource quotas: the columns (``priority: 1`` for
``-o wide``) and cells of k8s.io/kubernetes/pkg/printers/internalversion/printers.go, as
`kite_tui.sim.tables` does for the workloads (whose registry, `printer`, these join).
Roles, cluster roles and limit ranges have no printer there: the server prints them with
its default Table (NAME, CREATED AT), and so does the simulator.
"""

from __future__ import annotations

from kite_tui.core.humanize import human_duration
from kite_tui.sim.selectors import format_label_selector
from kite_tui.sim.tables import _ACCESS, AGE, NAME, _age, col, printer

_ROLE_REF = "RoleRef can reference a Role in the current namespace or a ClusterRole."


@printer(
    "ServiceAccount",
    [
        NAME,
        col("Secrets", desc="Secrets is a list of the secrets in the same namespace."),
        AGE,
    ],
)
def print_serviceaccount(sa: dict) -> list:
    return [sa["metadata"]["name"], len(sa.get("secrets") or []), _age(sa)]


def _join_more(items: list[str], count: int, limit: int, *, empty: str) -> str:
    """printers.go's listWithMoreString: the first ``limit``, then "+ N more..."."""
    text = ",".join(items[:limit])
    if count > limit:
        return f"{text} + {count - limit} more..."
    return text or empty


@printer(
    "Endpoints",
    [NAME, col("Endpoints", desc="The set of all endpoints is the union of all subsets."), AGE],
)
def print_endpoints(ep: dict) -> list:
    subsets = ep.get("subsets") or []
    if not subsets:
        return [ep["metadata"]["name"], "<none>", _age(ep)]
    shown: list[str] = []
    count = 0
    for ss in subsets:
        addresses = [a.get("ip", "") for a in ss.get("addresses") or []]
        ports = ss.get("ports") or []
        if not ports:  # a headless service without ports: bare IPs
            count += len(addresses)
            shown.extend(addresses[: max(0, 3 - len(shown))])
            continue
        for port in ports:
            count += len(addresses)
            for ip in addresses:
                if len(shown) == 3:
                    break
                host = f"[{ip}]" if ":" in ip else ip
                shown.append(f"{host}:{port.get('port', 0)}")
    cell = ",".join(shown)
    if count > 3:
        cell = f"{cell} + {count - 3} more..."
    return [ep["metadata"]["name"], cell, _age(ep)]


@printer(
    "EndpointSlice",
    [
        NAME,
        col("AddressType", desc="addressType specifies the type of address carried by this slice."),
        col("Ports", desc="ports specifies the list of network ports exposed by each endpoint."),
        col("Endpoints", desc="endpoints is a list of unique endpoints in this slice."),
        AGE,
    ],
)
def print_endpointslice(es: dict) -> list:
    ports = []
    for p in es.get("ports") or []:
        if p.get("port") is not None:
            ports.append(str(p["port"]))
        elif p.get("name") is not None:
            ports.append(p["name"])
        else:
            ports.append("*")
    addresses = [a for e in es.get("endpoints") or [] for a in e.get("addresses") or []]
    return [
        es["metadata"]["name"],
        es.get("addressType", ""),
        _join_more(ports, len(ports), 3, empty="<unset>"),
        _join_more(addresses, len(addresses), 3, empty="<unset>"),
        _age(es),
    ]


def _subjects(binding: dict) -> tuple[str, str, str]:
    """rbac.SubjectsStrings: users, groups and service accounts, each joined by ", "."""
    users, groups, sas = [], [], []
    for s in binding.get("subjects") or []:
        kind = s.get("kind")
        if kind == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
        elif kind == "User":
            users.append(s.get("name", ""))
        elif kind == "Group":
            groups.append(s.get("name", ""))
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def _binding_columns(what: str) -> list[dict]:
    return [
        NAME,
        col("Role", desc=_ROLE_REF),
        AGE,
        col("Users", desc=f"Users in the {what}", priority=1),
        col("Groups", desc=f"Groups in the {what}", priority=1),
        col("ServiceAccounts", desc=f"ServiceAccounts in the {what}", priority=1),
    ]


def _print_binding(b: dict) -> list:
    ref = b.get("roleRef") or {}
    return [
        b["metadata"]["name"],
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        _age(b),
        *_subjects(b),
    ]


printer("RoleBinding", _binding_columns("roleBinding"))(_print_binding)
printer("ClusterRoleBinding", _binding_columns("clusterRoleBinding"))(_print_binding)


def _quantity(value: object) -> str:
    return str(value) if value is not None else "0"


def _hpa_metrics(specs: list, statuses: list) -> str:
    """printers.go's formatHPAMetrics: the first two metrics as current/target."""
    if not specs:
        return "<none>"
    out = []
    for i, spec in enumerate(specs):
        kind = spec.get("type")
        st = statuses[i] if i < len(statuses) else {}
        if kind in ("External", "Object"):
            key = kind[0].lower() + kind[1:]
            target = (spec.get(key) or {}).get("target") or {}
            current = (st.get(key) or {}).get("current") if st.get(key) else None
            if target.get("averageValue") is not None:
                cur = "<unknown>"
                if current and current.get("averageValue") is not None:
                    cur = _quantity(current["averageValue"])
                out.append(f"{cur}/{target['averageValue']} (avg)")
            else:
                cur = _quantity(current.get("value")) if current is not None else "<unknown>"
                out.append(f"{cur}/{_quantity(target.get('value'))}")
        elif kind == "Pods":
            target = (spec.get("pods") or {}).get("target") or {}
            cur = "<unknown>"
            if st.get("pods"):
                cur = _quantity((st["pods"].get("current") or {}).get("averageValue"))
            out.append(f"{cur}/{_quantity(target.get('averageValue'))}")
        elif kind in ("Resource", "ContainerResource"):
            key = "resource" if kind == "Resource" else "containerResource"
            src = spec.get(key) or {}
            target = src.get("target") or {}
            cur_src = st.get(key)
            current = (cur_src.get("current") or {}) if cur_src else None
            if target.get("averageValue") is not None:
                cur = "<unknown>"
                if current is not None:
                    cur = _quantity(current.get("averageValue"))
                out.append(f"{src.get('name', '')}: {cur}/{target['averageValue']}")
            else:
                cur = "<unknown>"
                if current is not None and current.get("averageUtilization") is not None:
                    cur = f"{current['averageUtilization']}%"
                goal = "<auto>"
                if target.get("averageUtilization") is not None:
                    goal = f"{target['averageUtilization']}%"
                out.append(f"{src.get('name', '')}: {cur}/{goal}")
        else:
            out.append("<unknown type>")
    text = ", ".join(out[:2])
    if len(out) > 2:
        text = f"{text} + {len(out) - 2} more..."
    return text


@printer(
    "HorizontalPodAutoscaler",
    [
        NAME,
        col(
            "Reference",
            desc="reference to scaled resource; horizontal pod autoscaler will "
            "learn the current resource consumption and will set the desired number of pods "
            "by using its Scale subresource.",
        ),
        col(
            "Targets",
            desc="metrics contains the specifications for which to use to "
            "calculate the desired replica count.",
        ),
        col(
            "MinPods",
            desc="minReplicas is the lower limit for the number of replicas to "
            "which the autoscaler can scale down.",
        ),
        col(
            "MaxPods",
            desc="maxReplicas is the upper limit for the number of replicas to "
            "which the autoscaler can scale up.",
        ),
        col(
            "Replicas",
            desc="currentReplicas is current number of replicas of pods managed "
            "by this autoscaler, as last seen by the autoscaler.",
        ),
        AGE,
    ],
)
def print_hpa(hpa: dict) -> list:
    spec, status = hpa.get("spec", {}), hpa.get("status", {})
    ref = spec.get("scaleTargetRef") or {}
    metrics = spec.get("metrics")
    if metrics is None and "targetCPUUtilizationPercentage" in spec:  # autoscaling/v1
        target = {
            "type": "Utilization",
            "averageUtilization": spec["targetCPUUtilizationPercentage"],
        }
        metrics = [{"type": "Resource", "resource": {"name": "cpu", "target": target}}]
    current = status.get("currentMetrics") or []
    min_pods = spec.get("minReplicas")
    return [
        hpa["metadata"]["name"],
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        _hpa_metrics(metrics or [], current),
        "<unset>" if min_pods is None else str(min_pods),
        spec.get("maxReplicas", 0),
        status.get("currentReplicas", 0),
        _age(hpa),
    ]


def _int_or_string(value: object) -> str:
    return "N/A" if value is None else str(value)


@printer(
    "PodDisruptionBudget",
    [
        NAME,
        col("Min Available", desc="The minimum number of pods that must be available."),
        col("Max Unavailable", desc="The maximum number of pods that may be unavailable."),
        col(
            "Allowed Disruptions",
            "integer",
            "Calculated number of pods that may be disrupted at this time.",
        ),
        AGE,
    ],
)
def print_pdb(pdb: dict) -> list:
    spec, status = pdb.get("spec", {}), pdb.get("status", {})
    return [
        pdb["metadata"]["name"],
        _int_or_string(spec.get("minAvailable")),
        _int_or_string(spec.get("maxUnavailable")),
        status.get("disruptionsAllowed", 0),
        _age(pdb),
    ]


@printer(
    "NetworkPolicy",
    [
        NAME,
        col(
            "Pod-Selector",
            desc="podSelector selects the pods to which this NetworkPolicy object applies.",
        ),
        AGE,
    ],
)
def print_networkpolicy(np: dict) -> list:
    selector = np.get("spec", {}).get("podSelector") or {}
    return [np["metadata"]["name"], format_label_selector(selector), _age(np)]


@printer(
    "PersistentVolume",
    [
        NAME,
        col(
            "Capacity",
            desc="capacity is the description of the persistent volume's resources and capacity.",
        ),
        col("Access Modes", desc="accessModes contains all ways the volume can be mounted."),
        col(
            "Reclaim Policy",
            desc="persistentVolumeReclaimPolicy defines what happens to a "
            "persistent volume when released from its claim.",
        ),
        col(
            "Status",
            desc="phase indicates if a volume is available, bound to a claim, or "
            "released by a claim.",
        ),
        col(
            "Claim",
            desc="claimRef is part of a bi-directional binding between "
            "PersistentVolume and PersistentVolumeClaim.",
        ),
        col("StorageClass", desc="StorageClass of the pv"),
        col("VolumeAttributesClass", desc="VolumeAttributesClass of the pv"),
        col(
            "Reason",
            desc="reason is a brief CamelCase string that describes any failure "
            "and is meant for machine parsing and tidy display in the CLI.",
        ),
        AGE,
        col(
            "VolumeMode",
            desc="volumeMode defines if a volume is intended to be used with a "
            "formatted filesystem or to remain in raw block state.",
            priority=1,
        ),
    ],
)
def print_pv(pv: dict) -> list:
    spec, status, meta = pv.get("spec", {}), pv.get("status", {}), pv["metadata"]
    claim = spec.get("claimRef")
    claim_cell = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    sc = spec.get("storageClassName") or (meta.get("annotations") or {}).get(
        "volume.beta.kubernetes.io/storage-class", ""
    )
    return [
        meta["name"],
        (spec.get("capacity") or {}).get("storage", "0"),
        ",".join(_ACCESS.get(m, m) for m in spec.get("accessModes") or []),
        spec.get("persistentVolumeReclaimPolicy", ""),
        "Terminating" if meta.get("deletionTimestamp") else status.get("phase", ""),
        claim_cell,
        sc,
        spec.get("volumeAttributesClassName") or "<unset>",
        status.get("reason", ""),
        _age(pv),
        spec.get("volumeMode") or "<unset>",
    ]


_DEFAULT_CLASS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)


@printer(
    "StorageClass",
    [
        NAME,
        col("Provisioner", desc="provisioner indicates the type of the provisioner."),
        col(
            "ReclaimPolicy",
            desc="reclaimPolicy controls the reclaimPolicy for dynamically "
            "provisioned PersistentVolumes of this storage class.",
        ),
        col(
            "VolumeBindingMode",
            desc="volumeBindingMode indicates how PersistentVolumeClaims "
            "should be provisioned and bound.",
        ),
        col(
            "AllowVolumeExpansion",
            desc="allowVolumeExpansion shows whether the storage class allow volume expand.",
        ),
        AGE,
    ],
)
def print_storageclass(sc: dict) -> list:
    name = sc["metadata"]["name"]
    annotations = sc["metadata"].get("annotations") or {}
    if any(annotations.get(a) == "true" for a in _DEFAULT_CLASS):
        name += " (default)"
    return [
        name,
        sc.get("provisioner", ""),
        sc.get("reclaimPolicy") or "Delete",
        sc.get("volumeBindingMode") or "Immediate",
        bool(sc.get("allowVolumeExpansion")),
        _age(sc),
    ]


@printer(
    "PriorityClass",
    [
        NAME,
        col("Value", "integer", "value represents the integer value of this priority class."),
        col(
            "Global-Default",
            "boolean",
            "globalDefault specifies whether this PriorityClass "
            "should be considered as the default priority for pods that do not have any "
            "priority class.",
        ),
        AGE,
        col(
            "PreemptionPolicy",
            desc="preemptionPolicy is the Policy for preempting pods with lower priority.",
            priority=1,
        ),
    ],
)
def print_priorityclass(pc: dict) -> list:
    return [
        pc["metadata"]["name"],
        pc.get("value", 0),
        bool(pc.get("globalDefault")),
        _age(pc),
        pc.get("preemptionPolicy", ""),
    ]


@printer(
    "IngressClass",
    [
        NAME,
        col("Controller", desc="Controller that is responsible for handling this class"),
        col("Parameters", desc="A reference to a resource with additional parameters"),
        AGE,
    ],
)
def print_ingressclass(ic: dict) -> list:
    spec = ic.get("spec", {})
    params = spec.get("parameters")
    cell = "<none>"
    if params:
        cell = params.get("kind", "")
        if params.get("apiGroup") is not None:
            cell += "." + params["apiGroup"]
        cell += "/" + params.get("name", "")
    return [ic["metadata"]["name"], spec.get("controller", ""), cell, _age(ic)]


@printer(
    "Lease",
    [
        NAME,
        col(
            "Holder", desc="holderIdentity contains the identity of the holder of a current lease."
        ),
        AGE,
    ],
)
def print_lease(lease: dict) -> list:
    holder = lease.get("spec", {}).get("holderIdentity") or ""
    return [lease["metadata"]["name"], holder, _age(lease)]


def _csr_condition(csr: dict) -> str:
    types = {c.get("type") for c in csr.get("status", {}).get("conditions") or []}
    text = "Denied" if "Denied" in types else "Approved" if "Approved" in types else "Pending"
    if "Failed" in types:
        text += ",Failed"
    if csr.get("status", {}).get("certificate"):
        text += ",Issued"
    return text


def _csr_duration(seconds: object) -> str:
    """csr.ExpirationSecondsToDuration, printed as HumanDuration (``24h``, ``10d``)."""
    if not isinstance(seconds, int):
        return "<none>"
    return human_duration(float(seconds))


@printer(
    "CertificateSigningRequest",
    [
        NAME,
        AGE,
        col(
            "SignerName", desc="signerName indicates the requested signer, and is a qualified name."
        ),
        col(
            "Requestor",
            desc="request contains an x509 certificate signing request encoded "
            'in a "CERTIFICATE REQUEST" PEM block.',
        ),
        col(
            "RequestedDuration",
            desc="expirationSeconds is the requested duration of "
            "validity of the issued certificate.",
        ),
        col("Condition", desc="conditions applied to the request."),
    ],
)
def print_csr(csr: dict) -> list:
    spec = csr.get("spec", {})
    return [
        csr["metadata"]["name"],
        _age(csr),
        spec.get("signerName") or "<none>",
        spec.get("username", ""),
        _csr_duration(spec.get("expirationSeconds")),
        _csr_condition(csr),
    ]


@printer(
    "ResourceQuota",
    [
        NAME,
        col(
            "Request",
            desc="Request represents a minimum amount of cpu/memory that a container may consume.",
        ),
        col(
            "Limit",
            desc="Limits control the maximum amount of cpu/memory that a container "
            "may use independent of contention on the node.",
        ),
        AGE,
    ],
)
def print_resourcequota(q: dict) -> list:
    status = q.get("status", {})
    hard, used = status.get("hard") or {}, status.get("used") or {}
    requests: list[str] = []
    limits: list[str] = []
    for resource in sorted(hard):
        pieces = resource.split(".")
        out = limits if len(pieces) > 1 and pieces[0] == "limits" else requests
        out.append(f"{resource}: {used.get(resource, '0')}/{hard[resource]}")
    return [q["metadata"]["name"], ", ".join(requests), ", ".join(limits), _age(q)]


@printer(
    "ComponentStatus",
    [
        NAME,
        col("Status", desc="Status of the component conditions"),
        col("Message", desc="Message of the component conditions"),
        col("Error", desc="Error of the component conditions"),
    ],
)
def print_componentstatus(cs: dict) -> list:
    for c in cs.get("conditions") or []:
        if c.get("type") == "Healthy":
            healthy = "Healthy" if c.get("status") == "True" else "Unhealthy"
            return [cs["metadata"]["name"], healthy, c.get("message", ""), c.get("error", "")]
    return [cs["metadata"]["name"], "Unknown", "", ""]
