"""The entry workflow: the checks of the window, of changes and of eligibility, the
one state change (`set_submission_state`, which checks the transition and writes the
audit ledger), and the delegates' submit and withdraw and the organizers' reopen."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from common.timefmt import contest_time
from contest import ledger
from contest.models import AuditEntry, Category, Contest, Region
from submissions import notices
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    REOPEN_TARGETS,
    WITHDRAWABLE_STATES,
    ReviewStatus,
    SubmissionState,
)
from submissions.history import check_cluster_rule, check_history
from submissions.models import Submission
from submissions.rules import open_for_changes
from submissions.selectors import (
    count_region_entries,
    submission_checklist,
)
from submissions.services._common import (
    User,
    _committed,
    _label,
    _lock,
    _require_delegate,
    _state_label,
)
from submissions.services.answers_required import check_required_answers


def check_window(contest: Contest) -> None:
    """Raise 409 unless the contest takes entries now."""
    now = timezone.now()
    if now < contest.submission_opens:
        raise DomainError(
            _("The submission window opens on %(date)s.")
            % {"date": contest_time(contest, contest.submission_opens)},
            status=409,
        )
    if now >= contest.submission_closes:
        raise DomainError(
            _("The submission window closed on %(date)s.")
            % {"date": contest_time(contest, contest.submission_closes)},
            status=409,
        )


def check_open_for_changes(submission: Submission) -> None:
    """Raise 409 unless delegates may change the entry now (rules.open_for_changes)."""
    ensure_not_frozen(submission.contest)
    if open_for_changes(submission):
        return
    state = submission.state
    if state == SubmissionState.DRAFT:
        check_window(submission.contest)
    if state == SubmissionState.REVISION_REQUESTED:
        raise DomainError(
            _("The deadline for revising this entry passed on %(date)s.")
            % {"date": contest_time(submission.contest, submission.revision_deadline)},
            status=409,
        )
    raise DomainError(
        _("This entry is “%(state)s”; it can no longer be changed.")
        % {"state": _state_label(state)},
        status=409,
    )


def check_eligibility(
    *,
    contest: Contest,
    region: Region,
    category: Category,
    by: User,
    exclude_pk: int | None = None,
) -> None:
    """The contest's rules for who may enter what: the user's role, the region's type
    and the number of (non-withdrawn) entries per region and category."""
    if category.contest_id != contest.pk:
        raise DomainError(_("Choose a category of this contest."), field="category")
    _require_delegate(contest=contest, region=region, by=by)
    types = contest.eligible_region_types
    if types and region.type not in types:
        raise DomainError(
            _("%(region)s is a %(type)s; this contest accepts only: %(types)s.")
            % {
                "region": region.name,
                "type": region.get_type_display(),
                "types": ", ".join(types),
            },
        )
    check_cluster_rule(region=region, category=category)
    count = count_region_entries(
        contest=contest,
        region_id=region.pk,
        category_id=category.pk,
        exclude_pk=exclude_pk,
    )
    limit = contest.max_entries_per_region
    if count >= limit:
        raise DomainError(
            ngettext(
                "%(region)s already has %(count)d entry in “%(category)s”; a region "
                "may have at most %(limit)d entries per category (withdrawn ones do "
                "not count).",
                "%(region)s already has %(count)d entries in “%(category)s”; a region "
                "may have at most %(limit)d entries per category (withdrawn ones do "
                "not count).",
                count,
            )
            % {
                "region": region.name,
                "count": count,
                "category": category.name,
                "limit": limit,
            },
            field="category",
        )


@transaction.atomic
def set_submission_state(
    *, submission: Submission, new_state: str, by: User | None, reason: str = ""
) -> Submission:
    """Move the entry to `new_state` if the workflow allows it, and audit who, when,
    from, to and why. Saves the whole row, so callers set related fields first."""
    _change_state(submission=submission, new_state=new_state, by=by, reason=reason)
    return submission


def _change_state(
    *, submission: Submission, new_state: str, by: User | None, reason: str
) -> AuditEntry:
    """`set_submission_state`'s work; answers the ledger entry it wrote (which the
    receipt of a submission names)."""
    ensure_not_frozen(_committed(submission.contest))
    old_state = submission.state
    if new_state not in ALLOWED_TRANSITIONS.get(old_state, frozenset()):
        raise DomainError(
            _("An entry that is “%(from)s” cannot become “%(to)s”.")
            % {"from": _state_label(old_state), "to": _state_label(new_state)},
            field="state",
            status=409,
        )
    submission.state = new_state
    submission.state_changed_at = timezone.now()
    submission.save()
    return ledger.record(
        action="submission.state_changed",
        obj=submission,
        by=by,
        contest=submission.contest,
        data={"from": str(old_state), "to": str(new_state), "reason": reason},
    )


def _receipt_number(*, submission: Submission, entry: AuditEntry) -> str:
    """The receipt of one submission, e.g. "12-345-6789-3FA2C1D0": the contest,
    the entry, and the sequence number and first hash digits of the ledger entry
    that recorded the submission, so anyone holding it can find that entry in the
    audit ledger and check that it is the one (`verify_ledger` proves the rest)."""
    return (
        f"{submission.contest_id}-{submission.pk}-{entry.seq}-{entry.hash[:8].upper()}"
    )


@transaction.atomic
def submit_submission(*, submission: Submission, by: User) -> Submission:
    """Submit a draft in the window, or resubmit an entry sent back for revision before
    its deadline (which puts its evidence marked "needs revision" back to "pending").
    Each submission gets a new receipt number, and the region's delegates are told
    (the receipt is written to the outbox with the change)."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    contest = submission.contest
    _require_delegate(contest=contest, region=submission.region, by=by)
    if submission.state not in (
        SubmissionState.DRAFT,
        SubmissionState.REVISION_REQUESTED,
    ):
        raise DomainError(
            _(
                "This entry is “%(state)s”; only a draft or an entry sent back for "
                "revision can be submitted."
            )
            % {"state": _state_label(submission.state)},
            status=409,
        )
    check_open_for_changes(submission)
    check_eligibility(
        contest=contest,
        region=submission.region,
        category=submission.category,
        by=by,
        exclude_pk=submission.pk,
    )
    check_history(submission)
    _check_complete(submission)
    check_required_answers(submission)
    resubmission = submission.state == SubmissionState.REVISION_REQUESTED
    submission.submitted_at = timezone.now()
    entry = _change_state(
        submission=submission, new_state=SubmissionState.SUBMITTED, by=by, reason=""
    )
    submission.receipt_number = _receipt_number(submission=submission, entry=entry)
    submission.save(update_fields=["receipt_number"])
    if resubmission:
        _reset_revision_reviews(submission, by=by)
    notices.notify_received(submission=submission, resubmission=resubmission)
    return submission


