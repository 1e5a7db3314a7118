"""A scoring stage's figures: aggregates, normalization, leniency and ranks (see
the package's docstring). Pure: plain dataclasses and numbers in and out.
"""

from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from itertools import repeat
from operator import attrgetter

import numpy as np

from judging.scoring import (
    CategoryId,
    Criterion,
    CriterionId,
    EntryId,
    JudgeId,
    Number,
    Rubric,
    SheetId,
    exact,
    exact_arithmetic,
    prepare_rubric,
    round_float,
    sheet_numerator,
)
from results.computing.figures import (
    PRIOR,
    _categories,
    _complete_sheets,
    _decimals,
    _grouped,
    _Groups,
    _integer_alpha,
    _judge_effects_of,
    _leniency,
    _normalized_scores,
    _sheet_decimals,
    _solve_effects,
    _stage_alpha,
    _summaries,
    _summarize,
)
from results.computing.ranking import (
    RANK_BASES,
    RANK_NORMALIZED,
    RANK_RAW,
    RankBy,
)
from results.computing.reliability import interval_alpha
from results.computing.table import (
    SheetInput,
    SheetTable,
    _numerators,
    _table_fits,
    _table_of,
)

# The evidence below which the results page warns (see "Normalized score" in
# the package's docstring; the prior, PRIOR, is figures').
MIN_SHEETS = 3
MIN_SHARED = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryResult:
    """The standing of one entry at the stage; scores are two-place Decimals."""

    entry_id: EntryId
    category_id: CategoryId
    raw_score: Decimal | None
    median: Decimal | None
    normalized_score: Decimal | None
    spread: Decimal | None
    stdev: Decimal | None
    sheets: int
    incomplete_sheets: int = 0
    rank: int | None = None
    tie_unresolved: bool = False
    flagged: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class JudgeStats:
    """A judge's complete sheets at the stage: how many, their mean and sample
    stdev, the leniency and the number of entries it was measured on."""

    judge_id: JudgeId
    sheets: int
    incomplete_sheets: int
    mean: Decimal | None
    stdev: Decimal | None
    leniency: Decimal | None
    shared_entries: int
    effect: Decimal | None = None
    correction_weight: Decimal = Decimal("0.00")

    @property
    def little_evidence(self) -> bool:
        """Too few sheets, or too few shared with other judges, to tell the
        judge's leniency from the quality of the entries they drew."""
        return self.sheets < MIN_SHEETS or self.shared_entries < MIN_SHARED


@dataclass(frozen=True, slots=True, kw_only=True)
class StageResults:
    """Everything computed for a stage; ``entries`` is ordered by category id, then
    rank (unranked last), then entry id."""

    entries: list[EntryResult]
    sheet_scores: dict[SheetId, Decimal | None]
    alpha: float | None
    alpha_per_criterion: dict[CriterionId, float | None]
    leniency: dict[JudgeId, Decimal | None]
    judge_stats: dict[JudgeId, JudgeStats]
    grand_mean: Decimal | None
    grand_stdev: Decimal | None
    shared_per_category: dict[CategoryId, int] = field(default_factory=dict)
    panels_per_category: dict[CategoryId, int] = field(default_factory=dict)
    rank_by: RankBy = RANK_NORMALIZED

    def __reduce__(self):
        """Pickled with its entries as plain tuples (kept in a shared cache: a
        few times faster than one object each)."""
        values = {name: getattr(self, name) for name in _RESULTS_FIELDS}
        values["entries"] = tuple(map(_entry_row, self.entries))
        return _stage_results_of, (values,)


_ENTRY_FIELDS = tuple(item.name for item in fields(EntryResult))


_RESULTS_FIELDS = tuple(item.name for item in fields(StageResults))


_entry_row = attrgetter(*_ENTRY_FIELDS)


def _stage_results_of(values: dict) -> StageResults:
    return StageResults(**{**values, "entries": _entries_of_rows(values["entries"])})


def compute_stage_results(
    *,
    criteria: Sequence[Criterion],
    sheets: Iterable[SheetInput],
    disagreement_threshold: Number,
    rank_by: RankBy = RANK_NORMALIZED,
) -> StageResults:
    """Every figure of a scoring stage, from its rubric and its submitted sheets;
    ranked by the normalized score, or by the raw score (``rank_by="raw"``)."""
    if rank_by not in RANK_BASES:
        raise ValueError(f"unknown ranking basis {rank_by!r}")
    rubric = prepare_rubric(criteria)
    threshold = exact(disagreement_threshold, "the disagreement threshold")
    sheet_list = list(sheets)
    _check_sheets(sheet_list)
    with exact_arithmetic():
        for sheet in sheet_list:
            sheet_numerator(sheet.values, rubric)
    return _stage_results(_table_of(sheet_list, rubric), rubric, threshold, rank_by)


