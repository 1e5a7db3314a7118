"""The language of a user's e-mails (`User.language`): chosen on the profile page,
and kept on the account when a signed-in user switches the site's language."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from notifications.services import notify
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]

PROFILE_URL = reverse("accounts:profile")
SWITCH_URL = reverse("set_language")


@pytest.fixture
def user(db):
    return UserFactory(name="Siti Aminah", language="id")


def _profile(language, **extra):
    return {
        "name": "Siti Aminah",
        "phone": "",
        "institution": "Bappeda Kota Bima",
        "language": language,
        **extra,
    }


# The profile page


def test_profile_offers_the_language_of_the_emails(client, user):
    client.force_login(user)

    response = client.get(PROFILE_URL)

    field = response.context["form"].fields["language"]
    assert [code for code, _label in field.choices] == ["id", "en"]
    assert 'name="language"' in response.content.decode()


def test_profile_saves_the_language(client, user):
    client.force_login(user)

    response = client.post(PROFILE_URL, _profile("en"))

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.language == "en"
    assert user.institution == "Bappeda Kota Bima"


def test_profile_refuses_a_language_the_site_does_not_speak(client, user):
    client.force_login(user)

    response = client.post(PROFILE_URL, _profile("fr"))

    user.refresh_from_db()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["language"]
    assert user.language == "id"
    assert user.institution == ""


def test_profile_posted_without_the_language_keeps_it(client):
    user = UserFactory(language="en")
    client.force_login(user)
    data = _profile("")
    del data["language"]

    response = client.post(PROFILE_URL, data)

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.language, user.institution) == ("en", "Bappeda Kota Bima")


def test_the_language_chosen_decides_the_emails_language(client, user):
    client.force_login(user)
    client.post(PROFILE_URL, _profile("en"))
    user.refresh_from_db()

    row = notify(recipient=user, event="sample.event")

    assert row.language == "en"


# The site's language switch


def test_switching_the_site_language_keeps_it_on_the_account(client, user):
    client.force_login(user)

    response = client.post(SWITCH_URL, {"language": "en", "next": "/contests/"})

    user.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/contests/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert user.language == "en"


def test_switching_back_to_indonesian(client):
    user = UserFactory(language="en")
    client.force_login(user)

    client.post(SWITCH_URL, {"language": "id", "next": "/"})

    user.refresh_from_db()
    assert user.language == "id"


def test_the_switch_then_the_emails_follow(client, user):
    client.force_login(user)
    client.post(SWITCH_URL, {"language": "en", "next": "/"})
    user.refresh_from_db()

    row = notify(recipient=user, event="sample.event")

    assert row.language == "en"


def test_switching_anonymously_sets_only_the_cookie(client, user):
    response = client.post(SWITCH_URL, {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert user.language == "id"


def test_a_language_the_site_does_not_speak_is_not_kept(client, user):
    """Django's switch accepts any language it has a catalog of (French among
    them); the account keeps only the site's own, and the site stays Indonesian."""
    client.force_login(user)

    response = client.post(SWITCH_URL, {"language": "fr", "next": "/"})
    page = client.get(PROFILE_URL)

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.language == "id"
    assert page.context["LANGUAGE_CODE"] == "id"


def test_a_get_of_the_switch_changes_nothing(client, user):
    client.force_login(user)

    response = client.get(SWITCH_URL, {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert user.language == "id"


def test_the_switch_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(SWITCH_URL, {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert response.status_code == 403
    assert user.language == "id"


def test_the_switch_writes_nothing_when_the_language_is_already_kept(
    client, user, django_assert_num_queries
):
    client.force_login(user)

    # the session and the user; no update
    with django_assert_num_queries(2):
        client.post(SWITCH_URL, {"language": "id", "next": "/"})


def test_the_site_speaks_the_language_switched_to(client, user):
    client.force_login(user)

    client.post(SWITCH_URL, {"language": "en", "next": "/"})
    response = client.get(PROFILE_URL)

    assert response.context["LANGUAGE_CODE"] == "en"
    assert "Your profile" in response.content.decode()
