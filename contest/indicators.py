"""An indicator stage's rubric: each criterion (an "indicator") has levels, each
with a label, the points it gives and the evidence it needs. The lowest score of
an indicator is 0 and its highest the highest points of its levels."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from common.errors import DomainError

MIN_LEVELS = 2
MAX_LEVELS = 20
MAX_POINTS = Decimal("9999.99")
LABEL_LENGTH = 200
EVIDENCE_LENGTH = 2000


def _error(message: str) -> DomainError:
    return DomainError(message, field="levels")


def _points(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _error(_("Each level's points must be a number."))
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        raise _error(_("Each level's points must be a number.")) from None
    if not points.is_finite() or points < 0 or points > MAX_POINTS:
        raise _error(_("Each level's points must be between 0 and 9999.99."))
    if points != points.quantize(Decimal("0.01")):
        raise _error(_("Give each level's points with at most two decimals."))
    return points


def _level(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _error(_("Each level needs a label, its points and the evidence."))
    label, evidence = value.get("label"), value.get("evidence", "")
    if not isinstance(label, str) or not label.strip():
        raise _error(_("Each level needs a label."))
    if not isinstance(evidence, str):
        raise _error(_("Say what evidence each level needs, as text."))
    if len(label) > LABEL_LENGTH or len(evidence) > EVIDENCE_LENGTH:
        raise _error(_("A level's label or evidence text is too long."))
    points = _points(value.get("points"))
    number: int | float = int(points) if points == int(points) else float(points)
    return {"label": label.strip(), "points": number, "evidence": evidence.strip()}


def clean_levels(value: Any) -> list[dict[str, Any]]:
    """The levels as stored, or a DomainError naming `levels`."""
    if not isinstance(value, list):
        raise _error(_("Give the levels as a list of {label, points, evidence}."))
    if not MIN_LEVELS <= len(value) <= MAX_LEVELS:
        raise _error(_("An indicator has between 2 and 20 levels."))
    levels = [_level(item) for item in value]
    labels = [level["label"].casefold() for level in levels]
    if len(set(labels)) != len(labels):
        raise _error(_("Give each level its own label."))
    if max(Decimal(str(level["points"])) for level in levels) <= 0:
        raise _error(_("At least one level must give points."))
    return levels


def indicator_fields(levels: Any) -> dict[str, Any]:
    """What an indicator's levels decide of its criterion row: the levels as
    stored, its lowest score (0) and its highest (the highest points)."""
    cleaned = clean_levels(levels)
    return {
        "levels": cleaned,
        "min_score": Decimal(0),
        "max_score": max(Decimal(str(level["points"])) for level in cleaned),
    }


def level_points(levels: list[dict[str, Any]], level: int | None) -> Decimal | None:
    """The points of the level at position `level`, or None."""
    if level is None or not 0 <= level < len(levels or []):
        return None
    return Decimal(str(levels[level]["points"]))
