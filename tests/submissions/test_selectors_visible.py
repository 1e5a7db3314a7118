"""`submissions_visible_to`: the entries of a contest each role may know of.

The world: a contest with one entry in each of three provinces (mine, other,
third), a stage judging them, and another contest whose entry of the same region
must never show. Pages and endpoints find an entry through this queryset, so an
extra row is an entry leaked to the wrong person (a rival region, a conflicted
judge).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from submissions.selectors import submissions_visible_to
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    JudgeFactory,
    OpenStageFactory,
)
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def contest(db):
    return ContestFactory(is_public=False)


@pytest.fixture
def entries(contest, places):
    return {
        key: SubmissionFactory(contest=contest, region=places[key], title=key)
        for key in ("mine", "other", "third")
    }


@pytest.fixture
def far_entry(places):
    """An entry of another contest, from the same region as `mine`."""
    return SubmissionFactory(
        contest=ContestFactory(), region=places["mine"], title="far"
    )


@pytest.fixture
def world(entries, far_entry):
    """Every entry exists whoever asks."""


@pytest.fixture
def stage(contest):
    return OpenStageFactory(contest=contest)


def titles(user, contest):
    return sorted(submissions_visible_to(user, contest).values_list("title", flat=True))


def test_anonymous_sees_none(world, contest):
    assert titles(AnonymousUser(), contest) == []


def test_signed_in_user_without_a_role_sees_none(world, contest):
    assert titles(UserFactory(), contest) == []


def test_superuser_sees_every_entry_of_the_contest(world, contest):
    user = UserFactory(is_superuser=True, is_staff=True)

    assert titles(user, contest) == ["mine", "other", "third"]


def test_organizer_sees_every_entry_of_the_contest(world, contest):
    user = OrganizerFactory(contest=contest).user

    assert titles(user, contest) == ["mine", "other", "third"]


def test_organizer_of_another_contest_sees_none(world, contest, far_entry):
    user = OrganizerFactory(contest=far_entry.contest).user

    assert titles(user, contest) == []


def test_delegate_of_the_region_sees_the_regions_entry(world, contest, places):
    user = DelegateFactory(contest=contest, region=places["mine"]).user

    assert titles(user, contest) == ["mine"]


def test_delegate_of_another_region_sees_only_that_regions_entry(
    world, contest, places
):
    user = DelegateFactory(contest=contest, region=places["other"]).user

    assert titles(user, contest) == ["other"]


def test_delegate_of_a_region_without_entries_sees_none(world, contest, places):
    """Same province as `other`, another region: provinces do not widen the view."""
    user = DelegateFactory(contest=contest, region=places["other_neighbour"]).user

    assert titles(user, contest) == []


def test_delegate_of_the_region_in_another_contest_sees_none(
    world, contest, places, far_entry
):
    user = DelegateFactory(contest=far_entry.contest, region=places["mine"]).user

    assert titles(user, contest) == []


def test_judge_assigned_sees_the_assigned_entries(world, contest, stage, entries):
    judge = JudgeFactory(contest=contest)
    AssignmentFactory(stage=stage, judge=judge, submission=entries["other"])
    AssignmentFactory(stage=stage, judge=judge, submission=entries["third"])

    assert titles(judge.user, contest) == ["other", "third"]


def test_judge_assigned_at_two_stages_sees_the_entry_once(
    world, contest, stage, entries
):
    judge = JudgeFactory(contest=contest)
    AssignmentFactory(stage=stage, judge=judge, submission=entries["other"])
    AssignmentFactory(
        stage=OpenStageFactory(contest=contest),
        judge=judge,
        submission=entries["other"],
    )

    assert titles(judge.user, contest) == ["other"]


def test_judge_not_assigned_sees_none(world, contest, stage, entries):
    AssignmentFactory(stage=stage, submission=entries["mine"])

    assert titles(JudgeFactory(contest=contest).user, contest) == []


def test_judge_with_a_declared_conflict_does_not_see_that_entry(
    world, contest, stage, entries
):
    judge = JudgeFactory(contest=contest)
    for key in ("mine", "other"):
        AssignmentFactory(stage=stage, judge=judge, submission=entries[key])
    DeclaredConflictFactory(judge=judge, submission=entries["other"])

    assert titles(judge.user, contest) == ["mine"]


def test_judge_from_the_entrys_province_does_not_see_it(
    world, contest, stage, entries, places
):
    judge = JudgeFactory(contest=contest, home_region=places["third_neighbour"])
    for key in ("mine", "third"):
        AssignmentFactory(stage=stage, judge=judge, submission=entries[key])

    assert titles(judge.user, contest) == ["mine"]


def test_judge_delegate_of_the_entrys_province_does_not_see_it(
    world, contest, stage, entries, places
):
    """Also a delegate (of a region without entries) in the entry's province."""
    judge = JudgeFactory(contest=contest)
    DelegateFactory(contest=contest, user=judge.user, region=places["other_neighbour"])
    for key in ("mine", "other"):
        AssignmentFactory(stage=stage, judge=judge, submission=entries[key])

    assert titles(judge.user, contest) == ["mine"]


def test_judge_of_another_contest_sees_none_here(world, contest, far_entry):
    judge = JudgeFactory(contest=far_entry.contest)
    AssignmentFactory(
        stage=OpenStageFactory(contest=far_entry.contest),
        judge=judge,
        submission=far_entry,
    )

    assert titles(judge.user, contest) == []


def test_delegate_who_judges_sees_the_region_and_the_assigned_entries(
    world, contest, stage, entries, places
):
    judge = JudgeFactory(contest=contest)
    DelegateFactory(contest=contest, user=judge.user, region=places["mine"])
    AssignmentFactory(stage=stage, judge=judge, submission=entries["third"])

    assert titles(judge.user, contest) == ["mine", "third"]
