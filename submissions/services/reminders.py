"""Deadline reminders to delegates whose region still has drafts when a contest's
submission window is about to close (run by the beat schedule: judging.tasks).

When they go out, and what "3 days before, in the contest's time zone" means
    A window closes at one instant; the contest's zone (WIB, WITA, WIT) is how
    that instant is written to its people, and the reminder states it so ("5 March
    2099, 16.00 WITA"). The marks count hours back from that instant, so they do
    not depend on the zone the servers run in: the 3-day reminder goes out once
    the close is at most 72 hours away and more than 24 hours away, the 1-day
    reminder once it is at most 24 hours away. A pass that finds a window already
    inside the 1-day mark (a window opened late, a schedule that did not run)
    sends only the 1-day reminder, never a stale 3-day one after it.

Never twice for the same window and person
    Each reminder has a once-key naming the event, the contest, the closing
    instant (in UTC), the mark and the person; the outbox writes one notification
    per key, so running the pass again (or twice at once) sends nothing more,
    while a window moved to a new closing time gets its own reminders.

Frozen contests and closed windows are left out by the query itself, so the
scheduled pass never meets the frozen guard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Contest, Delegate
from notifications.formatting import link_to, when
from notifications.services import language_of, notify
from submissions.enums import SubmissionState
from submissions.models import Submission
from submissions.notices import THREE_DAYS, once_key, reminder_mark
from submissions.services._common import _committed


@dataclass
class _Region:
    """One region's drafts in one contest."""

    contest: Contest
    region_name: str
    drafts: list[str]


def send_deadline_reminders(*, now: dt.datetime | None = None) -> int:
    """Write the due `submission.deadline` reminders to the outbox: to every
    delegate of a region with unsubmitted drafts in a contest whose submission
    window is open and closes within 72 hours. Answers how many were written (0
    when run again). Three queries, whatever the number of contests and
    delegates, then the outbox's own per reminder."""
    now = now or timezone.now()
    contests = list(
        Contest.objects.filter(
            frozen_at__isnull=True,
            submission_opens__lte=now,
            submission_closes__gt=now,
            submission_closes__lte=now + THREE_DAYS,
        )
    )
    regions = _regions_with_drafts(contests)
    if not regions:
        return 0
    delegates = (
        Delegate.objects.filter(
            contest__in=contests,
            region_id__in={key[1] for key in regions},
            user__is_active=True,
        )
        .select_related("user")
        .order_by("contest_id", "user__email")
    )
    written = 0
    with transaction.atomic():
        for delegate in delegates:
            region = regions.get((delegate.contest_id, delegate.region_id))
            if region is not None and _remind(
                delegate=delegate, region=region, now=now
            ):
                written += 1
    return written


def _regions_with_drafts(contests: list[Contest]) -> dict[tuple[int, str], _Region]:
    """The drafts of each (contest, region) of `contests`, by title (one query)."""
    by_pk = {contest.pk: contest for contest in contests}
    regions: dict[tuple[int, str], _Region] = {}
    drafts = (
        Submission.objects.filter(contest__in=contests, state=SubmissionState.DRAFT)
        .order_by("title", "pk")
        .values_list("contest_id", "region_id", "region__name", "title")
    )
    for contest_id, region_id, region_name, title in drafts:
        key = (contest_id, region_id)
        if key not in regions:
            regions[key] = _Region(by_pk[contest_id], region_name, [])
        regions[key].drafts.append(title)
    return regions


def _remind(
    *, delegate: Delegate, region: _Region, now: dt.datetime, mark: str | None = None
) -> bool:
    contest = region.contest
    closes = contest.submission_closes
    mark = mark or reminder_mark(closes=closes, now=now)
    if mark is None:
        return False
    user = delegate.user
    language = language_of(user)
    row = notify(
        recipient=user,
        event="submission.deadline",
        context={
            "name": user.name or user.email,
            "contest_name": contest.name,
            "region_name": region.region_name,
            "count": len(region.drafts),
            "drafts": region.drafts,
            "closes": when(closes, tzinfo=contest.tzinfo, language=language),
            "tz": contest.timezone_abbreviation,
            "mark": mark,
            "url": link_to("submissions:my-entries"),
        },
        contest_id=contest.pk,
        once_key=once_key(
            event="submission.deadline",
            kind="contest",
            pk=contest.pk,
            closes=closes,
            mark=mark,
            user_pk=user.pk,
        ),
    )
    return row is not None


@transaction.atomic
def remind_draft_delegates(
    *, contest: Contest, by, now: dt.datetime | None = None
) -> int:
    """An organizer's reminder to the delegates of every region with drafts not
    yet submitted (the scheduled reminder's text and event), while the window is
    open. Each delegate is reminded at most once a day (the once-key names the
    contest's date), so a second request the same day is refused (409) when it
    would remind nobody. Answers how many delegates were reminded."""
    require_organizer(contest, by)
    ensure_not_frozen(_committed(contest))
    now = now or timezone.now()
    if not contest.submission_window_open(now):
        raise DomainError(
            _("Drafts can be submitted only while the submission window is open."),
            status=409,
        )
    regions = _regions_with_drafts([contest])
    if not regions:
        raise DomainError(_("No draft is waiting to be submitted."), status=409)
    delegates = list(
        Delegate.objects.filter(
            contest=contest,
            region_id__in={key[1] for key in regions},
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__email")
    )
    mark = "asked-" + timezone.localdate(now, timezone=contest.tzinfo).isoformat()
    written = sum(
        1
        for delegate in delegates
        if _remind(
            delegate=delegate,
            region=regions[(contest.pk, delegate.region_id)],
            now=now,
            mark=mark,
        )
    )
    if delegates and not written:
        raise DomainError(
            _(
                "These delegates were already reminded today; remind them again "
                "tomorrow."
            ),
            status=409,
        )
    ledger.record(
        action="reminders.drafts_requested",
        obj=contest,
        by=by,
        contest=contest,
        data={"regions": len(regions), "reminded": written},
    )
    return written
