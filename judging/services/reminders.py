"""Reminders to judges whose sheets of a stage are not all submitted: the ones an
organizer requests (`request_reminders`, at most once a day) and the scheduled
ones before a scoring stage closes (`send_scoring_deadline_reminders`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.enums import StageKind
from contest.models import Stage
from judging import selectors
from judging.models import (
    Judge,
    ReminderLog,
)
from judging.services._common import _guard, _require_scoring
from notifications.formatting import link_to, when
from notifications.services import language_of, notify
from submissions.notices import THREE_DAYS, once_key, reminder_mark

User = get_user_model()


@transaction.atomic
def request_reminders(*, stage: Stage, by: User) -> int:
    """Write the reminders of the judges whose sheets are not all submitted to the
    outbox with the request (sent after the commit, or by the sweep when the
    broker is down); answers how many judges were reminded now: those already
    reminded today are not reminded again, so a second request the same day
    answers 0."""
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)
    if not stage.is_open():
        raise DomainError(
            _("Reminders are sent only while the stage is open for scoring."),
            status=409,
        )
    count = selectors.late_judges(stage).count()
    reminded = send_reminders(stage=stage)
    ledger.record(
        action="reminders.requested",
        obj=stage,
        by=by,
        contest=stage.contest,
        data={"late_judges": count, "reminded": len(reminded)},
    )
    return len(reminded)


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


def send_scoring_deadline_reminders(*, now: dt.datetime | None = None) -> int:
    """Write the due `judging.deadline` reminders to the outbox: to every judge
    with unsubmitted sheets in a scoring stage that is open and closes within 72
    hours, 3 days and 1 day before it closes, once per stage, closing time, mark
    and judge (the marks and keys are those of the delegates' reminders,
    submissions.services.reminders, whose docstring says what "3 days before, in
    the contest's zone" means). Frozen contests are left out by the query, so the
    scheduled pass never meets the frozen guard. Answers how many were written (0
    when run again); three queries, then the outbox's own per reminder."""
    now = now or timezone.now()
    stages = {
        stage.pk: stage
        for stage in Stage.objects.filter(
            kind=StageKind.SCORING,
            contest__frozen_at__isnull=True,
            opens__lte=now,
            closes__gt=now,
            closes__lte=now + THREE_DAYS,
        ).select_related("contest")
    }
    if not stages:
        return 0
    late = list(
        selectors.late_assignments(stages)
        .values_list("stage_id", "judge_id")
        .annotate(count=Count("pk"))
        .order_by("stage_id", "judge_id")
    )
    judges = Judge.objects.select_related("user").in_bulk({row[1] for row in late})
    written = 0
    with transaction.atomic():
        for stage_id, judge_id, count in late:
            stage = stages[stage_id]
            if _remind_of_deadline(
                stage=stage, judge=judges[judge_id], count=count, now=now
            ):
                written += 1
    return written


def _remind_of_deadline(
    *, stage: Stage, judge: Judge, count: int, now: dt.datetime
) -> bool:
    mark = reminder_mark(closes=stage.closes, now=now)
    if mark is None:
        return False
    contest = stage.contest
    language = language_of(judge.user)
    row = notify(
        recipient=judge.user,
        event="judging.deadline",
        context={
            "judge_name": judge.name or judge.user.email,
            "stage_name": stage.name,
            "contest_name": contest.name,
            "count": count,
            "closes": when(stage.closes, tzinfo=contest.tzinfo, language=language),
            "tz": contest.timezone_abbreviation,
            "mark": mark,
            "url": link_to("judging:my-assignments"),
        },
        contest_id=contest.pk,
        once_key=once_key(
            event="judging.deadline",
            kind="stage",
            pk=stage.pk,
            closes=stage.closes,
            mark=mark,
            user_pk=judge.user_id,
        ),
    )
    return row is not None
