"""Reading the API's `Status` out of a failure, in every shape a caller meets it: the body of
an error response (the client, the log stream), a watch ERROR event (the feed), and the
bodies of servers that are not quite Kubernetes (a proxy's HTML page, nothing at all)."""

from __future__ import annotations

import json

import pytest
from kubernetes.client.exceptions import ApiException

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import ClusterClient, build_client
from kite_tui.core.kube.errors import ApiStatus, error_text, parse_status, status_message
from kite_tui.core.kube.objects import ObjectRef, get_object
from kite_tui.sim.server import SimServer
from tests.fixed_objects import POD_REF
from tests.helpers import BodyServer, body_server

JSON = "application/json"


def refusal(client: ClusterClient, path: str) -> ApiException:
    """The ApiException a GET of `path` raises, as every caller of the client sees it."""
    with pytest.raises(ApiException) as caught:
        client.request(path)
    return caught.value


def test_an_error_response_from_the_api_server(sim: SimServer, client: ClusterClient) -> None:
    exc = refusal(client, "/api/v1/namespaces/shop/pods/ghost")
    assert parse_status(exc.body) == ApiStatus(404, "NotFound", 'pods "ghost" not found')
    assert status_message(exc) == 'pods "ghost" not found'


def test_a_watch_error_event(sim: SimServer, client: ClusterClient) -> None:
    sim.store.expire_resource_versions()
    resp = client.request(
        "/api/v1/namespaces/shop/pods", [("watch", "1"), ("resourceVersion", "1")]
    )
    try:
        event = json.loads(resp.data)
    finally:
        resp.release_conn()
    assert event["type"] == "ERROR"
    status = parse_status(event["object"])
    assert status is not None
    assert (status.code, status.reason) == (410, "Expired")
    assert status.message  # the server's words for "too old"


def test_the_body_may_be_bytes_or_text() -> None:
    body = {"kind": "Status", "code": 403, "reason": "Forbidden", "message": "no"}
    expected = ApiStatus(403, "Forbidden", "no")
    assert parse_status(json.dumps(body)) == expected
    assert parse_status(json.dumps(body).encode()) == expected


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        (b"upstream connect error", "text/plain"),
        (b"", JSON),
        (b'["not", "a", "status"]', JSON),
        (b'"just a string"', JSON),
    ],
)
def test_a_body_that_is_not_a_status_leaves_the_http_reason(
    servers: list[BodyServer], body: bytes, content_type: str
) -> None:
    server = body_server(servers, (502, content_type, body))
    client = build_client(ClusterSpec(name="proxy", server=server.url), 5)
    try:
        exc = refusal(client, "/api/v1/pods")
    finally:
        client.close()
    assert parse_status(exc.body) is None
    assert status_message(exc) == "Bad Gateway"


def test_a_status_without_a_message_leaves_the_http_reason(servers: list[BodyServer]) -> None:
    body = json.dumps({"kind": "Status", "code": 503, "reason": "ServiceUnavailable"}).encode()
    server = body_server(servers, (503, JSON, body))
    client = build_client(ClusterSpec(name="x", server=server.url), 5)
    try:
        exc = refusal(client, "/version")
    finally:
        client.close()
    assert parse_status(exc.body) == ApiStatus(503, "ServiceUnavailable", "")
    assert status_message(exc) == "Service Unavailable"


def test_with_neither_a_message_nor_a_reason_the_code_speaks() -> None:
    # What the feed raises for a watch ERROR event whose Status has no message.
    assert status_message(ApiException(status=500)) == "HTTP 500"
    assert status_message(ApiException(status=500, reason="boom")) == "boom"


def test_odd_fields_do_not_break_the_parse() -> None:
    status = parse_status({"code": "410", "reason": None, "message": 7})
    assert status == ApiStatus(None, "", "7")
    assert parse_status(None) is None


def test_errors_read_well(sim: SimServer, client: ClusterClient) -> None:
    with pytest.raises(ApiException) as exc:
        get_object(client, ObjectRef("", "v1", "pods", "Pod", "ghost", "shop"))
    assert exc.value.status == 404
    assert error_text(exc.value, client).endswith('pods "ghost" not found')
    sim.faults.allowed_namespaces = {"default"}
    try:
        with pytest.raises(ApiException) as exc:
            get_object(client, POD_REF)
        assert "403 Forbidden" in error_text(exc.value, client)
        assert "cannot get resource" in error_text(exc.value, client)
    finally:
        sim.faults.allowed_namespaces = None
