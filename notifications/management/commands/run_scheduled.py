"""`manage.py run_scheduled`: one pass of the scheduled work (the beat schedule in
settings.CELERY_BEAT_SCHEDULE), run here and now, for an installation without a
beat process (a laptop's cron, say)."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run one pass of the scheduled work (the outbox sweep, reminders, ...)."

    def handle(self, *args, **options):
        from celery import current_app as app

        app.loader.import_default_modules()
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            task = app.tasks[entry["task"]]
            result = task.apply(
                args=entry.get("args", ()), kwargs=entry.get("kwargs", {})
            )
            self.stdout.write(f"{name}: {result.result!r}")
