from django.core.management.base import BaseCommand

from contest.regions import load_regions


class Command(BaseCommand):
    help = "Load or update the 552 regions (38 provinces, 416 kabupaten, 98 kota)."

    def handle(self, *args, **options):
        report = load_regions()
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions: {report.total} in the registry "
                f"({report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged)."
            )
        )
