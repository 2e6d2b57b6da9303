"""The Kubernetes API itself: routing a request to discovery, list, get, watch, logs,
metrics or a write, and producing the response body (or a stream of chunks).

This module knows nothing of sockets: :func:`handle` takes a :class:`Request` and
returns a :class:`Response` whose ``stream`` (for watches and followed logs) is an
iterator of byte chunks that the HTTP layer writes with chunked encoding. Faults and
authentication are applied by the HTTP layer before a request gets here, except RBAC
(``faults.allowed_namespaces``), which needs to know the resource and namespace.
"""

from __future__ import annotations

import base64
import binascii
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kite_tui.sim import controllers, metrics, tables
from kite_tui.sim.discovery import Discovery
from kite_tui.sim.faults import Faults, forbidden, status_object
from kite_tui.sim.logs import LogError, LogHub, format_lines, select_lines
from kite_tui.sim.resources import ResourceType, find_in_group
from kite_tui.sim.selectors import (
    SelectorError,
    label_predicate,
    parse_field_selector,
    supported_fields,
)
from kite_tui.sim.store import AlreadyExists, Entry, Expired, NotFound, ObjectStore, dumps

if TYPE_CHECKING:
    from kite_tui.sim.store import Watcher

DEFAULT_WATCH_TIMEOUT = 1800.0


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Response:
    code: int
    body: bytes = b""
    content_type: str = "application/json"
    stream: Iterator[bytes] | None = None
    headers: dict[str, str] = field(default_factory=dict)


