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
        return f"{self.kind_path}{ns}/{self.plural}/{quote(self.name, safe='')}"

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


def related_for(client: ClusterClient, obj: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The other objects `describe` mentions: a deployment's replicasets, a node's pods, a
    service's endpoint slices. Best effort: a kind the user may not read (403) or the server
    does not serve (404) is simply left out.
    """
    kind = obj.get("kind")
    meta = obj.get("metadata") or {}
    ns = quote(meta.get("namespace") or "", safe="")
    name = meta.get("name", "")
    out: dict[str, list[dict[str, Any]]] = {}
    try:
        if kind == "Deployment":
            selector = label_selector_string((obj.get("spec") or {}).get("selector"))
            query = [("labelSelector", selector)] if selector else []
            items = _list_all(client, f"/apis/apps/v1/namespaces/{ns}/replicasets", query, 1000)
            uid = meta.get("uid")
            out["replicasets"] = [
                rs
                for rs in items
                if any(
                    ref.get("uid") == uid
                    for ref in (rs.get("metadata") or {}).get("ownerReferences") or []
                )
            ]
        elif kind == "Node":
            selector = f"spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed"
            out["pods"] = _list_all(client, "/api/v1/pods", [("fieldSelector", selector)], 5000)
        elif kind == "Service":
            out["endpointslices"] = _list_all(
                client,
                f"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices",
                [("labelSelector", f"kubernetes.io/service-name={name}")],
                100,
            )
    except ApiException:
        pass
    return out
