"""The stage minutes (berita acara): a PDF record of what a closed stage decided.

Written after the freeze too, on purpose: a minutes PDF reads the frozen figures
and writes a new StageMinutes row beside the old ones, never a figure, a decision
or the snapshot; the minutes an advancement queues may run after the final
publication when the broker is slow, and must not be lost then.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.queueing import enqueue
from contest import ledger
from contest.models import Stage
from judging.models import Judge
from results import pdf, selectors
from results.models import (
    StageMinutes,
)
from results.services.publication import _ledger_head
from results.tasks import task_generate_minutes

User = get_user_model()

# ---------------------------------------------------------------- minutes


def request_minutes(*, stage: Stage, by: User | None) -> None:
    """Generate the stage's minutes after the commit (a Celery task). Still
    allowed once the contest is frozen: minutes are a record (module docstring).
    When the broker cannot take the task, they are written here and now: the
    change that asked for them is committed, and the record is not lost."""
    user_id = getattr(by, "pk", None)

    def queue() -> None:
        if not enqueue(task_generate_minutes, stage_id=stage.pk, user_id=user_id):
            generate_minutes(stage=stage, by=by)

    transaction.on_commit(queue)


@transaction.atomic
def generate_minutes(*, stage: Stage, by: User | None = None) -> StageMinutes:
    """Write the minutes (berita acara) of a scoring stage as a PDF: its panel, the
    entries with their scores, the reliability, the advancement decision and the
    audit ledger's head hash at this moment. Stored and audited with its SHA-256.
    Not refused after the final publication: a record of the frozen figures, not a
    change to them (see the module docstring)."""
    if not stage.is_scoring:
        raise DomainError(_("Only a scoring stage has results."), status=409)
    page = selectors.stage_page(stage)
    panel = list(
        Judge.objects.filter(assignments__stage=stage)
        .select_related("user")
        .distinct()
        .order_by("name", "pk")
    )
    head_hash = _ledger_head()
    generated_at = timezone.now().replace(microsecond=0)
    content = pdf.minutes_pdf(
        page=page, panel=panel, ledger_head=head_hash, generated_at=generated_at
    )
    digest = hashlib.sha256(content).hexdigest()
    minutes = StageMinutes(
        stage=stage,
        sha256=digest,
        ledger_head_hash=head_hash,
        generated_at=generated_at,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    minutes.file.save("minutes.pdf", ContentFile(content), save=False)
    minutes.save()
    ledger.record(
        action="results.minutes_generated",
        obj=minutes,
        by=by,
        contest=stage.contest,
        data={"stage": stage.pk, "sha256": digest, "ledger_head": head_hash},
    )
    return minutes
