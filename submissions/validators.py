"""Checks shared by the models, forms, serializers and services of entries."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_LINKS = 10
DISPLAY_NAME_MAX = 200

# Not code "invalid": a JSONField (Submission.links) replaces the message of an
# error so coded by its own "Value must be valid JSON".
_http_url = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
    code="bad_url",
)


def validate_http_url(value: str) -> None:
    if any(unicodedata.category(ch) == "Cc" for ch in str(value)):
        raise ValidationError(
            _("A web address cannot contain control characters."), code="control"
        )
    _http_url(value)


def validate_links(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of web addresses."), code="not_list")
    if len(value) > MAX_LINKS:
        raise ValidationError(
            _("Give at most %(max)d links."), params={"max": MAX_LINKS}, code="too_many"
        )
    for url in value:
        validate_http_url(url)


# An innovation's start date before this is a typing mistake (or a probe).
EARLIEST_START = dt.date(1900, 1, 1)


def validate_not_too_early(value: dt.date) -> None:
    if value and value < EARLIEST_START:
        raise ValidationError(
            _("The start date cannot be before %(date)s."),
            params={"date": EARLIEST_START.isoformat()},
            code="too_early",
        )


def validate_not_future(value: dt.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(
            _("The start date cannot be in the future."), code="future"
        )


def display_name(name: str | None) -> str:
    """The user's file name as a harmless label: no folders, no control characters.

    "../../etc/passwd.pdf" and "C:\\Users\\x\\passwd.pdf" both become "passwd.pdf".
    """
    name = name or ""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    name = name.lstrip(".") or "file"
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: DISPLAY_NAME_MAX - len(ext) - 1] + "." + ext
        else:
            name = name[:DISPLAY_NAME_MAX]
    return name
