"""An account's holder is told when its password changes (on the site's pages,
the reset link or the admin, with the API tokens that went with it: one mail)
and when an API token is revoked. In the holder's language, the time in the
site's zone (WIB), links on SITE_URL."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import services as account_services
from contest import services as contest_services
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.contest import RegionFactory
from tests.notifications.mailbox import HOST, SITE, hosts, html_of, paths

pytestmark = [pytest.mark.django_db]

NEW_PASSWORD = "sapi-kerapan-madura-77"
TOKEN_URL = "/api/v1/auth/token/"
WHEN_EN = re.compile(r"on \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} WIB")
WHEN_ID = re.compile(r"pada \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}\.\d{2} WIB")


@pytest.fixture
def holder(db):
    """An account in use: signed in before, two API tokens."""
    user = UserFactory(email="andi@ugm.ac.id", language="en")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    account_services.issue_token(user=user)
    account_services.issue_token(user=user)
    return user


def test_a_password_changed_on_the_page_is_one_mail_with_the_tokens(
    client, holder, password, django_capture_on_commit_callbacks
):
    client.force_login(holder)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {
                "oldpassword": password,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=holder).exists()
    (message,) = mail.outbox
    assert message.to == ["andi@ugm.ac.id"]
    assert message.subject == "Your Inovasi Award password was changed"
    assert "account andi@ugm.ac.id was changed" in message.body
    assert WHEN_EN.search(message.body)
    assert "2 API tokens of the account were revoked" in message.body
    assert f"{SITE}/accounts/password/reset/" in message.body
    assert hosts(message.body) == {HOST}
    assert hosts(html_of(message)) == {HOST}
    row = Notification.objects.get()
    assert (row.event, row.language, row.contest_id) == (
        "account.password_changed",
        "en",
        None,
    )


def test_a_password_reset_from_the_link_is_told_in_indonesian(
    client, holder, django_capture_on_commit_callbacks
):
    holder.language = "id"
    holder.save(update_fields=["language"])
    link = account_services.password_set_url(holder).removeprefix(SITE)

    with django_capture_on_commit_callbacks(execute=True):
        form_url = client.get(link).url
        response = client.post(
            form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Kata sandi Inovasi Award Anda telah diubah"
    assert WHEN_ID.search(message.body)
    assert "2 token API akun ini dicabut" in message.body
    assert hosts(message.body) == {HOST}


def test_a_password_set_in_the_admin_is_told(
    client, holder, superuser, django_capture_on_commit_callbacks
):
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/accounts/user/{holder.pk}/password/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    (message,) = [m for m in mail.outbox if m.to == [holder.email]]
    assert message.subject == "Your Inovasi Award password was changed"


def test_a_change_without_tokens_does_not_speak_of_tokens(
    holder, django_capture_on_commit_callbacks
):
    AuthToken.objects.filter(user=holder).delete()

    with django_capture_on_commit_callbacks(execute=True):
        holder.set_password(NEW_PASSWORD)
        holder.save()

    (message,) = mail.outbox
    assert "was changed" in message.body
    assert "token" not in message.body


def test_the_first_password_from_an_invitation_is_not_a_change(
    client, contest, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contest_services.invite_delegate(
            contest=contest,
            email="operator@bimakota.go.id",
            region=RegionFactory(),
            by=organizer,
        )
    (invitation,) = mail.outbox
    link = next(p for p in paths(invitation.body) if "/password/reset/key/" in p)

    with django_capture_on_commit_callbacks(execute=True):
        form_url = client.get(link).url
        response = client.post(
            form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )

    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == [invitation.subject]
    assert not Notification.objects.filter(event="account.password_changed").exists()


def test_a_cleared_password_is_not_told_as_a_change(
    holder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.prepare_claim(user=holder)

    assert not AuthToken.objects.filter(user=holder).exists()
    assert mail.outbox == []


def test_a_token_revoked_over_the_api_is_told(
    holder, password, django_capture_on_commit_callbacks
):
    holder.language = "id"
    holder.save(update_fields=["language"])
    key = (
        APIClient()
        .post(TOKEN_URL, {"email": holder.email, "password": password}, format="json")
        .json()["token"]
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(TOKEN_URL)

    assert response.status_code == 204
    assert AuthToken.objects.filter(user=holder).count() == 2
    (message,) = mail.outbox
    assert message.to == ["andi@ugm.ac.id"]
    assert message.subject == "1 token API akun Inovasi Award Anda telah dicabut"
    assert WHEN_ID.search(message.body)
    assert f"{SITE}/accounts/password/change/" in message.body
    assert hosts(message.body) == {HOST}
    row = Notification.objects.get()
    assert (row.event, row.language, row.contest_id) == (
        "account.token_revoked",
        "id",
        None,
    )


def test_a_token_revoked_in_english(holder, django_capture_on_commit_callbacks):
    token = AuthToken.objects.filter(user=holder).first()

    with django_capture_on_commit_callbacks(execute=True):
        account_services.revoke_token(token=token)

    (message,) = mail.outbox
    assert message.subject == "An API token of your Inovasi Award account was revoked"
    assert "1 API token of your Inovasi Award account andi@ugm.ac.id" in message.body
    assert WHEN_EN.search(message.body)
    assert "If it was not you, someone else held the token" in message.body
    assert f'href="{SITE}/accounts/password/change/"' in html_of(message)
