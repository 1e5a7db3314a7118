"""The times of a series of sessions (create_slot_series): pure, checked input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from common.errors import DomainError

MAX_SERIES = 500
MAX_DAYS = 62


def _require(value: Any, kind: type, field: str, message: str) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DomainError(message, field=field)


def series_times(
    *,
    first_day: dt.date,
    last_day: dt.date,
    day_starts: dt.time,
    day_ends: dt.time,
    minutes: int,
    gap: int,
    tzinfo: dt.tzinfo,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Sessions of `minutes`, `gap` minutes apart, from `day_starts` until
    `day_ends` (the last one ends by then) on each day from `first_day` to
    `last_day`, as aware times in `tzinfo`."""
    for name, value in (("first_day", first_day), ("last_day", last_day)):
        if isinstance(value, dt.datetime):
            raise DomainError(_("Enter a date."), field=name)
        _require(value, dt.date, name, _("Enter a date."))
    for name, value in (("day_starts", day_starts), ("day_ends", day_ends)):
        _require(value, dt.time, name, _("Enter a time of day."))
    _require(minutes, int, "minutes", _("Enter a whole number of minutes."))
    _require(gap, int, "gap", _("Enter a whole number of minutes."))
    if not 5 <= minutes <= 24 * 60:
        raise DomainError(_("A session lasts 5 to 1440 minutes."), field="minutes")
    if not 0 <= gap <= 24 * 60:
        raise DomainError(_("A gap is 0 to 1440 minutes."), field="gap")
    if last_day < first_day:
        raise DomainError(_("The last day comes before the first."), field="last_day")
    if (last_day - first_day).days >= MAX_DAYS:
        raise DomainError(
            _("A series spans at most %(days)d days.") % {"days": MAX_DAYS},
            field="last_day",
        )
    if day_ends <= day_starts:
        raise DomainError(_("The day ends before it starts."), field="day_ends")
    times = []
    day = first_day
    while day <= last_day:
        times += _day_times(day, day_starts, day_ends, minutes, gap, tzinfo)
        if len(times) > MAX_SERIES:
            raise DomainError(
                _("A series makes at most %(count)d sessions.") % {"count": MAX_SERIES},
                field="minutes",
            )
        day += dt.timedelta(days=1)
    if not times:
        raise DomainError(
            _("No session of that length fits in the day."), field="minutes"
        )
    return times


def _day_times(day, day_starts, day_ends, minutes, gap, tzinfo):
    start = dt.datetime.combine(day, day_starts, tzinfo=tzinfo)
    close = dt.datetime.combine(day, day_ends, tzinfo=tzinfo)
    length, step = dt.timedelta(minutes=minutes), dt.timedelta(minutes=minutes + gap)
    out = []
    while start + length <= close:
        out.append((start, start + length))
        start += step
    return out
