"""The figures of a stage through the database path: sheets in the DB, then
results.selectors.stage_results, checked against the hand-computed values of
tests/results/conftest.py."""

from decimal import Decimal

import pytest

from judging.models import StageEntry
from results import selectors
from tests.factories.judging import EligibleSubmissionFactory, JudgeFactory
from tests.factories.results import submitted_sheet
from tests.results.conftest import sheet_reads

pytestmark = [pytest.mark.django_db]

D = Decimal


def test_stage_results_entries_match_hand_computed_figures(stage, scored, entries):
    computation = selectors.stage_results(stage)

    by_entry = computation.by_entry
    e1, e2, e3 = (by_entry[entries[key].pk] for key in ("E1", "E2", "E3"))
    # raw = mean of the sheets: (87 + 77 + 90) / 3 = 84.666…
    assert (e1.raw_score, e1.median, e1.spread) == (D("84.67"), D("87.00"), D("13.00"))
    assert (e2.raw_score, e2.median, e2.spread) == (D("64.67"), D("67.00"), D("13.00"))
    assert (e3.raw_score, e3.median, e3.spread) == (D("47.00"), D("47.00"), D("20.00"))
    # normalized: every judge scored every entry (a complete design), so the
    # judges' effects cancel out in each entry's mean: normalized equals raw
    assert (e1.normalized_score, e2.normalized_score, e3.normalized_score) == (
        D("84.67"),
        D("64.67"),
        D("47.00"),
    )
    assert [e1.rank, e2.rank, e3.rank] == [1, 2, 3]
    assert [e.tie_unresolved for e in (e1, e2, e3)] == [False, False, False]
    # flagged: spread above the stage's threshold of 15
    assert [e1.flagged, e2.flagged, e3.flagged] == [False, False, True]
    assert [e1.sheets, e2.sheets, e3.sheets] == [3, 3, 3]


def test_stage_results_sheet_scores_are_weighted_on_0_to_100(stage, scored):
    computation = selectors.stage_results(stage)

    scores = {sheet.sheet_id: sheet.score for sheet in computation.sheets}
    assert scores[scored["E1", "A"].pk] == D("87.00")
    assert scores[scored["E2", "B"].pk] == D("57.00")
    assert scores[scored["E3", "C"].pk] == D("57.00")
    assert len(scores) == 9


def test_stage_results_judges_leniency_and_spread(stage, scored, judges):
    computed = selectors.stage_results(stage).results

    # A: 87 - (77 + 90) / 2 = 3.5, 67 - 63.5 = 3.5, 47 - 47 = 0; mean 7 / 3
    assert computed.leniency == {
        judges["A"].pk: D("2.33"),
        judges["B"].pk: D("-12.67"),
        judges["C"].pk: D("10.33"),
    }
    stats = computed.judge_stats[judges["C"].pk]
    assert (stats.sheets, stats.mean, stats.stdev) == (3, D("72.33"), D("16.62"))
    assert (computed.grand_mean, computed.grand_stdev) == (D("65.44"), D("17.73"))


def test_stage_results_alpha_per_stage_and_per_criterion(stage, scored, criteria):
    computed = selectors.stage_results(stage).results

    # D_o = 2 * sum over entries of the squared pair differences / (3 - 1), D_e
    # over all 9 values: 1 - D_o / D_e = 0.7958 (sheets), 0.7333 and 0.8113
    assert round(computed.alpha, 4) == 0.7958
    assert round(computed.alpha_per_criterion[criteria[0].pk], 4) == 0.7333
    assert round(computed.alpha_per_criterion[criteria[1].pk], 4) == 0.8113


def test_reliability_reads_alpha_by_krippendorffs_thresholds():
    assert selectors.reliability(0.7958).level == "tentative"
    assert selectors.reliability(0.8113).level == "good"
    assert selectors.reliability(0.7996).alpha == "0.800"
    assert selectors.reliability(0.7996).level == "good"
    assert selectors.reliability(0.6664).level == "weak"
    assert selectors.reliability(None).level == "undefined"