def compute_stage_table(
    *,
    criteria: Sequence[Criterion],
    table: SheetTable,
    disagreement_threshold: Number,
    rank_by: RankBy = RANK_NORMALIZED,
) -> StageResults:
    """:func:`compute_stage_results` of the sheets of ``table``: the same figures
    and the same errors, without one object per sheet."""
    if rank_by not in RANK_BASES:
        raise ValueError(f"unknown ranking basis {rank_by!r}")
    rubric = prepare_rubric(criteria)
    threshold = exact(disagreement_threshold, "the disagreement threshold")
    if not _table_fits(table, rubric):
        # Some sheet is wrong: the sheets one by one say which, as they always did.
        return compute_stage_results(
            criteria=criteria,
            sheets=table.sheet_inputs(criteria),
            disagreement_threshold=disagreement_threshold,
            rank_by=rank_by,
        )
    return _stage_results(table, rubric, threshold, rank_by)


def _stage_results(
    table: SheetTable, rubric: Rubric, threshold: Decimal, rank_by: RankBy
) -> StageResults:
    complete, scores = _numerators(table, rubric)
    sheets = _complete_sheets(table, complete, scores, rubric)
    everything = [score for score in scores if score is not None]
    grand = _summarize(everything, sheets.denominator)
    by_entry = _grouped(sheets.entry_of, sheets)
    by_judge = _grouped(sheets.judge_of, sheets)
    leniency, shared = _leniency(sheets)
    effects, evidence = _judge_effects_of(
        sheets.entry_of, sheets.judge_of, sheets.quotients
    )
    if len(everything) < 2 or grand.spread == 0:
        effects = {}
    normalized = _normalized_scores(sheets, effects)
    category_of = dict(zip(table.entry_ids, table.category_ids, strict=True))
    judge_ids = sorted(set(table.judge_ids))
    category_ids = sorted(set(category_of.values()))
    incomplete = sheets.incomplete.tolist()
    incomplete_of_entry = Counter(table.entry_ids[row] for row in incomplete)
    incomplete_of_judge = Counter(table.judge_ids[row] for row in incomplete)
    judge_summaries = dict(zip(by_judge.keys, _summaries(by_judge), strict=True))
    shared_entries, panels = _categories(sheets)
    decimals = _sheet_decimals(scores, sheets.denominator)
    return StageResults(
        entries=_entry_results(
            category_of, by_entry, incomplete_of_entry, normalized, threshold, rank_by
        ),
        sheet_scores=dict(zip(table.sheet_ids, decimals, strict=True)),
        alpha=_stage_alpha(sheets),
        alpha_per_criterion=_alpha_per_criterion(table, rubric),
        leniency={judge_id: leniency.get(judge_id) for judge_id in judge_ids},
        judge_stats={
            judge_id: _judge_stats(
                judge_id,
                judge_summaries.get(judge_id),
                incomplete_of_judge[judge_id],
                leniency,
                shared,
                effects,
                evidence,
            )
            for judge_id in judge_ids
        },
        grand_mean=grand.mean,
        grand_stdev=grand.stdev,
        shared_per_category={
            category_id: shared_entries.get(category_id, 0)
            for category_id in category_ids
        },
        panels_per_category={
            category_id: panels.get(category_id, 0) for category_id in category_ids
        },
        rank_by=rank_by,
    )


