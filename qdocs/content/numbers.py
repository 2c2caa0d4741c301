"""How numbers are printed in documents and messages (content checks and scoring share it)."""

from __future__ import annotations

from decimal import Decimal


def num(value: Decimal | int) -> str:
    """A number as Chinese documents print it: no exponent, no trailing zeros (97.20 → 97.2)."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text
