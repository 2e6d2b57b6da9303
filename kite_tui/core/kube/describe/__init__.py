"""``kubectl describe`` for one object: `describe`, and the `DESCRIBERS` it picks from.

Everything here is pure: plain Python over the object's JSON (dicts), the events and the
related objects fetched by `kite_tui.core.kube.objects`; no I/O, no Textual.

It follows ``kubectl describe`` closely (its labels, its order, its tab-aligned columns) so
that what an SRE reads in kite-tui is what their runbooks and muscle memory expect. As in
kubectl, there is one describer per kind, all with one signature (`Describer`: a `Subject`
and a `PrefixWriter`), in a table keyed by kind; a kind without one, custom resources
included, gets kubectl's generic layout.

A package rather than one module: the describers together are about a thousand lines.
`writer` is the prefix writer and its port of Go's text/tabwriter, `common` what the
describers share (the `Subject`, time formatting, metadata, conditions and events blocks),
and one module per group of kinds (`pods`, `workloads`, `nodes`, `services`, `data`,
`generic`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import tzinfo
from typing import Any

from kite_tui.core.kube.describe.common import Describer, Subject, TimeFormat
from kite_tui.core.kube.describe.data import describe_configmap, describe_secret
from kite_tui.core.kube.describe.generic import describe_generic, smart_label
from kite_tui.core.kube.describe.nodes import describe_node
from kite_tui.core.kube.describe.pods import describe_pod
from kite_tui.core.kube.describe.services import describe_service
from kite_tui.core.kube.describe.workloads import describe_deployment
from kite_tui.core.kube.describe.writer import PrefixWriter, tabwrite

__all__ = [
    "DESCRIBERS",
    "Describer",
    "PrefixWriter",
    "Subject",
    "describe",
    "smart_label",
    "tabwrite",
]

DESCRIBERS: dict[str, Describer] = {
    "Pod": describe_pod,
    "Deployment": describe_deployment,
    "Node": describe_node,
    "Service": describe_service,
    "Secret": describe_secret,
    "ConfigMap": describe_configmap,
}
"""The describer of each kind with a layout of its own; any other kind: `describe_generic`."""


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
    times = TimeFormat(time.time() if now is None else now, tz)
    subject = Subject(obj, list(events), related or {}, times)
    out = PrefixWriter()
    DESCRIBERS.get(str(obj.get("kind")), describe_generic)(subject, out)
    return out.render()
