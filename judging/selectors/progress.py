"""How far the judges of a stage are, and where their scores disagree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from contest.models import Stage
from judging.enums import SheetState
from judging.models import Assignment, Judge, Score
from judging.selectors.sheets import criteria_of, prepared_rubric_of, score_of_values
from submissions.models import Submission


@dataclass
class ProgressRow:
    """Counts of one judge's (or one category's) assignments by progress."""

    label: str
    total: int
    not_started: int
    draft: int
    submitted: int
    obj: object = None

    @property
    def late(self) -> int:
        return self.total - self.submitted


# The counts per judge or category: every assignment, and those per sheet state.
TOTAL = "total"
DRAFT = SheetState.DRAFT.value
SUBMITTED = SheetState.SUBMITTED.value


def _progress_counts(qs, key: str) -> dict[int, dict[str, int]]:
    rows = (
        qs.values(key)
        .annotate(
            **{
                TOTAL: Count("id"),
                DRAFT: Count("id", filter=Q(sheet__state=SheetState.DRAFT)),
                SUBMITTED: Count("id", filter=Q(sheet__state=SheetState.SUBMITTED)),
            }
        )
        .order_by()
    )
    return {row[key]: row for row in rows}


def _row(label: str, counts: dict | None, obj=None) -> ProgressRow:
    counts = counts or dict.fromkeys((TOTAL, DRAFT, SUBMITTED), 0)
    return ProgressRow(
        label=label,
        total=counts[TOTAL],
        not_started=counts[TOTAL] - counts[DRAFT] - counts[SUBMITTED],
        draft=counts[DRAFT],
        submitted=counts[SUBMITTED],
        obj=obj,
    )


def progress_by_judge(stage: Stage) -> list[ProgressRow]:
    """Every judge of the contest with their assignments in the stage (two queries)."""
    counts = _progress_counts(stage.assignments.all(), "judge_id")
    judges = stage.contest.judges.select_related("user").order_by("name", "pk")
    return [_row(str(judge), counts.get(judge.pk), judge) for judge in judges]


def progress_by_category(stage: Stage) -> list[ProgressRow]:
    counts = _progress_counts(stage.assignments.all(), "submission__category_id")
    categories = stage.contest.categories.order_by("order", "name")
    return [_row(c.name, counts.get(c.pk), c) for c in categories]


def late_judges(stage: Stage) -> QuerySet[Judge]:
    """Judges with an assignment in the stage whose sheet is not submitted."""
    unsubmitted = Assignment.objects.filter(
        stage=stage, judge_id=OuterRef("pk")
    ).exclude(sheet__state=SheetState.SUBMITTED)
    return (
        stage.contest.judges.filter(Exists(unsubmitted))
        .select_related("user")
        .annotate(
            unsubmitted=Count(
                "assignments",
                filter=Q(assignments__stage=stage)
                & ~Q(assignments__sheet__state=SheetState.SUBMITTED),
            )
        )
        .order_by("name", "pk")
    )


@dataclass
class FlaggedEntry:
    submission: Submission
    scores: list[Decimal]
    spread: Decimal
    judges: int


def entry_sheet_scores(stage: Stage) -> dict[int, list[Decimal]]:
    """The 0-100 scores of each entry's complete submitted sheets (two queries); the
    rubric is prepared once for all the stage's sheets."""
    rubric = prepared_rubric_of(criteria_of(stage))
    if rubric is None:
        return {}
    rows = Score.objects.filter(
        sheet__assignment__stage=stage, sheet__state=SheetState.SUBMITTED
    ).values_list(
        "sheet_id", "sheet__assignment__submission_id", "criterion_id", "value"
    )
    sheets: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    entry_of: dict[int, int] = {}
    for sheet_id, submission_id, criterion_id, value in rows.order_by():
        sheets[sheet_id][criterion_id] = value
        entry_of[sheet_id] = submission_id
    scores: dict[int, list[Decimal]] = defaultdict(list)
    for sheet_id, values in sheets.items():
        score = score_of_values(values, rubric)
        if score is not None:
            scores[entry_of[sheet_id]].append(score)
    return dict(scores)


FLAGGED_PER_PAGE = 50


def _spreads(stage: Stage) -> dict[int, tuple[list[Decimal], Decimal]]:
    """Each flagged entry's sorted scores and spread, above the stage's threshold."""
    flagged = {}
    for submission_id, scores in entry_sheet_scores(stage).items():
        if len(scores) < 2:
            continue
        spread = max(scores) - min(scores)
        if spread > stage.disagreement_threshold:
            flagged[submission_id] = (sorted(scores), spread)
    return flagged


def _ranked_flagged(stage: Stage) -> list[FlaggedEntry]:
    """Every flagged entry, the widest spread first, its judges not yet counted;
    only the columns the page shows are loaded."""
    flagged = _spreads(stage)
    if not flagged:
        return []
    submissions = (
        Submission.objects.filter(pk__in=flagged)
        .select_related("category", "region")
        .only("pk", "title", "category__name", "region__name")
    )
    out = [
        FlaggedEntry(
            submission=submission,
            scores=flagged[submission.pk][0],
            spread=flagged[submission.pk][1],
            judges=0,
        )
        for submission in submissions
    ]
    return sorted(out, key=lambda row: (-row.spread, row.submission.title))


def _count_judges(stage: Stage, rows: list[FlaggedEntry]) -> None:
    judges = dict(
        stage.assignments.filter(submission_id__in=[r.submission.pk for r in rows])
        .values("submission_id")
        .annotate(n=Count("id"))
        .values_list("submission_id", "n")
        .order_by()
    )
    for row in rows:
        row.judges = judges.get(row.submission.pk, 0)


def flagged_entries(stage: Stage) -> list[FlaggedEntry]:
    """Entries whose submitted sheets spread more than the stage's threshold, the
    widest spread first (three queries)."""
    rows = _ranked_flagged(stage)
    if rows:
        _count_judges(stage, rows)
    return rows


def flagged_page(stage: Stage, number, per_page: int | None = None) -> Page:
    """One page of :func:`flagged_entries` (the widest spreads first, by
    ``FLAGGED_PER_PAGE``); judges are counted for the page's rows only (at most
    three queries)."""
    rows = _ranked_flagged(stage)
    page = Paginator(rows, per_page or FLAGGED_PER_PAGE).get_page(number)
    if page.object_list:
        _count_judges(stage, page.object_list)
    return page
