"""Settings read from the environment: each case runs in a fresh interpreter."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db]

PROJECT = Path(__file__).resolve().parents[2]
ENV_NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "DJANGO_SETTINGS_MODULE",
    "API_TOKEN_TTL_DAYS",
    "TRUSTED_PROXY_COUNT",
]
PRINT_SETTING = (
    "import django, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
    "django.setup(); "
    "from django.conf import settings; "
    "print({expression})"
)


def secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env.update(values)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def setting(expression: str, **values: str) -> str:
    result = run(
        ["-c", PRINT_SETTING.format(expression=expression)], environment(**values)
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_settings_production_without_secret_key_fails():
    result = run(["manage.py", "check"], environment(DEBUG="0"))

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_production_with_hosts_but_no_secret_key_fails():
    result = run(
        ["manage.py", "check"],
        environment(DEBUG="0", ALLOWED_HOSTS="inovasi.example.id"),
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_production_with_empty_secret_key_fails():
    result = run(
        ["manage.py", "check"],
        environment(DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="inovasi.example.id"),
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_production_without_allowed_hosts_fails():
    result = run(
        ["manage.py", "check"], environment(DEBUG="0", SECRET_KEY=secret_key())
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_settings_production_passes_deploy_checks():
    env = environment(
        DEBUG="0", SECRET_KEY=secret_key(), ALLOWED_HOSTS="inovasi.example.id"
    )

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_settings_production_hardens_cookies_and_verification():
    env = {"DEBUG": "0", "SECRET_KEY": secret_key(), "ALLOWED_HOSTS": "a.example.id"}

    values = setting(
        "settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_SSL_REDIRECT, settings.ACCOUNT_EMAIL_VERIFICATION, "
        "settings.ALLOWED_HOSTS",
        **env,
    )

    assert values == "False True True True mandatory ['a.example.id']"


def test_settings_development_works_without_environment():
    result = run(["manage.py", "check"], environment())

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_settings_database_url_postgres():
    engine = setting(
        "settings.DATABASES['default']['ENGINE'], "
        "settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://u@h:5432/db",
    )

    assert engine == "django.db.backends.postgresql db"


def test_settings_database_url_postgres_keeps_connections():
    values = setting(
        "settings.DATABASES['default']['HOST'], settings.DATABASES['default']['PORT'], "
        "settings.DATABASES['default']['USER'], "
        "settings.DATABASES['default']['CONN_MAX_AGE']",
        DATABASE_URL="postgres://u@h:5432/db",
    )

    assert values == "h 5432 u 60"


def test_settings_database_default_is_sqlite_file():
    values = setting(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']"
    )

    assert values == f"django.db.backends.sqlite3 {PROJECT / 'db.sqlite3'}"


def test_settings_redis_url_selects_redis_cache():
    backend = setting(
        "settings.CACHES['default']['BACKEND']", REDIS_URL="redis://cache:6379/1"
    )

    assert backend == "common.cache.ResilientRedisCache"


def test_settings_celery_eager_without_broker():
    values = setting(
        "settings.CELERY_TASK_ALWAYS_EAGER, "
        "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]"
    )

    assert values == "True LocMemCache"


def test_settings_celery_broker_turns_off_eager():
    eager = setting(
        "settings.CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL="redis://broker:6379/0"
    )

    assert eager == "False"


def test_settings_default_language_indonesian(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]


def test_settings_api_tokens_last_thirty_days_by_default():
    values = setting("settings.API_TOKEN_TTL_DAYS, settings.REST_KNOX['TOKEN_TTL']")

    assert values == "30 30 days, 0:00:00"


def test_settings_api_token_lifetime_from_environment():
    values = setting(
        "settings.API_TOKEN_TTL_DAYS, settings.REST_KNOX['TOKEN_TTL']",
        API_TOKEN_TTL_DAYS="7",
    )

    assert values == "7 7 days, 0:00:00"


def test_settings_trusted_proxy_count_from_environment():
    values = setting(
        "settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.REST_FRAMEWORK['NUM_PROXIES']",
        TRUSTED_PROXY_COUNT="1",
    )

    assert values == "1 1"


def test_settings_login_limits_per_account_and_per_address(settings):
    limits = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")

    assert sorted(limits) == ["100/10m/ip", "5/5m/key"]
