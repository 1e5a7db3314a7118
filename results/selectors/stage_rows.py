"""On PostgreSQL: a stage's submitted sheets and their values, read for
results.computing as columns (results.selectors.stage turns them into its
figures). Two queries, each answering one text of integers parsed by one numpy
call (no row per sheet or per value crosses): the sheets' heads, then every
value of those sheets by the array of their ids. A constant array is hashed
(and the score rows scanned once), so the 90,000 values of a national stage
are neither joined to the sheets, assignments and entries again nor grouped by
sheet; in one query the planner cannot size the array, and reads the values
by 15,000 index scans instead (a sixth slower).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import F

from judging.enums import SheetState
from judging.models import Score, ScoreSheet

# The values' places: PostgreSQL writes a numeric of the column's type with
# exactly as many digits after the point, so its text without the point is the
# value in units of 10 ** -PLACES.
PLACES = Score._meta.get_field("value").decimal_places

# A value the sheet lacks: no numeric of the column's type reads as it.
_NO_VALUE = -(2**62)

# `{sheets}` is the ORM's SQL of the sheets (its values are parameters).
_HEADS_SQL = """
SELECT
    string_agg(concat_ws(',', h.h_id, h.h_judge, h.h_entry, h.h_category,
                         (h.h_at IS NOT NULL)::integer), ',' ORDER BY h.h_id),
    array_agg(h.h_id ORDER BY h.h_id) FILTER (WHERE h.h_at IS NOT NULL),
    array_agg(h.h_at ORDER BY h.h_id) FILTER (WHERE h.h_at IS NOT NULL),
    array_agg(h.h_reason ORDER BY h.h_id) FILTER (WHERE h.h_at IS NOT NULL)
FROM ({sheets}) h
"""

_VALUES_SQL = """
SELECT string_agg(
    concat_ws(',', sheet_id, criterion_id, COALESCE(value::text, %s)), ',')
FROM judging_score
WHERE sheet_id = ANY(%s::bigint[])
"""


@dataclass(frozen=True)
class SheetRows:
    """The submitted sheets of a stage on its own entries, as read: `heads`
    (id, judge, entry, category, 1 if excluded else 0) a row each, by id;
    `values` (sheet id, criterion id, value in units of 10 ** -PLACES or
    _NO_VALUE) a row each, in no order; and the excluded sheets'
    (excluded_at, excluded_reason) by id."""

    heads: np.ndarray
    values: np.ndarray
    excluded: dict[int, tuple]


def sheet_rows(stage, entries) -> SheetRows:
    """The stage's submitted sheets on `entries` and their values."""
    heads, excluded = _sheet_heads(stage, entries)
    return SheetRows(
        heads=heads, values=_sheet_values(heads[:, 0].tolist()), excluded=excluded
    )


def _sheet_heads(stage, entries) -> tuple[np.ndarray, dict[int, tuple]]:
    sheets = (
        ScoreSheet.objects.filter(
            assignment__stage_id=stage.pk,
            state=SheetState.SUBMITTED,
            assignment__submission__in=entries,
        )
        .order_by()
        .annotate(
            h_id=F("pk"),
            h_judge=F("assignment__judge_id"),
            h_entry=F("assignment__submission_id"),
            h_category=F("assignment__submission__category_id"),
            h_at=F("excluded_at"),
            h_reason=F("excluded_reason"),
        )
        .values_list("h_id", "h_judge", "h_entry", "h_category", "h_at", "h_reason")
    )
    sql, params = sheets.query.sql_with_params()
    query = _HEADS_SQL.format(sheets=sql)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        heads, excluded_ids, excluded_at, reasons = cursor.fetchone()
    excluded = zip(excluded_at or (), reasons or (), strict=True)
    return _integers(heads, 5), dict(zip(excluded_ids or (), excluded, strict=True))


def _sheet_values(sheet_ids: list[int]) -> np.ndarray:
    if not sheet_ids:
        return _integers(None, 3)
    ids = "{" + ",".join(map(str, sheet_ids)) + "}"
    with connection.cursor() as cursor:
        cursor.execute(_VALUES_SQL, [str(_NO_VALUE), ids])
        (text,) = cursor.fetchone()
    return _integers(text and text.replace(".", ""), 3)


def _integers(text: str | None, width: int) -> np.ndarray:
    """Integers joined by commas, `width` a row."""
    if not text:
        return np.zeros((0, width), dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",").reshape(-1, width)


def with_values(sheet_ids, flat: np.ndarray) -> np.ndarray:
    """Whether each sheet has a value row in `flat`."""
    return np.isin(np.asarray(sheet_ids, dtype=np.int64), flat[:, 0])


def value_grid(
    sheet_ids: list[int], flat: np.ndarray, criterion_ids: list[int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The values of `flat` (sheet_values) on the sheets `sheet_ids`
    (ascending), a row per sheet and a column per criterion (in the rubric's
    order): in units of 10 ** -PLACES, and where the sheet has none. Rows of
    other sheets are left out. None when a value is for a criterion outside
    the rubric."""
    ids = np.asarray(sheet_ids, dtype=np.int64)
    rubric = np.asarray(criterion_ids, dtype=np.int64)
    shape = (len(ids), len(rubric))
    values = np.zeros(shape, dtype=np.int64)
    missing = np.ones(shape, dtype=bool)
    rows = _positions(ids, flat[:, 0])
    if (rows < 0).any():
        flat, rows = flat[rows >= 0], rows[rows >= 0]
    order = np.argsort(rubric, kind="stable")
    columns = _positions(rubric[order], flat[:, 1])
    if (columns < 0).any():
        return None
    columns = order[columns]
    present = flat[:, 2] != _NO_VALUE
    if present.all():
        values[rows, columns] = flat[:, 2]
        missing[rows, columns] = False
    else:
        values[rows[present], columns[present]] = flat[present, 2]
        missing[rows[present], columns[present]] = False
    return values, missing


def _positions(ordered: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Each wanted id's position in `ordered` (ascending, distinct), -1 where
    it is not."""
    if len(ordered) == 0:
        return np.full(len(wanted), -1, dtype=np.intp)
    found = np.minimum(np.searchsorted(ordered, wanted), len(ordered) - 1)
    return np.where(ordered[found] == wanted, found, -1)
