"""``kubectl describe`` for one object: `describe`, and the `DESCRIBERS` it picks from.

Everything here is pure: plain Python over the object's JSON (dicts), the events and the
related objects fetched by `kite_tui.core.kube.objects`; no I/O, no Textual.

It follows ``kubectl describe`` closely (its labels, its order, its tab-aligned columns) so
that what an SRE reads in kite-tui is what their runbooks and muscle memory expect. As in
kubectl, there is one describer per kind, all with one signature (`Describer`: a `Subject`
and a `PrefixWriter`), in a table keyed by API group and kind (as kubectl's, so a custom
resource that happens to be called ``Job`` is not taken for a batch Job); a kind without
one, custom resources included, gets kubectl's generic layout.

A package rather than one module: the describers together are about three thousand lines.
`writer` is the prefix writer and its port of Go's text/tabwriter, `common` what the
describers share (the `Subject`, time formatting, metadata, conditions and events blocks),
and one module per group of kinds: `pods`, `workloads`, `nodes`, `services` (and ingresses),
`network` (endpoints, slices, network policies, ingress classes), `storage` (claims,
volumes, classes), `namespaces`, `policy` (autoscalers, disruption budgets, quotas, limit
ranges, priority classes), `rbac` (service accounts, roles, bindings), `certificates`,
`data` and `generic`. Kinds kubectl describes generically (Event, Lease...) are left to
`generic` here too.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import tzinfo
from typing import Any

from kite_tui.core.kube.describe.certificates import describe_csr
from kite_tui.core.kube.describe.common import Describer, Subject, TimeFormat
from kite_tui.core.kube.describe.data import describe_configmap, describe_secret
from kite_tui.core.kube.describe.generic import describe_generic, smart_label
from kite_tui.core.kube.describe.namespaces import describe_namespace
from kite_tui.core.kube.describe.network import (
    describe_endpoint_slice,
    describe_endpoints,
    describe_ingress_class,
    describe_network_policy,
)
from kite_tui.core.kube.describe.nodes import describe_node
from kite_tui.core.kube.describe.pods import describe_pod
from kite_tui.core.kube.describe.policy import (
    describe_hpa,
    describe_limit_range,
    describe_pdb,
    describe_priority_class,
    describe_resource_quota,
)
from kite_tui.core.kube.describe.rbac import (
    describe_binding,
    describe_role,
    describe_service_account,
)
from kite_tui.core.kube.describe.services import describe_ingress, describe_service
from kite_tui.core.kube.describe.storage import describe_pv, describe_pvc, describe_storage_class
from kite_tui.core.kube.describe.workloads import (
    describe_cronjob,
    describe_daemonset,
    describe_deployment,
    describe_job,
    describe_replicaset,
    describe_statefulset,
)
from kite_tui.core.kube.describe.writer import PrefixWriter, tabwrite

__all__ = [
    "DESCRIBERS",
    "Describer",
    "PrefixWriter",
    "Subject",
    "describe",
    "describer_for",
    "smart_label",
    "tabwrite",
]

DESCRIBERS: dict[tuple[str, str], Describer] = {
    ("", "Pod"): describe_pod,
    ("", "Node"): describe_node,
    ("", "Service"): describe_service,
    ("", "Secret"): describe_secret,
    ("", "ConfigMap"): describe_configmap,
    ("", "Namespace"): describe_namespace,
    ("", "PersistentVolumeClaim"): describe_pvc,
    ("apps", "Deployment"): describe_deployment,
    ("apps", "StatefulSet"): describe_statefulset,
    ("apps", "DaemonSet"): describe_daemonset,
    ("apps", "ReplicaSet"): describe_replicaset,
    ("batch", "Job"): describe_job,
    ("batch", "CronJob"): describe_cronjob,
    ("networking.k8s.io", "Ingress"): describe_ingress,
    ("autoscaling", "HorizontalPodAutoscaler"): describe_hpa,
    ("policy", "PodDisruptionBudget"): describe_pdb,
    ("", "ResourceQuota"): describe_resource_quota,
    ("", "LimitRange"): describe_limit_range,
    ("scheduling.k8s.io", "PriorityClass"): describe_priority_class,
    ("", "PersistentVolume"): describe_pv,
    ("storage.k8s.io", "StorageClass"): describe_storage_class,
    ("", "Endpoints"): describe_endpoints,
    ("discovery.k8s.io", "EndpointSlice"): describe_endpoint_slice,
    ("networking.k8s.io", "NetworkPolicy"): describe_network_policy,
    ("networking.k8s.io", "IngressClass"): describe_ingress_class,
    ("", "ServiceAccount"): describe_service_account,
    ("rbac.authorization.k8s.io", "Role"): describe_role,
    ("rbac.authorization.k8s.io", "ClusterRole"): describe_role,
    ("rbac.authorization.k8s.io", "RoleBinding"): describe_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): describe_binding,
    ("certificates.k8s.io", "CertificateSigningRequest"): describe_csr,
}
"""The describer of each (API group, kind) with a layout of its own, as kubectl's
``describerMap``; any other: `describe_generic`."""


def describer_for(obj: Mapping[str, Any]) -> Describer:
    """The describer for ``obj``, by the group of its ``apiVersion`` and its ``kind``."""
    api_version = str(obj.get("apiVersion") or "")
    group = api_version.rpartition("/")[0]
    return DESCRIBERS.get((group, str(obj.get("kind") or "")), describe_generic)


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
    describer_for(obj)(subject, out)
    return out.render()
