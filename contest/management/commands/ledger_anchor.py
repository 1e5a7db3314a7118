import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contest import ledger


class Command(BaseCommand):
    help = (
        "Export the audit ledger's head (entry number, hash, time) as JSON, to be kept "
        "outside the database; `verify_ledger --anchor FILE` later checks that the "
        "chain still extends it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write the anchor to FILE (default: standard output).",
        )

    def handle(self, *args, **options):
        text = json.dumps(ledger.head_anchor(), indent=2, sort_keys=True) + "\n"
        output = options.get("output")
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"--output: cannot write {output}: {exc}") from None
        self.stderr.write(f"Ledger anchor written to {output}.")
