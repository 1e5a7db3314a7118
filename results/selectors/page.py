"""The organizers' results page of a stage: rows per category, judges, evidence of
the normalization, alpha per criterion, the histogram.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import accumulate
from typing import Any

from django.db.models import QuerySet

from common.kept import KeptInProcess
from contest.enums import JUDGED_STAGE_KINDS
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
class CategoryOrder:
    """A category's entries in the order the page lists them (best first), by id:
    a page loads the rows of the ids it shows only."""

    category: Category
    entry_ids: list[int]
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


class RowKeys(Sequence):
    """The (group, entry id) of every row of `groups`, in order, without making
    them all: a page slices out the few it shows (Paginator's object list)."""

    def __init__(self, groups: list[CategoryOrder]) -> None:
        self.groups = groups
        self.starts = list(accumulate((len(g.entry_ids) for g in groups), initial=0))

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, index):
        if isinstance(index, int):
            if index < 0:
                index += len(self)
            if not 0 <= index < len(self):
                raise IndexError(index)
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        out = []
        first = max(bisect_right(self.starts, start) - 1, 0)
        for number in range(first, len(self.groups)):
            group, offset = self.groups[number], self.starts[number]
            if offset >= stop:
                break
            ids = group.entry_ids[max(start - offset, 0) : stop - offset]
            out += [(group, entry_id) for entry_id in ids]
        return out


