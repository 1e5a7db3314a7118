from django.core.management.base import BaseCommand, CommandError

from contest import ledger
from results.models import Publication, StageMinutes
from results.selectors import publication_problems


class Command(BaseCommand):
    help = (
        "Recompute each publication's digest from its stored snapshot and check that "
        "the audit ledger records that digest, and that the ledger head each "
        "publication and each stage's minutes recorded is still an entry of the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contest", help="Only this contest (its slug).")

    def handle(self, *args, **options):
        slug = options.get("contest")
        checked, problems = publication_problems(contest_slug=slug)
        for problem in problems:
            self.stderr.write(
                f"publication #{problem.publication_id}: {problem.reason}"
            )
        heads = head_problems(contest_slug=slug)
        for problem in heads:
            self.stderr.write(problem)
        if problems or heads:
            raise CommandError(
                "Publications do not check out: "
                f"{len(problems) + len(heads)} problem(s)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Every publication checks out: {checked} digest(s) match their "
                "snapshot and the ledger."
            )
        )


def head_problems(*, contest_slug: str | None = None) -> list[str]:
    """A publication's or a minutes' recorded ledger head that is no longer an entry
    of the chain: the chain was cut back (or rewritten) after it was published."""
    publications = Publication.objects.exclude(ledger_head_hash="").order_by("pk")
    minutes = StageMinutes.objects.exclude(ledger_head_hash="").order_by("pk")
    if contest_slug:
        publications = publications.filter(contest__slug=contest_slug)
        minutes = minutes.filter(stage__contest__slug=contest_slug)
    out = []
    for pk, digest in publications.values_list("pk", "ledger_head_hash"):
        if not ledger.chain_has_hash(digest):
            out.append(
                f"publication #{pk}: the ledger head it recorded ({digest}) is not "
                "an entry of the chain"
            )
    for pk, digest in minutes.values_list("pk", "ledger_head_hash"):
        if not ledger.chain_has_hash(digest):
            out.append(
                f"minutes #{pk}: the ledger head they recorded ({digest}) is not "
                "an entry of the chain"
            )
    return out
