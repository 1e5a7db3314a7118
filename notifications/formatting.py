"""Plain data for a notification's context, made when the notification is
written: the outbox renders no dates and builds no links of its own, so the
domain apps hand it words and absolute addresses.

Dates are written in the recipient's language and the contest's time zone
("14 September 2023, 23.59 WITA"); links are absolute, on SITE_URL."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone, translation


def site_link(path: str) -> str:
    """`path` (a site path, as `reverse` answers) on the site's own address."""
    return settings.SITE_URL.rstrip("/") + path


def link_to(viewname: str, **kwargs) -> str:
    """The absolute address of the named URL."""
    return site_link(reverse(viewname, kwargs=kwargs or None))


def when(
    value: dt.datetime, *, tzinfo: zoneinfo.ZoneInfo | dt.tzinfo, language: str
) -> str:
    """`value` in words in `language` and the time zone `tzinfo`, e.g.
    "14 September 2023, 23.59" (Indonesian) or "14 September 2023, 23:59"."""
    with translation.override(language):
        local = timezone.localtime(value, tzinfo)
        fmt = "j F Y, H.i" if language == "id" else "j F Y, H:i"
        return dateformat.format(local, fmt)


def day(value: dt.date, *, language: str) -> str:
    """A date in words in `language`, e.g. "14 September 2023"."""
    with translation.override(language):
        return dateformat.format(value, "j F Y")
