import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory, OrganizerFactory, RegionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The token endpoint is throttled per IP address through the cache."""
    cache.clear()
    yield
    cache.clear()


def test_token_issued_for_right_password(api, password):
    user = UserFactory()

    response = api.post(
        TOKEN_URL, {"email": user.email, "password": password}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_token_same_key_on_second_request(api, password):
    user = UserFactory()
    first = api.post(TOKEN_URL, {"email": user.email, "password": password})

    second = api.post(TOKEN_URL, {"email": user.email, "password": password})

    assert second.status_code == 200
    assert second.json()["token"] == first.json()["token"]
    assert Token.objects.filter(user=user).count() == 1


def test_token_issued_for_upper_case_email(api, password):
    user = UserFactory(email="operator@bimakota.go.id")

    response = api.post(
        TOKEN_URL, {"email": "Operator@BimaKota.go.id", "password": password}
    )

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=user).key


def test_token_authenticates_api_requests(api, password):
    user = UserFactory()
    hidden = ContestFactory(is_public=False)
    OrganizerFactory(contest=hidden, user=user)
    key = api.post(TOKEN_URL, {"email": user.email, "password": password}).json()[
        "token"
    ]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/contests/")

    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["results"]] == [hidden.slug]


def test_token_lets_creator_post_without_csrf(password):
    user = UserFactory(can_create_contests=True)
    host = RegionFactory()
    client = APIClient(enforce_csrf_checks=True)
    key = client.post(TOKEN_URL, {"email": user.email, "password": password}).json()[
        "token"
    ]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.post(
        "/api/v1/contests/",
        {
            "name": "Kontes Kepala Daerah Inovatif 2023",
            "slug": "kkdi-2023",
            "host_region": host.code,
            "submission_opens": "2023-06-01T00:00:00+08:00",
            "submission_closes": "2023-08-01T00:00:00+08:00",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["slug"] == "kkdi-2023"


def test_token_without_header_is_anonymous(api, password):
    user = UserFactory()
    OrganizerFactory(contest=ContestFactory(is_public=False), user=user)

    response = api.get("/api/v1/contests/")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_token_invalid_key_answers_401(api):
    ContestFactory()
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = api.get("/api/v1/contests/")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_refused_for_wrong_password(api):
    user = UserFactory()

    response = api.post(TOKEN_URL, {"email": user.email, "password": "wrong-password"})

    assert response.status_code == 400
    assert "password" in response.json()
    assert "token" not in response.json()
    assert not Token.objects.filter(user=user).exists()


def test_token_refused_for_unknown_email(api, password):
    response = api.post(TOKEN_URL, {"email": "nobody@example.id", "password": password})

    assert response.status_code == 400
    assert "password" in response.json()


def test_token_refused_for_inactive_user(api, password):
    user = UserFactory(is_active=False)

    response = api.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.status_code == 400
    assert "password" in response.json()
    assert not Token.objects.exists()


def test_token_refused_for_user_without_password(api):
    user = UserFactory()
    user.set_unusable_password()
    user.save()

    response = api.post(TOKEN_URL, {"email": user.email, "password": ""})

    assert response.status_code == 400
    assert "password" in response.json()


def test_token_missing_fields_named(api):
    response = api.post(TOKEN_URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_token_bad_email_named(api, password):
    response = api.post(TOKEN_URL, {"email": "not-an-email", "password": password})

    assert response.status_code == 400
    assert "email" in response.json()


def test_token_get_not_allowed(api):
    response = api.get(TOKEN_URL)

    assert response.status_code == 405
    assert "detail" in response.json()


def test_token_guessing_throttled(api, password):
    user = UserFactory()
    for _attempt in range(20):
        api.post(TOKEN_URL, {"email": user.email, "password": "wrong-password"})

    response = api.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.status_code == 429
    assert "detail" in response.json()
    assert not Token.objects.exists()
