import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from common.errors import DomainError
from contest.enums import StageKind
from contest.models import AuditEntry, Criterion
from judging import services
from judging.enums import ConflictRule, ConflictSource, SheetState
from judging.models import (
    Assignment,
    ConflictOfInterest,
    Judge,
    ReminderLog,
    Score,
    ScoreSheet,
)
from submissions.enums import SubmissionState
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    CategoryFactory,
    ContestFactory,
    ProvinceFactory,
    RegionFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    ScoreFactory,
    ScoreSheetFactory,
    StepCriterionFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]

User = get_user_model()


def pairs(stage):
    return set(stage.assignments.values_list("judge_id", "submission_id"))


def decide_advancement(stage, advanced):
    """The record the advancement leaves on a stage (results.services.advancement)."""
    from results.models import AdvancementDecision

    return AdvancementDecision.objects.create(
        stage=stage,
        decided_at=timezone.now(),
        places=len(advanced),
        advanced=[entry.pk for entry in advanced],
    )


def region(code, province=None):
    if "." not in code:
        return ProvinceFactory(code=code, name=f"Provinsi {code}")
    province = province or ProvinceFactory(code=code.split(".")[0])
    return RegionFactory(code=code, province=province, name=f"Kota {code}")


# ---------------------------------------------------------------- the assignment


def test_assign_judges_gives_every_entry_k_judges_from_its_panel(
    contest, organizer, stage
):
    health, economy = CategoryFactory.create_batch(2, contest=contest)
    health_panel = JudgeFactory.create_batch(3, contest=contest, panels=[health])
    economy_panel = JudgeFactory.create_batch(3, contest=contest, panels=[economy])
    health_entries = EligibleSubmissionFactory.create_batch(
        2, contest=contest, category=health
    )
    economy_entries = EligibleSubmissionFactory.create_batch(
        2, contest=contest, category=economy
    )

    run = services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)

    assert len(run.created) == 8
    assert run.shortfalls == []
    for entry in health_entries:
        judges = set(
            stage.assignments.filter(submission=entry).values_list("judge", flat=True)
        )
        assert len(judges) == 2
        assert judges <= {j.pk for j in health_panel}
    for entry in economy_entries:
        judges = set(
            stage.assignments.filter(submission=entry).values_list("judge", flat=True)
        )
        assert len(judges) == 2
        assert judges <= {j.pk for j in economy_panel}


def test_assign_judges_never_pairs_a_derived_conflict(contest, organizer, stage):
    province = region("52")
    bima = region("52.72", province)
    lombok = region("52.02", province)
    same_region = JudgeFactory(contest=contest, home_region=bima)
    province_judge = JudgeFactory(contest=contest, home_region=province)
    same_province = JudgeFactory(contest=contest, home_region=lombok)
    free = [
        JudgeFactory(contest=contest, home_region=region(code))
        for code in ("31.71", "34.71", "73.71")
    ]
    entry = EligibleSubmissionFactory(contest=contest, region=bima)

    run = services.assign_judges(stage=stage, judges_per_entry=3, by=organizer)

    assert pairs(stage) == {(judge.pk, entry.pk) for judge in free}
    assert run.conflicts_avoided == 3
    derived = dict(
        ConflictOfInterest.objects.filter(source=ConflictSource.DERIVED).values_list(
            "judge_id", "rule"
        )
    )
    assert derived == {
        same_region.pk: ConflictRule.SAME_REGION,
        province_judge.pk: ConflictRule.PROVINCE_JUDGE,
        same_province.pk: ConflictRule.SAME_PROVINCE,
    }


def test_assign_judges_never_pairs_a_declared_conflict(contest, organizer, stage):
    judges = JudgeFactory.create_batch(3, contest=contest)
    entry = EligibleSubmissionFactory(contest=contest)
    DeclaredConflictFactory(judge=judges[0], submission=entry)

    run = services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)

    assert pairs(stage) == {(judges[1].pk, entry.pk), (judges[2].pk, entry.pk)}
    assert run.conflicts_avoided == 1