class DropConnection(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised by a stream to make the HTTP layer cut the connection abruptly."""


@dataclass
class ApiContext:
    """What the API needs from the server that runs it."""

    store: ObjectStore
    faults: Faults
    logs: LogHub
    discovery: Discovery
    stop: threading.Event
    bookmark_interval: Callable[[], float]
    on_watch: Callable[[int], None]  # +1 when a watch stream opens, -1 when it ends
    clock: Callable[[], float] = time.time


def status(
    code: int, message: str | None = None, reason: str | None = None, details: dict | None = None
) -> Response:
    return Response(code, dumps(status_object(code, message, reason, details)))


def _not_found(rtype: ResourceType, name: str) -> Response:
    details = {"name": name, "kind": rtype.plural}
    if rtype.group:
        details["group"] = rtype.group
    return status(404, f'{rtype.qualified} "{name}" not found', "NotFound", details)


NOT_FOUND_PATH = "the server could not find the requested resource"


# --------------------------------------------------------------- negotiation
@dataclass
class Wanted:
    """What representation the client asked for in its Accept header."""

    kind: str = "json"  # json | table | metadata
    meta_version: str = "v1"


def negotiate(accept: str) -> Wanted:
    for part in accept.split(","):
        params = {}
        for p in part.split(";")[1:]:
            if "=" in p:
                k, v = p.split("=", 1)
                params[k.strip()] = v.strip()
        if params.get("g") == "meta.k8s.io" and params.get("v") in ("v1", "v1beta1"):
            if params.get("as") == "Table":
                return Wanted("table", params["v"])
            if params.get("as") in ("PartialObjectMetadataList", "PartialObjectMetadata"):
                return Wanted("metadata", params["v"])
    return Wanted()


# --------------------------------------------------------------------- tables
def _pom(entry: Entry, version: str = "v1") -> bytes:
    key = "pom" + version
    cached = entry.cache.get(key)
    if cached is None:
        cached = (
            b'{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/'
            + version.encode()
            + b'","metadata":'
            + dumps(entry.obj.get("metadata", {}))
            + b"}"
        )
        entry.cache[key] = cached
    return cached


def _row_spec(entry: Entry) -> tuple[list, bytes | None]:
    spec = entry.cache.get("row")
    if spec is None:
        kind = entry.rtype.kind
        cells = tables.row_for(kind, entry.obj)
        conds = tables.pod_row_conditions(entry.obj) if kind == "Pod" else None
        spec = (cells, dumps(conds) if conds else None)
        entry.cache["row"] = spec
    return spec


def table_row(entry: Entry, include: str, version: str, now: float) -> bytes:
    cells, conds = _row_spec(entry)
    out = b'{"cells":' + dumps(tables.render_cells(cells, now))
    if conds:
        out += b',"conditions":' + conds
    if include == "Object":
        out += b',"object":' + entry.raw
    elif include != "None":
        out += b',"object":' + _pom(entry, version)
    return out + b"}"


def table_body(
    kind: str,
    entries: list[Entry],
    meta: dict,
    include: str,
    version: str,
    now: float,
    *,
    headers: bool = True,
) -> bytes:
    parts = [
        b'{"kind":"Table","apiVersion":"meta.k8s.io/',
        version.encode(),
        b'","metadata":',
        dumps(meta),
    ]
    if headers:
        parts += [b',"columnDefinitions":', dumps(tables.columns_for(kind))]
    parts += [b',"rows":[', b",".join(table_row(e, include, version, now) for e in entries), b"]}"]
    return b"".join(parts)


# -------------------------------------------------------------------- routing
@dataclass
class Target:
    rtype: ResourceType
    namespace: str | None
    name: str | None
    sub: str | None


def _resolve(group: str, version: str, segs: list[str]) -> Target | None:
    watch_prefix = bool(segs) and segs[0] == "watch"
    if watch_prefix:
        segs = segs[1:]
    if len(segs) >= 3 and segs[0] == "namespaces":
        ns, plural, rest = segs[1], segs[2], segs[3:]
    else:
        ns, plural, rest = None, segs[0] if segs else "", segs[1:]
    rtype = find_in_group(group, version, plural)
    if rtype is None or len(rest) > 2:
        return None
    if ns is not None and not rtype.namespaced:
        return None
    name = rest[0] if rest else None
    sub = rest[1] if len(rest) > 1 else None
    return Target(rtype, ns, name, sub)


def handle(ctx: ApiContext, req: Request) -> Response:
    """Serve one Kubernetes API request."""
    segs = [s for s in req.path.split("/") if s]
    d = ctx.discovery
    if req.path in ("/version", "/version/"):
        return Response(200, d.version)
    if req.path in ("/healthz", "/livez", "/readyz"):
        return Response(200, b"ok", "text/plain; charset=utf-8")
    if not segs or segs[0] not in ("api", "apis"):
        return Response(404, b"404 page not found\n", "text/plain; charset=utf-8")
    if segs[0] == "api":
        if len(segs) == 1:
            return Response(200, d.api)
        if segs[1] != "v1":
            return status(404, NOT_FOUND_PATH, "NotFound", {})
        group, version, rest = "", "v1", segs[2:]
    else:
        if len(segs) == 1:
            return Response(200, d.apis)
        if len(segs) == 2:
            body = d.groups.get(segs[1])
            return Response(200, body) if body else status(404, NOT_FOUND_PATH, "NotFound", {})
        group, version, rest = segs[1], segs[2], segs[3:]
    gv = f"{group}/{version}" if group else version
    if not rest:
        body = d.lists.get(gv)
        return Response(200, body) if body else status(404, NOT_FOUND_PATH, "NotFound", {})
    target = _resolve(group, version, rest)
    if target is None:
        return status(404, NOT_FOUND_PATH, "NotFound", {})
    watching = rest[0] == "watch" or req.query.get("watch") in ("true", "1")
    return _resource(ctx, req, target, watching)


def _verb(req: Request, target: Target, watching: bool) -> str:
    if req.method == "GET":
        if watching:
            return "watch"
        return "get" if target.name else "list"
    return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}.get(
        req.method, req.method.lower()
    )


def _rbac(ctx: ApiContext, verb: str, target: Target) -> Response | None:
    allowed = ctx.faults.allowed_namespaces
    if allowed is None:
        return None
    r = target.rtype
    if r.namespaced and target.namespace in allowed:
        return None
    resource = r.plural + (f"/{target.sub}" if target.sub else "")
    return Response(
        403,
        dumps(forbidden(ctx.faults.user, verb, resource, r.group, target.namespace, target.name)),
    )


def _resource(ctx: ApiContext, req: Request, t: Target, watching: bool) -> Response:
    verb = _verb(req, t, watching)
    denied = _rbac(ctx, verb, t)
    if denied is not None:
        return denied
    r = t.rtype
    if r.group == "metrics.k8s.io":
        if req.method != "GET" or watching:
            return status(405, f"{verb} is not supported on {r.qualified}", "MethodNotAllowed")
        return _metrics(ctx, req, t)
    if t.sub == "log" and r.kind == "Pod" and req.method == "GET":
        return _logs(ctx, req, t)
    if t.sub == "scale" and r.kind in controllers.SCALABLE:
        return _scale(ctx, req, t)
    if t.sub not in (None, "status"):
        return status(404, NOT_FOUND_PATH, "NotFound", {})
    if req.method == "GET":
        if t.name and not watching:
            entry = ctx.store.get_entry(r, t.namespace, t.name)
            if entry is None:
                return _not_found(r, t.name)
            return _single(ctx, req, entry)
        return _list_or_watch(ctx, req, t, watching)
    return _write(ctx, req, t)


def _single(ctx: ApiContext, req: Request, entry: Entry) -> Response:
    want = negotiate(req.headers.get("accept", ""))
    if want.kind == "table":
        include = req.query.get("includeObject", "Metadata")
        meta = {"resourceVersion": str(entry.rv)}
        return Response(
            200,
            table_body(entry.rtype.kind, [entry], meta, include, want.meta_version, ctx.clock()),
        )
    if want.kind == "metadata":
        return Response(200, _pom(entry, want.meta_version))
    return Response(200, entry.raw)


def _selectors(req: Request, r: ResourceType):
    lp = label_predicate(req.query.get("labelSelector"))
    fp = parse_field_selector(req.query.get("fieldSelector"), supported_fields(r.kind))
    return lp, fp


def _encode_continue(rv: int, key: tuple[str, str]) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": list(key)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    pad = "=" * (-len(token) % 4)
    data = json.loads(base64.urlsafe_b64decode(token + pad))
    return int(data["rv"]), (str(data["start"][0]), str(data["start"][1]))


def _list_or_watch(ctx: ApiContext, req: Request, t: Target, watching: bool) -> Response:
    r = t.rtype
    try:
        lp, fp = _selectors(req, r)
    except SelectorError as exc:
        return status(400, str(exc), "BadRequest")
    if watching:
        return _watch(ctx, req, t, lp, fp)
    try:
        limit = int(req.query.get("limit") or 0)
    except ValueError:
        return status(400, "limit must be an integer", "BadRequest")
    after = None
    token_rv = None
    if req.query.get("continue"):
        try:
            token_rv, after = _decode_continue(req.query["continue"])
        except (ValueError, KeyError, IndexError, TypeError, binascii.Error):
            return status(
                400,
                "continue key is not valid: incorrect encoded start "
                "resourceVersion (version meta.k8s.io/v1)",
                "BadRequest",
            )
        if token_rv < ctx.store.oldest_resource_version:
            return status(
                410,
                "The provided continue parameter is too old to display a "
                "consistent list result. You can start a new list without the "
                "continue parameter.",
                "Expired",
            )
    entries, rv, next_key, remaining = ctx.store.list_entries(
        r, t.namespace, lp, fp, limit=max(limit, 0), after=after
    )
    if token_rv is not None:
        rv = token_rv
    meta: dict = {"resourceVersion": str(rv)}
    if next_key is not None:
        meta["continue"] = _encode_continue(rv, next_key)
        meta["remainingItemCount"] = remaining
    want = negotiate(req.headers.get("accept", ""))
    if want.kind == "table":
        include = req.query.get("includeObject", "Metadata")
        return Response(
            200, table_body(r.kind, entries, meta, include, want.meta_version, ctx.clock())
        )
    if want.kind == "metadata":
        head = (
            b'{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/'
            + want.meta_version.encode()
            + b'","metadata":'
            + dumps(meta)
            + b',"items":['
        )
        return Response(200, head + b",".join(_pom(e, want.meta_version) for e in entries) + b"]}")
    head = (
        b'{"kind":"'
        + r.list_kind.encode()
        + b'","apiVersion":"'
        + r.api_version.encode()
        + b'","metadata":'
        + dumps(meta)
        + b',"items":['
    )
    return Response(200, b"".join((head, b",".join(e.raw for e in entries), b"]}")))


# ---------------------------------------------------------------------- watch
def _watch(ctx: ApiContext, req: Request, t: Target, lp, fp) -> Response:
    r = t.rtype
    rv_param = req.query.get("resourceVersion") or ""
    try:
        rv = int(rv_param) if rv_param else 0
    except ValueError:
        return status(400, f"invalid resourceVersion: {rv_param}", "BadRequest")
    if t.name:
        name = t.name
        inner = fp

        def fp(o: dict) -> bool:
            return o["metadata"]["name"] == name and (inner is None or inner(o))

    try:
        timeout = float(req.query.get("timeoutSeconds") or 0) or DEFAULT_WATCH_TIMEOUT
    except ValueError:
        return status(400, "timeoutSeconds must be a number", "BadRequest")
    bookmarks = req.query.get("allowWatchBookmarks") in ("true", "1")
    want = negotiate(req.headers.get("accept", ""))
    include = req.query.get("includeObject", "Metadata")
    try:
        watcher = ctx.store.watch(
            r,
            t.namespace,
            resource_version=rv or None,
            label_pred=lp,
            field_pred=fp,
            allow_bookmarks=bookmarks,
        )
    except Expired as exc:
        err = dumps({"type": "ERROR", "object": status_object(410, str(exc), "Expired")})
        return Response(200, stream=iter([err + b"\n"]))
    return Response(200, stream=_watch_stream(ctx, watcher, timeout, want, include))


# How often a quiet watch lets the HTTP layer look whether its client went away.
HEARTBEAT_S = 0.25


def _watch_stream(
    ctx: ApiContext, w: Watcher, timeout: float, want: Wanted, include: str
) -> Iterator[bytes]:
    r = w.rtype
    deadline = time.monotonic() + max(timeout, 0.0)
    interval = ctx.bookmark_interval()
    next_bookmark = time.monotonic() + interval
    first_table = True

    def encode(kind: str, entry: Entry) -> bytes:
        nonlocal first_table
        if want.kind == "table":
            body = table_body(
                r.kind,
                [entry],
                {"resourceVersion": str(entry.rv)},
                include,
                want.meta_version,
                ctx.clock(),
                headers=first_table,
            )
            first_table = False
        elif want.kind == "metadata":
            body = _pom(entry, want.meta_version)
        else:
            body = entry.raw
        return b'{"type":"' + kind.encode() + b'","object":' + body + b"}\n"

    def bookmark(rv: int) -> bytes:
        if want.kind == "table":
            obj = {
                "kind": "Table",
                "apiVersion": f"meta.k8s.io/{want.meta_version}",
                "metadata": {"resourceVersion": str(rv)},
                "rows": [],
            }
        else:
            obj = {
                "kind": r.kind,
                "apiVersion": r.api_version,
                "metadata": {"resourceVersion": str(rv)},
            }
        return dumps({"type": "BOOKMARK", "object": obj}) + b"\n"

    ctx.on_watch(+1)
    try:
        yield b""  # the watch is registered and counted: send the headers
        while True:
            now = time.monotonic()
            if now >= deadline:
                if w.allow_bookmarks:
                    yield bookmark(ctx.store.resource_version)
                return
            wait = min(deadline - now, HEARTBEAT_S)
            if w.allow_bookmarks:
                wait = min(wait, max(next_bookmark - now, 0.0))
            try:
                item = w.queue.get(timeout=wait)
            except queue.Empty:
                if w.allow_bookmarks and time.monotonic() >= next_bookmark:
                    next_bookmark = time.monotonic() + interval
                    yield bookmark(ctx.store.resource_version)
                else:
                    yield b""  # a heartbeat: the HTTP layer checks the client is still there
                continue
            chunk: list[bytes] = []
            closing: str | None = None
            while True:
                if item[0] == "event":
                    chunk.append(encode(item[1], item[2]))
                elif item[0] == "bookmark":
                    chunk.append(bookmark(item[1]))
                else:
                    closing = item[1]
                    break
                if len(chunk) >= 500:
                    break
                try:
                    item = w.queue.get_nowait()
                except queue.Empty:
                    break
            if chunk:
                yield b"".join(chunk)
            if closing == "expired":
                yield (
                    dumps(
                        {
                            "type": "ERROR",
                            "object": status_object(
                                410, "too old resource version: expired by the simulator", "Expired"
                            ),
                        }
                    )
                    + b"\n"
                )
                return
            if closing in ("drop", "stop"):
                raise DropConnection(closing)
            if closing == "end":
                return
    finally:
        ctx.store.unwatch(w)
        ctx.on_watch(-1)


# ----------------------------------------------------------------------- logs
def _int_param(req: Request, name: str) -> int | None:
    v = req.query.get(name)
    return int(v) if v not in (None, "") else None


def _logs(ctx: ApiContext, req: Request, t: Target) -> Response:
    q = req.query
    previous = q.get("previous") in ("true", "1")
    follow = q.get("follow") in ("true", "1")
    try:
        tail = _int_param(req, "tailLines")
        since_s = _int_param(req, "sinceSeconds")
        limit_bytes = _int_param(req, "limitBytes")
    except ValueError as exc:
        return status(400, str(exc), "BadRequest")
    assert t.name is not None and t.namespace is not None
    try:
        _pod, _container, buf = ctx.logs.resolve(t.namespace, t.name, q.get("container"), previous)
    except KeyError:
        return _not_found(t.rtype, t.name)
    except LogError as exc:
        return status(400, str(exc), "BadRequest")
    text = "text/plain"
    if buf is None:
        return Response(200, b"", text)
    since = ctx.clock() - since_s if since_s is not None else None
    timestamps = q.get("timestamps") in ("true", "1")
    lines = list(buf.lines)
    first = select_lines(lines, tail=tail, since=since)
    body = format_lines(first, timestamps)
    if limit_bytes is not None:
        body = body[:limit_bytes]
    if not follow or previous or buf.finished:
        return Response(200, body, text)

    def stream() -> Iterator[bytes]:
        sent = len(body)
        yield body
        index = len(lines)
        while not ctx.stop.is_set():
            new = ctx.logs.wait_lines(buf, index, ctx.stop)
            if new is None:
                return
            if not new:
                continue
            index += len(new)
            out = format_lines(new, timestamps)
            if limit_bytes is not None:
                out = out[: max(limit_bytes - sent, 0)]
            sent += len(out)
            yield out
            if limit_bytes is not None and sent >= limit_bytes:
                return

    return Response(200, content_type=text, stream=stream())


# -------------------------------------------------------------------- metrics
def _metrics(ctx: ApiContext, req: Request, t: Target) -> Response:
    r = t.rtype
    now = ctx.clock()
    try:
        lp, fp = _selectors(req, r)
    except SelectorError as exc:
        return status(400, str(exc), "BadRequest")
    items = (
        metrics.node_metrics(ctx.store, now)
        if r.kind == "NodeMetrics"
        else metrics.pod_metrics(ctx.store, t.namespace, now)
    )
    if t.name:
        for item in items:
            if item["metadata"]["name"] == t.name:
                return Response(200, dumps(item))
        return _not_found(r, t.name)
    items = [
        i
        for i in items
        if (lp is None or lp(i["metadata"].get("labels") or {})) and (fp is None or fp(i))
    ]
    return Response(
        200,
        dumps({"kind": r.list_kind, "apiVersion": r.api_version, "metadata": {}, "items": items}),
    )


# ---------------------------------------------------------------------- scale
def _scale(ctx: ApiContext, req: Request, t: Target) -> Response:
    r = t.rtype
    assert t.name is not None and t.namespace is not None
    current = ctx.store.get(r.qualified, t.namespace, t.name)
    if current is None:
        return _not_found(r, t.name)
    if req.method == "GET":
        return Response(200, dumps(controllers.scale_object(current)))
    if req.method not in ("PUT", "PATCH"):
        return status(405, f"{req.method} is not supported on scale", "MethodNotAllowed")
    try:
        body = json.loads(req.body or b"{}")
    except ValueError:
        return status(400, "the request body is not valid JSON", "BadRequest")
    wanted = merge_patch(controllers.scale_object(current), body)
    try:
        replicas = int(wanted["spec"]["replicas"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return status(422, "spec.replicas must be an integer", "Invalid")
    if replicas < 0:
        return status(
            422,
            f"spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
            "Invalid",
        )
    updated = controllers.scale(ctx.store, r.kind, t.namespace, t.name, replicas)
    return Response(200, dumps(controllers.scale_object(updated)))


# --------------------------------------------------------------------- writes
def merge_patch(target: object, patch: object) -> object:
    """RFC 7386 JSON merge patch (also used for strategic merge patches)."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def _write(ctx: ApiContext, req: Request, t: Target) -> Response:
    r, store = t.rtype, ctx.store
    try:
        body = json.loads(req.body) if req.body else {}
    except ValueError:
        return status(400, "the request body is not valid JSON", "BadRequest")
    if req.method == "POST" and not t.name:
        if not isinstance(body, dict):
            return status(400, "the request body must be an object", "BadRequest")
        body.setdefault("kind", r.kind)
        body.setdefault("apiVersion", r.api_version)
        if r.namespaced:
            body.setdefault("metadata", {})["namespace"] = t.namespace or "default"
        try:
            return Response(201, dumps(store.create(body)))
        except AlreadyExists as exc:
            return status(
                409,
                str(exc),
                "AlreadyExists",
                {"name": body.get("metadata", {}).get("name"), "kind": r.plural},
            )
        except ValueError as exc:
            return status(422, str(exc), "Invalid")
    if not t.name:
        return status(405, f"{req.method} is not supported on a collection", "MethodNotAllowed")
    try:
        if req.method == "DELETE":
            return Response(200, dumps(store.delete(r.qualified, t.namespace, t.name)))
        if req.method == "PUT":
            body.setdefault("kind", r.kind)
            body.setdefault("metadata", {}).update(name=t.name)
            if r.namespaced:
                body["metadata"]["namespace"] = t.namespace
            return Response(200, dumps(store.update(body)))
        if req.method == "PATCH":
            ctype = req.headers.get("content-type", "")
            if "json-patch" in ctype:
                return status(
                    415, "json-patch is not supported by the simulator", "UnsupportedMediaType"
                )
            with store.lock:
                current = store.get(r.qualified, t.namespace, t.name)
                if current is None:
                    raise NotFound(t.name)
                patched = merge_patch(current, body)
                assert isinstance(patched, dict)
                patched["metadata"]["name"] = t.name
                return Response(200, dumps(store.update(patched)))
    except NotFound:
        return _not_found(r, t.name)
    return status(405, f"{req.method} is not supported", "MethodNotAllowed")
