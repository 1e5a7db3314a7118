"""`{% load numbers %}`: `{{ value|number }}` or `{{ value|number:2 }}` writes a
figure for the active language (common.numbers.format_number)."""

from __future__ import annotations

from typing import Any

from django import template

from common.numbers import format_number, to_decimal

register = template.Library()


@register.filter(name="number")
def number(value: Any, places: Any = None) -> str:
    """A decimal for the active language: "47,04" in Indonesian, "47.04" in
    English; a zero is "0" (or "0,00"), a missing value "—". A negative
    `places` (as floatformat's) shows that many places only when the value
    is not whole: `|number:"-2"` gives "30" for 30.00 and "2,50" for 2.5."""
    try:
        digits = None if places in (None, "") else int(places)
    except (TypeError, ValueError):
        digits = None
    if digits is not None and digits < 0:
        exact = to_decimal(value)
        digits = -digits
        if exact is not None and exact == exact.to_integral_value():
            digits = 0
    return format_number(value, digits)
