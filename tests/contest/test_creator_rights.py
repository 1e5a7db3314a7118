"""Contest-creator rights without Django admin: superusers give and take them on a
page and through the API, each change in the ledger (contest.lifecycle)."""

import pytest

from common.errors import DomainError
from contest import lifecycle
from contest.models import AuditEntry
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def staff_member(db):
    return UserFactory(email="staf@kemendagri.example.id")


def test_set_creator_right_gives_and_records(superuser, staff_member):
    account = lifecycle.set_creator_right(user=staff_member, allowed=True, by=superuser)

    staff_member.refresh_from_db()
    assert account.can_create_contests is True
    assert staff_member.can_create_contests is True
    entry = AuditEntry.objects.get(action="account.creator_right_given")
    assert entry.contest_id is None
    assert entry.actor_id == superuser.pk
    assert entry.object_type == "accounts.user"
    assert entry.data == {
        "email": "staf@kemendagri.example.id",
        "can_create_contests": [False, True],
    }


def test_set_creator_right_unchanged_writes_nothing(superuser, creator):
    lifecycle.set_creator_right(user=creator, allowed=True, by=superuser)

    assert AuditEntry.objects.count() == 0


def test_set_creator_right_refused_to_a_creator(creator, staff_member):
    with pytest.raises(DomainError) as caught:
        lifecycle.set_creator_right(user=staff_member, allowed=True, by=creator)

    staff_member.refresh_from_db()
    assert caught.value.status == 403
    assert staff_member.can_create_contests is False


def test_creators_page_searches_by_email(client, superuser, staff_member):
    UserFactory(email="lain@pemda.example.id")
    client.force_login(superuser)

    response = client.get("/creators/", {"email": "kemendagri"})

    assert [a.email for a in response.context["accounts"]] == [staff_member.email]


@pytest.mark.parametrize("count", [1, 3])
def test_creators_page_queries_do_not_grow(
    client, superuser, count, django_assert_num_queries
):
    UserFactory.create_batch(count)
    client.force_login(superuser)

    # session, user, the menu's roles, the count, the page
    with django_assert_num_queries(5):
        response = client.get("/creators/")

    assert response.status_code == 200


@pytest.mark.parametrize("sent", [{}, {"allowed": "yes"}, {"allowed": ""}])
def test_a_toggle_that_says_neither_changes_nothing(client, superuser, creator, sent):
    client.force_login(superuser)

    response = client.post(f"/creators/{creator.pk}/", sent)

    assert response.status_code == 400
    creator.refresh_from_db()
    assert creator.can_create_contests


def test_creators_page_toggle_takes_the_right_back(client, superuser, creator):
    client.force_login(superuser)

    response = client.post(
        f"/creators/{creator.pk}/",
        {"allowed": "0", "next": "/creators/?email=x"},
    )

    creator.refresh_from_db()
    assert response["Location"] == "/creators/?email=x"
    assert creator.can_create_contests is False
    assert AuditEntry.objects.filter(action="account.creator_right_taken").count() == 1


@pytest.mark.parametrize("who", ["creator", "organizer"])
def test_creators_page_refused_to_others(client, request, who, staff_member):
    client.force_login(request.getfixturevalue(who))

    listed = client.get("/creators/")
    posted = client.post(f"/creators/{staff_member.pk}/", {"allowed": "1"})

    staff_member.refresh_from_db()
    assert (listed.status_code, posted.status_code) == (403, 403)
    assert staff_member.can_create_contests is False


def test_creators_api_lists_and_gives(api, superuser, staff_member):
    api.force_authenticate(superuser)

    listed = api.get("/api/v1/accounts/", {"email": "staf@"})
    given = api.post(
        f"/api/v1/accounts/{staff_member.pk}/creator-right/",
        {"can_create_contests": True},
        format="json",
    )
    bad = api.post(
        f"/api/v1/accounts/{staff_member.pk}/creator-right/", {}, format="json"
    )

    assert listed.json()["count"] == 1
    assert listed.json()["results"][0]["email"] == staff_member.email
    assert given.status_code == 200
    assert given.json()["can_create_contests"] is True
    assert bad.status_code == 400
    assert "can_create_contests" in bad.json()


def test_creators_api_refused_to_others(api, creator, staff_member):
    anonymous = api.get("/api/v1/accounts/")
    api.force_authenticate(creator)

    listed = api.get("/api/v1/accounts/")
    posted = api.post(
        f"/api/v1/accounts/{staff_member.pk}/creator-right/",
        {"can_create_contests": True},
        format="json",
    )

    assert anonymous.status_code == 401
    assert (listed.status_code, posted.status_code) == (403, 403)
