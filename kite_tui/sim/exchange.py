"""What the simulator's API layer passes around: a `Request` (parsed by the HTTP layer), a
`Response` (a body, or a stream of chunks for watches and followed logs), the `ApiContext`
a request is served in, the `Target` it names, `Status` bodies, and the query parameters
more than one verb reads (selectors, integers)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kite_tui.sim.discovery import Discovery
from kite_tui.sim.faults import Faults, status_object
from kite_tui.sim.logs import LogHub
from kite_tui.sim.resources import ResourceType
from kite_tui.sim.selectors import (
    label_predicate,
    parse_field_selector,
    supported_fields,
)
from kite_tui.sim.store import ObjectStore, dumps


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

    def current_discovery(self) -> Discovery:
        """The discovery documents, rebuilt when the served types changed (a CRD)."""
        d = self.discovery
        if d.generation != self.store.registry.generation:
            d = self.discovery = Discovery(d.server_address, self.store.registry)
        return d


def status(
    code: int, message: str | None = None, reason: str | None = None, details: dict | None = None
) -> Response:
    return Response(code, dumps(status_object(code, message, reason, details)))


def not_found(rtype: ResourceType, name: str) -> Response:
    details = {"name": name, "kind": rtype.plural}
    if rtype.group:
        details["group"] = rtype.group
    return status(404, f'{rtype.qualified} "{name}" not found', "NotFound", details)


NOT_FOUND_PATH = "the server could not find the requested resource"


# -------------------------------------------------------------------- targets
@dataclass
class Target:
    rtype: ResourceType
    namespace: str | None
    name: str | None
    sub: str | None
    version: str = ""
    """The version the request names ("" or the stored one: objects as stored; see
    `kite_tui.sim.conversions`)."""


# ----------------------------------------------------------- query parameters
def int_param(req: Request, name: str) -> int | None:
    v = req.query.get(name)
    return int(v) if v not in (None, "") else None


def selectors_of(req: Request, r: ResourceType):
    lp = label_predicate(req.query.get("labelSelector"))
    fp = parse_field_selector(req.query.get("fieldSelector"), supported_fields(r.kind))
    return lp, fp
