from decimal import Decimal

import pytest

from judging.enums import Verdict
from judging.models_formats import IndicatorValidation
from results import selectors
from results.models import ScoreBand
from tests.factories.contest import RegionFactory
from tests.factories.indicators import IndicatorAnswerFactory, answered
from tests.factories.judging import EligibleSubmissionFactory

pytestmark = [pytest.mark.django_db]


def by_key(index, entries):
    return {key: index.by_entry[entry.pk] for key, entry in entries.items()}


def test_entry_scores_match_the_hand_computed_table(index_stage, indexed):
    rows = by_key(selectors.stage_index(index_stage), indexed)

    assert {k: r.score for k, r in rows.items()} == {
        "A": Decimal("62.50"),
        "D": Decimal("87.50"),
        "B": Decimal("25.00"),
        "C": None,
    }
    assert {k: (r.valid, r.invalid, r.pending) for k, r in rows.items()} == {
        "A": (2, 1, 0),
        "D": (3, 0, 0),
        "B": (1, 0, 2),
        "C": (0, 1, 2),
    }
    assert {k: r.band for k, r in rows.items()} == {
        "A": "Sangat Inovatif",
        "D": "Sangat Inovatif",
        "B": "Kurang Inovatif",
        "C": "Tidak dapat dinilai",
    }
    assert {k: r.rank for k, r in rows.items()} == {"D": 1, "A": 2, "B": 3, "C": None}


def test_an_invalid_indicator_scores_zero_and_valid_would_score(
    index_stage, indicators, indexed
):
    validation = IndicatorValidation.objects.get(
        submission=indexed["A"], criterion=indicators[2]
    )
    validation.verdict = Verdict.VALID
    validation.save()

    row = selectors.stage_index(index_stage).by_entry[indexed["A"].pk]

    # 200 + 50 + 100 = 350 of 400 once I3 is valid.
    assert row.score == Decimal("87.50")


def test_a_verdict_on_another_level_is_pending(index_stage, indicators, indexed):
    answer = indexed["D"].indicator_answers.get(criterion=indicators[0])
    answer.level = 1
    answer.save()

    row = selectors.stage_index(index_stage).by_entry[indexed["D"].pk]

    # I1 is no longer validated: 100 + 50 = 150 of 400.
    assert (row.score, row.valid, row.pending) == (Decimal("37.50"), 2, 1)


def test_an_entry_without_answers_cannot_be_assessed(
    contest, category, index_stage, indicators
):
    entry = EligibleSubmissionFactory(contest=contest, category=category)
    IndicatorAnswerFactory(submission=entry, criterion=indicators[0], level=2)

    row = selectors.stage_index(index_stage).by_entry[entry.pk]

    assert (row.score, row.band, row.pending) == (None, "Tidak dapat dinilai", 3)


def test_region_index_is_the_mean_of_its_entries(index_stage, indexed, index_regions):
    index = selectors.stage_index(index_stage)

    rows = {r.region.pk: r for r in index.regions}
    assert rows[index_regions["R1"].pk].index == Decimal("75.00")
    assert rows[index_regions["R2"].pk].index == Decimal("25.00")
    assert rows[index_regions["R3"].pk].index is None
    assert rows[index_regions["R3"].pk].band == "Tidak dapat dinilai"
    assert [(r.region.pk, r.rank) for r in index.regions] == [
        (index_regions["R1"].pk, 1),
        (index_regions["R2"].pk, 2),
        (index_regions["R3"].pk, None),
    ]
    assert index.clustered is False
    assert [g.key for g in index.groups] == ["kota"]


@pytest.mark.parametrize(("cap", "expected"), [("100", "100.00"), ("200", "150.00")])
def test_region_index_is_the_sum_capped(
    index_stage, indexed, index_regions, cap, expected
):
    index_stage.index_aggregation = "sum"
    index_stage.index_cap = Decimal(cap)
    index_stage.save()

    index = selectors.stage_index(index_stage)

    rows = {r.region.pk: r.index for r in index.regions}
    assert rows[index_regions["R1"].pk] == Decimal(expected)


def test_contest_bands_are_used_when_set(contest, index_stage, indexed):
    ScoreBand.objects.create(contest=contest, label="Tinggi", threshold=Decimal("70"))
    ScoreBand.objects.create(contest=contest, label="Rendah", threshold=Decimal("0"))

    rows = by_key(selectors.stage_index(index_stage), indexed)

    assert (rows["D"].band, rows["A"].band, rows["C"].band) == (
        "Tinggi",
        "Rendah",
        "Tidak dapat dinilai",
    )


def test_ranking_per_cluster_with_a_tie(
    contest, index_stage, indexed, index_regions, indicators, category
):
    from contest.models_formats import RegionCluster

    east = RegionCluster.objects.create(contest=contest, name="Timur", slug="timur")
    east.regions.set([index_regions["R1"], index_regions["R2"]])
    other = RegionFactory(name="Kota Jambi")
    tied = EligibleSubmissionFactory(contest=contest, category=category, region=other)
    for indicator, level in zip(indicators, (1, 1, 2), strict=True):
        answered(submission=tied, criterion=indicator, level=level, verdict="valid")
    east.regions.add(other)  # 100 + 50 + 100 = 250 of 400: 62.50

    index = selectors.stage_index(index_stage)

    groups = {g.key: [(r.region.pk, r.rank) for r in g.regions] for g in index.groups}
    assert index.clustered is True
    assert groups["timur"] == [
        (index_regions["R1"].pk, 1),
        (other.pk, 2),
        (index_regions["R2"].pk, 3),
    ]
    assert groups[""] == [(index_regions["R3"].pk, None)]


def test_ties_share_a_rank(contest, index_stage, indexed, index_regions, indicators):
    twin = RegionFactory(name="Kota Kembar")
    entry = EligibleSubmissionFactory(
        contest=contest, category=indexed["A"].category, region=twin
    )
    for indicator, level in zip(indicators, (2, 1, 2), strict=True):
        answered(submission=entry, criterion=indicator, level=level, verdict="valid")
    # 200 + 50 + 100 = 350: 87.50, as D.

    index = selectors.stage_index(index_stage)

    ranks = {e.submission.pk: e.rank for e in index.entries}
    assert ranks[indexed["D"].pk] == ranks[entry.pk] == 1
    assert ranks[indexed["A"].pk] == 3


def _grow(contest, category, indicators, count):
    for _ in range(count):
        entry = EligibleSubmissionFactory(contest=contest, category=category)
        for indicator in indicators:
            answered(submission=entry, criterion=indicator, level=1, verdict="valid")


@pytest.mark.parametrize("size", [1, 3])
def test_stage_index_queries_are_constant(
    django_assert_num_queries, contest, category, index_stage, indicators, size
):
    _grow(contest, category, indicators, size)
    stage = type(index_stage).objects.select_related("contest").get(pk=index_stage.pk)

    # criteria, is it the first stage, entries, bands, answers, validations,
    # clusters and their regions
    with django_assert_num_queries(9):
        index = selectors.stage_index(stage)

    assert len(index.entries) == size
