"""Reminders to judges whose sheets of a stage are not all submitted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Stage
from judging import selectors
from judging.models import (
    Judge,
    ReminderLog,
)
from judging.services._common import _guard, _require_scoring

User = get_user_model()


@transaction.atomic
def request_reminders(*, stage: Stage, by: User) -> int:
    """Queue the reminder e-mails (after the commit); answers how many are late."""
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)
    if not stage.is_open():
        raise DomainError(
            _("Reminders are sent only while the stage is open for scoring."),
            status=409,
        )
    count = selectors.late_judges(stage).count()
    ledger.record(
        action="reminders.requested",
        obj=stage,
        by=by,
        contest=stage.contest,
        data={"late_judges": count},
    )
    from judging.tasks import task_send_reminders

    transaction.on_commit(lambda: task_send_reminders.delay(stage_id=stage.pk))
    return count


def send_reminders(*, stage: Stage, today: dt.date | None = None) -> list[Judge]:
    """E-mail every judge whose sheets in the stage are not all submitted, at most once
    a day per judge and stage (safe to run twice). Answers the judges e-mailed.
    Refused (409) once the contest is frozen."""
    stage.contest.refresh_from_db(fields=["frozen_at"])
    ensure_not_frozen(stage.contest)
    today = today or timezone.localdate(timezone=stage.contest.tzinfo)
    sent = []
    for judge in selectors.late_judges(stage):
        try:
            with transaction.atomic():
                ReminderLog.objects.create(stage=stage, judge=judge, sent_on=today)
        except IntegrityError:
            continue
        _send_reminder(stage=stage, judge=judge, count=judge.unsubmitted)
        sent.append(judge)
    return sent


def _send_reminder(*, stage: Stage, judge: Judge, count: int) -> None:
    contest = stage.contest
    context = {
        "judge": judge,
        "stage": stage,
        "contest": contest,
        "count": count,
        "closes": timezone.localtime(stage.closes, contest.tzinfo),
        "tz": contest.timezone_abbreviation,
        "url": settings.SITE_URL.rstrip("/") + reverse("judging:my-assignments"),
    }
    subjects, parts = [], []
    for language in ("id", "en"):
        with translation.override(language):
            subjects.append(
                render_to_string("judging/email/reminder_subject.txt", context).strip()
            )
            parts.append(render_to_string("judging/email/reminder_body.txt", context))
    send_mail(
        subject=" / ".join(subjects),
        message="\n\n----------------------------------------\n\n".join(parts),
        from_email=None,
        recipient_list=[judge.user.email],
    )
