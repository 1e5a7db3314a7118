"""A judge is never assigned, nor counted, on an entry they are conflicted with:
delegate roles conflict like a home region, on every assignment path and from the
current rows; a conflict found after scoring takes the sheet out of the results,
visibly, and the entry is offered another judge."""

import pytest
from django.urls import reverse

from common.errors import DomainError
from contest import services as contest_services
from contest.models import AuditEntry
from judging import selectors, services
from judging.conflicts import judge_rule
from judging.enums import ConflictRule, ConflictSource, SheetState
from judging.models import Assignment, ConflictOfInterest, StageEntry
from tests.factories.contest import DelegateFactory, ProvinceFactory, RegionFactory
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    ScoreFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def ntb(db):
    province = ProvinceFactory(code="52", name="Nusa Tenggara Barat")
    return {
        "52": province,
        "52.72": RegionFactory(code="52.72", province=province, name="Kota Bima"),
        "52.02": RegionFactory(
            code="52.02", province=province, name="Kabupaten Lombok Tengah"
        ),
        "51.08": RegionFactory(
            code="51.08",
            province=ProvinceFactory(code="51", name="Bali"),
            name="Kabupaten Buleleng",
        ),
    }


@pytest.mark.parametrize(
    ("home", "delegate_of", "entry", "expected"),
    [
        (None, ["52.72"], "52.72", ConflictRule.DELEGATE_REGION),
        (None, ["52"], "52.72", ConflictRule.DELEGATE_REGION),
        (None, ["52.72"], "52", ConflictRule.DELEGATE_REGION),
        (None, ["52.72"], "52.02", ConflictRule.DELEGATE_REGION),
        (None, ["52.72"], "51.08", None),
        ("52.72", ["51.08"], "52.72", ConflictRule.SAME_REGION),
        ("31.71", ["51.08"], "51.08", ConflictRule.DELEGATE_REGION),
        (None, [], "52.72", None),
    ],
)
def test_judge_rule_truth_table(home, delegate_of, entry, expected):
    assert judge_rule(home, delegate_of, entry) == expected


@pytest.mark.parametrize(
    ("delegate_of", "conflicted"),
    [("52.72", True), ("52", True), ("52.02", True), ("51.08", False)],
)
def test_delegate_of_a_region_is_conflicted_in_selectors(
    contest, stage, ntb, delegate_of, conflicted
):
    entry = EligibleSubmissionFactory(contest=contest, region=ntb["52.72"])
    judge = JudgeFactory(contest=contest)
    DelegateFactory(contest=contest, user=judge.user, region=ntb[delegate_of])
    AssignmentFactory(stage=stage, judge=judge, submission=entry)

    flags = list(
        selectors.with_conflict_flag(Assignment.objects.all()).values_list(
            "conflicted", flat=True
        )
    )

    assert flags == [conflicted]
    found = selectors.conflict_between(judge=judge, submission=entry)
    assert (found is not None) is conflicted


def test_delegate_role_in_another_contest_is_no_conflict(contest, stage, ntb):
    entry = EligibleSubmissionFactory(contest=contest, region=ntb["52.72"])
    judge = JudgeFactory(contest=contest)
    DelegateFactory(user=judge.user, region=ntb["52.72"])

    assert selectors.conflict_between(judge=judge, submission=entry) is None


def test_manual_assignment_refuses_a_delegate_of_the_region(
    contest, stage, organizer, ntb, table_rows
):
    entry = EligibleSubmissionFactory(contest=contest, region=ntb["52.72"])
    judge = JudgeFactory(contest=contest)
    DelegateFactory(contest=contest, user=judge.user, region=ntb["52"])

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.add_assignment(
            stage=stage, judge=judge, submission=entry, by=organizer
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert "a delegate of its region" in str(caught.value.message)
    assert not Assignment.objects.exists()


def test_automatic_assignment_never_pairs_a_delegate_with_the_region(
    contest, stage, organizer, ntb
):
    entry = EligibleSubmissionFactory(contest=contest, region=ntb["52.02"])
    delegate_judge = JudgeFactory(contest=contest)
    DelegateFactory(contest=contest, user=delegate_judge.user, region=ntb["52.72"])
    free = JudgeFactory(contest=contest)

    run = services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)

    assert {(a.judge_id, a.submission_id) for a in run.created} == {(free.pk, entry.pk)}
    assert run.conflicts_avoided == 1
    stored = ConflictOfInterest.objects.get(judge=delegate_judge, submission=entry)
    assert stored.source == ConflictSource.DERIVED
    assert stored.rule == ConflictRule.DELEGATE_REGION


