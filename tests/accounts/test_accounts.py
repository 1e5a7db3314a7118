import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory

pytestmark = [pytest.mark.django_db]

User = get_user_model()

LOGIN_URL = "/accounts/login/"
SIGNUP_URL = "/accounts/signup/"
PROFILE_URL = "/accounts/profile/"
NEW_PASSWORD = "sapi-kerapan-madura-77"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth's rate limits count in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# The user model


def test_create_user_email_is_the_login(client):
    user = User.objects.create_user(
        email="Kepala@BimaKota.go.id", password=NEW_PASSWORD
    )

    signed_in = client.login(email="kepala@bimakota.go.id", password=NEW_PASSWORD)

    assert signed_in is True
    assert user.email == "kepala@bimakota.go.id"
    assert User.USERNAME_FIELD == "email"
    assert user.is_staff is False
    assert user.is_superuser is False


def test_create_user_login_ignores_email_case(client):
    User.objects.create_user(email="kepala@bimakota.go.id", password=NEW_PASSWORD)

    signed_in = client.login(email="KEPALA@bimakota.go.id", password=NEW_PASSWORD)

    assert signed_in is True


def test_create_user_wrong_password_refused(client):
    User.objects.create_user(email="kepala@bimakota.go.id", password=NEW_PASSWORD)

    signed_in = client.login(email="kepala@bimakota.go.id", password="salah")

    assert signed_in is False


def test_create_user_without_password_cannot_log_in(client):
    user = User.objects.create_user(email="kepala@bimakota.go.id")

    signed_in = client.login(email="kepala@bimakota.go.id", password="")

    assert signed_in is False
    assert not user.has_usable_password()


def test_create_user_without_email_refused():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user(email="", password=NEW_PASSWORD)

    assert not User.objects.exists()


def test_create_user_duplicate_email_refused():
    User.objects.create_user(email="kepala@bimakota.go.id", password=NEW_PASSWORD)

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="Kepala@BimaKota.go.id", password=NEW_PASSWORD)

    assert User.objects.count() == 1


def test_create_superuser_sets_flags():
    user = User.objects.create_superuser(email="admin@kemendagri.go.id", password="x")

    assert user.is_staff is True
    assert user.is_superuser is True


def test_user_str_prefers_name():
    named = UserFactory.build(name="Muhammad Lutfi", email="lutfi@bimakota.go.id")
    unnamed = UserFactory.build(name="", email="anon@bimakota.go.id")

    assert (str(named), named.get_short_name()) == ("Muhammad Lutfi", "Muhammad")
    assert (str(unnamed), unnamed.get_short_name()) == (
        "anon@bimakota.go.id",
        "anon@bimakota.go.id",
    )


# createsuperuser


def test_createsuperuser_noinput_from_environment(monkeypatch, client):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Admin@Kemendagri.go.id")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)

    call_command("createsuperuser", "--noinput", verbosity=0)

    user = User.objects.get()
    assert user.email == "admin@kemendagri.go.id"
    assert user.is_superuser is True
    assert user.is_staff is True
    assert user.check_password(NEW_PASSWORD)
    assert client.login(email="admin@kemendagri.go.id", password=NEW_PASSWORD)


def test_createsuperuser_is_organizer_of_every_contest(monkeypatch):
    contest = ContestFactory(is_public=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "admin@kemendagri.go.id")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)

    call_command("createsuperuser", "--noinput", verbosity=0)

    user = User.objects.get()
    assert user.has_perm("contest.manage_contest", contest)


# allauth pages


def test_login_page_signs_in_with_email(client, password):
    user = UserFactory()

    response = client.post(LOGIN_URL, {"login": user.email, "password": password})

    assert response.status_code == 302
    assert response.url == "/start/"  # then to the role's own page (test_landing)
    assert signed_in_user_id(client) == str(user.pk)


def test_login_page_accepts_upper_case_email(client, password):
    user = UserFactory(email="operator@bimakota.go.id")

    response = client.post(
        LOGIN_URL, {"login": "Operator@BimaKota.go.id", "password": password}
    )

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_login_page_follows_next(client, password):
    user = UserFactory()

    response = client.post(
        f"{LOGIN_URL}?next={PROFILE_URL}", {"login": user.email, "password": password}
    )

    assert response.status_code == 302
    assert response.url == PROFILE_URL


