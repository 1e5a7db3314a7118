import logging

from celery import shared_task

from common.errors import DomainError

logger = logging.getLogger(__name__)


@shared_task(name="judging.send_reminders")
def task_send_reminders(*, stage_id: int) -> int:
    """E-mail the judges of a stage whose sheets are not all submitted (once a day)."""
    from contest.models import Stage
    from judging.services import send_reminders

    stage = Stage.objects.select_related("contest").filter(pk=stage_id).first()
    if stage is None:
        logger.info("reminders skipped: stage %s is gone", stage_id)
        return 0
    try:
        return len(send_reminders(stage=stage))
    except DomainError as exc:
        # Queued before the final publication, run after it: nothing to remind of.
        logger.info("reminders skipped for stage %s: %s", stage_id, exc)
        return 0


@shared_task(name="judging.deadline_reminders", acks_late=True, ignore_result=True)
def task_deadline_reminders() -> dict[str, int]:
    """The beat schedule's pass of deadline reminders: delegates with drafts before
    the submission window closes, judges with unsubmitted sheets before a scoring
    stage closes. Safe to run twice, even at once: each reminder has its once-key
    in the outbox, so a second run writes nothing."""
    from judging.services.reminders import send_scoring_deadline_reminders
    from submissions.services.reminders import send_deadline_reminders

    return {
        "delegates": send_deadline_reminders(),
        "judges": send_scoring_deadline_reminders(),
    }