def test_assign_judges_balances_loads(contest, organizer, stage):
    judges = JudgeFactory.create_batch(4, contest=contest)
    EligibleSubmissionFactory.create_batch(6, contest=contest)

    run = services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)

    assert {judge.pk: load for judge, load in run.loads.items()} == {
        judge.pk: 3 for judge in judges
    }
    assert stage.assignments.count() == 12


def test_assign_judges_keeps_assignments_with_a_sheet(contest, organizer, stage):
    judges = JudgeFactory.create_batch(3, contest=contest)
    entry = EligibleSubmissionFactory(contest=contest)
    kept = AssignmentFactory(stage=stage, judge=judges[2], submission=entry)
    ScoreSheetFactory(assignment=kept)
    replaced = AssignmentFactory(stage=stage, judge=judges[1], submission=entry)

    run = services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)

    assert Assignment.objects.filter(pk=kept.pk).exists()
    assert not Assignment.objects.filter(pk=replaced.pk).exists()
    assert run.kept == 1
    assert run.removed == 1
    assert len(run.created) == 1
    assert stage.assignments.filter(submission=entry).count() == 2


def test_assign_judges_explains_a_shortfall_in_words(contest, organizer, stage):
    health = CategoryFactory(contest=contest, name="Kesehatan")
    home = region("32.73")
    JudgeFactory(contest=contest, panels=[health], home_region=home)
    JudgeFactory(contest=contest, panels=[health])
    entry = EligibleSubmissionFactory(
        contest=contest, category=health, region=home, title="Layad Rawat"
    )

    run = services.assign_judges(stage=stage, judges_per_entry=3, by=organizer)

    assert len(run.shortfalls) == 1
    short = run.shortfalls[0]
    assert short.submission == entry
    assert (short.needed, short.assigned) == (3, 1)
    assert short.message == (
        "“Layad Rawat” has 1 of 3 judges: the “Kesehatan” panel has 2 judges, 1 of "
        "them with a conflict of interest. Add judges to the panel or lower the "
        "judges per entry."
    )


def test_assign_judges_takes_only_the_stage_entries_at_a_later_stage(
    contest, organizer, stage
):
    later = OpenStageFactory(contest=contest, order=stage.order + 1)
    JudgeFactory.create_batch(2, contest=contest)
    advanced = EligibleSubmissionFactory(
        contest=contest, state=SubmissionState.ADVANCED
    )
    EligibleSubmissionFactory(contest=contest, state=SubmissionState.ADVANCED)
    EligibleSubmissionFactory(contest=contest, state=SubmissionState.NOT_ADVANCED)
    decide_advancement(stage, [advanced])
    services.set_stage_entries(stage=later, submission_ids=[advanced.pk], by=organizer)

    services.assign_judges(stage=later, judges_per_entry=1, by=organizer)

    assert set(later.assignments.values_list("submission_id", flat=True)) == {
        advanced.pk
    }


def test_assign_judges_skips_entries_not_yet_screened_or_withdrawn(
    contest, organizer, stage
):
    JudgeFactory(contest=contest)
    eligible = EligibleSubmissionFactory(contest=contest)
    for state in (
        SubmissionState.DRAFT,
        SubmissionState.SUBMITTED,
        SubmissionState.WITHDRAWN,
    ):
        EligibleSubmissionFactory(contest=contest, state=state)
    EligibleSubmissionFactory(
        contest=contest, state=SubmissionState.INELIGIBLE, screening_reason="Tidak."
    )

    services.assign_judges(stage=stage, judges_per_entry=1, by=organizer)

    assert set(stage.assignments.values_list("submission_id", flat=True)) == {
        eligible.pk
    }