def test_login_page_wrong_password_refused(client):
    user = UserFactory()

    response = client.post(LOGIN_URL, {"login": user.email, "password": "salah"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_user_id(client) is None


def test_login_page_renders(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert b'name="login"' in response.content
    assert b'name="password"' in response.content


def test_login_page_rate_limited_after_five_failures(client, password):
    user = UserFactory()
    for _attempt in range(5):
        client.post(LOGIN_URL, {"login": user.email, "password": "salah"})

    response = client.post(LOGIN_URL, {"login": user.email, "password": password})

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()


def test_login_page_rate_limit_message_in_english(client, password):
    user = UserFactory()
    client.post("/i18n/setlang/", {"language": "en"})
    for _attempt in range(5):
        client.post(LOGIN_URL, {"login": user.email, "password": "salah"})

    response = client.post(LOGIN_URL, {"login": user.email, "password": password})

    assert signed_in_user_id(client) is None
    assert "Too many failed login attempts" in response.content.decode()


def test_login_page_four_failures_still_allow_login(client, password):
    user = UserFactory()
    for _attempt in range(4):
        client.post(LOGIN_URL, {"login": user.email, "password": "salah"})

    response = client.post(LOGIN_URL, {"login": user.email, "password": password})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_signup_page_creates_user(client):
    response = client.post(
        SIGNUP_URL,
        {
            "email": "Operator@Mimikakab.go.id",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    user = User.objects.get(email="operator@mimikakab.go.id")
    assert response.status_code == 302
    assert user.check_password(NEW_PASSWORD)
    assert user.is_superuser is False
    assert user.can_create_contests is False
    assert EmailAddress.objects.filter(user=user, email=user.email).exists()


def test_signup_page_renders(client):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b'name="password2"' in response.content


def test_signup_page_duplicate_email_refused(client):
    UserFactory(email="operator@mimikakab.go.id")

    response = client.post(
        SIGNUP_URL,
        {
            "email": "Operator@Mimikakab.go.id",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "sudah terdaftar dengan alamat e-mail ini" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_page_mismatched_passwords_refused(client):
    response = client.post(
        SIGNUP_URL,
        {
            "email": "operator@mimikakab.go.id",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD + "x",
        },
    )

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_page_weak_password_refused(client):
    response = client.post(
        SIGNUP_URL,
        {"email": "operator@mimikakab.go.id", "password1": "123", "password2": "123"},
    )

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


# Profile


def test_profile_page_anonymous_redirected_to_login(client):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={PROFILE_URL}"


def test_profile_page_shows_details(client):
    user = UserFactory(
        name="Siti Aminah", phone="0374-43210", institution="Pemerintah Kota Bima"
    )
    client.force_login(user)

    response = client.get(PROFILE_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Siti Aminah"' in content
    assert 'value="0374-43210"' in content
    assert 'value="Pemerintah Kota Bima"' in content
    assert user.email in content


def test_profile_page_saves_details(client):
    user = UserFactory(name="Siti")
    client.force_login(user)

    response = client.post(
        PROFILE_URL,
        {
            "name": "Siti Aminah",
            "phone": "+62 374 43210",
            "institution": "Dinas Kominfo Kota Bima",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert response.url == PROFILE_URL
    assert (user.name, user.phone, user.institution) == (
        "Siti Aminah",
        "+62 374 43210",
        "Dinas Kominfo Kota Bima",
    )


def test_profile_page_cannot_grant_privileges(client):
    user = UserFactory()
    client.force_login(user)

    client.post(
        PROFILE_URL,
        {
            "name": "Siti",
            "email": "other@example.id",
            "can_create_contests": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    email = user.email
    user.refresh_from_db()
    assert user.email == email
    assert user.can_create_contests is False
    assert user.is_superuser is False
    assert user.is_staff is False


def test_profile_page_too_long_phone_refused(client):
    user = UserFactory(phone="0374")
    client.force_login(user)

    response = client.post(PROFILE_URL, {"name": "Siti", "phone": "9" * 31})

    user.refresh_from_db()
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert user.phone == "0374"


# Language


def test_language_default_is_indonesian(client):
    response = client.get("/")

    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()


def test_language_switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/")

    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_language_switch_translates_allauth_pages(client):
    indonesian = client.get(LOGIN_URL).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    english = client.get(LOGIN_URL).content.decode()

    assert '<html lang="id"' in indonesian
    assert '<html lang="en"' in english
    assert "Sign In" in english
    assert "Sign In" not in indonesian


def test_language_browser_preference_not_followed(client):
    response = client.get("/", headers={"accept-language": "en"})

    assert '<html lang="id"' in response.content.decode()


def test_language_switch_unknown_language_keeps_indonesian(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    response = client.get("/")

    assert '<html lang="id"' in response.content.decode()