def test_stage_results_ignore_draft_sheets(stage, scored, criteria, judges, entries):
    from tests.factories.judging import AssignmentFactory, ScoreSheetFactory

    extra = JudgeFactory(contest=stage.contest)
    draft = ScoreSheetFactory(
        assignment=AssignmentFactory(stage=stage, judge=extra, submission=entries["E3"])
    )
    draft.scores.create(criterion=criteria[0], value=D("10"))
    draft.scores.create(criterion=criteria[1], value=D("10"))

    computation = selectors.stage_results(stage)

    assert computation.by_entry[entries["E3"].pk].raw_score == D("47.00")
    assert len(computation.sheets) == 9


def test_stage_results_take_five_queries(stage, scored, django_assert_num_queries):
    # the rubric, whether the stage is the first (its entries), the ranking basis
    # recorded with its advancement, the judges who are delegates (conflicts not
    # yet recorded), the sheets
    with django_assert_num_queries(4 + sheet_reads()):
        selectors.stage_results(stage)


def test_stage_results_with_a_basis_take_four_queries(
    stage, scored, django_assert_num_queries
):
    with django_assert_num_queries(3 + sheet_reads()):
        selectors.stage_results(stage, ranked_by="raw")


def test_tie_break_chain_more_sheets_then_organizer_decides(
    contest, stage, criteria, category
):
    # Every sheet scores 80, so there is no spread to normalize against: the
    # normalized score is the raw score, equal for all; the median too. The chain
    # ends with the number of sheets: E1 (two sheets) before E2 and E3 (one each),
    # which stay tied for the organizer.
    a, b, c = (JudgeFactory(contest=contest) for _ in range(3))
    e1, e2, e3 = (
        EligibleSubmissionFactory(contest=contest, category=category) for _ in range(3)
    )
    values = {criteria[0]: 8, criteria[1]: 8}
    submitted_sheet(stage=stage, judge=a, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=b, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=a, submission=e2, values=values)
    submitted_sheet(stage=stage, judge=c, submission=e3, values=values)

    by_entry = selectors.stage_results(stage).by_entry

    assert {
        k: (v.normalized_score, v.raw_score, v.median) for k, v in by_entry.items()
    } == {
        e1.pk: (D("80.00"),) * 3,
        e2.pk: (D("80.00"),) * 3,
        e3.pk: (D("80.00"),) * 3,
    }
    assert (by_entry[e1.pk].rank, by_entry[e1.pk].tie_unresolved) == (1, False)
    assert (by_entry[e2.pk].rank, by_entry[e2.pk].tie_unresolved) == (2, True)
    assert (by_entry[e3.pk].rank, by_entry[e3.pk].tie_unresolved) == (2, True)


def test_tie_break_chain_normalized_first(contest, stage, criteria, category):
    # One judge, two sheets: 87 and 37; the higher normalized score ranks first.
    a = JudgeFactory(contest=contest)
    high, low = (
        EligibleSubmissionFactory(contest=contest, category=category) for _ in range(2)
    )
    submitted_sheet(
        stage=stage, judge=a, submission=high, values={criteria[0]: 8, criteria[1]: 9}
    )
    submitted_sheet(
        stage=stage, judge=a, submission=low, values={criteria[0]: 3, criteria[1]: 4}
    )

    by_entry = selectors.stage_results(stage).by_entry

    assert by_entry[high.pk].rank == 1
    assert by_entry[low.pk].rank == 2
    assert by_entry[high.pk].normalized_score > by_entry[low.pk].normalized_score


def test_explain_entry_down_to_each_criterion(stage, scored, entries, judges):
    explanation = selectors.explain_entry(stage, entries["E1"])

    assert explanation.result.raw_score == D("84.67")
    assert explanation.total_weight == D("100")
    sheet_a = next(s for s in explanation.sheets if s.judge == judges["A"])
    assert sheet_a.score == D("87.00")
    assert sheet_a.leniency == D("2.33")
    # Kebaruan 8 of 10 at weight 30 of 100: 30 * 8 / 10 = 24 points; Kemanfaatan
    # 9 of 10 at weight 70: 63 points; 24 + 63 = 87
    assert [
        (line.criterion.name, line.value, line.weight_share, line.contribution)
        for line in sheet_a.lines
    ] == [
        ("Kebaruan", D("8"), D("30.00"), D("24.00")),
        ("Kemanfaatan", D("9"), D("70.00"), D("63.00")),
    ]
    assert sheet_a.lines[0].comment == "Catatan A untuk E1."