def test_assign_judges_updates_the_stage_and_audits_the_run(contest, organizer, stage):
    judge = JudgeFactory(contest=contest)
    entry = EligibleSubmissionFactory(contest=contest)

    services.assign_judges(stage=stage, judges_per_entry=1, by=organizer)

    stage.refresh_from_db()
    assert stage.judges_per_entry == 1
    run = AuditEntry.objects.get(action="assignment.run")
    assert run.actor == organizer
    assert run.data["created"] == [[judge.pk, entry.pk]]
    assert run.data["judges_per_entry"] == 1


def test_assign_judges_refused_without_entries(contest, organizer, stage, table_rows):
    JudgeFactory(contest=contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.assign_judges(stage=stage, judges_per_entry=3, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert "no entries" in str(caught.value.message)


def test_assign_judges_refused_without_judges(contest, organizer, stage, table_rows):
    EligibleSubmissionFactory(contest=contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.assign_judges(stage=stage, judges_per_entry=3, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert "no judges" in str(caught.value.message)


def test_assign_judges_refused_for_a_screening_stage(contest, organizer, table_rows):
    screening = OpenStageFactory(contest=contest, kind=StageKind.SCREENING)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.assign_judges(stage=screening, judges_per_entry=3, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


@pytest.mark.parametrize("k", [0, 21])
def test_assign_judges_refused_for_k_out_of_range(contest, organizer, stage, k):
    with pytest.raises(DomainError) as caught:
        services.assign_judges(stage=stage, judges_per_entry=k, by=organizer)

    assert caught.value.field == "judges_per_entry"


def test_assign_judges_refused_for_a_non_organizer(contest, delegate, stage):
    with pytest.raises(DomainError) as caught:
        services.assign_judges(stage=stage, judges_per_entry=3, by=delegate)

    assert caught.value.status == 403
    assert not AuditEntry.objects.filter(action="assignment.run").exists()


# ---------------------------------------------------------------- adding and removing


def test_add_assignment_creates_and_audits(stage, organizer, judge, entry):
    assignment = services.add_assignment(
        stage=stage, judge=judge, submission=entry, by=organizer
    )

    assert assignment.created_by == organizer
    assert AuditEntry.objects.get(action="assignment.added").data == {
        "stage": stage.pk,
        "judge": judge.pk,
        "submission": entry.pk,
    }


def test_add_assignment_refuses_a_conflicted_pair(
    contest, stage, organizer, table_rows
):
    home = region("94.04")
    judge = JudgeFactory(contest=contest, home_region=home)
    entry = EligibleSubmissionFactory(contest=contest, region=home)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.add_assignment(
            stage=stage, judge=judge, submission=entry, by=organizer
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert caught.value.field == "judge"
    assert "conflict of interest" in str(caught.value.message)
    assert not Assignment.objects.exists()


def test_add_assignment_refuses_a_declared_conflict(
    stage, organizer, judge, entry, table_rows
):
    DeclaredConflictFactory(judge=judge, submission=entry)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.add_assignment(
            stage=stage, judge=judge, submission=entry, by=organizer
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before


def test_add_assignment_refuses_a_duplicate(assignment, organizer, table_rows):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.add_assignment(
            stage=assignment.stage,
            judge=assignment.judge,
            submission=assignment.submission,
            by=organizer,
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before


def test_add_assignment_refuses_an_entry_outside_the_stage(
    contest, stage, organizer, judge
):
    draft = EligibleSubmissionFactory(contest=contest, state=SubmissionState.DRAFT)

    with pytest.raises(DomainError) as caught:
        services.add_assignment(
            stage=stage, judge=judge, submission=draft, by=organizer
        )

    assert caught.value.field == "submission"


def test_add_assignment_refuses_a_judge_of_another_contest(stage, organizer, entry):
    stranger = JudgeFactory(contest=ContestFactory())

    with pytest.raises(DomainError) as caught:
        services.add_assignment(
            stage=stage, judge=stranger, submission=entry, by=organizer
        )

    assert caught.value.field == "judge"


def test_remove_assignment_removes_a_draft_sheet_too(assignment, organizer):
    ScoreSheetFactory(assignment=assignment)

    services.remove_assignment(assignment=assignment, by=organizer)

    assert not Assignment.objects.exists()
    assert not ScoreSheet.objects.exists()
    assert AuditEntry.objects.get(action="assignment.removed").data["draft_sheet"]


def test_remove_assignment_refused_with_a_submitted_sheet(
    assignment, organizer, table_rows
):
    SubmittedSheetFactory(assignment=assignment)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.remove_assignment(assignment=assignment, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_add_extra_judge_picks_the_least_loaded_fitting_judge(
    contest, stage, organizer, entry
):
    busy, idle = JudgeFactory.create_batch(2, contest=contest)
    on_it = JudgeFactory(contest=contest)
    AssignmentFactory(stage=stage, judge=on_it, submission=entry)
    AssignmentFactory.create_batch(2, stage=stage, judge=busy)
    AssignmentFactory(stage=stage, judge=idle)

    assignment = services.add_extra_judge(stage=stage, submission=entry, by=organizer)

    assert assignment.judge == idle
    assert assignment.submission == entry


def test_add_extra_judge_refused_when_nobody_fits(
    contest, stage, organizer, entry, table_rows
):
    judge = JudgeFactory(contest=contest)
    AssignmentFactory(stage=stage, judge=judge, submission=entry)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.add_extra_judge(stage=stage, submission=entry, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


# ---------------------------------------------------------------- conflicts


def test_declare_conflict_by_organizer_removes_unsubmitted_and_keeps_submitted(
    contest, organizer, judge, entry, stage
):
    draft = AssignmentFactory(stage=stage, judge=judge, submission=entry)
    later = OpenStageFactory(contest=contest)
    submitted = AssignmentFactory(stage=later, judge=judge, submission=entry)
    SubmittedSheetFactory(assignment=submitted)

    result = services.declare_conflict(
        judge=judge, submission=entry, reason="Konsultan inovasi ini.", by=organizer
    )

    assert [a.pk for a in result.removed] == [draft.pk]
    assert [a.pk for a in result.kept] == [submitted.pk]
    assert not Assignment.objects.filter(pk=draft.pk).exists()
    conflict = ConflictOfInterest.objects.get()
    assert conflict.source == ConflictSource.DECLARED
    assert conflict.reason == "Konsultan inovasi ini."
    assert conflict.declared_by == organizer
    assert AuditEntry.objects.get(action="conflict.declared").data[
        "removed_assignments"
    ] == [draft.pk]


def test_declare_conflict_by_the_judge_for_themself(assignment):
    user = assignment.judge.user

    result = services.declare_conflict(
        judge=assignment.judge,
        submission=assignment.submission,
        reason="Saya pernah bekerja di dinas ini.",
        by=user,
    )

    assert result.conflict.declared_by == user
    assert not Assignment.objects.exists()


def test_declare_conflict_refused_for_another_judge(assignment, contest):
    other = JudgeFactory(contest=contest)

    with pytest.raises(DomainError) as caught:
        services.declare_conflict(
            judge=assignment.judge,
            submission=assignment.submission,
            reason="x",
            by=other.user,
        )

    assert caught.value.status == 403
    assert not ConflictOfInterest.objects.exists()


def test_declare_conflict_refused_for_an_entry_not_assigned(judge, contest):
    elsewhere = EligibleSubmissionFactory(contest=contest)

    with pytest.raises(DomainError) as caught:
        services.declare_conflict(
            judge=judge, submission=elsewhere, reason="x", by=judge.user
        )

    assert caught.value.status == 404


def test_declare_conflict_needs_a_reason(assignment, organizer):
    with pytest.raises(DomainError) as caught:
        services.declare_conflict(
            judge=assignment.judge,
            submission=assignment.submission,
            reason="  ",
            by=organizer,
        )

    assert caught.value.field == "reason"
    assert Assignment.objects.exists()


def test_sync_derived_conflicts_follows_a_changed_home_region(contest, organizer):
    bima = region("52.72")
    judge = JudgeFactory(contest=contest, home_region=bima)
    EligibleSubmissionFactory(contest=contest, region=bima)
    services.sync_derived_conflicts(contest=contest)
    judge.home_region = region("31.71")
    judge.save()

    sync = services.sync_derived_conflicts(contest=contest)

    assert sync.removed == 1
    assert not ConflictOfInterest.objects.exists()


# ---------------------------------------------------------------- score sheets


def save(assignment, scores, *, submit=False, version=None, comment="", by=None):
    sheet = services.ensure_sheet(assignment=assignment)
    return services.record_sheet(
        sheet=sheet,
        scores=scores,
        comment=comment,
        submit=submit,
        version=sheet.version if version is None else version,
        by=by or assignment.judge.user,
    )


def stored(assignment):
    return dict(
        Score.objects.filter(sheet__assignment=assignment).values_list(
            "criterion__name", "value"
        )
    )


def test_record_sheet_saves_a_draft_and_bumps_the_version(
    assignment, full_scores, criteria
):
    sheet = save(assignment, full_scores, comment="Menjanjikan.")

    assert sheet.version == 1
    assert sheet.state == SheetState.DRAFT
    assert sheet.comment == "Menjanjikan."
    assert stored(assignment) == {
        "Kebaruan": Decimal("7.50"),
        "Kemanfaatan": Decimal("8.00"),
    }
    entry = AuditEntry.objects.get(action="sheet.saved")
    assert entry.actor == assignment.judge.user
    assert entry.data["scores"] == {
        str(criteria[0].pk): [None, "7.5"],
        str(criteria[1].pk): [None, "8"],
    }


def test_record_sheet_audits_each_score_change(assignment, full_scores, criteria):
    save(assignment, full_scores)
    changed = [dict(full_scores[0], value="9"), full_scores[1]]

    save(assignment, changed)

    last = AuditEntry.objects.filter(action="sheet.saved").last()
    assert last.data["scores"] == {str(criteria[0].pk): ["7.5", "9"]}
    assert last.data["version"] == 2


def test_record_sheet_submits_a_complete_sheet(assignment, full_scores):
    sheet = save(assignment, full_scores, submit=True)

    assert sheet.state == SheetState.SUBMITTED
    assert sheet.submitted_at is not None
    assert AuditEntry.objects.filter(action="sheet.submitted").count() == 1


def test_record_sheet_replaces_every_score(assignment, full_scores, criteria):
    save(assignment, full_scores)

    save(assignment, [{"criterion": criteria[1].pk, "value": "6", "comment": ""}])

    assert stored(assignment) == {"Kemanfaatan": Decimal("6.00")}


def test_record_sheet_keeps_a_comment_without_a_value(assignment, criteria):
    save(assignment, [{"criterion": criteria[0].pk, "value": "", "comment": "Lihat."}])

    score = Score.objects.get()
    assert score.value is None
    assert score.comment == "Lihat."


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11", "“Kebaruan”: Enter a score from 0 to 10."),
        ("-1", "“Kebaruan”: Enter a score from 0 to 10."),
        ("7.3", "“Kebaruan”: Scores go in steps of 0.5 from 0."),
        ("tujuh", "“Kebaruan”: Enter a number."),
        ("NaN", "“Kebaruan”: Enter a number."),
        (True, "“Kebaruan”: Enter a number."),
    ],
)
def test_record_sheet_refuses_a_bad_value(assignment, criteria, value, reason):
    with pytest.raises(DomainError) as caught:
        save(assignment, [{"criterion": criteria[0].pk, "value": value}])

    assert caught.value.field == "scores"
    assert caught.value.status == 400
    assert str(caught.value.message) == reason
    assert not Score.objects.exists()
    assert ScoreSheet.objects.get().version == 0


def test_record_sheet_refuses_a_criterion_of_another_stage(assignment, contest):
    elsewhere = StepCriterionFactory(stage=OpenStageFactory(contest=contest))

    with pytest.raises(DomainError) as caught:
        save(assignment, [{"criterion": elsewhere.pk, "value": "5"}])

    assert caught.value.field == "scores"
    assert str(caught.value.message) == (
        f"Criterion {elsewhere.pk} is not part of this stage's rubric."
    )


def test_record_sheet_submit_names_what_is_missing(assignment, criteria):
    with pytest.raises(DomainError) as caught:
        save(assignment, [{"criterion": criteria[0].pk, "value": "5"}], submit=True)

    assert caught.value.field == "scores"
    assert str(caught.value.message) == (
        "Score every criterion before submitting. Missing: “Kemanfaatan”."
    )
    assert not Score.objects.exists()


def test_record_sheet_refused_after_stage_closes(assignment, full_scores, table_rows):
    stage = assignment.stage
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(minutes=1)
    stage.save()

    services.ensure_sheet(assignment=assignment)  # `save` makes it first
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        save(assignment, full_scores, submit=True)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert "closed on" in str(caught.value.message)
    assert Score.objects.count() == 0


def test_record_sheet_refused_before_stage_opens(assignment, full_scores, table_rows):
    stage = assignment.stage
    stage.opens = timezone.now() + dt.timedelta(days=1)
    stage.closes = timezone.now() + dt.timedelta(days=3)
    stage.save()

    services.ensure_sheet(assignment=assignment)  # `save` makes it first
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        save(assignment, full_scores)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert "opens on" in str(caught.value.message)


def test_record_sheet_refuses_a_stale_version(
    assignment, full_scores, criteria, table_rows
):
    save(assignment, full_scores)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        save(assignment, [{"criterion": criteria[0].pk, "value": "1"}], version=0)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert caught.value.field == "version"
    assert str(caught.value.message) == "This sheet was changed elsewhere; reload it."
    assert stored(assignment)["Kebaruan"] == Decimal("7.50")
    assert ScoreSheet.objects.get().version == 1


def test_record_sheet_refuses_a_submitted_sheet(assignment, full_scores, table_rows):
    save(assignment, full_scores, submit=True)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        save(assignment, full_scores)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert ScoreSheet.objects.get().version == 1


def test_record_sheet_refuses_another_user(assignment, full_scores, organizer):
    with pytest.raises(DomainError) as caught:
        save(assignment, full_scores, by=organizer)

    assert caught.value.status == 403


def test_record_sheet_refuses_a_conflicted_judge(assignment, full_scores, table_rows):
    DeclaredConflictFactory(judge=assignment.judge, submission=assignment.submission)

    services.ensure_sheet(assignment=assignment)  # `save` makes it first
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        save(assignment, full_scores)

    assert caught.value.status == 409
    assert table_rows() == rows_before


def test_record_sheet_internal_skips_the_window_but_validates(assignment, criteria):
    stage = assignment.stage
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(days=1)
    stage.save()
    sheet = services.ensure_sheet(assignment=assignment)

    with pytest.raises(DomainError):
        services._record_sheet(
            sheet=sheet,
            scores=[{"criterion": criteria[0].pk, "value": "12"}],
            comment="",
            submit=False,
            version=0,
            by=assignment.judge.user,
            check_window=False,
        )
    saved = services._record_sheet(
        sheet=sheet,
        scores=[{"criterion": criteria[0].pk, "value": "6"}],
        comment="",
        submit=False,
        version=0,
        by=assignment.judge.user,
        check_window=False,
    )

    assert saved.version == 1


def test_reopen_sheet_returns_it_to_draft(assignment, full_scores, organizer):
    sheet = save(assignment, full_scores, submit=True)

    reopened = services.reopen_sheet(sheet=sheet, by=organizer, reason="Salah ketik.")

    assert reopened.state == SheetState.DRAFT
    assert reopened.submitted_at is None
    assert reopened.version == 2
    assert AuditEntry.objects.get(action="sheet.reopened").data["reason"] == (
        "Salah ketik."
    )


def test_reopen_sheet_refused_for_a_draft(assignment, organizer, table_rows):
    sheet = ScoreSheetFactory(assignment=assignment)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.reopen_sheet(sheet=sheet, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


def test_reopen_sheet_refused_for_the_judge(assignment):
    sheet = SubmittedSheetFactory(assignment=assignment)

    with pytest.raises(DomainError) as caught:
        services.reopen_sheet(sheet=sheet, by=assignment.judge.user)

    assert caught.value.status == 403


# ---------------------------------------------------------------- judges


SET_PASSWORD_LINK = re.compile(r"/accounts/password/reset/key/\S+/")


def test_invite_judge_creates_the_account_and_sends_a_set_password_link(
    contest, organizer, django_capture_on_commit_callbacks
):
    health = CategoryFactory(contest=contest)
    home = region("31.71")

    with django_capture_on_commit_callbacks(execute=True):
        judge = services.invite_judge(
            contest=contest,
            email="Juri.Baru@Kementerian.go.id",
            name="Dr. Juri Baru",
            home_region=home,
            categories=[health],
            panels=[health],
            by=organizer,
        )

    user = User.objects.get(email="juri.baru@kementerian.go.id")
    assert judge.user == user
    assert not user.has_usable_password()
    assert list(judge.categories.all()) == [health]
    assert list(judge.panels.all()) == [health]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["juri.baru@kementerian.go.id"]
    assert SET_PASSWORD_LINK.search(mail.outbox[0].body)
    assert "Anda diundang menjadi juri" in mail.outbox[0].body
    assert AuditEntry.objects.get(action="judge.added").data["home_region"] == "31.71"


def test_invite_judge_links_an_existing_account_without_a_link(
    contest, organizer, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="andi@example.id")

    with django_capture_on_commit_callbacks(execute=True):
        judge = services.invite_judge(
            contest=contest, email="andi@example.id", by=organizer
        )

    assert judge.user == existing
    assert not SET_PASSWORD_LINK.search(mail.outbox[0].body)


def test_invite_judge_refuses_someone_already_a_judge(
    contest, organizer, judge, table_rows
):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.invite_judge(contest=contest, email=judge.user.email, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert caught.value.field == "email"


def test_invite_judge_refuses_categories_of_another_contest(contest, organizer):
    foreign = CategoryFactory(contest=ContestFactory())

    with pytest.raises(DomainError) as caught:
        services.invite_judge(
            contest=contest, email="x@example.id", panels=[foreign], by=organizer
        )

    assert caught.value.field == "panels"
    assert not Judge.objects.exists()


def test_update_judge_changes_panels_and_audits(contest, organizer, judge):
    health = CategoryFactory(contest=contest)

    services.update_judge(
        judge=judge,
        name="Dr. Andi P.",
        home_region=None,
        categories=[],
        panels=[health],
        by=organizer,
    )

    assert list(judge.panels.all()) == [health]
    diff = AuditEntry.objects.get(action="judge.updated").data
    assert diff["panels"] == [[], [health.pk]]
    assert diff["name"] == ["Dr. Andi", "Dr. Andi P."]


def test_remove_judge_removes_their_empty_assignments(assignment, organizer):
    services.remove_judge(judge=assignment.judge, by=organizer)

    assert not Judge.objects.filter(pk=assignment.judge.pk).exists()
    assert not Assignment.objects.exists()


def test_remove_judge_refused_once_a_sheet_is_started(
    assignment, organizer, table_rows
):
    ScoreSheetFactory(assignment=assignment)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.remove_judge(judge=assignment.judge, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


# ---------------------------------------------------------------- reminders


def test_request_reminders_emails_late_judges_once_a_day(
    contest, stage, organizer, django_capture_on_commit_callbacks
):
    late = AssignmentFactory(stage=stage)
    done = AssignmentFactory(stage=stage)
    SubmittedSheetFactory(assignment=done)

    with django_capture_on_commit_callbacks(execute=True):
        count = services.request_reminders(stage=stage, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_reminders(stage=stage, by=organizer)

    assert (count, again) == (1, 0)
    assert [message.to for message in mail.outbox] == [[late.judge.user.email]]
    assert "masih memiliki 1 lembar nilai" in mail.outbox[0].body
    assert ReminderLog.objects.count() == 1


def test_request_reminders_refused_when_the_stage_is_closed(
    assignment, organizer, table_rows
):
    stage = assignment.stage
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(days=1)
    stage.save()

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.request_reminders(stage=stage, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


def test_task_send_reminders_for_a_missing_stage_does_nothing(db):
    from judging.tasks import task_send_reminders

    assert task_send_reminders.delay(stage_id=987654).get() == 0
    assert mail.outbox == []


# ---------------------------------------------------------------- the rubric


def test_rubric_may_change_while_no_sheet_is_submitted(stage, organizer, criteria):
    ScoreFactory(
        sheet=ScoreSheetFactory(assignment=AssignmentFactory(stage=stage)),
        criterion=criteria[0],
    )

    added = services.add_criterion(
        stage=stage,
        by=organizer,
        name="Dapat direplikasi",
        weight=Decimal(20),
        min_score=Decimal(0),
        max_score=Decimal(10),
        step=Decimal(1),
        levels=[],
        expected_evidence="",
        order=3,
    )
    services.update_criterion(
        criterion=criteria[1], by=organizer, data={"weight": Decimal(50)}
    )
    services.remove_criterion(criterion=criteria[0], by=organizer)

    assert list(stage.criteria.values_list("name", "weight")) == [
        ("Kemanfaatan", Decimal("50.00")),
        (added.name, Decimal("20.00")),
    ]
    assert not Score.objects.exists()
    assert AuditEntry.objects.get(action="criterion.updated").data == {
        "weight": ["70.00", "50.00"]
    }


def test_rubric_is_locked_once_a_sheet_is_submitted(
    stage, organizer, criteria, table_rows
):
    SubmittedSheetFactory(assignment=AssignmentFactory(stage=stage))

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.update_criterion(
            criterion=criteria[0], by=organizer, data={"max_score": Decimal(5)}
        )
    with pytest.raises(DomainError):
        services.remove_criterion(criterion=criteria[0], by=organizer)
    with pytest.raises(DomainError):
        services.add_criterion(stage=stage, by=organizer, name="Baru", weight=1)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert "can no longer change" in str(caught.value.message)
    assert Criterion.objects.get(pk=criteria[0].pk).max_score == Decimal(10)


def test_record_sheet_without_a_change_keeps_the_version(assignment, full_scores):
    save(assignment, full_scores, comment="Sama.")
    audited = AuditEntry.objects.count()

    sheet = save(assignment, full_scores, comment="Sama.", version=1)

    assert sheet.version == 1
    assert AuditEntry.objects.count() == audited


def test_record_sheet_audits_a_change_of_a_criterion_comment_alone(
    assignment, full_scores
):
    save(assignment, full_scores)
    edited = [{**full_scores[0], "comment": "Komentar baru."}, full_scores[1]]

    save(assignment, edited, version=1)

    entry = AuditEntry.objects.filter(action="sheet.saved").order_by("seq").last()
    assert entry.data["version"] == 2
    assert entry.data["scores"] == {}
    assert entry.data["notes_changed"] == [str(full_scores[0]["criterion"])]
