import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from contest.models import AuditEntry, Delegate
from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory, DelegateFactory, RegionFactory

pytestmark = [pytest.mark.django_db]

User = get_user_model()

NEW_PASSWORD = "sapi-kerapan-madura-77"
EMAIL_PART_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
SET_PASSWORD_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)")


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def region(db):
    return RegionFactory(code="52.72", name="Kota Bima")


def url(contest):
    return f"/api/v1/contests/{contest.slug}/delegates/"


@pytest.fixture
def invite(api, django_capture_on_commit_callbacks):
    """POST an invitation and run what waits for the commit (the e-mail)."""

    def post(contest, email, region_code):
        with django_capture_on_commit_callbacks(execute=True):
            return api.post(
                url(contest), {"email": email, "region": region_code}, format="json"
            )

    return post


def test_delegates_invite_new_email_creates_user(
    api, contest, organizer, region, invite
):
    api.force_authenticate(organizer)

    response = invite(contest, "Operator@BimaKota.go.id", "52.72")

    body = response.json()
    user = User.objects.get(email="operator@bimakota.go.id")
    delegate = Delegate.objects.get(contest=contest, user=user)
    assert response.status_code == 201
    assert body["id"] == delegate.pk
    assert body["email"] == "operator@bimakota.go.id"
    assert body["region"] == "52.72"
    assert body["region_name"] == "Kota Bima"
    assert delegate.region == region
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(action="delegate.added")
    assert entry.data == {"user": "operator@bimakota.go.id", "region": "52.72"}
    assert entry.actor == organizer


def test_delegates_invite_new_email_sends_set_password_link(
    api, contest, organizer, region, invite
):
    api.force_authenticate(organizer)

    invite(contest, "operator@bimakota.go.id", "52.72")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["operator@bimakota.go.id"]
    assert contest.name in message.subject
    assert contest.name in message.body
    assert "Atur kata sandi Anda" in message.body
    assert SET_PASSWORD_LINK.search(message.body)
    assert f"/contests/{contest.slug}/" in message.body


def test_delegates_invite_email_is_in_indonesian_for_a_new_account(
    api, contest, organizer, region, invite
):
    api.force_authenticate(organizer)

    invite(contest, "operator@bimakota.go.id", "52.72")

    message = mail.outbox[0]
    assert EMAIL_PART_SEPARATOR not in message.body
    assert message.subject == f"Undangan {contest.name}"
    assert "Atur kata sandi Anda" in message.body
    assert "Set your password" not in message.body
    assert len(SET_PASSWORD_LINK.findall(message.body)) == 1


def test_delegates_invite_email_is_in_the_language_of_an_existing_account(
    api, contest, organizer, region, invite
):
    UserFactory(email="kepala@bimakota.go.id", language="en")
    api.force_authenticate(organizer)

    invite(contest, "kepala@bimakota.go.id", "52.72")

    message = mail.outbox[0]
    assert message.subject == f"Invitation to {contest.name}"
    assert "Sign in with your existing account" in message.body
    assert "Masuk dengan akun" not in message.body


def test_delegates_invite_email_keeps_special_characters(
    api, organizer, region, invite
):
    contest = ContestFactory(name='Smart City & Inovasi "Daerah" <2023>')
    contest.organizers.create(user=organizer)
    api.force_authenticate(organizer)

    invite(contest, "operator@bimakota.go.id", "52.72")

    message = mail.outbox[0]
    assert contest.name in message.body
    assert contest.name in message.subject
    assert "&amp;" not in message.subject


