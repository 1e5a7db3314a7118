"""A scoring stage's figures, from its submitted sheets (two queries feed
results.computing), and how to read its reliability.
"""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.kept import KeptInProcess, cache_is_shared
from contest import ledger
from contest.models import Criterion, Stage
from judging import selectors as judging_selectors
from judging.enums import SheetState
from judging.models import Score
from results import computing
from results.computing import RANK_BASES, RANK_NORMALIZED, RANK_RAW
from results.models import (
    AdvancementDecision,
)
from results.selectors import stage_rows
from results.selectors.index import stage_index
from results.selectors.reliability import Reliability, reliability  # noqa: F401

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
    sheets: Sequence[SheetRef]
    excluded: list[ExcludedSheet] = field(default_factory=list)
    ranked_by: str = RANK_NORMALIZED
    # Names everything the figures were computed from (None: nothing kept).
    key: str | None = None
    # An indicator stage's figures (results.selectors.index.StageIndex): its
    # `results` then rank the entries by their index scores.
    index: Any = None

    @cached_property
    def by_entry(self) -> dict[int, computing.EntryResult]:
        return _index(self).by_entry

    def sheets_by_entry(self) -> dict[int, list[SheetRef]]:
        return _index(self).sheets

    def excluded_by_entry(self) -> dict[int, list[ExcludedSheet]]:
        return _index(self).excluded

    @property
    def scored(self) -> bool:
        """The stage took place: some entry has a complete submitted sheet."""
        return self.results is not None and any(
            entry.raw_score is not None for entry in self.results.entries
        )


@dataclass(frozen=True)
class _Index:
    """A computation's results, sheets and exclusions by entry: made once for a
    kept computation (they are read, never changed)."""

    by_entry: dict[int, computing.EntryResult]
    sheets: dict[int, list[SheetRef]]
    excluded: dict[int, list[ExcludedSheet]]


_kept_indexes: KeptInProcess[_Index] = KeptInProcess(4)


def _index(computation: StageComputation) -> _Index:
    key = computation.key
    found = None if key is None else _kept_indexes.get(key)
    if found is not None:
        return found
    sheets: dict[int, list[SheetRef]] = defaultdict(list)
    for sheet in computation.sheets:
        sheets[sheet.entry_id].append(sheet)
    excluded: dict[int, list[ExcludedSheet]] = defaultdict(list)
    for sheet in computation.excluded:
        excluded[sheet.entry_id].append(sheet)
    entries = computation.results.entries if computation.results else []
    made = _Index(
        by_entry={entry.entry_id: entry for entry in entries},
        sheets=dict(sheets),
        excluded=dict(excluded),
    )
    return made if key is None else _kept_indexes.put(key, made)


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
    if stage.is_indicator:
        return _indicator_computation(stage, ranked_by)
    criteria = list(judging_selectors.criteria_of(stage))
    if not criteria:
        return StageComputation(
            stage=stage, criteria=[], results=None, sheets=[], ranked_by=ranked_by
        )
    stamp = ledger.kept_stamp()
    key = _kept_key(stage, criteria, stamp, ranked_by)

    def compute():
        # The conflicts no exclusion records yet follow from audited rows (judges'
        # home regions, delegates' roles): the ledger's head covers them too.
        unrecorded = judging_selectors.unrecorded_conflicts(stage.contest)
        entries = judging_selectors.stage_entries(stage).values("pk")
        return _computed(stage, criteria, entries, unrecorded, ranked_by)

    computed, sheets, excluded = _kept_computation(key, compute)
    return StageComputation(
        stage=stage,
        criteria=criteria,
        results=computed,
        sheets=sheets,
        excluded=excluded,
        ranked_by=ranked_by,
        key=key,
    )


def _indicator_computation(stage: Stage, ranked_by: str) -> StageComputation:
    """An indicator stage's figures: no sheets, each entry's index score as both
    its raw and its normalized score (docs/indicator-index.md)."""
    index = stage_index(stage)
    return StageComputation(
        stage=stage,
        criteria=index.criteria,
        results=index.as_results() if index.criteria else None,
        sheets=[],
        ranked_by=ranked_by,
        index=index,
    )


# The newest computations this process read: found again without unpickling
# them from the cache (at 5,000 entries that alone takes a fifth of a second).
_kept_here: KeptInProcess[tuple] = KeptInProcess(4)


def _kept_computation(key: str | None, compute) -> tuple:
    """The computation kept under `key`, in this process or in the shared cache;
    else `compute()`, kept in both. Nothing is kept without a key. A cache of
    this process alone (the default, without REDIS_URL) is skipped: the process
    keeps the computation itself, unpickled."""
    if key is None:
        return compute()
    kept = _kept_here.get(key)
    if kept is None:
        shared = cache_is_shared()
        kept = cache.get(key) if shared else None
        if kept is None:
            kept = compute()
            if shared:
                cache.set(key, kept, KEPT_SECONDS)
        _kept_here.put(key, kept)
    return kept


