"""One Kubernetes object, fetched and shown: raw JSON, `kubectl -o yaml`, `kubectl describe`.

Everything here is plain Python over the object's JSON (dicts): no typed models (they are slow
and drop fields they do not know), no Textual. The network functions (`get_object`,
`events_for`, `related_for`) block and run in the UI's thread workers; the formatting
functions (`to_yaml`, `describe`, `secret_keys`, `secret_value`) are pure.

`describe` follows `kubectl describe` closely (its labels, its order, its tab-aligned
columns via a small port of Go's text/tabwriter) so that what an SRE reads in kite-tui is what
their runbooks and muscle memory expect. Kinds with a dedicated layout: Pod, Deployment, Node,
Service, Secret, ConfigMap; every other kind, custom resources included, gets kubectl's generic
layout (metadata, then spec and status flattened under title-cased keys) plus a conditions
table and the events.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Protocol
from urllib.parse import quote

import yaml
from kubernetes.client.exceptions import ApiException

from kite_tui.core.humanize import human_duration
from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.errors import ClientError, classify_error
from kite_tui.core.kube.selectors import label_selector_string

__all__ = [
    "ObjectRef",
    "describe",
    "error_text",
    "events_for",
    "get_object",
    "related_for",
    "secret_keys",
    "secret_value",
    "to_yaml",
]

NONE = "<none>"


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


def error_text(exc: BaseException, client: ClusterClient | None = None) -> str:
    """One line a user understands, for any error a fetch can raise."""
    if isinstance(exc, ApiException | OSError | ClientError) or "urllib3" in type(exc).__module__:
        result = classify_error(exc, client.server if client is not None else None)
        if result.error:
            return result.error
    return f"{type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------


class _YamlDumper(yaml.SafeDumper):
    """kubectl-like YAML: block style, multi-line strings as literal blocks, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        # Objects decoded from JSON never share nodes on purpose; anchors would only confuse.
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # A literal block (|) keeps embedded configs readable. PyYAML falls back to a quoted
    # style by itself when a block cannot represent the string exactly (trailing spaces...).
    style: str | None = None
    if "\n" in data:
        style = "|"
    elif dumper.resolve(yaml.ScalarNode, data, (True, False)) != "tag:yaml.org,2002:str":
        # A string that would read back as a number, bool, null or timestamp ("1", "true",
        # "2024-01-01T00:00:00Z"): double quotes, as kubectl prints them.
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_YamlDumper.add_representer(str, _represent_str)

_FIRST_KEYS = ("apiVersion", "kind", "metadata")


def _sorted_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_value(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_value(v) for v in value]
    return value


def without_managed_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy of ``obj`` whose metadata has no ``managedFields``."""
    out = dict(obj)
    meta = out.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        out["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    return out


def to_yaml(obj: Mapping[str, Any], fold_managed_fields: bool = True) -> str:
    """The object as ``kubectl get -o yaml`` prints it.

    Top level: apiVersion, kind, metadata, then the other fields, status last; nested keys are
    sorted, as kubectl's JSON-to-YAML conversion does. ``metadata.managedFields`` (hundreds of
    lines of server-side-apply bookkeeping nobody reads) is left out unless
    ``fold_managed_fields`` is False.
    """
    if fold_managed_fields:
        obj = without_managed_fields(obj)
    rest = sorted(k for k in obj if k not in _FIRST_KEYS and k != "status")
    order = [k for k in _FIRST_KEYS if k in obj] + rest + (["status"] if "status" in obj else [])
    doc = {k: _sorted_value(obj[k]) for k in order}
    return yaml.dump(
        doc,
        Dumper=_YamlDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,  # never fold long values: one value per line reads and searches best
    )


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


# --------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------


def _decode(obj: Mapping[str, Any], key: str) -> bytes | None:
    value = (obj.get("data") or {}).get(key)
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def secret_keys(obj: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(key, decoded size in bytes) for every key of a Secret's ``data``, sorted by key."""
    out = []
    for key in sorted(obj.get("data") or {}):
        raw = _decode(obj, key)
        out.append((key, len(raw) if raw is not None else 0))
    return out


_PRINTABLE_CONTROL = {"\n", "\r", "\t"}


def secret_value(obj: Mapping[str, Any], key: str) -> str:
    """The decoded value of one key: text as is, binary data as a short note with a hex
    preview (binary would garble the terminal). Raises KeyError for an unknown key."""
    if key not in (obj.get("data") or {}):
        raise KeyError(key)
    raw = _decode(obj, key)
    if raw is None:
        return "<invalid base64>"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(c.isprintable() or c in _PRINTABLE_CONTROL for c in text):
        return text
    preview = raw[:32].hex(" ")
    more = " …" if len(raw) > 32 else ""
    return f"<binary, {len(raw)} bytes> {preview}{more}"


# --------------------------------------------------------------------------------------------
# Formatting helpers (kubectl's)
# --------------------------------------------------------------------------------------------