def _entry_results(
    category_of: Mapping[EntryId, CategoryId],
    by_entry: _Groups,
    incomplete_of_entry: Counter[EntryId],
    normalized: tuple[np.ndarray, list[Decimal]],
    threshold: Decimal,
    rank_by: RankBy,
) -> list[EntryResult]:
    """Each entry's aggregates and rank, ordered by category, rank (unranked
    last) and entry id, as _competition_ranks orders them: the keys compared
    are the two-place figures, in cents."""
    if not category_of:
        return []
    # The entries with a complete sheet first (by_entry.keys, ascending), then
    # the others.
    with_sheets = set(by_entry.keys)
    every = by_entry.keys + sorted(e for e in category_of if e not in with_sheets)
    order, ranks, ties = _rank_order(category_of, every, by_entry, normalized, rank_by)
    scored = len(by_entry.keys)
    unscored = len(every) - scored
    figures = _entry_figures(by_entry, threshold) + [_UNSCORED] * unscored
    scores = normalized[1] + [None] * unscored
    entry_ids = list(map(every.__getitem__, order))
    raws, medians, spreads, stdevs, counts, flagged = zip(
        *map(figures.__getitem__, order), strict=True
    )
    return _entries_of_columns(
        (
            entry_ids,
            list(map(category_of.__getitem__, entry_ids)),
            raws,
            medians,
            list(map(scores.__getitem__, order)),
            spreads,
            stdevs,
            counts,
            [incomplete_of_entry.get(entry_id, 0) for entry_id in entry_ids],
            [
                rank if row < scored else None
                for row, rank in zip(order, ranks, strict=True)
            ],
            [tie and row < scored for row, tie in zip(order, ties, strict=True)],
            flagged,
        )
    )


def _rank_order(
    category_of: Mapping[EntryId, CategoryId],
    every: list[EntryId],
    by_entry: _Groups,
    normalized: tuple[np.ndarray, list[Decimal]],
    rank_by: RankBy,
) -> tuple[list[int], list[int], list[bool]]:
    """The rows of `every` in the order of the results (by category, then the
    ranking keys best first, unranked last, then id), with each position's
    competition rank within its category and whether it shares it."""
    scored = len(by_entry.keys)
    unscored = len(every) - scored
    categories = np.array([category_of[e] for e in every], dtype=np.int64)
    has_rank = np.r_[np.ones(scored, bool), np.zeros(unscored, bool)]
    pad = np.zeros(unscored, dtype=np.int64)
    mean = np.r_[by_entry.mean.astype(np.int64), pad]
    median = np.r_[by_entry.median.astype(np.int64), pad]
    sizes = np.r_[by_entry.sizes.astype(np.int64), pad]
    chain = [mean, median, sizes]
    if rank_by != RANK_RAW:
        chain.insert(0, np.r_[normalized[0].astype(np.int64), pad])
    ids = np.array(every, dtype=np.int64)
    order = np.lexsort(
        (ids, *(-column for column in reversed(chain)), ~has_rank, categories)
    )
    ranked = has_rank[order]
    keys = np.stack([categories[order], *(c[order] for c in chain)], axis=1)
    starts = np.r_[True, (keys[1:] != keys[:-1]).any(axis=1) | ~ranked[1:]]
    starts |= ~ranked
    group = np.cumsum(starts) - 1
    group_first = np.flatnonzero(starts)
    group_size = np.diff(np.r_[group_first, len(order)])
    category_first = np.flatnonzero(np.r_[True, keys[1:, 0] != keys[:-1, 0]])
    in_category = np.repeat(category_first, np.diff(np.r_[category_first, len(order)]))
    ranks = (group_first[group] - in_category + 1).tolist()
    ties = (group_size[group] > 1).tolist()
    return order.tolist(), ranks, ties


def _entry_figures(by_entry: _Groups, threshold: Decimal) -> list[tuple]:
    """(raw, median, spread, stdev, sheets, flagged) of each scored entry, in
    by_entry's order, as two-place Decimals."""
    raws = _decimals(by_entry.mean.tolist())
    medians = _decimals(by_entry.median.tolist())
    spreads = _decimals(by_entry.spread.tolist())
    stdevs = _decimals(by_entry.stdev.tolist())
    if min(by_entry.stdev.tolist(), default=0) < 0:
        stdevs = [
            None if c < 0 else d
            for c, d in zip(by_entry.stdev.tolist(), stdevs, strict=True)
        ]
    counts = by_entry.sizes.tolist()
    return [
        (raw, median, spread, stdev, count, spread > threshold)
        for raw, median, spread, stdev, count in zip(
            raws, medians, spreads, stdevs, counts, strict=True
        )
    ]


# (raw, median, spread, stdev, sheets, flagged) of an entry without a sheet.
_UNSCORED = (None, None, None, None, 0, False)


_ENTRY_SETTERS = tuple(
    getattr(EntryResult, item.name).__set__ for item in fields(EntryResult)
)


def _entries_of_rows(rows: Iterable[tuple]) -> list[EntryResult]:
    """EntryResults of rows in the order of its fields."""
    rows = list(rows)
    if any(len(row) != len(_ENTRY_SETTERS) for row in rows):
        raise ValueError("an entry row does not have one value per field")
    return _entries_of_columns(
        tuple(zip(*rows, strict=True)) or ((),) * len(_ENTRY_SETTERS)
    )


