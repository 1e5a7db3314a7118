"""The organizers' results page of a stage: rows per category, judges, evidence of
the normalization, alpha per criterion, the histogram.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from contest.enums import StageKind
from contest.models import Category, Criterion, Stage
from judging import selectors as judging_selectors
from judging.models import Judge
from results import computing
from results.computing import standings
from results.models import (
    AdvancementDecision,
    StageMinutes,
)
from results.selectors.stage import (
    _CENT,
    RANK_NORMALIZED,
    ExcludedSheet,
    Reliability,
    SheetRef,
    StageComputation,
    reliability,
    stage_results,
)
from submissions.models import Submission

HISTOGRAM_BINS = 10  # 0-10, 10-20, ... 90-100 (the last bin includes 100)


# ---------------------------------------------------------------- the results page


@dataclass
class ResultRow:
    submission: Submission
    result: computing.EntryResult | None
    sheets: list[SheetRef] = field(default_factory=list)
    advanced: bool | None = None
    excluded: list[ExcludedSheet] = field(default_factory=list)

    @property
    def rank(self) -> int | None:
        return None if self.result is None else self.result.rank


@dataclass
class CategoryRows:
    category: Category
    rows: list[ResultRow]
    advancing: int | None = None


@dataclass
class JudgeRow:
    judge: Judge
    stats: computing.JudgeStats
    histogram: list[int]

    @property
    def little_evidence(self) -> bool:
        return self.stats.little_evidence

    @property
    def leniency_tone(self) -> str:
        leniency = self.stats.leniency
        if leniency is None:
            return "neutral"
        if abs(leniency) >= 10:
            return "danger"
        if abs(leniency) >= 5:
            return "warning"
        return "success"


@dataclass
class CategoryEvidence:
    """Whether a category's judges share enough entries to compare them."""

    category: Category
    shared_entries: int
    panels: int

    @property
    def too_little(self) -> bool:
        return self.shared_entries < computing.MIN_SHARED or self.panels > 1


@dataclass
class CriterionAlpha:
    criterion: Criterion
    reliability: Reliability


@dataclass
class StagePage:
    stage: Stage
    computation: StageComputation
    categories: list[CategoryRows]
    judges: list[JudgeRow]
    stage_histogram: list[int]
    reliability: Reliability
    per_criterion: list[CriterionAlpha]
    decision: AdvancementDecision | None
    minutes: StageMinutes | None
    next_stage: Stage | None
    entry_count: int
    sheet_count: int
    flagged_count: int
    published: bool
    ranked_by: str = RANK_NORMALIZED
    evidence: list[CategoryEvidence] = field(default_factory=list)
    excluded_count: int = 0

    @property
    def weak_judges(self) -> list[JudgeRow]:
        """Judges with too few sheets, or too few shared, for a full correction."""
        return [row for row in self.judges if row.little_evidence]

    @property
    def weak_categories(self) -> list[CategoryEvidence]:
        return [row for row in self.evidence if row.too_little]

    @property
    def min_sheets(self) -> int:
        return computing.MIN_SHEETS

    @property
    def min_shared(self) -> int:
        return computing.MIN_SHARED

    @property
    def chart_data(self) -> dict[str, Any]:
        """What static/js/results-charts.js draws: each judge's distribution of sheet
        scores beside the stage's (numbers as text, read with Number())."""
        labels = [histogram_label(index) for index in range(HISTOGRAM_BINS)]
        stage_total = sum(self.stage_histogram) or 1
        return {
            "labels": labels,
            "stage": [
                str((Decimal(count) * 100 / stage_total).quantize(_CENT))
                for count in self.stage_histogram
            ],
            "judges": [
                {
                    "id": row.judge.pk,
                    "name": str(row.judge),
                    "leniency": standings.decimal_text(row.stats.leniency),
                    "percent": [
                        str(
                            (Decimal(count) * 100 / (sum(row.histogram) or 1)).quantize(
                                _CENT
                            )
                        )
                        for count in row.histogram
                    ],
                }
                for row in self.judges
            ],
        }


