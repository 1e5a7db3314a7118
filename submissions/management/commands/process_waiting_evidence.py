"""`manage.py process_waiting_evidence`: process here and now every image still
waiting for its metadata to be stripped and its thumbnail made (what the beat's
`submissions.sweep_images` hands to the worker), for an installation without a
worker or after a worker's long outage."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Process every image evidence still waiting (metadata, thumbnail)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=1000, help="At most this many images."
        )

    def handle(self, *args, limit: int, **options):
        from submissions.models import Evidence
        from submissions.services import images_waiting, process_evidence_image

        done = failed = 0
        for evidence_id in images_waiting(limit=limit):
            evidence = Evidence.objects.filter(pk=evidence_id).first()
            if evidence is None:
                continue
            evidence = process_evidence_image(evidence=evidence)
            if evidence.processed_at is not None:
                done += 1
            else:
                failed += 1
                self.stderr.write(f"{evidence_id}: {evidence.processing_error}")
        self.stdout.write(f"processed {done}, could not be read {failed}")
