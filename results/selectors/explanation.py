"""One entry's score at a stage, explained sheet by sheet and criterion by
criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from contest.models import Criterion, Stage
from judging.enums import SheetState
from judging.models import Judge, ScoreSheet
from results import computing
from results.selectors.stage import (
    _CENT,
    StageComputation,
    rubric_of,
    stage_results,
)
from submissions.models import Submission

# ---------------------------------------------------------------- one entry, explained


@dataclass
class Line:
    criterion: Criterion
    value: Decimal | None
    weight_share: Decimal
    contribution: Decimal | None
    comment: str


@dataclass
class SheetExplanation:
    sheet: ScoreSheet
    judge: Judge
    score: Decimal | None
    lines: list[Line]
    leniency: Decimal | None
    effect: Decimal | None = None
    normalized: Decimal | None = None

    @property
    def excluded(self) -> bool:
        """Taken out of the results (shown, counted nowhere)."""
        return self.sheet.excluded_at is not None


@dataclass
class EntryExplanation:
    stage: Stage
    submission: Submission
    result: computing.EntryResult | None
    sheets: list[SheetExplanation]
    criteria: list[Criterion]
    total_weight: Decimal
    grand_mean: Decimal | None
    grand_stdev: Decimal | None


def contribution(criterion: Criterion, value: Decimal, total_weight: Decimal):
    """The points a criterion's value adds to the sheet's 0-100 score: weight *
    (value - min) / (max - min) * 100 / total weight, rounded half up to two places
    (the sheet's score is rounded from the exact sum, so the rounded contributions
    may add up to 0.01 more or less)."""
    with localcontext() as context:
        context.prec = 40
        exact = (
            criterion.weight
            * (value - criterion.min_score)
            * 100
            / ((criterion.max_score - criterion.min_score) * total_weight)
        )
    return exact.quantize(_CENT, rounding=ROUND_HALF_UP)


def _sheet_score_of(lines: list[Line], criteria: list[Criterion]) -> Decimal | None:
    """The 0-100 score of a sheet the results left out (for showing it)."""
    values = {line.criterion.pk: line.value for line in lines}
    try:
        return computing.sheet_score(values=values, criteria=rubric_of(criteria))
    except (ValueError, TypeError):
        return None


def explain_entry(stage: Stage, submission: Submission) -> EntryExplanation:
    """An entry's score at a stage down to each sheet and criterion: the value, the
    criterion's share of the weight and the points it contributes."""
    computation = stage_results(stage)
    criteria = computation.criteria
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    sheets = list(
        ScoreSheet.objects.filter(
            assignment__stage=stage,
            assignment__submission=submission,
            state=SheetState.SUBMITTED,
        )
        .select_related("assignment__judge", "assignment__judge__user")
        .prefetch_related("scores")
        .order_by("assignment__judge__name", "pk")
    )
    computed = computation.results
    return EntryExplanation(
        stage=stage,
        submission=submission,
        result=computation.by_entry.get(submission.pk),
        sheets=[
            _explain_sheet(sheet, computation, total_weight)
            for sheet in sorted(sheets, key=lambda s: s.excluded_at is not None)
        ],
        criteria=criteria,
        total_weight=total_weight,
        grand_mean=None if computed is None else computed.grand_mean,
        grand_stdev=None if computed is None else computed.grand_stdev,
    )


def _explain_sheet(
    sheet: ScoreSheet, computation: StageComputation, total_weight: Decimal
) -> SheetExplanation:
    """A sheet's lines, score and its judge's correction; a sheet the results
    left out gets its score for showing and no correction."""
    lines = _lines(sheet, computation.criteria, total_weight)
    judge = sheet.assignment.judge
    computed = computation.results
    scores_of = {ref.sheet_id: ref.score for ref in computation.sheets}
    counted = sheet.pk in scores_of
    stats = None if computed is None else computed.judge_stats.get(judge.pk)
    score = scores_of.get(sheet.pk)
    if not counted:
        score = _sheet_score_of(lines, computation.criteria)
    effect = stats.effect if counted and stats is not None else None
    return SheetExplanation(
        sheet=sheet,
        judge=judge,
        score=score,
        lines=lines,
        leniency=None
        if computed is None or not counted
        else computed.leniency.get(judge.pk),
        effect=effect,
        normalized=None
        if score is None or not counted
        else computing.normalized_sheet_value(score, effect),
    )


def _lines(
    sheet: ScoreSheet, criteria: list[Criterion], total_weight: Decimal
) -> list[Line]:
    by_criterion = {score.criterion_id: score for score in sheet.scores.all()}
    lines = []
    for criterion in criteria:
        score = by_criterion.get(criterion.pk)
        value = None if score is None else score.value
        lines.append(
            Line(
                criterion=criterion,
                value=value,
                weight_share=(criterion.weight * 100 / total_weight).quantize(
                    _CENT, rounding=ROUND_HALF_UP
                ),
                contribution=None
                if value is None
                else contribution(criterion, value, total_weight),
                comment="" if score is None else score.comment,
            )
        )
    return lines
