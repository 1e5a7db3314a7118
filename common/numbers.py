"""Numbers as a reader of the active language writes them: Indonesian "1.234,56",
English "1,234.56". One function for the pages, the PDFs and the exports, so a
figure reads the same everywhere; a zero is a figure ("0", "0,00"), only a
missing value is a dash."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language

MISSING = "—"

# (decimal separator, thousands separator) per language; English for the others.
SEPARATORS = {"id": (",", "."), "en": (".", ",")}


def _separators(language: str | None) -> tuple[str, str]:
    code = (language or get_language() or "id").lower().split("-")[0]
    return SEPARATORS.get(code, SEPARATORS["en"])


def to_decimal(value: Any) -> Decimal | None:
    """`value` as a finite Decimal (an int, a float, a Decimal or a decimal string
    written with a point), or None when it is no number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = (
            Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
        )
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def format_number(
    value: Any, places: int | None = None, *, language: str | None = None
) -> str:
    """`value` for the active language (or `language`): rounded half up to
    `places` decimals when given, else with the places it has; thousands grouped.
    None or "" is the dash; text that is no number is returned as it is."""
    if value is None or value == "":
        return MISSING
    number = to_decimal(value)
    if number is None:
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    decimal_sep, thousands_sep = _separators(language)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _point, fraction = text.partition(".")
    formatted = _group(whole, thousands_sep)
    if fraction:
        formatted += decimal_sep + fraction
    return sign + formatted