@dataclass
class StagePage:
    stage: Stage
    computation: StageComputation
    groups: list[CategoryOrder]
    decided: frozenset[int] | None
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
    # What the rows' order was made from (ids, categories, titles).
    order_stamp: str = ""

    @cached_property
    def fragment_key(self) -> str | None:
        """Names everything the page's ranking and judges show, so that their
        rendering can be kept: the computation, the rows' order and titles, the
        judges' names, the decision. None when the computation is not kept."""
        if self.computation.key is None:
            return None
        decision = self.decision
        raw = repr(
            (
                self.computation.key,
                self.order_stamp,
                [(row.judge.pk, str(row.judge)) for row in self.judges],
                None if decision is None else (decision.pk, decision.decided_at),
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    @cached_property
    def categories(self) -> list[CategoryRows]:
        """Every entry's row, by category (the minutes print them all)."""
        return self.rows_of(self.row_keys()[:])

    def row_keys(self, category: int | None = None) -> RowKeys:
        """Every row's (group, entry id), of one category when `category` is
        given (a category's id)."""
        groups = self.groups
        if category is not None:
            groups = [g for g in groups if g.category.pk == category]
        return RowKeys(groups)

    def rows_of(self, keys: list[tuple[CategoryOrder, int]]) -> list[CategoryRows]:
        """The rows of `keys` (a slice of the groups' ids, in order), loaded in
        one query and grouped by category."""
        submissions = (
            Submission.objects.filter(pk__in=[entry_id for _, entry_id in keys])
            .select_related("category", "region")
            .defer(*LONG_TEXT_FIELDS)
            .in_bulk()
        )
        by_entry = self.computation.by_entry
        sheets_of = self.computation.sheets_by_entry()
        excluded_of = self.computation.excluded_by_entry()
        shown: list[CategoryRows] = []
        for group, entry_id in keys:
            if entry_id not in submissions:
                continue  # deleted since the order was read: the next read drops it
            if not shown or shown[-1].category.pk != group.category.pk:
                shown.append(CategoryRows(group.category, [], group.advancing))
            shown[-1].rows.append(
                ResultRow(
                    submission=submissions[entry_id],
                    result=by_entry.get(entry_id),
                    sheets=sorted(sheets_of.get(entry_id, []), key=_sheet_order),
                    advanced=None if self.decided is None else entry_id in self.decided,
                    excluded=excluded_of.get(entry_id, []),
                )
            )
        return shown

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
    """The histogram bin of a 0-100 score (whole tens; 100 in the last bin)."""
    return min(int(score) // (100 // HISTOGRAM_BINS), HISTOGRAM_BINS - 1)


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


def stage_entry_keys(stage: Stage) -> QuerySet:
    """(id, category id, title) of each entry the stage judges
    (judging.selectors.stage_entries): what ordering its rows needs."""
    return (
        judging_selectors.stage_entries(stage)
        .order_by()
        .values_list("pk", "category_id", "title")
    )


def next_scoring_stage(stage: Stage) -> Stage | None:
    """The next judged stage (scoring or indicator): the one the entries a
    stage advances go on to."""
    return (
        Stage.objects.filter(
            contest_id=stage.contest_id,
            kind__in=JUDGED_STAGE_KINDS,
            order__gt=stage.order,
        )
        .order_by("order")
        .first()
    )


def stage_page(stage: Stage, *, ranked_by: str | None = None) -> StagePage:
    """The organizer's results page of a stage, in a fixed number of queries.
    Ranked by the basis its advancement recorded; before one, by `ranked_by`
    (normalized unless the organizer previews the raw ranking). Its rows are
    ordered by id; `rows_of` loads those a page shows."""
    decision = AdvancementDecision.objects.filter(stage=stage).first()
    if decision is not None:
        ranked_by = decision.ranked_by
    computation = stage_results(stage, ranked_by=ranked_by or RANK_NORMALIZED)
    decided = frozenset(decision.advanced) if decision else None
    groups, order_stamp, histograms = _derived(stage, computation, decided)
    computed = computation.results
    judge_rows = _judge_rows(computation, histograms)
    minutes = StageMinutes.objects.filter(stage=stage).first()
    return StagePage(
        stage=stage,
        computation=computation,
        groups=groups,
        decided=decided,
        judges=judge_rows,
        stage_histogram=histograms.get(None, [0] * HISTOGRAM_BINS),
        reliability=reliability(None if computed is None else computed.alpha),
        per_criterion=_per_criterion(computation),
        decision=decision,
        minutes=minutes,
        next_stage=next_scoring_stage(stage),
        entry_count=sum(len(group.entry_ids) for group in groups),
        sheet_count=len(computation.sheets),
        flagged_count=sum(
            1 for e in (computed.entries if computed else []) if e.flagged
        ),
        published=stage.contest.is_frozen,
        ranked_by=computation.ranked_by,
        evidence=_evidence(computed, groups),
        excluded_count=len(computation.excluded),
        order_stamp=order_stamp,
    )


# What a page derives from a kept computation (the rows' order, the histograms),
# kept beside it under the same key: the ledger moves with every change to the
# entries' titles, categories and stages as with the sheets.
_kept_derived: KeptInProcess[tuple] = KeptInProcess(4)


def _derived(
    stage: Stage, computation: StageComputation, decided: frozenset[int] | None
) -> tuple[list[CategoryOrder], str, dict[int | None, list[int]]]:
    key = None if computation.key is None else (computation.key, decided)
    found = None if key is None else _kept_derived.get(key)
    if found is not None:
        return found
    groups, order_stamp = _ordered_groups(stage, computation, decided)
    made = (groups, order_stamp, _histograms(computation))
    return made if key is None else _kept_derived.put(key, made)


def _entry_keys(stage: Stage, computation: StageComputation) -> list[tuple]:
    """(id, category id, title) of the stage's entries, and of any other entry its
    sheets are on (one more query only then)."""
    keys = list(stage_entry_keys(stage))
    known = {key[0] for key in keys}
    missing = (set(computation.by_entry) | set(computation.excluded_by_entry())) - known
    if missing:
        keys += list(
            Submission.objects.filter(pk__in=missing)
            .order_by()
            .values_list("pk", "category_id", "title")
        )
    return keys


def _ordered_groups(
    stage: Stage, computation: StageComputation, decided: frozenset[int] | None
) -> tuple[list[CategoryOrder], str]:
    """The entries' ids grouped by category, best first, with how many advanced
    once the advancement is decided (one query for the categories); and a digest
    of what the order was made from."""
    by_entry = computation.by_entry
    ids: dict[int, list[tuple]] = defaultdict(list)
    keys = sorted(_entry_keys(stage, computation))
    for entry_id, category_id, title in keys:
        result = by_entry.get(entry_id)
        rank = None if result is None else result.rank
        ids[category_id].append((rank is None, rank or 0, title.lower(), entry_id))
    categories = Category.objects.filter(pk__in=list(ids)).order_by("order", "name")
    groups = []
    for category in categories:
        entry_ids = [key[-1] for key in sorted(ids[category.pk])]
        advancing = None
        if decided is not None:
            advancing = sum(1 for entry_id in entry_ids if entry_id in decided)
        groups.append(CategoryOrder(category, entry_ids, advancing))
    made_of = repr((keys, [(c.pk, c.name, c.order) for c in categories]))
    return groups, hashlib.sha256(made_of.encode()).hexdigest()


def _histograms(computation: StageComputation) -> dict[int | None, list[int]]:
    """Each judge's histogram of sheet scores, and the stage's (under None)."""
    histograms: dict[int | None, list[int]] = defaultdict(lambda: [0] * HISTOGRAM_BINS)
    for sheet in computation.sheets:
        if sheet.score is None:
            continue
        band = _bin(sheet.score)
        histograms[sheet.judge_id][band] += 1
        histograms[None][band] += 1
    return dict(histograms)


def _judge_rows(
    computation: StageComputation, histograms: dict[int | None, list[int]]
) -> list[JudgeRow]:
    """Each judge's figures and histogram of sheet scores (no query when nothing
    was computed)."""
    computed = computation.results
    if computed is None:
        return []
    # The contest's judges with what their names are made of (no ids to list).
    judges = (
        Judge.objects.filter(contest_id=computation.stage.contest_id)
        .select_related("user")
        .only("pk", "name", "user__name", "user__email")
    )
    stats = computed.judge_stats
    return [
        JudgeRow(
            judge=judge,
            stats=stats[judge.pk],
            histogram=histograms.get(judge.pk, [0] * HISTOGRAM_BINS),
        )
        for judge in sorted(judges, key=lambda j: (str(j).lower(), j.pk))
        if judge.pk in stats
    ]


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
    computed: computing.StageResults | None, groups: list[CategoryOrder]
) -> list[CategoryEvidence]:
    if computed is None:
        return []
    return [
        CategoryEvidence(
            category=group.category,
            shared_entries=computed.shared_per_category.get(group.category.pk, 0),
            panels=computed.panels_per_category.get(group.category.pk, 0),
        )
        for group in groups
        if group.category.pk in computed.shared_per_category
    ]


def _sheet_order(sheet: SheetRef) -> tuple:
    return (sheet.score is None, -(sheet.score or 0), sheet.sheet_id)
