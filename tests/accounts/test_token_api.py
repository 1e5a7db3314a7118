import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken
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
NEW_PASSWORD = "sapi-kerapan-madura-77"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The token endpoint is throttled and counts failures through the cache."""
    cache.clear()
    yield
    cache.clear()


def token_for(user, password) -> str:
    response = APIClient().post(
        TOKEN_URL, {"email": user.email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def hidden_contest_of(user):
    hidden = ContestFactory(is_public=False)
    OrganizerFactory(contest=hidden, user=user)
    return hidden


# Issuing


def test_token_issued_for_right_password(api, password):
    user = UserFactory()

    response = api.post(
        TOKEN_URL, {"email": user.email, "password": password}, format="json"
    )

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"token", "expires"}
    assert AuthToken.objects.get().user == user


def test_token_stored_hashed(api, password):
    user = UserFactory()

    key = api.post(TOKEN_URL, {"email": user.email, "password": password}).json()[
        "token"
    ]

    stored = AuthToken.objects.get(user=user)
    assert len(key) == 64
    assert key not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128


def test_token_expires_after_configured_days(api, password, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    user = UserFactory()
    before = timezone.now()

    body = api.post(TOKEN_URL, {"email": user.email, "password": password}).json()

    expiry = AuthToken.objects.get(user=user).expiry
    assert before + dt.timedelta(days=7) <= expiry
    assert expiry <= timezone.now() + dt.timedelta(days=7)
    assert dt.datetime.fromisoformat(body["expires"]) == expiry


def test_token_new_key_on_second_request(api, password):
    user = UserFactory()
    first = api.post(TOKEN_URL, {"email": user.email, "password": password})

    second = api.post(TOKEN_URL, {"email": user.email, "password": password})

    assert second.status_code == 200
    assert second.json()["token"] != first.json()["token"]
    assert AuthToken.objects.filter(user=user).count() == 2


def test_token_issued_for_upper_case_email(api, password):
    user = UserFactory(email="operator@bimakota.go.id")

    response = api.post(
        TOKEN_URL, {"email": "Operator@BimaKota.go.id", "password": password}
    )

    assert response.status_code == 200
    assert AuthToken.objects.get().user == user


def test_token_issued_despite_stale_token_header(password):
    user = UserFactory()
    client = client_with("0" * 64)

    response = client.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.status_code == 200
    assert AuthToken.objects.filter(user=user).count() == 1


# Using


def test_token_authenticates_api_requests(password):
    user = UserFactory()
    hidden = hidden_contest_of(user)
    key = token_for(user, password)

    response = client_with(key).get("/api/v1/contests/")

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
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)

    response = api.get("/api/v1/contests/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token a b",
        "Token " + "\u00ff" * 20,
        "Token abc\x00def",
        "Token ../../etc/passwd",
        "Token " + "a" * 5000,
    ],
    ids=["empty", "spaces", "latin1", "nul", "punctuation", "huge"],
)
def test_token_malformed_key_answers_401(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)

    response = api.get("/api/v1/contests/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_expired_answers_401_and_is_deleted(password):
    user = UserFactory()
    hidden_contest_of(user)
    key = token_for(user, password)
    AuthToken.objects.filter(user=user).update(
        expiry=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client_with(key).get("/api/v1/contests/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.exists()


def test_token_of_deactivated_user_answers_401(password):
    user = UserFactory()
    key = token_for(user, password)
    user.is_active = False
    user.save()

    response = client_with(key).get("/api/v1/contests/")

    assert response.status_code == 401


# Revoking


def test_token_delete_revokes_the_callers_token(password):
    user = UserFactory()
    hidden = hidden_contest_of(user)
    revoked = token_for(user, password)
    kept = token_for(user, password)

    response = client_with(revoked).delete(TOKEN_URL)

    assert response.status_code == 204
    assert client_with(revoked).get("/api/v1/contests/").status_code == 401
    listed = client_with(kept).get("/api/v1/contests/").json()["results"]
    assert [c["slug"] for c in listed] == [hidden.slug]
    assert AuthToken.objects.filter(user=user).count() == 1


def test_token_delete_without_token_answers_401(api):
    response = api.delete(TOKEN_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_delete_with_session_only_answers_401(api, password):
    user = UserFactory()
    token_for(user, password)
    api.force_login(user)

    response = api.delete(TOKEN_URL)

    assert response.status_code == 401
    assert AuthToken.objects.filter(user=user).count() == 1


def test_token_delete_twice_answers_401(password):
    user = UserFactory()
    client = client_with(token_for(user, password))
    client.delete(TOKEN_URL)

    response = client.delete(TOKEN_URL)

    assert response.status_code == 401


def test_token_revoked_by_set_password(password):
    user = UserFactory()
    other = UserFactory()
    key = token_for(user, password)
    other_key = token_for(other, password)

    user.set_password(NEW_PASSWORD)
    user.save()

    assert client_with(key).get("/api/v1/contests/").status_code == 401
    assert client_with(other_key).get("/api/v1/contests/").status_code == 200
    assert not AuthToken.objects.filter(user=user).exists()


def test_token_revoked_by_set_unusable_password(password):
    user = UserFactory()
    key = token_for(user, password)

    user.set_unusable_password()
    user.save()

    assert client_with(key).get("/api/v1/contests/").status_code == 401


def test_token_kept_by_profile_change_and_login(client, password):
    user = UserFactory()
    key = token_for(user, password)

    user.name = "Siti Aminah"
    user.save()
    client.post("/accounts/login/", {"login": user.email, "password": password})

    assert client_with(key).get("/api/v1/contests/").status_code == 200


def test_token_kept_when_login_upgrades_the_hash(settings, password):
    user = UserFactory()
    key = token_for(user, password)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    token_for(user, password)

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert client_with(key).get("/api/v1/contests/").status_code == 200


def test_token_revoked_by_password_change_page(client, password):
    user = UserFactory()
    key = token_for(user, password)
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password(NEW_PASSWORD)
    assert client_with(key).get("/api/v1/contests/").status_code == 401


def test_token_revoked_by_password_reset_link(client, password):
    from accounts.services import password_set_url

    user = UserFactory()
    key = token_for(user, password)
    link = password_set_url(user).removeprefix("http://127.0.0.1:8000")

    form_url = client.get(link).url
    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password(NEW_PASSWORD)
    assert client_with(key).get("/api/v1/contests/").status_code == 401


def test_token_revoked_by_admin_password_change(client, password, superuser):
    user = UserFactory()
    key = token_for(user, password)
    client.force_login(superuser)

    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password(NEW_PASSWORD)
    assert client_with(key).get("/api/v1/contests/").status_code == 401


# Refusals


def test_token_refused_for_wrong_password(api):
    user = UserFactory()

    response = api.post(TOKEN_URL, {"email": user.email, "password": "wrong-password"})

    assert response.status_code == 400
    assert "password" in response.json()
    assert "token" not in response.json()
    assert not AuthToken.objects.filter(user=user).exists()


def test_token_refused_for_unknown_email(api, password):
    response = api.post(TOKEN_URL, {"email": "nobody@example.id", "password": password})

    assert response.status_code == 400
    assert "password" in response.json()


def test_token_refused_for_inactive_user(api, password):
    user = UserFactory(is_active=False)

    response = api.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.status_code == 400
    assert "password" in response.json()
    assert not AuthToken.objects.exists()


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


# Verified addresses


@pytest.mark.parametrize(
    ("addresses", "issued"),
    [
        ([], False),
        ([("self", False)], False),
        ([("self", True)], True),
        ([("self", False), ("other", True)], False),
    ],
    ids=["no-record", "unverified", "verified", "only-another-verified"],
)
def test_token_mandatory_verification_needs_verified_login_address(
    api, password, settings, addresses, issued
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    user = UserFactory()
    for which, verified in addresses:
        email = user.email if which == "self" else "lain@example.id"
        EmailAddress.objects.create(
            user=user, email=email, verified=verified, primary=which == "self"
        )

    response = api.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.status_code == (200 if issued else 403)
    assert AuthToken.objects.filter(user=user).exists() is issued
    if not issued:
        body = response.json()
        assert "belum diverifikasi" in body["email"][0]
        assert user.email in body["detail"]


def test_token_mandatory_verification_checked_after_the_password(api, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    user = UserFactory()

    response = api.post(TOKEN_URL, {"email": user.email, "password": "salah-sandi"})

    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.parametrize("method", ["optional", "none"])
def test_token_optional_verification_issues_for_unverified(
    api, password, settings, method
):
    settings.ACCOUNT_EMAIL_VERIFICATION = method
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=False)

    response = api.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.status_code == 200


def test_token_issue_drops_the_users_expired_tokens(password):
    from accounts.services import issue_token

    user = UserFactory()
    other = UserFactory()
    issue_token(user=user)
    issue_token(user=other)
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(days=1))

    issue_token(user=user)

    assert AuthToken.objects.filter(user=user).count() == 1
    assert AuthToken.objects.get(user=user).expiry > timezone.now()
    assert AuthToken.objects.filter(user=other).count() == 1


def test_api_as_with_token_sends_a_real_token(api, api_as):
    user = UserFactory()
    hidden = hidden_contest_of(user)

    api_as(user, token=True)
    response = api.get("/api/v1/contests/")

    assert [c["slug"] for c in response.json()["results"]] == [hidden.slug]
    assert AuthToken.objects.filter(user=user).count() == 1
