"""A stage's submitted sheets as columns (:class:`SheetTable`): each value an
integer number of ``10 ** -places``, so that a national stage (15,000 sheets,
90,000 values) is computed without one object per sheet or per value, and each
sheet's score is exact (an integer over the rubric's denominator). Pure.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

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
)

# The largest magnitude numpy's int64 arithmetic is trusted with here, and the
# largest integer a float holds exactly.
_INT64_SAFE = 2**62
_FLOAT_EXACT = 2**53


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetInput:
    """A judge's sheet on an entry: a value (or ``None``) per criterion id."""

    sheet_id: SheetId
    judge_id: JudgeId
    entry_id: EntryId
    category_id: CategoryId
    values: Mapping[CriterionId, Number | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetTable:
    """A stage's submitted sheets as columns, for a stage too large for one
    object per sheet: ``values[i, k]`` is sheet i's value for the k-th criterion
    of the rubric (in the order the criteria are given) as an integer number of
    ``10 ** -places``, and ``missing[i, k]`` marks a value the sheet lacks."""

    sheet_ids: Sequence[SheetId]
    judge_ids: Sequence[JudgeId]
    entry_ids: Sequence[EntryId]
    category_ids: Sequence[CategoryId]
    values: np.ndarray
    missing: np.ndarray
    places: int = 2

    def sheet_inputs(self, criteria: Sequence[Criterion]) -> list[SheetInput]:
        """The same sheets, one :class:`SheetInput` each."""
        ids = [criterion.id for criterion in criteria]
        return [
            SheetInput(
                sheet_id=sheet_id,
                judge_id=judge_id,
                entry_id=entry_id,
                category_id=category_id,
                values={
                    cid: None if lacks else Decimal(int(value)).scaleb(-self.places)
                    for cid, value, lacks in zip(ids, row, absent, strict=True)
                },
            )
            for sheet_id, judge_id, entry_id, category_id, row, absent in zip(
                self.sheet_ids,
                self.judge_ids,
                self.entry_ids,
                self.category_ids,
                self.values.tolist(),
                self.missing.tolist(),
                strict=True,
            )
        ]


def _table_of(sheet_list: Sequence[SheetInput], rubric: Rubric) -> SheetTable:
    """Checked sheets (every value an exact number of the rubric) as a table."""
    ids = [cid for cid, *_ in rubric.terms]
    rows = [[sheet.values.get(cid) for cid in ids] for sheet in sheet_list]
    ratios = [
        [None if value is None else value.as_integer_ratio() for value in row]
        for row in rows
    ]
    bottoms = {ratio[1] for row in ratios for ratio in row if ratio is not None}
    bottoms.update(low.as_integer_ratio()[1] for _, _, low, _ in rubric.terms)
    places = max(map(_places, bottoms))
    scale = 10**places
    values = [
        [0 if ratio is None else ratio[0] * (scale // ratio[1]) for ratio in row]
        for row in ratios
    ]
    fits = all(abs(value) < _FLOAT_EXACT for row in values for value in row)
    shape = (len(rows), len(ids))
    return SheetTable(
        sheet_ids=[sheet.sheet_id for sheet in sheet_list],
        judge_ids=[sheet.judge_id for sheet in sheet_list],
        entry_ids=[sheet.entry_id for sheet in sheet_list],
        category_ids=[sheet.category_id for sheet in sheet_list],
        values=np.array(values, dtype=np.int64 if fits else object).reshape(shape),
        missing=np.array(
            [[value is None for value in row] for row in rows], dtype=bool
        ).reshape(shape),
        places=places,
    )


def _places(denominator: int) -> int:
    """The decimal places of a rational whose denominator divides a power of 10."""
    places = 0
    while 10**places % denominator:
        places += 1
    return places


def _scaled(value: Decimal, scale: int) -> int | None:
    """``value * scale`` when it is an integer."""
    top, bottom = value.as_integer_ratio()
    return None if (top * scale) % bottom else top * scale // bottom


def _table_fits(table: SheetTable, rubric: Rubric) -> bool:
    """The table has what compute_stage_results accepts: sheets and (judge,
    entry) pairs given once, an entry in one category, every value a number of
    the criterion's range."""
    count = len(table.sheet_ids)
    columns = (
        table.judge_ids,
        table.entry_ids,
        table.category_ids,
    )
    if any(len(column) != count for column in columns):
        return False
    shape = (count, len(rubric.terms))
    if table.values.shape != shape or table.missing.shape != shape:
        return False
    if table.values.dtype.kind not in "iuO" or table.places < 0:
        return False
    try:
        sheet_ids, judge_ids, entry_ids, category_ids = (
            np.asarray(column, dtype=np.int64) for column in (table.sheet_ids, *columns)
        )
    except (TypeError, ValueError, OverflowError):
        return False
    ascending = count < 2 or bool((sheet_ids[1:] > sheet_ids[:-1]).all())
    if not ascending and len(np.unique(sheet_ids)) != count:
        return False
    order = _pair_order(entry_ids, judge_ids)
    same_entry = entry_ids[order][1:] == entry_ids[order][:-1]
    if (same_entry & (judge_ids[order][1:] == judge_ids[order][:-1])).any():
        return False
    if (same_entry & (category_ids[order][1:] != category_ids[order][:-1])).any():
        return False
    scale = 10**table.places
    for column, (_, _, low, high) in enumerate(rubric.terms):
        bounds = (_scaled(low, scale), _scaled(high, scale))
        present = table.values[~table.missing[:, column], column]
        if None in bounds:
            return False
        if len(present) and (present.min() < bounds[0] or present.max() > bounds[1]):
            return False
    return True


def _pair_order(entry_ids: np.ndarray, judge_ids: np.ndarray) -> np.ndarray:
    """The rows by entry, then judge: by one key when it fits in int64."""
    if not len(entry_ids):
        return np.zeros(0, dtype=np.intp)
    low, high = int(judge_ids.min()), int(judge_ids.max())
    span = high - low + 1
    first, last = int(entry_ids.min()), int(entry_ids.max())
    if (last - first + 1) * span < _INT64_SAFE:
        keys = (entry_ids - first) * span + (judge_ids - low)
        return np.argsort(keys, kind="stable")
    return np.lexsort((judge_ids, entry_ids))


def _numerators(
    table: SheetTable, rubric: Rubric
) -> tuple[np.ndarray, list[int | None]]:
    """Each sheet's score times the scores' denominator (``rubric.denominator *
    10 ** places``), exact; ``None`` for an incomplete sheet. Also the mask of
    the complete sheets."""
    scale = 10**table.places
    lows = [_scaled(low, scale) for _, _, low, _ in rubric.terms]
    coefficients = [coefficient for _, coefficient, _, _ in rubric.terms]
    complete = ~table.missing.any(axis=1)
    values = np.where(table.missing, 0, table.values)
    largest = int(np.abs(values).max()) if values.size else 0
    bound = sum(
        abs(c) * (largest + abs(low)) for c, low in zip(coefficients, lows, strict=True)
    )
    if values.dtype.kind in "iu" and bound < _INT64_SAFE:
        totals = (values.astype(np.int64) - np.array(lows, dtype=np.int64)) @ np.array(
            coefficients, dtype=np.int64
        )
    else:
        shifted = values.astype(object) - np.array(lows, dtype=object)
        totals = shifted.dot(np.array(coefficients, dtype=object))
    if totals.dtype.kind == "i" and complete.all():
        return complete, totals.tolist()
    numerators = [
        int(total) if whole else None
        for total, whole in zip(totals.tolist(), complete.tolist(), strict=True)
    ]
    return complete, numerators
