"""A window moved after work has started in it: who it affects, and telling them.

Changing the submission window once entries exist, or a stage's window once it
holds entries or score sheets, reaches people who planned around the old dates.
The services that change a window (`services.update_contest`, `update_stage`)
tell them here, on every path (page, API, admin, shell); the pages show the same
`WindowChange` first and ask for a confirmation before they apply it. The API
applies what it is sent (its request is the explicit act) and answers how many
were told.

The people are read through reverse relations only (this app sits below
submissions and judging): the delegates of a contest with entries, and the
judges with assignments in the stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.audit import stored
from contest.enums import StageKind
from contest.models import Contest, Stage
from notifications.services import language_of, notify

User = get_user_model()

EVENT = "contest.window_changed"
CONTEST_WINDOW = ("submission_opens", "submission_closes")
STAGE_WINDOW = ("opens", "closes")


@dataclass(frozen=True)
class WindowChange:
    """One window's move: its old and new ends, and the people it reaches."""

    contest: Contest
    before: tuple[dt.datetime | None, dt.datetime | None]
    after: tuple[dt.datetime | None, dt.datetime | None]
    recipients: tuple[Any, ...]
    stage: Stage | None = None

    @property
    def label(self) -> str:
        """The window's name in the active language."""
        if self.stage is None:
            return _("The submission window")
        return _("The window of %(stage)s") % {"stage": self.stage.name}

    @property
    def shortened(self) -> bool:
        """The window now closes earlier than it did."""
        old, new = self.before[1], self.after[1]
        return bool(old and new and new < old)

    @property
    def affects_anyone(self) -> bool:
        return bool(self.recipients)

    def summary(self) -> str:
        """What the change does, in the active language, for the confirmation."""
        zone = self.contest.tzinfo
        count = len(self.recipients)
        text = _("%(window)s moves from %(old)s to %(new)s (%(tz)s).") % {
            "window": self.label,
            "old": _span(self.before, zone),
            "new": _span(self.after, zone),
            "tz": self.contest.timezone_abbreviation,
        }
        text += " " + ngettext(
            "%(count)s person with work in it will be told by e-mail.",
            "%(count)s people with work in it will be told by e-mail.",
            count,
        ) % {"count": count}
        if self.shortened:
            text += " " + _("The window closes earlier than announced.")
        return text


def _span(ends: tuple[Any, Any], zone: Any, fmt: str = "j F Y, H:i") -> str:
    return " \N{EN DASH} ".join(
        dateformat.format(timezone.localtime(value, zone), fmt) if value else "—"
        for value in ends
    )


def _moved(obj: Any, fields: tuple[str, str], data: dict[str, Any]) -> tuple | None:
    # As stored: a bound form may already have changed `obj`.
    held = stored(obj, fields)
    before = tuple(held[name] for name in fields)
    after = tuple(data.get(name, old) for name, old in zip(fields, before, strict=True))
    return (before, after) if after != before else None


def _users(queryset: QuerySet) -> tuple[Any, ...]:
    return tuple(User.objects.filter(pk__in=queryset).order_by("pk"))


def contest_window_change(
    contest: Contest, data: dict[str, Any]
) -> WindowChange | None:
    """The submission window's move that `data` asks for, or None when it keeps
    its dates. It reaches the contest's delegates once any entry exists."""
    moved = _moved(contest, CONTEST_WINDOW, data)
    if moved is None:
        return None
    recipients: tuple[Any, ...] = ()
    if contest.submissions.exists():
        recipients = _users(contest.delegates.values("user_id"))
    return WindowChange(
        contest=contest,
        before=moved[0],
        after=moved[1],
        recipients=recipients,
    )


def stage_window_change(stage: Stage, data: dict[str, Any]) -> WindowChange | None:
    """The stage window's move that `data` asks for, or None. A stage with score
    sheets reaches its assigned judges; a screening stage, once entries exist,
    also reaches the delegates (revisions are asked for in its window)."""
    moved = _moved(stage, STAGE_WINDOW, data)
    if moved is None:
        return None
    contest = stage.contest
    users = User.objects.filter(judge_roles__assignments__stage=stage)
    if stage.kind == StageKind.SCREENING and contest.submissions.exists():
        users = users | User.objects.filter(delegate_roles__contest=contest)
    return WindowChange(
        contest=contest,
        before=moved[0],
        after=moved[1],
        recipients=_users(users.values("pk")),
        stage=stage,
    )


def announce(change: WindowChange | None) -> int:
    """Tell everyone the change reaches (in the caller's transaction; sent after
    the commit), each in their own language. Answers how many were told."""
    if change is None:
        return 0
    contest = change.contest
    url = settings.SITE_URL.rstrip("/") + reverse(
        "contest:detail", kwargs={"slug": contest.slug}
    )
    told = 0
    for user in change.recipients:
        if not user.email:
            continue
        with translation.override(language_of(user)):
            context = {
                "contest_name": contest.name,
                "window": change.label,
                "before": _span(change.before, contest.tzinfo),
                "after": _span(change.after, contest.tzinfo),
                "tz": contest.timezone_abbreviation,
                "shortened": change.shortened,
                "url": url,
            }
        notify(recipient=user, event=EVENT, context=context, contest_id=contest.pk)
        told += 1
    return told
