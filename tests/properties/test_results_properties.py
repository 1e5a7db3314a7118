"""Properties of the results mathematics (results.computing) on generated stages:
a rubric of one to three criteria (weights, ranges, decimal values), judges
scoring some of the entries of one or two categories, now and then an incomplete
sheet. Pure: no database.
"""

from decimal import Decimal
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from results.computing import (
    Criterion,
    SheetInput,
    compute_stage_results,
    krippendorff_alpha,
    normalized_sheet_value,
)

THRESHOLD = Decimal("20")
# Float arithmetic in alpha: a bound checked with this much room.
EPSILON = 1e-9


@st.composite
def rubrics(draw) -> list[Criterion]:
    criteria = []
    for criterion_id in range(1, draw(st.integers(1, 3)) + 1):
        low = draw(st.integers(0, 2))
        criteria.append(
            Criterion(
                id=criterion_id,
                weight=draw(st.integers(0, 5)),
                min_score=low,
                max_score=low + draw(st.integers(1, 10)),
            )
        )
    if all(criterion.weight == 0 for criterion in criteria):
        criteria[0] = Criterion(
            id=1,
            weight=1,
            min_score=criteria[0].min_score,
            max_score=criteria[0].max_score,
        )
    return criteria


def _value(criterion: Criterion) -> st.SearchStrategy:
    return st.integers(criterion.min_score, criterion.max_score) | st.decimals(
        min_value=criterion.min_score, max_value=criterion.max_score, places=1
    )


@st.composite
def stages(draw, *, incomplete: bool = True) -> tuple[list[Criterion], list]:
    """A rubric and the sheets of up to five judges on up to eight entries."""
    criteria = draw(rubrics())
    judge_ids = range(1, draw(st.integers(1, 5)) + 1)
    entry_ids = range(101, draw(st.integers(1, 8)) + 101)
    category_of = {entry_id: draw(st.sampled_from([7, 8])) for entry_id in entry_ids}
    pairs = draw(
        st.sets(
            st.tuples(st.sampled_from(judge_ids), st.sampled_from(entry_ids)),
            min_size=1,
            max_size=len(judge_ids) * len(entry_ids),
        )
    )
    sheets = []
    for sheet_id, (judge_id, entry_id) in enumerate(sorted(pairs), start=1):
        values = {criterion.id: draw(_value(criterion)) for criterion in criteria}
        if incomplete and draw(st.integers(0, 9)) == 0:
            values[criteria[-1].id] = None
        sheets.append(
            SheetInput(
                sheet_id=sheet_id,
                judge_id=judge_id,
                entry_id=entry_id,
                category_id=category_of[entry_id],
                values=values,
            )
        )
    return criteria, sheets


def _compute(criteria, sheets):
    return compute_stage_results(
        criteria=criteria, sheets=sheets, disagreement_threshold=THRESHOLD
    )


@settings(max_examples=50)
@given(stage=stages())
def test_normalization_keeps_the_order_of_one_judges_sheets(stage):
    """A judge's correction shifts all their sheets by the same effect: of two
    sheets of one judge, the higher scored stays at least as high, and strictly
    higher unless the clamp to [0, 100] meets one of them."""
    criteria, sheets = stage
    results = _compute(criteria, sheets)

    for judge_id, stats in results.judge_stats.items():
        scores = [
            results.sheet_scores[sheet.sheet_id]
            for sheet in sheets
            if sheet.judge_id == judge_id
            and results.sheet_scores[sheet.sheet_id] is not None
        ]
        for low, high in combinations(sorted(scores), 2):
            low_value = normalized_sheet_value(low, stats.effect)
            high_value = normalized_sheet_value(high, stats.effect)
            assert low_value <= high_value
            if low < high and Decimal(0) < low_value and high_value < Decimal(100):
                assert low_value < high_value


@settings(max_examples=50)
@given(stage=stages())
def test_entries_scored_by_one_judge_alone_keep_that_judges_order(stage):
    """Entries whose only complete sheet is the same judge's: their normalized
    scores are ordered as their raw scores (ties may appear, never a swap)."""
    criteria, sheets = stage
    results = _compute(criteria, sheets)

    judges_of: dict[int, set[int]] = {}
    for sheet in sheets:
        if results.sheet_scores[sheet.sheet_id] is not None:
            judges_of.setdefault(sheet.entry_id, set()).add(sheet.judge_id)
    by_entry = {entry.entry_id: entry for entry in results.entries}
    for judge_id in results.judge_stats:
        alone = [
            by_entry[entry_id]
            for entry_id, judges in judges_of.items()
            if judges == {judge_id}
        ]
        for first, second in combinations(alone, 2):
            if first.raw_score < second.raw_score:
                assert first.normalized_score <= second.normalized_score
            elif first.raw_score > second.raw_score:
                assert first.normalized_score >= second.normalized_score