def _entries_of_columns(columns: Sequence[Sequence]) -> list[EntryResult]:
    """EntryResults of columns in the order of its fields (of one length): set
    slot by slot, as its __init__ would, column by column, at a fifth of the
    cost (5,000 entries per stage)."""
    count = len(columns[0])
    if len(columns) != len(_ENTRY_SETTERS) or any(len(c) != count for c in columns):
        raise ValueError("entry columns do not have one value per field and entry")
    entries = list(map(object.__new__, repeat(EntryResult, count)))
    for setter, column in zip(_ENTRY_SETTERS, columns, strict=True):
        deque(map(setter, entries, column), maxlen=0)
    return entries


def _judge_stats(
    judge_id: JudgeId,
    summary: tuple[int, Decimal, Decimal | None] | None,
    incomplete: int,
    leniency: Mapping[JudgeId, Decimal],
    shared: Mapping[JudgeId, int],
    effects: Mapping[JudgeId, float],
    evidence: Mapping[JudgeId, float],
) -> JudgeStats:
    weight = evidence.get(judge_id, 0.0)
    sheets, mean, stdev = (0, None, None) if summary is None else summary
    return JudgeStats(
        judge_id=judge_id,
        sheets=sheets,
        incomplete_sheets=incomplete,
        mean=mean,
        stdev=stdev,
        leniency=leniency.get(judge_id),
        shared_entries=shared.get(judge_id, 0),
        effect=None if judge_id not in effects else round_float(effects[judge_id]),
        correction_weight=round_float(weight / (weight + PRIOR)),
    )


def _check_sheets(sheets: Sequence[SheetInput]) -> None:
    sheet_ids: set[SheetId] = set()
    pairs: set[tuple[JudgeId, EntryId]] = set()
    category_of: dict[EntryId, CategoryId] = {}
    for sheet in sheets:
        if sheet.sheet_id in sheet_ids:
            raise ValueError(f"sheet {sheet.sheet_id} is given twice")
        sheet_ids.add(sheet.sheet_id)
        pair = (sheet.judge_id, sheet.entry_id)
        if pair in pairs:
            raise ValueError(
                f"judge {sheet.judge_id} has two sheets on entry {sheet.entry_id}"
            )
        pairs.add(pair)
        category = category_of.setdefault(sheet.entry_id, sheet.category_id)
        if category != sheet.category_id:
            raise ValueError(f"entry {sheet.entry_id} is in two categories")


def judge_effects(
    sheets: Iterable[tuple[EntryId, JudgeId, float]],
) -> tuple[dict[JudgeId, float], dict[JudgeId, float]]:
    """Each judge's effect (leniency) by the ridge model of the module docstring,
    from ``(entry, judge, score)`` triples (one per complete sheet), and the
    evidence behind it (the diagonal of ``L``)."""
    ordered = sorted(sheets)
    judges = sorted({judge_id for _, judge_id, _ in ordered})
    if not judges:
        return {}, {}
    index = {judge_id: position for position, judge_id in enumerate(judges)}
    return _solve_effects(
        judges,
        np.array([entry_id for entry_id, _, _ in ordered]),
        np.array([index[judge_id] for _, judge_id, _ in ordered], dtype=np.intp),
        np.array([score for _, _, score in ordered], dtype=float),
    )


def normalized_sheet_value(score: Decimal, effect: Decimal | None) -> Decimal:
    """A sheet's score less its judge's effect, in [0, 100] (for the pages)."""
    if effect is None:
        return score
    return min(max(score - effect, Decimal("0.00")), Decimal("100.00"))


def _alpha_per_criterion(
    table: SheetTable, rubric: Rubric
) -> dict[CriterionId, float | None]:
    _, units = np.unique(
        np.asarray(table.entry_ids, dtype=np.int64), return_inverse=True
    )
    units = units.reshape(-1).astype(np.intp)
    scale = 10**table.places
    alphas = {}
    for column, (cid, *_) in enumerate(rubric.terms):
        present = ~table.missing[:, column]
        values = table.values[present, column]
        if values.dtype.kind in "iu":
            alphas[cid] = _integer_alpha(units[present], values, scale)
        else:
            floats = np.array([int(v) / scale for v in values.tolist()], dtype=float)
            alphas[cid] = interval_alpha(units[present], floats)
    return alphas
