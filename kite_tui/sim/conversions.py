"""Objects read through an older version of their resource, in that version's shape.

The store keeps one version of each resource (the preferred one); a real API server
converts to whichever version a request names. The simulator serves one such pair, the
HorizontalPodAutoscalers of ``autoscaling/v2`` read through ``autoscaling/v1``
(`kite_tui.sim.resources.OLDER_VERSIONS`), converted as the API server's
pkg/apis/autoscaling/v1/conversion.go does: the CPU utilization target and current value in
v1's own fields, and what v1 cannot hold (other metrics, the current metrics, conditions,
behavior) as JSON in the ``autoscaling.alpha.kubernetes.io/…`` annotations.

`body` gives an entry's JSON bytes in the requested version (cached on the entry).
"""

from __future__ import annotations

import json

from kite_tui.sim.resources import ResourceType
from kite_tui.sim.store import Entry, dumps

__all__ = ["api_version", "body", "hpa_to_v1"]

METRICS = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior"


def _converts(rtype: ResourceType, version: str) -> bool:
    return (
        bool(version)
        and version != rtype.version
        and (rtype.group, rtype.kind, version) == ("autoscaling", "HorizontalPodAutoscaler", "v1")
    )


def api_version(rtype: ResourceType, version: str) -> str:
    """The apiVersion of ``rtype`` read through ``version`` ("" for the stored one)."""
    if _converts(rtype, version):
        return f"{rtype.group}/{version}"
    return rtype.api_version


def body(entry: Entry, version: str) -> bytes:
    """The entry's JSON as read through ``version`` ("" or the stored one: as stored)."""
    if not _converts(entry.rtype, version):
        return entry.raw
    key = "as" + version
    cached = entry.cache.get(key)
    if cached is None:
        cached = entry.cache[key] = dumps(hpa_to_v1(entry.obj))
    return cached


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _some(**fields: object) -> dict:
    return {k: v for k, v in fields.items() if v is not None}


def _metric_spec(m: dict) -> dict | None:
    """A v2 MetricSpec as v1's (None for the CPU utilization target, v1's own field)."""
    kind = m.get("type")
    if kind in ("Resource", "ContainerResource"):
        src = m.get("resource" if kind == "Resource" else "containerResource") or {}
        target = src.get("target") or {}
        if kind == "Resource" and src.get("name") == "cpu" and "averageUtilization" in target:
            return None
        out = _some(
            name=src.get("name"),
            targetAverageUtilization=target.get("averageUtilization"),
            targetAverageValue=target.get("averageValue"),
        )
        if kind == "Resource":
            return {"type": kind, "resource": out}
        return {"type": kind, "containerResource": {**out, "container": src.get("container")}}
    if kind == "Pods":
        src = m.get("pods") or {}
        metric, target = src.get("metric") or {}, src.get("target") or {}
        return {"type": kind, "pods": _some(
            metricName=metric.get("name"),
            targetAverageValue=target.get("averageValue", "0"),
            selector=metric.get("selector"),
        )}  # fmt: skip
    if kind == "Object":
        src = m.get("object") or {}
        metric, target = src.get("metric") or {}, src.get("target") or {}
        return {"type": kind, "object": _some(
            target=src.get("describedObject"),
            metricName=metric.get("name"),
            targetValue=target.get("value", "0"),
            selector=metric.get("selector"),
            averageValue=target.get("averageValue"),
        )}  # fmt: skip
    if kind == "External":
        src = m.get("external") or {}
        metric, target = src.get("metric") or {}, src.get("target") or {}
        return {"type": kind, "external": _some(
            metricName=metric.get("name"),
            metricSelector=metric.get("selector"),
            targetValue=target.get("value"),
            targetAverageValue=target.get("averageValue"),
        )}  # fmt: skip
    return {"type": kind}


def _metric_status(m: dict) -> dict:
    kind = m.get("type")
    if kind in ("Resource", "ContainerResource"):
        src = m.get("resource" if kind == "Resource" else "containerResource") or {}
        current = src.get("current") or {}
        out = _some(
            name=src.get("name"),
            currentAverageUtilization=current.get("averageUtilization"),
            currentAverageValue=current.get("averageValue", "0"),
        )
        if kind == "Resource":
            return {"type": kind, "resource": out}
        return {"type": kind, "containerResource": {**out, "container": src.get("container")}}
    if kind == "Pods":
        src = m.get("pods") or {}
        metric, current = src.get("metric") or {}, src.get("current") or {}
        return {"type": kind, "pods": _some(
            metricName=metric.get("name"),
            currentAverageValue=current.get("averageValue", "0"),
            selector=metric.get("selector"),
        )}  # fmt: skip
    if kind == "Object":
        src = m.get("object") or {}
        metric, current = src.get("metric") or {}, src.get("current") or {}
        return {"type": kind, "object": _some(
            target=src.get("describedObject"),
            metricName=metric.get("name"),
            currentValue=current.get("value", "0"),
            selector=metric.get("selector"),
            averageValue=current.get("averageValue"),
        )}  # fmt: skip
    if kind == "External":
        src = m.get("external") or {}
        metric, current = src.get("metric") or {}, src.get("current") or {}
        return {"type": kind, "external": _some(
            metricName=metric.get("name"),
            metricSelector=metric.get("selector"),
            currentValue=current.get("value", "0"),
            currentAverageValue=current.get("averageValue"),
        )}  # fmt: skip
    return {"type": kind}


def hpa_to_v1(obj: dict) -> dict:
    """An autoscaling/v2 HorizontalPodAutoscaler in the autoscaling/v1 shape."""
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    metrics = spec.get("metrics") or []
    current = st.get("currentMetrics") or []
    conditions = st.get("conditions") or []
    cpu_target = next(
        (
            m["resource"]["target"]["averageUtilization"]
            for m in metrics
            if m.get("type") == "Resource"
            and (m.get("resource") or {}).get("name") == "cpu"
            and "averageUtilization" in (m["resource"].get("target") or {})
        ),
        None,
    )
    cpu_current = next(
        (
            m["resource"]["current"]["averageUtilization"]
            for m in current
            if m.get("type") == "Resource"
            and (m.get("resource") or {}).get("name") == "cpu"
            and "averageUtilization" in (m["resource"].get("current") or {})
        ),
        None,
    )
    meta = dict(obj.get("metadata") or {})
    notes = dict(meta.get("annotations") or {})
    others = [s for s in (_metric_spec(m) for m in metrics) if s is not None]
    if others:
        notes[METRICS] = _compact(others)
    if current:
        notes[CURRENT_METRICS] = _compact([_metric_status(m) for m in current])
    if spec.get("behavior") is not None:
        notes[BEHAVIOR] = _compact(spec["behavior"])
    if conditions:
        notes[CONDITIONS] = _compact(conditions)
    if notes:
        meta["annotations"] = notes
    out_spec = _some(
        scaleTargetRef=spec.get("scaleTargetRef"),
        minReplicas=spec.get("minReplicas"),
        maxReplicas=spec.get("maxReplicas"),
        targetCPUUtilizationPercentage=cpu_target,
    )
    out_status = _some(
        observedGeneration=st.get("observedGeneration"),
        lastScaleTime=st.get("lastScaleTime"),
        currentReplicas=st.get("currentReplicas", 0),
        desiredReplicas=st.get("desiredReplicas", 0),
        currentCPUUtilizationPercentage=cpu_current,
    )
    return {
        "kind": obj.get("kind", "HorizontalPodAutoscaler"),
        "apiVersion": "autoscaling/v1",
        "metadata": meta,
        "spec": out_spec,
        "status": out_status,
    }
