"""Reads for the results: a stage's figures from its submitted sheets (two queries
feed judging/results.py), the explanation of an entry's score, the standings across
stages, the snapshot a publication freezes and the feedback a region reads.

Nothing here writes; judging/results_services.py stores decisions and publications.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import DomainError
from contest.ledger import canonical_json
from contest.models import AuditEntry, Category, Contest, Criterion, Region, Stage
from judging import results, standings
from judging import selectors as judging_selectors
from judging.enums import SheetState
from judging.models import Assignment, Judge, Score, ScoreSheet
from judging.models_results import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    ScoreBand,
    StageMinutes,
    StageWeight,
)
from judging.results_enums import (
    ALPHA_GOOD,
    ALPHA_SHORT,
    ALPHA_TENTATIVE,
    ALPHA_TONES,
    DEFAULT_BANDS,
    DEFAULT_STAGE_WEIGHT,
    AlphaReading,
    AwardKind,
    ObjectionOutcome,
    PublicationKind,
)
from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission

SNAPSHOT_FORMAT = "inovasi-award.results/1"
RANK_NORMALIZED = "normalized"
RANK_RAW = "raw"
RANK_BASES = (RANK_NORMALIZED, RANK_RAW)
HISTOGRAM_BINS = 10  # 0-10, 10-20, ... 90-100 (the last bin includes 100)
_CENT = Decimal("0.01")


# ---------------------------------------------------------------- a stage's figures


@dataclass(frozen=True)
class SheetRef:
    """A submitted sheet as the results see it."""

    sheet_id: int
    judge_id: int
    entry_id: int
    score: Decimal | None


@dataclass(frozen=True)
class ExcludedSheet:
    """A submitted sheet taken out of the results (a conflict found after
    scoring): kept and shown, counted nowhere."""

    sheet_id: int
    judge_id: int
    entry_id: int
    excluded_at: Any
    reason: str


@dataclass
class StageComputation:
    """Everything judging/results.py computes for a stage, with the sheets it used
    and the submitted sheets it left out (`excluded`)."""

    stage: Stage
    criteria: list[Criterion]
    results: results.StageResults | None
    sheets: list[SheetRef]
    excluded: list[ExcludedSheet] = field(default_factory=list)
    ranked_by: str = RANK_NORMALIZED

    @property
    def by_entry(self) -> dict[int, results.EntryResult]:
        if self.results is None:
            return {}
        return {entry.entry_id: entry for entry in self.results.entries}

    def sheets_by_entry(self) -> dict[int, list[SheetRef]]:
        out: dict[int, list[SheetRef]] = defaultdict(list)
        for sheet in self.sheets:
            out[sheet.entry_id].append(sheet)
        return out

    def excluded_by_entry(self) -> dict[int, list[ExcludedSheet]]:
        out: dict[int, list[ExcludedSheet]] = defaultdict(list)
        for sheet in self.excluded:
            out[sheet.entry_id].append(sheet)
        return out

    @property
    def scored(self) -> bool:
        """The stage took place: some entry has a complete submitted sheet."""
        return self.results is not None and any(
            entry.raw_score is not None for entry in self.results.entries
        )


def rubric_of(criteria: Iterable[Criterion]) -> list[results.Criterion]:
    return [
        results.Criterion(
            id=c.pk, weight=c.weight, min_score=c.min_score, max_score=c.max_score
        )
        for c in criteria
    ]


def stage_score(result: results.EntryResult, ranked_by: str) -> Decimal | None:
    """The score a stage ranks by (and the final score weighs): normalized, or raw
    when the organizer ranked the stage by its raw score."""
    return result.raw_score if ranked_by == RANK_RAW else result.normalized_score


def ranked_by_of(stage: Stage) -> str:
    """The basis the stage's advancement decision recorded, else normalized."""
    decided = (
        AdvancementDecision.objects.filter(stage_id=stage.pk)
        .values_list("ranked_by", flat=True)
        .first()
    )
    return decided or RANK_NORMALIZED


