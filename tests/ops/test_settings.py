"""The production settings chosen by the environment (each case in a fresh
interpreter, as tests/accounts/test_settings.py does)."""

import json

import pytest
from django.urls import reverse
from django.views import static

from tests.accounts.test_settings import secret_key, setting
from tests.permissions.routes import all_routes

pytestmark = [pytest.mark.django_db]

PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "inovasi.example.id"}


def production(**values: str) -> dict[str, str]:
    return {**PRODUCTION, "SECRET_KEY": secret_key(), **values}


def test_settings_redis_url_selects_the_resilient_cache_and_cached_sessions():
    values = setting(
        "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'],"
        " settings.SESSION_ENGINE",
        REDIS_URL="redis://cache:6379/1",
    )

    assert values == (
        "common.cache.ResilientRedisCache redis://cache:6379/1 "
        "django.contrib.sessions.backends.db"
    )


def test_settings_without_redis_keep_sessions_in_the_database():
    values = setting("settings.SESSION_ENGINE")

    assert values == "django.contrib.sessions.backends.db"


def test_settings_bucket_selects_private_s3_storage_from_the_environment():
    expression = (
        "__import__('json').dumps({"
        "'backend': settings.STORAGES['default']['BACKEND'],"
        "'endpoint': settings.AWS_S3_ENDPOINT_URL,"
        "'key': settings.AWS_ACCESS_KEY_ID,"
        "'secret': settings.AWS_SECRET_ACCESS_KEY,"
        "'style': settings.AWS_S3_ADDRESSING_STYLE,"
        "'signed': settings.AWS_QUERYSTRING_AUTH,"
        "'expire': settings.AWS_QUERYSTRING_EXPIRE,"
        "'acl': settings.AWS_DEFAULT_ACL,"
        "'connect_timeout': settings.AWS_S3_CLIENT_CONFIG.connect_timeout})"
    )

    values = json.loads(
        setting(
            expression,
            AWS_STORAGE_BUCKET_NAME="inovasi-media",
            AWS_S3_ENDPOINT_URL="http://minio:9000",
            AWS_ACCESS_KEY_ID="inovasi",
            AWS_SECRET_ACCESS_KEY="rahasia",
            AWS_S3_ADDRESSING_STYLE="path",
        )
    )

    assert values == {
        "backend": "storages.backends.s3.S3Storage",
        "endpoint": "http://minio:9000",
        "key": "inovasi",
        "secret": "rahasia",
        "style": "path",
        "signed": True,
        "expire": 300,
        "acl": None,
        "connect_timeout": 3.0,
    }


def test_settings_without_bucket_keep_files_on_disk():
    backend = setting("settings.STORAGES['default']['BACKEND']")

    assert backend == "django.core.files.storage.FileSystemStorage"


@pytest.mark.parametrize(
    ("values", "formatter"),
    [
        ({}, "text"),
        (PRODUCTION, "json"),
        ({**PRODUCTION, "LOG_FORMAT": "text"}, "text"),
        ({"LOG_FORMAT": "json"}, "json"),
    ],
)
def test_settings_log_format(values, formatter):
    if values.get("DEBUG") == "0":
        values = {**values, "SECRET_KEY": secret_key()}

    chosen = setting("settings.LOGGING['handlers']['console']['formatter']", **values)

    assert chosen == formatter


def test_settings_healthz_is_not_redirected_to_https():
    values = setting(
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_REDIRECT_EXEMPT", **production()
    )

    assert values == "True ['^healthz$']"


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

    health = client.get(reverse("healthz"))
    home = client.get(reverse("home"))

    assert health.status_code == 200
    assert home.status_code == 301


def test_media_is_not_served_by_url(client, settings):
    """Uploads are read only through the permission-checked views: no /media/ route,
    whatever the storage."""
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "secret.pdf").write_bytes(b"%PDF-1.4")

    response = client.get(settings.MEDIA_URL + "evidence/secret.pdf")

    assert response.status_code == 404
    media = settings.MEDIA_URL.strip("/")
    served = [r for r in all_routes() if r.callback is static.serve]
    assert [r.name for r in served if media in str(r.pattern)] == []


def test_settings_without_debug_are_https_only_whatever_the_site_address_defaults():
    values = setting(
        "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0",
        **production(),
    )

    assert values == "True True True True"


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("http://127.0.0.1:8000", "False False False False"),
        ("http://localhost:8000", "False False False False"),
        ("http://inovasi.example.go.id", "True True True True"),
        ("https://inovasi.example.go.id", "True True True True"),
    ],
)
def test_only_a_site_on_this_machine_over_http_goes_without_https(site, expected):
    """`make run` serves the demo without DEBUG over http://127.0.0.1:8000."""
    values = setting(
        "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0",
        **production(SITE_URL=site),
    )

    assert values == expected


def test_make_run_serves_the_demo_without_debug_over_local_http():
    from tests.processes import ROOT

    makefile = (ROOT / "Makefile").read_text()

    assert "DEBUG=0" in makefile
    assert "SITE_URL=http://127.0.0.1:8000" in makefile
    assert "$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000" in makefile
