"""After signing in each role lands on its own page (contest.views.LandingView,
LOGIN_REDIRECT_URL): organizer first, then judge, then delegate."""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory, DelegateFactory, OrganizerFactory
from tests.factories.judging import JudgeFactory

pytestmark = [pytest.mark.django_db]

LOGIN_URL = "/accounts/login/"
MANAGE, ASSIGNMENTS, ENTRIES, CONTESTS = (
    "/manage/",
    "/assignments/",
    "/entries/",
    "/contests/",
)


def give_roles(user, roles: str) -> None:
    contest = ContestFactory()
    if "o" in roles:
        OrganizerFactory(contest=contest, user=user)
    if "j" in roles:
        JudgeFactory(contest=contest, user=user)
    if "d" in roles:
        DelegateFactory(contest=contest, user=user)


@pytest.mark.parametrize(
    ("roles", "landing"),
    [
        ("o", MANAGE),
        ("j", ASSIGNMENTS),
        ("d", ENTRIES),
        ("jd", ASSIGNMENTS),
        ("od", MANAGE),
        ("ojd", MANAGE),
        ("", CONTESTS),
    ],
)
def test_sign_in_lands_on_the_roles_own_page(client, password, roles, landing):
    user = UserFactory()
    give_roles(user, roles)

    response = client.post(
        LOGIN_URL, {"login": user.email, "password": password}, follow=True
    )

    assert [url for url, _status in response.redirect_chain] == ["/start/", landing]
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_contest_creator_without_contest_lands_on_management(client, password):
    user = UserFactory(can_create_contests=True)

    response = client.post(
        LOGIN_URL, {"login": user.email, "password": password}, follow=True
    )

    assert response.redirect_chain[-1][0] == MANAGE
    assert response.context["can_create"] is True


def test_sign_in_with_next_goes_there_whatever_the_role(client, password):
    user = UserFactory()
    give_roles(user, "o")

    response = client.post(
        f"{LOGIN_URL}?next=/accounts/profile/",
        {"login": user.email, "password": password},
    )

    assert response.url == "/accounts/profile/"


def test_landing_asks_anonymous_to_sign_in(client):
    response = client.get("/start/")

    assert response.status_code == 302
    assert response.url.startswith(f"{LOGIN_URL}?next=/start/")


def test_landing_costs_one_role_query(client, django_assert_num_queries):
    user = UserFactory()
    give_roles(user, "jd")
    client.force_login(user)

    with django_assert_num_queries(3):  # session, user, roles
        response = client.get("/start/")

    assert response.url == ASSIGNMENTS
