"""Truth tables of the judging predicates. Django grants an active superuser every
permission through has_perm, so the judge-only predicates (score, write, declare) are
tested directly: a superuser is not a judge, and the services refuse them too."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from contest.enums import PeerScoreVisibility
from judging import rules as jr
from judging.rules import is_assigned_to_submission
from tests.factories.judging import (
    DeclaredConflictFactory,
    ScoreSheetFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]

ROLES = [
    "anonymous",
    "delegate",
    "judge_assigned",
    "judge_unassigned",
    "other_organizer",
    "organizer",
    "superuser",
]


def user_for(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


def table(*allowed):
    return [(role, role in allowed) for role in ROLES]


def close(stage):
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(minutes=1)
    stage.save()


@pytest.mark.parametrize(
    ("role", "expected"), table("judge_assigned", "organizer", "superuser")
)
def test_view_assignment_truth_table(request, assignment, role, expected):
    user = user_for(request, role)

    assert user.has_perm("judging.view_assignment", assignment) is expected


@pytest.mark.parametrize(("role", "expected"), table("organizer", "superuser"))
def test_view_assignment_of_a_conflicted_judge_truth_table(
    request, assignment, role, expected
):
    DeclaredConflictFactory(judge=assignment.judge, submission=assignment.submission)
    user = user_for(request, role)

    assert user.has_perm("judging.view_assignment", assignment) is expected


@pytest.mark.parametrize(("role", "expected"), table("judge_assigned"))
def test_can_score_while_open_truth_table(request, assignment, role, expected):
    user = user_for(request, role)

    assert jr.can_score.test(user, assignment) is expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("open", True),
        ("draft", True),
        ("closed", False),
        ("not_yet_open", False),
        ("submitted", False),
        ("conflicted", False),
    ],
)
def test_can_score_conditions_truth_table(assignment, condition, expected):
    stage = assignment.stage
    if condition == "draft":
        ScoreSheetFactory(assignment=assignment)
    elif condition == "closed":
        close(stage)
    elif condition == "not_yet_open":
        stage.opens = timezone.now() + dt.timedelta(days=1)
        stage.closes = timezone.now() + dt.timedelta(days=2)
        stage.save()
    elif condition == "submitted":
        SubmittedSheetFactory(assignment=assignment)
    elif condition == "conflicted":
        DeclaredConflictFactory(
            judge=assignment.judge, submission=assignment.submission
        )
    user = assignment.judge.user

    assert jr.can_score.test(user, assignment) is expected


@pytest.mark.parametrize(("role", "expected"), table("judge_assigned"))
def test_can_write_sheet_is_the_role_alone_truth_table(
    request, assignment, role, expected
):
    close(assignment.stage)
    user = user_for(request, role)

    assert jr.can_write_sheet.test(user, assignment) is expected


@pytest.mark.parametrize(("role", "expected"), table("judge_assigned"))
def test_can_declare_conflict_on_assignment_truth_table(
    request, assignment, role, expected
):
    user = user_for(request, role)

    assert jr.can_declare_conflict.test(user, assignment) is expected


@pytest.mark.parametrize(
    ("role", "submitted", "expected"),
    [(role, False, allowed) for role, allowed in table("organizer", "superuser")]
    + [(role, True, False) for role in ROLES],
)
def test_can_remove_assignment_truth_table(
    request, assignment, role, submitted, expected
):
    if submitted:
        SubmittedSheetFactory(assignment=assignment)
    user = user_for(request, role)

    assert jr.can_remove_assignment.test(user, assignment) is expected


@pytest.mark.parametrize(("role", "expected"), table("organizer", "superuser"))
def test_reopen_submitted_sheet_truth_table(request, assignment, role, expected):
    sheet = SubmittedSheetFactory(assignment=assignment)
    user = user_for(request, role)

    assert user.has_perm("judging.reopen_scoresheet", sheet) is expected


@pytest.mark.parametrize("role", ROLES)
def test_can_reopen_draft_sheet_truth_table(request, assignment, role):
    sheet = ScoreSheetFactory(assignment=assignment)
    user = user_for(request, role)

    assert jr.can_reopen_sheet.test(user, sheet) is False


@pytest.mark.parametrize(
    ("visibility", "own_submitted", "expected"),
    [
        (PeerScoreVisibility.NEVER, False, False),
        (PeerScoreVisibility.NEVER, True, False),
        (PeerScoreVisibility.AFTER_SUBMIT, False, False),
        (PeerScoreVisibility.AFTER_SUBMIT, True, True),
    ],
)
def test_judge_sees_peer_scores_truth_table(
    assignment, visibility, own_submitted, expected
):
    assignment.stage.peer_scores_visible = visibility
    assignment.stage.save()
    if own_submitted:
        SubmittedSheetFactory(assignment=assignment)

    allowed = assignment.judge.user.has_perm("judging.see_peers_assignment", assignment)

    assert allowed is expected


@pytest.mark.parametrize(("role", "expected"), table("organizer", "superuser"))
def test_see_peer_scores_by_role_truth_table(request, assignment, role, expected):
    user = user_for(request, role)

    assert user.has_perm("judging.see_peers_assignment", assignment) is expected


@pytest.mark.parametrize(("role", "expected"), table("organizer", "superuser"))
def test_manage_judging_truth_table(request, contest, assignment, role, expected):
    user = user_for(request, role)

    assert user.has_perm("judging.manage_judging", contest) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    table("judge_assigned", "judge_unassigned", "organizer", "superuser"),
)
def test_declare_conflict_truth_table(request, contest, assignment, role, expected):
    user = user_for(request, role)

    assert user.has_perm("judging.declare_conflict", contest) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    table("judge_assigned", "judge_unassigned", "organizer", "superuser"),
)
def test_read_rubric_truth_table(request, contest, assignment, role, expected):
    user = user_for(request, role)

    assert user.has_perm("contest.read_rubric", contest) is expected


@pytest.mark.parametrize(("role", "expected"), table("judge_assigned"))
def test_is_assigned_to_submission_truth_table(request, assignment, role, expected):
    user = user_for(request, role)

    assert is_assigned_to_submission.test(user, assignment.submission) is expected


def test_is_assigned_to_submission_false_when_conflicted(assignment):
    DeclaredConflictFactory(judge=assignment.judge, submission=assignment.submission)

    assert not is_assigned_to_submission.test(
        assignment.judge.user, assignment.submission
    )


@pytest.mark.parametrize(
    ("role", "expected"), table("judge_assigned", "organizer", "superuser")
)
def test_view_conflict_truth_table(request, assignment, role, expected):
    conflict = DeclaredConflictFactory(
        judge=assignment.judge, submission=assignment.submission
    )
    user = user_for(request, role)

    assert user.has_perm("judging.view_conflictofinterest", conflict) is expected
