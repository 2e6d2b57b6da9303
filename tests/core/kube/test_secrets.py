"""A secret's keys and values, decoded; describe shows sizes only."""

from __future__ import annotations

from datetime import UTC

import pytest

from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.kube.describe import describe
from kite_tui.core.kube.objects import get_object
from kite_tui.core.kube.secrets import secret_keys, secret_value
from tests.fixed_objects import SECRET_REF


def test_secret_keys_and_values(client: ClusterClient) -> None:
    obj = get_object(client, SECRET_REF)
    assert secret_keys(obj) == [("ca.crt", 59), ("keystore", 40), ("password", 15), ("username", 3)]
    assert secret_value(obj, "password") == "s3cr3t-passw0rd"
    assert secret_value(obj, "ca.crt").startswith("-----BEGIN CERTIFICATE-----\nMIIB\n")
    binary = secret_value(obj, "keystore")
    assert binary.startswith("<binary, 40 bytes> 00 01 02") and binary.endswith("…")
    with pytest.raises(KeyError):
        secret_value(obj, "nope")
    text = describe(obj, [], tz=UTC)
    assert "password:  15 bytes" in text
    assert "s3cr3t" not in text  # describe never shows values
