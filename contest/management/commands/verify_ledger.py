from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from contest import ledger
from contest.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Check the audit ledger: the hash chain from its first entry to its head, the "
        "head row, every audited row against its last entry (and that it has one), "
        "the anchors given, and each publication (verify_publications)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="FILE",
            help=(
                "An anchor exported by `ledger_anchor`: the chain must still extend "
                "it. May be given more than once."
            ),
        )

    def handle(self, *args, **options):
        anchors = [(name, self._read_anchor(name)) for name in options["anchor"]]
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        count = last.seq if last else 0
        digest = last.hash if last else ledger.GENESIS_HASH
        self.stdout.write(f"Chain head: entry #{count}, hash {digest}")

        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
        problems = ledger.verify_chain(entries)
        problems += ledger.verify_head()
        for name, (seq, anchor_hash) in anchors:
            found = ledger.check_anchor(seq, anchor_hash)
            problems += found
            if not found:
                self.stdout.write(f"The chain extends the anchor {name} (#{seq}).")
        for problem in problems:
            self.stderr.write(f"entry #{problem.seq}: {problem.reason}")

        rows = ledger.verify_rows()
        for problem in rows.problems:
            entry = f" (entry #{problem.seq})" if problem.seq else ""
            self.stderr.write(
                f"{problem.object_type} {problem.object_id}{entry}: {problem.reason}"
            )
        total = len(problems) + len(rows.problems)

        # The judging app checks each publication's digest against its snapshot and
        # the ledger (called by name, so that contest does not import judging).
        publications_ok = True
        try:
            call_command("verify_publications", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            self.stderr.write(str(exc))
            publications_ok = False

        if total or not publications_ok:
            parts = [f"{total} problem(s)"]
            if not publications_ok:
                parts.append("publications do not check out")
            raise CommandError(
                f"The ledger is broken: {', '.join(parts)}. Head: #{count} {digest}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The ledger is intact: {count} entries, head {digest}; "
                f"{rows.checked} audited rows match their last entry."
            )
        )

    def _read_anchor(self, name: str) -> tuple[int, str]:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"--anchor: cannot read {name}: {exc}") from None
        try:
            return ledger.parse_anchor(text)
        except ledger.AnchorError as exc:
            raise CommandError(f"--anchor {name}: {exc.field}: {exc}") from None