def stage_results(stage: Stage, *, ranked_by: str | None = None) -> StageComputation:
    """The stage's figures from its rubric and its submitted sheets.

    Only sheets of the stage's own entries count (judging.selectors.stage_entries:
    the StageEntry rows, or for the first scoring stage every entry that passed
    screening); a submitted sheet excluded from the results (`excluded_at`, a
    conflict found after scoring) is left out of every figure and listed in
    `excluded`. Ranked by `ranked_by` ("normalized" or "raw"), by default the
    basis the stage's advancement recorded. Raises a DomainError (409) when the
    sheets do not fit the rubric (a value outside a criterion's range after the
    rubric changed)."""
    if ranked_by is None:
        ranked_by = ranked_by_of(stage)
    if ranked_by not in RANK_BASES:
        raise DomainError(
            _("Rank by the normalized or the raw score."), field="ranked_by"
        )
    criteria = list(judging_selectors.criteria_of(stage))
    if not criteria:
        return StageComputation(
            stage=stage, criteria=[], results=None, sheets=[], ranked_by=ranked_by
        )
    entries = judging_selectors.stage_entries(stage).values("pk")
    rows = (
        Score.objects.filter(
            sheet__assignment__stage_id=stage.pk,
            sheet__state=SheetState.SUBMITTED,
            sheet__assignment__submission__in=entries,
        )
        .order_by()
        .values_list(
            "sheet_id",
            "sheet__assignment__judge_id",
            "sheet__assignment__submission_id",
            "sheet__assignment__submission__category_id",
            "criterion_id",
            "value",
            "sheet__excluded_at",
            "sheet__excluded_reason",
        )
    )
    heads: dict[int, tuple[int, int, int]] = {}
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    excluded: dict[int, ExcludedSheet] = {}
    for (
        sheet_id,
        judge_id,
        entry_id,
        category_id,
        criterion_id,
        value,
        excluded_at,
        reason,
    ) in rows:
        if excluded_at is not None:
            excluded.setdefault(
                sheet_id,
                ExcludedSheet(
                    sheet_id=sheet_id,
                    judge_id=judge_id,
                    entry_id=entry_id,
                    excluded_at=excluded_at,
                    reason=reason,
                ),
            )
            continue
        if sheet_id not in heads:
            heads[sheet_id] = (judge_id, entry_id, category_id)
        values[sheet_id][criterion_id] = value
    inputs = [
        results.SheetInput(
            sheet_id=sheet_id,
            judge_id=judge_id,
            entry_id=entry_id,
            category_id=category_id,
            values=values[sheet_id],
        )
        for sheet_id, (judge_id, entry_id, category_id) in heads.items()
    ]
    try:
        computed = results.compute_stage_results(
            criteria=rubric_of(criteria),
            sheets=inputs,
            disagreement_threshold=stage.disagreement_threshold,
            rank_by=ranked_by,
        )
    except (ValueError, TypeError) as exc:
        raise DomainError(
            _("The submitted sheets of %(stage)s do not fit its rubric: %(error)s")
            % {"stage": stage.name, "error": exc},
            status=409,
        ) from None
    sheets = [
        SheetRef(
            sheet_id=sheet.sheet_id,
            judge_id=sheet.judge_id,
            entry_id=sheet.entry_id,
            score=computed.sheet_scores[sheet.sheet_id],
        )
        for sheet in inputs
    ]
    return StageComputation(
        stage=stage,
        criteria=criteria,
        results=computed,
        sheets=sheets,
        excluded=sorted(excluded.values(), key=lambda e: (e.entry_id, e.sheet_id)),
        ranked_by=ranked_by,
    )


# ---------------------------------------------------------------- reading alpha


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


# ---------------------------------------------------------------- the results page


@dataclass
class ResultRow:
    submission: Submission
    result: results.EntryResult | None
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
    stats: results.JudgeStats
    histogram: list[int]

    @property
    def little_evidence(self) -> bool:
        return self.stats.little_evidence


@dataclass
class CategoryEvidence:
    """Whether a category's judges share enough entries to compare them."""

    category: Category
    shared_entries: int
    panels: int

    @property
    def too_little(self) -> bool:
        return self.shared_entries < results.MIN_SHARED or self.panels > 1

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
        return results.MIN_SHEETS

    @property
    def min_shared(self) -> int:
        return results.MIN_SHARED

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


def stage_entries_with_sheets(stage: Stage) -> QuerySet[Submission]:
    """The entries the stage judges (judging.selectors.stage_entries)."""
    return judging_selectors.stage_entries(stage).order_by(
        "category__order", "category__name", "title", "pk"
    )


