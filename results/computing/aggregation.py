"""A scoring stage's figures: aggregates, normalization, leniency and ranks (see
the package's docstring). Pure: plain dataclasses and numbers in and out.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

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
    round_half_up,
    sheet_numerator,
    sqrt_round_half_up,
)
from results.computing.ranking import (
    RANK_BASES,
    RANK_NORMALIZED,
    RankBy,
    _competition_ranks,
    _rank_key,
)
from results.computing.reliability import interval_alpha

# The normalization's prior and the evidence below which the results page warns
# (see "Normalized score" above).
PRIOR = 1.0
MIN_SHEETS = 3
MIN_SHARED = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetInput:
    """A judge's sheet on an entry: a value (or ``None``) per criterion id."""

    sheet_id: SheetId
    judge_id: JudgeId
    entry_id: EntryId
    category_id: CategoryId
    values: Mapping[CriterionId, Number | None]


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


def _to_integers(
    numerators: Sequence[Decimal | None], denominator: int
) -> tuple[list[int | None], int]:
    """The exact numerators as integers over one common denominator."""
    places = max(
        (-int(n.as_tuple().exponent) for n in numerators if n is not None),
        default=0,
    )
    places = max(places, 0)
    with exact_arithmetic():
        integers = [None if n is None else int(n.scaleb(places)) for n in numerators]
    return integers, denominator * 10**places


# Aggregates ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Summary:
    mean: Decimal | None
    median: Decimal | None
    spread: Decimal | None
    stdev: Decimal | None


def _summarize(scores: Sequence[int], denominator: int) -> _Summary:
    """Mean, median, spread and sample stdev of ``score / denominator`` values."""
    count = len(scores)
    if count == 0:
        return _Summary(None, None, None, None)
    total = sum(scores)
    ordered = sorted(scores)
    middle = count // 2
    if count % 2:
        median = round_half_up(ordered[middle], denominator)
    else:
        median = round_half_up(ordered[middle - 1] + ordered[middle], 2 * denominator)
    stdev = None
    if count >= 2:
        stdev = sqrt_round_half_up(
            count * sum(s * s for s in scores) - total * total,
            count * (count - 1) * denominator * denominator,
        )
    return _Summary(
        mean=round_half_up(total, count * denominator),
        median=median,
        spread=round_half_up(ordered[-1] - ordered[0], denominator),
        stdev=stdev,
    )


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
        numerators = [sheet_numerator(sheet.values, rubric) for sheet in sheet_list]
    scores, denominator = _to_integers(numerators, rubric.denominator)
    tally = _tally(sheet_list, scores)
    grand = _summarize(tally.everything, denominator)
    leniency, shared = _leniency(tally.on_entry, denominator)
    effects, evidence = judge_effects(
        (sheet.entry_id, sheet.judge_id, score / denominator)
        for sheet, score in zip(sheet_list, scores, strict=True)
        if score is not None
    )
    if len(tally.everything) < 2 or grand.spread == 0:
        effects = {}
    normalized = _normalized_scores(sheet_list, scores, effects, denominator)
    judge_ids = sorted({sheet.judge_id for sheet in sheet_list})
    category_ids = sorted(set(tally.category_of.values()))
    shared_entries = tally.shared_per_category()
    entries_of_category = tally.entries_of_category()
    return StageResults(
        entries=_entry_results(tally, normalized, denominator, threshold, rank_by),
        sheet_scores={
            sheet.sheet_id: None if score is None else round_half_up(score, denominator)
            for sheet, score in zip(sheet_list, scores, strict=True)
        },
        alpha=_stage_alpha(tally.on_entry, denominator),
        alpha_per_criterion=_alpha_per_criterion(sheet_list, rubric),
        leniency={judge_id: leniency.get(judge_id) for judge_id in judge_ids},
        judge_stats={
            judge_id: _judge_stats(
                judge_id, tally, denominator, leniency, shared, effects, evidence
            )
            for judge_id in judge_ids
        },
        grand_mean=grand.mean,
        grand_stdev=grand.stdev,
        shared_per_category={
            category_id: shared_entries[category_id] for category_id in category_ids
        },
        panels_per_category={
            category_id: _panels(entries_of_category.get(category_id, {}))
            for category_id in category_ids
        },
        rank_by=rank_by,
    )