def parse_time(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class _Fmt:
    """Time formatting bound to one `now` and time zone, so one describe is consistent."""

    def __init__(self, now: float, tz: tzinfo | None) -> None:
        self.now = now
        self.tz = tz

    def when(self, value: Any) -> str:
        """RFC 1123 with numeric zone, as kubectl: ``Mon, 02 Jan 2006 15:04:05 -0700``."""
        dt = parse_time(value)
        if dt is None:
            return NONE
        return dt.astimezone(self.tz).strftime("%a, %d %b %Y %H:%M:%S %z")

    def age(self, value: Any) -> str:
        dt = parse_time(value)
        if dt is None:
            return "<unknown>"
        return human_duration(self.now - dt.timestamp())


def _cell_width(text: str) -> int:
    if text.isascii():
        return len(text)
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def tabwrite(lines: Sequence[str], padding: int = 2) -> list[str]:
    """Align tab-separated cells the way Go's text/tabwriter does (kubectl uses it).

    A column block is a run of consecutive lines that have a tab-terminated cell in that
    column; a line without one ends the block. So ``Labels:`` and its continuation lines
    stay aligned with the fields around them, while a heading line such as ``Containers:``
    starts a fresh alignment below it.
    """
    rows = [line.split("\t") for line in lines]
    widths: list[list[int]] = [[0] * (len(r) - 1) for r in rows]

    def fmt(start: int, end: int, col: int) -> None:
        i = start
        while i < end:
            if len(rows[i]) - 1 <= col:
                i += 1
                continue
            j, width = i, 0
            while j < end and len(rows[j]) - 1 > col:
                width = max(width, _cell_width(rows[j][col]))
                j += 1
            for k in range(i, j):
                widths[k][col] = width + padding
            fmt(i, j, col + 1)
            i = j

    fmt(0, len(rows), 0)
    out = []
    for cells, ws in zip(rows, widths, strict=True):
        text = "".join(c + " " * (w - _cell_width(c)) for c, w in zip(cells, ws, strict=False))
        out.append((text + cells[-1]).rstrip())
    return out


class _Out:
    """Collects describe lines; ``label:\\tvalue`` cells are aligned at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def kv(self, level: int, label: str, value: Any, *, empty: str = NONE) -> None:
        text = empty if value is None or value == "" else str(value).replace("\t", "    ")
        first, *more = text.split("\n")
        self.lines.append(f"{'  ' * level}{label}:\t{first}")
        for extra in more:
            self.lines.append(f"{'  ' * level}\t{extra}")

    def head(self, level: int, label: str) -> None:
        self.lines.append(f"{'  ' * level}{label}:")

    def multi(self, level: int, label: str, values: Sequence[str]) -> None:
        """``label: first`` then the others below it, aligned; ``<none>`` if empty."""
        if not values:
            self.kv(level, label, NONE)
            return
        self.kv(level, label, values[0])
        for value in values[1:]:
            self.kv_more(level, value)

    def kv_more(self, level: int, value: Any) -> None:
        """A continuation line: aligned with the value above it."""
        text = str(value).replace("\t", "    ").replace("\n", " ")
        self.lines.append(f"{'  ' * level}\t{text}")

    def row(self, level: int, *cells: Any) -> None:
        clean = (str(c).replace("\t", " ").replace("\n", " ") for c in cells)
        self.lines.append("  " * level + "\t".join(clean))

    def text(self, line: str = "") -> None:
        self.lines.append(line.replace("\t", "    "))

    def render(self) -> str:
        return "\n".join(tabwrite(self.lines)) + "\n"


def _labels(labels: Mapping[str, Any] | None) -> list[str]:
    return [f"{k}={v}" for k, v in sorted((labels or {}).items())]


def _annotations(annotations: Mapping[str, Any] | None) -> list[str]:
    out = []
    for k, v in sorted((annotations or {}).items()):
        if k == "kubectl.kubernetes.io/last-applied-configuration":
            continue  # kubectl skips it too: a whole copy of the object, on one line
        out.append(f"{k}: {v}")
    return out


def _common_meta(out: _Out, meta: Mapping[str, Any], fmt: _Fmt, *, created: bool = True) -> None:
    out.kv(0, "Name", meta.get("name"))
    if meta.get("namespace"):
        out.kv(0, "Namespace", meta.get("namespace"))
    if created:
        out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    out.multi(0, "Labels", _labels(meta.get("labels")))
    out.multi(0, "Annotations", _annotations(meta.get("annotations")))


def _controller(meta: Mapping[str, Any]) -> str | None:
    for ref in meta.get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind')}/{ref.get('name')}"
    return None


def _events(out: _Out, events: Sequence[Mapping[str, Any]], fmt: _Fmt) -> None:
    if not events:
        out.kv(0, "Events", NONE)
        return
    out.head(0, "Events")
    out.row(1, "Type", "Reason", "Age", "From", "Message")
    out.row(1, "----", "------", "----", "----", "-------")
    for e in events:
        series = e.get("series") or {}
        count = int(e.get("count") or 0)
        if series:
            age = (
                f"{fmt.age(series.get('lastObservedTime'))} (x{series.get('count', 0)} "
                f"over {fmt.age(e.get('eventTime'))})"
            )
        elif count > 1:
            age = (
                f"{fmt.age(e.get('lastTimestamp'))} (x{count} over "
                f"{fmt.age(e.get('firstTimestamp'))})"
            )
        elif e.get("firstTimestamp"):
            age = fmt.age(e.get("firstTimestamp"))
        else:
            age = fmt.age(e.get("eventTime") or (e.get("metadata") or {}).get("creationTimestamp"))
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        message = " ".join(str(e.get("message") or "").split())
        out.row(1, e.get("type", ""), e.get("reason", ""), age, source, message)


# --------------------------------------------------------------------------------------------
# Pods (and pod templates)
# --------------------------------------------------------------------------------------------


def _ports(container: Mapping[str, Any]) -> tuple[str, str]:
    ports = container.get("ports") or []
    if not ports:
        return NONE, NONE
    cp = ", ".join(f"{p.get('containerPort')}/{p.get('protocol', 'TCP')}" for p in ports)
    hp = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    return cp, hp


def _probe(probe: Mapping[str, Any]) -> str:
    if "httpGet" in probe:
        g = probe["httpGet"]
        scheme = str(g.get("scheme", "HTTP")).lower()
        what = f"http-get {scheme}://{g.get('host', '')}:{g.get('port', '')}{g.get('path', '')}"
    elif "tcpSocket" in probe:
        what = f"tcp-socket {probe['tcpSocket'].get('host', '')}:{probe['tcpSocket'].get('port')}"
    elif "exec" in probe:
        what = f"exec {list(probe['exec'].get('command') or [])}"
    elif "grpc" in probe:
        what = f"grpc <pod>:{probe['grpc'].get('port')} {probe['grpc'].get('service', '')}"
    else:
        what = "unknown"
    return (
        f"{what} delay={probe.get('initialDelaySeconds', 0)}s "
        f"timeout={probe.get('timeoutSeconds', 1)}s period={probe.get('periodSeconds', 10)}s "
        f"#success={probe.get('successThreshold', 1)} #failure={probe.get('failureThreshold', 3)}"
    )


def _env_value(env: Mapping[str, Any]) -> str:
    if "value" in env:
        return str(env.get("value"))
    src = env.get("valueFrom") or {}
    if "configMapKeyRef" in src:
        r = src["configMapKeyRef"]
        return (
            f"<set to the key '{r.get('key')}' of config map '{r.get('name')}'>  "
            f"Optional: {str(bool(r.get('optional'))).lower()}"
        )
    if "secretKeyRef" in src:
        r = src["secretKeyRef"]
        return (
            f"<set to the key '{r.get('key')}' in secret '{r.get('name')}'>  "
            f"Optional: {str(bool(r.get('optional'))).lower()}"
        )
    if "fieldRef" in src:
        r = src["fieldRef"]
        return f" ({r.get('apiVersion', 'v1')}:{r.get('fieldPath')})"
    if "resourceFieldRef" in src:
        r = src["resourceFieldRef"]
        return f"{r.get('resource')} ({r.get('containerName', '')})"
    return ""


def _state(out: _Out, level: int, label: str, state: Mapping[str, Any], fmt: _Fmt) -> None:
    if "running" in state:
        out.kv(level, label, "Running")
        out.kv(level + 1, "Started", fmt.when((state["running"] or {}).get("startedAt")))
    elif "terminated" in state:
        t = state["terminated"] or {}
        out.kv(level, label, "Terminated")
        out.kv(level + 1, "Reason", t.get("reason") or "")
        if t.get("message"):
            out.kv(level + 1, "Message", str(t["message"]).strip())
        out.kv(level + 1, "Exit Code", t.get("exitCode", 0))
        if t.get("signal"):
            out.kv(level + 1, "Signal", t["signal"])
        out.kv(level + 1, "Started", fmt.when(t.get("startedAt")))
        out.kv(level + 1, "Finished", fmt.when(t.get("finishedAt")))
    elif "waiting" in state:
        out.kv(level, label, "Waiting")
        out.kv(level + 1, "Reason", (state["waiting"] or {}).get("reason") or "")
    else:
        out.kv(level, label, "Waiting")


def _resources(out: _Out, level: int, resources: Mapping[str, Any]) -> None:
    for label, key in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(key) or {}
        if values:
            out.head(level, label)
            for name, qty in sorted(values.items()):
                out.kv(level + 1, name, qty)


def _container(
    out: _Out,
    level: int,
    c: Mapping[str, Any],
    status: Mapping[str, Any] | None,
    fmt: _Fmt,
) -> None:
    out.head(level, c.get("name", ""))
    lv = level + 1
    if status is not None and status.get("containerID"):
        out.kv(lv, "Container ID", status["containerID"])
    out.kv(lv, "Image", c.get("image", ""))
    if status is not None:
        out.kv(lv, "Image ID", status.get("imageID"), empty="")
    cp, hp = _ports(c)
    many = len(c.get("ports") or []) > 1
    out.kv(lv, "Ports" if many else "Port", cp)
    out.kv(lv, "Host Ports" if many else "Host Port", hp)
    for label, key in (("Command", "command"), ("Args", "args")):
        if c.get(key):
            out.head(lv, label)
            for part in c[key]:
                out.text(f"{'  ' * (lv + 1)}{part}")
    if status is not None:
        _state(out, lv, "State", status.get("state") or {}, fmt)
        last = status.get("lastState") or {}
        if last.get("terminated"):
            _state(out, lv, "Last State", last, fmt)
        out.kv(lv, "Ready", str(bool(status.get("ready"))))
        out.kv(lv, "Restart Count", status.get("restartCount", 0))
    _resources(out, lv, c.get("resources") or {})
    for label, key in (
        ("Liveness", "livenessProbe"),
        ("Readiness", "readinessProbe"),
        ("Startup", "startupProbe"),
    ):
        if c.get(key):
            out.kv(lv, label, _probe(c[key]))
    if c.get("envFrom"):
        out.head(lv, "Environment Variables from")
        for src in c["envFrom"]:
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if key in src:
                    ref = src[key] or {}
                    prefix = f" with prefix '{src['prefix']}'" if src.get("prefix") else ""
                    optional = str(bool(ref.get("optional"))).lower()
                    out.row(lv + 1, ref.get("name", ""), f"{kind}{prefix}", f"Optional: {optional}")
    env = c.get("env") or []
    if env:
        out.head(lv, "Environment")
        for e in env:
            out.kv(lv + 1, e.get("name", ""), _env_value(e))
    else:
        out.kv(lv, "Environment", NONE)
    mounts = c.get("volumeMounts") or []
    if mounts:
        out.head(lv, "Mounts")
        for m in mounts:
            mode = "ro" if m.get("readOnly") else "rw"
            sub = f" (path {m['subPath']!r})" if m.get("subPath") else ""
            out.text(f"{'  ' * (lv + 1)}{m.get('mountPath')} from {m.get('name')}{sub} ({mode})")
    else:
        out.kv(lv, "Mounts", NONE)


def _volumes(out: _Out, level: int, volumes: Sequence[Mapping[str, Any]]) -> None:
    if not volumes:
        out.kv(level, "Volumes", NONE)
        return
    out.head(level, "Volumes")
    lv = level + 2
    for v in volumes:
        out.head(level + 1, v.get("name", ""))
        if "configMap" in v:
            src = v["configMap"] or {}
            out.kv(lv, "Type", "ConfigMap (a volume populated by a ConfigMap)")
            out.kv(lv, "Name", src.get("name", ""))
            out.kv(lv, "Optional", str(bool(src.get("optional"))).lower())
        elif "secret" in v:
            src = v["secret"] or {}
            out.kv(lv, "Type", "Secret (a volume populated by a Secret)")
            out.kv(lv, "SecretName", src.get("secretName", ""))
            out.kv(lv, "Optional", str(bool(src.get("optional"))).lower())
        elif "emptyDir" in v:
            src = v["emptyDir"] or {}
            out.kv(lv, "Type", "EmptyDir (a temporary directory that shares a pod's lifetime)")
            out.kv(lv, "Medium", src.get("medium", ""))
            out.kv(lv, "SizeLimit", src.get("sizeLimit", "<unset>"))
        elif "persistentVolumeClaim" in v:
            src = v["persistentVolumeClaim"] or {}
            out.kv(
                lv,
                "Type",
                "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                "namespace)",
            )
            out.kv(lv, "ClaimName", src.get("claimName", ""))
            out.kv(lv, "ReadOnly", str(bool(src.get("readOnly"))).lower())
        elif "hostPath" in v:
            src = v["hostPath"] or {}
            out.kv(lv, "Type", "HostPath (bare host directory volume)")
            out.kv(lv, "Path", src.get("path", ""))
            out.kv(lv, "HostPathType", src.get("type", ""))
        elif "projected" in v:
            src = v["projected"] or {}
            out.kv(
                lv, "Type", "Projected (a volume that contains injected data from multiple sources)"
            )
            for s in src.get("sources") or []:
                if "serviceAccountToken" in s:
                    sat = s["serviceAccountToken"] or {}
                    out.kv(lv, "TokenExpirationSeconds", sat.get("expirationSeconds", 3607))
                if "configMap" in s:
                    out.kv(lv, "ConfigMapName", (s["configMap"] or {}).get("name", ""))
                    out.kv(lv, "ConfigMapOptional", (s["configMap"] or {}).get("optional", NONE))
                if "downwardAPI" in s:
                    out.kv(lv, "DownwardAPI", "true")
                if "secret" in s:
                    out.kv(lv, "SecretName", (s["secret"] or {}).get("name", ""))
        else:
            kinds = [k for k in v if k != "name"]
            out.kv(lv, "Type", kinds[0] if kinds else "<unknown>")


def _tolerations(tolerations: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for t in tolerations:
        text = t.get("key", "")
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        out.append(text)
    return out


def _pod_template(out: _Out, template: Mapping[str, Any], fmt: _Fmt) -> None:
    out.head(0, "Pod Template")
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    out.multi(1, "Labels", _labels(meta.get("labels")))
    if meta.get("annotations"):
        out.multi(1, "Annotations", _annotations(meta.get("annotations")))
    if spec.get("serviceAccountName"):
        out.kv(1, "Service Account", spec["serviceAccountName"])
    for label, key in (("Init Containers", "initContainers"), ("Containers", "containers")):
        if spec.get(key):
            out.head(1, label)
            for c in spec[key]:
                _container(out, 2, c, None, fmt)
    _volumes(out, 1, spec.get("volumes") or [])
    out.multi(1, "Node-Selectors", _labels(spec.get("nodeSelector")))
    out.multi(1, "Tolerations", _tolerations(spec.get("tolerations") or []))


def _conditions_table(out: _Out, conditions: Sequence[Mapping[str, Any]], reason: bool) -> None:
    out.head(0, "Conditions")
    if reason:
        out.row(1, "Type", "Status", "Reason")
        out.row(1, "----", "------", "------")
        for c in conditions:
            out.row(1, c.get("type", ""), c.get("status", ""), c.get("reason", ""))
    else:
        out.row(1, "Type", "Status")
        for c in conditions:
            out.row(1, c.get("type", ""), c.get("status", ""))


def _describe_pod(
    obj: Mapping[str, Any], events: Sequence[Mapping[str, Any]], fmt: _Fmt, out: _Out
) -> None:
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    out.kv(0, "Name", meta.get("name"))
    out.kv(0, "Namespace", meta.get("namespace"))
    out.kv(0, "Priority", spec.get("priority", 0))
    if spec.get("priorityClassName"):
        out.kv(0, "Priority Class Name", spec["priorityClassName"])
    out.kv(0, "Service Account", spec.get("serviceAccountName") or spec.get("serviceAccount"))
    node = spec.get("nodeName")
    out.kv(0, "Node", f"{node}/{status.get('hostIP', '')}" if node else NONE)
    if status.get("startTime"):
        out.kv(0, "Start Time", fmt.when(status["startTime"]))
    out.multi(0, "Labels", _labels(meta.get("labels")))
    out.multi(0, "Annotations", _annotations(meta.get("annotations")))
    if meta.get("deletionTimestamp"):
        out.kv(0, "Status", f"Terminating (lasts {fmt.age(meta['deletionTimestamp'])})")
        out.kv(0, "Termination Grace Period", f"{meta.get('deletionGracePeriodSeconds', 0)}s")
    else:
        out.kv(0, "Status", status.get("phase", "Unknown"))
    if status.get("reason"):
        out.kv(0, "Reason", status["reason"])
    if status.get("message"):
        out.kv(0, "Message", status["message"])
    out.kv(0, "IP", status.get("podIP", ""))
    ips = [p.get("ip", "") for p in status.get("podIPs") or []]
    if ips:
        out.head(0, "IPs")
        for ip in ips:
            out.kv(1, "IP", ip)
    else:
        out.kv(0, "IPs", NONE)
    controller = _controller(meta)
    if controller:
        out.kv(0, "Controlled By", controller)
    statuses = {s.get("name"): s for s in status.get("containerStatuses") or []}
    init_statuses = {s.get("name"): s for s in status.get("initContainerStatuses") or []}
    if spec.get("initContainers"):
        out.head(0, "Init Containers")
        for c in spec["initContainers"]:
            _container(out, 1, c, init_statuses.get(c.get("name"), {}), fmt)
    out.head(0, "Containers")
    for c in spec.get("containers") or []:
        _container(out, 1, c, statuses.get(c.get("name"), {}), fmt)
    conditions = status.get("conditions") or []
    if conditions:
        _conditions_table(out, conditions, reason=False)
    _volumes(out, 0, spec.get("volumes") or [])
    out.kv(0, "QoS Class", status.get("qosClass", ""))
    out.multi(0, "Node-Selectors", _labels(spec.get("nodeSelector")))
    out.multi(0, "Tolerations", _tolerations(spec.get("tolerations") or []))
    _events(out, events, fmt)


# --------------------------------------------------------------------------------------------
# Deployments, nodes, services, secrets, config maps
# --------------------------------------------------------------------------------------------


def _describe_deployment(
    obj: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    related: Mapping[str, Sequence[Mapping[str, Any]]],
    fmt: _Fmt,
    out: _Out,
) -> None:
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    _common_meta(out, meta, fmt)
    out.kv(0, "Selector", label_selector_string(spec.get("selector")) or NONE)
    out.kv(
        0,
        "Replicas",
        f"{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
        f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
        f"{status.get('unavailableReplicas', 0)} unavailable",
    )
    strategy = spec.get("strategy") or {}
    out.kv(0, "StrategyType", strategy.get("type", "RollingUpdate"))
    out.kv(0, "MinReadySeconds", spec.get("minReadySeconds", 0))
    ru = strategy.get("rollingUpdate")
    if ru:
        out.kv(
            0,
            "RollingUpdateStrategy",
            f"{ru.get('maxUnavailable', '25%')} max unavailable, "
            f"{ru.get('maxSurge', '25%')} max surge",
        )
    _pod_template(out, spec.get("template") or {}, fmt)
    conditions = status.get("conditions") or []
    if conditions:
        _conditions_table(out, conditions, reason=True)
    if "replicasets" in related:
        new, old = _split_replicasets(obj, related["replicasets"])
        out.kv(0, "OldReplicaSets", ", ".join(_rs_text(rs) for rs in old) or NONE)
        out.kv(0, "NewReplicaSet", _rs_text(new) if new else NONE)
    _events(out, events, fmt)


def _revision(obj: Mapping[str, Any]) -> int:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    try:
        return int(annotations.get("deployment.kubernetes.io/revision", "0"))
    except ValueError:
        return 0


def _split_replicasets(
    deploy: Mapping[str, Any], replicasets: Sequence[Mapping[str, Any]]
) -> tuple[Mapping[str, Any] | None, list[Mapping[str, Any]]]:
    """(the new ReplicaSet, the old ones). The new one carries the deployment's revision,
    which is how the deployment controller tells them apart too (template hashes need the
    controller's exact hashing)."""
    revision = _revision(deploy)
    new = next((rs for rs in replicasets if revision and _revision(rs) == revision), None)
    if new is None and replicasets:
        new = max(replicasets, key=_revision)
    old = [rs for rs in replicasets if rs is not new and (rs.get("spec") or {}).get("replicas")]
    return new, old


def _rs_text(rs: Mapping[str, Any]) -> str:
    name = (rs.get("metadata") or {}).get("name", "")
    status = rs.get("status") or {}
    spec = rs.get("spec") or {}
    return f"{name} ({status.get('replicas', 0)}/{spec.get('replicas', 0)} replicas created)"


def _describe_node(
    obj: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    related: Mapping[str, Sequence[Mapping[str, Any]]],
    fmt: _Fmt,
    out: _Out,
) -> None:
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    labels = meta.get("labels") or {}
    roles = sorted(
        k.split("/", 1)[1]
        for k in labels
        if k.startswith("node-role.kubernetes.io/") and k.split("/", 1)[1]
    )
    if labels.get("kubernetes.io/role"):
        roles.append(labels["kubernetes.io/role"])
    out.kv(0, "Name", meta.get("name"))
    out.kv(0, "Roles", ",".join(roles) or NONE)
    out.multi(0, "Labels", _labels(labels))
    out.multi(0, "Annotations", _annotations(meta.get("annotations")))
    out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    taints = [
        f"{t.get('key', '')}{'=' + t['value'] if t.get('value') else ''}:{t.get('effect', '')}"
        for t in spec.get("taints") or []
    ]
    out.multi(0, "Taints", taints)
    out.kv(0, "Unschedulable", str(bool(spec.get("unschedulable"))).lower())
    conditions = status.get("conditions") or []
    if conditions:
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message")
        out.row(1, "----", "------", "-----------------", "------------------", "------", "-------")
        for c in conditions:
            out.row(
                1,
                c.get("type", ""),
                c.get("status", ""),
                fmt.when(c.get("lastHeartbeatTime")),
                fmt.when(c.get("lastTransitionTime")),
                c.get("reason", ""),
                c.get("message", ""),
            )
    out.head(0, "Addresses")
    for a in status.get("addresses") or []:
        out.kv(1, a.get("type", ""), a.get("address", ""))
    for label, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        if status.get(key):
            out.head(0, label)
            for name, qty in status[key].items():
                out.kv(1, name, qty)
    info = status.get("nodeInfo") or {}
    if info:
        out.head(0, "System Info")
        for label, key in (
            ("Machine ID", "machineID"),
            ("System UUID", "systemUUID"),
            ("Boot ID", "bootID"),
            ("Kernel Version", "kernelVersion"),
            ("OS Image", "osImage"),
            ("Operating System", "operatingSystem"),
            ("Architecture", "architecture"),
            ("Container Runtime Version", "containerRuntimeVersion"),
            ("Kubelet Version", "kubeletVersion"),
            ("Kube-Proxy Version", "kubeProxyVersion"),
        ):
            out.kv(1, label, info.get(key, ""))
    if spec.get("podCIDR"):
        out.kv(0, "PodCIDR", spec["podCIDR"])
        out.kv(0, "PodCIDRs", ",".join(spec.get("podCIDRs") or [spec["podCIDR"]]))
    if spec.get("providerID"):
        out.kv(0, "ProviderID", spec["providerID"])
    if "pods" in related:
        pods = related["pods"]
        out.kv(0, "Non-terminated Pods", f"({len(pods)} in total)")
        out.row(1, "Namespace", "Name", "CPU Requests", "Memory Requests", "Age")
        out.row(1, "---------", "----", "------------", "---------------", "---")
        for p in sorted(
            pods,
            key=lambda p: (
                (p.get("metadata") or {}).get("namespace", ""),
                (p.get("metadata") or {}).get("name", ""),
            ),
        ):
            pm = p.get("metadata") or {}
            cpu, mem = _pod_requests(p)
            out.row(
                1,
                pm.get("namespace", ""),
                pm.get("name", ""),
                cpu,
                mem,
                fmt.age(pm.get("creationTimestamp")),
            )
    _events(out, events, fmt)


def _pod_requests(pod: Mapping[str, Any]) -> tuple[str, str]:
    cpu, mem = [], []
    for c in (pod.get("spec") or {}).get("containers") or []:
        req = (c.get("resources") or {}).get("requests") or {}
        if "cpu" in req:
            cpu.append(str(req["cpu"]))
        if "memory" in req:
            mem.append(str(req["memory"]))
    return "+".join(cpu) or "0", "+".join(mem) or "0"


def _describe_service(
    obj: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    related: Mapping[str, Sequence[Mapping[str, Any]]],
    fmt: _Fmt,
    out: _Out,
) -> None:
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    out.kv(0, "Name", meta.get("name"))
    out.kv(0, "Namespace", meta.get("namespace"))
    out.multi(0, "Labels", _labels(meta.get("labels")))
    out.multi(0, "Annotations", _annotations(meta.get("annotations")))
    out.kv(0, "Selector", ",".join(_labels(spec.get("selector"))) or NONE)
    out.kv(0, "Type", spec.get("type", "ClusterIP"))
    if spec.get("ipFamilyPolicy"):
        out.kv(0, "IP Family Policy", spec["ipFamilyPolicy"])
    if spec.get("ipFamilies"):
        out.kv(0, "IP Families", ",".join(spec["ipFamilies"]))
    out.kv(0, "IP", spec.get("clusterIP", ""))
    if spec.get("clusterIPs"):
        out.kv(0, "IPs", ",".join(spec["clusterIPs"]))
    if spec.get("externalName"):
        out.kv(0, "External Name", spec["externalName"])
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        addrs = [
            (i.get("ip") or i.get("hostname") or "")
            + (f" ({i['ipMode']})" if i.get("ipMode") else "")
            for i in ingress
        ]
        out.kv(0, "LoadBalancer Ingress", ", ".join(addrs))
    slices = related.get("endpointslices")
    for p in spec.get("ports") or []:
        name = p.get("name") or "<unset>"
        proto = p.get("protocol", "TCP")
        out.kv(0, "Port", f"{name}  {p.get('port')}/{proto}")
        out.kv(0, "TargetPort", f"{p.get('targetPort', p.get('port'))}/{proto}")
        if p.get("nodePort"):
            out.kv(0, "NodePort", f"{name}  {p['nodePort']}/{proto}")
        if slices is not None:
            out.kv(0, "Endpoints", _endpoints(slices, p.get("name")) or NONE)
    out.kv(0, "Session Affinity", spec.get("sessionAffinity", "None"))
    if spec.get("externalTrafficPolicy"):
        out.kv(0, "External Traffic Policy", spec["externalTrafficPolicy"])
    if spec.get("internalTrafficPolicy"):
        out.kv(0, "Internal Traffic Policy", spec["internalTrafficPolicy"])
    _events(out, events, fmt)


def _endpoints(slices: Sequence[Mapping[str, Any]], port_name: str | None) -> str:
    addrs: list[str] = []
    for s in slices:
        ports = [p.get("port") for p in s.get("ports") or [] if p.get("name") == port_name]
        for ep in s.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready") is False:
                continue
            for a in ep.get("addresses") or []:
                addrs.extend(f"{a}:{port}" for port in ports or [""])
    return ",".join(addrs)


def _describe_secret(
    obj: Mapping[str, Any], events: Sequence[Mapping[str, Any]], fmt: _Fmt, out: _Out
) -> None:
    _common_meta(out, obj.get("metadata") or {}, fmt, created=False)
    out.text()
    out.kv(0, "Type", obj.get("type", "Opaque"))
    out.text()
    out.text("Data")
    out.text("====")
    # Sizes only, never values: describe output ends up in screenshots and tickets.
    for key, size in secret_keys(obj):
        out.kv(0, key, f"{size} bytes")
    if events:
        out.text()
        _events(out, events, fmt)


def _describe_configmap(
    obj: Mapping[str, Any], events: Sequence[Mapping[str, Any]], fmt: _Fmt, out: _Out
) -> None:
    _common_meta(out, obj.get("metadata") or {}, fmt, created=False)
    out.text()
    out.text("Data")
    out.text("====")
    for key, value in sorted((obj.get("data") or {}).items()):
        out.text(f"{key}:")
        out.text("----")
        for line in str(value).split("\n"):
            out.text(line)
        out.text()
    out.text()
    out.text("BinaryData")
    out.text("====")
    for key, value in sorted((obj.get("binaryData") or {}).items()):
        size = len(base64.b64decode(value)) if isinstance(value, str) else 0
        out.kv(0, key, f"{size} bytes")
    out.text()
    _events(out, events, fmt)


# --------------------------------------------------------------------------------------------
# Any other kind
# --------------------------------------------------------------------------------------------

_ACRONYMS = {
    "api",
    "ip",
    "ips",
    "uid",
    "id",
    "url",
    "dns",
    "tls",
    "cidr",
    "cpu",
    "os",
    "http",
    "tcp",
    "udp",
    "ttl",
    "ca",
    "pvc",
    "qos",
}


def smart_label(key: str) -> str:
    """kubectl's generic describer labels: ``creationTimestamp`` -> ``Creation Timestamp``.

    Keys that are not plain camelCase identifiers (label keys, ``app.kubernetes.io/name``,
    map keys with dashes) are printed as they are.
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key):
        return key
    # Acronym runs stay whole, plural ones too: podIPs -> Pod IPs, HTTPGet -> HTTP Get.
    words = re.findall(r"[A-Z]{2,}s?(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+", key)
    out = []
    for w in words:
        lw = w.lower()
        if lw in _ACRONYMS:
            out.append("IPs" if lw == "ips" else lw.upper())
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def _scalar(value: Any) -> str:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _flatten(out: _Out, level: int, key: str, value: Any) -> None:
    label = smart_label(key)
    if isinstance(value, dict):
        if not value:
            return
        out.head(level, label)
        for k, v in value.items():
            _flatten(out, level + 1, k, v)
    elif isinstance(value, list):
        if not value:
            return
        if all(not isinstance(v, dict | list) for v in value):
            out.multi(level, label, [_scalar(v) for v in value])
            return
        out.head(level, label)
        for item in value:
            if isinstance(item, dict):
                for k, v in item.items():
                    _flatten(out, level + 1, k, v)
            else:
                out.text(f"{'  ' * (level + 1)}{_scalar(item)}")
    else:
        out.kv(level, label, _scalar(value))


def _describe_generic(
    obj: Mapping[str, Any], events: Sequence[Mapping[str, Any]], fmt: _Fmt, out: _Out
) -> None:
    meta = obj.get("metadata") or {}
    _common_meta(out, meta, fmt, created=False)
    out.kv(0, "API Version", obj.get("apiVersion", ""))
    out.kv(0, "Kind", obj.get("kind", ""))
    rest_meta = {
        k: v
        for k, v in meta.items()
        if k not in ("name", "namespace", "labels", "annotations", "managedFields")
    }
    _flatten(out, 0, "metadata", rest_meta)
    keys = [k for k in obj if k not in ("apiVersion", "kind", "metadata", "status")]
    keys.sort(key=lambda k: (k != "spec", k))
    for key in keys:
        _flatten(out, 0, key, obj[key])
    status = obj.get("status")
    conditions: list[Any] = []
    if isinstance(status, dict):
        conditions = status.get("conditions") or []
        _flatten(out, 0, "status", {k: v for k, v in status.items() if k != "conditions"})
    elif status is not None:
        _flatten(out, 0, "status", status)
    if conditions and all(isinstance(c, dict) for c in conditions):
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "Reason", "Message")
        out.row(1, "----", "------", "------", "-------")
        for c in conditions:
            message = " ".join(str(c.get("message", "")).split())
            out.row(1, c.get("type", ""), c.get("status", ""), c.get("reason", ""), message)
    _events(out, events, fmt)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def describe(
    obj: Mapping[str, Any],
    events: Iterable[Mapping[str, Any]] = (),
    *,
    related: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    now: float | None = None,
    tz: tzinfo | None = None,
) -> str:
    """``kubectl describe`` text for ``obj`` with its ``events`` (see `events_for`).

    ``related`` comes from `related_for` (a deployment's replicasets...); without it those
    lines are left out. Times are shown in ``tz`` (None: the local zone) and ages are
    relative to ``now`` (None: the current time); tests pass both for stable output.
    """
    import time

    fmt = _Fmt(time.time() if now is None else now, tz)
    events = list(events)
    rel = related or {}
    out = _Out()
    kind = obj.get("kind")
    if kind == "Pod":
        _describe_pod(obj, events, fmt, out)
    elif kind == "Deployment":
        _describe_deployment(obj, events, rel, fmt, out)
    elif kind == "Node":
        _describe_node(obj, events, rel, fmt, out)
    elif kind == "Service":
        _describe_service(obj, events, rel, fmt, out)
    elif kind == "Secret":
        _describe_secret(obj, events, fmt, out)
    elif kind == "ConfigMap":
        _describe_configmap(obj, events, fmt, out)
    else:
        _describe_generic(obj, events, fmt, out)
    return out.render()
