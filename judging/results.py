"""The results of a scoring stage: sheet scores, aggregates, normalization, ranks,
reliability, judges' leniency, score bands and the final score across stages.

A pure module: plain dataclasses and numbers in, plain dataclasses out, no Django
and no database. The selectors and services fetch the stage's rubric and submitted
sheets, turn them into :class:`Criterion` and :class:`SheetInput`, call
:func:`compute_stage_results` and store or show what it returns. Bad input (a value
outside its criterion's range, two sheets of one judge on one entry, ...) raises
``ValueError`` (``TypeError`` for a float where a Decimal belongs) with an English
message; the calling service turns it into a ``DomainError``.

Sheet score
-----------
The weighted score of a sheet, on 0-100, over the criteria of the stage::

    score = sum(w * (v - min) / (max - min) * 100) / sum(w)

A sheet without a value for some criterion (``None`` or absent) is incomplete:
:func:`sheet_score` returns ``None`` for it (it does not raise), and the sheet is
left out of every aggregate, of the normalization, of the judges' leniency and of
the stage's alpha (its values still count in the per-criterion alpha, which needs
only the criterion's value). Weights may be 0 but not negative, and not all 0.

Exact figures, rounded once
---------------------------
Every public score is a ``Decimal`` with two places, rounded ``ROUND_HALF_UP``
(half away from zero) once, at the end. Sheet scores are kept exact (integers over
one common denominator, no binary floating point), and the mean, median, spread,
standard deviation (through an integer square root), leniency and final score are
each rounded from their exact value, never from an already rounded figure. So the
mean of an entry's rounded sheet scores may differ by 0.01 from its reported mean;
the reported one is the exact mean, rounded. The normalized score goes through
square roots of the judges' variances: it is computed in IEEE double precision
(correctly rounded operations and ``math.fsum``, so the figure does not depend on
the order of the sheets) and rounded the same way. Krippendorff's alpha is a float.

Per entry
---------
Over the entry's complete sheets: ``raw_score`` (their mean), ``median``,
``spread`` (highest minus lowest), ``stdev`` (sample standard deviation, n - 1;
``None`` with one sheet), ``sheets`` (how many complete sheets) and
``incomplete_sheets``. ``flagged`` is ``spread > disagreement_threshold``,
comparing the reported two-place spread, so the flag agrees with the figure shown.

Normalized score
----------------
It removes each judge's leniency, as far as the sheets give evidence of it: a
least-squares judge-effect model with a prior (ridge regression). Each complete
sheet's score is taken as::

    score(j, e) = quality(e) + effect(j) + noise

and the effects minimize::

    sum over sheets of (score - quality - effect) ** 2  +  PRIOR * sum of effect ** 2

(the qualities are free). The prior says a judge is as likely neutral as not
(``PRIOR`` = 1: a judge's effect is believed as strongly as one sheet's noise), so
each effect is shrunk toward zero by how much evidence there is. The evidence is
what the judge's sheets share with other judges' sheets: an entry scored by one
judge alone says nothing about that judge's leniency (its quality absorbs it), so
a judge whose entries no other judge scored keeps an effect of 0 and their raw
scores; two panels of a category that share no entry cannot be compared, and stay
as raw as they were. With m judges on an entry, each of them gains ``1 - 1/m`` of
evidence from it; a judge's ``correction_weight`` is ``evidence / (evidence +
PRIOR)``, the share of a plain least-squares estimate the prior keeps (0 with no
evidence, near 1 with a lot).

Solving: minimizing over the qualities first leaves ``(L + PRIOR * I) b = r``
over the judges, with ``L = sum over entries of (I - 1 1'/m)`` on the entry's
judges and ``r = sum over entries of (score - entry mean)``; solved in IEEE
double precision with the sheets sorted by entry and judge, so the figures do not
depend on the input order.

A sheet's normalized value is ``score - effect(judge)``, clamped to [0, 100]; an
entry's normalized score is the mean of its sheets' normalized values. The
correction shifts all of a judge's sheets by the same amount, so one judge's
sheets keep their order. In a complete design (every judge scores every entry of
the stage) the effects cancel out in every entry's mean: normalized equals raw, as
it should, since no entry met a harsher panel than another.

The raw score is always reported beside the normalized one, with each judge's
effect (``JudgeStats.effect``) and weight, and per category how many entries have
sheets of two judges or more (``StageResults.shared_per_category``) and into how
many groups of judges sharing no entry it falls (``panels_per_category``): the
results page warns when a judge has fewer than ``MIN_SHEETS`` complete sheets or
fewer than ``MIN_SHARED`` shared entries, and when a category has fewer than
``MIN_SHARED`` shared entries or more than one group.

Ranks
-----
Within each category, by this chain, each step comparing the reported two-place
figures (anyone can check a ranking from the published table):

1. the higher normalized score;
2. the higher raw score (mean);
3. the higher median;
4. the more complete sheets (a score resting on more judges).

An organizer may rank a stage by its raw score instead (``rank_by="raw"``): then
the chain is the raw score, the median, the number of sheets.

Entries still equal after every step share a rank (competition ranking: 1, 2, 2, 4)
and are marked ``tie_unresolved``: the organizer decides. Ties are never broken by
id, name or input order; within a tie, the list order (by entry id) means nothing.
An entry without a complete sheet has no rank (``None``) and comes last.

Reliability
-----------
Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability"), from the coincidence matrix, which handles missing cells:
every judge scores only some entries. Units are entries, coders are judges; a unit
with fewer than two values has no pairable value and is dropped. For the stage the
values are the sheet scores, and per criterion the criterion's values. See
:func:`krippendorff_alpha`; ``None`` when alpha is undefined.

Leniency
--------
For each complete sheet of judge j on entry e that has other complete sheets:
``score(j, e) - mean of the other judges' scores on e``; a judge's leniency is the
mean of these over such entries (positive: lenient, negative: harsh), ``None`` when
the judge shares no entry with another judge.

Score bands and the final score
-------------------------------
:func:`score_band` maps a score to the label of the highest band whose threshold
it reaches, and ``None`` (evidence missing) to "Tidak dapat dinilai".
:func:`final_score` weighs the stages' scores; an entry lacking the score of any
stage with a positive weight gets no final score (``None``): an entry that did not
advance to a later stage must not be compared, on fewer stages, with one that did.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from fractions import Fraction
from itertools import combinations
from typing import Literal, TypeAlias

import numpy as np

CriterionId: TypeAlias = int
SheetId: TypeAlias = int
JudgeId: TypeAlias = int
EntryId: TypeAlias = int
CategoryId: TypeAlias = int
StageId: TypeAlias = int
Number: TypeAlias = Decimal | int
Metric: TypeAlias = Literal["interval", "nominal"]
RankBy: TypeAlias = Literal["normalized", "raw"]
RANK_BASES = ("normalized", "raw")

# The normalization's prior and the evidence below which the results page warns
# (see "Normalized score" above).
PRIOR = 1.0
MIN_SHEETS = 3
MIN_SHARED = 3

NOT_ASSESSABLE = "Tidak dapat dinilai"

_CENT = Decimal("0.01")
_EXACT_DIGITS = 60


@dataclass(frozen=True, slots=True, kw_only=True)
class Criterion:
    """One line of the rubric: its weight and the range of its values."""

    id: CriterionId
    weight: Number
    min_score: Number
    max_score: Number


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
    rank_by: RankBy = "normalized"


@dataclass(frozen=True, slots=True)
class _Rubric:
    """``score = sum(coefficient * (value - min)) / denominator``, all exact."""

    ids: frozenset[CriterionId]
    terms: tuple[tuple[CriterionId, int, Decimal, Decimal], ...]
    denominator: int


# Rounding --------------------------------------------------------------------


def _round_half_up(numerator: int, denominator: int) -> Decimal:
    """The rational ``numerator / denominator`` rounded half up to two places."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    cents = (200 * abs(numerator) + denominator) // (2 * denominator)
    return Decimal(-cents if numerator < 0 else cents).scaleb(-2)


