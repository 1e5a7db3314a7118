"""Thin Celery wrappers around the results' services; arguments are ids."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="results.generate_minutes")
def task_generate_minutes(*, stage_id: int, user_id: int | None = None) -> str:
    """Write a stage's minutes (berita acara) PDF; answers its SHA-256."""
    from django.contrib.auth import get_user_model

    from contest.models import Stage
    from results.services import generate_minutes

    stage = Stage.objects.select_related("contest").filter(pk=stage_id).first()
    if stage is None:
        logger.info("minutes skipped: stage %s is gone", stage_id)
        return ""
    user = None
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id).first()
    return generate_minutes(stage=stage, by=user).sha256


@shared_task(name="results.compute_results")
def task_compute_results(*, stage_id: int) -> dict:
    """Compute a stage's results (e.g. to check a big stage from a worker): answers
    the number of entries ranked, the sheets used and alpha as text."""
    from contest.enums import StageKind
    from contest.models import Stage
    from results.computing import standings
    from results.selectors import stage_results

    stage = Stage.objects.filter(pk=stage_id, kind=StageKind.SCORING).first()
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
