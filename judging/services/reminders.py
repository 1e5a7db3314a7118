"""Reminders to judges whose sheets of a stage are not all submitted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone, translation
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
from notifications.services import language_of, notify

User = get_user_model()


@transaction.atomic
def request_reminders(*, stage: Stage, by: User) -> int:
    """Write the reminders of the judges whose sheets are not all submitted to the
    outbox with the request (sent after the commit, or by the sweep when the
    broker is down); answers how many judges are late."""
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
    send_reminders(stage=stage)
    return count


def send_reminders(*, stage: Stage, today: dt.date | None = None) -> list[Judge]:
    """Remind every judge whose sheets in the stage are not all submitted, at most
    once a day per judge and stage (safe to run twice): the day's ReminderLog row
    and the notification are written together. Answers the judges reminded.
    Refused (409) once the contest is frozen."""
    stage.contest.refresh_from_db(fields=["frozen_at"])
    ensure_not_frozen(stage.contest)
    today = today or timezone.localdate(timezone=stage.contest.tzinfo)
    sent = []
    for judge in selectors.late_judges(stage):
        try:
            with transaction.atomic():
                ReminderLog.objects.create(stage=stage, judge=judge, sent_on=today)
                _notify_reminder(stage=stage, judge=judge, count=judge.unsubmitted)
        except IntegrityError:
            continue
        sent.append(judge)
    return sent


def _notify_reminder(*, stage: Stage, judge: Judge, count: int) -> None:
    """The reminder's plain data; the closing time is written in the judge's
    language and the contest's time zone (the outbox renders no dates)."""
    contest = stage.contest
    with translation.override(language_of(judge.user)):
        closes = dateformat.format(
            timezone.localtime(stage.closes, contest.tzinfo), "j F Y, H:i"
        )
    notify(
        recipient=judge.user,
        event="judging.reminder",
        context={
            "judge_name": judge.name or judge.user.email,
            "stage_name": stage.name,
            "contest_name": contest.name,
            "count": count,
            "closes": closes,
            "tz": contest.timezone_abbreviation,
            "url": settings.SITE_URL.rstrip("/") + reverse("judging:my-assignments"),
        },
        contest_id=contest.pk,
    )
