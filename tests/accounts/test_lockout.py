"""Wrong passwords lock the account (web login and API token alike), and a much
higher number locks the client address."""

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth's rate limits count in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def web_login(email, password, ip=OFFICE, **extra):
    """Sign in through the login page; True when it signed in."""
    from django.test import Client

    client = Client()
    client.post(
        LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=ip, **extra
    )
    return client.session.get("_auth_user_id") is not None


def api_login(email, password, ip=OFFICE, **extra):
    return APIClient().post(
        TOKEN_URL, {"email": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_lockout_five_wrong_web_logins_lock_the_api_token(password):
    user = UserFactory()
    for _attempt in range(5):
        assert not web_login(user.email, "salah-sandi")

    response = api_login(user.email, password)

    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.json()["detail"]
    assert not AuthToken.objects.exists()


def test_lockout_five_wrong_api_attempts_lock_the_web_login(password):
    user = UserFactory()
    for _attempt in range(5):
        assert api_login(user.email, "salah-sandi").status_code == 400

    signed_in = web_login(user.email, password)

    assert signed_in is False


def test_lockout_web_and_api_failures_add_up(password):
    user = UserFactory()
    for _attempt in range(3):
        web_login(user.email, "salah-sandi")
    for _attempt in range(2):
        api_login(user.email, "salah-sandi")

    assert api_login(user.email, password).status_code == 429
    assert web_login(user.email, password) is False


def test_lockout_four_failures_still_issue_a_token(password):
    user = UserFactory()
    for _attempt in range(4):
        api_login(user.email, "salah-sandi")

    response = api_login(user.email, password)

    assert response.status_code == 200
    assert AuthToken.objects.filter(user=user).count() == 1


def test_lockout_counts_the_account_whatever_the_case_of_the_address(password):
    UserFactory(email="operator@bimakota.go.id")
    for _attempt in range(5):
        web_login("OPERATOR@BimaKota.go.id", "salah-sandi")

    response = api_login("operator@bimakota.go.id", password)

    assert response.status_code == 429


def test_lockout_counts_the_account_from_any_address(password):
    user = UserFactory()
    for n in range(5):
        api_login(user.email, "salah-sandi", ip=f"192.0.2.{n + 1}")

    assert api_login(user.email, password, ip=ELSEWHERE).status_code == 429
    assert web_login(user.email, password, ip=ELSEWHERE) is False


def test_lockout_counts_the_account_on_any_host_name(password, settings):
    settings.ALLOWED_HOSTS = ["inovasi.example.id", "api.inovasi.example.id"]
    user = UserFactory()
    for _attempt in range(5):
        web_login(user.email, "salah-sandi", HTTP_HOST="inovasi.example.id")

    response = api_login(user.email, password, HTTP_HOST="api.inovasi.example.id")

    assert response.status_code == 429


def test_lockout_of_one_account_leaves_others_behind_the_same_address(password):
    locked = UserFactory()
    colleague = UserFactory()
    for _attempt in range(8):
        web_login(locked.email, "salah-sandi")
        api_login(locked.email, "salah-sandi")

    assert web_login(colleague.email, password) is True
    assert api_login(colleague.email, password).status_code == 200
    assert api_login(locked.email, password).status_code == 429


def test_lockout_per_address_after_a_hundred_failures(password):
    users = UserFactory.create_batch(26)
    for user in users[:25]:
        for _attempt in range(2):
            assert not web_login(user.email, "salah-sandi")
        for _attempt in range(2):
            assert api_login(user.email, "salah-sandi").status_code == 400
    fresh = users[25]

    from_office = api_login(fresh.email, password)
    web_from_office = web_login(fresh.email, password)
    from_elsewhere = api_login(fresh.email, password, ip=ELSEWHERE)

    assert from_office.status_code == 429
    assert web_from_office is False
    assert from_elsewhere.status_code == 200


def test_lockout_per_address_ninety_nine_failures_still_allow(password):
    users = UserFactory.create_batch(34)
    for user in users[:33]:
        for _attempt in range(3):
            api_login(user.email, "salah-sandi")

    assert api_login(users[33].email, password).status_code == 200


def test_lockout_behind_a_trusted_proxy_counts_each_client(password, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.1"
    users = UserFactory.create_batch(26)
    for user in users[:25]:
        for _attempt in range(4):
            api_login(
                user.email,
                "salah-sandi",
                ip=proxy,
                HTTP_X_FORWARDED_FOR=OFFICE,
            )

    blocked = api_login(
        users[25].email, password, ip=proxy, HTTP_X_FORWARDED_FOR=OFFICE
    )
    other_client = api_login(
        users[25].email, password, ip=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE
    )

    assert blocked.status_code == 429
    assert other_client.status_code == 200


def test_lockout_an_office_signs_in_together(password):
    users = UserFactory.create_batch(40)

    web = [web_login(user.email, password) for user in users]
    api = [api_login(user.email, password).status_code for user in users]

    assert all(web)
    assert set(api) == {200}
