"""The innovation index (results/computing/index.py) against figures worked out by
hand, and its properties: an invalid indicator scores 0, an entry with nothing
validated cannot be assessed, quality control's overturned verdict counts, a
region's index by mean or capped sum, bands and the ranking."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.computing.index import (
    INVALID,
    PENDING,
    REVISION,
    SUM,
    VALID,
    Answer,
    Band,
    Indicator,
    Level,
    band_of,
    entry_index,
    ranking,
    region_index,
)

RUBRIC = [
    Indicator(
        1,
        Decimal(2),
        (Level("a", Decimal(1)), Level("b", Decimal(2)), Level("c", Decimal(3))),
    ),
    Indicator(2, Decimal(1), (Level("a", Decimal(0)), Level("b", Decimal(5)))),
    Indicator(3, Decimal(3), (Level("a", Decimal(1)), Level("b", Decimal(2)))),
]
# The most an entry can score: 2 x 3 + 1 x 5 + 3 x 2 = 17.
BANDS = [
    Band("Sangat Inovatif", Decimal(60)),
    Band("Inovatif", Decimal(40)),
    Band("Kurang Inovatif", Decimal(0)),
]


def test_an_invalid_indicator_scores_nothing():
    # 2 x 3 (valid) + 0 (invalid) + 3 x 1 (valid) = 9; 100 x 9 / 17 = 52.941...
    result = entry_index(
        RUBRIC,
        [Answer(1, "c", VALID), Answer(2, "b", INVALID), Answer(3, "a", VALID)],
    )
    assert result.score == Decimal("52.94")
    assert result.validated == 2
    assert result.scored_points == Decimal("9.00")


def test_quality_control_overturning_a_verdict_changes_the_score():
    before = [Answer(1, "c", VALID), Answer(2, "b", INVALID), Answer(3, "a", VALID)]
    after = [before[0], Answer(2, "b", VALID), before[2]]  # the reviewer's verdict
    # 9 + 1 x 5 = 14; 100 x 14 / 17 = 82.352...
    assert entry_index(RUBRIC, after).score == Decimal("82.35")
    assert entry_index(RUBRIC, before).score == Decimal("52.94")


def test_nothing_validated_cannot_be_assessed():
    for verdicts in [(INVALID,) * 3, (PENDING, REVISION, INVALID)]:
        answers = [
            Answer(i, "a", verdict)
            for i, verdict in zip((1, 2, 3), verdicts, strict=True)
        ]
        result = entry_index(RUBRIC, answers)
        assert result.score is None
        assert band_of(result.score, BANDS) is None
    assert entry_index(RUBRIC, []).score is None


def test_a_valid_level_of_zero_points_is_assessed_at_zero():
    result = entry_index(RUBRIC, [Answer(2, "a", VALID)])
    assert result.score == Decimal("0.00")
    assert band_of(result.score, BANDS).label == "Kurang Inovatif"


def test_the_highest_answers_score_100():
    answers = [Answer(1, "c", VALID), Answer(2, "b", VALID), Answer(3, "b", VALID)]
    assert entry_index(RUBRIC, answers).score == Decimal("100.00")


def test_a_region_index_by_mean_rounds_half_up():
    # (52.94 + 82.35) / 2 = 67.645 -> 67.65; an entry not assessed is left out.
    assert region_index([Decimal("52.94"), Decimal("82.35"), None]) == Decimal("67.65")
    assert region_index([None, None]) is None


def test_a_region_index_by_sum_is_capped():
    assert region_index([Decimal("52.94"), Decimal("82.35")], method=SUM) == Decimal(
        "135.29"
    )
    assert region_index(
        [Decimal("52.94"), Decimal("82.35")], method=SUM, cap=Decimal(100)
    ) == Decimal("100.00")


def test_bands_start_at_their_thresholds():
    assert band_of(Decimal("60.00"), BANDS).label == "Sangat Inovatif"
    assert band_of(Decimal("59.99"), BANDS).label == "Inovatif"
    assert band_of(Decimal("40"), BANDS).label == "Inovatif"
    assert band_of(Decimal("39.99"), BANDS).label == "Kurang Inovatif"


def test_the_ranking_shares_ties_and_puts_the_unassessed_last():
    assert ranking(
        {
            5: Decimal("70"),
            3: Decimal("80"),
            9: Decimal("70"),
            4: None,
            1: Decimal("10"),
        }
    ) == [
        (3, Decimal("80"), 1),
        (5, Decimal("70"), 2),
        (9, Decimal("70"), 2),
        (1, Decimal("10"), 4),
        (4, None, None),
    ]


@pytest.mark.parametrize(
    "answers",
    [
        [Answer(9, "a", VALID)],
        [Answer(1, "z", VALID)],
        [Answer(1, "a", VALID), Answer(1, "b", VALID)],
        [Answer(1, "a", "maybe")],
    ],
)
def test_answers_that_do_not_fit_the_rubric_are_refused(answers):
    with pytest.raises(ValueError):
        entry_index(RUBRIC, answers)


verdict = st.sampled_from([VALID, INVALID, REVISION, PENDING])
answer_sets = st.tuples(
    st.sampled_from("abc"),
    st.sampled_from("ab"),
    st.sampled_from("ab"),
    verdict,
    verdict,
    verdict,
)


@given(answer_sets)
def test_scores_stay_within_0_and_100_and_invalid_never_helps(case):
    l1, l2, l3, v1, v2, v3 = case
    answers = [Answer(1, l1, v1), Answer(2, l2, v2), Answer(3, l3, v3)]
    result = entry_index(RUBRIC, answers)
    if result.score is not None:
        assert Decimal(0) <= result.score <= Decimal(100)
    # Making one valid verdict invalid never raises the score.
    for n, answer in enumerate(answers):
        if answer.verdict == VALID:
            worse = [
                *answers[:n],
                Answer(answer.indicator_id, answer.level, INVALID),
                *answers[n + 1 :],
            ]
            lower = entry_index(RUBRIC, worse).score
            assert lower is None or lower <= result.score
