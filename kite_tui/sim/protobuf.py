"""Reading the Kubernetes protobuf encoding of the objects kubectl writes.

kubectl's typed clients (``kubectl create namespace|deployment|configmap|secret|service|
job|cronjob``, ``kubectl run``) send built-in kinds as ``application/vnd.kubernetes.protobuf``
and never fall back to JSON: client-go retries as JSON after a 415 only for CBOR. So the
simulator reads protobuf, as a real server does, for the fields those commands fill in.

A body is the magic ``k8s\\x00`` then a ``runtime.Unknown`` (1 typeMeta{1 apiVersion,
2 kind}, 2 raw, 3 contentEncoding, 4 contentType) whose ``raw`` is the object. Field
numbers are those of the kinds' ``generated.proto``; `MESSAGES` holds the ones needed.
Go's encoder writes every non-pointer field even when empty; those zero values are
dropped as Go's ``omitempty`` drops them from JSON, while pointer fields (marked ``*``)
keep a zero they carry (``replicas: 0``). A field the table does not know is skipped when
empty and refused when it carries data, so nothing a client sent is silently lost.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

MAGIC = b"k8s\x00"
CONTENT_TYPE = "application/vnd.kubernetes.protobuf"

# Message name -> "number:jsonName:type ...". Types: s string, i integer, b bool,
# y bytes (base64 in JSON), [T] repeated T, {T} map<string, T>, any other name a
# message below; a trailing * marks a Go pointer field (a zero it carries is kept); the
# JSON name "-" inlines a message's fields into its parent (Go's embedded structs).
_SPEC = {
    "ObjectMeta": "1:name:s 2:generateName:s 3:namespace:s 6:resourceVersion:s "
    "8:creationTimestamp:Time 11:labels:{s} 12:annotations:{s} 14:finalizers:[s]",
    "Time": "1:seconds:i 2:nanos:i",
    "LabelSelector": "1:matchLabels:{s} 2:matchExpressions:[LabelSelectorRequirement]",
    "LabelSelectorRequirement": "1:key:s 2:operator:s 3:values:[s]",
    "IntOrString": "1:type:i 2:intVal:i 3:strVal:s",
    "Quantity": "1:string:s",
    "Namespace": "1:metadata:ObjectMeta 2:spec:NamespaceSpec",
    "NamespaceSpec": "1:finalizers:[s]",
    "ConfigMap": "1:metadata:ObjectMeta 2:data:{s} 3:binaryData:{y} 4:immutable:b*",
    "Secret": "1:metadata:ObjectMeta 2:data:{y} 3:type:s 4:stringData:{s} 5:immutable:b*",
    "Pod": "1:metadata:ObjectMeta 2:spec:PodSpec",
    "PodTemplateSpec": "1:metadata:ObjectMeta 2:spec:PodSpec",
    "PodSpec": "2:containers:[Container] 3:restartPolicy:s 6:dnsPolicy:s "
    "7:nodeSelector:{s} 8:serviceAccountName:s 14:securityContext:PodSecurityContext "
    "20:initContainers:[Container]",
    "PodSecurityContext": "",
    "Container": "1:name:s 2:image:s 3:command:[s] 4:args:[s] 5:workingDir:s "
    "6:ports:[ContainerPort] 7:env:[EnvVar] 8:resources:ResourceRequirements "
    "14:imagePullPolicy:s 16:stdin:b 17:stdinOnce:b 18:tty:b",
    "ContainerPort": "1:name:s 2:hostPort:i 3:containerPort:i 4:protocol:s",
    "EnvVar": "1:name:s 2:value:s",
    "ResourceRequirements": "1:limits:{Quantity} 2:requests:{Quantity}",
    "Deployment": "1:metadata:ObjectMeta 2:spec:DeploymentSpec",
    "DeploymentSpec": "1:replicas:i* 2:selector:LabelSelector 3:template:PodTemplateSpec "
    "4:strategy:DeploymentStrategy 5:minReadySeconds:i 6:revisionHistoryLimit:i* "
    "7:paused:b 9:progressDeadlineSeconds:i*",
    "DeploymentStrategy": "1:type:s",
    "Service": "1:metadata:ObjectMeta 2:spec:ServiceSpec",
    "ServiceSpec": "1:ports:[ServicePort] 2:selector:{s} 3:clusterIP:s 4:type:s "
    "10:externalName:s 18:clusterIPs:[s]",
    "ServicePort": "1:name:s 2:protocol:s 3:port:i 4:targetPort:IntOrString 5:nodePort:i",
    "Job": "1:metadata:ObjectMeta 2:spec:JobSpec",
    "JobSpec": "1:parallelism:i* 2:completions:i* 6:template:PodTemplateSpec 7:backoffLimit:i*",
    "CronJob": "1:metadata:ObjectMeta 2:spec:CronJobSpec",
    "CronJobSpec": "1:schedule:s 5:jobTemplate:JobTemplateSpec",
    "JobTemplateSpec": "1:metadata:ObjectMeta 2:spec:JobSpec",
    "Ingress": "1:metadata:ObjectMeta 2:spec:IngressSpec",
    "IngressSpec": "1:defaultBackend:IngressBackend 2:tls:[IngressTLS] 3:rules:[IngressRule] "
    "4:ingressClassName:s*",
    "IngressRule": "1:host:s 2:-:IngressRuleValue",
    "IngressRuleValue": "1:http:HTTPIngressRuleValue",
    "HTTPIngressRuleValue": "1:paths:[HTTPIngressPath]",
    "HTTPIngressPath": "1:path:s 2:backend:IngressBackend 3:pathType:s*",
    "IngressBackend": "4:service:IngressServiceBackend",
    "IngressServiceBackend": "1:name:s 2:port:ServiceBackendPort",
    "ServiceBackendPort": "1:name:s 2:number:i",
    "IngressTLS": "1:hosts:[s] 2:secretName:s",
    "ServiceAccount": "1:metadata:ObjectMeta 3:imagePullSecrets:[LocalObjectReference] "
    "4:automountServiceAccountToken:b*",
    "LocalObjectReference": "1:name:s",
    "Role": "1:metadata:ObjectMeta 2:rules:[PolicyRule]",
    "ClusterRole": "1:metadata:ObjectMeta 2:rules:[PolicyRule] 3:aggregationRule:AggregationRule",
    "AggregationRule": "1:clusterRoleSelectors:[LabelSelector]",
    "PolicyRule": "1:verbs:[s] 2:apiGroups:[s] 3:resources:[s] 4:resourceNames:[s] "
    "5:nonResourceURLs:[s]",
    "RoleBinding": "1:metadata:ObjectMeta 2:subjects:[Subject] 3:roleRef:RoleRef",
    "ClusterRoleBinding": "1:metadata:ObjectMeta 2:subjects:[Subject] 3:roleRef:RoleRef",
    "Subject": "1:kind:s 2:apiGroup:s 3:name:s 4:namespace:s",
    "RoleRef": "1:apiGroup:s 2:kind:s 3:name:s",
    "ResourceQuota": "1:metadata:ObjectMeta 2:spec:ResourceQuotaSpec",
    "ResourceQuotaSpec": "1:hard:{Quantity} 2:scopes:[s]",
    # value has no omitempty: a zero is printed (hence the * as for a pointer)
    "PriorityClass": "1:metadata:ObjectMeta 2:value:i* 3:globalDefault:b 4:description:s "
    "5:preemptionPolicy:s*",
    "PodDisruptionBudget": "1:metadata:ObjectMeta 2:spec:PodDisruptionBudgetSpec",
    "PodDisruptionBudgetSpec": "1:minAvailable:IntOrString 2:selector:LabelSelector "
    "3:maxUnavailable:IntOrString 4:unhealthyPodEvictionPolicy:s*",
}
# Each kind's status is never read: a real server resets it on create and update.
SCALARS = ("s", "i", "b", "y")
KINDS = (
    *("Namespace", "ConfigMap", "Secret", "Pod", "Deployment", "Service", "Job", "CronJob"),
    *("Ingress", "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    *("ResourceQuota", "PriorityClass", "PodDisruptionBudget"),
)


class ProtobufError(ValueError):
    """A body the simulator cannot read (the message names the field)."""


def _parse_spec() -> dict[str, dict[int, tuple[str, str, bool]]]:
    out: dict[str, dict[int, tuple[str, str, bool]]] = {}
    for message, fields in _SPEC.items():
        table = out[message] = {}
        for entry in fields.split():
            num, name, typ = entry.split(":")
            table[int(num)] = (name, typ.rstrip("*"), typ.endswith("*"))
    return out


MESSAGES = _parse_spec()


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated protobuf varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) of each field of one message."""
    out: list[tuple[int, int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            out.append((num, wire, value))
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise ProtobufError("truncated protobuf field")
            out.append((num, wire, data[pos : pos + length]))
            pos += length
        elif wire in (1, 5):  # fixed64 / fixed32: no field we read uses them
            size = 8 if wire == 1 else 4
            out.append((num, wire, int.from_bytes(data[pos : pos + size], "little")))
            pos += size
        else:
            raise ProtobufError(f"unsupported protobuf wire type {wire}")
    return out


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def _bytes(raw: int | bytes, where: str) -> bytes:
    if not isinstance(raw, bytes):
        raise ProtobufError(f"unexpected protobuf wire type for {where}")
    return raw


def _value(typ: str, raw: int | bytes, where: str) -> Any:
    """One field's JSON value: a scalar, or a message (its JSON form)."""
    if typ in ("i", "b"):
        if not isinstance(raw, int):
            raise ProtobufError(f"unexpected protobuf wire type for {where}")
        return _signed(raw) if typ == "i" else bool(raw)
    raw = _bytes(raw, where)
    if typ == "s":
        return raw.decode()
    if typ == "y":
        return base64.b64encode(raw).decode()
    return _special(typ, _message(typ, raw))


def _special(typ: str, obj: dict[str, Any]) -> Any:
    """The JSON form of the apimachinery types that are not objects in JSON."""
    if typ == "Time":
        if not obj.get("seconds"):
            return None  # a zero Time is null in JSON
        return datetime.fromtimestamp(obj["seconds"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if typ == "IntOrString":
        return obj.get("strVal", "") if obj.get("type") == 1 else obj.get("intVal", 0)
    if typ == "Quantity":
        return obj.get("string", "")
    return obj


def _message(name: str, data: bytes) -> dict[str, Any]:
    table = MESSAGES[name]
    out: dict[str, Any] = {}
    for num, _wire, raw in _fields(data):
        where = f"{name} field {num}"
        if num not in table:
            # Go writes every non-pointer member, empty or not; a kind's status is not read.
            if raw in (0, b"") or name in KINDS:
                continue
            raise ProtobufError(
                f"the simulator does not read {where} of the protobuf encoding; "
                "send this object as JSON"
            )
        key, typ, pointer = table[num]
        if typ.startswith("{"):
            entry = {n: v for n, _w, v in _fields(_bytes(raw, where))}
            out.setdefault(key, {})[_value("s", entry.get(1, b""), where)] = _value(
                typ[1:-1], entry.get(2, b""), where
            )
        elif typ.startswith("["):
            out.setdefault(key, []).append(_value(typ[1:-1], raw, where))
        else:
            value = _value(typ, raw, where)
            if value is None or (typ in SCALARS and not pointer and value in (0, "", False)):
                continue  # what Go's omitempty leaves out of JSON
            if key == "-":
                out.update(value)
            else:
                out[key] = value
    return out


def decode(body: bytes) -> dict:
    """The JSON form of a protobuf-encoded object, as a real server would store it."""
    if not body.startswith(MAGIC):
        raise ProtobufError("the protobuf body does not start with the k8s\\x00 magic")
    unknown = {n: v for n, _w, v in _fields(body[len(MAGIC) :])}
    type_meta = unknown.get(1, b"")
    raw = unknown.get(2, b"")
    if not isinstance(type_meta, bytes) or not isinstance(raw, bytes):
        raise ProtobufError("the protobuf body is not a runtime.Unknown")
    tm = {n: v for n, _w, v in _fields(type_meta)}
    api_version = tm.get(1, b"")
    kind = tm.get(2, b"")
    assert isinstance(api_version, bytes) and isinstance(kind, bytes)
    kind_name = kind.decode()
    if kind_name not in KINDS:
        raise ProtobufError(
            f"the simulator does not read {kind_name or 'this kind'} in protobuf; send JSON"
        )
    obj = _message(kind_name, raw)
    return {"apiVersion": api_version.decode(), "kind": kind_name, **obj}
