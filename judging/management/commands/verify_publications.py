from django.core.management.base import BaseCommand, CommandError

from judging.results_selectors import publication_problems


class Command(BaseCommand):
    help = (
        "Recompute each publication's digest from its stored snapshot and check that "
        "the audit ledger records that digest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contest", help="Only this contest (its slug).")

    def handle(self, *args, **options):
        checked, problems = publication_problems(contest_slug=options.get("contest"))
        for problem in problems:
            self.stderr.write(
                f"publication #{problem.publication_id}: {problem.reason}"
            )
        if problems:
            raise CommandError(
                f"Publications do not check out: {len(problems)} problem(s)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Every publication checks out: {checked} digest(s) match their "
                "snapshot and the ledger."
            )
        )