@settings(max_examples=50)
@given(stage=stages())
def test_alpha_lies_in_minus_one_one_when_defined(stage):
    criteria, sheets = stage
    results = _compute(criteria, sheets)

    for alpha in [results.alpha, *results.alpha_per_criterion.values()]:
        assert alpha is None or -1 - EPSILON <= alpha <= 1 + EPSILON


units_of_values = st.dictionaries(
    st.integers(1, 12),
    st.dictionaries(
        st.sampled_from("ABCDE"),
        st.none() | st.integers(0, 5) | st.decimals(0, 100, places=2),
        max_size=5,
    ),
    max_size=12,
)


@settings(max_examples=80)
@given(units=units_of_values, metric=st.sampled_from(["interval", "nominal"]))
def test_krippendorff_alpha_lies_in_minus_one_one_when_defined(units, metric):
    alpha = krippendorff_alpha(units=units, metric=metric)

    assert alpha is None or -1 - EPSILON <= alpha <= 1 + EPSILON


@settings(max_examples=80)
@given(
    unit_values=st.dictionaries(
        st.integers(1, 12), st.integers(0, 5) | st.decimals(0, 100, places=2)
    ),
    coders=st.dictionaries(st.integers(1, 12), st.sets(st.sampled_from("ABCDE"))),
    metric=st.sampled_from(["interval", "nominal"]),
)
def test_krippendorff_alpha_is_one_for_perfect_agreement(unit_values, coders, metric):
    """Every coder of a unit gives it the same value: alpha is 1 exactly, and it is
    defined as soon as two pairable values differ (else there is no variation)."""
    units = {
        unit: dict.fromkeys(coders.get(unit, ()), value)
        for unit, value in unit_values.items()
    }
    pairable = {
        Decimal(value) for unit, value in unit_values.items() if len(units[unit]) >= 2
    }

    alpha = krippendorff_alpha(units=units, metric=metric)

    if len(pairable) >= 2:
        assert alpha == 1.0
    else:
        assert alpha is None


@settings(max_examples=60)
@given(stage=stages(incomplete=False), data=st.data())
def test_stage_alpha_is_one_when_the_judges_of_each_entry_agree(stage, data):
    """Every judge of an entry copies the entry's first sheet: the stage's alpha
    and each criterion's are 1 (or undefined, without variation)."""
    criteria, sheets = stage
    first_of: dict[int, SheetInput] = {}
    agreed = []
    for sheet in sheets:
        first = first_of.setdefault(sheet.entry_id, sheet)
        agreed.append(
            SheetInput(
                sheet_id=sheet.sheet_id,
                judge_id=sheet.judge_id,
                entry_id=sheet.entry_id,
                category_id=sheet.category_id,
                values=first.values,
            )
        )

    results = _compute(criteria, agreed)

    for alpha in [results.alpha, *results.alpha_per_criterion.values()]:
        assert alpha is None or alpha == 1.0


def _raw_figures(entry):
    return (
        entry.raw_score,
        entry.median,
        entry.spread,
        entry.stdev,
        entry.sheets,
        entry.incomplete_sheets,
        entry.category_id,
    )


@settings(max_examples=50)
@given(stage=stages(), data=st.data())
def test_removing_one_sheet_never_changes_another_entrys_raw_figures(stage, data):
    """Raw score, median, spread, stdev and sheet counts of every other entry, and
    every other sheet's score, stay as they were (the normalized score may move:
    the judge's effect is estimated from all their sheets)."""
    criteria, sheets = stage
    removed = data.draw(st.sampled_from(sheets))
    kept = [sheet for sheet in sheets if sheet.sheet_id != removed.sheet_id]

    before = _compute(criteria, sheets)
    after = _compute(criteria, kept)

    earlier = {entry.entry_id: entry for entry in before.entries}
    later = {entry.entry_id: entry for entry in after.entries}
    for entry_id, entry in earlier.items():
        if entry_id != removed.entry_id:
            assert _raw_figures(later[entry_id]) == _raw_figures(entry)
    for sheet in kept:
        assert (
            after.sheet_scores[sheet.sheet_id] == (before.sheet_scores[sheet.sheet_id])
        )


@settings(max_examples=60)
@given(stage=stages(), data=st.data())
def test_the_order_of_the_sheets_never_changes_the_results(stage, data):
    criteria, sheets = stage
    shuffled = data.draw(st.permutations(sheets))

    assert _compute(criteria, shuffled) == _compute(criteria, sheets)
