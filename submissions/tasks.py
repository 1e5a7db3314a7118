import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="submissions.process_image")
def task_process_image(*, evidence_id: int) -> None:
    """Strip an image's metadata, make its thumbnail (process_evidence_image)."""
    from submissions.models import Evidence
    from submissions.services import process_evidence_image

    evidence = (
        Evidence.objects.select_related("submission").filter(pk=evidence_id).first()
    )
    if evidence is None:
        logger.info("image processing skipped: evidence %s is gone", evidence_id)
        return
    process_evidence_image(evidence=evidence)
