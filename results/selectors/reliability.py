"""A panel's reliability (Krippendorff's alpha) as the pages and the minutes read it."""

from __future__ import annotations

from dataclasses import dataclass

from results.computing import standings
from results.enums import (
    ALPHA_GOOD,
    ALPHA_SHORT,
    ALPHA_TENTATIVE,
    ALPHA_TONES,
    AlphaReading,
)


@dataclass(frozen=True)
class Reliability:
    alpha: str | None
    level: str
    text: str
    tone: str
    short: str


def reliability(alpha: float | None) -> Reliability:
    """Alpha as three-place text with Krippendorff's conventional reading."""
    level = standings.alpha_level(alpha, good=ALPHA_GOOD, tentative=ALPHA_TENTATIVE)
    reading = AlphaReading(level)
    return Reliability(
        alpha=standings.alpha_text(alpha),
        level=level,
        text=str(reading.label),
        tone=ALPHA_TONES[reading],
        short=str(ALPHA_SHORT[reading]),
    )
