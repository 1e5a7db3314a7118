"""A scoring stage's figures, from its submitted sheets (two queries feed
results.computing), and how to read its reliability.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import CharField, Count, Max, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest.models import Criterion, Stage
from judging import selectors as judging_selectors
from judging.enums import SheetState
from judging.models import Score, ScoreSheet
from results import computing
from results.computing import RANK_BASES, RANK_NORMALIZED, RANK_RAW, standings
from results.enums import (
    ALPHA_GOOD,
    ALPHA_SHORT,
    ALPHA_TENTATIVE,
    ALPHA_TONES,
    AlphaReading,
)
from results.models import (
    AdvancementDecision,
)

_CENT = Decimal("0.01")
KEPT_SECONDS = 24 * 3600  # a kept computation is found by its stamp, never stale


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
    """Everything results.computing computes for a stage, with the sheets it used
    and the submitted sheets it left out (`excluded`)."""

    stage: Stage
    criteria: list[Criterion]
    results: computing.StageResults | None
    sheets: list[SheetRef]
    excluded: list[ExcludedSheet] = field(default_factory=list)
    ranked_by: str = RANK_NORMALIZED

    @property
    def by_entry(self) -> dict[int, computing.EntryResult]:
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


def rubric_of(criteria: Iterable[Criterion]) -> list[computing.Criterion]:
    return [
        computing.Criterion(
            id=c.pk, weight=c.weight, min_score=c.min_score, max_score=c.max_score
        )
        for c in criteria
    ]


def stage_score(result: computing.EntryResult, ranked_by: str) -> Decimal | None:
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
    entries = judging_selectors.stage_entries(stage).values("pk")
    criteria = list(
        judging_selectors.criteria_of(stage).annotate(**_sheets_stamps(stage, entries))
    )
    if not criteria:
        return StageComputation(
            stage=stage, criteria=[], results=None, sheets=[], ranked_by=ranked_by
        )
    unrecorded = judging_selectors.unrecorded_conflicts(stage.contest)
    key = _kept_key(stage, criteria, unrecorded, ranked_by)
    kept = cache.get(key) if key else None
    if kept is None:
        kept = _computed(stage, criteria, entries, unrecorded, ranked_by)
        if key:
            cache.set(key, kept, KEPT_SECONDS)
    computed, sheets, excluded = kept
    return StageComputation(
        stage=stage,
        criteria=criteria,
        results=computed,
        sheets=sheets,
        excluded=excluded,
        ranked_by=ranked_by,
    )


def _computed(
    stage: Stage,
    criteria: list[Criterion],
    entries,
    unrecorded: dict[tuple[int, int], str],
    ranked_by: str,
) -> tuple[computing.StageResults, list[SheetRef], list[ExcludedSheet]]:
    """The figures from the sheets' values (the one query that reads them)."""
    inputs, excluded = _sheet_inputs(stage, entries, unrecorded)
    computed = _compute(stage, criteria, inputs, ranked_by)
    sheets = [
        SheetRef(
            sheet_id=sheet.sheet_id,
            judge_id=sheet.judge_id,
            entry_id=sheet.entry_id,
            score=computed.sheet_scores[sheet.sheet_id],
        )
        for sheet in inputs
    ]
    return (
        computed,
        sheets,
        sorted(excluded, key=lambda e: (e.entry_id, e.sheet_id)),
    )


def _sheets_stamps(stage: Stage, entries) -> dict[str, Subquery]:
    """Texts that change with every write to the stage's sheets: how many there
    are, how many count (submitted, on the stage's entries), how many are
    excluded, the sum of their versions and categories, the last save and
    exclusion. Read as subqueries of the rubric's query, so keeping costs no
    query of its own (two short texts: SQLite refuses one deep expression)."""
    counted = Q(state=SheetState.SUBMITTED, assignment__submission__in=entries)
    groups = [
        [
            Count("pk"),
            Count("pk", filter=counted),
            Count("pk", filter=Q(excluded_at__isnull=False)),
            Sum("version"),
        ],
        [
            Sum("assignment__submission__category_id", filter=counted),
            Max("updated_at"),
            Max("excluded_at"),
        ],
    ]
    stamps = {}
    for index, parts in enumerate(groups):
        texts = [Value("|")]
        for part in parts:
            texts += [Cast(part, CharField()), Value("|")]
        stamps[f"results_stamp_{index}"] = Subquery(
            ScoreSheet.objects.filter(assignment__stage_id=stage.pk)
            .order_by()
            .values("assignment__stage_id")
            .annotate(stamp=Concat(*texts, output_field=CharField()))
            .values("stamp")
        )
    return stamps


def _kept_key(
    stage: Stage,
    criteria: list[Criterion],
    unrecorded: dict[tuple[int, int], str],
    ranked_by: str,
) -> str | None:
    """The cache key of the stage's computation: the stage, the basis, the
    rubric's values, the sheets' stamp and the conflicts no exclusion records
    yet. None while the stage has no sheet (nothing worth keeping)."""
    stamp = (criteria[0].results_stamp_0, criteria[0].results_stamp_1)
    if stamp[0] is None:
        return None
    rubric = [(c.pk, c.weight, c.min_score, c.max_score) for c in criteria]
    conflicts = sorted(unrecorded.items())
    raw = repr(
        (stage.pk, stage.disagreement_threshold, ranked_by, rubric, stamp, conflicts)
    )
    return "results.stage:" + hashlib.sha256(raw.encode()).hexdigest()


def _score_rows(stage: Stage, entries):
    """Every value of the stage's submitted sheets on its own entries, flat."""
    return (
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


def _sheet_inputs(
    stage: Stage, entries, unrecorded: dict[tuple[int, int], str]
) -> tuple[list[computing.SheetInput], list[ExcludedSheet]]:
    """The sheets that count, as results.computing reads them, and those left
    out: excluded, or on an entry the judge now has a conflict with that no
    exclusion records yet."""
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
    ) in _score_rows(stage, entries):
        if excluded_at is None and (judge_id, entry_id) in unrecorded:
            reason = unrecorded[judge_id, entry_id]
            excluded_at = timezone.now()
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
        computing.SheetInput(
            sheet_id=sheet_id,
            judge_id=judge_id,
            entry_id=entry_id,
            category_id=category_id,
            values=values[sheet_id],
        )
        for sheet_id, (judge_id, entry_id, category_id) in heads.items()
    ]
    return inputs, list(excluded.values())


def _compute(
    stage: Stage,
    criteria: list[Criterion],
    inputs: list[computing.SheetInput],
    ranked_by: str,
) -> computing.StageResults:
    """results.computing on the sheets; a DomainError (409) when they do not fit
    the rubric."""
    try:
        return computing.compute_stage_results(
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