def _computed(
    stage: Stage,
    criteria: list[Criterion],
    entries,
    unrecorded: dict[tuple[int, int], str],
    ranked_by: str,
) -> tuple[computing.StageResults, list[SheetRef], list[ExcludedSheet]]:
    """The figures from the sheets' values, read and computed with the garbage
    collector paused."""
    with _collector_paused():
        return _computed_from(stage, criteria, entries, unrecorded, ranked_by)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused (and resumed as it was):
    computing a national stage makes some 100,000 objects (rows, sheets,
    entries) and no reference cycles, and the full collections they set off
    took longer than the computation itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _computed_from(
    stage: Stage,
    criteria: list[Criterion],
    entries,
    unrecorded: dict[tuple[int, int], str],
    ranked_by: str,
) -> tuple[computing.StageResults, list[SheetRef], list[ExcludedSheet]]:
    table, excluded = _sheet_inputs(stage, criteria, entries, unrecorded)
    computed = _compute(stage, criteria, table, ranked_by)
    if isinstance(table, computing.SheetTable):
        columns = (table.sheet_ids, table.judge_ids, table.entry_ids)
    else:
        columns = tuple(
            [getattr(sheet, name) for sheet in table]
            for name in ("sheet_id", "judge_id", "entry_id")
        )
    scores = list(map(computed.sheet_scores.__getitem__, columns[0]))
    sheets = _SheetRefs.of(*columns, scores)
    return (
        computed,
        sheets,
        sorted(excluded, key=lambda e: (e.entry_id, e.sheet_id)),
    )


def _sheet_ref(sheet_id: int, judge_id: int, entry_id: int, score) -> SheetRef:
    """A SheetRef made without its frozen __init__ (a third of the cost, for
    15,000 sheets): the same object."""
    ref = object.__new__(SheetRef)
    ref.__dict__.update(
        sheet_id=sheet_id, judge_id=judge_id, entry_id=entry_id, score=score
    )
    return ref


def _sheet_refs(columns: tuple) -> _SheetRefs:
    return _SheetRefs.of(*columns) if columns else _SheetRefs.of((), (), (), ())


class _SheetRefs(Sequence):
    """The SheetRefs of a computation, held as four columns (sheet, judge,
    entry, score) and made into objects only when first read: the figures
    are computed without them, and a page that never lists a sheet never
    makes 15,000 of them. Pickled as the columns (kept in the cache: a
    fraction of the size and of the time of one object each). Reads as the
    list it stands for (len, index, iteration, equality with a list)."""

    __slots__ = ("_refs", "columns")

    def __init__(self, columns: tuple) -> None:
        self.columns = columns
        self._refs: list[SheetRef] | None = None

    @classmethod
    def of(cls, *columns) -> _SheetRefs:
        lengths = {len(column) for column in columns}
        if len(columns) != 4 or len(lengths) > 1:
            raise ValueError("sheet columns do not have one value per sheet")
        return cls(tuple(map(tuple, columns)))

    @property
    def refs(self) -> list[SheetRef]:
        if self._refs is None:
            self._refs = list(map(_sheet_ref, *self.columns))
        return self._refs

    def __len__(self) -> int:
        return len(self.columns[0])

    def __getitem__(self, index):
        return self.refs[index]

    def __iter__(self):
        return iter(self.refs)

    def __eq__(self, other) -> bool:
        if isinstance(other, _SheetRefs):
            return self.columns == other.columns
        if isinstance(other, list):
            return self.refs == other
        return NotImplemented

    __hash__ = None  # a list, not a value

    def __repr__(self) -> str:
        return repr(self.refs)

    def __reduce__(self):
        return _sheet_refs, (self.columns,)


def _kept_key(
    stage: Stage,
    criteria: list[Criterion],
    stamp: tuple[int, str] | None,
    ranked_by: str,
) -> str | None:
    """The cache key of the stage's computation: the stage, the basis, the
    rubric's values and the ledger's last entry (kept_stamp). Every change the
    figures are computed from is audited (sheets submitted, reopened or
    excluded, the stage's entries, conflicts, delegates and judges), so the
    ledger moves with each; the rubric is read in the key itself. None inside a
    transaction and before the ledger's first entry."""
    if stamp is None:
        return None
    rubric = [(c.pk, c.weight, c.min_score, c.max_score) for c in criteria]
    raw = repr((stage.pk, stage.disagreement_threshold, ranked_by, rubric, stamp))
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


def _sheet_rows(stage: Stage, entries) -> stage_rows.SheetRows:
    """On PostgreSQL: the submitted sheets of the stage on its own entries that
    have a score row, and their values (stage_rows.sheet_rows)."""
    rows = stage_rows.sheet_rows(stage, entries)
    having = stage_rows.with_values(rows.heads[:, 0], rows.values)
    if having.all():
        return rows
    return stage_rows.SheetRows(rows.heads[having], rows.values, rows.excluded)


