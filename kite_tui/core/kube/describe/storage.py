"""Storage: persistent volume claims (class, status, volume, capacity and the pods using
them), persistent volumes (claim, node affinity, source) and storage classes (kubectl's
``describePersistentVolumeClaim``, ``describePersistentVolume``, ``describeStorageClass``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kite_tui.core.kube.describe.common import (
    Subject,
    label_lines,
    pvc_class,
    write_events,
    write_labels,
)
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter
from kite_tui.core.kube.quantity import canonical

__all__ = ["describe_pv", "describe_pvc", "describe_storage_class"]

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


def _go_list(values: Any) -> str:
    """A Go string slice printed with ``%v``: ``[a b]``."""
    return f"[{' '.join(str(v) for v in values or [])}]"


def _node_affinity(out: PrefixWriter, affinity: Mapping[str, Any] | None) -> None:
    required = (affinity or {}).get("required")
    if required is None:
        out.kv(0, "Node Affinity", NONE)
        return
    out.kv(0, "Node Affinity", "", empty="")
    terms = required.get("nodeSelectorTerms") or []
    out.kv(1, "Required Terms", NONE if not terms else "", empty="")
    for i, term in enumerate(terms):
        exprs = term.get("matchExpressions") or []
        if not exprs:
            out.kv(2, f"Term {i}", NONE)
        for j, req in enumerate(exprs):
            text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
            if req.get("values"):
                text += f" [{', '.join(str(v) for v in req['values'])}]"
            if j == 0:
                out.kv(2, f"Term {i}", text)
            else:
                out.kv_more(2, text)


def _go_bool(value: Any) -> str:
    return "true" if value else "false"


def _pv_source(out: PrefixWriter, spec: Mapping[str, Any]) -> None:
    if spec.get("hostPath") is not None:
        src = spec["hostPath"]
        out.kv(2, "Type", "HostPath (bare host directory volume)")
        out.kv(2, "Path", src.get("path", ""), empty="")
        out.kv(2, "HostPathType", src.get("type") or NONE)
    elif spec.get("nfs") is not None:
        src = spec["nfs"]
        out.kv(2, "Type", "NFS (an NFS mount that lasts the lifetime of a pod)")
        out.kv(2, "Server", src.get("server", ""), empty="")
        out.kv(2, "Path", src.get("path", ""), empty="")
        out.kv(2, "ReadOnly", _go_bool(src.get("readOnly")))
    elif spec.get("local") is not None:
        out.kv(2, "Type", "LocalVolume (a persistent volume backed by local storage on a node)")
        out.kv(2, "Path", spec["local"].get("path", ""), empty="")
    elif spec.get("csi") is not None:
        src = spec["csi"]
        out.kv(2, "Type", "CSI (a Container Storage Interface (CSI) volume source)")
        out.kv(2, "Driver", src.get("driver", ""), empty="")
        out.kv(2, "FSType", src.get("fsType", ""), empty="")
        out.kv(2, "VolumeHandle", src.get("volumeHandle", ""), empty="")
        out.kv(2, "ReadOnly", _go_bool(src.get("readOnly")))
        attributes = [
            "    " + (line if len(line) <= 140 else line[:140] + "...")
            for line in label_lines(src.get("volumeAttributes"))
        ]
        # kubectl writes each attribute at the indent of its label a second time
        out.multi(2, "VolumeAttributes", attributes[:1])
        for line in attributes[1:]:
            out.row(4, "", line)
    else:
        out.row(1, "<unknown>")


def describe_pv(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, status, fmt = subject.meta, subject.spec, subject.status, subject.times
    out.kv(0, "Name", meta.get("name"), empty="")
    write_labels(out, meta)
    out.kv(0, "Finalizers", _go_list(meta.get("finalizers")))
    annotations = meta.get("annotations") or {}
    beta_class = "volume.beta.kubernetes.io/storage-class"
    storage_class = (
        annotations[beta_class] if beta_class in annotations else spec.get("storageClassName", "")
    )
    out.kv(0, "StorageClass", storage_class, empty="")
    if meta.get("deletionTimestamp"):
        out.kv(0, "Status", f"Terminating (lasts {fmt.age(meta['deletionTimestamp'])})")
    else:
        out.kv(0, "Status", status.get("phase", ""), empty="")
    claim = spec.get("claimRef")
    claim_text = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    out.kv(0, "Claim", claim_text, empty="")
    out.kv(0, "Reclaim Policy", spec.get("persistentVolumeReclaimPolicy", ""), empty="")
    out.kv(0, "Access Modes", _access_modes(spec.get("accessModes") or []), empty="")
    if spec.get("volumeMode") is not None:
        out.kv(0, "VolumeMode", spec["volumeMode"])
    storage = (spec.get("capacity") or {}).get("storage")
    out.kv(0, "Capacity", canonical(storage) if storage is not None else "0")
    _node_affinity(out, spec.get("nodeAffinity"))
    out.kv(0, "Message", status.get("message", ""), empty="")
    out.head(0, "Source")
    _pv_source(out, spec)
    write_events(out, subject.events, fmt)


def describe_storage_class(subject: Subject, out: PrefixWriter) -> None:
    obj, meta = subject.obj, subject.meta
    annotations = meta.get("annotations") or {}
    default = (
        "Yes"
        if "true"
        in (
            annotations.get("storageclass.kubernetes.io/is-default-class"),
            annotations.get("storageclass.beta.kubernetes.io/is-default-class"),
        )
        else "No"
    )
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "IsDefaultClass", default)
    out.kv(0, "Annotations", ",".join(label_lines(annotations)) or NONE)
    out.kv(0, "Provisioner", obj.get("provisioner", ""), empty="")
    out.kv(0, "Parameters", ",".join(label_lines(obj.get("parameters"))) or NONE)
    expansion = obj.get("allowVolumeExpansion")
    # kubectl's printBool: capitalised, unlike the ``%v`` of a bool elsewhere
    out.kv(0, "AllowVolumeExpansion", "<unset>" if expansion is None else str(bool(expansion)))
    options = obj.get("mountOptions") or []
    if not options:
        out.kv(0, "MountOptions", NONE)
    else:
        out.head(0, "MountOptions")
        for option in options:
            out.row(1, option)
    if obj.get("reclaimPolicy") is not None:
        out.kv(0, "ReclaimPolicy", obj["reclaimPolicy"])
    if obj.get("volumeBindingMode") is not None:
        out.kv(0, "VolumeBindingMode", obj["volumeBindingMode"])
    topologies = obj.get("allowedTopologies")
    if topologies is not None:
        out.kv(0, "AllowedTopologies", NONE if not topologies else "", empty="")
        for i, term in enumerate(topologies):
            exprs = term.get("matchLabelExpressions") or []
            if not exprs:
                out.kv(1, f"Term {i}", NONE)
            for j, req in enumerate(exprs):
                text = f"{req.get('key', '')} in [{', '.join(req.get('values') or [])}]"
                if j == 0:
                    out.kv(1, f"Term {i}", text)
                else:
                    out.kv_more(1, text)
    write_events(out, subject.events, subject.times)
