"""Resource quantities written back as the API server writes them (apimachinery's
``Quantity.String()``), and added as kubectl adds a node's requests."""

from __future__ import annotations

import pytest

from kite_tui.core.kube.quantity import Quantity, canonical


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("33554432Ki", "32Gi"),
        ("33030144Ki", "32256Mi"),
        ("102687672Ki", "102687672Ki"),
        ("1.5Gi", "1536Mi"),
        ("1023Ki", "1023Ki"),
        ("512", "512"),  # binary below 1Ki is shown in decimal
        ("1000m", "1"),
        ("0.5", "500m"),
        ("0.1m", "100u"),
        ("1000", "1k"),
        ("1500", "1500"),
        ("94636136346", "94636136346"),
        ("1e3", "1e3"),
        ("0", "0"),
        ("-250m", "-250m"),
    ],
)
def test_canonical_form(given: str, stored: str) -> None:
    assert canonical(given) == stored


def test_sums_keep_the_first_format_and_round_up() -> None:
    total = Quantity() + Quantity.parse("128Mi") + Quantity.parse("100M")
    # the sum stays binary (the first's format) and, not a whole Ki, reads in bytes
    assert (str(total), total.format) == ("234217728", "BinarySI")
    assert str(Quantity.parse("1Gi") + Quantity.parse("512Mi")) == "1536Mi"
    assert str(Quantity.parse("100m") + Quantity.parse("20m")) == "120m"
    assert Quantity.parse("1500m").value() == 2 and Quantity.parse("1.0001m").milli_value() == 2
    assert canonical("not-a-quantity") == "not-a-quantity"
