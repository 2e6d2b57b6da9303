"""The resource types the simulator serves: names, kinds, scopes, verbs, short names.

This module owns the static description of every API resource (what discovery
reports and what the store and HTTP layer use to route requests). Lookups accept a
plural resource name (``pods``), a kind (``Pod``), a singular name (``pod``), a short
name (``po``) or a qualified ``resource.group`` (``deployments.apps``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
READ_VERBS = ("get", "list")
PROXY_VERBS = ("create", "delete", "get", "patch", "update")


@dataclass(frozen=True)
class ResourceType:
    """One API resource, e.g. ``pods`` in the core ``v1`` group."""

    group: str  # "" for the core group
    version: str
    plural: str
    singular: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    categories: tuple[str, ...] = ()
    subresources: tuple[tuple[str, str, tuple[str, ...]], ...] = field(default=())
    """(name, kind, verbs) of each subresource, e.g. ("log", "Pod", ("get",))."""
    custom_columns: str | None = None
    """For a custom resource: its CRD's additionalPrinterColumns (JSON text); None for a
    built-in kind (printed by `kite_tui.sim.tables`)."""

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @property
    def qualified(self) -> str:
        return f"{self.plural}.{self.group}" if self.group else self.plural


RESOURCES: tuple[ResourceType, ...] = (
    ResourceType(
        "",
        "v1",
        "namespaces",
        "namespace",
        "Namespace",
        False,
        ("ns",),
        ("create", "delete", "get", "list", "patch", "update", "watch"),
        subresources=(
            ("finalize", "Namespace", ("update",)),
            ("status", "Namespace", ("get", "patch", "update")),
        ),
    ),
    ResourceType(
        "",
        "v1",
        "nodes",
        "node",
        "Node",
        False,
        ("no",),
        subresources=(
            ("proxy", "NodeProxyOptions", PROXY_VERBS),
            ("status", "Node", ("get", "patch", "update")),
        ),
    ),
    ResourceType(
        "",
        "v1",
        "pods",
        "pod",
        "Pod",
        True,
        ("po",),
        categories=("all",),
        # Listed as a real server lists them (exec, attach, portforward, proxy, eviction,
        # binding: discovery only; a client learns they exist, the simulator answers 404).
        subresources=(
            ("attach", "PodAttachOptions", ("create", "get")),
            ("binding", "Binding", ("create",)),
            ("ephemeralcontainers", "Pod", ("get", "patch", "update")),
            ("eviction", "Eviction", ("create",)),
            ("exec", "PodExecOptions", ("create", "get")),
            ("log", "Pod", ("get",)),
            ("portforward", "PodPortForwardOptions", ("create", "get")),
            ("proxy", "PodProxyOptions", PROXY_VERBS),
            ("status", "Pod", ("get", "patch", "update")),
        ),
    ),
    ResourceType(
        "",
        "v1",
        "services",
        "service",
        "Service",
        True,
        ("svc",),
        ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
        categories=("all",),
        subresources=(
            ("proxy", "ServiceProxyOptions", PROXY_VERBS),
            ("status", "Service", ("get", "patch", "update")),
        ),
    ),
    ResourceType("", "v1", "configmaps", "configmap", "ConfigMap", True, ("cm",)),
    ResourceType("", "v1", "secrets", "secret", "Secret", True),
    ResourceType("", "v1", "events", "event", "Event", True, ("ev",)),
    ResourceType(
        "",
        "v1",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        True,
        ("pvc",),
        subresources=(("status", "PersistentVolumeClaim", ("get", "patch", "update")),),
    ),
    ResourceType(
        "apps",
        "v1",
        "deployments",
        "deployment",
        "Deployment",
        True,
        ("deploy",),
        categories=("all",),
        subresources=(
            ("scale", "Scale", ("get", "patch", "update")),
            ("status", "Deployment", ("get", "patch", "update")),
        ),
    ),
    ResourceType(
        "apps",
        "v1",
        "replicasets",
        "replicaset",
        "ReplicaSet",
        True,
        ("rs",),
        categories=("all",),
        subresources=(
            ("scale", "Scale", ("get", "patch", "update")),
            ("status", "ReplicaSet", ("get", "patch", "update")),
        ),
    ),
    ResourceType(
        "apps",
        "v1",
        "statefulsets",
        "statefulset",
        "StatefulSet",
        True,
        ("sts",),
        categories=("all",),
        subresources=(
            ("scale", "Scale", ("get", "patch", "update")),
            ("status", "StatefulSet", ("get", "patch", "update")),
        ),
    ),
    ResourceType(
        "apps",
        "v1",
        "daemonsets",
        "daemonset",
        "DaemonSet",
        True,
        ("ds",),
        categories=("all",),
        subresources=(("status", "DaemonSet", ("get", "patch", "update")),),
    ),
    ResourceType(
        "batch",
        "v1",
        "jobs",
        "job",
        "Job",
        True,
        (),
        categories=("all",),
        subresources=(("status", "Job", ("get", "patch", "update")),),
    ),
    ResourceType(
        "batch",
        "v1",
        "cronjobs",
        "cronjob",
        "CronJob",
        True,
        ("cj",),
        categories=("all",),
        subresources=(("status", "CronJob", ("get", "patch", "update")),),
    ),
    ResourceType(
        "networking.k8s.io",
        "v1",
        "ingresses",
        "ingress",
        "Ingress",
        True,
        ("ing",),
        subresources=(("status", "Ingress", ("get", "patch", "update")),),
    ),
    ResourceType(
        "apiextensions.k8s.io",
        "v1",
        "customresourcedefinitions",
        "customresourcedefinition",
        "CustomResourceDefinition",
        False,
        ("crd", "crds"),
        categories=("api-extensions",),
        subresources=(("status", "CustomResourceDefinition", ("get", "patch", "update")),),
    ),
    ResourceType("metrics.k8s.io", "v1beta1", "nodes", "", "NodeMetrics", False, (), READ_VERBS),
    ResourceType("metrics.k8s.io", "v1beta1", "pods", "", "PodMetrics", True, (), READ_VERBS),
    # The kinds every cluster has beside the workloads (as a v1.3x API server serves them).
    ResourceType(
        "",
        "v1",
        "serviceaccounts",
        "serviceaccount",
        "ServiceAccount",
        True,
        ("sa",),
        subresources=(("token", "TokenRequest", ("create",)),),
    ),
    ResourceType("", "v1", "endpoints", "endpoints", "Endpoints", True, ("ep",)),
    ResourceType("", "v1", "limitranges", "limitrange", "LimitRange", True, ("limits",)),
    ResourceType(
        "",
        "v1",
        "resourcequotas",
        "resourcequota",
        "ResourceQuota",
        True,
        ("quota",),
        subresources=(("status", "ResourceQuota", ("get", "patch", "update")),),
    ),
    ResourceType(
        "",
        "v1",
        "persistentvolumes",
        "persistentvolume",
        "PersistentVolume",
        False,
        ("pv",),
        subresources=(("status", "PersistentVolume", ("get", "patch", "update")),),
    ),
    ResourceType(
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        "HorizontalPodAutoscaler",
        True,
        ("hpa",),
        categories=("all",),
        subresources=(("status", "HorizontalPodAutoscaler", ("get", "patch", "update")),),
    ),
    ResourceType(
        "autoscaling",
        "v1",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        "HorizontalPodAutoscaler",
        True,
        ("hpa",),
        categories=("all",),
        subresources=(("status", "HorizontalPodAutoscaler", ("get", "patch", "update")),),
    ),
    ResourceType(
        "certificates.k8s.io",
        "v1",
        "certificatesigningrequests",
        "certificatesigningrequest",
        "CertificateSigningRequest",
        False,
        ("csr",),
        subresources=(("status", "CertificateSigningRequest", ("get", "patch", "update")),),
    ),
    ResourceType(
        "networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", False
    ),
    ResourceType(
        "networking.k8s.io",
        "v1",
        "networkpolicies",
        "networkpolicy",
        "NetworkPolicy",
        True,
        ("netpol",),
    ),
    ResourceType(
        "policy",
        "v1",
        "poddisruptionbudgets",
        "poddisruptionbudget",
        "PodDisruptionBudget",
        True,
        ("pdb",),
        subresources=(("status", "PodDisruptionBudget", ("get", "patch", "update")),),
    ),
    ResourceType(
        "rbac.authorization.k8s.io",
        "v1",
        "clusterrolebindings",
        "clusterrolebinding",
        "ClusterRoleBinding",
        False,
    ),
    ResourceType(
        "rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", False
    ),
    ResourceType(
        "rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", True
    ),
    ResourceType("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", True),
    ResourceType(
        "storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", False, ("sc",)
    ),
    ResourceType(
        "scheduling.k8s.io",
        "v1",
        "priorityclasses",
        "priorityclass",
        "PriorityClass",
        False,
        ("pc",),
    ),
    ResourceType("coordination.k8s.io", "v1", "leases", "lease", "Lease", True),
    ResourceType(
        "discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", True
    ),
    ResourceType(
        "",
        "v1",
        "componentstatuses",
        "componentstatus",
        "ComponentStatus",
        False,
        ("cs",),
        READ_VERBS,
    ),
)

# Resources also served in an older version, from the same storage as the preferred one
# (the real server converts; here the objects are the preferred version's).
OLDER_VERSIONS = frozenset({("autoscaling", "v1", "horizontalpodautoscalers")})

# Metrics are computed from pods and nodes on request, never stored.
COMPUTED_GROUPS = frozenset({"metrics.k8s.io"})


def group_versions() -> dict[str, list[str]]:
    """Map each group ("" for core) to its served versions, in discovery order."""
    return BUILTIN_REGISTRY.group_versions()


def resources_in(group: str, version: str) -> list[ResourceType]:
    return BUILTIN_REGISTRY.resources_in(group, version)


def find_in_group(group: str, version: str, plural: str) -> ResourceType | None:
    """The resource served at /apis/<group>/<version>/<plural> (or /api/v1/<plural>)."""
    return BUILTIN_REGISTRY.find_in_group(group, version, plural)


def lookup(name: str) -> ResourceType:
    """Resolve a stored resource type from a plural, singular, kind, short or qualified name.

    Raises KeyError for names the simulator does not store.
    """
    return BUILTIN_REGISTRY.lookup(name)


def for_object(obj: dict) -> ResourceType:
    """The stored resource type of an object, from its ``kind`` (and ``apiVersion``)."""
    return BUILTIN_REGISTRY.for_object(obj)


def stored_resources() -> list[ResourceType]:
    return BUILTIN_REGISTRY.stored()


class Registry:
    """The resource types one server serves: the built-in ones, plus those its
    CustomResourceDefinitions register (:meth:`register` / :meth:`unregister`, by CRD name).

    Routing, the store and discovery all ask the server's registry; ``generation`` changes
    whenever the set of types does (discovery rebuilds its documents then). Custom types
    come after the built-in ones, so a CRD never shadows a built-in name.
    """

    def __init__(self, builtin: tuple[ResourceType, ...] = RESOURCES) -> None:
        self._builtin = builtin
        self._custom: dict[str, tuple[ResourceType, ...]] = {}  # CRD name -> its types
        self.generation = 0
        self._rebuild()

    def _rebuild(self) -> None:
        self._all = (*self._builtin, *(r for rs in self._custom.values() for r in rs))
        self._stored = [
            r
            for r in self._all
            if r.group not in COMPUTED_GROUPS
            and (r.group, r.version, r.plural) not in OLDER_VERSIONS
        ]
        self._by_name: dict[str, ResourceType] = {}
        for r in self._stored:
            for name in (r.plural, r.singular, r.kind, r.kind.lower(), r.qualified, *r.short_names):
                self._by_name.setdefault(name, r)
        self.generation += 1

    def register(self, owner: str, rtypes: tuple[ResourceType, ...]) -> None:
        """Serve ``rtypes`` on behalf of ``owner`` (a CRD name), replacing what it served."""
        self._custom[owner] = rtypes
        self._rebuild()

    def unregister(self, owner: str) -> tuple[ResourceType, ...]:
        """Stop serving what ``owner`` registered; returns those types."""
        gone = self._custom.pop(owner, ())
        self._rebuild()
        return gone

    def custom(self, owner: str) -> tuple[ResourceType, ...]:
        return self._custom.get(owner, ())

    @property
    def all(self) -> tuple[ResourceType, ...]:
        """Every served type, in discovery order."""
        return self._all

    def group_versions(self) -> dict[str, list[str]]:
        """Map each group ("" for core) to its served versions, in discovery order."""
        out: dict[str, list[str]] = {}
        for r in self._all:
            versions = out.setdefault(r.group, [])
            if r.version not in versions:
                versions.append(r.version)
        return out

    def resources_in(self, group: str, version: str) -> list[ResourceType]:
        return [r for r in self._all if r.group == group and r.version == version]

    def find_in_group(self, group: str, version: str, plural: str) -> ResourceType | None:
        """The resource served at /apis/<group>/<version>/<plural> (or /api/v1/<plural>);
        an older version's is the stored (preferred) version's type."""
        if (group, version, plural) in OLDER_VERSIONS:
            return next((r for r in self._stored if r.group == group and r.plural == plural), None)
        for r in self._all:
            if r.group == group and r.version == version and r.plural == plural:
                return r
        return None

    def lookup(self, name: str) -> ResourceType:
        """Resolve a stored resource type from a plural, singular, kind, short or qualified
        name. Raises KeyError for names the simulator does not store."""
        r = self._by_name.get(name) or self._by_name.get(name.lower())
        if r is None:
            raise KeyError(f"unknown resource type {name!r}")
        return r

    def for_object(self, obj: dict) -> ResourceType:
        """The stored resource type of an object, from its ``kind`` (and ``apiVersion``)."""
        kind = obj.get("kind")
        if not kind:
            raise ValueError("object has no kind")
        api_version = obj.get("apiVersion")
        for r in self._stored:
            if r.kind == kind and (not api_version or r.api_version == api_version):
                return r
        for r in self._stored:  # tolerate older apiVersions (extensions/v1beta1 and the like)
            if r.kind == kind and r.custom_columns is None:
                return r
        raise KeyError(f"unsupported kind {kind!r} ({api_version})")

    def stored(self) -> list[ResourceType]:
        return list(self._stored)


BUILTIN_REGISTRY = Registry()
"""The built-in types only: for code that works without a server (scenarios, tests)."""
