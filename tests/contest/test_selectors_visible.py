"""`contests_visible_to`: the contests each role may know of, row by row.

The world: one announced contest, a hidden contest (the one the roles belong to)
and another hidden contest with an organizer of its own. Every page and endpoint
of a contest finds its contest through this queryset, so a row in the wrong set
is a contest leaked before its announcement.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from contest.selectors import contests_visible_to
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
    RegionFactory,
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
def announced(db):
    return ContestFactory(slug="announced", is_public=True)


@pytest.fixture
def hidden(db):
    return ContestFactory(slug="hidden", is_public=False)


@pytest.fixture
def elsewhere(db):
    return ContestFactory(slug="elsewhere", is_public=False)


@pytest.fixture
def world(announced, hidden, elsewhere):
    """The three contests exist whoever asks."""


@pytest.fixture
def region():
    return RegionFactory()


@pytest.fixture
def entry(hidden, region):
    return EligibleSubmissionFactory(contest=hidden, region=region)


@pytest.fixture
def stage(hidden):
    return OpenStageFactory(contest=hidden)


def slugs(user):
    return sorted(contests_visible_to(user).values_list("slug", flat=True))


def test_anonymous_sees_only_announced_contests(world):
    assert slugs(AnonymousUser()) == ["announced"]


def test_signed_in_user_without_a_role_sees_only_announced_contests(world):
    assert slugs(UserFactory()) == ["announced"]


def test_superuser_sees_every_contest(world):
    assert slugs(UserFactory(is_superuser=True, is_staff=True)) == [
        "announced",
        "elsewhere",
        "hidden",
    ]


def test_organizer_sees_their_hidden_contest(world, hidden):
    user = OrganizerFactory(contest=hidden).user

    assert slugs(user) == ["announced", "hidden"]


def test_organizer_of_another_contest_sees_only_theirs(world, elsewhere):
    user = OrganizerFactory(contest=elsewhere).user

    assert slugs(user) == ["announced", "elsewhere"]


def test_delegate_of_the_region_sees_the_contest(world, hidden, region):
    user = DelegateFactory(contest=hidden, region=region).user

    assert slugs(user) == ["announced", "hidden"]


def test_delegate_of_another_region_sees_the_contest_too(world, hidden, region):
    """A contest is visible to all its delegates, whatever region they enter for."""
    user = DelegateFactory(contest=hidden, region=RegionFactory()).user

    assert slugs(user) == ["announced", "hidden"]


def test_delegate_of_another_contest_sees_only_that_one(world, elsewhere, region):
    user = DelegateFactory(contest=elsewhere, region=region).user

    assert slugs(user) == ["announced", "elsewhere"]


def test_judge_assigned_sees_the_contest_once(world, hidden, stage, entry):
    judge = JudgeFactory(contest=hidden)
    AssignmentFactory(stage=stage, judge=judge, submission=entry)
    AssignmentFactory(stage=stage, judge=judge)

    assert slugs(judge.user) == ["announced", "hidden"]


def test_judge_not_assigned_sees_the_contest(world, hidden):
    assert slugs(JudgeFactory(contest=hidden).user) == ["announced", "hidden"]


def test_judge_with_a_conflict_sees_the_contest(world, hidden, stage, entry):
    judge = JudgeFactory(contest=hidden)
    AssignmentFactory(stage=stage, judge=judge, submission=entry)
    DeclaredConflictFactory(judge=judge, submission=entry)

    assert slugs(judge.user) == ["announced", "hidden"]


def test_judge_of_another_contest_sees_only_that_one(world, elsewhere):
    assert slugs(JudgeFactory(contest=elsewhere).user) == ["announced", "elsewhere"]


def test_every_role_at_once_lists_the_contest_once(world, hidden, region):
    user = OrganizerFactory(contest=hidden).user
    DelegateFactory(contest=hidden, user=user, region=region)
    JudgeFactory(contest=hidden, user=user)

    assert slugs(user) == ["announced", "hidden"]
