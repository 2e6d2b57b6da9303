"""Persistent volume claims: class, status, volume, capacity and the pods using them
(kubectl's ``describePersistentVolumeClaim``)."""

from __future__ import annotations

from kite_tui.core.kube.describe.common import (
    Subject,
    pvc_class,
    write_events,
    write_labels,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.quantity import canonical

__all__ = ["describe_pvc"]

_MODES = {
    "ReadWriteOnce": "RWO",
    "ReadOnlyMany": "ROX",
    "ReadWriteMany": "RWX",
    "ReadWriteOncePod": "RWOP",
}


def _access_modes(modes: list[str]) -> str:
    """kubectl's ``GetAccessModesAsString``: in its fixed order, duplicates dropped."""
    return ",".join(short for mode, short in _MODES.items() if mode in modes)


def describe_pvc(subject: Subject, out: PrefixWriter) -> None:
    obj, meta, spec, status, fmt = (
        subject.obj,
        subject.meta,
        subject.spec,
        subject.status,
        subject.times,
    )
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    out.kv(0, "StorageClass", pvc_class(obj), empty="")
    if meta.get("deletionTimestamp"):
        out.kv(0, "Status", f"Terminating (lasts {fmt.age(meta['deletionTimestamp'])})")
    else:
        out.kv(0, "Status", status.get("phase", ""), empty="")
    out.kv(0, "Volume", spec.get("volumeName", ""), empty="")
    write_labels(out, meta)
    out.kv(0, "Finalizers", f"[{' '.join(meta.get('finalizers') or [])}]")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = _access_modes(status.get("accessModes") or [])
        storage = (status.get("capacity") or {}).get("storage")
        capacity = canonical(storage) if storage is not None else "0"
    out.kv(0, "Capacity", capacity, empty="")
    out.kv(0, "Access Modes", modes, empty="")
    if spec.get("volumeMode") is not None:
        out.kv(0, "VolumeMode", spec["volumeMode"])
    source = spec.get("dataSource")
    if source is not None:
        out.head(0, "DataSource")
        if source.get("apiGroup") is not None:
            out.kv(1, "APIGroup", source["apiGroup"])
        out.kv(1, "Kind", source.get("kind", ""), empty="")
        out.kv(1, "Name", source.get("name", ""), empty="")
    users = sorted(
        str((p.get("metadata") or {}).get("name", "")) for p in subject.related.get("pods") or []
    )
    out.multi(0, "Used By", users or [NONE])
    conditions = status.get("conditions") or []
    if conditions:
        out.head(0, "Conditions")
        out.row(1, "Type", "Status", "LastProbeTime", "LastTransitionTime", "Reason", "Message")
        out.row(1, "----", "------", "-----------------", "------------------", "------", "-------")
        for c in conditions:
            out.row(
                1,
                f"{c.get('type', '')} ",
                f"{c.get('status', '')} ",
                f"{fmt.when(c.get('lastProbeTime'))} ",
                f"{fmt.when(c.get('lastTransitionTime'))} ",
                f"{c.get('reason', '')} ",
                c.get("message", ""),
            )
    write_events(out, subject.events, fmt)
