"""The organizers' screening: the eligibility decision, a revision request with its
deadline, and the review of each piece of evidence."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from common.timefmt import contest_time
from contest import ledger
from submissions import notices
from submissions.enums import (
    REVIEW_NEEDS_NOTE,
    SCREENABLE_STATES,
    ReviewStatus,
    SubmissionState,
)
from submissions.models import (
    Evidence,
    Submission,
)
from submissions.rules import revision_open
from submissions.services._common import User, _committed, _lock, _state_label
from submissions.services.workflow import set_submission_state

# A revision takes days or weeks; a later deadline is a typing mistake.
MAX_REVISION_TIME = dt.timedelta(days=366)


@transaction.atomic
def screen_submission(
    *, submission: Submission, eligible: bool, reason: str = "", by: User
) -> Submission:
    """The administrative check: eligible or ineligible (an ineligible entry needs a
    reason, which its delegates read). The region's delegates are told the decision
    (written to the outbox with it)."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    require_organizer(submission.contest, by)
    if submission.state not in SCREENABLE_STATES:
        raise DomainError(
            _("This entry is “%(state)s”; only a submitted entry can be screened.")
            % {"state": _state_label(submission.state)},
            status=409,
        )
    if revision_open(submission):
        raise DomainError(
            _(
                "The delegates may revise this entry until %(date)s; screen it after "
                "that."
            )
            % {"date": contest_time(submission.contest, submission.revision_deadline)},
            status=409,
        )
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise DomainError(_("Say why the entry is ineligible."), field="reason")
    submission.screening_reason = reason
    submission.screened_at = timezone.now()
    submission.screened_by = by
    set_submission_state(
        submission=submission,
        new_state=SubmissionState.ELIGIBLE if eligible else SubmissionState.INELIGIBLE,
        by=by,
        reason=reason,
    )
    notices.notify_screened(submission=submission, eligible=eligible)
    return submission


def check_revision_request(
    *, contest, deadline: dt.datetime | None, note: str
) -> tuple[dt.datetime, str]:
    """The note and the deadline of a revision request, checked (400 naming the
    field); a deadline without a zone is the contest's."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what the delegates should revise."), field="note")
    if deadline is None:
        raise DomainError(_("Give a deadline."), field="deadline")
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline, contest.tzinfo)
    if deadline <= timezone.now():
        raise DomainError(_("The deadline must be in the future."), field="deadline")
    if deadline > timezone.now() + MAX_REVISION_TIME:
        raise DomainError(
            _("The deadline must be within a year from now."), field="deadline"
        )
    return deadline, note


@transaction.atomic
def request_revision(
    *, submission: Submission, deadline: dt.datetime, note: str, by: User
) -> Submission:
    """Send a submitted entry back to its delegates, who may change and resubmit it
    until `deadline` (even after the submission window has closed). They are told
    the notes and the deadline by e-mail (written to the outbox with the change)."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    require_organizer(submission.contest, by)
    if submission.state != SubmissionState.SUBMITTED:
        raise DomainError(
            _("This entry is “%(state)s”; only a submitted entry can be sent back.")
            % {"state": _state_label(submission.state)},
            status=409,
        )
    deadline, note = check_revision_request(
        contest=submission.contest, deadline=deadline, note=note
    )
    submission.revision_deadline = deadline
    submission.revision_note = note
    set_submission_state(
        submission=submission,
        new_state=SubmissionState.REVISION_REQUESTED,
        by=by,
        reason=note,
    )
    notices.notify_revision_requested(submission=submission)
    return submission


@transaction.atomic
def review_evidence(
    *, evidence: Evidence, status: str, note: str = "", by: User
) -> Evidence:
    """The organizers' verdict on one piece of evidence during screening."""
    submission = evidence.submission
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    require_organizer(submission.contest, by)
    if submission.state in (SubmissionState.DRAFT, SubmissionState.WITHDRAWN):
        raise DomainError(
            _("This entry is “%(state)s”; its evidence is not up for review.")
            % {"state": _state_label(submission.state)},
            status=409,
        )
    if status not in ReviewStatus.values:
        raise DomainError(_("Choose a review status."), field="status")
    note = (note or "").strip()
    if status in REVIEW_NEEDS_NOTE and not note:
        raise DomainError(_("Say what is wrong with this evidence."), field="note")
    old = evidence.review_status
    evidence.review_status = status
    evidence.review_note = note
    evidence.reviewed_by = by
    evidence.reviewed_at = timezone.now()
    evidence.save(
        update_fields=["review_status", "review_note", "reviewed_by", "reviewed_at"]
    )
    ledger.record(
        action="evidence.reviewed",
        obj=evidence,
        by=by,
        contest=submission.contest,
        data={"submission": submission.pk, "from": old, "to": status, "note": note},
    )
    return evidence
