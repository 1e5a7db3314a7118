"""`restore_site --from DIR`: the inverse of `backup_site`, then the proof that what
came back is what was saved (`verify_ledger` and each contest's ledger head)."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from contest.management.commands.backup_site import (
    DUMP,
    FORMAT,
    MANIFEST,
    MEDIA,
    connection_arguments,
    file_sha256,
    ledger_heads,
    media_root,
    require_postgres,
    require_tool,
    run_client,
)


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup_site` into the configured PostgreSQL "
        "database (which must be empty unless --force) and MEDIA_ROOT, then run "
        "verify_ledger and compare each contest's ledger head with the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", required=True, metavar="DIR", dest="source")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the tables of a database that is not empty.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to restore into (default: default).",
        )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        settings_dict = connection.settings_dict
        require_postgres(settings_dict)
        pg_restore = require_tool("pg_restore")
        source = Path(options["source"])
        manifest = self._manifest(source)
        self._check_files(source, manifest)
        tables = connection.introspection.table_names()
        if tables and not options["force"]:
            raise CommandError(
                f"The database {settings_dict['NAME']} is not empty: it already holds "
                f"{len(tables)} table(s), and restoring would mix two sites. Restore "
                "into a new, empty database, or add --force to replace what it holds.\n"
                f"Basis data {settings_dict['NAME']} tidak kosong: sudah berisi "
                f"{len(tables)} tabel. Pulihkan ke basis data baru yang kosong, atau "
                "tambahkan --force untuk menimpa isinya."
            )
        connection.close()
        self._restore(pg_restore, settings_dict, source / DUMP, clean=bool(tables))
        if (source / MEDIA).exists():
            self._restore_media(source / MEDIA)
        self.stdout.write(f"Restored {source} into {settings_dict['NAME']}.")
        self._verify(manifest)

    def _manifest(self, source: Path) -> dict[str, Any]:
        try:
            manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(
                f"--from {source}: no readable {MANIFEST}: {exc}"
            ) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise CommandError(
                f"--from {source}: {MANIFEST} is not a backup_site manifest "
                f"(format {FORMAT})."
            )
        return manifest

    def _check_files(self, source: Path, manifest: dict[str, Any]) -> None:
        """Every file the manifest lists is there with its SHA-256, before anything
        in the database is touched."""
        files = manifest.get("files") or {}
        if DUMP not in files:
            raise CommandError(f"--from {source}: the manifest lists no {DUMP}.")
        for name, expected in files.items():
            path = source / Path(name).name
            if not path.is_file():
                raise CommandError(f"--from {source}: {name} is missing.")
            if file_sha256(path) != expected:
                raise CommandError(
                    f"--from {source}: {name} does not match its SHA-256 in the "
                    "manifest; the backup is damaged or was changed."
                )

    def _restore(
        self, pg_restore: str, settings_dict: dict[str, Any], dump: Path, *, clean: bool
    ) -> None:
        run_client(
            [
                pg_restore,
                *connection_arguments(settings_dict),
                "--dbname",
                str(settings_dict["NAME"]),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *(["--clean", "--if-exists"] if clean else []),
                str(dump),
            ],
            settings_dict,
        )

    def _restore_media(self, archive_path: Path) -> None:
        media = media_root()
        if media is None:
            self.stderr.write(
                f"{MEDIA} not restored: the site keeps its files in object storage."
            )
            return
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive_path, "r") as archive:
            # "data" refuses absolute paths, links out of the folder and devices.
            archive.extractall(media, filter="data")

    def _verify(self, manifest: dict[str, Any]) -> None:
        """verify_ledger on what came back, then each contest's head against the
        manifest: a restore that verifies but ends elsewhere is not the backup."""
        call_command("verify_ledger", stdout=self.stdout, stderr=self.stderr)
        saved = manifest.get("ledger") or {}
        now = ledger_heads()
        mismatches = []
        if saved.get("head") != now["head"]:
            mismatches.append(
                f"ledger head: manifest {saved.get('head')}, restored {now['head']}"
            )
        contests = saved.get("contests") or {}
        for slug in sorted(set(contests) | set(now["contests"])):
            if contests.get(slug) != now["contests"].get(slug):
                mismatches.append(
                    f"contest {slug}: manifest {contests.get(slug)}, "
                    f"restored {now['contests'].get(slug)}"
                )
        if mismatches:
            raise CommandError(
                "The restored ledger does not match the backup's manifest:\n"
                + "\n".join(mismatches)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The restored ledger matches the manifest: head "
                f"#{now['head']['seq']} {now['head']['hash']}, "
                f"{len(now['contests'])} contest(s)."
            )
        )
