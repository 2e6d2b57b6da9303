"""Fetching one object from the simulator: addressing it, and the events about it.

The fixed objects (`web_pod`, `web_events`, `web_secret`) are in `tests.fixed_objects`.
"""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes.client.exceptions import ApiException

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.objects import ObjectRef, events_for, get_object
from kite_tui.sim.server import SimServer
from tests.fixed_objects import POD_REF, POD_UID, pod_event, web_events, web_pod


def test_object_ref_paths() -> None:
    assert POD_REF.path == "/api/v1/namespaces/shop/pods/web-7d4b9c-x2x8k"
    assert POD_REF.display == "Pod shop/web-7d4b9c-x2x8k"
    node = ObjectRef("", "v1", "nodes", "Node", "worker-01")
    assert node.path == "/api/v1/nodes/worker-01"
    deploy = ObjectRef.from_kind_path("/apis/apps/v1", "deployments", "Deployment", "web", "shop")
    assert deploy.path == "/apis/apps/v1/namespaces/shop/deployments/web"
    assert deploy.api_version == "apps/v1" and deploy.kind_path == "/apis/apps/v1"

    class Kind:  # what the resource browser has
        group, version, plural, kind = "batch", "v1", "jobs", "Job"

    assert (
        ObjectRef.of(Kind(), "nightly", "ops").path == "/apis/batch/v1/namespaces/ops/jobs/nightly"
    )
    with pytest.raises(ValueError):
        ObjectRef.from_kind_path("/v1", "pods", "Pod", "x")


def test_events_for_asks_the_server_to_filter_and_sorts(
    sim: SimServer, client: ClusterClient
) -> None:
    mark = sim.mark()
    obj = get_object(client, POD_REF)
    events = events_for(client, obj)
    assert [e["reason"] for e in events] == ["Scheduled", "Pulled", "BackOff"]
    rec = sim.wait_for_request(lambda r: r.path == "/api/v1/namespaces/shop/events", since=mark)
    assert rec.query["fieldSelector"] == f"involvedObject.uid={POD_UID}"


class _NoSelectorClient:
    """A server that refuses field selectors on events (400), as some aggregated APIs do."""

    server = "https://old.example"

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.queries: list[list[tuple[str, Any]]] = []

    def get_json(self, path: str, query: list[tuple[str, Any]] | None = None) -> Any:
        query = query or []
        self.queries.append(query)
        if any(k == "fieldSelector" for k, _ in query):
            raise ApiException(
                status=400, reason="Bad Request", body='{"message": "field label not supported"}'
            )
        return {"items": self.items, "metadata": {}}


def test_events_fall_back_to_filtering_here() -> None:
    fake = _NoSelectorClient(web_events())
    events = events_for(fake, web_pod())  # type: ignore[arg-type]
    assert [e["reason"] for e in events] == ["Scheduled", "Pulled", "BackOff"]
    assert len(fake.queries) == 2


def test_node_events_match_by_name() -> None:
    node = {"kind": "Node", "metadata": {"name": "worker-01", "uid": "abc"}}
    by_name = pod_event("n.1", "NodeReady", "ready", first=0, last=0, uid="worker-01")
    by_name["involvedObject"].update(kind="Node", name="worker-01", namespace="")
    fake = _NoSelectorClient([by_name, web_events()[0]])
    assert [e["reason"] for e in events_for(fake, node)] == ["NodeReady"]  # type: ignore[arg-type]
