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
from results import documents, pdf, selectors
from results.models import (
    StageMinutes,
)
from results.services.guards import _lock
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


def _minutes_number(*, stage: Stage, when) -> str:
    """The next minutes' number by the contest's pattern: {number} counts the
    contest's minutes so far, one more (called under the contest's lock)."""
    contest = stage.contest
    pattern = documents.document_settings(contest).minutes_pattern
    sequence = StageMinutes.objects.filter(stage__contest=contest).count() + 1
    local = timezone.localtime(when, contest.tzinfo)
    return documents.document_number(
        pattern, number=sequence, when=local.date(), stage=stage.order
    )


@transaction.atomic
def generate_minutes(*, stage: Stage, by: User | None = None) -> StageMinutes:
    """Write the minutes (berita acara) of a scoring stage as a PDF: its panel, the
    entries with their scores, the reliability, the advancement decision and the
    audit ledger's head hash at this moment. Stored and audited with its SHA-256.
    Not refused after the final publication: a record of the frozen figures, not a
    change to them (see the module docstring)."""
    if stage.is_indicator:
        raise DomainError(
            _(
                "An indicator stage has no minutes: its record is the validation "
                "of each indicator and the published index."
            ),
            status=409,
        )
    if not stage.is_scoring:
        raise DomainError(_("Only a scoring stage has results."), status=409)
    # One at a time per contest, so that no two minutes share a number.
    _lock(stage.contest)
    page = selectors.stage_page(stage)
    panel = list(
        Judge.objects.filter(assignments__stage=stage)
        .select_related("user")
        .distinct()
        .order_by("name", "pk")
    )
    head_hash = _ledger_head()
    generated_at = timezone.now().replace(microsecond=0)
    number = _minutes_number(stage=stage, when=generated_at)
    settings = documents.document_settings(stage.contest)
    content = pdf.minutes_pdf(
        page=page,
        panel=panel,
        ledger_head=head_hash,
        generated_at=generated_at,
        number=number,
        place_date=settings.place_and_date(stage.contest, generated_at),
        signatories=settings.minutes_signatories,
    )
    digest = hashlib.sha256(content).hexdigest()
    minutes = StageMinutes(
        stage=stage,
        sha256=digest,
        ledger_head_hash=head_hash,
        generated_at=generated_at,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
        number=number,
    )
    minutes.file.save("minutes.pdf", ContentFile(content), save=False)
    minutes.save()
    ledger.record(
        action="results.minutes_generated",
        obj=minutes,
        by=by,
        contest=stage.contest,
        # The number is printed in the PDF, which the SHA-256 covers.
        data={"stage": stage.pk, "sha256": digest, "ledger_head": head_hash},
    )
    return minutes
