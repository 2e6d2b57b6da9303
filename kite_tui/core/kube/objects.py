"""One Kubernetes object, fetched: addressing it (`ObjectRef`), getting its raw JSON, and the
events and related objects that ``kubectl describe`` shows with it.

Everything here is plain Python over the object's JSON (dicts): no typed models (they are slow
and drop fields they do not know), no Textual. These functions block and run in the UI's
thread workers. Showing what they fetch is pure and lives beside them:
`kite_tui.core.kube.describe`, `kite_tui.core.kube.yaml` and `kite_tui.core.kube.secrets`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from kubernetes.client.exceptions import ApiException

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.errors import parse_status, status_message
from kite_tui.core.kube.selectors import label_selector_string

__all__ = [
    "KindLike",
    "ObjectRef",
    "events_for",
    "get_object",
    "related_for",
]


# --------------------------------------------------------------------------------------------
# Addressing an object
# --------------------------------------------------------------------------------------------


class KindLike(Protocol):
    """Anything that names a resource type (the browser's resource kind, a discovery entry).

    Read-only members, so frozen dataclasses such as `ResourceKind` satisfy it.
    """

    @property
    def group(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def plural(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class ObjectRef:
    """Where one object lives: its resource type (group/version/plural), name and namespace.

    ``namespace`` is None for cluster-scoped objects (nodes, namespaces, PVs...).
    """

    group: str
    version: str
    plural: str
    kind: str
    name: str
    namespace: str | None = None

    @classmethod
    def of(cls, kind: KindLike, name: str, namespace: str | None = None) -> ObjectRef:
        """From any resource-kind object with ``group``, ``version``, ``plural``, ``kind``
        (such as `kite_tui.core.resources.ResourceKind`); the namespace is dropped for a
        kind whose ``namespaced`` attribute is False."""
        if getattr(kind, "namespaced", True) is False:
            namespace = None
        return cls(kind.group, kind.version, kind.plural, kind.kind, name, namespace)

    @classmethod
    def from_kind_path(
        cls, kind_path: str, plural: str, kind: str, name: str, namespace: str | None = None
    ) -> ObjectRef:
        """From the group-version path: ``"/api/v1"`` or ``"/apis/apps/v1"``."""
        parts = [p for p in kind_path.split("/") if p]
        if parts[:1] == ["api"] and len(parts) == 2:
            return cls("", parts[1], plural, kind, name, namespace)
        if parts[:1] == ["apis"] and len(parts) == 3:
            return cls(parts[1], parts[2], plural, kind, name, namespace)
        raise ValueError(f"not a group-version path: {kind_path!r}")

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def kind_path(self) -> str:
        """The group-version path, e.g. ``/api/v1`` or ``/apis/apps/v1``."""
        return f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"

    @property
    def path(self) -> str:
        """The object's own API path."""
        ns = f"/namespaces/{quote(self.namespace, safe='')}" if self.namespace else ""
        # Escaped as client-go escapes a path: ``system:discovery`` keeps its colon.
        return f"{self.kind_path}{ns}/{self.plural}/{quote(self.name, safe=':@')}"

    @property
    def display(self) -> str:
        """``Pod shop/web-1`` / ``Node worker-01``: how titles and messages name the object."""
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {where}"


def get_object(client: ClusterClient, ref: ObjectRef) -> dict[str, Any]:
    """GET the object as raw JSON. Raises ApiException (403, 404...) or a network error."""
    return client.get_json(ref.path)  # a JSON object, or UnexpectedResponse


# --------------------------------------------------------------------------------------------
# Events and related objects
# --------------------------------------------------------------------------------------------

_EVENT_PAGE = 500
_EVENT_MAX = 5000  # a namespace can hold tens of thousands of events; describe needs few


def _list_all(
    client: ClusterClient, path: str, query: list[tuple[str, Any]], limit: int
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    while len(items) < limit:
        page = client.get_json(
            path,
            query + [("limit", _EVENT_PAGE)] + ([("continue", token)] if token else []),
        )
        items.extend(page.get("items") or [])
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            break
    return items[:limit]


def _involves(event: Mapping[str, Any], obj: Mapping[str, Any]) -> bool:
    inv = event.get("involvedObject") or event.get("regarding") or {}
    meta = obj.get("metadata") or {}
    uid = meta.get("uid")
    if uid and inv.get("uid") == uid:
        return True
    # The kubelet records node events with the node's *name* as uid (kubectl matches by name).
    return (
        inv.get("kind") == obj.get("kind")
        and inv.get("name") == meta.get("name")
        and (inv.get("namespace") or None) == (meta.get("namespace") or None)
        and (not inv.get("uid") or inv.get("uid") in (uid, meta.get("name")))
    )


def _event_time(event: Mapping[str, Any]) -> str:
    series = event.get("series") or {}
    return (
        event.get("lastTimestamp")
        or series.get("lastObservedTime")
        or event.get("eventTime")
        or event.get("firstTimestamp")
        or (event.get("metadata") or {}).get("creationTimestamp")
        or ""
    )


def events_for(client: ClusterClient, obj: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The core/v1 events about ``obj``, oldest first (as `kubectl describe` lists them).

    Asks the server to filter (``fieldSelector=involvedObject.uid=...``, by kind and name for
    nodes); a server that refuses the selector (400) gets a plain list of the namespace's
    events, filtered here.
    """
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace")
    path = (
        f"/api/v1/namespaces/{quote(namespace, safe='')}/events" if namespace else "/api/v1/events"
    )
    if obj.get("kind") == "Node":
        selector = f"involvedObject.kind=Node,involvedObject.name={meta.get('name', '')}"
    else:
        selector = f"involvedObject.uid={meta.get('uid', '')}"
    try:
        events = _list_all(client, path, [("fieldSelector", selector)], _EVENT_MAX)
    except ApiException as exc:
        if exc.status != 400:
            raise
        events = _list_all(client, path, [], _EVENT_MAX)
    matching = [e for e in events if _involves(e, obj)]
    matching.sort(key=_event_time)
    return matching


def _go_error(exc: ApiException) -> str:
    """The text client-go gives for a refused request, which kubectl prints as is: the
    server's Status message, else its words for a bare 404."""
    status = parse_status(exc.body)
    if status and status.message:
        return status.message
    if exc.status == 404:
        return "the server could not find the requested resource"
    return status_message(exc)


def _owned_by(items: list[dict[str, Any]], uid: Any) -> list[dict[str, Any]]:
    return [
        o
        for o in items
        if any(
            ref.get("uid") == uid for ref in (o.get("metadata") or {}).get("ownerReferences") or []
        )
    ]


def related_for(client: ClusterClient, obj: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The other objects `describe` mentions, as kubectl fetches them: a deployment's
    replicasets, the pods of a node, stateful set, daemon set or claim, a service's (or an
    ingress backend's) endpoint slices, a node's lease, a namespace's quotas and limit
    ranges. Best effort: a kind the user may not read (403) or the server does not serve
    (404) is left out, with the server's words under ``"errors"`` where kubectl shows them.
    """
    kind = obj.get("kind")
    group = str(obj.get("apiVersion") or "").rpartition("/")[0]
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    ns = quote(meta.get("namespace") or "", safe="")
    name = meta.get("name", "")
    out: dict[str, list[dict[str, Any]]] = {}
    errors: list[dict[str, Any]] = []

    def fetch(key: str, path: str, query: list[tuple[str, Any]], limit: int = 5000) -> None:
        try:
            out[key] = _list_all(client, path, query, limit)
        except ApiException as exc:
            errors.append({"what": key, "message": _go_error(exc), "status": exc.status})

    def selector_query() -> list[tuple[str, Any]]:
        selector = label_selector_string(spec.get("selector"))
        return [("labelSelector", selector)] if selector else []

    if (group, kind) == ("apps", "Deployment"):
        fetch("replicasets", f"/apis/apps/v1/namespaces/{ns}/replicasets", selector_query(), 1000)
        if "replicasets" in out:
            out["replicasets"] = _owned_by(out["replicasets"], meta.get("uid"))
    elif (group, kind) in (("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet")):
        fetch("pods", f"/api/v1/namespaces/{ns}/pods", selector_query())
    elif (group, kind) == ("", "Node"):
        selector = f"spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed"
        fetch("pods", "/api/v1/pods", [("fieldSelector", selector)])
        if any(e["what"] == "pods" and e["status"] == 403 for e in errors):
            out["pods_forbidden"] = []
        try:
            lease = client.get_json(
                f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
                f"{quote(name, safe='')}"
            )
            out["lease"] = [lease]
        except ApiException as exc:
            out["lease_error"] = [{"message": _go_error(exc)}]
    elif (group, kind) == ("", "Service"):
        fetch(
            "endpointslices",
            f"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices",
            [("labelSelector", f"kubernetes.io/service-name={name}")],
            100,
        )
    elif (group, kind) == ("", "PersistentVolumeClaim"):
        fetch("pods", f"/api/v1/namespaces/{ns}/pods", [])
        if "pods" in out:
            out["pods"] = [
                p
                for p in out["pods"]
                if any(
                    (v.get("persistentVolumeClaim") or {}).get("claimName") == name
                    for v in (p.get("spec") or {}).get("volumes") or []
                )
                or any(
                    ref.get("kind") == "Pod"
                    and ref.get("uid") == (p.get("metadata") or {}).get("uid")
                    for ref in meta.get("ownerReferences") or []
                )
            ]
    elif (group, kind) == ("", "Namespace"):
        for key in ("resourcequotas", "limitranges"):
            fetch(key, f"/api/v1/namespaces/{quote(name, safe='')}/{key}", [])
    elif (group, kind) == ("networking.k8s.io", "Ingress"):
        _ingress_backends(client, obj, out, errors, fetch)
    if errors:
        out["errors"] = errors
    return out


def _ingress_backends(
    client: ClusterClient,
    obj: Mapping[str, Any],
    out: dict[str, list[dict[str, Any]]],
    errors: list[dict[str, Any]],
    fetch: Any,
) -> None:
    """An ingress's backend services and their endpoint slices (kubectl reads both for
    every backend it prints)."""
    spec = obj.get("spec") or {}
    ns = quote((obj.get("metadata") or {}).get("namespace") or "", safe="")
    backends = [spec.get("defaultBackend") or {}]
    for rule in spec.get("rules") or []:
        backends.extend(p.get("backend") or {} for p in (rule.get("http") or {}).get("paths") or [])
    names = sorted(
        {str((b.get("service") or {}).get("name")) for b in backends if b.get("service")}
    )
    if not names:
        return
    out["services"] = []
    slices: list[dict[str, Any]] = []
    for svc in names:
        try:
            slices.extend(
                _list_all(
                    client,
                    f"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices",
                    [("labelSelector", f"kubernetes.io/service-name={svc}")],
                    100,
                )
            )
        except ApiException as exc:
            errors.append(
                {"what": "endpointslices", "message": _go_error(exc), "status": exc.status}
            )
            return
        try:
            out["services"].append(
                client.get_json(f"/api/v1/namespaces/{ns}/services/{quote(svc, safe='')}")
            )
        except ApiException as exc:
            errors.append(
                {"what": f"services/{svc}", "message": _go_error(exc), "status": exc.status}
            )
    out["endpointslices"] = slices
