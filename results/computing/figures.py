"""The figures of a stage's complete sheets, computed on arrays (numpy): the
summaries of each entry and judge in cents, the leniency, the judges' effects,
the normalized scores, the panels and the alphas. Each is the figure the plain
computation gives, to the last bit: integer arithmetic (int64 where every
intermediate provably fits, else Python ints), and the floats computed by the
same operations in the same order. Pure.
"""

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from judging.scoring import (
    CategoryId,
    JudgeId,
    Rubric,
)
from results.computing.reliability import interval_alpha, sorted_interval_alpha
from results.computing.table import _FLOAT_EXACT, _INT64_SAFE, SheetTable

# The normalization's prior (see "Normalized score" in the package's docstring).
PRIOR = 1.0

# Two-place Decimals by their number of cents: a stage's figures share them
# (fewer objects to make and to pickle).
_CENTS: dict[int, Decimal] = {}
_CENTS_KEPT = 20_000


def _decimal_cents(cents: int) -> Decimal:
    found = _CENTS.get(cents)
    if found is None:
        found = Decimal(cents).scaleb(-2)
        if -_CENTS_KEPT <= cents <= _CENTS_KEPT:
            _CENTS[cents] = found
    return found


def _decimals(cents: Iterable[int]) -> list[Decimal]:
    """:func:`_decimal_cents` of each."""
    cents = list(cents)
    try:
        return list(map(_CENTS.__getitem__, cents))
    except KeyError:
        return list(map(_decimal_cents, cents))


def _round_cents(numerator: int, denominator: int) -> int:
    """:func:`round_half_up` as a number of cents."""
    cents = (200 * abs(numerator) + denominator) // (2 * denominator)
    return -cents if numerator < 0 else cents


