"""A contest's stage weights and score bands, with their defaults."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from contest.models import Contest, Stage
from results import computing
from results.enums import (
    DEFAULT_BANDS,
    DEFAULT_STAGE_WEIGHT,
)
from results.models import (
    ScoreBand,
    StageWeight,
)

# ---------------------------------------------------------------- configuration


def stage_weights(contest: Contest, stages: Iterable[Stage]) -> dict[int, Decimal]:
    """Each scoring stage's weight in the final score (1 when not set)."""
    stored = dict(
        StageWeight.objects.filter(stage__contest=contest).values_list(
            "stage_id", "weight"
        )
    )
    return {stage.pk: stored.get(stage.pk, DEFAULT_STAGE_WEIGHT) for stage in stages}


def score_bands(contest: Contest) -> list[tuple[Decimal, str]]:
    """The contest's bands, highest first; the defaults while it has none."""
    bands = list(
        ScoreBand.objects.filter(contest=contest)
        .order_by("-threshold")
        .values_list("threshold", "label")
    )
    return bands or list(DEFAULT_BANDS)


def band_of(score: Decimal | None, bands: list[tuple[Decimal, str]]) -> str:
    """The band's label; a score below the lowest band gets the lowest band."""
    if score is None:
        return computing.NOT_ASSESSABLE
    lowest = min(threshold for threshold, _label in bands)
    return computing.score_band(score=max(score, lowest), bands=bands)