def test_delegate_role_added_later_is_seen_by_every_assignment_path(
    contest, stage, organizer, ntb, table_rows
):
    entry = EligibleSubmissionFactory(contest=contest, region=ntb["52.72"])
    judge = JudgeFactory(contest=contest)
    services.sync_derived_conflicts(contest=contest, by=organizer)
    assert not ConflictOfInterest.objects.exists()
    # The organizer then makes the judge a delegate of the entry's province
    # (contest.services.invite_delegate, which cannot tell judging).
    contest_services.invite_delegate(
        contest=contest, email=judge.user.email, region=ntb["52"], by=organizer
    )

    rows_before = table_rows()
    with pytest.raises(DomainError) as manual:
        services.add_assignment(
            stage=stage, judge=judge, submission=entry, by=organizer
        )
    with pytest.raises(DomainError) as extra:
        services.add_extra_judge(stage=stage, submission=entry, by=organizer)
    assert table_rows() == rows_before
    run = services.assign_judges(stage=stage, judges_per_entry=1, by=organizer)

    assert manual.value.status == extra.value.status == 409
    assert run.created == []
    assert not Assignment.objects.exists()


def test_a_delegate_judge_cannot_score_the_region_entry(
    assignment, criteria, ntb, table_rows
):
    submission = assignment.submission
    submission.region = ntb["52.72"]
    submission.save()
    DelegateFactory(
        contest=assignment.stage.contest,
        user=assignment.judge.user,
        region=ntb["52.02"],
    )
    sheet = services.ensure_sheet(assignment=assignment)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.record_sheet(
            sheet=sheet,
            scores=[{"criterion": criteria[0].pk, "value": "5"}],
            comment="",
            submit=False,
            by=assignment.judge.user,
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert not sheet.scores.exists()


# ---------------------------------------------------------------- after submission


@pytest.fixture
def scored(contest, stage, criteria, entry):
    """Two judges on the entry (k = 2), both sheets submitted."""
    stage.judges_per_entry = 2
    stage.save()
    StageEntry.objects.get_or_create(stage=stage, submission=entry)
    sheets = []
    for name in ("Dr. Andi", "Sari"):
        judge = JudgeFactory(contest=contest, name=name)
        sheet = SubmittedSheetFactory(
            assignment=AssignmentFactory(stage=stage, judge=judge, submission=entry)
        )
        for criterion in criteria:
            ScoreFactory(sheet=sheet, criterion=criterion)
        sheets.append(sheet)
    return sheets


def test_declared_conflict_after_submission_excludes_the_sheet(
    scored, organizer, entry, stage
):
    sheet = scored[0]
    judge = sheet.assignment.judge

    result = services.declare_conflict(
        judge=judge, submission=entry, reason="Kerabat kepala daerah.", by=organizer
    )

    sheet.refresh_from_db()
    assert result.kept == [sheet.assignment]
    assert sheet.state == SheetState.SUBMITTED
    assert sheet.excluded_at is not None
    assert sheet.excluded_reason == (
        "Conflict of interest declared after the sheet was submitted: "
        "Kerabat kepala daerah."
    )
    assert sheet.scores.count() == 2
    audit = AuditEntry.objects.get(action="sheet.excluded")
    assert audit.object_id == str(sheet.pk)
    assert scored[1].__class__.objects.get(pk=scored[1].pk).excluded_at is None
    short = list(selectors.entries_short_of_judges(stage))
    assert [(e.pk, e.judge_count, e.excluded_count) for e in short] == [
        (entry.pk, 1, 1)
    ]


def test_derived_conflict_found_later_excludes_the_sheet(
    scored, organizer, entry, contest, ntb
):
    entry.region = ntb["52.72"]
    entry.save()
    sheet = scored[1]
    judge = sheet.assignment.judge
    DelegateFactory(contest=contest, user=judge.user, region=ntb["52.72"])

    sync = services.sync_derived_conflicts(contest=contest, by=organizer)

    sheet.refresh_from_db()
    assert sync.excluded_sheets == [sheet.pk]
    assert sheet.excluded_at is not None
    assert sheet.excluded_reason.startswith(
        "Conflict of interest found after the sheet was submitted: "
        "The judge is a delegate of its region"
    )
    assert Assignment.objects.filter(pk=sheet.assignment_id).exists()


def test_extra_judge_replaces_an_excluded_sheet(scored, organizer, entry, stage):
    spare = JudgeFactory(contest=stage.contest, name="Cadangan")
    services.declare_conflict(
        judge=scored[0].assignment.judge,
        submission=entry,
        reason="Kerabat.",
        by=organizer,
    )

    extra = services.add_extra_judge(stage=stage, submission=entry, by=organizer)

    assert extra.judge == spare
    assert list(selectors.entries_short_of_judges(stage)) == []


def test_progress_page_shows_the_exclusion_and_offers_a_judge(
    client, scored, organizer, entry, stage
):
    services.declare_conflict(
        judge=scored[0].assignment.judge,
        submission=entry,
        reason="Kerabat kepala daerah.",
        by=organizer,
    )
    client.force_login(organizer)

    response = client.get(
        reverse(
            "judging:progress",
            kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk},
        )
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert [s.pk for s in response.context["excluded"]] == [scored[0].pk]
    assert "Sheets excluded from the results" in html
    assert "Conflict of interest declared after the sheet was submitted" in html
    assert [e.pk for e in response.context["short"]] == [entry.pk]
    assert "1 sheet excluded" in html
    extra_url = reverse(
        "judging:extra-judge",
        kwargs={
            "slug": stage.contest.slug,
            "stage_pk": stage.pk,
            "submission_pk": entry.pk,
        },
    )
    assert f'action="{extra_url}"' in html


def test_sheet_page_shows_the_exclusion(client, scored, organizer, entry):
    sheet = scored[0]
    services.declare_conflict(
        judge=sheet.assignment.judge,
        submission=entry,
        reason="Kerabat kepala daerah.",
        by=organizer,
    )
    client.force_login(organizer)

    response = client.get(reverse("judging:sheet", kwargs={"pk": sheet.assignment_id}))

    html = response.content.decode()
    assert "This sheet is excluded from the results since" in html
    assert (
        "Reason: Conflict of interest declared after the sheet was submitted: "
        "Kerabat kepala daerah."
    ) in html


def test_conflict_api_answers_the_excluded_sheets(api, scored, organizer, entry):
    api.force_authenticate(organizer)
    sheet = scored[0]

    response = api.post(
        f"/api/v1/contests/{entry.contest.slug}/conflicts/",
        {
            "judge": sheet.assignment.judge_id,
            "submission": entry.pk,
            "reason": "Kerabat.",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["excluded_sheets"] == [sheet.pk]
    assert response.json()["removed_assignments"] == []


def test_a_stale_derived_row_does_not_decide(contest, stage, organizer, ntb):
    entry = EligibleSubmissionFactory(contest=contest, region=ntb["52.72"])
    judge = JudgeFactory(contest=contest, home_region=ntb["51.08"])
    ConflictOfInterest.objects.create(
        judge=judge,
        submission=entry,
        source=ConflictSource.DERIVED,
        rule=ConflictRule.SAME_PROVINCE,
    )

    assignment = services.add_assignment(
        stage=stage, judge=judge, submission=entry, by=organizer
    )

    assert assignment.judge == judge
    assert selectors.conflict_between(judge=judge, submission=entry) is None


def test_update_judge_home_region_recomputes_conflicts_at_once(
    contest, stage, organizer, ntb
):
    entry = EligibleSubmissionFactory(contest=contest, region=ntb["52.72"])
    judge = JudgeFactory(contest=contest)
    StageEntry.objects.create(stage=stage, submission=entry)
    assignment = AssignmentFactory(stage=stage, judge=judge, submission=entry)

    services.update_judge(
        judge=judge,
        by=organizer,
        name=judge.name,
        home_region=ntb["52.02"],
        categories=[],
        panels=[],
    )

    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert ConflictOfInterest.objects.get(judge=judge).rule == (
        ConflictRule.SAME_PROVINCE
    )
