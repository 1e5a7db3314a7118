"""What backup_site and restore_site refuse before they touch anything (no database)."""

import pytest
from django.core.management.base import CommandError

from contest.management.commands.backup_site import (
    client_environment,
    connection_arguments,
    require_postgres,
)


def test_sqlite_is_refused_with_the_reason():
    with pytest.raises(CommandError, match="for PostgreSQL"):
        require_postgres({"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"})


def test_postgres_is_accepted():
    require_postgres({"ENGINE": "django.db.backends.postgresql", "NAME": "inovasi"})


def test_the_password_travels_in_the_environment_not_the_arguments():
    settings_dict = {
        "HOST": "db.internal",
        "PORT": 5433,
        "USER": "inovasi",
        "PASSWORD": "s3cret",
        "OPTIONS": {"sslmode": "require"},
    }
    arguments = connection_arguments(settings_dict)
    assert arguments == [
        "--host",
        "db.internal",
        "--port",
        "5433",
        "--username",
        "inovasi",
    ]
    assert "s3cret" not in " ".join(arguments)
    environment = client_environment(settings_dict)
    assert environment["PGPASSWORD"] == "s3cret"
    assert environment["PGSSLMODE"] == "require"
