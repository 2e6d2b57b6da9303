"""The kinds of resources kite-tui browses, and how a typed word resolves to one.

This module owns `ResourceKind` (one API resource: group, version, plural, scope, verbs),
`ResourceCatalog` (the browsable kinds of one cluster, in kubectl's priority order, with
kubectl-compatible name resolution and `:` completions), `discover` (builds a catalog from
the server's discovery: aggregated discovery v2 where the server has it, else the legacy
per-group-version documents; blocking, so it runs off the UI thread), `BUILTIN`
(the common kinds, used until discovery has answered) and `print_columns` /
`default_sort` (the columns ``kubectl get`` prints for a kind, so a view shows its own
columns before the server's first Table has arrived, and the order it opens in).

Name resolution follows kubectl (checked against the real binary in the tests): a word is
lower-cased; ``word.group`` / ``word.version.group`` narrow the group (a group prefix such as
``deploy.app`` also matches, as in kubectl); then, in order, plural or singular name, short
name, Kind; the first kind in priority order wins, so ``events`` is core v1 events and not
events.k8s.io. A catalog knows every served version of a kind: a plain or ``word.group`` name
is the group's preferred version that serves it, ``plural.version.group`` that version (as
kubectl, where a short name or Kind with a version still means the preferred version). Kinds
that can be listed are in a catalog; those that cannot be watched as well (componentstatuses)
are browsed by polling (`ResourceKind.watchable`).

No Textual import here: the core stays usable headless.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from kite_tui.core.kube.client import ClusterClient

__all__ = [
    "BUILTIN",
    "WELL_KNOWN_GROUPS",
    "CellKind",
    "PrintColumn",
    "ResourceCatalog",
    "ResourceKind",
    "default_sort",
    "discover",
    "print_columns",
]

# The API groups a stock API server serves, in its own priority order (the order of /apis).
# On a name clash kubectl takes the first group in discovery order, and real servers list
# these before any aggregated API or custom resource; we sort them first as well so that a
# CRD that reuses a built-in name (``events``, ``jobs``) never shadows the built-in.
WELL_KNOWN_GROUPS: tuple[str, ...] = (
    "",
    "apiregistration.k8s.io",
    "apps",
    "events.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "node.k8s.io",
    "discovery.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "resource.k8s.io",
    "storagemigration.k8s.io",
)
_GROUP_RANK = {g: i for i, g in enumerate(WELL_KNOWN_GROUPS)}


@dataclass(frozen=True)
class ResourceKind:
    """One API resource in its served version, e.g. ``deployments`` in ``apps/v1``."""

    group: str  # "" for the core group
    version: str
    plural: str
    # Identity is the URL (group, version, plural): the same kind from BUILTIN and from
    # discovery (whose verbs or short names may differ) is one FeedKey, one feed.
    singular: str = field(compare=False)
    kind: str = field(compare=False)
    namespaced: bool = field(compare=False)
    short_names: tuple[str, ...] = field(default=(), compare=False)
    verbs: tuple[str, ...] = field(default=("get", "list", "watch"), compare=False)
    categories: tuple[str, ...] = field(default=(), compare=False)

    @property
    def group_version(self) -> str:
        """``v1`` or ``apps/v1``: the apiVersion of its objects."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def display(self) -> str:
        """What kubectl calls it: ``pods``, ``deployments.apps``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def browsable(self) -> bool:
        """Whether a table is possible: the feed needs list (and watch to be live)."""
        return "list" in self.verbs

    @property
    def watchable(self) -> bool:
        """Whether its table can be kept live by a watch; if not, the feed polls."""
        return "watch" in self.verbs

    def api_path(self, namespace: str | None = None) -> str:
        """The collection URL path; ``namespace`` is ignored for cluster-scoped kinds."""
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if namespace and self.namespaced:
            return f"{base}/namespaces/{namespace}/{self.plural}"
        return f"{base}/{self.plural}"

    def __str__(self) -> str:
        return self.display


class ResourceCatalog:
    """The browsable kinds of one cluster, in priority order, resolvable by kubectl names.

    Immutable once built; safe to share between threads. ``errors`` maps a group-version
    whose discovery failed (an aggregated API that is down, typically metrics.k8s.io) to the
    error, the way kubectl warns and carries on. ``kinds`` holds each kind once, in its
    preferred version (the first one discovery lists); ``versions`` every served version.
    """

    def __init__(
        self, kinds: Iterable[ResourceKind], *, errors: Mapping[str, str] | None = None
    ) -> None:
        seen: set[tuple[str, str]] = set()
        unique: list[ResourceKind] = []
        versions: dict[ResourceKind, None] = {}  # ordered, and a set (catalogs of CRDs are big)
        for k in kinds:
            if not k.browsable or k in versions:
                continue
            versions[k] = None
            if (k.group, k.plural) not in seen:
                seen.add((k.group, k.plural))
                unique.append(k)
        # Stable sort: well-known groups in the server's own order, then everything else in
        # the order discovery listed it.
        order = {k: i for i, k in enumerate(versions)}

        def rank(k: ResourceKind) -> tuple[int, int]:
            return (_GROUP_RANK.get(k.group, len(_GROUP_RANK)), order[k])

        self._kinds = tuple(sorted(unique, key=rank))
        self._versions = tuple(sorted(versions, key=rank))
        self.errors: Mapping[str, str] = MappingProxyType(dict(errors or {}))
        self._cache: dict[str, ResourceKind | None] = {}

    # ---------------------------------------------------------------- building
    @classmethod
    def from_discovery(
        cls,
        resource_lists: Iterable[Mapping[str, Any]],
        *,
        errors: Mapping[str, str] | None = None,
    ) -> ResourceCatalog:
        """Build from APIResourceList documents (``/api/v1``, ``/apis/G/V``) in discovery
        order (each group's versions in preference order). Subresources (``pods/log``) and
        kinds that cannot be listed are left out."""
        kinds: list[ResourceKind] = []
        for doc in resource_lists:
            gv = str(doc.get("groupVersion") or "")
            group, _, version = gv.rpartition("/")
            for res in doc.get("resources") or ():
                kind = _kind_from_discovery(group, version, res)
                if kind is not None:
                    kinds.append(kind)
        return cls(kinds, errors=errors)

    @classmethod
    def from_aggregated(
        cls,
        group_lists: Iterable[Mapping[str, Any]],
        *,
        errors: Mapping[str, str] | None = None,
    ) -> ResourceCatalog:
        """Build from aggregated discovery documents (``APIGroupDiscoveryList``, v2 or
        v2beta1: ``/api`` then ``/apis``). A version the server marks ``Stale`` (its
        aggregated API did not answer) is left out and recorded in ``errors``."""
        kinds: list[ResourceKind] = []
        failed = dict(errors or {})
        for doc in group_lists:
            for item in doc.get("items") or ():
                group = str((item.get("metadata") or {}).get("name") or "")
                for ver in item.get("versions") or ():
                    version = str(ver.get("version") or "")
                    if ver.get("freshness") == "Stale":
                        gv = f"{group}/{version}" if group else version
                        failed[gv] = "stale: its API server did not answer discovery"
                        continue
                    for res in ver.get("resources") or ():
                        kind = _kind_from_aggregated(group, version, res)
                        if kind is not None:
                            kinds.append(kind)
        return cls(kinds, errors=failed)

    # ---------------------------------------------------------------- reading
    @property
    def kinds(self) -> tuple[ResourceKind, ...]:
        return self._kinds

    @property
    def versions(self) -> tuple[ResourceKind, ...]:
        """Every served version of every kind (``kinds`` has the preferred ones)."""
        return self._versions

    def __iter__(self) -> Iterator[ResourceKind]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def __contains__(self, kind: object) -> bool:
        return kind in self._kinds

    def __repr__(self) -> str:
        return f"<ResourceCatalog {len(self._kinds)} kinds>"

    def get(self, group: str, plural: str) -> ResourceKind | None:
        """The kind served as ``plural`` in ``group`` ("" for core), if any."""
        for k in self._kinds:
            if k.group == group and k.plural == plural:
                return k
        return None

    def resolve(self, word: str) -> ResourceKind | None:
        """The kind kubectl would pick for ``kubectl get WORD``, or None."""
        key = word.strip().lower()
        if key not in self._cache:
            self._cache[key] = self._resolve(key) if key else None
        return self._cache[key]

    def _resolve(self, word: str) -> ResourceKind | None:
        if "." not in word:
            return self._match(word, None)
        name, _, rest = word.partition(".")
        if rest.count(".") >= 1:
            # kubectl tries resource.version.group before resource.group (group = rest).
            version, _, group = rest.partition(".")
            found = self._match(name, group, version)
            if found is not None:
                return found
        return self._match(name, rest)

    def _match(
        self, name: str, group: str | None, version: str | None = None
    ) -> ResourceKind | None:
        def in_group(k: ResourceKind, prefix: bool, version: str | None) -> bool:
            if version is not None and k.version != version:
                return False
            if group is None:
                return True
            return k.group.startswith(group) if prefix else k.group == group

        tests: tuple[tuple[Callable[[ResourceKind], bool], str | None], ...] = (
            (lambda k: name in (k.plural, k.singular), version),
            # kubectl expands a short name to its resource in the preferred version, even in
            # ``short.version.group``: the version given with a short name is not honoured.
            (lambda k: name in k.short_names, None),
            (lambda k: name == k.kind.lower(), version),
        )
        # An exact group beats a group prefix (``deploy.apps`` never means another group).
        for prefix in (False, True) if group else (False,):
            for test, wanted in tests:
                for k in self._kinds if wanted is None else self._versions:
                    if in_group(k, prefix, wanted) and test(k):
                        return k
        return None

    def completions(self) -> list[str]:
        """Sorted words for ``:`` completion: plurals, short names, ``plural.group``."""
        words: set[str] = set()
        for k in self._kinds:
            words.add(k.plural)
            words.update(k.short_names)
            if k.group:
                words.add(k.display)
        return sorted(words)


def _kind_from_discovery(group: str, version: str, res: Mapping[str, Any]) -> ResourceKind | None:
    name = str(res.get("name") or "")
    if not name or "/" in name:  # subresources: pods/log, deployments/scale ...
        return None
    kind = str(res.get("kind") or "")
    return ResourceKind(
        group=group,
        version=version,
        plural=name,
        # Old servers and some aggregated APIs leave singularName empty; kubectl then uses
        # the lower-cased Kind.
        singular=str(res.get("singularName") or kind.lower()),
        kind=kind,
        namespaced=bool(res.get("namespaced")),
        short_names=tuple(str(s) for s in res.get("shortNames") or ()),
        verbs=tuple(str(v) for v in res.get("verbs") or ()),
        categories=tuple(str(c) for c in res.get("categories") or ()),
    )


def _kind_from_aggregated(group: str, version: str, res: Mapping[str, Any]) -> ResourceKind | None:
    name = str(res.get("resource") or "")
    if not name or "/" in name:
        return None
    kind = str((res.get("responseKind") or {}).get("kind") or "")
    return ResourceKind(
        group=group,
        version=version,
        plural=name,
        singular=str(res.get("singularResource") or kind.lower()),
        kind=kind,
        namespaced=res.get("scope") == "Namespaced",
        short_names=tuple(str(s) for s in res.get("shortNames") or ()),
        verbs=tuple(str(v) for v in res.get("verbs") or ()),
        categories=tuple(str(c) for c in res.get("categories") or ()),
    )


# What kubectl asks /api and /apis for: aggregated discovery (v2, else v2beta1), else the
# legacy APIVersions / APIGroupList. A server that predates aggregation ignores the first two.
AGGREGATED_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json"
)


def _aggregated(doc: Mapping[str, Any]) -> bool:
    return doc.get("kind") == "APIGroupDiscoveryList"


def discover(client: ClusterClient, *, workers: int = 8) -> ResourceCatalog:
    """Read the server's discovery and build its catalog. Blocking.

    ``/api`` and ``/apis`` are asked for aggregated discovery, as kubectl asks: a server
    that has it answers with every group, version and resource in those two documents.
    One that answers with the legacy ``APIVersions`` / ``APIGroupList`` gets the legacy
    round: every served version of every group (``/api/v1``, ``/apis/G/V``), in parallel as
    kubectl does. ``/api`` and ``/apis`` must answer (their errors propagate, e.g.
    ApiException or a urllib3 error); a group-version that fails is recorded in ``errors``
    and skipped. Every request has the client's timeout.
    """
    core = client.get_json("/api", accept=AGGREGATED_ACCEPT)
    apis = client.get_json("/apis", accept=AGGREGATED_ACCEPT)
    if _aggregated(core) and _aggregated(apis):
        return ResourceCatalog.from_aggregated([core, apis])
    paths = [f"/api/{v}" for v in core.get("versions") or ["v1"]]
    for g in apis.get("groups") or []:
        # Every version, the preferred one first: kinds served only in another version
        # (alpha and beta APIs) are kinds of the cluster too.
        preferred = (g.get("preferredVersion") or {}).get("groupVersion")
        gvs = [str(v.get("groupVersion") or "") for v in g.get("versions") or []]
        for gv in sorted(filter(None, gvs), key=lambda gv: gv != preferred):
            paths.append(f"/apis/{gv}")

    def fetch(path: str) -> Mapping[str, Any] | Exception:
        try:
            return client.get_json(path)
        except Exception as exc:  # one broken aggregated API must not hide the others
            return exc

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(paths)))) as pool:
        results = list(pool.map(fetch, paths))
    if isinstance(results[0], Exception):
        raise results[0]
    docs: list[Mapping[str, Any]] = []
    errors: dict[str, str] = {}
    for path, result in zip(paths, results, strict=True):
        gv = path.split("/", 2)[2]
        if isinstance(result, Exception):
            errors[gv] = f"{type(result).__name__}: {result}".strip()
        else:
            docs.append({"groupVersion": gv, **result})
    return ResourceCatalog.from_discovery(docs, errors=errors)


# -------------------------------------------------------------------------------------------
# The common kinds of a stock cluster, for the moment before discovery answers (and for a
# cl whose discovery fails). Same data a v1.3x API server reports.

_RW = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")

# group/version  plural  Kind  scope (ns: namespaced, cl: cluster)  short names...
_BUILTIN_TABLE = """
v1 configmaps ConfigMap ns cm
v1 endpoints Endpoints ns ep
v1 events Event ns ev
v1 limitranges LimitRange ns limits
v1 namespaces Namespace cl ns
v1 nodes Node cl no
v1 persistentvolumeclaims PersistentVolumeClaim ns pvc
v1 persistentvolumes PersistentVolume cl pv
v1 pods Pod ns po
v1 podtemplates PodTemplate ns
v1 replicationcontrollers ReplicationController ns rc
v1 resourcequotas ResourceQuota ns quota
v1 secrets Secret ns
v1 serviceaccounts ServiceAccount ns sa
v1 services Service ns svc
apiregistration.k8s.io/v1 apiservices APIService cl
apps/v1 controllerrevisions ControllerRevision ns
apps/v1 daemonsets DaemonSet ns ds
apps/v1 deployments Deployment ns deploy
apps/v1 replicasets ReplicaSet ns rs
apps/v1 statefulsets StatefulSet ns sts
events.k8s.io/v1 events Event ns ev
autoscaling/v2 horizontalpodautoscalers HorizontalPodAutoscaler ns hpa
batch/v1 cronjobs CronJob ns cj
batch/v1 jobs Job ns
certificates.k8s.io/v1 certificatesigningrequests CertificateSigningRequest cl csr
networking.k8s.io/v1 ingressclasses IngressClass cl
networking.k8s.io/v1 ingresses Ingress ns ing
networking.k8s.io/v1 networkpolicies NetworkPolicy ns netpol
policy/v1 poddisruptionbudgets PodDisruptionBudget ns pdb
rbac.authorization.k8s.io/v1 clusterrolebindings ClusterRoleBinding cl
rbac.authorization.k8s.io/v1 clusterroles ClusterRole cl
rbac.authorization.k8s.io/v1 rolebindings RoleBinding ns
rbac.authorization.k8s.io/v1 roles Role ns
storage.k8s.io/v1 csidrivers CSIDriver cl
storage.k8s.io/v1 csinodes CSINode cl
storage.k8s.io/v1 storageclasses StorageClass cl sc
storage.k8s.io/v1 volumeattachments VolumeAttachment cl
admissionregistration.k8s.io/v1 mutatingwebhookconfigurations MutatingWebhookConfiguration cl
admissionregistration.k8s.io/v1 validatingwebhookconfigurations ValidatingWebhookConfiguration cl
apiextensions.k8s.io/v1 customresourcedefinitions CustomResourceDefinition cl crd crds
scheduling.k8s.io/v1 priorityclasses PriorityClass cl pc
coordination.k8s.io/v1 leases Lease ns
node.k8s.io/v1 runtimeclasses RuntimeClass cl
discovery.k8s.io/v1 endpointslices EndpointSlice ns
"""


def _builtin_kinds() -> Iterator[ResourceKind]:
    for line in _BUILTIN_TABLE.strip().splitlines():
        gv, plural, kind, scope, *short = line.split()
        group, _, version = gv.rpartition("/")
        # The API server's singular is the lower-cased Kind (endpoints is the exception).
        singular = "endpoints" if plural == "endpoints" else kind.lower()
        yield ResourceKind(group, version, plural, singular, kind, scope == "ns", tuple(short), _RW)


BUILTIN = ResourceCatalog(_builtin_kinds())
"""The common kinds, for use until a cluster's discovery has answered."""


# -------------------------------------------------------------------------------------------
# The columns `kubectl get` prints, as the API server's Table defines them
# (k8s.io/kubernetes/pkg/printers/internalversion/printers.go). The server's Table is what a
# view shows; these are only for the moment before it arrives (and for a view whose list
# failed), so that a view never shows another kind's header.

CellKind = Literal["text", "age", "since"]
"""What a column's cells hold. ``age``: a time since an instant, printed as a duration
(AGE, LAST SEEN); ``since``: a count with the time since its last occurrence,
``5 (3m ago)`` (a pod's RESTARTS). Both change as time passes: the UI recomputes them."""


@dataclass(frozen=True, slots=True)
class PrintColumn:
    """One column of a kind's Table: ``name`` upper-cased as kubectl prints it;
    ``priority`` 1 is ``-o wide`` only; ``type`` is the Table's (``string``, ``integer``...)."""

    name: str
    type: str = "string"
    priority: int = 0
    cell: CellKind = "text"


# group/plural: columns separated by "|" (indented lines continue the line above); a
# trailing "*" is priority 1 (-o wide), ":TYPE" a type other than string, "@" a cell that
# changes with time ("@age", "@since").
_COLUMNS_TABLE = """
/pods: Name | Ready | Status | Restarts@since | Age | IP* | Node* | Nominated Node* |
    Readiness Gates*
/nodes: Name | Status | Roles | Age | Version | Internal-IP* | External-IP* | OS-Image* |
    Kernel-Version* | Container-Runtime*
/namespaces: Name | Status | Age
/services: Name | Type | Cluster-IP | External-IP | Port(s) | Age | Selector*
/configmaps: Name | Data | Age
/secrets: Name | Type | Data | Age
/serviceaccounts: Name | Secrets | Age
/endpoints: Name | Endpoints | Age
/events: Last Seen@age | Type | Reason | Object | Subobject* | Source* | Message |
    First Seen*@age | Count* | Name*
events.k8s.io/events: Last Seen@age | Type | Reason | Object | Subobject* | Source* | Message |
    First Seen*@age | Count* | Name*
/persistentvolumeclaims: Name | Status | Volume | Capacity | Access Modes | StorageClass |
    VolumeAttributesClass | Age | VolumeMode*
/persistentvolumes: Name | Capacity | Access Modes | Reclaim Policy | Status | Claim |
    StorageClass | VolumeAttributesClass | Reason | Age | VolumeMode*
/replicationcontrollers: Name | Desired:integer | Current:integer | Ready:integer | Age |
    Containers* | Images* | Selector*
/resourcequotas: Name | Request | Limit | Age
/podtemplates: Name | Containers | Images | Pod Labels
apps/deployments: Name | Ready | Up-to-date | Available | Age | Containers* | Images* | Selector*
apps/replicasets: Name | Desired:integer | Current:integer | Ready:integer | Age | Containers* |
    Images* | Selector*
apps/statefulsets: Name | Ready | Age | Containers* | Images*
apps/daemonsets: Name | Desired:integer | Current:integer | Ready:integer | Up-to-date:integer |
    Available:integer | Node Selector | Age | Containers* | Images* | Selector*
apps/controllerrevisions: Name | Controller | Revision:integer | Age
batch/jobs: Name | Status | Completions | Duration | Age | Containers* | Images* | Selector*
batch/cronjobs: Name | Schedule | Timezone | Suspend:boolean | Active:integer |
    Last Schedule@age | Age | Containers* | Images* | Selector*
networking.k8s.io/ingresses: Name | Class | Hosts | Address | Ports | Age
networking.k8s.io/ingressclasses: Name | Controller | Parameters | Age
networking.k8s.io/networkpolicies: Name | Pod-Selector | Age
autoscaling/horizontalpodautoscalers: Name | Reference | Targets | MinPods | MaxPods | Replicas |
    Age
policy/poddisruptionbudgets: Name | Min Available | Max Unavailable |
    Allowed Disruptions:integer | Age
rbac.authorization.k8s.io/rolebindings: Name | Role | Age | Users* | Groups* | ServiceAccounts*
rbac.authorization.k8s.io/clusterrolebindings: Name | Role | Age | Users* | Groups* |
    ServiceAccounts*
storage.k8s.io/storageclasses: Name | Provisioner | ReclaimPolicy | VolumeBindingMode |
    AllowVolumeExpansion | Age
coordination.k8s.io/leases: Name | Holder | Age
discovery.k8s.io/endpointslices: Name | AddressType | Ports | Endpoints | Age
scheduling.k8s.io/priorityclasses: Name | Value:integer | Global-Default:boolean | Age |
    PreemptionPolicy*
certificates.k8s.io/certificatesigningrequests: Name | Age | SignerName | Requestor |
    RequestedDuration | Condition
node.k8s.io/runtimeclasses: Name | Handler | Age
"""


def _parse_column(text: str) -> PrintColumn:
    text, _, cell = text.strip().partition("@")
    text, _, type_ = text.partition(":")
    priority = 1 if text.endswith("*") else 0
    return PrintColumn(
        text.rstrip("*").upper(),
        type_ or "string",
        priority,
        cell or "text",  # type: ignore[arg-type]
    )


def _columns_table() -> dict[tuple[str, str], tuple[PrintColumn, ...]]:
    table = {}
    for line in re.sub(r"\n\s+", " ", _COLUMNS_TABLE.strip()).splitlines():
        head, _, cols = line.partition(":")
        group, _, plural = head.partition("/")
        table[(group, plural)] = tuple(_parse_column(c) for c in cols.split("|"))
    return table


_PRINT_COLUMNS = _columns_table()
# The API server's default Table, for kinds without a printer of their own (roles,
# limitranges, CRDs...); custom resources without printer columns show NAME and AGE.
_DEFAULT_COLUMNS = (PrintColumn("NAME"), PrintColumn("CREATED AT", "date"))
_CUSTOM_COLUMNS = (PrintColumn("NAME"), PrintColumn("AGE"))
_DEFAULT_SORT = {("", "events"): "LAST SEEN", ("events.k8s.io", "events"): "LAST SEEN"}


def print_columns(kind: ResourceKind) -> tuple[PrintColumn, ...]:
    """The columns ``kubectl get KIND`` prints (all of them, ``-o wide`` ones included)."""
    found = _PRINT_COLUMNS.get((kind.group, kind.plural))
    if found is not None:
        return found
    if kind.group in _GROUP_RANK:
        return _DEFAULT_COLUMNS
    return _CUSTOM_COLUMNS


def default_sort(kind: ResourceKind) -> str | None:
    """The column a view of this kind opens sorted by; None is kubectl's (namespace, name).

    Events open newest first, as ``kubectl events`` lists them."""
    return _DEFAULT_SORT.get((kind.group, kind.plural))
