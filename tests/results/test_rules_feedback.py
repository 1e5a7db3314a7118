import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from tests.factories.contest import DelegateFactory
from tests.factories.results import ProvisionalPublicationFactory, PublicationFactory

pytestmark = [pytest.mark.django_db]

PERMISSION = "results.read_region_feedback"


@pytest.fixture
def other_region_delegate(contest):
    return DelegateFactory(contest=contest).user


def user_for(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("organizer", True),
        ("delegate", True),
        ("other_region_delegate", False),
        ("anonymous", False),
    ],
)
def test_region_feedback_by_role_after_the_final_publication(
    request, contest, delegate_region, role, expected
):
    PublicationFactory(contest=contest)
    user = user_for(request, role)

    allowed = rules.has_perm(PERMISSION, user, (contest, delegate_region))

    assert allowed is expected


@pytest.mark.parametrize(
    "role", ["organizer", "delegate", "other_region_delegate", "anonymous"]
)
def test_region_feedback_refused_to_everyone_before_the_final_publication(
    request, contest, delegate_region, role
):
    ProvisionalPublicationFactory(contest=contest)
    user = user_for(request, role)

    allowed = rules.has_perm(PERMISSION, user, (contest, delegate_region))

    assert allowed is False


def test_region_feedback_of_a_region_a_delegate_does_not_represent(
    contest, delegate, other_region_delegate
):
    PublicationFactory(contest=contest)
    other_region = contest.delegates.get(user=other_region_delegate).region

    allowed = rules.has_perm(PERMISSION, delegate, (contest, other_region))

    assert allowed is False
