"""A stage holds exactly the entries that reached it (StageEntry): the first scoring
stage every eligible entry, each later one only what its previous stage advanced."""

import pytest
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from judging import selectors, services
from judging.enums import SheetState
from judging.models import Assignment, ScoreSheet, StageEntry
from results.models import AdvancementDecision
from submissions.enums import SubmissionState
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    ScoreSheetFactory,
    StepCriterionFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]


def decide_advancement(stage, advanced):
    """The record the advancement leaves on a stage (results.services.advancement)."""
    return AdvancementDecision.objects.create(
        stage=stage,
        decided_at=timezone.now(),
        places=len(advanced),
        advanced=[entry.pk for entry in advanced],
    )


def entry_ids(stage):
    return set(
        StageEntry.objects.filter(stage=stage).values_list("submission_id", flat=True)
    )


@pytest.fixture
def stages(contest):
    """Desk evaluation (2), presentation (3), field verification (4)."""
    return [
        OpenStageFactory(contest=contest, order=order, name=name)
        for order, name in ((2, "Desk"), (3, "Presentasi"), (4, "Verifikasi lapangan"))
    ]


def test_assigning_stage_4_before_stage_3_advanced_is_409(
    contest, organizer, stages, table_rows
):
    desk, presentation, field = stages
    JudgeFactory.create_batch(3, contest=contest)
    winner = EligibleSubmissionFactory(contest=contest)
    loser = EligibleSubmissionFactory(contest=contest)
    services.assign_judges(stage=desk, judges_per_entry=1, by=organizer)
    decide_advancement(desk, [winner])
    services.set_stage_entries(
        stage=presentation, submission_ids=[winner.pk], by=organizer
    )
    # What the old selector trusted: every entry in state "advanced".
    type(winner).objects.filter(pk__in=[winner.pk, loser.pk]).update(
        state=SubmissionState.ADVANCED
    )
    before = Assignment.objects.count()

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.assign_judges(stage=field, judges_per_entry=1, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert str(caught.value.message) == (
        "“Presentasi” has not advanced its entries yet; “Verifikasi lapangan” "
        "takes only the entries advanced from it."
    )
    assert Assignment.objects.count() == before
    assert not field.assignments.exists()
    assert entry_ids(field) == set()
    assert list(selectors.stage_entries(presentation)) == [winner]


def test_manual_and_extra_judge_before_the_previous_stage_advanced_are_409(
    contest, organizer, stages, table_rows
):
    _desk, presentation, _field = stages
    judge = JudgeFactory(contest=contest)
    entry = EligibleSubmissionFactory(contest=contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as manual:
        services.add_assignment(
            stage=presentation, judge=judge, submission=entry, by=organizer
        )
    with pytest.raises(DomainError) as extra:
        services.add_extra_judge(stage=presentation, submission=entry, by=organizer)

    assert manual.value.status == extra.value.status == 409
    assert table_rows() == rows_before
    assert "“Desk” has not advanced its entries yet" in str(manual.value.message)
    assert not Assignment.objects.exists()
    assert not StageEntry.objects.filter(stage=presentation).exists()


def test_stage_3_entries_are_exactly_stage_2_advanced(contest, organizer, stages):
    desk, presentation, _field = stages
    JudgeFactory.create_batch(2, contest=contest)
    winner, loser = EligibleSubmissionFactory.create_batch(2, contest=contest)
    stray = EligibleSubmissionFactory(contest=contest, state=SubmissionState.ADVANCED)
    services.assign_judges(stage=desk, judges_per_entry=1, by=organizer)
    decide_advancement(desk, [winner])
    services.set_stage_entries(
        stage=presentation, submission_ids=[winner.pk], by=organizer
    )

    run = services.assign_judges(stage=presentation, judges_per_entry=2, by=organizer)

    assert {a.submission_id for a in run.created} == {winner.pk}
    assert list(selectors.stage_entries(presentation)) == [winner]
    assert entry_ids(desk) == {winner.pk, loser.pk, stray.pk}
    assert entry_ids(presentation) == {winner.pk}


def test_first_scoring_stage_records_its_entries_when_assigned(
    contest, organizer, stage
):
    JudgeFactory(contest=contest)
    eligible = EligibleSubmissionFactory(contest=contest)
    EligibleSubmissionFactory(contest=contest, state=SubmissionState.SUBMITTED)

    services.assign_judges(stage=stage, judges_per_entry=1, by=organizer)

    assert entry_ids(stage) == {eligible.pk}
    entry = AuditEntry.objects.get(action="stage.entries_set")
    assert entry.data["added"] == [eligible.pk]


def test_set_stage_entries_removes_unsubmitted_assignments_here_and_later(
    contest, organizer, stages, criteria
):
    _desk, presentation, field = stages
    stay, leave = EligibleSubmissionFactory.create_batch(2, contest=contest)
    StageEntry.objects.create(stage=presentation, submission=stay)
    StageEntry.objects.create(stage=presentation, submission=leave)
    StageEntry.objects.create(stage=field, submission=leave)
    empty = AssignmentFactory(stage=presentation, submission=leave)
    draft = ScoreSheetFactory(
        assignment=AssignmentFactory(stage=field, submission=leave)
    )
    submitted = SubmittedSheetFactory(
        assignment=AssignmentFactory(stage=presentation, submission=leave)
    )
    kept = AssignmentFactory(stage=presentation, submission=stay)

    change = services.set_stage_entries(
        stage=presentation, submission_ids=[stay.pk], by=organizer
    )

    assert change.removed == [leave.pk]
    assert sorted(change.removed_assignments) == sorted([empty.pk, draft.assignment_id])
    assert change.excluded_sheets == [submitted.pk]
    assert set(Assignment.objects.values_list("pk", flat=True)) == {
        kept.pk,
        submitted.assignment_id,
    }
    submitted.refresh_from_db()
    assert submitted.state == SheetState.SUBMITTED
    assert submitted.excluded_at is not None
    assert "no longer takes part in Presentasi" in submitted.excluded_reason
    assert entry_ids(presentation) == {stay.pk}
    assert entry_ids(field) == set()
    audit = AuditEntry.objects.get(action="stage.entries_set")
    assert audit.data["removed"] == [leave.pk]


def test_set_stage_entries_refuses_ids_outside_the_contest(contest, organizer, stages):
    _desk, presentation, _field = stages
    draft = EligibleSubmissionFactory(contest=contest, state=SubmissionState.DRAFT)
    elsewhere = EligibleSubmissionFactory()

    with pytest.raises(DomainError) as caught:
        services.set_stage_entries(
            stage=presentation,
            submission_ids=[draft.pk, elsewhere.pk, 10**12],
            by=organizer,
        )

    assert caught.value.field == "submission_ids"
    assert str(caught.value.message) == (
        f"These are not entries of this contest: {draft.pk}, {elsewhere.pk}, {10**12}."
    )
    assert not StageEntry.objects.exists()


@pytest.mark.parametrize("ids", ["1,2", None, [True], ["x"], [{"id": 1}]])
def test_set_stage_entries_refuses_malformed_ids(contest, organizer, stages, ids):
    with pytest.raises(DomainError) as caught:
        services.set_stage_entries(stage=stages[1], submission_ids=ids, by=organizer)

    assert caught.value.field == "submission_ids"
    assert caught.value.status == 400
    assert not StageEntry.objects.exists()


def test_set_stage_entries_refused_for_a_non_organizer(contest, delegate, stages):
    entry = EligibleSubmissionFactory(contest=contest)

    with pytest.raises(DomainError) as caught:
        services.set_stage_entries(
            stage=stages[1], submission_ids=[entry.pk], by=delegate
        )

    assert caught.value.status == 403
    assert not StageEntry.objects.exists()


def test_record_sheet_refuses_an_entry_outside_the_stage(contest, stages, table_rows):
    _desk, presentation, _field = stages
    criterion = StepCriterionFactory(stage=presentation)
    assignment = AssignmentFactory(stage=presentation)
    sheet = services.ensure_sheet(assignment=assignment)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.record_sheet(
            sheet=sheet,
            scores=[{"criterion": criterion.pk, "value": "5"}],
            comment="",
            submit=False,
            by=assignment.judge.user,
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert "is no longer an entry of this stage" in str(caught.value.message)
    assert ScoreSheet.objects.get().version == 0
    assert not ScoreSheet.objects.get().scores.exists()


def test_stage_order_and_kind_fixed_once_entries_take_part(organizer, table_rows):
    # A stage moved before the one that advanced would take entries that never
    # reached it (the first scoring stage takes every eligible entry).
    from contest import services as contest_services
    from contest.models import Stage
    from judging.models import StageEntry
    from tests.factories.judging import EligibleSubmissionFactory, OpenStageFactory

    first = OpenStageFactory(order=2)
    contest = first.contest
    contest.organizers.create(user=organizer)
    later = OpenStageFactory(contest=contest, order=3)
    entry = EligibleSubmissionFactory(contest=contest)
    StageEntry.objects.create(stage=first, submission=entry)
    before = list(Stage.objects.values_list("pk", "order", "kind").order_by("pk"))

    rows_before = table_rows()
    with pytest.raises(DomainError) as moved:
        contest_services.update_stage(stage=later, by=organizer, data={"order": 1})
    with pytest.raises(DomainError) as rekinded:
        contest_services.update_stage(
            stage=first, by=organizer, data={"kind": "screening"}
        )
    with pytest.raises(DomainError) as inserted:
        contest_services.create_stage(
            contest=contest,
            by=organizer,
            name="Sisipan",
            order=1,
            kind="scoring",
            opens=first.opens,
            closes=first.closes,
        )

    assert (moved.value.status, moved.value.field) == (409, "order")
    assert (rekinded.value.status, rekinded.value.field) == (409, "kind")
    assert (inserted.value.status, inserted.value.field) == (409, "order")
    assert table_rows() == rows_before
    assert (
        list(Stage.objects.values_list("pk", "order", "kind").order_by("pk")) == before
    )
