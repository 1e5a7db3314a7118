"""`assignments_visible_to`: the assignments each role may open (the scoring page,
the sheet endpoint), across contests.

The world: a contest with entries in four provinces and a stage; one judge
assigned to an entry, one judge whose assignments include a declared conflict, a
conflict of home province and a conflict through a delegate role; and another
contest with an assignment of its own.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from judging.selectors import assignments_visible_to
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def contest(db):
    return ContestFactory(is_public=False)


@pytest.fixture
def stage(contest):
    return OpenStageFactory(contest=contest)


@pytest.fixture
def entries(contest, places):
    return {
        key: EligibleSubmissionFactory(contest=contest, region=places[key], title=key)
        for key in ("mine", "other", "third", "fourth")
    }


@pytest.fixture
def judge_assigned(contest, stage, entries):
    judge = JudgeFactory(contest=contest, name="assigned")
    AssignmentFactory(stage=stage, judge=judge, submission=entries["mine"])
    return judge.user


@pytest.fixture
def judge_conflicted(contest, stage, entries, places):
    """Assigned to all four entries: `other` declared, `third` is their home
    province, `fourth` the province of a region they are a delegate of; `mine` is
    clean."""
    judge = JudgeFactory(
        contest=contest, name="conflicted", home_region=places["third_neighbour"]
    )
    DelegateFactory(contest=contest, user=judge.user, region=places["fourth_neighbour"])
    for entry in entries.values():
        AssignmentFactory(stage=stage, judge=judge, submission=entry)
    DeclaredConflictFactory(judge=judge, submission=entries["other"])
    return judge.user


@pytest.fixture
def far(places):
    """Another contest's stage, with one assignment on an entry of `mine`."""
    stage = OpenStageFactory(contest=ContestFactory())
    return AssignmentFactory(
        stage=stage,
        judge=JudgeFactory(contest=stage.contest, name="far"),
        submission=EligibleSubmissionFactory(
            contest=stage.contest, region=places["mine"], title="far"
        ),
    )


@pytest.fixture
def world(judge_assigned, judge_conflicted, far):
    """Every assignment exists whoever asks."""


def seen(user):
    """(judge name, entry title) of each visible assignment, sorted; a duplicate
    row would show twice."""
    return sorted(
        assignments_visible_to(user).values_list("judge__name", "submission__title")
    )


EVERY_ASSIGNMENT_HERE = [
    ("assigned", "mine"),
    ("conflicted", "fourth"),
    ("conflicted", "mine"),
    ("conflicted", "other"),
    ("conflicted", "third"),
]


def test_anonymous_sees_none(world):
    assert seen(AnonymousUser()) == []


def test_signed_in_user_without_a_role_sees_none(world):
    assert seen(UserFactory()) == []


def test_superuser_sees_every_assignment_conflicted_or_not(world):
    user = UserFactory(is_superuser=True, is_staff=True)

    assert seen(user) == sorted([*EVERY_ASSIGNMENT_HERE, ("far", "far")])


def test_organizer_sees_every_assignment_of_the_contest(world, contest):
    user = OrganizerFactory(contest=contest).user

    assert seen(user) == EVERY_ASSIGNMENT_HERE


def test_organizer_of_another_contest_sees_only_theirs(world, far):
    user = OrganizerFactory(contest=far.stage.contest).user

    assert seen(user) == [("far", "far")]


def test_delegate_of_the_region_sees_none(world, contest, places):
    user = DelegateFactory(contest=contest, region=places["mine"]).user

    assert seen(user) == []


def test_delegate_of_another_region_sees_none(world, contest, places):
    user = DelegateFactory(contest=contest, region=places["other"]).user

    assert seen(user) == []


def test_judge_assigned_sees_their_assignment(world, judge_assigned):
    assert seen(judge_assigned) == [("assigned", "mine")]


def test_judge_not_assigned_sees_none(world, contest):
    assert seen(JudgeFactory(contest=contest).user) == []


def test_judge_with_conflicts_sees_only_the_clean_assignment(world, judge_conflicted):
    assert seen(judge_conflicted) == [("conflicted", "mine")]


def test_judge_of_two_contests_sees_their_assignments_in_both(
    world, judge_assigned, far
):
    JudgeFactory(contest=far.stage.contest, user=judge_assigned, name="assigned far")
    AssignmentFactory(
        stage=far.stage,
        judge=judge_assigned.judge_roles.get(contest=far.stage.contest),
        submission=far.submission,
    )

    assert seen(judge_assigned) == [("assigned", "mine"), ("assigned far", "far")]


def test_organizer_who_judges_sees_the_contests_assignments_once(
    world, contest, judge_conflicted
):
    OrganizerFactory(contest=contest, user=judge_conflicted)

    assert seen(judge_conflicted) == EVERY_ASSIGNMENT_HERE