def histogram_label(index: int) -> str:
    low = index * (100 // HISTOGRAM_BINS)
    return f"{low}-{low + 100 // HISTOGRAM_BINS}"


def _bin(score: Decimal) -> int:
    return min(int(score // (100 // HISTOGRAM_BINS)), HISTOGRAM_BINS - 1)


# What a results row never shows: loading them for thousands of rows was most of
# the page's reading.
LONG_TEXT_FIELDS = (
    "summary",
    "problem",
    "solution",
    "impact",
    "links",
    "screening_reason",
    "revision_note",
)


def stage_entries_with_sheets(stage: Stage) -> QuerySet[Submission]:
    """The entries the stage judges (judging.selectors.stage_entries), without
    their long texts."""
    return (
        judging_selectors.stage_entries(stage)
        .defer(*LONG_TEXT_FIELDS)
        .order_by("category__order", "category__name", "title", "pk")
    )


def next_scoring_stage(stage: Stage) -> Stage | None:
    return (
        Stage.objects.filter(
            contest_id=stage.contest_id,
            kind=StageKind.SCORING,
            order__gt=stage.order,
        )
        .order_by("order")
        .first()
    )


def stage_page(stage: Stage, *, ranked_by: str | None = None) -> StagePage:
    """The organizer's results page of a stage, in a fixed number of queries.
    Ranked by the basis its advancement recorded; before one, by `ranked_by`
    (normalized unless the organizer previews the raw ranking)."""
    decision = AdvancementDecision.objects.filter(stage=stage).first()
    if decision is not None:
        ranked_by = decision.ranked_by
    computation = stage_results(stage, ranked_by=ranked_by or RANK_NORMALIZED)
    submissions = _page_submissions(stage, computation)
    categories = _category_rows(submissions, computation, decision)
    computed = computation.results
    judge_rows, stage_histogram = _judge_rows(computation)
    minutes = StageMinutes.objects.filter(stage=stage).first()
    return StagePage(
        stage=stage,
        computation=computation,
        categories=categories,
        judges=judge_rows,
        stage_histogram=stage_histogram,
        reliability=reliability(None if computed is None else computed.alpha),
        per_criterion=_per_criterion(computation),
        decision=decision,
        minutes=minutes,
        next_stage=next_scoring_stage(stage),
        entry_count=len(submissions),
        sheet_count=len(computation.sheets),
        flagged_count=sum(
            1 for e in (computed.entries if computed else []) if e.flagged
        ),
        published=stage.contest.is_frozen,
        ranked_by=computation.ranked_by,
        evidence=_evidence(computed, categories),
        excluded_count=len(computation.excluded),
    )


def _page_submissions(stage: Stage, computation: StageComputation) -> list[Submission]:
    """The stage's entries, and any other entry its sheets are on (one more query
    only then)."""
    submissions = list(stage_entries_with_sheets(stage))
    known = {submission.pk for submission in submissions}
    missing = (set(computation.by_entry) | set(computation.excluded_by_entry())) - known
    if missing:
        submissions += list(
            Submission.objects.filter(pk__in=missing)
            .select_related("category", "region")
            .defer(*LONG_TEXT_FIELDS)
        )
    return submissions


def _category_rows(
    submissions: list[Submission],
    computation: StageComputation,
    decision: AdvancementDecision | None,
) -> list[CategoryRows]:
    """The entries' rows grouped by category, best first, with whether each
    advanced once the advancement is decided."""
    by_entry = computation.by_entry
    sheets_of = computation.sheets_by_entry()
    excluded_of = computation.excluded_by_entry()
    advanced = set(decision.advanced) if decision else set()
    groups: dict[int, CategoryRows] = {}
    for submission in submissions:
        group = groups.setdefault(
            submission.category_id, CategoryRows(submission.category, [])
        )
        group.rows.append(
            ResultRow(
                submission=submission,
                result=by_entry.get(submission.pk),
                sheets=sorted(sheets_of.get(submission.pk, []), key=_sheet_order),
                advanced=(submission.pk in advanced) if decision else None,
                excluded=excluded_of.get(submission.pk, []),
            )
        )
    for group in groups.values():
        group.rows.sort(key=_row_order)
        if decision is not None:
            group.advancing = sum(1 for row in group.rows if row.advanced)
    return sorted(groups.values(), key=lambda g: (g.category.order, g.category.name))


def _judge_rows(computation: StageComputation) -> tuple[list[JudgeRow], list[int]]:
    """Each judge's figures and histogram of sheet scores, and the stage's
    histogram (no query when nothing was computed)."""
    stage_histogram = [0] * HISTOGRAM_BINS
    computed = computation.results
    if computed is None:
        return [], stage_histogram
    histograms: dict[int, list[int]] = defaultdict(lambda: [0] * HISTOGRAM_BINS)
    for sheet in computation.sheets:
        if sheet.score is None:
            continue
        histograms[sheet.judge_id][_bin(sheet.score)] += 1
        stage_histogram[_bin(sheet.score)] += 1
    judges = Judge.objects.filter(pk__in=list(computed.judge_stats)).select_related(
        "user"
    )
    rows = [
        JudgeRow(
            judge=judge,
            stats=computed.judge_stats[judge.pk],
            histogram=histograms[judge.pk],
        )
        for judge in sorted(judges, key=lambda j: (str(j).lower(), j.pk))
    ]
    return rows, stage_histogram


def _per_criterion(computation: StageComputation) -> list[CriterionAlpha]:
    computed = computation.results
    if computed is None:
        return []
    return [
        CriterionAlpha(
            criterion=criterion,
            reliability=reliability(computed.alpha_per_criterion.get(criterion.pk)),
        )
        for criterion in computation.criteria
    ]


def _evidence(
    computed: computing.StageResults | None, categories: list[CategoryRows]
) -> list[CategoryEvidence]:
    if computed is None:
        return []
    return [
        CategoryEvidence(
            category=group.category,
            shared_entries=computed.shared_per_category.get(group.category.pk, 0),
            panels=computed.panels_per_category.get(group.category.pk, 0),
        )
        for group in categories
        if group.category.pk in computed.shared_per_category
    ]


def _sheet_order(sheet: SheetRef) -> tuple:
    return (sheet.score is None, -(sheet.score or 0), sheet.sheet_id)


def _row_order(row: ResultRow) -> tuple:
    rank = row.rank
    return (rank is None, rank or 0, row.submission.title.lower(), row.submission.pk)
