import logging

from celery import shared_task

from config.errors import DomainError

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


# ---------------------------------------------------------------- results


@shared_task(name="judging.generate_minutes")
def task_generate_minutes(*, stage_id: int, user_id: int | None = None) -> str:
    """Write a stage's minutes (berita acara) PDF; answers its SHA-256."""
    from django.contrib.auth import get_user_model

    from contest.models import Stage
    from judging.results_services import generate_minutes

    stage = Stage.objects.select_related("contest").filter(pk=stage_id).first()
    if stage is None:
        logger.info("minutes skipped: stage %s is gone", stage_id)
        return ""
    user = None
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id).first()
    return generate_minutes(stage=stage, by=user).sha256


@shared_task(name="judging.compute_results")
def task_compute_results(*, stage_id: int) -> dict:
    """Compute a stage's results (e.g. to check a big stage from a worker): answers
    the number of entries ranked, the sheets used and alpha as text."""
    from contest.models import Stage
    from judging import standings
    from judging.results_selectors import stage_results

    stage = Stage.objects.filter(pk=stage_id, kind="scoring").first()
    if stage is None:
        logger.info("results skipped: stage %s is gone", stage_id)
        return {}
    computation = stage_results(stage)
    computed = computation.results
    return {
        "stage": stage.pk,
        "entries": 0
        if computed is None
        else sum(1 for e in computed.entries if e.raw_score is not None),
        "sheets": len(computation.sheets),
        "alpha": None if computed is None else standings.alpha_text(computed.alpha),
    }