def _check_complete(submission: Submission) -> None:
    """The fields an entry needs, and at least one piece of evidence (400)."""
    checklist = submission_checklist(submission)
    if checklist.missing_fields:
        raise DomainError(
            _("Fill in these fields before submitting: %(fields)s.")
            % {"fields": ", ".join(_label(n) for n in checklist.missing_fields)},
            field=checklist.missing_fields[0],
        )
    if not checklist.has_evidence:
        raise DomainError(
            _("Attach at least one piece of evidence before submitting."),
            field="evidence",
        )


def _reset_revision_reviews(submission: Submission, *, by: User) -> None:
    """Evidence marked "needs revision" goes back to "pending" on resubmission."""
    for evidence in submission.evidence.filter(
        review_status=ReviewStatus.NEEDS_REVISION
    ):
        evidence.review_status = ReviewStatus.PENDING
        evidence.save(update_fields=["review_status"])
        ledger.record(
            action="evidence.review_reset",
            obj=evidence,
            by=by,
            contest=submission.contest,
            data={"submission": submission.pk, "to": ReviewStatus.PENDING.value},
        )


@transaction.atomic
def withdraw_submission(
    *, submission: Submission, by: User, reason: str = ""
) -> Submission:
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    if submission.state not in WITHDRAWABLE_STATES:
        raise DomainError(
            _("This entry is “%(state)s”; it can no longer be withdrawn.")
            % {"state": _state_label(submission.state)},
            status=409,
        )
    return set_submission_state(
        submission=submission,
        new_state=SubmissionState.WITHDRAWN,
        by=by,
        reason=reason.strip(),
    )


@transaction.atomic
def reopen_submission(
    *, submission: Submission, by: User, reason: str = ""
) -> Submission:
    """An organizer's undo: a submitted or withdrawn entry goes back to draft (only
    while the window is open), a screening decision goes back to the queue."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    require_organizer(submission.contest, by)
    target = REOPEN_TARGETS.get(submission.state)
    if target is None:
        raise DomainError(
            _("This entry is “%(state)s”; it cannot be reopened.")
            % {"state": _state_label(submission.state)},
            status=409,
        )
    contest = submission.contest
    if target == SubmissionState.DRAFT and not contest.submission_window_open():
        raise DomainError(
            _(
                "The submission window is closed, so a draft could not be submitted "
                "again; send the entry back for revision with a deadline instead."
            ),
            status=409,
        )
    if submission.state == SubmissionState.WITHDRAWN:
        count = count_region_entries(
            contest=contest,
            region_id=submission.region_id,
            category_id=submission.category_id,
            exclude_pk=submission.pk,
        )
        if count >= contest.max_entries_per_region:
            raise DomainError(
                _(
                    "%(region)s already has %(limit)d entries in “%(category)s”, the "
                    "most a region may have per category."
                )
                % {
                    "region": submission.region.name,
                    "limit": contest.max_entries_per_region,
                    "category": submission.category.name,
                },
                status=409,
            )
    if target == SubmissionState.SUBMITTED:
        submission.screening_reason = ""
        submission.screened_at = None
        submission.screened_by = None
    return set_submission_state(
        submission=submission, new_state=target, by=by, reason=(reason or "").strip()
    )
