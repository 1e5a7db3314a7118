"""Who may enter what, from the regions' clusters and the entries' history: the
category's clusters, how long the innovation has been running
(`Contest.min_running_months`) and the awards its earlier entry won
(`Contest.past_award_exclusions`). Checked by `check_eligibility` (on create and on
a change of category) and by `submit_submission`, and read by the screening page."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest.clusters import category_cluster_names, region_in_category_clusters
from contest.models import Category, Contest, Region
from submissions.enums import PreviousEntryState
from submissions.models import Submission

COUNTED_LINKS = (PreviousEntryState.CLAIMED, PreviousEntryState.CONFIRMED)


def check_cluster_rule(*, region: Region, category: Category) -> None:
    """A category some clusters restrict takes entries only from their regions."""
    if region_in_category_clusters(category=category, region=region):
        return
    raise DomainError(
        _("“%(category)s” takes entries only from regions of: %(clusters)s.")
        % {
            "category": category.name,
            "clusters": ", ".join(category_cluster_names(category)),
        },
        field="category",
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (0 if `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def local_today(contest: Contest) -> datetime.date:
    return timezone.now().astimezone(contest.tzinfo).date()


@dataclass(frozen=True)
class Running:
    """How long an entry's innovation has been running, against the minimum."""

    months: int | None
    qualifies_on: datetime.date | None
    ok: bool


def running_status(
    submission: Submission, *, today: datetime.date | None = None
) -> Running | None:
    """None when the contest has no minimum."""
    minimum = submission.contest.min_running_months
    if not minimum:
        return None
    started = submission.started_on
    if started is None:
        return Running(months=None, qualifies_on=None, ok=False)
    today = today or local_today(submission.contest)
    qualifies_on = add_months(started, minimum)
    return Running(
        months=months_between(started, today),
        qualifies_on=qualifies_on,
        ok=qualifies_on <= today,
    )


def check_running(submission: Submission) -> None:
    status = running_status(submission)
    if status is None or status.ok:
        return
    minimum = submission.contest.min_running_months
    if status.qualifies_on is None:
        raise DomainError(
            _(
                "This contest takes innovations running at least %(months)d months; "
                "give the date the innovation started."
            )
            % {"months": minimum},
            field="started_on",
        )
    raise DomainError(
        _(
            "This contest takes innovations running at least %(months)d months; "
            "this one qualifies from %(date)s."
        )
        % {"months": minimum, "date": date_format(status.qualifies_on)},
        field="started_on",
    )


def excluding_awards(submission: Submission) -> list[str]:
    """The awards of the entry's counted earlier entry (claimed or confirmed) that
    the contest's `past_award_exclusions` list, or []."""
    previous = submission.previous_entry
    if previous is None or submission.previous_entry_state not in COUNTED_LINKS:
        return []
    won = [str(a) for a in previous.awards_won or []]
    for rule in submission.contest.past_award_exclusions or []:
        if rule.get("contest") != previous.contest.slug:
            continue
        listed = rule.get("awards") or []
        hits = [a for a in won if not listed or a in listed]
        if hits:
            return hits
    return []


def check_past_awards(submission: Submission) -> None:
    awards = excluding_awards(submission)
    if not awards:
        return
    raise DomainError(
        _exclusion_text(awards, submission.previous_entry), field="previous_entry"
    )


def _exclusion_text(awards: list[str], previous: Submission) -> str:
    return _(
        "The same innovation won “%(awards)s” in %(contest)s; this contest "
        "does not take it again."
    ) % {"awards": ", ".join(awards), "contest": previous.contest.name}


def check_history(submission: Submission) -> None:
    """At submit: the running time and the earlier entry's awards."""
    check_running(submission)
    check_past_awards(submission)


@dataclass(frozen=True)
class HistoryCheck:
    """What the screening page shows of an entry's history."""

    running: Running | None
    previous: Submission | None
    state: str
    excluding: list[str]

    @property
    def excluded(self) -> bool:
        return bool(self.excluding) and self.state == PreviousEntryState.CONFIRMED

    @property
    def reason(self) -> str:
        if not self.excluding or self.previous is None:
            return ""
        return _exclusion_text(self.excluding, self.previous)


def history_check(submission: Submission) -> HistoryCheck:
    """The running time and the earlier entry (one query for the earlier entry)."""
    previous = None
    if submission.previous_entry_id is not None:
        previous = (
            Submission.objects.select_related("contest")
            .filter(pk=submission.previous_entry_id)
            .first()
        )
        submission.previous_entry = previous
    return HistoryCheck(
        running=running_status(submission),
        previous=previous,
        state=submission.previous_entry_state,
        excluding=excluding_awards(submission) if previous else [],
    )
