"""An entry's link to an earlier entry of the same innovation: the delegates name
it (the link becomes "claimed"), an organizer confirms or rejects it at screening.
The rules that read the link are in submissions/history.py."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from submissions.enums import PreviousEntryState
from submissions.models import Submission
from submissions.services._common import (
    User,
    _committed,
    _lock,
    _require_delegate,
)
from submissions.services.workflow import check_open_for_changes

MAX_NOTE = 2000


def previous_entry_choices(submission: Submission) -> QuerySet[Submission]:
    """The region's entries in other contests, newest first."""
    return (
        Submission.objects.filter(region_id=submission.region_id)
        .exclude(contest_id=submission.contest_id)
        .select_related("contest")
        .order_by("-contest__submission_opens", "title")
    )


def _record(submission: Submission, *, action: str, by: User, data: dict) -> None:
    ledger.record(
        action=action,
        obj=submission,
        by=by,
        contest=submission.contest,
        data={
            "previous_entry": submission.previous_entry_id,
            "state": submission.previous_entry_state,
            **data,
        },
    )


@transaction.atomic
def claim_previous_entry(
    *, submission: Submission, previous_entry: Submission | None, by: User
) -> Submission:
    """The delegates name (or, with None, withdraw) the earlier entry of the same
    innovation: one of their region's entries in another contest."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    if previous_entry is not None and (
        previous_entry.region_id != submission.region_id
        or previous_entry.contest_id == submission.contest_id
    ):
        raise DomainError(
            _("Choose an entry of your region in another contest."),
            field="previous_entry",
        )
    new_id = previous_entry.pk if previous_entry is not None else None
    if new_id == submission.previous_entry_id:
        return submission
    if submission.previous_entry_state in (
        PreviousEntryState.CONFIRMED,
        PreviousEntryState.REJECTED,
    ):
        raise DomainError(
            _(
                "An organizer has checked the earlier entry this entry names; ask "
                "the organizers to change it."
            ),
            field="previous_entry",
            status=409,
        )
    submission.previous_entry = previous_entry
    submission.previous_entry_state = (
        PreviousEntryState.CLAIMED if previous_entry else PreviousEntryState.NONE
    )
    submission.previous_entry_note = ""
    submission.previous_entry_checked_at = None
    submission.previous_entry_checked_by = None
    submission.save()
    _record(submission, action="submission.previous_entry_claimed", by=by, data={})
    return submission


@transaction.atomic
def confirm_previous_entry(
    *, submission: Submission, confirmed: bool, note: str = "", by: User
) -> Submission:
    """An organizer's check of the named link: a rejected link no longer counts."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    require_organizer(submission.contest, by)
    if submission.previous_entry_id is None:
        raise DomainError(
            _("This entry names no earlier entry to check."),
            field="previous_entry",
            status=409,
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            _("Keep the note under %(max)d characters.") % {"max": MAX_NOTE},
            field="note",
        )
    submission.previous_entry_state = (
        PreviousEntryState.CONFIRMED if confirmed else PreviousEntryState.REJECTED
    )
    submission.previous_entry_note = note
    submission.previous_entry_checked_at = timezone.now()
    submission.previous_entry_checked_by = by
    submission.save()
    _record(
        submission,
        action="submission.previous_entry_checked",
        by=by,
        data={"note": note},
    )
    return submission
