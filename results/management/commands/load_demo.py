from django.core.management import call_command
from django.core.management.base import BaseCommand

from contest.demo import DEMO_PASSWORD, demo_accounts, load_demo_contest
from contest.models import Region
from judging.demo import load_demo_judges, load_demo_judging
from results.demo import load_demo_results
from results.demo_iga.loader import accounts as iga_accounts
from results.demo_iga.loader import load_iga_demo
from submissions.demo import load_demo_submissions


class Command(BaseCommand):
    help = (
        "Load the demo contest (Kontes Kepala Daerah Inovatif 2023, Kota Bima) "
        "with its "
        "accounts. Idempotent. Judges, scores and images in it are illustrative."
    )

    def handle(self, *args, **options):
        if Region.objects.count() < 552:
            call_command("load_regions", stdout=self.stdout)
        contest = load_demo_contest()
        entries = load_demo_submissions(contest)
        load_demo_judges(contest)
        # After the entries: the desk evaluation judges the eligible ones.
        sheets = load_demo_judging(contest)
        load_demo_results(contest)
        iga = load_iga_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo contest ready: {contest.name}"))
        self.stdout.write(self.style.SUCCESS(f"Second demo contest ready: {iga.name}"))
        self.stdout.write(f"Demo entries: {len(entries)} (posters are illustrative)")
        self.stdout.write(
            f"Demo score sheets submitted now: {sheets} (scores are illustrative)"
        )
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for account in demo_accounts():
            where = f" — {account.region}" if account.region else ""
            self.stdout.write(f"  {account.role:<10} {account.email}{where}")
        self.stdout.write(f"In {iga.name}:")
        for account in iga_accounts():
            where = f" — {account.region}" if account.region else ""
            self.stdout.write(f"  {account.role:<10} {account.email}{where}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and sign in with one of them.")
