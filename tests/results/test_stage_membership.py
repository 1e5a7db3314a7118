"""Which sheets count: excluded sheets (a conflict found after scoring) leave every
figure and are shown with their reason; a stage counts only the entries that took
part in it (StageEntry), which the advancement records; the organizer ranks a
stage by its normalized or its raw score; the results page warns where the
normalization has little evidence."""

from decimal import Decimal

import pytest
from django.urls import reverse

from judging import services as judging_services
from judging.models import StageEntry
from results import computing, selectors, services
from tests.factories.judging import (
    EligibleSubmissionFactory,
    JudgeFactory,
    StepCriterionFactory,
)
from tests.factories.results import submitted_sheet

pytestmark = [pytest.mark.django_db]

D = Decimal


def url(name, contest, **kwargs):
    return reverse(f"results:{name}", kwargs={"slug": contest.slug, **kwargs})


@pytest.fixture
def excluded(scored, judges, entries, organizer):
    """Juri C declares, after scoring, a conflict with E1: that sheet is excluded."""
    judging_services.declare_conflict(
        judge=judges["C"],
        submission=entries["E1"],
        reason="Kerabat kepala daerah.",
        by=organizer,
    )
    sheet = scored["E1", "C"]
    sheet.refresh_from_db()
    assert sheet.excluded_at is not None
    return sheet


def test_excluded_sheet_leaves_every_figure_of_the_stage(
    stage, criteria, scored, excluded, entries
):
    computation = selectors.stage_results(stage)

    # the same figures as a stage of the other eight sheets only
    others = [
        computing.SheetInput(
            sheet_id=sheet.pk,
            judge_id=sheet.assignment.judge_id,
            entry_id=sheet.assignment.submission_id,
            category_id=sheet.assignment.submission.category_id,
            values={s.criterion_id: s.value for s in sheet.scores.all()},
        )
        for key, sheet in scored.items()
        if sheet.pk != excluded.pk
    ]
    expected = computing.compute_stage_results(
        criteria=selectors.rubric_of(criteria),
        sheets=others,
        disagreement_threshold=stage.disagreement_threshold,
    )
    assert computation.results == expected
    e1 = computation.by_entry[entries["E1"].pk]
    # E1 keeps the sheets of A and B: (87 + 77) / 2 is 82
    assert (e1.raw_score, e1.sheets) == (D("82.00"), 2)
    assert [s.sheet_id for s in computation.excluded] == [excluded.pk]
    assert computation.excluded[0].reason.endswith("Kerabat kepala daerah.")
    assert excluded.pk not in {s.sheet_id for s in computation.sheets}


def test_excluded_sheet_leaves_the_snapshot(
    contest, stage, excluded, entries, organizer
):
    publication = services.publish_contest(contest=contest, by=organizer)

    by_id = {e["id"]: e for e in publication.snapshot["entries"]}
    [e1_stage] = by_id[entries["E1"].pk]["stages"]
    assert (e1_stage["raw_score"], e1_stage["sheets"]) == ("82.00", 2)
    assert publication.snapshot["stages"][0]["sheets"] == 8


