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


@shared_task(name="judging.build_pack")
def task_build_pack(*, pack_id: int) -> str:
    """Build a file prepared for offline judging (judging.packs); answers
    its state."""
    from judging.models import Pack
    from judging.packs import build_pack

    pack = (
        Pack.objects.select_related("stage", "category", "judge")
        .filter(pk=pack_id)
        .first()
    )
    if pack is None:
        logger.info("pack skipped: %s is gone", pack_id)
        return ""
    return build_pack(pack=pack).state


@shared_task(name="judging.sweep_packs", acks_late=True, ignore_result=True)
def task_sweep_packs() -> dict[str, int]:
    """The beat schedule's pass over the files prepared for offline judging: the
    queued ones whose task was lost queued again, the lost builds marked failed,
    the old ones deleted (judging.packs.sweep_packs)."""
    from judging.packs import sweep_packs

    return sweep_packs()