def test_contest_standings_final_score_over_scored_stages(
    contest, stage, final_stage, scored, entries
):
    board = selectors.contest_standings(contest)

    # The presentation has no sheet yet: it did not take place, the final score is
    # the desk evaluation's normalized score (weight 1 of 1).
    finals = {
        e.submission.pk: (e.final_score, e.final_rank, e.band) for e in board.entries
    }
    assert finals == {
        entries["E1"].pk: (D("84.67"), 1, "Sangat Inovatif"),
        entries["E2"].pk: (D("64.67"), 2, "Sangat Inovatif"),
        entries["E3"].pk: (D("47.00"), 3, "Inovatif"),
    }


def test_contest_standings_bands_use_the_contests_bands(contest, scored, entries):
    from tests.factories.results import ScoreBandFactory

    ScoreBandFactory(contest=contest, threshold=D("80"), label="Istimewa")
    ScoreBandFactory(contest=contest, threshold=D("0"), label="Biasa")

    board = selectors.contest_standings(contest)

    assert [e.band for e in board.entries] == ["Istimewa", "Biasa", "Biasa"]


def test_contest_standings_weights_stages(contest, stage, final_stage, scored, entries):
    from tests.factories.judging import StepCriterionFactory
    from tests.factories.results import StageWeightFactory

    StageWeightFactory(stage=stage, weight=D("1"))
    StageWeightFactory(stage=final_stage, weight=D("3"))
    criterion = StepCriterionFactory(stage=final_stage, weight=D("1"))
    judge = JudgeFactory(contest=contest)
    StageEntry.objects.create(stage=final_stage, submission=entries["E1"])
    submitted_sheet(
        stage=final_stage, judge=judge, submission=entries["E1"], values={criterion: 6}
    )

    board = selectors.contest_standings(contest)

    finals = {e.submission.pk: e for e in board.entries}
    # E1: (1 * 84.67 + 3 * 60.00) / 4 = 66.1675 → 66.17; E2 and E3 lack the
    # presentation: no final score, banded on the desk evaluation.
    assert finals[entries["E1"].pk].final_score == D("66.17")
    assert finals[entries["E2"].pk].final_score is None
    assert finals[entries["E2"].pk].band == "Sangat Inovatif"
    assert finals[entries["E3"].pk].band == "Inovatif"


def test_regional_ranking_sums_best_final_score_per_category(
    contest, stage, criteria, judges
):
    from tests.factories.contest import CategoryFactory, RegionFactory

    city = RegionFactory(type="kota", name="Kota Bima")
    other = RegionFactory(type="kota", name="Kota Jambi")
    health, economy = CategoryFactory(contest=contest), CategoryFactory(contest=contest)
    entries = [
        (city, health, (9, 9)),
        (city, health, (5, 5)),
        (city, economy, (6, 6)),
        (other, health, (10, 10)),
    ]
    for region, category, (v1, v2) in entries:
        submission = EligibleSubmissionFactory(
            contest=contest, region=region, category=category
        )
        submitted_sheet(
            stage=stage,
            judge=judges["A"],
            submission=submission,
            values={criteria[0]: v1, criteria[1]: v2},
        )

    board = selectors.contest_standings(contest)

    rows = board.regional["kota"]
    # One judge: the normalized score is the sheet score (90, 50, 60, 100). Kota
    # Bima: best in health 90 + best in economy 60 = 150; Kota Jambi: 100.
    assert [
        (row.region.name, row.standing.rank, row.standing.score, row.standing.best)
        for row in rows
    ] == [
        ("Kota Bima", 1, D("150.00"), D("90.00")),
        ("Kota Jambi", 2, D("100.00"), D("100.00")),
    ]
    assert [row.standing.categories for row in rows] == [2, 1]
