"""What an entry's delegates are told, and who they are: every delegate of the
entry's region in its contest, each once, in their own language.

The notifications carry plain data made here, when they are written (the outbox
renders no dates and builds no links of its own): dates in the recipient's
language and the contest's time zone, links absolute on SITE_URL. Also here: the
marks of the deadline reminders and their once-keys, shared with the judges'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from accounts.models import User
from contest.models import Delegate
from notifications.formatting import link_to, when
from notifications.services import language_of, notify
from submissions.models import Submission


def region_delegates(*, contest_id: int, region_id: str) -> list[User]:
    """The active accounts of a region's delegates in a contest (one query)."""
    return [
        delegate.user
        for delegate in Delegate.objects.filter(
            contest_id=contest_id, region_id=region_id, user__is_active=True
        )
        .select_related("user")
        .order_by("user__email")
    ]


def entry_link(submission: Submission) -> str:
    return link_to("submissions:detail", slug=submission.contest.slug, pk=submission.pk)


def tell_delegates(
    *,
    submission: Submission,
    event: str,
    data: Callable[[str], dict[str, Any]] | None = None,
) -> int:
    """Write `event` to the outbox for each delegate of the entry's region, in the
    caller's transaction: the entry's names and link, and `data(language)` for
    what is written in words (dates). Answers how many were written."""
    contest = submission.contest
    link = entry_link(submission)
    written = 0
    for user in region_delegates(
        contest_id=submission.contest_id, region_id=submission.region_id
    ):
        language = language_of(user)
        context = {
            "name": user.name or user.email,
            "entry_title": submission.title,
            "region_name": submission.region.name,
            "contest_name": contest.name,
            "tz": contest.timezone_abbreviation,
            "url": link,
            **(data(language) if data else {}),
        }
        if notify(recipient=user, event=event, context=context, contest_id=contest.pk):
            written += 1
    return written


def notify_received(*, submission: Submission, resubmission: bool) -> int:
    """The receipt: when it was submitted, its number, what happens next."""
    tzinfo = submission.contest.tzinfo
    return tell_delegates(
        submission=submission,
        event="submission.received",
        data=lambda language: {
            "submitted_at": when(
                submission.submitted_at, tzinfo=tzinfo, language=language
            ),
            "receipt_number": submission.receipt_number,
            "resubmission": resubmission,
        },
    )


def notify_revision_requested(*, submission: Submission) -> int:
    """The organizers' notes and the deadline for the revised entry."""
    tzinfo = submission.contest.tzinfo
    return tell_delegates(
        submission=submission,
        event="submission.revision_requested",
        data=lambda language: {
            "note": submission.revision_note,
            "deadline": when(
                submission.revision_deadline, tzinfo=tzinfo, language=language
            ),
        },
    )


def notify_screened(*, submission: Submission, eligible: bool) -> int:
    """The screening decision, its reason if any, and what follows from it."""
    return tell_delegates(
        submission=submission,
        event="submission.screened",
        data=lambda language: {
            "eligible": eligible,
            "reason": submission.screening_reason,
        },
    )


# ---------------------------------------------------------------- deadline marks
# When the reminders before a window closes are due, and their once-keys: the
# delegates' (submissions.services.reminders, whose docstring says what "3 days
# before, in the contest's zone" means) and the judges' (judging.services.reminders).

THREE_DAYS = dt.timedelta(hours=72)
ONE_DAY = dt.timedelta(hours=24)


def reminder_mark(*, closes: dt.datetime, now: dt.datetime) -> str | None:
    """Which reminder is due for a window closing at `closes`: "1d" within 24
    hours, "3d" within 72 hours, None when it is further away or already closed."""
    left = closes - now
    if left <= dt.timedelta(0) or left > THREE_DAYS:
        return None
    return "1d" if left <= ONE_DAY else "3d"


def once_key(
    *, event: str, kind: str, pk: int, closes: dt.datetime, mark: str, user_pk: int
) -> str:
    """The outbox key of one reminder of one window to one person."""
    closing = closes.astimezone(dt.UTC).isoformat()
    return f"{event}:{kind}:{pk}:{closing}:{mark}:{user_pk}"
