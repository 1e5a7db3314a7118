"""Krippendorff's alpha (interval and nominal metrics) and Kendall's tau. Pure."""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import combinations
from typing import Literal, TypeAlias

import numpy as np

from judging.scoring import Number

Metric: TypeAlias = Literal["interval", "nominal"]


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
        return interval_alpha(np.array(unit_index, dtype=np.intp), np.array(numbers))

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


def interval_alpha(units: np.ndarray, values: np.ndarray) -> float | None:
    """Interval alpha of ``values``, each tagged with its unit's index in ``units``.

    The values are sorted by unit, then value, and each unit's values are shifted
    by its lowest value, so that the sums do not depend on the input order and a
    unit whose values agree contributes exactly 0. Over a unit's ordered pairs,
    ``sum((a - b) ** 2) = 2 * (m * sum(d ** 2) - sum(d) ** 2)``.
    """
    if len(values) == 0:
        return None
    order = np.lexsort((values, units))
    return sorted_interval_alpha(units[order], values[order])


def sorted_interval_alpha(units: np.ndarray, values: np.ndarray) -> float | None:
    """:func:`interval_alpha` of values already sorted by unit, then value."""
    if len(values) == 0:
        return None
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
    # The values arrive in one order whatever the sheets' (by unit, then value),
    # so numpy's pairwise sums are as reproducible as math.fsum, a hundred
    # times faster (alpha is a float, shown to two places).
    observed = float(np.sum(pair_sums / (sizes - 1)))
    deviations = values - float(np.sum(values)) / count
    expected = 2 * count * float(np.sum(deviations * deviations))
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
