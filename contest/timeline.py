"""The contest's timeline, in its own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from contest.models import Contest


@dataclass(frozen=True)
class TimelineItem:
    label: str
    starts: datetime
    ends: datetime
    status: str  # "past", "current" or "future"


def _status(starts: datetime, ends: datetime, now: datetime) -> str:
    if now >= ends:
        return "past"
    if now >= starts:
        return "current"
    return "future"


def contest_timeline(contest: Contest, *, now: datetime) -> list[TimelineItem]:
    """The submission window and each stage, with times in the contest's zone.
    Once the final results are published (the contest frozen) nothing is open
    any more, whatever a stage's window said."""
    tz = contest.tzinfo
    stages = list(contest.stages.order_by("order"))
    if contest.frozen_at is not None:
        now = max(now, contest.submission_closes, *(s.closes for s in stages))
    items = [
        TimelineItem(
            label=_("Submissions"),
            starts=contest.submission_opens.astimezone(tz),
            ends=contest.submission_closes.astimezone(tz),
            status=_status(contest.submission_opens, contest.submission_closes, now),
        )
    ]
    for stage in stages:
        items.append(
            TimelineItem(
                label=stage.name,
                starts=stage.opens.astimezone(tz),
                ends=stage.closes.astimezone(tz),
                status=_status(stage.opens, stage.closes, now),
            )
        )
    return items
