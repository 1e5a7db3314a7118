"""Score bands and the final score across stages. Pure."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from judging.scoring import Number, StageId, exact, round_half_up

NOT_ASSESSABLE = "Tidak dapat dinilai"


def score_band(
    *,
    score: Number | None,
    bands: Iterable[tuple[Number, str]],
    missing_label: str = NOT_ASSESSABLE,
) -> str:
    """The label of the highest band whose threshold ``score`` reaches
    (``score >= threshold``), e.g. ``[(60, "Sangat Inovatif"), (35, "Inovatif"),
    (0, "Kurang Inovatif")]``; ``missing_label`` when ``score`` is ``None``."""
    ordered = sorted(bands, key=lambda band: band[0], reverse=True)
    if not ordered:
        raise ValueError("at least one band is needed")
    thresholds = [threshold for threshold, _ in ordered]
    if len(set(thresholds)) != len(thresholds):
        raise ValueError("two bands share a threshold")
    if score is None:
        return missing_label
    for threshold, label in ordered:
        if score >= threshold:
            return label
    raise ValueError(f"{score} is below the lowest band ({thresholds[-1]})")


def final_score(
    *,
    stage_scores: Mapping[StageId, Number | None],
    weights: Mapping[StageId, Number],
) -> Decimal | None:
    """``sum(weight_s * score_s) / sum(weight_s)``, rounded half up to two places
    from the exact value; ``None`` when a stage with a positive weight has no score
    for the entry (stages are not renormalized away, see the module docstring)."""
    unknown = set(stage_scores) - set(weights)
    if unknown:
        raise ValueError(f"scores for stages without a weight: {sorted(unknown)}")
    exact_weights = {
        stage: Fraction(exact(weight, "a stage weight"))
        for stage, weight in weights.items()
    }
    if any(weight < 0 for weight in exact_weights.values()):
        raise ValueError("stage weights must not be negative")
    total_weight = sum(exact_weights.values())
    if total_weight == 0:
        raise ValueError("at least one stage weight must be positive")
    total = Fraction(0)
    for stage, weight in exact_weights.items():
        if weight == 0:
            continue
        score = stage_scores.get(stage)
        if score is None:
            return None
        total += weight * Fraction(exact(score, "a stage score"))
    result = total / total_weight
    return round_half_up(result.numerator, result.denominator)
