"""Certificate signing requests: who asks, the signer, the status, and the subject and
alternative names read from the PKCS#10 request itself (kubectl's
``describeCertificateSigningRequest``).

The request is DER inside PEM; the little ASN.1 reading it needs (tag, length, contents)
is here rather than a cryptography dependency: only names are read, nothing is verified.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Iterator, Mapping
from typing import Any

from kite_tui.core.humanize import human_duration
from kite_tui.core.kube.describe.common import Subject, label_lines, write_events
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["describe_csr", "parse_csr_names"]

_SUBJECT_OIDS = {
    "2.5.4.3": "CN",
    "2.5.4.5": "serialNumber",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "street",
    "2.5.4.17": "postalCode",
}
_EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
_SUBJECT_ALT_NAME = "2.5.29.17"


def _items(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The (tag, contents) of each DER element in ``data``."""
    i = 0
    while i < len(data):
        tag, length = data[i], data[i + 1]
        i += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(data[i : i + n], "big")
            i += n
        yield tag, data[i : i + length]
        i += length


def _oid(data: bytes) -> str:
    first, value = data[0], 0
    parts = [str(first // 40), str(first % 40)]
    for byte in data[1:]:
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            parts.append(str(value))
            value = 0
    return ".".join(parts)


def parse_csr_names(pem: bytes) -> dict[str, list[str]]:
    """The subject attributes (``CN``, ``O``...) and alternative names (``DNS``, ``email``,
    ``URI``, ``IP``) of a PEM certificate request; ValueError if it is not one."""
    text = pem.decode("ascii", "replace")
    begin, end = "-----BEGIN CERTIFICATE REQUEST-----", "-----END CERTIFICATE REQUEST-----"
    if begin not in text or end not in text:
        raise ValueError("PEM block type must be CERTIFICATE REQUEST")
    try:
        der = base64.b64decode(text.split(begin, 1)[1].split(end, 1)[0])
        (_, request), *_ = _items(der)
        (_, info), *_ = _items(request)
        _version, (_, subject), _key, *attributes = _items(info)
    except (ValueError, IndexError, binascii.Error) as exc:
        raise ValueError(f"not a certificate request: {exc}") from exc
    names: dict[str, list[str]] = {}
    for _, rdn in _items(subject):
        for _, pair in _items(rdn):
            (_, oid), (_, value) = list(_items(pair))[:2]
            key = _SUBJECT_OIDS.get(_oid(oid))
            if key:
                names.setdefault(key, []).append(value.decode("utf-8", "replace"))
    for tag, attrs in attributes:
        if tag != 0xA0:
            continue
        for _, attr in _items(attrs):
            (_, oid), (_, values) = list(_items(attr))[:2]
            if _oid(oid) != _EXTENSION_REQUEST:
                continue
            for _, extensions in _items(values):
                for _, ext in _items(extensions):
                    parts = list(_items(ext))
                    if _oid(parts[0][1]) == _SUBJECT_ALT_NAME:
                        _alt_names(parts[-1][1], names)
    return names


def _alt_names(octets: bytes, names: dict[str, list[str]]) -> None:
    for _, general_names in _items(octets):
        for tag, value in _items(general_names):
            if tag == 0x82:
                names.setdefault("DNS", []).append(value.decode("ascii", "replace"))
            elif tag == 0x81:
                names.setdefault("email", []).append(value.decode("ascii", "replace"))
            elif tag == 0x86:
                names.setdefault("URI", []).append(value.decode("ascii", "replace"))
            elif tag == 0x87:
                names.setdefault("IP", []).append(str(ipaddress.ip_address(value)))


def _status(status: Mapping[str, Any]) -> str:
    """kubectl's ``extractCSRStatus``: Denied over Approved over Pending, then Failed and
    Issued."""
    types = {c.get("type") for c in status.get("conditions") or []}
    text = "Denied" if "Denied" in types else "Approved" if "Approved" in types else "Pending"
    if "Failed" in types:
        text += ",Failed"
    if status.get("certificate"):
        text += ",Issued"
    return text


def _list(out: PrefixWriter, label: str, values: list[str]) -> None:
    for i, value in enumerate(values):
        out.row(0, "", f"{label}:" if i == 0 else "", value)


def describe_csr(subject: Subject, out: PrefixWriter) -> None:
    meta, spec, fmt = subject.meta, subject.spec, subject.times
    try:
        names = parse_csr_names(base64.b64decode(str(spec.get("request") or "")))
    except (ValueError, binascii.Error) as exc:
        out.text(f"error: Error parsing CSR: {exc}")
        return
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Labels", ",".join(label_lines(meta.get("labels"))) or NONE)
    out.kv(0, "Annotations", ",".join(label_lines(meta.get("annotations"))) or NONE)
    out.kv(0, "CreationTimestamp", fmt.when(meta.get("creationTimestamp")))
    out.kv(0, "Requesting User", spec.get("username", ""), empty="")
    if spec.get("signerName"):
        out.kv(0, "Signer", spec["signerName"])
    if spec.get("expirationSeconds") is not None:
        out.kv(0, "Requested Duration", human_duration(float(spec["expirationSeconds"])))
    out.kv(0, "Status", _status(subject.status))
    out.head(0, "Subject")
    out.row(0, "", "Common Name:", (names.get("CN") or [""])[0])
    out.row(0, "", "Serial Number:", (names.get("serialNumber") or [""])[0])
    for label, key in (
        ("Organization", "O"),
        ("Organizational Unit", "OU"),
        ("Country", "C"),
        ("Locality", "L"),
        ("Province", "ST"),
        ("StreetAddress", "street"),
        ("PostalCode", "postalCode"),
    ):
        _list(out, label, names.get(key) or [])
    if any(names.get(k) for k in ("DNS", "email", "URI", "IP")):
        out.head(0, "Subject Alternative Names")
        _list(out, "DNS Names", names.get("DNS") or [])
        _list(out, "Email Addresses", names.get("email") or [])
        _list(out, "URIs", names.get("URI") or [])
        _list(out, "IP Addresses", names.get("IP") or [])
    write_events(out, subject.events, fmt)