def next_scoring_stage(stage: Stage) -> Stage | None:
    return (
        Stage.objects.filter(
            contest_id=stage.contest_id, kind="scoring", order__gt=stage.order
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
    by_entry = computation.by_entry
    sheets_of = computation.sheets_by_entry()
    excluded_of = computation.excluded_by_entry()
    advanced = set(decision.advanced) if decision else set()
    submissions = list(stage_entries_with_sheets(stage))
    known = {submission.pk for submission in submissions}
    missing = (set(by_entry) | set(excluded_of)) - known
    if missing:
        submissions += list(
            Submission.objects.filter(pk__in=missing).select_related(
                "category", "region"
            )
        )
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
    categories = sorted(
        groups.values(), key=lambda g: (g.category.order, g.category.name)
    )

    judge_rows: list[JudgeRow] = []
    stage_histogram = [0] * HISTOGRAM_BINS
    per_criterion: list[CriterionAlpha] = []
    computed = computation.results
    if computed is not None:
        histograms: dict[int, list[int]] = defaultdict(lambda: [0] * HISTOGRAM_BINS)
        for sheet in computation.sheets:
            if sheet.score is None:
                continue
            histograms[sheet.judge_id][_bin(sheet.score)] += 1
            stage_histogram[_bin(sheet.score)] += 1
        judges = Judge.objects.filter(pk__in=list(computed.judge_stats)).select_related(
            "user"
        )
        for judge in sorted(judges, key=lambda j: (str(j).lower(), j.pk)):
            judge_rows.append(
                JudgeRow(
                    judge=judge,
                    stats=computed.judge_stats[judge.pk],
                    histogram=histograms[judge.pk],
                )
            )
        per_criterion = [
            CriterionAlpha(
                criterion=criterion,
                reliability=reliability(computed.alpha_per_criterion.get(criterion.pk)),
            )
            for criterion in computation.criteria
        ]
    evidence = [
        CategoryEvidence(
            category=group.category,
            shared_entries=computed.shared_per_category.get(group.category.pk, 0),
            panels=computed.panels_per_category.get(group.category.pk, 0),
        )
        for group in categories
        if computed is not None and group.category.pk in computed.shared_per_category
    ]
    minutes = StageMinutes.objects.filter(stage=stage).first()
    return StagePage(
        stage=stage,
        computation=computation,
        categories=categories,
        judges=judge_rows,
        stage_histogram=stage_histogram,
        reliability=reliability(None if computed is None else computed.alpha),
        per_criterion=per_criterion,
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
        evidence=evidence,
        excluded_count=len(computation.excluded),
    )


def _sheet_order(sheet: SheetRef) -> tuple:
    return (sheet.score is None, -(sheet.score or 0), sheet.sheet_id)


def _row_order(row: ResultRow) -> tuple:
    rank = row.rank
    return (rank is None, rank or 0, row.submission.title.lower(), row.submission.pk)


# ---------------------------------------------------------------- advancement


@dataclass
class AdvancementPreview:
    """Who would advance from a stage: the cut in each category and the ties at it
    (`ties` as the page and the API show them)."""

    places: int
    quotas: dict[str, int]
    cut: standings.Cut
    entries: list[Submission]
    by_entry: dict[int, results.EntryResult]
    ties: list[dict[str, Any]]
    ranked_by: str = RANK_NORMALIZED

    @property
    def submissions(self) -> dict[int, Submission]:
        return {s.pk: s for s in self.entries}


def advancement_preview(
    stage: Stage,
    *,
    computation: StageComputation | None = None,
    quotas: dict[str, int] | None = None,
    ranked_by: str | None = None,
) -> AdvancementPreview:
    """The cut of each category by the stage's ranks (by the normalized score, or
    by the raw one): its advance_per_category best entries, or the quotas per
    region type (see judging/standings.py)."""
    computation = computation or stage_results(stage, ranked_by=ranked_by)
    by_entry = computation.by_entry
    entries = list(judging_selectors.stage_entries(stage))
    places = sum(quotas.values()) if quotas else stage.advance_per_category or 0
    cut = standings.advancement_cut(
        [
            standings.Ranked(
                entry_id=s.pk,
                category_id=s.category_id,
                rank=by_entry[s.pk].rank if s.pk in by_entry else None,
                region_type=s.region.type,
            )
            for s in entries
        ],
        places=places,
        quotas=quotas or None,
    )
    submissions = {s.pk: s for s in entries}
    ties = []
    for tie in cut.ties:
        tied = []
        for entry_id in tie.entry_ids:
            submission = submissions[entry_id]
            result = by_entry[entry_id]
            tied.append(
                {
                    "id": entry_id,
                    "title": submission.title,
                    "region": submission.region.name,
                    "normalized_score": standings.decimal_text(result.normalized_score),
                    "raw_score": standings.decimal_text(result.raw_score),
                    "median": standings.decimal_text(result.median),
                    "sheets": result.sheets,
                }
            )
        ties.append(
            {
                "category": tie.category_id,
                "category_name": submissions[tie.entry_ids[0]].category.name,
                "region_type": tie.region_type,
                "rank": tie.rank,
                "places": tie.places,
                "entries": tied,
            }
        )
    return AdvancementPreview(
        places=places,
        quotas=dict(quotas or {}),
        cut=cut,
        entries=entries,
        by_entry=by_entry,
        ties=ties,
        ranked_by=computation.ranked_by,
    )


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
    result: results.EntryResult | None
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
        return results.sheet_score(values=values, criteria=rubric_of(criteria))
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
    scores_of = {sheet.sheet_id: sheet.score for sheet in computation.sheets}
    computed = computation.results
    explained = []
    for sheet in sorted(sheets, key=lambda s: s.excluded_at is not None):
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
        judge = sheet.assignment.judge
        counted = sheet.pk in scores_of
        stats = None if computed is None else computed.judge_stats.get(judge.pk)
        score = scores_of.get(sheet.pk)
        if not counted:
            score = _sheet_score_of(lines, criteria)
        effect = stats.effect if counted and stats is not None else None
        explained.append(
            SheetExplanation(
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
                else results.normalized_sheet_value(score, effect),
            )
        )
    return EntryExplanation(
        stage=stage,
        submission=submission,
        result=computation.by_entry.get(submission.pk),
        sheets=explained,
        criteria=criteria,
        total_weight=total_weight,
        grand_mean=None if computed is None else computed.grand_mean,
        grand_stdev=None if computed is None else computed.grand_stdev,
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
        return results.NOT_ASSESSABLE
    lowest = min(threshold for threshold, _label in bands)
    return results.score_band(score=max(score, lowest), bands=bands)


# ---------------------------------------------------------------- standings


@dataclass
class StageStanding:
    stage: Stage
    computation: StageComputation
    weight: Decimal

    @property
    def scored(self) -> bool:
        return self.computation.scored


@dataclass
class EntryStanding:
    submission: Submission
    per_stage: dict[int, results.EntryResult]
    final_score: Decimal | None
    band_score: Decimal | None
    band: str
    final_rank: int | None = None
    tie_unresolved: bool = False
    photo: int | None = None


@dataclass
class RegionRow:
    region: Region
    standing: standings.RegionStanding


@dataclass
class Standings:
    contest: Contest
    stages: list[StageStanding]
    categories: list[Category]
    entries: list[EntryStanding]
    regional: dict[str, list[RegionRow]]
    bands: list[tuple[Decimal, str]]
    awards: list[Award]
    weights_usable: bool

    def by_category(self) -> list[tuple[Category, list[EntryStanding]]]:
        groups: dict[int, list[EntryStanding]] = defaultdict(list)
        for entry in self.entries:
            groups[entry.submission.category_id].append(entry)
        return [(c, groups[c.pk]) for c in self.categories if groups.get(c.pk)]


def _photos(submission_ids: Iterable[int]) -> dict[int, int]:
    """Each entry's first image evidence that has a thumbnail: its id."""
    rows = (
        Evidence.objects.filter(
            submission_id__in=list(submission_ids),
            content_type__startswith="image/",
            processed_at__isnull=False,
        )
        .exclude(thumbnail="")
        .order_by("submission_id", "created_at", "pk")
        .values_list("submission_id", "pk")
    )
    photos: dict[int, int] = {}
    for submission_id, evidence_id in rows:
        photos.setdefault(submission_id, evidence_id)
    return photos


def contest_standings(contest: Contest) -> Standings:
    """Every scoring stage's results, each entry's final score, rank and band, the
    regional ranking and the awards: the figures a publication freezes.

    The final score weighs the stages' scores (judging.results.final_score): each
    stage's normalized score, or its raw score where the organizer ranked that
    stage by raw score (AdvancementDecision.ranked_by); a stage on which no sheet
    was submitted did not take place and is left out. An entry counts in a stage
    only if it took part in it (StageEntry). An entry's band comes from its final
    score, or, for an entry that did not reach the later stages, from the score of
    the last stage it was scored in; an entry never scored is "Tidak dapat
    dinilai".
    """
    stages = list(judging_selectors.scoring_stages(contest))
    weights = stage_weights(contest, stages)
    bases = dict(
        AdvancementDecision.objects.filter(stage__contest=contest).values_list(
            "stage_id", "ranked_by"
        )
    )
    stage_rows = [
        StageStanding(
            stage=stage,
            computation=stage_results(
                stage, ranked_by=bases.get(stage.pk, RANK_NORMALIZED)
            ),
            weight=weights[stage.pk],
        )
        for stage in stages
    ]
    basis_of = {row.stage.pk: row.computation.ranked_by for row in stage_rows}
    scored = [row for row in stage_rows if row.scored]
    final_weights = {row.stage.pk: row.weight for row in scored}
    weights_usable = any(weight > 0 for weight in final_weights.values())
    bands = score_bands(contest)

    assigned = Assignment.objects.filter(stage__contest=contest).values("submission_id")
    submissions = list(
        Submission.objects.filter(contest=contest)
        .filter(Q(state__in=judging_selectors.FIRST_STAGE_STATES) | Q(pk__in=assigned))
        .exclude(state=SubmissionState.WITHDRAWN)
        .select_related("category", "region", "region__province")
        .order_by("category__order", "title", "pk")
    )
    photos = _photos(s.pk for s in submissions)
    entries = []
    for submission in submissions:
        per_stage = {
            row.stage.pk: row.computation.by_entry[submission.pk]
            for row in stage_rows
            if submission.pk in row.computation.by_entry
        }
        final = None
        if weights_usable:
            final = results.final_score(
                stage_scores={
                    stage_id: stage_score(per_stage[stage_id], basis_of[stage_id])
                    if stage_id in per_stage
                    else None
                    for stage_id in final_weights
                },
                weights=final_weights,
            )
        band_score = final
        if band_score is None:
            for row in reversed(stage_rows):
                result = per_stage.get(row.stage.pk)
                score = (
                    None
                    if result is None
                    else stage_score(result, basis_of[row.stage.pk])
                )
                if score is not None:
                    band_score = score
                    break
        entries.append(
            EntryStanding(
                submission=submission,
                per_stage=per_stage,
                final_score=final,
                band_score=band_score,
                band=band_of(band_score, bands),
                photo=photos.get(submission.pk),
            )
        )
    ranks = standings.final_ranks(
        (e.submission.pk, e.submission.category_id, e.final_score) for e in entries
    )
    for entry in entries:
        entry.final_rank, entry.tie_unresolved = ranks[entry.submission.pk]
    entries.sort(
        key=lambda e: (
            e.submission.category.order,
            e.submission.category_id,
            e.final_rank is None,
            e.final_rank or 0,
            e.submission.title.lower(),
            e.submission.pk,
        )
    )
    regions = {s.region_id: s.region for s in submissions}
    regional = {
        region_type: [RegionRow(regions[row.region], row) for row in rows]
        for region_type, rows in standings.regional_ranking(
            (
                e.submission.region_id,
                e.submission.region.type,
                e.submission.category_id,
                e.final_score,
            )
            for e in entries
        ).items()
    }
    return Standings(
        contest=contest,
        stages=stage_rows,
        categories=list(contest.categories.order_by("order", "name")),
        entries=entries,
        regional=regional,
        bands=bands,
        awards=list(awards_of(contest)),
        weights_usable=weights_usable,
    )


def awards_of(contest: Contest) -> QuerySet[Award]:
    return Award.objects.filter(contest=contest).select_related(
        "category", "submission", "submission__region", "region"
    )


# ---------------------------------------------------------------- publications


def publications_of(contest: Contest) -> QuerySet[Publication]:
    """The contest's publications, newest first, without their snapshots."""
    return (
        Publication.objects.filter(contest=contest)
        .defer("snapshot")
        .order_by("-published_at", "-pk")
    )


def final_publication(contest: Contest) -> Publication | None:
    return Publication.objects.filter(
        contest=contest, kind=PublicationKind.FINAL
    ).first()


def is_published_finally(contest: Contest) -> bool:
    return Publication.objects.filter(
        contest=contest, kind=PublicationKind.FINAL
    ).exists()


def current_publication(contest: Contest) -> Publication | None:
    """What the public sees: the final results, else the newest provisional ones."""
    return (
        Publication.objects.filter(contest=contest)
        .order_by("kind", "-published_at", "-pk")  # "final" < "provisional"
        .first()
    )


def open_provisional(
    contest: Contest, at=None, *, with_snapshot: bool = True
) -> Publication | None:
    """The provisional results whose objection window is open now, if any."""
    at = at or timezone.now()
    if is_published_finally(contest):
        return None
    qs = Publication.objects.filter(
        contest=contest,
        kind=PublicationKind.PROVISIONAL,
        objections_close__gt=at,
    )
    if not with_snapshot:
        qs = qs.defer("snapshot")
    return qs.order_by("-published_at", "-pk").first()


def objections_of(contest: Contest) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(publication__contest=contest)
        .select_related(
            "publication", "submission", "submission__region", "filed_by", "answered_by"
        )
        .order_by("filed_at", "pk")
    )


def objections_filed_by(user, contest: Contest) -> QuerySet[Objection]:
    """The objections `user` filed in the contest, with their answers."""
    if not getattr(user, "is_authenticated", False):
        return Objection.objects.none()
    return (
        Objection.objects.filter(publication__contest=contest, filed_by=user)
        .select_related("submission", "submission__region", "publication")
        .order_by("filed_at", "pk")
    )


def pending_objection_count(contest: Contest) -> int:
    return Objection.objects.filter(
        publication__contest=contest, outcome=ObjectionOutcome.PENDING
    ).count()


@dataclass(frozen=True)
class PublicationProblem:
    publication_id: int
    reason: str


def publication_problems(
    contest_slug: str | None = None,
) -> tuple[int, list[PublicationProblem]]:
    """Check every publication: its stored digest is the SHA-256 of its snapshot's
    canonical JSON, and a "results.published" ledger entry of it records that
    digest. Answers how many were checked and the problems found."""
    publications = Publication.objects.order_by("pk")
    if contest_slug:
        publications = publications.filter(contest__slug=contest_slug)
    recorded: dict[str, list[dict]] = defaultdict(list)
    for object_id, data in AuditEntry.objects.filter(
        action="results.published", object_type="judging.publication"
    ).values_list("object_id", "data"):
        recorded[object_id].append(data)
    problems = []
    checked = 0
    for publication in publications.iterator(chunk_size=100):
        checked += 1
        digest = hashlib.sha256(canonical_json(publication.snapshot)).hexdigest()
        if digest != publication.digest:
            problems.append(
                PublicationProblem(
                    publication.pk, "the snapshot does not match its digest"
                )
            )
        entries = recorded.get(str(publication.pk), [])
        if not entries:
            problems.append(
                PublicationProblem(publication.pk, "no ledger entry records it")
            )
        elif not any(
            data.get("digest") == publication.digest
            and data.get("kind") == publication.kind
            for data in entries
        ):
            problems.append(
                PublicationProblem(publication.pk, "the ledger records another digest")
            )
    return checked, problems


# ---------------------------------------------------------------- the snapshot


def _local_iso(contest: Contest, value) -> str:
    return timezone.localtime(value, contest.tzinfo).isoformat()


def _text(value: Decimal | None) -> str | None:
    return standings.decimal_text(value)


def build_snapshot(
    contest: Contest, *, kind: str, published_at, objections_close=None
) -> dict[str, Any]:
    """The JSON document a publication freezes. Scores are decimal strings with two
    places and alpha a three-place string: no float anywhere, so its canonical JSON
    (contest.ledger.canonical_json) is the same on every machine."""
    board = contest_standings(contest)
    categories = {c.pk: c for c in board.categories}
    awards_of_entry: dict[int, list[str]] = defaultdict(list)
    for award in board.awards:
        if award.submission_id:
            awards_of_entry[award.submission_id].append(award.name)
    objection_rows = list(
        Objection.objects.filter(publication__contest=contest)
        .select_related("submission")
        .order_by("filed_at", "pk")
    )
    objections = [objection.outcome for objection in objection_rows]
    snapshot: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "kind": kind,
        "published_at": _local_iso(contest, published_at),
        "objections_close": None
        if objections_close is None
        else _local_iso(contest, objections_close),
        "contest": {
            "slug": contest.slug,
            "name": contest.name,
            "host_region": {
                "code": contest.host_region_id,
                "name": contest.host_region.name,
            },
            "timezone": contest.timezone,
        },
        "rules": {
            "stage_score": (
                "normalized score (judges' leniency removed, shrunk toward the raw "
                "score where the sheets give little evidence), 0-100; the raw score "
                "where a stage's ranked_by is raw"
            ),
            "final_score": (
                "weighted mean of the stage scores of the stages that were "
                "scored; no final score when an entry lacks one of them"
            ),
            "ranking": (
                "within each category by final score; equal final scores share a "
                "rank (tie_unresolved: the organizers decide)"
            ),
            "band": (
                "label of the highest band reached by the final score, else by the "
                "last stage's normalized score; none: not assessable"
            ),
            "regional_ranking": (
                "per region type, the sum over categories of the region's best "
                "final score, then the best single final score, then the number "
                "of categories"
            ),
        },
        "bands": [
            {"label": label, "from": _text(threshold)}
            for threshold, label in board.bands
        ],
        "not_assessable": results.NOT_ASSESSABLE,
        "categories": [
            {"id": c.pk, "slug": c.slug, "name": c.name} for c in board.categories
        ],
        "stages": [
            _stage_snapshot(row) for row in board.stages if row.computation.criteria
        ],
        "entries": [
            {
                "id": e.submission.pk,
                "title": e.submission.title,
                "summary": e.submission.summary,
                "agency": e.submission.agency,
                "category": categories[e.submission.category_id].slug,
                "region": {
                    "code": e.submission.region_id,
                    "name": e.submission.region.name,
                    "type": e.submission.region.type,
                },
                "stages": [
                    {
                        "stage": stage_id,
                        "raw_score": _text(result.raw_score),
                        "median": _text(result.median),
                        "normalized_score": _text(result.normalized_score),
                        "spread": _text(result.spread),
                        "sheets": result.sheets,
                        "rank": result.rank,
                        "tie_unresolved": result.tie_unresolved,
                    }
                    for stage_id, result in sorted(e.per_stage.items())
                ],
                "final_score": _text(e.final_score),
                "final_rank": e.final_rank,
                "tie_unresolved": e.tie_unresolved,
                "band": e.band,
                "awards": sorted(awards_of_entry.get(e.submission.pk, [])),
                "photo": e.photo,
            }
            for e in board.entries
        ],
        "awards": [
            {
                "id": award.pk,
                "name": award.name,
                "kind": award.kind,
                "category": None
                if award.category_id is None
                else categories[award.category_id].slug,
                "rank": award.rank,
                "entry": award.submission_id,
                "region": None
                if award.region_id is None
                else {
                    "code": award.region_id,
                    "name": award.region.name,
                    "type": award.region.type,
                },
            }
            for award in sorted(board.awards, key=_award_order(categories))
        ],
        "regional_ranking": [
            {
                "region_type": region_type,
                "rank": row.standing.rank,
                "tie_unresolved": row.standing.tie_unresolved,
                "region": {"code": row.region.pk, "name": row.region.name},
                "score": _text(row.standing.score),
                "best": _text(row.standing.best),
                "categories": row.standing.categories,
            }
            for region_type, rows in board.regional.items()
            for row in rows
        ],
        "objections": {
            "filed": len(objections),
            "upheld": objections.count(ObjectionOutcome.UPHELD),
            "dismissed": objections.count(ObjectionOutcome.DISMISSED),
            "pending": objections.count(ObjectionOutcome.PENDING),
            "items": [
                {
                    "id": objection.pk,
                    "entry": objection.submission_id,
                    "entry_title": objection.submission.title,
                    "gist": objection_gist(objection.text),
                    "outcome": objection.outcome,
                    "answer": objection.answer,
                }
                for objection in objection_rows
            ],
        },
    }
    return snapshot


OBJECTION_GIST_CHARS = 280


def objection_gist(text: str) -> str:
    """What an objection is about, as the publication lists it: its first
    OBJECTION_GIST_CHARS characters (whole words), without who filed it."""
    text = " ".join(text.split())
    if len(text) <= OBJECTION_GIST_CHARS:
        return text
    cut = text[:OBJECTION_GIST_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def _award_order(categories: dict[int, Category]):
    kinds = [AwardKind.PLACE, AwardKind.SPECIAL, AwardKind.REGIONAL]

    def key(award: Award) -> tuple:
        category = categories.get(award.category_id)
        return (
            kinds.index(award.kind) if award.kind in kinds else len(kinds),
            category.order if category else -1,
            award.category_id or 0,
            award.rank if award.rank is not None else 10_000,
            award.name,
            award.pk,
        )

    return key


def _stage_snapshot(row: StageStanding) -> dict[str, Any]:
    computation = row.computation
    computed = computation.results
    complete = [s for s in computation.sheets if s.score is not None]
    return {
        "id": row.stage.pk,
        "order": row.stage.order,
        "name": row.stage.name,
        "weight": _text(row.weight),
        "ranked_by": computation.ranked_by,
        "scored": row.scored,
        "entries": 0
        if computed is None
        else sum(1 for e in computed.entries if e.raw_score is not None),
        "sheets": len(complete),
        "alpha": None if computed is None else standings.alpha_text(computed.alpha),
        "criteria": [
            {
                "id": criterion.pk,
                "name": criterion.name,
                "weight": _text(criterion.weight),
                "alpha": None
                if computed is None
                else standings.alpha_text(
                    computed.alpha_per_criterion.get(criterion.pk)
                ),
            }
            for criterion in computation.criteria
        ],
    }


# ---------------------------------------------------------------- reading a snapshot


@dataclass
class SnapshotView:
    """A published snapshot arranged for the public pages (no database reads)."""

    publication: Publication
    snapshot: dict[str, Any]

    @property
    def entries(self) -> dict[int, dict[str, Any]]:
        return {entry["id"]: entry for entry in self.snapshot.get("entries", [])}

    @property
    def categories(self) -> list[dict[str, Any]]:
        return self.snapshot.get("categories", [])

    def winners(self) -> list[dict[str, Any]]:
        """Each category with its place awards (best first) and their entries."""
        entries = self.entries
        by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for award in self.snapshot.get("awards", []):
            if award["kind"] != AwardKind.PLACE or award["entry"] is None:
                continue
            by_category[award["category"]].append(
                {"award": award, "entry": entries.get(award["entry"])}
            )
        return [
            {"category": category, "winners": by_category[category["slug"]]}
            for category in self.categories
            if by_category.get(category["slug"])
        ]

    def other_awards(self) -> list[dict[str, Any]]:
        entries = self.entries
        return [
            {"award": award, "entry": entries.get(award["entry"])}
            for award in self.snapshot.get("awards", [])
            if award["kind"] != AwardKind.PLACE or award["entry"] is None
        ]

    def regional(self) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.snapshot.get("regional_ranking", []):
            groups[row["region_type"]].append(row)
        return [{"region_type": key, "rows": rows} for key, rows in groups.items()]

    def category_name(self, slug: str) -> str:
        for category in self.categories:
            if category["slug"] == slug:
                return category["name"]
        return slug

    def search(
        self, *, text: str = "", category: str = "", region_type: str = ""
    ) -> list[dict[str, Any]]:
        """Entries whose title, region or agency contain `text` (case-insensitive),
        in `category` (a slug) and of `region_type`; best final score first."""
        needle = text.strip().casefold()
        found = []
        for entry in self.snapshot.get("entries", []):
            if category and entry["category"] != category:
                continue
            if region_type and entry["region"]["type"] != region_type:
                continue
            if needle:
                haystack = " ".join(
                    [entry["title"], entry["region"]["name"], entry.get("agency", "")]
                ).casefold()
                if needle not in haystack:
                    continue
            found.append(entry)
        return found


def public_results(contest: Contest) -> SnapshotView | None:
    publication = current_publication(contest)
    if publication is None:
        return None
    return SnapshotView(publication=publication, snapshot=publication.snapshot)


# ---------------------------------------------------------------- feedback


@dataclass
class FeedbackCriterion:
    criterion: Criterion
    score: Decimal | None
    category_median: Decimal | None
    comments: list[str]

    @property
    def difference(self) -> Decimal | None:
        if self.score is None or self.category_median is None:
            return None
        return self.score - self.category_median


@dataclass
class FeedbackStage:
    stage_id: int
    stage_name: str
    published: dict[str, Any] | None
    criteria: list[FeedbackCriterion]
    comments: list[str]


@dataclass
class FeedbackEntry:
    entry: dict[str, Any]
    stages: list[FeedbackStage]
    category_name: str = ""


def feedback_for_region(
    contest: Contest, region: Region, publication: Publication
) -> list[FeedbackEntry]:
    """For each of the region's published entries and each stage it was scored in:
    its mean value per criterion against the median of those means over the
    entries of its category, and the judges' comments, without their names, each
    criterion's comments in alphabetical order (so they cannot be matched across
    criteria to one sheet). Reads the submitted sheets, not those excluded from
    the results; callers show it only after the final publication."""
    snapshot = publication.snapshot
    mine = [e for e in snapshot.get("entries", []) if e["region"]["code"] == region.pk]
    if not mine:
        return []
    stage_names = {s["id"]: s["name"] for s in snapshot.get("stages", [])}
    entry_ids = {e["id"] for e in mine}
    categories = {e["id"]: e["category"] for e in snapshot.get("entries", [])}
    rows = (
        Score.objects.filter(
            sheet__assignment__stage__contest=contest,
            sheet__state=SheetState.SUBMITTED,
            sheet__excluded_at__isnull=True,
            value__isnull=False,
        )
        .order_by()
        .values_list(
            "sheet__assignment__stage_id",
            "sheet__assignment__submission_id",
            "criterion_id",
            "value",
        )
    )
    values: dict[tuple[int, int, int], list[Decimal]] = defaultdict(list)
    for stage_id, entry_id, criterion_id, value in rows:
        if entry_id in categories:
            values[(stage_id, entry_id, criterion_id)].append(value)
    means = {key: standings.mean(vals) for key, vals in values.items()}
    per_category: dict[tuple[int, str, int], list[Decimal]] = defaultdict(list)
    for (stage_id, entry_id, criterion_id), value in means.items():
        per_category[(stage_id, categories[entry_id], criterion_id)].append(value)
    criteria = list(
        Criterion.objects.filter(stage__contest=contest).order_by("order", "pk")
    )
    comments: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    for stage_id, entry_id, criterion_id, comment in (
        Score.objects.filter(
            sheet__assignment__submission_id__in=entry_ids,
            sheet__state=SheetState.SUBMITTED,
            sheet__excluded_at__isnull=True,
        )
        .exclude(comment="")
        .order_by()
        .values_list(
            "sheet__assignment__stage_id",
            "sheet__assignment__submission_id",
            "criterion_id",
            "comment",
        )
    ):
        comments[(stage_id, entry_id, criterion_id)].append(comment)
    overall: dict[tuple[int, int], list[str]] = defaultdict(list)
    for stage_id, entry_id, comment in (
        ScoreSheet.objects.filter(
            assignment__submission_id__in=entry_ids,
            state=SheetState.SUBMITTED,
            excluded_at__isnull=True,
        )
        .exclude(comment="")
        .order_by()
        .values_list("assignment__stage_id", "assignment__submission_id", "comment")
    ):
        overall[(stage_id, entry_id)].append(comment)

    out = []
    for entry in mine:
        published = {row["stage"]: row for row in entry["stages"]}
        stages = []
        for stage_id in sorted(published, key=lambda s: _stage_order(snapshot, s)):
            lines = [
                FeedbackCriterion(
                    criterion=criterion,
                    score=means.get((stage_id, entry["id"], criterion.pk)),
                    category_median=standings.median(
                        per_category.get(
                            (stage_id, entry["category"], criterion.pk), []
                        )
                    ),
                    comments=sorted(
                        comments.get((stage_id, entry["id"], criterion.pk), [])
                    ),
                )
                for criterion in criteria
                if criterion.stage_id == stage_id
            ]
            stages.append(
                FeedbackStage(
                    stage_id=stage_id,
                    stage_name=stage_names.get(stage_id, ""),
                    published=published.get(stage_id),
                    criteria=lines,
                    comments=sorted(overall.get((stage_id, entry["id"]), [])),
                )
            )
        out.append(FeedbackEntry(entry=entry, stages=stages))
    return out


def _stage_order(snapshot: dict[str, Any], stage_id: int) -> int:
    for stage in snapshot.get("stages", []):
        if stage["id"] == stage_id:
            return stage["order"]
    return 0


def feedback_regions(user, contest: Contest) -> set[str]:
    """The regions whose feedback the user reads: their delegate regions."""
    if not user.is_authenticated:
        return set()
    return set(
        contest.delegates.filter(user_id=user.pk).values_list("region_id", flat=True)
    )
