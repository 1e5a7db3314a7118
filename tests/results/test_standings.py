"""The pure standings: the cut with its ties and quotas, rankings, formatting."""

from decimal import Decimal

import pytest

from results.computing import standings
from results.computing.standings import Ranked

D = Decimal


def ranked(*rows):
    """(entry, category, rank, region type) tuples as Ranked."""
    return [
        Ranked(entry_id=e, category_id=c, rank=r, region_type=t) for e, c, r, t in rows
    ]


def test_advancement_cut_takes_the_best_of_each_category():
    entries = ranked(
        (1, 10, 1, "kota"),
        (2, 10, 2, "kota"),
        (3, 10, 3, "kota"),
        (4, 20, 1, "kota"),
        (5, 20, None, "kota"),
    )

    cut = standings.advancement_cut(entries, places=2)

    assert (cut.advanced, cut.not_advanced, cut.ties) == ([1, 2, 4], [3, 5], [])


def test_advancement_cut_reports_a_tie_straddling_the_cut():
    entries = ranked(
        (1, 10, 1, "kota"), (2, 10, 2, "kota"), (3, 10, 2, "kota"), (4, 10, 4, "kota")
    )

    cut = standings.advancement_cut(entries, places=2)

    assert cut.advanced == [1]
    assert cut.not_advanced == [4]
    assert cut.ties == [
        standings.TieAtCut(
            category_id=10, region_type="", rank=2, places=1, entry_ids=(2, 3)
        )
    ]


def test_advancement_cut_tie_inside_the_places_needs_no_decision():
    entries = ranked((1, 10, 1, "kota"), (2, 10, 1, "kota"), (3, 10, 3, "kota"))

    cut = standings.advancement_cut(entries, places=2)

    assert (cut.advanced, cut.not_advanced, cut.ties) == ([1, 2], [3], [])


def test_advancement_cut_with_quotas_per_region_type():
    entries = ranked(
        (1, 10, 1, "kota"),
        (2, 10, 2, "kota"),
        (3, 10, 3, "kabupaten"),
        (4, 10, 4, "kabupaten"),
        (5, 10, 5, "provinsi"),
    )

    cut = standings.advancement_cut(
        entries, places=0, quotas={"kota": 1, "kabupaten": 2}
    )

    assert (sorted(cut.advanced), sorted(cut.not_advanced)) == ([1, 3, 4], [2, 5])


def test_settle_ties_takes_the_chosen_entries():
    cut = standings.advancement_cut(
        ranked((1, 10, 1, ""), (2, 10, 2, ""), (3, 10, 2, "")), places=2
    )

    assert standings.settle_ties(cut, [3]) == ([1, 3], [2])


@pytest.mark.parametrize("chosen", [[], [2, 3], [1], [9]])
def test_settle_ties_refuses_a_wrong_choice(chosen):
    cut = standings.advancement_cut(
        ranked((1, 10, 1, ""), (2, 10, 2, ""), (3, 10, 2, "")), places=2
    )

    with pytest.raises(ValueError):
        standings.settle_ties(cut, chosen)


def test_competition_ranks_share_a_rank_and_skip():
    ranks = standings.competition_ranks(
        {"a": (D("90"),), "b": (D("80"),), "c": (D("80"),), "d": (D("70"),), "e": None}
    )

    assert ranks == {
        "a": (1, False),
        "b": (2, True),
        "c": (2, True),
        "d": (4, False),
        "e": (None, False),
    }


def test_final_ranks_are_within_each_category():
    ranks = standings.final_ranks(
        [(1, 10, D("80")), (2, 10, D("90")), (3, 20, D("50")), (4, 20, None)]
    )

    assert ranks == {1: (2, False), 2: (1, False), 3: (1, False), 4: (None, False)}


def test_regional_ranking_ties_share_a_rank():
    rows = standings.regional_ranking(
        [
            ("52.72", "kota", 1, D("60")),
            ("32.73", "kota", 2, D("60")),
            ("94.04", "kabupaten", 1, D("10")),
            ("94.04", "kabupaten", 1, None),
        ]
    )

    assert [(r.region, r.rank, r.tie_unresolved) for r in rows["kota"]] == [
        ("32.73", 1, True),
        ("52.72", 1, True),
    ]
    assert [(r.region, r.score) for r in rows["kabupaten"]] == [("94.04", D("10"))]


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (D("1.005"), 2, "1.01"),
        (D("-1.005"), 2, "-1.01"),
        (D("80"), 2, "80.00"),
        (None, 2, None),
        (D("0.7995"), 3, "0.800"),
    ],
)
def test_decimal_text_rounds_half_up(value, places, text):
    assert standings.decimal_text(value, places) == text


def test_decimal_text_refuses_a_float():
    with pytest.raises(TypeError):
        standings.decimal_text(0.5)


@pytest.mark.parametrize(
    ("alpha", "level"),
    [
        (0.9, "good"),
        (0.8, "good"),
        (0.7999, "good"),
        (0.7994, "tentative"),
        (0.667, "tentative"),
        (0.6664, "weak"),
        (-0.2, "weak"),
        (None, "undefined"),
    ],
)
def test_alpha_level_by_krippendorffs_thresholds(alpha, level):
    assert standings.alpha_level(alpha, good=D("0.800"), tentative=D("0.667")) == level


def test_median_and_mean_round_half_up():
    assert standings.median([D("1"), D("2"), D("4"), D("8")]) == D("3.00")
    assert standings.mean([D("1"), D("2"), D("2")]) == D("1.67")
    assert standings.median([]) is None
