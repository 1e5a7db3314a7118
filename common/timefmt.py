"""Times as a contest's people read them: in the contest's own zone, with its name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone


def contest_time(contest: Any, value: dt.datetime) -> str:
    """`value` in the contest's zone, e.g. "31 Mei 2023, 23:59 WITA"."""
    local = timezone.localtime(value, contest.tzinfo)
    return f"{formats.date_format(local, 'j F Y, H:i')} {contest.timezone_abbreviation}"


def contest_date(contest: Any, value: dt.datetime) -> str:
    """The day of `value` in the contest's zone, in words of the active language,
    as official documents write it: "14 September 2023"."""
    local = timezone.localtime(value, contest.tzinfo)
    return formats.date_format(local, "j F Y")