@dataclass(slots=True)
class _Tally:
    """The complete sheet scores of a stage by entry and by judge, each entry's
    category and the incomplete sheets counted per entry and per judge."""

    category_of: dict[EntryId, CategoryId] = field(default_factory=dict)
    on_entry: dict[EntryId, list[tuple[JudgeId, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    of_judge: dict[JudgeId, list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    incomplete_of_entry: Counter[EntryId] = field(default_factory=Counter)
    incomplete_of_judge: Counter[JudgeId] = field(default_factory=Counter)
    everything: list[int] = field(default_factory=list)

    def entries_of_category(self) -> dict[CategoryId, dict[EntryId, list]]:
        groups: dict[CategoryId, dict[EntryId, list]] = defaultdict(dict)
        for entry_id, pairs in self.on_entry.items():
            groups[self.category_of[entry_id]][entry_id] = pairs
        return groups

    def shared_per_category(self) -> Counter[CategoryId]:
        """How many entries of each category have two complete sheets or more."""
        return Counter(
            self.category_of[entry_id]
            for entry_id, pairs in self.on_entry.items()
            if len(pairs) >= 2
        )


def _tally(sheet_list: Sequence[SheetInput], scores: Sequence[int | None]) -> _Tally:
    tally = _Tally()
    for sheet, score in zip(sheet_list, scores, strict=True):
        tally.category_of[sheet.entry_id] = sheet.category_id
        if score is None:
            tally.incomplete_of_entry[sheet.entry_id] += 1
            tally.incomplete_of_judge[sheet.judge_id] += 1
            continue
        tally.on_entry[sheet.entry_id].append((sheet.judge_id, score))
        tally.of_judge[sheet.judge_id].append(score)
    tally.everything = [score for score in scores if score is not None]
    return tally


def _entry_results(
    tally: _Tally,
    normalized: Mapping[EntryId, Decimal],
    denominator: int,
    threshold: Decimal,
    rank_by: RankBy,
) -> list[EntryResult]:
    """Each entry's aggregates and rank, in the order of _competition_ranks."""
    on_entry = tally.on_entry
    summaries = {
        entry_id: _summarize([s for _, s in on_entry.get(entry_id, [])], denominator)
        for entry_id in tally.category_of
    }
    ranks = _competition_ranks(
        {
            entry_id: (
                tally.category_of[entry_id],
                None
                if summary.mean is None or summary.median is None
                else _rank_key(
                    rank_by,
                    normalized.get(entry_id, summary.mean),
                    summary.mean,
                    summary.median,
                    len(on_entry[entry_id]),
                ),
            )
            for entry_id, summary in summaries.items()
        }
    )
    entries = []
    for entry_id, (rank, tie_unresolved) in ranks.items():
        summary = summaries[entry_id]
        entries.append(
            EntryResult(
                entry_id=entry_id,
                category_id=tally.category_of[entry_id],
                raw_score=summary.mean,
                median=summary.median,
                normalized_score=normalized.get(entry_id, summary.mean),
                spread=summary.spread,
                stdev=summary.stdev,
                sheets=len(on_entry.get(entry_id, [])),
                incomplete_sheets=tally.incomplete_of_entry[entry_id],
                rank=rank,
                tie_unresolved=tie_unresolved,
                flagged=summary.spread is not None and summary.spread > threshold,
            )
        )
    return entries


def _judge_stats(
    judge_id: JudgeId,
    tally: _Tally,
    denominator: int,
    leniency: Mapping[JudgeId, Decimal],
    shared: Counter[JudgeId],
    effects: Mapping[JudgeId, float],
    evidence: Mapping[JudgeId, float],
) -> JudgeStats:
    scores = tally.of_judge.get(judge_id, [])
    summary = _summarize(scores, denominator)
    weight = evidence.get(judge_id, 0.0)
    return JudgeStats(
        judge_id=judge_id,
        sheets=len(scores),
        incomplete_sheets=tally.incomplete_of_judge[judge_id],
        mean=summary.mean,
        stdev=summary.stdev,
        leniency=leniency.get(judge_id),
        shared_entries=shared[judge_id],
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
    size = len(judges)
    entry_ids = np.array([entry_id for entry_id, _, _ in ordered])
    judge_of = np.array([index[judge_id] for _, judge_id, _ in ordered], dtype=np.intp)
    score_of = np.array([score for _, _, score in ordered], dtype=float)
    firsts = np.flatnonzero(np.r_[True, entry_ids[1:] != entry_ids[:-1]])
    sizes = np.diff(np.r_[firsts, len(ordered)])
    group = np.repeat(np.arange(len(firsts)), sizes)
    shared = np.repeat(sizes, sizes) >= 2
    group_start = np.repeat(firsts, sizes)[shared]
    group_size = np.repeat(sizes, sizes)[shared]
    rows = np.flatnonzero(shared)
    means = np.bincount(group, weights=score_of) / sizes
    right = np.bincount(
        judge_of[rows],
        weights=score_of[rows] - means[group[rows]],
        minlength=size,
    )
    matrix = np.zeros((size, size))
    np.add.at(matrix, (judge_of[rows], judge_of[rows]), 1.0)
    repeated = np.repeat(np.arange(len(rows)), group_size)
    offsets = np.arange(len(repeated)) - np.repeat(
        np.cumsum(group_size) - group_size, group_size
    )
    partners = group_start[repeated] + offsets
    np.add.at(
        matrix,
        (judge_of[rows][repeated], judge_of[partners]),
        -1.0 / group_size[repeated],
    )
    evidence = np.diag(matrix).copy()
    matrix[np.diag_indices(size)] += PRIOR
    effects = np.linalg.solve(matrix, right)
    return (
        {judge_id: float(effects[index[judge_id]]) for judge_id in judges},
        {judge_id: float(evidence[index[judge_id]]) for judge_id in judges},
    )


def _normalized_scores(
    sheet_list: Sequence[SheetInput],
    scores: Sequence[int | None],
    effects: Mapping[JudgeId, float],
    denominator: int,
) -> dict[EntryId, Decimal]:
    """The normalized score of each entry with a complete sheet: the mean of its
    sheets' scores less their judges' effects, each clamped to [0, 100]."""
    complete = [
        (sheet.entry_id, score / denominator - effects.get(sheet.judge_id, 0.0))
        for sheet, score in zip(sheet_list, scores, strict=True)
        if score is not None
    ]
    if not complete:
        return {}
    entry_ids = sorted({entry_id for entry_id, _ in complete})
    position = {entry_id: index for index, entry_id in enumerate(entry_ids)}
    where = np.array([position[entry_id] for entry_id, _ in complete], dtype=np.intp)
    values = np.clip(np.array([value for _, value in complete]), 0.0, 100.0)
    order = np.lexsort((values, where))
    where, values = where[order], values[order]
    sums = np.bincount(where, weights=values, minlength=len(entry_ids))
    counts = np.bincount(where, minlength=len(entry_ids))
    return {
        entry_id: round_float(float(sums[index]) / int(counts[index]))
        for index, entry_id in enumerate(entry_ids)
    }


def normalized_sheet_value(score: Decimal, effect: Decimal | None) -> Decimal:
    """A sheet's score less its judge's effect, in [0, 100] (for the pages)."""
    if effect is None:
        return score
    return min(max(score - effect, Decimal("0.00")), Decimal("100.00"))


def _panels(on_entry: Mapping[EntryId, Sequence[tuple[JudgeId, int]]]) -> int:
    """How many groups of judges that share no entry these entries' sheets form."""
    parent: dict[JudgeId, JudgeId] = {}

    def root(judge_id: JudgeId) -> JudgeId:
        parent.setdefault(judge_id, judge_id)
        while parent[judge_id] != judge_id:
            parent[judge_id] = parent[parent[judge_id]]
            judge_id = parent[judge_id]
        return judge_id

    for pairs in on_entry.values():
        first = root(pairs[0][0])
        for judge_id, _ in pairs[1:]:
            parent[root(judge_id)] = first
    return len({root(judge_id) for judge_id in list(parent)})


def _leniency(
    on_entry: Mapping[EntryId, Sequence[tuple[JudgeId, int]]], denominator: int
) -> tuple[dict[JudgeId, Decimal], Counter[JudgeId]]:
    """Each judge's mean deviation from the others on shared entries, exactly.

    On an entry with m complete sheets summing to S, a sheet x deviates by
    ``x - (S - x) / (m - 1)``; the sums are kept per divisor ``m - 1`` as integers.
    """
    sums: dict[JudgeId, Counter[int]] = defaultdict(Counter)
    shared: Counter[JudgeId] = Counter()
    for pairs in on_entry.values():
        others = len(pairs) - 1
        if others == 0:
            continue
        total = sum(score for _, score in pairs)
        for judge_id, score in pairs:
            sums[judge_id][others] += score * others - (total - score)
            shared[judge_id] += 1
    leniency = {}
    for judge_id, by_divisor in sums.items():
        deviation = sum(
            (Fraction(value, divisor) for divisor, value in by_divisor.items()),
            Fraction(0),
        )
        leniency[judge_id] = round_half_up(
            deviation.numerator,
            deviation.denominator * shared[judge_id] * denominator,
        )
    return leniency, shared


def _stage_alpha(
    on_entry: Mapping[EntryId, Sequence[tuple[JudgeId, int]]], denominator: int
) -> float | None:
    units = [index for index, pairs in enumerate(on_entry.values()) for _ in pairs]
    values = [score / denominator for pairs in on_entry.values() for _, score in pairs]
    return interval_alpha(np.array(units, dtype=np.intp), np.array(values))


def _alpha_per_criterion(
    sheets: Sequence[SheetInput], rubric: Rubric
) -> dict[CriterionId, float | None]:
    unit_of: dict[EntryId, int] = {}
    units = np.array(
        [unit_of.setdefault(sheet.entry_id, len(unit_of)) for sheet in sheets],
        dtype=np.intp,
    )
    ids = [cid for cid, *_ in rubric.terms]
    table = np.array(
        [
            math.nan if value is None else float(value)
            for sheet in sheets
            for value in map(sheet.values.get, ids)
        ]
    ).reshape(len(sheets), len(ids))
    alphas = {}
    for column, cid in enumerate(ids):
        present = ~np.isnan(table[:, column])
        alphas[cid] = interval_alpha(units[present], table[present, column])
    return alphas


# Ranks -----------------------------------------------------------------------
