"""A restore rehearsed: the demo contest, published, backed up with `backup_site`,
restored with `restore_site` into a new empty PostgreSQL database, and found the same
there: `verify_ledger` passes, each publication's digest and snapshot bytes and every
media file are unchanged.

The data must be committed for pg_dump to see it, hence transaction=True. The restore
and the verification run in a subprocess whose DATABASE_URL names the new database,
as an operator would run them."""

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from contest import ledger
from contest.demo import CONTEST_SLUG as DEMO_SLUG
from contest.management.commands.backup_site import DUMP, MANIFEST, MEDIA
from results.enums import PublicationKind
from results.models import Publication

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SNAPSHOTS = (
    "SELECT id, kind, digest, snapshot::text FROM results_publication ORDER BY id"
)


def _server() -> dict:
    """How to reach the test database's server (psycopg keyword arguments)."""
    settings_dict = connection.settings_dict
    return {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": int(settings_dict.get("PORT") or 5432),
        "user": settings_dict.get("USER") or "postgres",
        "password": settings_dict.get("PASSWORD") or None,
    }


@pytest.fixture
def empty_database():
    """A new, empty database on the same server (answers its name); dropped after."""
    import psycopg
    from psycopg import sql

    server = _server()
    name = f"inovasi_ops_restored_{os.getpid()}"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(drop)


def _manage(*arguments: str, database: str, media: Path) -> subprocess.CompletedProcess:
    """Run manage.py against another database and media folder."""
    server = _server()
    password = f":{quote(server['password'])}" if server["password"] else ""
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{quote(server['user'])}{password}@{server['host']}:"
            f"{server['port']}/{database}"
        ),
        "MEDIA_ROOT": str(media),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _backup(target: Path) -> dict:
    call_command("backup_site", "--to", str(target), stdout=io.StringIO())
    return json.loads((target / MANIFEST).read_text(encoding="utf-8"))


def test_a_published_contest_comes_back_unchanged(empty_database, tmp_path):
    import psycopg

    call_command("load_demo", stdout=io.StringIO())
    # The first demo contest's (the demo publishes a second one, in the IGA format).
    final = Publication.objects.get(kind=PublicationKind.FINAL, contest__slug=DEMO_SLUG)
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOTS)
        saved = cursor.fetchall()
    media = Path(settings.MEDIA_ROOT)
    saved_files = _files(media)
    assert saved_files, "the demo stores its posters as media files"

    manifest = _backup(tmp_path / "backup")
    assert manifest["database"] == connection.settings_dict["NAME"]
    assert set(manifest["files"]) == {DUMP, MEDIA}
    assert manifest["ledger"]["head"] == {
        key: value
        for key, value in ledger.head_anchor().items()
        if key in ("seq", "hash")
    }
    assert manifest["ledger"]["contests"][final.contest.slug]["hash"]

    restored_media = tmp_path / "restored-media"
    restored = _manage(
        "restore_site",
        "--from",
        str(tmp_path / "backup"),
        database=empty_database,
        media=restored_media,
    )
    assert restored.returncode == 0, restored.stderr
    assert "The ledger is intact" in restored.stdout
    assert "The restored ledger matches the manifest" in restored.stdout

    verified = _manage("verify_ledger", database=empty_database, media=restored_media)
    assert verified.returncode == 0, verified.stderr
    assert "Every publication checks out" in verified.stdout

    with psycopg.connect(dbname=empty_database, **_server()) as restored_db:
        came_back = restored_db.execute(SNAPSHOTS).fetchall()
    assert [tuple(row) for row in came_back] == [tuple(row) for row in saved]
    digest = next(row[2] for row in came_back if row[0] == final.pk)
    snapshot = next(row[3] for row in came_back if row[0] == final.pk)
    assert digest == final.digest
    canonical = ledger.canonical_json(json.loads(snapshot))
    assert canonical == ledger.canonical_json(final.snapshot)
    assert hashlib.sha256(canonical).hexdigest() == final.digest
    assert _files(restored_media) == saved_files


def test_a_database_that_holds_tables_is_refused(tmp_path):
    _backup(tmp_path / "backup")
    with pytest.raises(CommandError, match="is not empty") as caught:
        call_command("restore_site", "--from", str(tmp_path / "backup"))
    assert "--force" in str(caught.value)
    assert "tidak kosong" in str(caught.value)


def test_a_damaged_backup_is_refused_before_the_database_is_touched(tmp_path):
    _backup(tmp_path / "backup")
    dump = tmp_path / "backup" / DUMP
    dump.write_bytes(dump.read_bytes() + b"\0")
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore_site", "--from", str(tmp_path / "backup"), "--force")


def test_the_backup_folder_must_be_empty(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.dump").write_bytes(b"x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_site", "--to", str(tmp_path / "backup"))
