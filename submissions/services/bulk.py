"""The screening queue's bulk actions: one decision, revision request or message
for many entries at once.

Each action checks what it was given once (the organizer, the frozen contest,
the reason, note, deadline or text: a refusal there changes nothing), then
applies the single-entry service to each entry in turn, in one transaction and
each entry in its own savepoint: an entry the service refuses (already
screened, sent back, a draft) is skipped with the service's own reason, and
the others are applied. The report lists every entry asked for, done or
skipped with why; nothing is left out silently.

"Advance" is not a screening action: at screening an entry goes on by being
eligible (the first scoring stage takes every eligible entry); the advancement
between scoring stages is the results' (results.services.advancement)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Contest
from notifications.messages import check_text, write_message
from notifications.models import Message
from submissions.models import Submission
from submissions.selectors import delegates_by_region
from submissions.services._common import User, _committed
from submissions.services.screening import (
    check_revision_request,
    request_revision,
    screen_submission,
)

# The most entries one bulk action takes (a national contest has a few thousand).
MAX_BULK = 5000
MESSAGE_GROUP = "entry_delegates"


class BulkAction:
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    REVISION = "revision"
    MESSAGE = "message"
    ALL = (ELIGIBLE, INELIGIBLE, REVISION, MESSAGE)


@dataclass(frozen=True)
class Outcome:
    """What became of one entry asked for."""

    submission_id: int
    title: str
    done: bool
    reason: str = ""


@dataclass
class BulkReport:
    action: str
    outcomes: list[Outcome] = field(default_factory=list)
    # For a message: how many people it was written to.
    recipients: int = 0

    @property
    def done(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.done]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.done]

    def as_dict(self) -> dict:
        return {
            "action": self.action,
            "done": len(self.done),
            "skipped": len(self.skipped),
            "recipients": self.recipients,
            "entries": [
                {
                    "id": o.submission_id,
                    "title": o.title,
                    "done": o.done,
                    "reason": o.reason,
                }
                for o in self.outcomes
            ],
        }


def _start(*, contest: Contest, submission_ids: Sequence[int], by: User) -> list[int]:
    """The checks every bulk action makes first: the organizer (403), the frozen
    contest (409), a selection that is neither empty nor too large (400)."""
    require_organizer(contest, by)
    ensure_not_frozen(_committed(contest))
    ids = list(dict.fromkeys(int(pk) for pk in submission_ids))
    if not ids:
        raise DomainError(_("Select at least one entry."), field="submissions")
    if len(ids) > MAX_BULK:
        raise DomainError(
            _("Select at most %(n)s entries at once.") % {"n": MAX_BULK},
            field="submissions",
        )
    return ids


def _entries(contest: Contest, ids: list[int]) -> dict[int, Submission]:
    rows = Submission.objects.filter(contest=contest, pk__in=ids).select_related(
        "contest", "region", "category"
    )
    return {row.pk: row for row in rows}


def _apply_each(
    *,
    action: str,
    contest: Contest,
    ids: list[int],
    apply: Callable[[Submission], object],
) -> BulkReport:
    """`apply` to each entry in its own savepoint: a refusal is the entry's skip
    reason; an id that is not an entry of the contest is skipped too."""
    report = BulkReport(action=action)
    entries = _entries(contest, ids)
    for pk in ids:
        entry = entries.get(pk)
        if entry is None:
            report.outcomes.append(
                Outcome(pk, "", False, _("No such entry in this contest."))
            )
            continue
        try:
            apply(entry)
        except DomainError as exc:
            report.outcomes.append(Outcome(pk, entry.title, False, str(exc.message)))
        else:
            report.outcomes.append(Outcome(pk, entry.title, True))
    return report


def _audit(*, contest: Contest, report: BulkReport, by: User, **data) -> None:
    ledger.record(
        action="submissions.bulk",
        obj=contest,
        by=by,
        contest=contest,
        data={
            "action": report.action,
            "done": len(report.done),
            "skipped": len(report.skipped),
            **data,
        },
    )


@transaction.atomic
def bulk_screen(
    *,
    contest: Contest,
    submission_ids: Sequence[int],
    eligible: bool,
    reason: str = "",
    by: User,
) -> BulkReport:
    """Mark the entries eligible, or ineligible with one reason (required): each
    through `screen_submission`, whose delegates are told as for one entry."""
    ids = _start(contest=contest, submission_ids=submission_ids, by=by)
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise DomainError(_("Say why the entries are ineligible."), field="reason")
    report = _apply_each(
        action=BulkAction.ELIGIBLE if eligible else BulkAction.INELIGIBLE,
        contest=contest,
        ids=ids,
        apply=lambda entry: screen_submission(
            submission=entry, eligible=eligible, reason=reason, by=by
        ),
    )
    _audit(contest=contest, report=report, by=by, reason=reason)
    return report


@transaction.atomic
def bulk_request_revision(
    *,
    contest: Contest,
    submission_ids: Sequence[int],
    note: str,
    deadline: dt.datetime | None,
    by: User,
) -> BulkReport:
    """Send the entries back to their delegates with one note and one deadline,
    each through `request_revision`."""
    ids = _start(contest=contest, submission_ids=submission_ids, by=by)
    deadline, note = check_revision_request(
        contest=contest, deadline=deadline, note=note
    )
    report = _apply_each(
        action=BulkAction.REVISION,
        contest=contest,
        ids=ids,
        apply=lambda entry: request_revision(
            submission=entry, deadline=deadline, note=note, by=by
        ),
    )
    _audit(
        contest=contest, report=report, by=by, note=note, deadline=deadline.isoformat()
    )
    return report


@transaction.atomic
def bulk_write_to_delegates(
    *,
    contest: Contest,
    submission_ids: Sequence[int],
    subject: str,
    body: str,
    by: User,
) -> BulkReport:
    """One message to the delegates of the entries' regions, each person once
    however many of the entries are their region's, through the outbox's
    organizer messages (listed with the contest's other messages). An entry whose
    region has no active delegate is skipped, saying so."""
    ids = _start(contest=contest, submission_ids=submission_ids, by=by)
    subject, body = check_text(subject, body)
    entries = _entries(contest, ids)
    people = delegates_by_region(contest, {e.region_id for e in entries.values()})
    report, recipients = _reach(ids, entries, people)
    if not recipients:
        raise DomainError(
            _("None of the selected entries has a delegate to write to."),
            field="submissions",
            status=409,
        )
    _refuse_repeat(
        contest=contest,
        ids=[o.submission_id for o in report.done],
        subject=subject,
        body=body,
        by=by,
    )
    message = _write(
        contest=contest,
        report=report,
        recipients=recipients,
        by=by,
        subject=subject,
        body=body,
    )
    report.recipients = message.recipient_count
    _audit(contest=contest, report=report, by=by, message=message.pk)
    return report


def _reach(
    ids: list[int], entries: dict[int, Submission], people: dict[str, list]
) -> tuple[BulkReport, list]:
    """Each entry asked for, done when its region has a delegate to write to;
    and those delegates (one per region and person, repeated per entry)."""
    report = BulkReport(action=BulkAction.MESSAGE)
    recipients = []
    for pk in ids:
        entry = entries.get(pk)
        if entry is None:
            report.outcomes.append(
                Outcome(pk, "", False, _("No such entry in this contest."))
            )
        elif not people.get(entry.region_id):
            report.outcomes.append(
                Outcome(pk, entry.title, False, _("Its region has no delegate."))
            )
        else:
            recipients.extend(people[entry.region_id])
            report.outcomes.append(Outcome(pk, entry.title, True))
    return report, recipients


# The same message to the same entries' delegates by the same organizer within
# this time is a double click or a client's retry: refused, as judging's messages.
REPEAT_WINDOW = dt.timedelta(minutes=10)


def _refuse_repeat(*, contest, ids, subject, body, by) -> None:
    recent = Message.objects.filter(
        contest_id=contest.pk,
        sent_by=by,
        group=MESSAGE_GROUP,
        subject=subject,
        body=body,
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).values_list("filters", flat=True)
    asked = set(ids)
    if any(set(f.get("submissions", [])) == asked for f in recent):
        raise DomainError(
            _(
                "This message went to these delegates a moment ago; it is not sent "
                "twice."
            ),
            status=409,
        )


def _write(*, contest, report, recipients, by, subject, body):
    count = len(report.done)
    return write_message(
        contest_id=contest.pk,
        sent_by=by,
        recipients=sorted(recipients, key=lambda u: u.email.lower()),
        subject=subject,
        body=body,
        group=MESSAGE_GROUP,
        group_label=ngettext(
            "Delegates of %(n)s selected entry",
            "Delegates of %(n)s selected entries",
            count,
        )
        % {"n": count},
        filters={"submissions": [o.submission_id for o in report.done]},
        context={
            "contest_name": contest.name,
            "contest_url": settings.SITE_URL.rstrip("/")
            + reverse("contest:detail", kwargs={"slug": contest.slug}),
        },
    )


def check_bulk_input(*, contest: Contest, action: str, data: dict) -> None:
    """What `action` needs, checked before the confirmation is shown (the same
    checks the action makes again when it is applied): 400 naming the field."""
    if action not in BulkAction.ALL:
        raise DomainError(_("Choose an action."), field="action")
    if action == BulkAction.INELIGIBLE and not (data.get("reason") or "").strip():
        raise DomainError(_("Say why the entries are ineligible."), field="reason")
    if action == BulkAction.REVISION:
        check_revision_request(
            contest=contest, deadline=data.get("deadline"), note=data.get("note", "")
        )
    if action == BulkAction.MESSAGE:
        check_text(data.get("subject", ""), data.get("body", ""))


def apply_bulk_action(
    *, contest: Contest, action: str, submission_ids: Sequence[int], data: dict, by
) -> BulkReport:
    """The bulk action named `action` (the page's and the API's one entry point),
    with what it needs from `data` (reason; note and deadline; subject and body)."""
    if action not in BulkAction.ALL:
        raise DomainError(_("Choose an action."), field="action")
    if action in (BulkAction.ELIGIBLE, BulkAction.INELIGIBLE):
        return bulk_screen(
            contest=contest,
            submission_ids=submission_ids,
            eligible=action == BulkAction.ELIGIBLE,
            reason=data.get("reason", ""),
            by=by,
        )
    if action == BulkAction.REVISION:
        return bulk_request_revision(
            contest=contest,
            submission_ids=submission_ids,
            note=data.get("note", ""),
            deadline=data.get("deadline"),
            by=by,
        )
    return bulk_write_to_delegates(
        contest=contest,
        submission_ids=submission_ids,
        subject=data.get("subject", ""),
        body=data.get("body", ""),
        by=by,
    )
