from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from contest import ledger
from contest.models import AuditEntry, LedgerHead


class Command(BaseCommand):
    help = "Check the audit ledger's hash chain from its first entry to its head."

    def handle(self, *args, **options):
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
        problems = ledger.verify_chain(entries)
        head = LedgerHead.objects.filter(id=1).first()
        last = AuditEntry.objects.order_by("-seq").first()
        if (
            head is not None
            and last is not None
            and (head.last_seq != last.seq or head.last_hash != last.hash)
        ):
            problems.append(
                ledger.LedgerProblem(last.seq, "ledger head does not match")
            )
        for problem in problems:
            self.stderr.write(f"entry #{problem.seq}: {problem.reason}")
        if problems:
            raise CommandError(f"The ledger is broken: {len(problems)} problem(s).")
        # The judging app checks each publication's digest against its snapshot and
        # the ledger (called by name, so that contest does not import judging).
        call_command("verify_publications", stdout=self.stdout, stderr=self.stderr)
        count = last.seq if last else 0
        digest = last.hash if last else ledger.GENESIS_HASH
        self.stdout.write(
            self.style.SUCCESS(f"The ledger is intact: {count} entries, head {digest}.")
        )
