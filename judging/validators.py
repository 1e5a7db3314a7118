"""Checks shared by the services, the forms and the serializers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from contest.models import Criterion


def number_text(value: Decimal) -> str:
    """A decimal without trailing zeros and never in exponent form: 10, 7.5."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def parse_number(raw: Any) -> Decimal | None:
    """The value as a Decimal, None when empty; ValueError when it is not a number."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    elif isinstance(raw, float):
        raw = repr(raw)
    elif not isinstance(raw, int | Decimal):
        raise ValueError(raw)
    try:
        value = Decimal(raw)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(raw) from exc
    if not value.is_finite():
        raise ValueError(raw)
    return value


def validate_score(criterion: Criterion, raw: Any) -> Decimal | None:
    """The score for `criterion` as a Decimal with two places, None when empty.

    Raises ValidationError when it is not a number, outside [min, max] or off the
    step grid (value - min must be a whole number of steps).
    """
    try:
        value = parse_number(raw)
    except ValueError:
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if value is None:
        return None
    low, high, step = criterion.min_score, criterion.max_score, criterion.step
    if value < low or value > high:
        raise ValidationError(
            _("Enter a score from %(min)s to %(max)s.")
            % {"min": number_text(low), "max": number_text(high)},
            code="range",
        )
    if (value - low) % step != 0:
        raise ValidationError(
            _("Scores go in steps of %(step)s from %(min)s.")
            % {"step": number_text(step), "min": number_text(low)},
            code="step",
        )
    return value.quantize(Decimal("0.01"))


def parse_levels(text: str) -> list[dict[str, Any]]:
    """Level descriptors from lines of "score: description" (for the rubric form)."""
    levels = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        score, sep, description = line.partition(":")
        try:
            value = parse_number(score.replace(",", "."))
        except ValueError:
            value = None
        if not sep or value is None or not description.strip():
            raise ValidationError(
                _('Line %(line)d: write "score: description", e.g. "8: Good".')
                % {"line": number},
                code="levels",
            )
        levels.append(
            {
                "score": int(value) if value == value.to_integral() else float(value),
                "description": description.strip(),
            }
        )
    return sorted(levels, key=lambda level: level["score"])


def levels_text(levels: list[dict[str, Any]]) -> str:
    lines = []
    for level in levels or []:
        if isinstance(level, dict):
            score = number_text(Decimal(str(level.get("score"))))
            lines.append(f"{score}: {level.get('description', '')}")
    return "\n".join(lines)