def _sqrt_round_half_up(numerator: int, denominator: int) -> Decimal:
    """``sqrt(numerator / denominator)`` rounded half up to two places, exactly.

    With ``r = 4 * 10**4 * numerator / denominator`` (four times the square of the
    value in cents), the rounded cents are ``floor((sqrt(r) + 1) / 2)``, which
    equals ``(isqrt(floor(r)) + 1) // 2``.
    """
    root = math.isqrt(40_000 * numerator // denominator)
    return Decimal((root + 1) // 2).scaleb(-2)


def _round_float(value: float) -> Decimal:
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


# Sheet scores ----------------------------------------------------------------


def _exact(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal or an int, not {value!r}")
    return Decimal(value)


@contextmanager
def _exact_arithmetic() -> Iterator[None]:
    """Decimal arithmetic that raises rather than round."""
    with localcontext() as context:
        context.prec = _EXACT_DIGITS
        context.traps[Inexact] = True
        yield


def _prepare_rubric(criteria: Sequence[Criterion]) -> _Rubric:
    if not criteria:
        raise ValueError("a scoring stage needs at least one criterion")
    ids = [criterion.id for criterion in criteria]
    if len(set(ids)) != len(ids):
        raise ValueError("criterion ids must be unique")
    weights = [_exact(criterion.weight, "a weight") for criterion in criteria]
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    total_weight = Fraction(sum(weights))
    if total_weight == 0:
        raise ValueError("at least one weight must be positive")
    bounds = []
    factors = []
    for criterion, weight in zip(criteria, weights, strict=True):
        low = _exact(criterion.min_score, "a min_score")
        high = _exact(criterion.max_score, "a max_score")
        if high <= low:
            raise ValueError(f"criterion {criterion.id}: max_score must exceed min")
        bounds.append((low, high))
        factors.append(100 * Fraction(weight) / (Fraction(high - low) * total_weight))
    denominator = math.lcm(*(factor.denominator for factor in factors))
    terms = tuple(
        (cid, factor.numerator * (denominator // factor.denominator), low, high)
        for cid, factor, (low, high) in zip(ids, factors, bounds, strict=True)
    )
    return _Rubric(ids=frozenset(ids), terms=terms, denominator=denominator)


def _sheet_numerator(
    values: Mapping[CriterionId, Number | None], rubric: _Rubric
) -> Decimal | None:
    """The sheet's score times ``rubric.denominator``, exact; ``None`` when a value
    is missing. Call inside ``_exact_arithmetic()``."""
    if not rubric.ids.issuperset(values):
        unknown = sorted(set(values) - rubric.ids)
        raise ValueError(f"values for criteria not in the rubric: {unknown}")
    total = Decimal(0)
    complete = True
    for cid, coefficient, low, high in rubric.terms:
        value = values.get(cid)
        if value is None:
            complete = False
            continue
        if value.__class__ is not Decimal:
            value = _exact(value, "a criterion value")
        if not low <= value <= high:
            raise ValueError(f"criterion {cid}: {value} is outside [{low}, {high}]")
        total += coefficient * (value - low)
    return total if complete else None


def sheet_score(
    *, values: Mapping[CriterionId, Number | None], criteria: Sequence[Criterion]
) -> Decimal | None:
    """The sheet's weighted score on 0-100, rounded half up to two places, or
    ``None`` when a criterion has no value (the sheet is incomplete)."""
    rubric = _prepare_rubric(criteria)
    with _exact_arithmetic():
        numerator = _sheet_numerator(values, rubric)
    if numerator is None:
        return None
    top, bottom = numerator.as_integer_ratio()
    return _round_half_up(top, bottom * rubric.denominator)


def _to_integers(
    numerators: Sequence[Decimal | None], denominator: int
) -> tuple[list[int | None], int]:
    """The exact numerators as integers over one common denominator."""
    places = max(
        (-int(n.as_tuple().exponent) for n in numerators if n is not None),
        default=0,
    )
    places = max(places, 0)
    with _exact_arithmetic():
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
        median = _round_half_up(ordered[middle], denominator)
    else:
        median = _round_half_up(ordered[middle - 1] + ordered[middle], 2 * denominator)
    stdev = None
    if count >= 2:
        stdev = _sqrt_round_half_up(
            count * sum(s * s for s in scores) - total * total,
            count * (count - 1) * denominator * denominator,
        )
    return _Summary(
        mean=_round_half_up(total, count * denominator),
        median=median,
        spread=_round_half_up(ordered[-1] - ordered[0], denominator),
        stdev=stdev,
    )


def compute_stage_results(
    *,
    criteria: Sequence[Criterion],
    sheets: Iterable[SheetInput],
    disagreement_threshold: Number,
    rank_by: RankBy = "normalized",
) -> StageResults:
    """Every figure of a scoring stage, from its rubric and its submitted sheets;
    ranked by the normalized score, or by the raw score (``rank_by="raw"``)."""
    if rank_by not in RANK_BASES:
        raise ValueError(f"unknown ranking basis {rank_by!r}")
    rubric = _prepare_rubric(criteria)
    threshold = _exact(disagreement_threshold, "the disagreement threshold")
    sheet_list = list(sheets)
    _check_sheets(sheet_list)

    with _exact_arithmetic():
        numerators = [_sheet_numerator(sheet.values, rubric) for sheet in sheet_list]
    scores, denominator = _to_integers(numerators, rubric.denominator)

    category_of: dict[EntryId, CategoryId] = {}
    incomplete_of_entry: Counter[EntryId] = Counter()
    incomplete_of_judge: Counter[JudgeId] = Counter()
    on_entry: dict[EntryId, list[tuple[JudgeId, int]]] = defaultdict(list)
    of_judge: dict[JudgeId, list[int]] = defaultdict(list)
    for sheet, score in zip(sheet_list, scores, strict=True):
        category_of[sheet.entry_id] = sheet.category_id
        if score is None:
            incomplete_of_entry[sheet.entry_id] += 1
            incomplete_of_judge[sheet.judge_id] += 1
            continue
        on_entry[sheet.entry_id].append((sheet.judge_id, score))
        of_judge[sheet.judge_id].append(score)

    everything = [score for score in scores if score is not None]
    grand = _summarize(everything, denominator)
    leniency, shared = _leniency(on_entry, denominator)
    effects, evidence = judge_effects(
        (sheet.entry_id, sheet.judge_id, score / denominator)
        for sheet, score in zip(sheet_list, scores, strict=True)
        if score is not None
    )
    if len(everything) < 2 or grand.spread == 0:
        effects = {}
    normalized = _normalized_scores(sheet_list, scores, effects, denominator)
    shared_per_category: Counter[CategoryId] = Counter()
    entries_of_category: dict[CategoryId, dict[EntryId, list]] = defaultdict(dict)
    for entry_id, pairs in on_entry.items():
        entries_of_category[category_of[entry_id]][entry_id] = pairs
        if len(pairs) >= 2:
            shared_per_category[category_of[entry_id]] += 1

    summaries = {
        entry_id: _summarize([s for _, s in on_entry.get(entry_id, [])], denominator)
        for entry_id in category_of
    }
    ranks = _competition_ranks(
        {
            entry_id: (
                category_of[entry_id],
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
                category_id=category_of[entry_id],
                raw_score=summary.mean,
                median=summary.median,
                normalized_score=normalized.get(entry_id, summary.mean),
                spread=summary.spread,
                stdev=summary.stdev,
                sheets=len(on_entry.get(entry_id, [])),
                incomplete_sheets=incomplete_of_entry[entry_id],
                rank=rank,
                tie_unresolved=tie_unresolved,
                flagged=summary.spread is not None and summary.spread > threshold,
            )
        )

    judge_ids = {sheet.judge_id for sheet in sheet_list}
    judge_stats = {}
    for judge_id in sorted(judge_ids):
        summary = _summarize(of_judge.get(judge_id, []), denominator)
        judge_stats[judge_id] = JudgeStats(
            judge_id=judge_id,
            sheets=len(of_judge.get(judge_id, [])),
            incomplete_sheets=incomplete_of_judge[judge_id],
            mean=summary.mean,
            stdev=summary.stdev,
            leniency=leniency.get(judge_id),
            shared_entries=shared[judge_id],
            effect=None if judge_id not in effects else _round_float(effects[judge_id]),
            correction_weight=_round_float(
                evidence.get(judge_id, 0.0) / (evidence.get(judge_id, 0.0) + PRIOR)
            ),
        )

    return StageResults(
        entries=entries,
        sheet_scores={
            sheet.sheet_id: None
            if score is None
            else _round_half_up(score, denominator)
            for sheet, score in zip(sheet_list, scores, strict=True)
        },
        alpha=_stage_alpha(on_entry, denominator),
        alpha_per_criterion=_alpha_per_criterion(sheet_list, rubric),
        leniency={judge_id: leniency.get(judge_id) for judge_id in sorted(judge_ids)},
        judge_stats=judge_stats,
        grand_mean=grand.mean,
        grand_stdev=grand.stdev,
        shared_per_category={
            category_id: shared_per_category[category_id]
            for category_id in sorted(set(category_of.values()))
        },
        panels_per_category={
            category_id: _panels(entries_of_category.get(category_id, {}))
            for category_id in sorted(set(category_of.values()))
        },
        rank_by=rank_by,
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
        entry_id: _round_float(float(sums[index]) / int(counts[index]))
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
        leniency[judge_id] = _round_half_up(
            deviation.numerator,
            deviation.denominator * shared[judge_id] * denominator,
        )
    return leniency, shared


def _stage_alpha(
    on_entry: Mapping[EntryId, Sequence[tuple[JudgeId, int]]], denominator: int
) -> float | None:
    units = [index for index, pairs in enumerate(on_entry.values()) for _ in pairs]
    values = [score / denominator for pairs in on_entry.values() for _, score in pairs]
    return _interval_alpha(np.array(units, dtype=np.intp), np.array(values))


def _alpha_per_criterion(
    sheets: Sequence[SheetInput], rubric: _Rubric
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
        alphas[cid] = _interval_alpha(units[present], table[present, column])
    return alphas


# Ranks -----------------------------------------------------------------------

_RankKey: TypeAlias = tuple[Decimal | int, ...]


def _rank_key(
    rank_by: RankBy, normalized: Decimal, raw: Decimal, median: Decimal, sheets: int
) -> _RankKey:
    if rank_by == "raw":
        return (raw, median, sheets)
    return (normalized, raw, median, sheets)


def _competition_ranks(
    keys: Mapping[EntryId, tuple[CategoryId, _RankKey | None]],
) -> dict[EntryId, tuple[int | None, bool]]:
    """``(rank, tie_unresolved)`` of each entry within its category, from its rank
    key (normalized, raw, median, sheets) or ``None`` when it has no score;
    ordered by category id, then rank (unranked last), then entry id."""
    by_category: dict[CategoryId, list[tuple[EntryId, _RankKey | None]]]
    by_category = defaultdict(list)
    for entry_id, (category_id, key) in keys.items():
        by_category[category_id].append((entry_id, key))

    ranks: dict[EntryId, tuple[int | None, bool]] = {}
    for category_id in sorted(by_category):
        members = sorted(by_category[category_id])
        scored = [(entry_id, key) for entry_id, key in members if key is not None]
        scored.sort(key=lambda member: member[1], reverse=True)
        sizes = Counter(key for _, key in scored)
        rank, previous = 0, None
        for position, (entry_id, key) in enumerate(scored, start=1):
            if key != previous:
                rank, previous = position, key
            ranks[entry_id] = (rank, sizes[key] > 1)
        for entry_id, key in members:
            if key is None:
                ranks[entry_id] = (None, False)
    return ranks


def rank_entries(
    entries: Iterable[EntryResult], *, rank_by: RankBy = "normalized"
) -> list[EntryResult]:
    """The entries with ``rank`` and ``tie_unresolved`` set within each category,
    by the chain of the module docstring; ordered by category id, then rank
    (unranked last), then entry id."""
    if rank_by not in RANK_BASES:
        raise ValueError(f"unknown ranking basis {rank_by!r}")
    by_id: dict[EntryId, EntryResult] = {}
    for entry in entries:
        if by_id.setdefault(entry.entry_id, entry) is not entry:
            raise ValueError(f"entry {entry.entry_id} is given twice")
    keys: dict[EntryId, tuple[CategoryId, _RankKey | None]] = {}
    for entry_id, entry in by_id.items():
        scores = (entry.normalized_score, entry.raw_score, entry.median)
        if scores[0] is None:
            keys[entry_id] = (entry.category_id, None)
        elif None in scores:
            raise ValueError(f"entry {entry_id} has a score but no raw or median")
        else:
            keys[entry_id] = (
                entry.category_id,
                _rank_key(rank_by, *scores, entry.sheets),  # type: ignore[arg-type]
            )
    return [
        replace(by_id[entry_id], rank=rank, tie_unresolved=tie_unresolved)
        for entry_id, (rank, tie_unresolved) in _competition_ranks(keys).items()
    ]


# Reliability -----------------------------------------------------------------


def _pairable(
    units: Mapping[object, Mapping[object, object | None]],
) -> list[list[object]]:
    groups = []
    for values in units.values():
        present = [value for value in values.values() if value is not None]
        if len(present) >= 2:
            groups.append(present)
    return groups


def coincidence_matrix(
    units: Mapping[object, Mapping[object, object | None]],
) -> dict[tuple[object, object], Fraction]:
    """Krippendorff's coincidence matrix, exact: ``o[c, k]`` sums, over the units,
    the ordered pairs of values (c, k) from different coders, each divided by the
    unit's number of values minus 1. Units with fewer than two values are dropped;
    cells that are 0 are absent."""
    matrix: dict[tuple[object, object], Fraction] = defaultdict(Fraction)
    for values in _pairable(units):
        weight = Fraction(1, len(values) - 1)
        for i, j in combinations(range(len(values)), 2):
            matrix[values[i], values[j]] += weight
            matrix[values[j], values[i]] += weight
    return dict(matrix)


def krippendorff_alpha(
    *,
    units: Mapping[object, Mapping[object, Number | float | None]],
    metric: Metric = "interval",
) -> float | None:
    """Krippendorff's alpha of ``units`` (unit -> coder -> value, ``None`` or an
    absent coder for a missing cell), for the interval or the nominal metric.

    From the coincidence matrix ``o`` (see :func:`coincidence_matrix`), its
    marginals ``n_c`` and ``n`` (the number of pairable values)::

        alpha = 1 - D_o / D_e
        D_o = sum(o[c, k] * delta2(c, k)) / n
        D_e = sum(n_c * n_k * delta2(c, k)) / (n * (n - 1))

    with ``delta2 = (c - k) ** 2`` (interval) or ``c != k`` (nominal). The matrix is
    not built (a stage's scores take thousands of distinct values); the same sums
    are taken unit by unit: ``sum(o[c, k] * delta2)`` is the sum over the units of
    ``delta2`` over the unit's ordered pairs of values, divided by ``m_u - 1``;
    ``sum(n_c * n_k * delta2)`` is ``2 * n * sum((v - mean) ** 2)`` (interval) or
    ``n ** 2 - sum(n_c ** 2)`` (nominal).

    ``None`` when alpha is undefined: no unit has two values, or every pairable
    value is the same (no variation, ``D_e = 0``).
    """
    if metric not in ("interval", "nominal"):
        raise ValueError(f"unknown metric {metric!r}")
    if metric == "interval":
        unit_index = []
        numbers = []
        for index, values in enumerate(units.values()):
            for value in values.values():
                if value is not None:
                    unit_index.append(index)
                    numbers.append(float(value))
        return _interval_alpha(np.array(unit_index, dtype=np.intp), np.array(numbers))

    groups = _pairable(units)
    if not groups:
        return None
    count = sum(len(values) for values in groups)
    observed = []
    for values in groups:
        size = len(values)
        same = sum(n * n for n in Counter(values).values())
        observed.append(Fraction(size * size - same, size - 1))
    margins = Counter(value for values in groups for value in values)
    expected = count * count - sum(n * n for n in margins.values())
    if expected == 0:
        return None
    return float(1 - (count - 1) * sum(observed, Fraction(0)) / expected)


def _interval_alpha(units: np.ndarray, values: np.ndarray) -> float | None:
    """Interval alpha of ``values``, each tagged with its unit's index in ``units``.

    The values are sorted by unit, then value, and each unit's values are shifted
    by its lowest value, so that the sums do not depend on the input order and a
    unit whose values agree contributes exactly 0. Over a unit's ordered pairs,
    ``sum((a - b) ** 2) = 2 * (m * sum(d ** 2) - sum(d) ** 2)``.
    """
    if len(values) == 0:
        return None
    order = np.lexsort((values, units))
    units, values = units[order], values[order]
    pairable = np.bincount(units)[units] >= 2
    units, values = units[pairable], values[pairable]
    count = len(values)
    if count == 0 or values.min() == values.max():
        return None
    firsts = np.flatnonzero(np.r_[True, units[1:] != units[:-1]])
    kept = units[firsts]
    sizes = np.bincount(units)[kept]
    shifted = values - np.repeat(values[firsts], sizes)
    sums = np.bincount(units, weights=shifted)[kept]
    squares = np.bincount(units, weights=shifted * shifted)[kept]
    pair_sums = np.maximum(2 * (sizes * squares - sums * sums), 0.0)
    observed = math.fsum((pair_sums / (sizes - 1)).tolist())
    deviations = values - math.fsum(values.tolist()) / count
    expected = 2 * count * math.fsum((deviations * deviations).tolist())
    return 1 - (count - 1) * observed / expected


# Orders, bands, final score --------------------------------------------------


def kendall_tau(*, order_a: Sequence[object], order_b: Sequence[object]) -> float:
    """Kendall's tau between two orders (best first) of the same items, without
    ties: ``(concordant - discordant) / (n * (n - 1) / 2)``, in O(n log n)."""
    if len(set(order_a)) != len(order_a) or len(set(order_b)) != len(order_b):
        raise ValueError("an order lists an item twice")
    if set(order_a) != set(order_b):
        raise ValueError("the two orders must hold the same items")
    size = len(order_a)
    if size < 2:
        raise ValueError("Kendall's tau needs at least two items")
    position = {item: index for index, item in enumerate(order_a)}
    tree = [0] * (size + 1)
    discordant = 0
    for seen, item in enumerate(order_b):
        index = position[item] + 1
        before = 0
        while index > 0:
            before += tree[index]
            index -= index & -index
        discordant += seen - before
        index = position[item] + 1
        while index <= size:
            tree[index] += 1
            index += index & -index
    pairs = size * (size - 1) // 2
    return (pairs - 2 * discordant) / pairs


def score_band(
    *,
    score: Number | None,
    bands: Iterable[tuple[Number, str]],
    missing_label: str = NOT_ASSESSABLE,
) -> str:
    """The label of the highest band whose threshold ``score`` reaches
    (``score >= threshold``), e.g. ``[(60, "Sangat Inovatif"), (35, "Inovatif"),
    (0, "Kurang Inovatif")]``; ``missing_label`` when ``score`` is ``None``."""
    ordered = sorted(bands, key=lambda band: band[0], reverse=True)
    if not ordered:
        raise ValueError("at least one band is needed")
    thresholds = [threshold for threshold, _ in ordered]
    if len(set(thresholds)) != len(thresholds):
        raise ValueError("two bands share a threshold")
    if score is None:
        return missing_label
    for threshold, label in ordered:
        if score >= threshold:
            return label
    raise ValueError(f"{score} is below the lowest band ({thresholds[-1]})")


def final_score(
    *,
    stage_scores: Mapping[StageId, Number | None],
    weights: Mapping[StageId, Number],
) -> Decimal | None:
    """``sum(weight_s * score_s) / sum(weight_s)``, rounded half up to two places
    from the exact value; ``None`` when a stage with a positive weight has no score
    for the entry (stages are not renormalized away, see the module docstring)."""
    unknown = set(stage_scores) - set(weights)
    if unknown:
        raise ValueError(f"scores for stages without a weight: {sorted(unknown)}")
    exact_weights = {
        stage: Fraction(_exact(weight, "a stage weight"))
        for stage, weight in weights.items()
    }
    if any(weight < 0 for weight in exact_weights.values()):
        raise ValueError("stage weights must not be negative")
    total_weight = sum(exact_weights.values())
    if total_weight == 0:
        raise ValueError("at least one stage weight must be positive")
    total = Fraction(0)
    for stage, weight in exact_weights.items():
        if weight == 0:
            continue
        score = stage_scores.get(stage)
        if score is None:
            return None
        total += weight * Fraction(_exact(score, "a stage score"))
    result = total / total_weight
    return _round_half_up(result.numerator, result.denominator)
