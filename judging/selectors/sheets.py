"""Score sheets: the rubric, a sheet's scores and its 0-100 score, peers' sheets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from contest.models import Criterion, Stage
from judging import scoring
from judging.enums import SheetState
from judging.models import Assignment, Score, ScoreSheet


def excluded_sheets(stage: Stage) -> QuerySet[ScoreSheet]:
    """The stage's sheets taken out of the results (kept, with the reason)."""
    return (
        ScoreSheet.objects.filter(assignment__stage=stage, excluded_at__isnull=False)
        .select_related("assignment", "assignment__judge", "assignment__submission")
        .order_by("assignment__submission__title", "assignment__judge__name", "pk")
    )


def submitted_sheet_exists(stage: Stage) -> bool:
    return ScoreSheet.objects.filter(
        assignment__stage=stage, state=SheetState.SUBMITTED
    ).exists()


def scores_by_criterion(sheet: ScoreSheet | None) -> dict[int, Score]:
    if sheet is None:
        return {}
    return {score.criterion_id: score for score in sheet.scores.all()}


def criteria_of(stage: Stage) -> QuerySet[Criterion]:
    return stage.criteria.order_by("order", "pk")


def unscored_criteria(
    criteria: Iterable[Criterion], scores: dict[int, Score]
) -> list[Criterion]:
    return [c for c in criteria if c.pk not in scores or scores[c.pk].value is None]


@dataclass
class PeerSheet:
    judge_label: str
    score: Decimal | None
    cells: list[Decimal | None]
    comment: str


def peer_sheets(assignment: Assignment, criteria: list[Criterion]) -> list[PeerSheet]:
    """The other judges' submitted sheets on the same entry and stage, anonymous
    (Judge A, B, ...), with their 0-100 scores."""
    sheets = (
        ScoreSheet.objects.filter(
            assignment__stage_id=assignment.stage_id,
            assignment__submission_id=assignment.submission_id,
            state=SheetState.SUBMITTED,
        )
        .exclude(assignment_id=assignment.pk)
        .prefetch_related("scores")
        .order_by("assignment__judge_id")
    )
    rubric = prepared_rubric_of(criteria)
    out = []
    for index, sheet in enumerate(sheets):
        values = {score.criterion_id: score.value for score in sheet.scores.all()}
        out.append(
            PeerSheet(
                judge_label=chr(ord("A") + index % 26),
                score=score_of_values(values, rubric),
                cells=[values.get(criterion.pk) for criterion in criteria],
                comment=sheet.comment,
            )
        )
    return out


def rubric_of(criteria: Iterable[Criterion]) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(
            id=c.pk, weight=c.weight, min_score=c.min_score, max_score=c.max_score
        )
        for c in criteria
    ]


def prepared_rubric_of(criteria: Iterable[Criterion]) -> scoring.Rubric | None:
    """The stage's rubric prepared once for all its sheets; ``None`` when it has no
    criteria or cannot score (all weights 0)."""
    try:
        return scoring.prepare_rubric(rubric_of(criteria))
    except ValueError:
        return None


def score_of_values(
    values: dict[int, Decimal | None],
    rubric: list[scoring.Criterion] | scoring.Rubric | None,
) -> Decimal | None:
    """A sheet's 0-100 score, ``None`` when incomplete or unscorable; pass a
    prepared rubric (``prepared_rubric_of``) when scoring many sheets."""
    if not rubric:
        return None
    try:
        if isinstance(rubric, scoring.Rubric):
            return scoring.prepared_sheet_score(values=values, rubric=rubric)
        return scoring.sheet_score(values=values, criteria=rubric)
    except ValueError:
        return None


def sheet_score_of(
    sheet: ScoreSheet | None, criteria: list[Criterion]
) -> Decimal | None:
    if sheet is None:
        return None
    values = {score.criterion_id: score.value for score in sheet.scores.all()}
    return score_of_values(values, rubric_of(criteria))