def test_excluded_sheet_leaves_the_feedback(
    client, contest, stage, excluded, entries, organizer, delegate
):
    services.publish_contest(contest=contest, by=organizer)
    client.force_login(delegate)

    response = client.get(
        url("feedback", contest, code=entries["E1"].region_id),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Catatan A untuk E1." in content
    assert "Catatan C untuk E1." not in content


def test_stage_page_shows_the_excluded_sheet_with_its_reason(
    client, contest, stage, excluded, organizer
):
    client.force_login(organizer)

    response = client.get(url("stage", contest, stage_pk=stage.pk))

    content = response.content.decode()
    assert "Kerabat kepala daerah." in content
    assert "is excluded from these results" in content
    assert response.context["page"].excluded_count == 1


def test_explain_page_shows_the_excluded_sheet_with_its_reason(
    client, contest, stage, excluded, entries, organizer
):
    client.force_login(organizer)

    response = client.get(
        url("explain", contest, stage_pk=stage.pk, submission_pk=entries["E1"].pk)
    )

    content = response.content.decode()
    assert "Kerabat kepala daerah." in content
    assert "counts in no figure" in content
    explained = {s.sheet.pk: s for s in response.context["explanation"].sheets}
    assert explained[excluded.pk].excluded
    assert explained[excluded.pk].score == D("90.00")
    assert explained[excluded.pk].leniency is None


def test_api_lists_the_excluded_sheet(api, contest, stage, excluded, organizer):
    api.force_authenticate(organizer)

    response = api.get(f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/results/")

    rows = {row["submission"]: row for row in response.json()["results"]}
    e1 = rows[excluded.assignment.submission_id]
    assert [s["id"] for s in e1["excluded_sheets"]] == [excluded.pk]
    assert len(e1["sheets"]) == 2


# ---------------------------------------------------------------- stage entries


def test_advance_records_the_next_stages_entries(
    contest, stage, final_stage, scored, entries, organizer
):
    decision = services.advance_stage(stage=stage, by=organizer)

    assert set(
        StageEntry.objects.filter(stage=final_stage).values_list(
            "submission_id", flat=True
        )
    ) == set(decision.advanced)
    assert set(decision.advanced) == {entries["E1"].pk, entries["E2"].pk}


def test_later_stage_counts_only_its_own_entries(
    contest, stage, final_stage, scored, entries, organizer
):
    services.advance_stage(stage=stage, by=organizer)
    criterion = StepCriterionFactory(stage=final_stage, weight=D("1"))
    judge = JudgeFactory(contest=contest)
    for key, value in (("E1", 8), ("E2", 6)):
        submitted_sheet(
            stage=final_stage,
            judge=judge,
            submission=entries[key],
            values={criterion: value},
        )
    # A sheet of E3, which never reached the presentation (written around the
    # services, as a bug or the old state-based stage entries could).
    submitted_sheet(
        stage=final_stage, judge=judge, submission=entries["E3"], values={criterion: 10}
    )

    computation = selectors.stage_results(final_stage)
    publication = services.publish_contest(contest=contest, by=organizer)

    assert set(computation.by_entry) == {entries["E1"].pk, entries["E2"].pk}
    by_id = {e["id"]: e for e in publication.snapshot["entries"]}
    assert [s["stage"] for s in by_id[entries["E3"].pk]["stages"]] == [stage.pk]
    assert [s["stage"] for s in by_id[entries["E1"].pk]["stages"]] == [
        stage.pk,
        final_stage.pk,
    ]
    final = next(s for s in publication.snapshot["stages"] if s["id"] == final_stage.pk)
    assert (final["entries"], final["sheets"]) == (2, 2)


# ---------------------------------------------------------------- ranking basis


@pytest.fixture
def interlocked(contest, stage, category):
    """Six entries, two lenient and two harsh judges, each entry scored by two of
    them, the panels interlocking (see tests/judging/test_results.py): entry 1,
    the best, met the two harsh judges."""
    criterion = StepCriterionFactory(stage=stage, weight=D("1"))
    quality = [6, 5.5, 5, 4.5, 4, 3.5]
    bias = [2, 2, -2, -2]
    design = [(2, 3), (0, 2), (1, 3), (0, 1), (0, 3), (1, 2)]
    judges = [JudgeFactory(contest=contest) for _ in bias]
    entries = [
        EligibleSubmissionFactory(contest=contest, category=category) for _ in quality
    ]
    for entry, q, panel in zip(entries, quality, design, strict=True):
        for j in panel:
            submitted_sheet(
                stage=stage,
                judge=judges[j],
                submission=entry,
                values={criterion: q + bias[j]},
            )
    return entries


def test_stage_ranked_by_raw_or_normalized(stage, interlocked):
    by_normalized = selectors.stage_results(stage, ranked_by="normalized").by_entry
    by_raw = selectors.stage_results(stage, ranked_by="raw").by_entry

    best = interlocked[0]
    # raw 40 (two harsh judges): fourth by raw, second once their effect is removed
    assert by_raw[best.pk].raw_score == D("40.00")
    assert by_raw[best.pk].rank == 4
    assert by_normalized[best.pk].rank == 2


def test_advance_by_raw_is_recorded_and_used_by_the_snapshot(
    contest, stage, final_stage, interlocked, organizer
):
    stage.advance_per_category = 3
    stage.save()

    decision = services.advance_stage(stage=stage, by=organizer, ranked_by="raw")
    publication = services.publish_contest(contest=contest, by=organizer)

    assert decision.ranked_by == "raw"
    best = interlocked[0]
    assert best.pk not in decision.advanced
    [desk] = [s for s in publication.snapshot["stages"] if s["id"] == stage.pk]
    assert desk["ranked_by"] == "raw"
    entry = next(e for e in publication.snapshot["entries"] if e["id"] == best.pk)
    assert entry["stages"][0]["rank"] == 4
    # the final score weighs the stage's raw score
    assert entry["final_score"] == entry["stages"][0]["raw_score"] or (
        entry["final_score"] is None
    )


def test_advance_by_normalized_by_default(
    contest, stage, final_stage, interlocked, organizer
):
    stage.advance_per_category = 3
    stage.save()

    decision = services.advance_stage(stage=stage, by=organizer)

    assert decision.ranked_by == "normalized"
    assert interlocked[0].pk in decision.advanced


def test_advance_refuses_an_unknown_basis(
    contest, stage, final_stage, scored, organizer
):
    from common.errors import DomainError

    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer, ranked_by="median")

    assert caught.value.field == "ranked_by"
    assert not StageEntry.objects.filter(stage=final_stage).exists()


def test_advance_page_advances_by_raw(
    client, contest, stage, final_stage, interlocked, organizer
):
    stage.advance_per_category = 3
    stage.save()
    client.force_login(organizer)

    preview = client.get(
        url("advance", contest, stage_pk=stage.pk), {"ranked_by": "raw"}
    )
    response = client.post(
        url("advance", contest, stage_pk=stage.pk), {"ranked_by": "raw"}
    )

    assert preview.context["preview"].ranked_by == "raw"
    assert response.status_code == 302
    assert stage.advancement.ranked_by == "raw"


# ---------------------------------------------------------------- warnings


def test_stage_page_warns_where_the_normalization_has_little_evidence(
    client, contest, stage, criteria, category, organizer
):
    # Two judges, two sheets each, no entry shared: the 9/8 against 2/1 case.
    a, b = JudgeFactory(contest=contest), JudgeFactory(contest=contest)
    entries = [
        EligibleSubmissionFactory(contest=contest, category=category) for _ in range(4)
    ]
    for judge, entry, value in [(a, 0, 9), (a, 1, 8), (b, 2, 2), (b, 3, 1)]:
        submitted_sheet(
            stage=stage,
            judge=judge,
            submission=entries[entry],
            values={criteria[0]: value, criteria[1]: value},
        )
    client.force_login(organizer)

    response = client.get(url("stage", contest, stage_pk=stage.pk))

    page = response.context["page"]
    assert {row.judge for row in page.weak_judges} == {a, b}
    assert [row.panels for row in page.weak_categories] == [2]
    assert "Little evidence for the normalization" in response.content.decode()
    ranks = {e.entry_id: e.rank for e in page.computation.results.entries}
    assert [ranks[e.pk] for e in entries] == [1, 2, 3, 4]


def test_stage_page_no_warning_with_enough_evidence(
    client, contest, stage, scored, organizer
):
    client.force_login(organizer)

    response = client.get(url("stage", contest, stage_pk=stage.pk))

    assert response.context["page"].weak_judges == []
    assert response.context["page"].weak_categories == []
    assert "Little evidence for the normalization" not in response.content.decode()


@pytest.fixture
def judge_c_became_delegate_of_e1(contest, judges, entries, organizer, scored):
    """After scoring, Juri C's account is made a delegate of E1's region (no judging
    write runs in between: the contest app cannot call judging)."""
    from contest import services as contest_services

    contest_services.invite_delegate(
        contest=contest,
        email=judges["C"].user.email,
        region=entries["E1"].region,
        by=organizer,
    )
    sheet = scored["E1", "C"]
    sheet.refresh_from_db()
    assert sheet.excluded_at is None
    return sheet


def test_publication_takes_out_a_sheet_of_a_delegate_role_added_after_scoring(
    contest, stage, entries, organizer, judge_c_became_delegate_of_e1
):
    publication = services.publish_contest(contest=contest, by=organizer)

    sheet = judge_c_became_delegate_of_e1
    sheet.refresh_from_db()
    assert sheet.excluded_at is not None
    by_id = {e["id"]: e for e in publication.snapshot["entries"]}
    [e1_stage] = by_id[entries["E1"].pk]["stages"]
    assert (e1_stage["raw_score"], e1_stage["sheets"]) == ("82.00", 2)


def test_advance_takes_out_a_sheet_of_a_delegate_role_added_after_scoring(
    contest, stage, final_stage, entries, organizer, judge_c_became_delegate_of_e1
):
    decision = services.advance_stage(stage=stage, by=organizer)

    sheet = judge_c_became_delegate_of_e1
    sheet.refresh_from_db()
    assert sheet.excluded_at is not None
    e1 = [row for row in decision.basis if row[0] == entries["E1"].pk]
    assert e1[0][3] == "82.00"
