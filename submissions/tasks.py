"""The submissions app's tasks: an image's processing, and the sweep of images
whose processing was lost. Both are safe to run twice: a processed image is left
alone, and two runs over one image keep one result (process_evidence_image)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


def _storage_errors() -> tuple[type[Exception], ...]:
    """What the storage raises for a request that may go through later: the
    file system's and the network's errors, and the S3 client's."""
    errors: list[type[Exception]] = [OSError, TimeoutError]
    try:
        from botocore.exceptions import BotoCoreError

        errors.append(BotoCoreError)
    except ImportError:  # pragma: no cover - botocore comes with django-storages[s3]
        pass
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


@shared_task(
    name="submissions.process_image",
    acks_late=True,
    ignore_result=True,
    autoretry_for=STORAGE_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def task_process_image(*, evidence_id: int) -> None:
    """Strip an image's metadata, make its thumbnail (process_evidence_image).
    Retried only when the storage could not be reached; an image that cannot be
    read is marked with the reason, which its delegate and the organizers see."""
    from submissions.models import Evidence
    from submissions.services import process_evidence_image

    evidence = (
        Evidence.objects.select_related("submission").filter(pk=evidence_id).first()
    )
    if evidence is None:
        logger.info("image processing skipped: evidence %s is gone", evidence_id)
        return
    process_evidence_image(evidence=evidence)


@shared_task(name="submissions.sweep_images", acks_late=True, ignore_result=True)
def sweep_waiting_images() -> int:
    """Hand every image still waiting to be processed to the worker again (the
    beat schedule's pass); answers how many were queued."""
    from submissions.services import images_waiting

    waiting = images_waiting()
    for evidence_id in waiting:
        task_process_image.delay(evidence_id=evidence_id)
    if waiting:
        logger.warning("%s waiting image(s) queued again", len(waiting))
    return len(waiting)
