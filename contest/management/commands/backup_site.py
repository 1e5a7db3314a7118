"""`backup_site --to DIR`: a PostgreSQL dump, the media files and a manifest.

The helpers here are shared with `restore_site`, which reads what this writes.
PostgreSQL only: on SQLite both commands refuse (copy the database file with the site
stopped instead; see docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Max
from django.utils import timezone

from contest import ledger
from contest.models import AuditEntry, Contest

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar"
FORMAT = 1


def require_postgres(settings_dict: dict[str, Any]) -> None:
    """The dump and restore go through pg_dump and pg_restore; other engines refuse."""
    if "postgresql" not in settings_dict.get("ENGINE", ""):
        raise CommandError(
            "backup_site and restore_site are for PostgreSQL "
            "(DATABASE_URL=postgres://…); this site uses "
            f"{settings_dict.get('ENGINE')}. "
            "On SQLite, stop the site and copy the database file and MEDIA_ROOT "
            "instead (docs/operations.md)."
        )


def require_tool(name: str) -> str:
    """The full path of a PostgreSQL client program, or a CommandError naming it."""
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"{name} is not installed (or not on PATH): install the PostgreSQL client "
            "programs of the server's major version (Debian: postgresql-client)."
        )
    return found


def connection_arguments(settings_dict: dict[str, Any]) -> list[str]:
    """pg_dump/pg_restore options for the database's host, port and user."""
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    return arguments


def client_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment for a client program: the password travels in PGPASSWORD,
    never on a command line that `ps` shows."""
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = settings_dict.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def run_client(arguments: list[str], settings_dict: dict[str, Any]) -> None:
    """Run a client program (an argument list, no shell); its errors become a
    CommandError with what it printed."""
    done = subprocess.run(  # noqa: S603 (a fixed program and our own arguments)
        arguments,
        env=client_environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise CommandError(
            f"{Path(arguments[0]).name} failed (exit {done.returncode}):\n"
            f"{done.stderr.strip()}"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def ledger_heads() -> dict[str, Any]:
    """The ledger's head and, for each contest, its last entry (seq and hash; None for
    a contest without one). The chain is one for the whole site, so a contest's head
    is the last entry that names it."""
    last_seqs = dict(
        AuditEntry.objects.exclude(contest_slug="")
        .values("contest_slug")
        .annotate(last=Max("seq"))
        .values_list("contest_slug", "last")
    )
    hashes = dict(
        AuditEntry.objects.filter(seq__in=last_seqs.values()).values_list("seq", "hash")
    )
    contests: dict[str, Any] = {
        slug: {"seq": seq, "hash": hashes[seq]} for slug, seq in last_seqs.items()
    }
    for slug in Contest.objects.values_list("slug", flat=True):
        contests.setdefault(slug, None)
    anchor = ledger.head_anchor()
    return {
        "head": {"seq": anchor["seq"], "hash": anchor["hash"]},
        "contests": dict(sorted(contests.items())),
    }


def media_root() -> Path | None:
    """The local media folder, or None when files live in object storage (S3),
    which has its own versioning and is not copied."""
    if getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        return None
    return Path(settings.MEDIA_ROOT)


class Command(BaseCommand):
    help = (
        "Back up the site into an empty or new folder: the PostgreSQL database "
        f"({DUMP}, pg_dump custom format), MEDIA_ROOT ({MEDIA}) and {MANIFEST} (when, "
        "the database, each contest's ledger head, the files' SHA-256). "
        "`restore_site --from DIR` restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, metavar="DIR", dest="target")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to back up (default: default).",
        )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        settings_dict = connection.settings_dict
        require_postgres(settings_dict)
        pg_dump = require_tool("pg_dump")
        target = self._target(Path(options["target"]))

        # The heads are read before the dump starts: a write in between makes the
        # dump's heads later than the manifest's, which the restore reports.
        heads = ledger_heads()
        self._dump(pg_dump, settings_dict, target / DUMP)
        files = {DUMP: file_sha256(target / DUMP)}
        media = media_root()
        if media is not None:
            self._archive_media(media, target / MEDIA)
            files[MEDIA] = file_sha256(target / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().replace(microsecond=0).isoformat(),
            "database": settings_dict["NAME"],
            "media": "included" if media is not None else "object storage, not copied",
            "ledger": heads,
            "files": files,
        }
        (target / MANIFEST).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {settings_dict['NAME']} to {target}: ledger head "
                f"#{heads['head']['seq']} {heads['head']['hash']}, "
                f"{len(heads['contests'])} contest(s)."
            )
        )

    def _target(self, target: Path) -> Path:
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"--to {target}: the folder is not empty.")
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"--to {target}: cannot create it: {exc}") from None
        return target

    def _dump(self, pg_dump: str, settings_dict: dict[str, Any], path: Path) -> None:
        run_client(
            [
                pg_dump,
                *connection_arguments(settings_dict),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(path),
                "--dbname",
                str(settings_dict["NAME"]),
            ],
            settings_dict,
        )

    def _archive_media(self, media: Path, path: Path) -> None:
        with tarfile.open(path, "w") as archive:
            if media.is_dir():
                for child in sorted(media.iterdir()):
                    archive.add(child, arcname=child.name)