def _excluded_or_not(rows: stage_rows.SheetRows, unrecorded) -> _Sheets:
    """The sheets of `rows` sorted into those that count and those left out."""
    sheets = _Sheets(unrecorded)
    for sheet_id, judge_id, entry_id, category_id, _flag in rows.heads.tolist():
        excluded_at, reason = rows.excluded.get(sheet_id, (None, ""))
        sheets.counts(sheet_id, judge_id, entry_id, category_id, excluded_at, reason)
    return sheets


@dataclass
class _Sheets:
    """The sheets that count, as columns, and those left out, while read."""

    unrecorded: dict[tuple[int, int], str]
    sheet_ids: list[int] = field(default_factory=list)
    judge_ids: list[int] = field(default_factory=list)
    entry_ids: list[int] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)
    excluded: list[ExcludedSheet] = field(default_factory=list)

    def counts(self, sheet_id, judge_id, entry_id, category_id, excluded_at, reason):
        """Whether the sheet counts; else it is listed as excluded."""
        if excluded_at is None and (judge_id, entry_id) in self.unrecorded:
            reason = self.unrecorded[judge_id, entry_id]
            excluded_at = timezone.now()
        if excluded_at is not None:
            self.excluded.append(
                ExcludedSheet(
                    sheet_id=sheet_id,
                    judge_id=judge_id,
                    entry_id=entry_id,
                    excluded_at=excluded_at,
                    reason=reason,
                )
            )
            return False
        self.sheet_ids.append(sheet_id)
        self.judge_ids.append(judge_id)
        self.entry_ids.append(entry_id)
        self.category_ids.append(category_id)
        return True

    def table(self, values, missing, places: int) -> computing.SheetTable:
        return computing.SheetTable(
            sheet_ids=self.sheet_ids,
            judge_ids=self.judge_ids,
            entry_ids=self.entry_ids,
            category_ids=self.category_ids,
            values=values,
            missing=missing,
            places=places,
        )


class _UnknownCriterionError(Exception):
    """A sheet has a value for a criterion outside the stage's rubric."""


def _sheet_inputs(
    stage: Stage, criteria: list[Criterion], entries, unrecorded
) -> tuple[computing.SheetTable | list[computing.SheetInput], list[ExcludedSheet]]:
    """The sheets that count, as results.computing reads them, and those left
    out: excluded, or on an entry the judge now has a conflict with that no
    exclusion records yet."""
    if connection.vendor == "postgresql":
        try:
            return _sheets_in_cents(stage, criteria, entries, unrecorded)
        except _UnknownCriterionError:
            pass
    return _sheets_by_value(stage, entries, unrecorded)


def _sheets_in_cents(
    stage: Stage, criteria: list[Criterion], entries, unrecorded
) -> tuple[computing.SheetTable, list[ExcludedSheet]]:
    rows = _sheet_rows(stage, entries)
    heads = rows.heads
    if unrecorded or heads[:, 4].any():
        sheets = _excluded_or_not(rows, unrecorded)
        columns = (sheets.sheet_ids, sheets.judge_ids, sheets.entry_ids)
        categories, excluded = sheets.category_ids, sheets.excluded
    else:
        *columns, categories = (heads[:, column].tolist() for column in range(4))
        excluded = []
    grid = stage_rows.value_grid(columns[0], rows.values, [c.pk for c in criteria])
    if grid is None:
        raise _UnknownCriterionError
    table = computing.SheetTable(
        sheet_ids=columns[0],
        judge_ids=columns[1],
        entry_ids=columns[2],
        category_ids=categories,
        values=grid[0],
        missing=grid[1],
        places=stage_rows.PLACES,
    )
    return table, excluded


def _sheets_by_value(
    stage: Stage, entries, unrecorded
) -> tuple[list[computing.SheetInput], list[ExcludedSheet]]:
    """From the flat rows of every value, on any database."""
    heads: dict[int, tuple] = {}
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
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
        if sheet_id not in heads:
            heads[sheet_id] = (judge_id, entry_id, category_id, excluded_at, reason)
        values[sheet_id][criterion_id] = value
    sheets = _Sheets(unrecorded)
    rows = [
        values[sheet_id]
        for sheet_id, head in heads.items()
        if sheets.counts(sheet_id, *head)
    ]
    inputs = [
        computing.SheetInput(
            sheet_id=sheet_id,
            judge_id=judge_id,
            entry_id=entry_id,
            category_id=category_id,
            values=row,
        )
        for sheet_id, judge_id, entry_id, category_id, row in zip(
            sheets.sheet_ids,
            sheets.judge_ids,
            sheets.entry_ids,
            sheets.category_ids,
            rows,
            strict=True,
        )
    ]
    return inputs, sheets.excluded


def _compute(
    stage: Stage,
    criteria: list[Criterion],
    inputs: computing.SheetTable | list[computing.SheetInput],
    ranked_by: str,
) -> computing.StageResults:
    """results.computing on the sheets; a DomainError (409) when they do not fit
    the rubric."""
    try:
        if isinstance(inputs, computing.SheetTable):
            return computing.compute_stage_table(
                criteria=rubric_of(criteria),
                table=inputs,
                disagreement_threshold=stage.disagreement_threshold,
                rank_by=ranked_by,
            )
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
