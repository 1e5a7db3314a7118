import datetime as dt

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories.results import ProvisionalPublicationFactory, PublicationFactory

pytestmark = [pytest.mark.django_db]

ROLES = ["anonymous", "delegate", "judge", "other_organizer", "organizer", "superuser"]


def user_for(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


def publish(contest, state):
    if state == "final":
        PublicationFactory(contest=contest)
    elif state == "provisional_open":
        ProvisionalPublicationFactory(contest=contest)
    elif state == "provisional_open_to_all":
        ProvisionalPublicationFactory(contest=contest, objections_open_to_all=True)
    elif state == "provisional_closed":
        ProvisionalPublicationFactory(
            contest=contest, objections_close=timezone.now() - dt.timedelta(hours=1)
        )


MANAGE = {
    "anonymous": False,
    "delegate": False,
    "judge": False,
    "other_organizer": False,
    "organizer": True,
    "superuser": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_results_manage_only_for_organizers(request, contest, judges, role):
    user = user_for(request, role)

    assert rules.has_perm("results.manage_results", user, contest) is MANAGE[role]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("none", False),
        ("provisional_open", True),
        ("provisional_closed", True),
        ("final", True),
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "delegate", "organizer"])
def test_results_view_once_published(request, contest, judges, role, state, expected):
    publish(contest, state)

    assert (
        rules.has_perm("results.view_results", user_for(request, role), contest)
        is expected
    )


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("anonymous", "provisional_open", False),
        ("delegate", "provisional_open", True),
        ("judge", "provisional_open", False),
        ("organizer", "provisional_open", False),
        ("judge", "provisional_open_to_all", True),
        ("anonymous", "provisional_open_to_all", False),
        ("delegate", "provisional_closed", False),
        ("delegate", "none", False),
        ("delegate", "final", False),
    ],
)
def test_results_object_while_the_window_is_open(
    request, contest, judges, role, state, expected
):
    publish(contest, state)

    assert (
        rules.has_perm("results.file_objection", user_for(request, role), contest)
        is expected
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [("none", False), ("provisional_open", False), ("final", True)],
)
def test_results_certificates_with_the_final_publication(contest, state, expected):
    publish(contest, state)

    assert (
        rules.has_perm("results.read_certificates", AnonymousUser(), contest)
        is expected
    )


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("anonymous", "final", False),
        ("delegate", "final", True),
        ("judge", "final", False),
        ("other_organizer", "final", False),
        ("organizer", "final", True),
        ("delegate", "provisional_closed", False),
        ("organizer", "none", False),
    ],
)
def test_results_feedback_for_delegates_after_the_final_publication(
    request, contest, judges, role, state, expected
):
    publish(contest, state)

    assert (
        rules.has_perm("results.read_feedback", user_for(request, role), contest)
        is expected
    )
