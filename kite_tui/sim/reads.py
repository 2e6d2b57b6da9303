"""Reading resources: get, list (paged, with continue tokens) and watch (with bookmarks,
heartbeats and 410 Gone), each as JSON, a ``PartialObjectMetadata`` or the server-side
Table kubectl asks for."""

from __future__ import annotations

import base64
import binascii
import json
import queue
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kite_tui.sim import conversions, crds, tables
from kite_tui.sim.exchange import (
    ApiContext,
    DropConnection,
    Request,
    Response,
    Target,
    selectors_of,
    status,
)
from kite_tui.sim.faults import status_object
from kite_tui.sim.resources import ResourceType
from kite_tui.sim.selectors import SelectorError
from kite_tui.sim.store import Entry, Expired, dumps

if TYPE_CHECKING:
    from kite_tui.sim.store import Watcher


DEFAULT_WATCH_TIMEOUT = 1800.0
# How long a read from a resourceVersion the store has not reached waits for it before the
# 504 "Too large resource version" (the API server's watch cache waits 3 s).
TOO_LARGE_WAIT_S = 3.0


def too_large(ctx: ApiContext, rv: int) -> dict | None:
    """The Status a real API server answers a list or watch from resourceVersion ``rv``
    with when it has not reached it within `TOO_LARGE_WAIT_S` (a client that saw a
    restarted, rebuilt cluster's former versions), else None once it has."""
    if ctx.faults.future_versions or ctx.store.wait_fresh(rv, TOO_LARGE_WAIT_S):
        return None
    current = ctx.store.resource_version
    return status_object(
        504,
        f"Timeout: Too large resource version: {rv}, current: {current}",
        "Timeout",
        {
            "causes": [
                {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
            ],
            "retryAfterSeconds": 1,
        },
    )


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
def pom(entry: Entry, version: str = "v1") -> bytes:
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


def printer_of(rtype: ResourceType) -> tables.Printer:
    """How the server prints a type: a custom resource by its CRD's columns."""
    if rtype.custom_columns is not None:
        return crds.printer(rtype.custom_columns)
    return tables.PRINTERS.get(rtype.kind, tables.DEFAULT)


def _row_spec(entry: Entry) -> tuple[list, bytes | None]:
    spec = entry.cache.get("row")
    if spec is None:
        kind = entry.rtype.kind
        cells = printer_of(entry.rtype).cells(entry.obj)
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
        out += b',"object":' + pom(entry, version)
    return out + b"}"


def table_body(
    rtype: ResourceType,
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
        parts += [b',"columnDefinitions":', dumps(printer_of(rtype).columns)]
    parts += [b',"rows":[', b",".join(table_row(e, include, version, now) for e in entries), b"]}"]
    return b"".join(parts)


def get_one(ctx: ApiContext, req: Request, entry: Entry, version: str = "") -> Response:
    want = negotiate(req.headers.get("accept", ""))
    if want.kind == "table":
        include = req.query.get("includeObject", "Metadata")
        meta = {"resourceVersion": str(entry.rv)}
        return Response(
            200,
            table_body(entry.rtype, [entry], meta, include, want.meta_version, ctx.clock()),
        )
    if want.kind == "metadata":
        return Response(200, pom(entry, want.meta_version))
    return Response(200, conversions.body(entry, version))


def _encode_continue(rv: int, key: tuple[str, str]) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": list(key)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    pad = "=" * (-len(token) % 4)
    data = json.loads(base64.urlsafe_b64decode(token + pad))
    return int(data["rv"]), (str(data["start"][0]), str(data["start"][1]))


def list_or_watch(ctx: ApiContext, req: Request, t: Target, watching: bool) -> Response:
    r = t.rtype
    try:
        lp, fp = selectors_of(req, r)
    except SelectorError as exc:
        return status(400, str(exc), "BadRequest")
    if watching:
        return _watch(ctx, req, t, lp, fp)
    try:
        limit = int(req.query.get("limit") or 0)
        list_rv = int(req.query.get("resourceVersion") or 0)
    except ValueError:
        return status(400, "limit and resourceVersion must be integers", "BadRequest")
    if list_rv and not req.query.get("continue"):
        late = too_large(ctx, list_rv)
        if late is not None:
            return Response(504, dumps(late))
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
        return Response(200, table_body(r, entries, meta, include, want.meta_version, ctx.clock()))
    if want.kind == "metadata":
        head = (
            b'{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/'
            + want.meta_version.encode()
            + b'","metadata":'
            + dumps(meta)
            + b',"items":['
        )
        return Response(200, head + b",".join(pom(e, want.meta_version) for e in entries) + b"]}")
    head = (
        b'{"kind":"'
        + r.list_kind.encode()
        + b'","apiVersion":"'
        + conversions.api_version(r, t.version).encode()
        + b'","metadata":'
        + dumps(meta)
        + b',"items":['
    )
    items = b",".join(conversions.body(e, t.version) for e in entries)
    return Response(200, b"".join((head, items, b"]}")))


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
    if rv:
        late = too_large(ctx, rv)
        if late is not None:  # a watch's failure past the headers is an ERROR event
            return Response(200, stream=iter([dumps({"type": "ERROR", "object": late}) + b"\n"]))
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
    return Response(200, stream=_watch_stream(ctx, watcher, timeout, want, include, t.version))


# How often a quiet watch lets the HTTP layer look whether its client went away.
HEARTBEAT_S = 0.25


def _watch_stream(
    ctx: ApiContext, w: Watcher, timeout: float, want: Wanted, include: str, version: str = ""
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
                r,
                [entry],
                {"resourceVersion": str(entry.rv)},
                include,
                want.meta_version,
                ctx.clock(),
                headers=first_table,
            )
            first_table = False
        elif want.kind == "metadata":
            body = pom(entry, want.meta_version)
        else:
            body = conversions.body(entry, version)
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
