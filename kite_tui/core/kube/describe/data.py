"""Kinds that hold data: secrets (key sizes only, never values) and config maps."""

from __future__ import annotations

import base64

from kite_tui.core.kube.describe.common import Subject, write_events, write_meta
from kite_tui.core.kube.describe.writer import PrefixWriter
from kite_tui.core.kube.secrets import secret_keys

__all__ = ["describe_configmap", "describe_secret"]


def describe_secret(subject: Subject, out: PrefixWriter) -> None:
    obj, fmt = subject.obj, subject.times
    write_meta(out, subject.meta, fmt, created=False)
    out.text()
    out.kv(0, "Type", obj.get("type", "Opaque"))
    out.text()
    out.text("Data")
    out.text("====")
    # Sizes only, never values: describe output ends up in screenshots and tickets.
    for key, size in secret_keys(obj):
        out.kv(0, key, f"{size} bytes")
    # kubectl shows no events for a secret.


def describe_configmap(subject: Subject, out: PrefixWriter) -> None:
    obj, events, fmt = subject.obj, subject.events, subject.times
    write_meta(out, subject.meta, fmt, created=False)
    out.text()
    out.text("Data")
    out.text("====")
    for key, value in sorted((obj.get("data") or {}).items()):
        out.text(f"{key}:")
        out.text("----")
        for line in str(value).split("\n"):
            out.text(line)
        out.text()
    out.text()
    out.text("BinaryData")
    out.text("====")
    for key, value in sorted((obj.get("binaryData") or {}).items()):
        size = len(base64.b64decode(value)) if isinstance(value, str) else 0
        out.kv(0, key, f"{size} bytes")
    out.text()
    write_events(out, events, fmt)
