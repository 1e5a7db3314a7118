"""An innovation index from validated indicators (the Indeks Inovasi Daerah kind of
award). Pure: no database, no Django.

An indicator stage's rubric is a list of indicators, each with a weight and its
levels (a label and the points it gives). A delegate answers each indicator with
a level and its evidence; a validator marks the evidence valid, invalid or in
need of revision, and a quality-control reviewer may overturn that mark.

The formulas (exact, in fractions; every reported figure a Decimal with two
places, rounded half up, as every score in results.computing):

- An indicator scores ``weight x points`` of the level answered when its
  evidence is valid, and 0 otherwise (invalid, waiting for a revision, not yet
  validated, or not answered).
- An entry's score is ``100 x sum(scored) / sum(weight x the indicator's
  highest points)`` over every indicator of the rubric: 0-100.
- An entry with no indicator validated valid cannot be assessed (*Tidak dapat
  dinilai*): its score is None, not 0, and it has no band.
- A region's index comes from the scores of its entries that can be assessed,
  by the contest's method: ``mean`` (their mean) or ``sum`` (their sum, capped at
  ``cap`` when one is set). A region none of whose entries can be assessed has
  no index and is *Tidak dapat dinilai*.
- A band is the first of the contest's bands (ordered from the highest
  threshold down) whose threshold the figure reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

VALID = "valid"
INVALID = "invalid"
REVISION = "revision"
PENDING = "pending"
VERDICTS = (VALID, INVALID, REVISION, PENDING)

MEAN = "mean"
SUM = "sum"
Method = Literal["mean", "sum"]

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Level:
    key: str
    points: Decimal


@dataclass(frozen=True)
class Indicator:
    id: int
    weight: Decimal
    levels: tuple[Level, ...]

    @property
    def highest(self) -> Decimal:
        return max((level.points for level in self.levels), default=Decimal(0))

    def points_of(self, key: str) -> Decimal:
        for level in self.levels:
            if level.key == key:
                return level.points
        raise ValueError(f"indicator {self.id} has no level {key!r}")


@dataclass(frozen=True)
class Answer:
    """A delegate's answer to one indicator and the verdict on its evidence
    (after quality control: an overturned verdict is the reviewer's)."""

    indicator_id: int
    level: str
    verdict: str = PENDING


@dataclass(frozen=True)
class Band:
    label: str
    threshold: Decimal  # the band starts at this figure


@dataclass(frozen=True)
class EntryIndex:
    score: Decimal | None  # None: Tidak dapat dinilai
    validated: int  # indicators validated valid
    scored_points: Decimal  # sum of weight x points, before scaling


def _exact_cents(value: Fraction) -> Decimal:
    """`value` rounded half up to two places, exactly (no float, no context
    precision: the quotient is taken in integers)."""
    hundreds = value * 100
    whole, rest = divmod(hundreds.numerator, hundreds.denominator)
    if 2 * rest >= hundreds.denominator:
        whole += 1
    return Decimal(whole).scaleb(-2)


def entry_index(
    indicators: Sequence[Indicator], answers: Iterable[Answer]
) -> EntryIndex:
    """One entry's score from its answers (module docstring)."""
    if not indicators:
        raise ValueError("an indicator stage needs at least one indicator")
    by_id = {indicator.id: indicator for indicator in indicators}
    if len(by_id) != len(indicators):
        raise ValueError("an indicator is given twice")
    seen: set[int] = set()
    scored = Fraction(0)
    validated = 0
    for answer in answers:
        if answer.indicator_id not in by_id:
            raise ValueError(f"no indicator {answer.indicator_id} in the rubric")
        if answer.indicator_id in seen:
            raise ValueError(f"indicator {answer.indicator_id} is answered twice")
        if answer.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {answer.verdict!r}")
        seen.add(answer.indicator_id)
        indicator = by_id[answer.indicator_id]
        points = indicator.points_of(answer.level)
        if answer.verdict == VALID:
            validated += 1
            scored += Fraction(indicator.weight) * Fraction(points)
    most = sum(
        (Fraction(i.weight) * Fraction(i.highest) for i in indicators), Fraction(0)
    )
    if most <= 0:
        raise ValueError("the indicators' weights and points give no maximum")
    score = None if validated == 0 else _exact_cents(100 * scored / most)
    return EntryIndex(
        score=score, validated=validated, scored_points=_exact_cents(scored)
    )


def region_index(
    scores: Iterable[Decimal | None],
    *,
    method: Method = MEAN,
    cap: Decimal | None = None,
) -> Decimal | None:
    """A region's index from its entries' scores (None: cannot be assessed)."""
    assessed = [Fraction(score) for score in scores if score is not None]
    if not assessed:
        return None
    if method == MEAN:
        return _exact_cents(sum(assessed, Fraction(0)) / len(assessed))
    if method == SUM:
        total = sum(assessed, Fraction(0))
        if cap is not None:
            total = min(total, Fraction(cap))
        return _exact_cents(total)
    raise ValueError(f"unknown method {method!r}")


def band_of(figure: Decimal | None, bands: Sequence[Band]) -> Band | None:
    """The band `figure` falls in, or None (no figure, or below every band)."""
    if figure is None:
        return None
    for band in sorted(bands, key=lambda b: b.threshold, reverse=True):
        if figure >= band.threshold:
            return band
    return None


def ranking(
    figures: Mapping[int, Decimal | None],
) -> list[tuple[int, Decimal | None, int | None]]:
    """(id, figure, rank) from the highest figure down, by competition ranking
    (1, 2, 2, 4), the ones without a figure last, unranked; ties by id."""
    ordered = sorted(
        figures.items(),
        key=lambda item: (item[1] is None, -(item[1] or 0), item[0]),
    )
    out = []
    rank = 0
    previous = object()
    for position, (key, figure) in enumerate(ordered, start=1):
        if figure is None:
            out.append((key, None, None))
            continue
        if figure != previous:
            rank = position
            previous = figure
        out.append((key, figure, rank))
    return out
