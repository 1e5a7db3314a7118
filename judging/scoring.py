"""A sheet's weighted score on 0-100, over the criteria of its stage: pure (plain
numbers in and out, no Django, no database); see results/computing for the
figures of a whole stage.

The weighted score of a sheet::

    score = sum(w * (v - min) / (max - min) * 100) / sum(w)

A sheet without a value for some criterion (``None`` or absent) is incomplete:
:func:`sheet_score` returns ``None`` for it (it does not raise). Weights may be 0
but not negative, and not all 0. The score is a ``Decimal`` with two places,
rounded ``ROUND_HALF_UP`` once from its exact value (integers over one common
denominator, no binary floating point).
"""

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from fractions import Fraction
from typing import TypeAlias

CriterionId: TypeAlias = int
SheetId: TypeAlias = int
JudgeId: TypeAlias = int
EntryId: TypeAlias = int
CategoryId: TypeAlias = int
StageId: TypeAlias = int
Number: TypeAlias = Decimal | int


CENT = Decimal("0.01")
EXACT_DIGITS = 60


@dataclass(frozen=True, slots=True, kw_only=True)
class Criterion:
    """One line of the rubric: its weight and the range of its values."""

    id: CriterionId
    weight: Number
    min_score: Number
    max_score: Number


@dataclass(frozen=True, slots=True)
class Rubric:
    """``score = sum(coefficient * (value - min)) / denominator``, all exact."""

    ids: frozenset[CriterionId]
    terms: tuple[tuple[CriterionId, int, Decimal, Decimal], ...]
    denominator: int


# Rounding --------------------------------------------------------------------


def round_half_up(numerator: int, denominator: int) -> Decimal:
    """The rational ``numerator / denominator`` rounded half up to two places."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    cents = (200 * abs(numerator) + denominator) // (2 * denominator)
    return Decimal(-cents if numerator < 0 else cents).scaleb(-2)


def sqrt_round_half_up(numerator: int, denominator: int) -> Decimal:
    """``sqrt(numerator / denominator)`` rounded half up to two places, exactly.

    With ``r = 4 * 10**4 * numerator / denominator`` (four times the square of the
    value in cents), the rounded cents are ``floor((sqrt(r) + 1) / 2)``, which
    equals ``(isqrt(floor(r)) + 1) // 2``.
    """
    root = math.isqrt(40_000 * numerator // denominator)
    return Decimal((root + 1) // 2).scaleb(-2)


def round_float(value: float) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# Sheet scores ----------------------------------------------------------------


def exact(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal or an int, not {value!r}")
    return Decimal(value)


@contextmanager
def exact_arithmetic() -> Iterator[None]:
    """Decimal arithmetic that raises rather than round."""
    with localcontext() as context:
        context.prec = EXACT_DIGITS
        context.traps[Inexact] = True
        yield


def prepare_rubric(criteria: Sequence[Criterion]) -> Rubric:
    if not criteria:
        raise ValueError("a scoring stage needs at least one criterion")
    ids = [criterion.id for criterion in criteria]
    if len(set(ids)) != len(ids):
        raise ValueError("criterion ids must be unique")
    weights = [exact(criterion.weight, "a weight") for criterion in criteria]
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    total_weight = Fraction(sum(weights))
    if total_weight == 0:
        raise ValueError("at least one weight must be positive")
    bounds = []
    factors = []
    for criterion, weight in zip(criteria, weights, strict=True):
        low = exact(criterion.min_score, "a min_score")
        high = exact(criterion.max_score, "a max_score")
        if high <= low:
            raise ValueError(f"criterion {criterion.id}: max_score must exceed min")
        bounds.append((low, high))
        factors.append(100 * Fraction(weight) / (Fraction(high - low) * total_weight))
    denominator = math.lcm(*(factor.denominator for factor in factors))
    terms = tuple(
        (cid, factor.numerator * (denominator // factor.denominator), low, high)
        for cid, factor, (low, high) in zip(ids, factors, bounds, strict=True)
    )
    return Rubric(ids=frozenset(ids), terms=terms, denominator=denominator)


def sheet_numerator(
    values: Mapping[CriterionId, Number | None], rubric: Rubric
) -> Decimal | None:
    """The sheet's score times ``rubric.denominator``, exact; ``None`` when a value
    is missing. Call inside ``exact_arithmetic()``."""
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
            value = exact(value, "a criterion value")
        if not low <= value <= high:
            raise ValueError(f"criterion {cid}: {value} is outside [{low}, {high}]")
        total += coefficient * (value - low)
    return total if complete else None


def sheet_score(
    *, values: Mapping[CriterionId, Number | None], criteria: Sequence[Criterion]
) -> Decimal | None:
    """The sheet's weighted score on 0-100, rounded half up to two places, or
    ``None`` when a criterion has no value (the sheet is incomplete)."""
    return prepared_sheet_score(values=values, rubric=prepare_rubric(criteria))


def prepared_sheet_score(
    *, values: Mapping[CriterionId, Number | None], rubric: Rubric
) -> Decimal | None:
    """:func:`sheet_score` over a rubric prepared once (``prepare_rubric``), for
    the many sheets of one stage: preparing it (fractions, lcm) is the cost."""
    with exact_arithmetic():
        numerator = sheet_numerator(values, rubric)
    if numerator is None:
        return None
    top, bottom = numerator.as_integer_ratio()
    return round_half_up(top, bottom * rubric.denominator)
