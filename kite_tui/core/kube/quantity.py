"""Kubernetes resource quantities (``100m``, ``128Mi``, ``1.5Gi``, ``1e3``): parsed, added,
compared, and written in the canonical form the API server returns (apimachinery's
``resource.Quantity.String()``), so sums such as a node's allocated requests read as kubectl
prints them and the simulator stores what a real server would (``32Gi``, never
``33554432Ki``).

A value is kept exactly, as an integer count of nano-units (the finest precision a server
keeps: finer input is rounded up, as apimachinery does), with the format its text was in
(binary ``Ki``..., decimal ``m``/``k``/``M``..., or an ``e`` exponent), which decides how it
is written back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

__all__ = ["BINARY_SI", "DECIMAL_EXPONENT", "DECIMAL_SI", "Quantity", "canonical"]

BINARY_SI = "BinarySI"
DECIMAL_SI = "DecimalSI"
DECIMAL_EXPONENT = "DecimalExponent"

_NANO = 10**9
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {e: s for s, e in _DECIMAL.items()}
_BINARY_SUFFIX = {e: s for s, e in _BINARY.items()}
_SYNTAX = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+))([a-zA-Z]*|[eE][+-]?\d+)")


@dataclass(frozen=True)
class Quantity:
    """An exact quantity: ``nanos`` (the value times 10^9) and the format it is written in."""

    nanos: int = 0
    format: str = DECIMAL_SI

    @classmethod
    def parse(cls, text: object) -> Quantity:
        """Parse a quantity string (or a JSON number); ValueError if it is not one."""
        s = str(text).strip()
        m = _SYNTAX.fullmatch(s)
        if m is None:
            raise ValueError(f"not a quantity: {text!r}")
        number, suffix = m.groups()
        try:
            value = Decimal(number)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
            raise ValueError(f"not a quantity: {text!r}") from exc
        if suffix in _BINARY:
            value *= 1024 ** _BINARY[suffix]
            fmt = BINARY_SI
        elif suffix in _DECIMAL:
            value = value.scaleb(_DECIMAL[suffix])
            fmt = DECIMAL_SI
        elif suffix[:1] in ("e", "E"):
            value = value.scaleb(int(suffix[1:]))
            fmt = DECIMAL_EXPONENT
        else:
            raise ValueError(f"not a quantity: {text!r}")
        nanos = int((value * _NANO).to_integral_value(rounding=ROUND_CEILING))
        return cls(nanos, fmt)

    def __add__(self, other: Quantity) -> Quantity:
        # As apimachinery's Add: the sum keeps this one's format, unless this one is zero.
        return Quantity(self.nanos + other.nanos, other.format if not self.nanos else self.format)

    def __lt__(self, other: Quantity) -> bool:
        return self.nanos < other.nanos

    def value(self) -> int:
        """The value rounded up to an integer (apimachinery's ``Value()``)."""
        return -((-self.nanos) // _NANO)

    def milli_value(self) -> int:
        """The value in thousandths, rounded up (``MilliValue()``)."""
        return -((-self.nanos) // 10**6)

    def __str__(self) -> str:
        n = self.nanos
        if n == 0:
            return "0"
        fmt = self.format
        if fmt == BINARY_SI and (-1024 * _NANO < n < 1024 * _NANO or n % _NANO):
            fmt = DECIMAL_SI  # small or fractional: shown in decimal, never rounded
        sign, n = ("-", -n) if n < 0 else ("", n)
        if fmt == BINARY_SI:
            mantissa, exp = n // _NANO, 0
            while exp < 6 and mantissa % 1024 == 0:
                mantissa //= 1024
                exp += 1
            return f"{sign}{mantissa}{_BINARY_SUFFIX.get(exp, '')}"
        # Decimal: drop factors of ten, then step down to a multiple of three.
        mantissa, exp = n, -9
        while mantissa % 10 == 0:
            mantissa //= 10
            exp += 1
        while exp % 3:
            mantissa *= 10
            exp -= 1
        if fmt == DECIMAL_EXPONENT:
            return f"{sign}{mantissa}" + (f"e{exp}" if exp else "")
        if exp > 18:
            mantissa *= 10 ** (exp - 18)
            exp = 18
        return f"{sign}{mantissa}{_DECIMAL_SUFFIX[exp]}"


def canonical(text: object) -> str:
    """``text`` as the API server writes it back (``33554432Ki`` -> ``32Gi``, ``1000m`` -> ``1``);
    text that is not a quantity is returned unchanged."""
    try:
        return str(Quantity.parse(text))
    except ValueError:
        return str(text)