def _sqrt_cents(numerator: int, denominator: int) -> int:
    """:func:`sqrt_round_half_up` as a number of cents."""
    return (math.isqrt(40_000 * numerator // denominator) + 1) // 2


def _float_decimal(value: float) -> Decimal:
    """:func:`round_float`, exactly (half up from the float's exact value),
    with the sign of a negative value that rounds to zero."""
    numerator, denominator = value.as_integer_ratio()
    cents = _round_cents(numerator, denominator)
    if cents == 0 and math.copysign(1.0, value) < 0:
        return Decimal("-0.00")
    return _decimal_cents(cents)


@dataclass(frozen=True, slots=True)
class _Summary:
    mean: Decimal | None
    median: Decimal | None
    spread: Decimal | None
    stdev: Decimal | None


def _summary_cents(
    scores: Sequence[int], denominator: int
) -> tuple[int, int, int, int | None] | None:
    """Mean, median, spread and sample stdev of ``score / denominator`` values,
    in cents (None without scores)."""
    count = len(scores)
    if count == 0:
        return None
    total = sum(scores)
    ordered = sorted(scores)
    middle = count // 2
    if count % 2:
        median = _round_cents(ordered[middle], denominator)
    else:
        median = _round_cents(ordered[middle - 1] + ordered[middle], 2 * denominator)
    stdev = None
    if count >= 2:
        stdev = _sqrt_cents(
            count * sum(s * s for s in scores) - total * total,
            count * (count - 1) * denominator * denominator,
        )
    return (
        _round_cents(total, count * denominator),
        median,
        _round_cents(ordered[-1] - ordered[0], denominator),
        stdev,
    )


def _summarize(scores: Sequence[int], denominator: int) -> _Summary:
    """Mean, median, spread and sample stdev of ``score / denominator`` values."""
    cents = _summary_cents(scores, denominator)
    if cents is None:
        return _Summary(None, None, None, None)
    mean, median, spread, stdev = cents
    return _Summary(
        mean=_decimal_cents(mean),
        median=_decimal_cents(median),
        spread=_decimal_cents(spread),
        stdev=None if stdev is None else _decimal_cents(stdev),
    )


def _quotients(numerators: Sequence[int], denominator: int) -> np.ndarray:
    """``numerator / denominator`` as floats, each correctly rounded."""
    if denominator < _FLOAT_EXACT and (
        not len(numerators)
        or (max(numerators) < _FLOAT_EXACT and min(numerators) > -_FLOAT_EXACT)
    ):
        return np.array(numerators, dtype=float) / float(denominator)
    return np.array([numerator / denominator for numerator in numerators], dtype=float)


@dataclass(slots=True)
class _Complete:
    """The complete sheets of a stage as columns (table order): ids, scores
    times ``denominator`` (int64 when every figure made from them fits in it,
    else Python ints) and as floats; each sheet's entry as an index into
    ``entries`` (ascending), with each entry's number of sheets; the rows of the
    incomplete sheets."""

    entry_of: np.ndarray
    judge_of: np.ndarray
    category_of: np.ndarray
    numerators: np.ndarray
    quotients: np.ndarray
    denominator: int
    incomplete: np.ndarray
    entries: np.ndarray
    entry_index: np.ndarray
    entry_sizes: np.ndarray

    @property
    def small(self) -> bool:
        return self.numerators.dtype != object


@dataclass(slots=True)
class _Groups:
    """The complete sheets grouped by a key (entry or judge), keys ascending:
    each group's key, size and summary in cents (mean, median, spread,
    stdev; -1 for a stdev of one sheet)."""

    keys: list
    sizes: np.ndarray
    mean: np.ndarray
    median: np.ndarray
    spread: np.ndarray
    stdev: np.ndarray


def _complete_sheets(
    table: SheetTable,
    complete: np.ndarray,
    scores: Sequence[int | None],
    rubric: Rubric,
) -> _Complete:
    denominator = rubric.denominator * 10**table.places
    rows = np.flatnonzero(complete)
    known = (
        list(scores)
        if len(rows) == len(scores)
        else [score for score in scores if score is not None]
    )
    entry_of = np.asarray(table.entry_ids, dtype=np.int64)[rows]
    judge_of = np.asarray(table.judge_ids, dtype=np.int64)[rows]
    entries, entry_index, entry_sizes = np.unique(
        entry_of, return_inverse=True, return_counts=True
    )
    judge_sizes = np.unique(judge_of, return_counts=True)[1]
    count = int(max(entry_sizes.max(initial=0), judge_sizes.max(initial=0)))
    largest = max(map(abs, known), default=0)
    # The largest figure made from the scores: a stdev's 40000 * n**2 * s**2.
    small = 40_000 * (count * largest + denominator) ** 2 < _INT64_SAFE
    return _Complete(
        entry_of=entry_of,
        judge_of=judge_of,
        category_of=np.asarray(table.category_ids, dtype=np.int64)[rows],
        numerators=np.array(known, dtype=np.int64 if small else object),
        quotients=_quotients(known, denominator),
        denominator=denominator,
        incomplete=np.flatnonzero(~complete),
        entries=entries,
        entry_index=entry_index.reshape(-1).astype(np.intp),
        entry_sizes=entry_sizes,
    )


def _grouped(keys: np.ndarray, sheets: _Complete) -> _Groups:
    """The complete sheets' summaries by ``keys``."""
    denominator = sheets.denominator
    numerators = sheets.numerators
    if sheets.small:
        order = np.lexsort((numerators, keys))
    else:
        order = np.argsort(keys, kind="stable")
    ordered_keys = keys[order]
    values = numerators[order]
    firsts = np.flatnonzero(np.r_[True, ordered_keys[1:] != ordered_keys[:-1]])
    if not len(keys):
        firsts = firsts[:0]
    sizes = np.diff(np.r_[firsts, len(values)])
    group_keys = ordered_keys[firsts].tolist()
    if not sheets.small:
        bounds = np.r_[firsts, len(values)].tolist()
        listed = values.tolist()
        summaries = [
            _summary_cents(sorted(listed[start:end]), denominator)
            for start, end in itertools.pairwise(bounds)
        ]
        columns = [
            np.array([s[i] if s[i] is not None else -1 for s in summaries], object)
            for i in range(4)
        ]
        return _Groups(group_keys, sizes, *columns)
    lasts = firsts + sizes - 1
    totals = np.add.reduceat(values, firsts) if len(values) else values
    squares = np.add.reduceat(values * values, firsts) if len(values) else values
    middle = firsts + sizes // 2
    odd = sizes % 2 == 1
    median = np.where(
        odd,
        _cents_of(values[middle], denominator),
        _cents_of(values[middle - 1] + values[middle], 2 * denominator),
    )
    several = sizes >= 2
    pairs = np.where(several, sizes * (sizes - 1), 1) * denominator * denominator
    spreads = sizes * squares - totals * totals
    stdev = (_isqrt(40_000 * spreads // pairs) + 1) // 2
    return _Groups(
        keys=group_keys,
        sizes=sizes,
        mean=_cents_of(totals, sizes * denominator),
        median=median,
        spread=_cents_of(values[lasts] - values[firsts], denominator),
        stdev=np.where(several, stdev, -1),
    )


def _summaries(groups: _Groups) -> list[tuple[int, Decimal, Decimal | None]]:
    """Each group's size, mean and stdev (None for one sheet)."""
    cents = _decimal_cents
    return [
        (size, cents(mean), None if stdev < 0 else cents(stdev))
        for size, mean, stdev in zip(
            groups.sizes.tolist(),
            groups.mean.tolist(),
            groups.stdev.tolist(),
            strict=True,
        )
    ]


def _cents_of(numerators: np.ndarray, denominators) -> np.ndarray:
    """:func:`round_half_up` in cents, element by element (int64)."""
    cents = (200 * np.abs(numerators) + denominators) // (2 * denominators)
    return np.where(numerators < 0, -cents, cents)


def _isqrt(values: np.ndarray) -> np.ndarray:
    """``math.isqrt`` element by element, for int64 values below 2**62."""
    roots = np.floor(np.sqrt(values.astype(float))).astype(np.int64)
    for _ in range(2):
        roots = np.where(roots * roots > values, roots - 1, roots)
        roots = np.where((roots + 1) * (roots + 1) <= values, roots + 1, roots)
    return roots


def _categories(
    sheets: _Complete,
) -> tuple[dict[CategoryId, int], dict[CategoryId, int]]:
    """Per category, how many entries have two complete sheets or more, and
    into how many groups of judges sharing no entry its sheets fall."""
    if not len(sheets.entry_of):
        return {}, {}
    order = np.argsort(sheets.entry_index, kind="stable")
    index = sheets.entry_index[order]
    categories = sheets.category_of[order]
    firsts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    sizes = sheets.entry_sizes
    shared = Counter(categories[firsts][sizes >= 2].tolist())
    # The judges of one category are the nodes; each sheet joins its judge to
    # the judge of its entry's first sheet.
    category_ids, category_index = np.unique(categories, return_inverse=True)
    judge_ids, judge_index = np.unique(sheets.judge_of[order], return_inverse=True)
    keys = category_index.reshape(-1) * len(judge_ids) + judge_index.reshape(-1)
    nodes, node_of = np.unique(keys, return_inverse=True)
    node_of = node_of.reshape(-1)
    graph = coo_matrix(
        (np.ones(len(node_of)), (node_of, np.repeat(node_of[firsts], sizes))),
        shape=(len(nodes), len(nodes)),
    )
    _, labels = connected_components(graph, directed=False)
    node_categories = category_ids[nodes // len(judge_ids)].tolist()
    panels = Counter(
        category
        for category, _ in set(zip(node_categories, labels.tolist(), strict=True))
    )
    return dict(shared), dict(panels)


def _sheet_decimals(
    scores: Sequence[int | None], denominator: int
) -> list[Decimal | None]:
    known = [0 if score is None else score for score in scores]
    largest = max(map(abs, known), default=0)
    if 200 * largest + denominator < _INT64_SAFE:
        cents = _cents_of(np.array(known, dtype=np.int64), denominator).tolist()
    else:
        cents = [_round_cents(score, denominator) for score in known]
    decimals = _decimals(cents)
    if None not in scores:
        return decimals
    return [
        None if score is None else decimal
        for score, decimal in zip(scores, decimals, strict=True)
    ]


def _judge_effects_of(
    entry_of: np.ndarray, judge_of: np.ndarray, scores: np.ndarray
) -> tuple[dict[JudgeId, float], dict[JudgeId, float]]:
    """:func:`judge_effects` of the complete sheets as columns (the same
    triples in the same order, so the same figures)."""
    if not len(scores):
        return {}, {}
    order = np.lexsort((scores, judge_of, entry_of))
    judges, index_of = np.unique(judge_of[order], return_inverse=True)
    return _solve_effects(
        judges.tolist(),
        entry_of[order],
        index_of.astype(np.intp),
        scores[order],
    )


def _solve_effects(
    judges: list[JudgeId],
    entry_ids: np.ndarray,
    judge_of: np.ndarray,
    score_of: np.ndarray,
) -> tuple[dict[JudgeId, float], dict[JudgeId, float]]:
    """The ridge model over the sheets sorted by entry, judge and score, with
    each sheet's judge as its index in ``judges`` (sorted)."""
    size = len(judges)
    count = len(score_of)
    firsts = np.flatnonzero(np.r_[True, entry_ids[1:] != entry_ids[:-1]])
    sizes = np.diff(np.r_[firsts, count])
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
    repeated = np.repeat(np.arange(len(rows)), group_size)
    offsets = np.arange(len(repeated)) - np.repeat(
        np.cumsum(group_size) - group_size, group_size
    )
    partners = group_start[repeated] + offsets
    # The additions to L, each cell's in this order: 1 for each sheet on its
    # judge's diagonal, then -1/m for each pair (bincount adds in order).
    cells = np.r_[
        judge_of[rows] * (size + 1),
        judge_of[rows][repeated] * size + judge_of[partners],
    ]
    additions = np.r_[np.ones(len(rows)), -1.0 / group_size[repeated]]
    matrix = np.bincount(cells, weights=additions, minlength=size * size)
    matrix = matrix.astype(float, copy=False).reshape(size, size)
    evidence = np.diag(matrix).copy()
    matrix[np.diag_indices(size)] += PRIOR
    effects = np.linalg.solve(matrix, right).tolist()
    evidence_of = evidence.tolist()
    return (
        dict(zip(judges, effects, strict=True)),
        dict(zip(judges, evidence_of, strict=True)),
    )


def _normalized_scores(
    sheets: _Complete, effects: Mapping[JudgeId, float]
) -> tuple[np.ndarray, list[Decimal]]:
    """The normalized score of each entry with a complete sheet (in cents, and
    as a Decimal; entries ascending): the mean of its sheets' scores less their
    judges' effects, each clamped to [0, 100]."""
    scores = sheets.quotients
    if not len(scores):
        return np.zeros(0, dtype=np.int64), []
    if effects:
        judges, index_of = np.unique(sheets.judge_of, return_inverse=True)
        shift = np.array([effects.get(judge_id, 0.0) for judge_id in judges.tolist()])
        values = scores - shift[index_of.reshape(-1)]
    else:
        values = scores - 0.0
    where = sheets.entry_index
    values = np.clip(values, 0.0, 100.0)
    order = np.lexsort((values, where))
    where, values = where[order], values[order]
    count = len(sheets.entries)
    sums = np.bincount(where, weights=values, minlength=count)
    counts = np.bincount(where, minlength=count)
    means = sums / counts
    # Half up to cents, exactly: floor(100 x + 1/2) in floats errs by less than
    # 1e-7 up to 1e6, so it is right unless 100 x lies within 1e-6 of a half
    # cent; those (and negative values) are rounded from the exact value.
    hundred = means * 100.0
    cents = np.floor(hundred + 0.5)
    unsure = np.flatnonzero(
        (np.abs(hundred - np.floor(hundred) - 0.5) < 1e-6)
        | np.signbit(means)
        | ~(means < 1e6)
    )
    cents = cents.astype(np.int64) if not len(unsure) else np.zeros_like(counts)
    if len(unsure):
        cents[:] = np.floor(np.where(means < 1e6, hundred, 0.0) + 0.5)
    decimals = _decimals(cents.tolist())
    for index in unsure.tolist():
        decimals[index] = _float_decimal(float(means[index]))
        cents[index] = int(decimals[index].scaleb(2))
    return cents, decimals


def _leniency(sheets: _Complete) -> tuple[dict[JudgeId, Decimal], dict[JudgeId, int]]:
    """Each judge's mean deviation from the others on shared entries, exactly.

    On an entry with m complete sheets summing to S, a sheet x deviates by
    ``x - (S - x) / (m - 1)``; the sums are kept per divisor ``m - 1`` as integers.
    """
    if not len(sheets.entry_of):
        return {}, {}
    entry_index, sizes = sheets.entry_index, sheets.entry_sizes
    numerators = sheets.numerators
    totals = np.zeros(len(sizes), dtype=numerators.dtype)
    np.add.at(totals, entry_index, numerators)
    others = sizes[entry_index] - 1
    on_shared = others > 0
    deviations = numerators * others - (totals[entry_index] - numerators)
    judges = sheets.judge_of[on_shared].tolist()
    shared = Counter(judges)
    sums: dict[JudgeId, Counter[int]] = defaultdict(Counter)
    for judge_id, divisor, value in zip(
        judges,
        others[on_shared].tolist(),
        deviations[on_shared].tolist(),
        strict=True,
    ):
        sums[judge_id][divisor] += value
    leniency = {}
    for judge_id, by_divisor in sums.items():
        deviation = sum(
            (Fraction(value, divisor) for divisor, value in by_divisor.items()),
            Fraction(0),
        )
        leniency[judge_id] = _decimal_cents(
            _round_cents(
                deviation.numerator,
                deviation.denominator * shared[judge_id] * sheets.denominator,
            )
        )
    return leniency, dict(shared)


def _stage_alpha(sheets: _Complete) -> float | None:
    """Alpha of the complete sheets' scores (the units are the entries)."""
    if not sheets.small:
        return interval_alpha(sheets.entry_index, sheets.quotients)
    return _integer_alpha(sheets.entry_index, sheets.numerators, sheets.denominator)


def _integer_alpha(
    units: np.ndarray, integers: np.ndarray, divisor: int
) -> float | None:
    """:func:`interval_alpha` of ``integers / divisor`` (each float correctly
    rounded), sorted by one integer key rather than by two."""
    if not len(integers):
        return None
    low = int(integers.min())
    span = int(integers.max()) - low + 1
    if (
        (int(units.max()) + 1) * span < _INT64_SAFE
        and max(abs(low), abs(low + span)) < _FLOAT_EXACT
        and divisor < _FLOAT_EXACT
    ):
        keys = np.sort(
            units.astype(np.int64) * span + (integers.astype(np.int64) - low)
        )
        values = (keys % span + low).astype(float) / float(divisor)
        return sorted_interval_alpha((keys // span).astype(np.intp), values)
    floats = np.array([int(v) / divisor for v in integers.tolist()], dtype=float)
    return interval_alpha(units, floats)