def test_delegates_invite_email_waits_for_commit(
    api, contest, organizer, region, django_capture_on_commit_callbacks
):
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        api.post(url(contest), {"email": "operator@bimakota.go.id", "region": "52.72"})

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_delegates_invite_link_sets_password(
    api, client, contest, organizer, region, invite
):
    api.force_authenticate(organizer)
    invite(contest, "operator@bimakota.go.id", "52.72")
    link = SET_PASSWORD_LINK.search(mail.outbox[0].body).group(1)

    opened = client.get(link)
    form = client.get(opened.url)
    saved = client.post(
        opened.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    user = User.objects.get(email="operator@bimakota.go.id")
    assert opened.status_code == 302
    assert opened.url.endswith("-set-password/")
    assert form.status_code == 200
    assert b'name="password1"' in form.content
    assert saved.status_code == 302
    assert user.has_usable_password()
    assert user.check_password(NEW_PASSWORD)
    client.logout()
    assert client.login(email="operator@bimakota.go.id", password=NEW_PASSWORD)


def test_delegates_invite_link_signs_in_with_mandatory_verification(
    api,
    client,
    settings,
    contest,
    organizer,
    region,
    invite,
):
    """The invitation went to the address: setting the password proves it is theirs."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    api.force_authenticate(organizer)
    invite(contest, "operator@bimakota.go.id", "52.72")
    link = SET_PASSWORD_LINK.search(mail.outbox[0].body).group(1)
    set_password_url = client.get(link).url

    saved = client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    user = User.objects.get(email="operator@bimakota.go.id")
    assert user.check_password(NEW_PASSWORD)
    assert "/confirm-email/" not in saved.url
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_delegates_invite_link_works_once(
    api, client, contest, organizer, region, invite
):
    api.force_authenticate(organizer)
    invite(contest, "operator@bimakota.go.id", "52.72")
    link = SET_PASSWORD_LINK.search(mail.outbox[0].body).group(1)
    set_password_url = client.get(link).url
    client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    client.logout()

    response = client.get(link)

    assert response.status_code == 200
    assert response.context["token_fail"] is True


def test_delegates_invite_existing_user_links_without_new_account(
    api, contest, organizer, region, invite
):
    existing = UserFactory(email="kepala@bimakota.go.id")
    users_before = User.objects.count()
    api.force_authenticate(organizer)

    response = invite(contest, "Kepala@BimaKota.go.id", "52.72")

    assert response.status_code == 201
    assert response.json()["email"] == existing.email
    assert User.objects.count() == users_before
    assert Delegate.objects.get(contest=contest, region=region).user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Masuk dengan akun Anda yang sudah ada" in body
    assert "/accounts/login/" in body
    assert "/accounts/password/reset/key/" not in body
    assert contest.name in body


def test_delegates_invite_account_never_activated_gets_set_password_link(
    api, contest, organizer, region, invite
):
    """Invited before but never set a password: "sign in" alone would lock them out."""
    first = ContestFactory()
    first.organizers.create(user=organizer)
    api.force_authenticate(organizer)
    invite(first, "operator@bimakota.go.id", "52.72")
    mail.outbox.clear()

    response = invite(contest, "operator@bimakota.go.id", "52.72")

    assert response.status_code == 201
    assert User.objects.filter(email="operator@bimakota.go.id").count() == 1
    assert len(mail.outbox) == 1
    assert SET_PASSWORD_LINK.search(mail.outbox[0].body)


def test_delegates_invite_same_user_other_region_409(
    api, contest, organizer, region, invite, table_rows
):
    existing = DelegateFactory(contest=contest, region=region).user
    other_region = RegionFactory(code="52.71", name="Kota Mataram")
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = invite(contest, existing.email, other_region.code)

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "email" in response.json()
    assert Delegate.objects.get(contest=contest, user=existing).region == region
    assert mail.outbox == []


def test_delegates_invite_same_user_same_region_is_idempotent(
    api, contest, organizer, region, invite
):
    delegate = DelegateFactory(contest=contest, region=region)
    api.force_authenticate(organizer)

    response = invite(contest, delegate.user.email, "52.72")

    assert response.status_code in {200, 201}
    assert response.json()["id"] == delegate.pk
    assert Delegate.objects.filter(contest=contest).count() == 1
    assert mail.outbox == []


def test_delegates_invite_same_user_in_two_contests(
    api, contest, organizer, region, invite
):
    existing = DelegateFactory(contest=ContestFactory(), region=region).user
    api.force_authenticate(organizer)

    response = invite(contest, existing.email, "52.72")

    assert response.status_code == 201
    assert Delegate.objects.filter(user=existing).count() == 2


def test_delegates_invite_region_not_eligible_400(api, organizer, invite):
    contest = ContestFactory(eligible_region_types=["kota"])
    contest.organizers.create(user=organizer)
    kabupaten = RegionFactory(code="52.06", name="Kabupaten Bima", type="kabupaten")
    api.force_authenticate(organizer)

    response = invite(contest, "operator@bimakab.go.id", kabupaten.code)

    assert response.status_code == 400
    assert "region" in response.json()
    assert not User.objects.filter(email="operator@bimakab.go.id").exists()
    assert not Delegate.objects.filter(contest=contest).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "operator@bimakota.go.id", "region": "99.99"}, "region"),
        ({"email": "operator@bimakota.go.id"}, "region"),
        ({"email": "bukan-email", "region": "52.72"}, "email"),
        ({"region": "52.72"}, "email"),
        ({"email": ["operator@bimakota.go.id"], "region": "52.72"}, "email"),
        ({"email": "operator@bimakota.go.id", "region": {"code": "52.72"}}, "region"),
    ],
)
def test_delegates_invite_bad_input_400(
    api, contest, organizer, region, data, field, django_capture_on_commit_callbacks
):
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(contest), data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Delegate.objects.exists()
    assert mail.outbox == []


def test_delegates_invite_by_superuser(api, contest, superuser, region, invite):
    api.force_authenticate(superuser)

    response = invite(contest, "operator@bimakota.go.id", "52.72")

    assert response.status_code == 201
    assert Delegate.objects.filter(
        contest=contest, user__email="operator@bimakota.go.id"
    ).exists()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role", ["delegate", "other_organizer"])
def test_delegates_invite_forbidden_403(request, api, contest, region, role, invite):
    api.force_authenticate(request.getfixturevalue(role))
    delegates_before = Delegate.objects.count()

    response = invite(contest, "operator@bimakota.go.id", "52.72")

    assert response.status_code == 403
    assert "detail" in response.json()
    assert Delegate.objects.count() == delegates_before
    assert not User.objects.filter(email="operator@bimakota.go.id").exists()
    assert mail.outbox == []


def test_delegates_invite_anonymous_401(contest, region, invite):
    response = invite(contest, "operator@bimakota.go.id", "52.72")

    assert response.status_code == 401
    assert "detail" in response.json()
    assert not User.objects.filter(email="operator@bimakota.go.id").exists()


def test_delegates_invite_hidden_contest_404_for_other_organizer(
    api, other_organizer, region, invite
):
    hidden = ContestFactory(is_public=False)
    api.force_authenticate(other_organizer)

    response = invite(hidden, "operator@bimakota.go.id", "52.72")

    assert response.status_code == 404
    assert not Delegate.objects.filter(contest=hidden).exists()


@pytest.mark.parametrize("role", ["organizer", "superuser"])
def test_delegates_list_for_organizers(request, api, contest, region, role):
    delegate = DelegateFactory(contest=contest, region=region)
    DelegateFactory(contest=ContestFactory(), region=region)
    api.force_authenticate(request.getfixturevalue(role))

    response = api.get(url(contest))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["results"][0]["email"] == delegate.user.email
    assert body["results"][0]["region"] == "52.72"
    assert body["results"][0]["region_name"] == "Kota Bima"


@pytest.mark.parametrize("role", ["delegate", "other_organizer"])
def test_delegates_list_forbidden_403(request, api, contest, role):
    api.force_authenticate(request.getfixturevalue(role))

    response = api.get(url(contest))

    assert response.status_code == 403
    assert "results" not in response.json()


def test_delegates_list_anonymous_401(api, contest):
    DelegateFactory(contest=contest)

    response = api.get(url(contest))

    assert response.status_code == 401
    assert "results" not in response.json()


@pytest.mark.parametrize("size", [1, 3])
def test_delegates_list_query_count_constant(
    api, contest, organizer, django_assert_num_queries, size
):
    DelegateFactory.create_batch(size, contest=contest)
    api.force_authenticate(organizer)

    with django_assert_num_queries(4):
        response = api.get(url(contest))

    assert response.json()["count"] == size
