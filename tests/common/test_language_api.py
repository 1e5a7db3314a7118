"""The API answers in the language its request asks for (Accept-Language, among
the site's languages; Indonesian without one), while the pages keep speaking
Indonesian unless the visitor chose English (config.middleware)."""

import pytest
from django.conf import settings
from django.urls import reverse

from submissions.enums import SubmissionState
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]

INDONESIAN = "Jelaskan mengapa entri ini tidak memenuhi syarat."
ENGLISH = "Say why the entry is ineligible."


@pytest.fixture
def screen_url(contest):
    entry = SubmissionFactory(contest=contest, state=SubmissionState.SUBMITTED)
    return reverse(
        "submission-screen", kwargs={"contest_slug": contest.slug, "pk": entry.pk}
    )


def screen_without_reason(api, url, **headers):
    response = api.post(url, {"eligible": False}, format="json", **headers)
    assert response.status_code == 400
    return response


@pytest.mark.parametrize(
    ("header", "message", "language"),
    [
        (None, INDONESIAN, "id"),
        ("en", ENGLISH, "en"),
        ("en-GB,en;q=0.8", ENGLISH, "en"),
        ("fr-FR, en;q=0.5, id;q=0.9", INDONESIAN, "id"),
        ("fr, de;q=0.5", INDONESIAN, "id"),
        ("*", INDONESIAN, "id"),
    ],
)
def test_api_errors_follow_accept_language(
    api, organizer, screen_url, header, message, language
):
    api.force_authenticate(organizer)
    headers = {} if header is None else {"HTTP_ACCEPT_LANGUAGE": header}

    response = screen_without_reason(api, screen_url, **headers)

    assert response.json()["reason"] == [message]
    assert response["Content-Language"] == language


def test_api_ignores_the_pages_language_cookie(api, organizer, screen_url):
    api.force_authenticate(organizer)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = screen_without_reason(api, screen_url)

    assert response.json()["reason"] == [INDONESIAN]


def test_drf_messages_follow_accept_language_too(api, contest):
    url = reverse("submission-list", kwargs={"contest_slug": contest.slug})

    english = api.get(url, HTTP_ACCEPT_LANGUAGE="en")
    indonesian = api.get(url)

    assert english.status_code == indonesian.status_code == 401
    assert english.json()["detail"] == "Authentication credentials were not provided."
    assert indonesian.json()["detail"] != english.json()["detail"]


def test_pages_still_ignore_accept_language(client):
    response = client.get(reverse("contest:list"), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "id"
