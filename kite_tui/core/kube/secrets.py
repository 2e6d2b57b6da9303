"""A Secret's data: its keys with their decoded sizes, and one value decoded for showing.

Pure: plain Python over the object's JSON (dicts), no I/O. Values are shown only when asked
for, one at a time (describe shows sizes only).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

__all__ = ["secret_keys", "secret_value"]


def _decode(obj: Mapping[str, Any], key: str) -> bytes | None:
    value = (obj.get("data") or {}).get(key)
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def secret_keys(obj: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(key, decoded size in bytes) for every key of a Secret's ``data``, sorted by key."""
    out = []
    for key in sorted(obj.get("data") or {}):
        raw = _decode(obj, key)
        out.append((key, len(raw) if raw is not None else 0))
    return out


_PRINTABLE_CONTROL = {"\n", "\r", "\t"}


def secret_value(obj: Mapping[str, Any], key: str) -> str:
    """The decoded value of one key: text as is, binary data as a short note with a hex
    preview (binary would garble the terminal). Raises KeyError for an unknown key."""
    if key not in (obj.get("data") or {}):
        raise KeyError(key)
    raw = _decode(obj, key)
    if raw is None:
        return "<invalid base64>"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(c.isprintable() or c in _PRINTABLE_CONTROL for c in text):
        return text
    preview = raw[:32].hex(" ")
    more = " …" if len(raw) > 32 else ""
    return f"<binary, {len(raw)} bytes> {preview}{more}"
