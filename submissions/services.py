"""Writes for entries and their evidence. Every state change goes through
`set_submission_state`, which checks the transition and writes the audit ledger."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.audit import apply_fields, audited_update, snapshot
from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from common.timefmt import contest_time
from contest import ledger
from contest.models import Category, Contest, Criterion, Delegate, Region
from submissions import files
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    REOPEN_TARGETS,
    REVIEW_NEEDS_NOTE,
    SCREENABLE_STATES,
    WITHDRAWABLE_STATES,
    EvidenceKind,
    ReviewStatus,
    SubmissionState,
)
from submissions.models import (
    Evidence,
    Submission,
    evidence_upload_to,
    thumbnail_upload_to,
)
from submissions.rules import open_for_changes, revision_open
from submissions.selectors import (
    count_region_entries,
    evidence_total_size,
    submission_checklist,
)
from submissions.validators import display_name, validate_http_url

User = get_user_model()
logger = logging.getLogger(__name__)

# A revision takes days or weeks; a later deadline is a typing mistake.
MAX_REVISION_TIME = dt.timedelta(days=366)

SUBMISSION_FIELDS = [
    "category",
    "title",
    "summary",
    "problem",
    "solution",
    "impact",
    "started_on",
    "agency",
    "links",
]


# ---------------------------------------------------------------- helpers


def _label(name: str) -> str:
    return str(Submission._meta.get_field(name).verbose_name)


def _state_label(state: str) -> str:
    return str(SubmissionState(state).label)


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    """Text without surrounding blanks; links without empty ones."""
    out = {}
    for name, value in data.items():
        if name == "links":
            value = [v.strip() for v in (value or []) if v and v.strip()]
        elif isinstance(value, str):
            value = value.strip()
        out[name] = value
    return out


def _committed(contest: Contest) -> Contest:
    """The contest with its committed `frozen_at`, for `ensure_not_frozen`.

    On PostgreSQL the row is read FOR SHARE: the final publication locks it FOR UPDATE
    to set `frozen_at`, so a write and the publication never interleave (a write that
    began first finishes first; one that began after sees the freeze), while writes
    of different entries do not wait for one another. On SQLite the IMMEDIATE
    transaction of every write already serializes them with the publication. Lock
    order: the contest, then the entry (`_lock`), then the ledger head.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Contest._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT frozen_at FROM {table} WHERE id = %s FOR SHARE",  # noqa: S608
                [contest.pk],
            )
            row = cursor.fetchone()
        committed = row[0] if row else None
    else:
        committed = (
            Contest.objects.filter(pk=contest.pk)
            .values_list("frozen_at", flat=True)
            .first()
        )
    contest.frozen_at = committed or contest.frozen_at
    return contest


def _lock(submission: Submission) -> None:
    """Lock the entry's row and reload it, so that checks see the committed state."""
    locked = list(
        Submission.objects.select_for_update()
        .filter(pk=submission.pk)
        .values_list("pk")
    )
    if not locked:
        raise DomainError(_("This entry no longer exists."), status=404)
    submission.refresh_from_db()


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [n for n in names if n]
    if not names:
        return

    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete %s from storage", name)

    transaction.on_commit(delete)


def _require_delegate(*, contest: Contest, region: Region, by: User) -> None:
    if not Delegate.objects.filter(
        contest=contest, user_id=by.pk, region=region
    ).exists():
        raise DomainError(
            _(
                "Only a delegate of %(region)s in this contest may enter or change its "
                "entries."
            )
            % {"region": region.name},
            status=403,
        )


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


# ---------------------------------------------------------------- the one state change


@transaction.atomic
def set_submission_state(
    *, submission: Submission, new_state: str, by: User | None, reason: str = ""
) -> Submission:
    """Move the entry to `new_state` if the workflow allows it, and audit who, when,
    from, to and why. Saves the whole row, so callers set related fields first."""
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
    ledger.record(
        action="submission.state_changed",
        obj=submission,
        by=by,
        contest=submission.contest,
        data={"from": str(old_state), "to": str(new_state), "reason": reason},
    )
    return submission


# ---------------------------------------------------------------- entries


@transaction.atomic
def create_submission(*, contest: Contest, by: User, **data: Any) -> Submission:
    """Create a draft for the region the user is a delegate of, in an open window."""
    ensure_not_frozen(_committed(contest))
    check_window(contest)
    return _create_submission(contest=contest, by=by, **data)


def _create_submission(*, contest: Contest, by: User, **data: Any) -> Submission:
    """create_submission without the window check; the demo loader (whose contest ran in
    2023) calls it directly. Every other rule still applies."""
    ensure_not_frozen(_committed(contest))
    delegate = (
        Delegate.objects.filter(contest=contest, user_id=by.pk)
        .select_related("region")
        .first()
    )
    if delegate is None:
        raise DomainError(
            _("Only delegates of a region may enter this contest."), status=403
        )
    region = delegate.region
    # Serializes concurrent entries of one region, so the limit holds (PostgreSQL).
    list(Region.objects.select_for_update().filter(pk=region.pk).values_list("pk"))
    category = data.get("category")
    if not isinstance(category, Category):
        raise DomainError(_("Choose a category of this contest."), field="category")
    check_eligibility(contest=contest, region=region, category=category, by=by)
    submission = Submission(contest=contest, region=region, created_by=by)
    apply_fields(submission, SUBMISSION_FIELDS, _normalized(data))
    submission.full_clean()
    submission.save()
    ledger.record(
        action="submission.created",
        obj=submission,
        by=by,
        contest=contest,
        data={"region": region.pk, **snapshot(submission, SUBMISSION_FIELDS)},
    )
    return submission


@transaction.atomic
def update_submission(
    *, submission: Submission, by: User, data: dict[str, Any]
) -> Submission:
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    before = snapshot(submission, SUBMISSION_FIELDS)

    def check_category(entry: Submission) -> None:
        if entry.category_id != before["category"]:
            check_eligibility(
                contest=entry.contest,
                region=entry.region,
                category=entry.category,
                by=by,
                exclude_pk=entry.pk,
            )

    audited_update(
        submission,
        fields=SUBMISSION_FIELDS,
        data=_normalized(data),
        before=before,
        check=check_category,
        record=lambda diff: ledger.record(
            action="submission.updated",
            obj=submission,
            by=by,
            contest=submission.contest,
            data=diff,
        ),
    )
    return submission


@transaction.atomic
def delete_submission(*, submission: Submission, by: User) -> None:
    """Delete a draft and its evidence (the files once the transaction commits)."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    if submission.state != SubmissionState.DRAFT:
        raise DomainError(
            _("Only a draft can be deleted; withdraw the entry instead."), status=409
        )
    check_window(submission.contest)
    names = []
    for evidence in submission.evidence.all():
        names += [evidence.file.name, evidence.thumbnail.name]
    ledger.record(
        action="submission.deleted",
        obj=submission,
        by=by,
        contest=submission.contest,
        data={"title": submission.title, "region": submission.region_id},
    )
    submission.delete()
    _delete_files_on_commit(names)


@transaction.atomic
def submit_submission(*, submission: Submission, by: User) -> Submission:
    """Submit a draft in the window, or resubmit an entry sent back for revision before
    its deadline (which puts its evidence marked "needs revision" back to "pending")."""
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
    _check_complete(submission)
    resubmission = submission.state == SubmissionState.REVISION_REQUESTED
    submission.submitted_at = timezone.now()
    set_submission_state(
        submission=submission,
        new_state=SubmissionState.SUBMITTED,
        by=by,
        reason="",
    )
    if resubmission:
        _reset_revision_reviews(submission, by=by)
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


# ---------------------------------------------------------------- screening


@transaction.atomic
def screen_submission(
    *, submission: Submission, eligible: bool, reason: str = "", by: User
) -> Submission:
    """The administrative check: eligible or ineligible (an ineligible entry needs a
    reason, which its delegates read)."""
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
    return set_submission_state(
        submission=submission,
        new_state=SubmissionState.ELIGIBLE if eligible else SubmissionState.INELIGIBLE,
        by=by,
        reason=reason,
    )


@transaction.atomic
def request_revision(
    *, submission: Submission, deadline: dt.datetime, note: str, by: User
) -> Submission:
    """Send a submitted entry back to its delegates, who may change and resubmit it
    until `deadline` (even after the submission window has closed)."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    require_organizer(submission.contest, by)
    if submission.state != SubmissionState.SUBMITTED:
        raise DomainError(
            _("This entry is “%(state)s”; only a submitted entry can be sent back.")
            % {"state": _state_label(submission.state)},
            status=409,
        )
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what the delegates should revise."), field="note")
    if deadline is None:
        raise DomainError(_("Give a deadline."), field="deadline")
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline, submission.contest.tzinfo)
    if deadline <= timezone.now():
        raise DomainError(_("The deadline must be in the future."), field="deadline")
    if deadline > timezone.now() + MAX_REVISION_TIME:
        raise DomainError(
            _("The deadline must be within a year from now."), field="deadline"
        )
    submission.revision_deadline = deadline
    submission.revision_note = note
    return set_submission_state(
        submission=submission,
        new_state=SubmissionState.REVISION_REQUESTED,
        by=by,
        reason=note,
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


# ---------------------------------------------------------------- evidence


def _check_criterion(submission: Submission, criterion: Criterion | None) -> None:
    if criterion is not None and criterion.stage.contest_id != submission.contest_id:
        raise DomainError(
            _("Choose a criterion of this contest's rubric."), field="criterion"
        )


@transaction.atomic
def add_evidence_files(
    *,
    submission: Submission,
    uploads: Sequence[Any],
    by: User,
    title: str = "",
    criterion: Criterion | None = None,
) -> list[Evidence]:
    """Attach uploaded files. All or nothing: if one file is refused, none is stored and
    the error says why for each refused file."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    return _attach_files(
        submission=submission, uploads=uploads, by=by, title=title, criterion=criterion
    )


def add_evidence_file(
    *,
    submission: Submission,
    file: Any,
    by: User,
    title: str = "",
    criterion: Criterion | None = None,
) -> Evidence:
    ensure_not_frozen(submission.contest)
    return add_evidence_files(
        submission=submission, uploads=[file], by=by, title=title, criterion=criterion
    )[0]


def _attach_files(
    *,
    submission: Submission,
    uploads: Sequence[Any],
    by: User | None,
    title: str = "",
    criterion: Criterion | None = None,
) -> list[Evidence]:
    """Check and store files; no window or role check. The demo loader calls it directly
    (its contest's window was in 2023); the content checks all apply."""
    ensure_not_frozen(_committed(submission.contest))
    _check_criterion(submission, criterion)
    checked = _inspected_uploads(uploads)
    _check_entry_size(submission, sum(upload.size for upload, _n, _t in checked))
    created = _store_files(
        submission=submission,
        checked=checked,
        by=by,
        title=(title or "").strip(),
        criterion=criterion,
    )
    _process_images_on_commit(created)
    return created


def _inspected_uploads(uploads: Sequence[Any]) -> list[tuple[Any, str, Any]]:
    """(upload, display name, file type) for each upload; every refusal at once."""
    uploads = [u for u in uploads if u is not None]
    if not uploads:
        raise DomainError(_("Choose at least one file."), field="file")
    checked = []
    errors = []
    for upload in uploads:
        name = display_name(upload.name)
        try:
            ftype = files.inspect_upload(upload, name=name, size=upload.size)
        except DomainError as exc:
            errors.append(str(exc.message))
        else:
            checked.append((upload, name, ftype))
    if errors:
        raise DomainError(" ".join(errors), field="file")
    return checked


def _check_entry_size(submission: Submission, new_total: int) -> None:
    existing = evidence_total_size(submission)
    limit = settings.EVIDENCE_MAX_ENTRY_SIZE
    if existing + new_total > limit:
        raise DomainError(
            _(
                "With these files the entry's evidence would take %(total)s; an entry "
                "may have at most %(limit)s (%(existing)s used already)."
            )
            % {
                "total": filesizeformat(existing + new_total),
                "limit": filesizeformat(limit),
                "existing": filesizeformat(existing),
            },
            field="file",
        )


def _store_files(
    *,
    submission: Submission,
    checked: list[tuple[Any, str, Any]],
    by: User | None,
    title: str,
    criterion: Criterion | None,
) -> list[Evidence]:
    """Save each file and its row, audited; on any failure the stored files go."""
    stored: list[str] = []
    created: list[Evidence] = []
    try:
        for upload, name, ftype in checked:
            evidence = Evidence(
                submission=submission,
                kind=EvidenceKind.FILE,
                title=_evidence_title(title, name, len(checked)),
                criterion=criterion,
                original_name=name,
                content_type=ftype.mime,
                size=upload.size,
                created_by=by,
                processed_at=None if ftype.is_image else timezone.now(),
            )
            upload.seek(0)
            evidence.file.name = default_storage.save(
                evidence_upload_to(evidence, f"upload.{ftype.ext}"), upload
            )
            stored.append(evidence.file.name)
            evidence.save()
            created.append(evidence)
            ledger.record(
                action="evidence.added",
                obj=evidence,
                by=by,
                contest=submission.contest,
                data={
                    "submission": submission.pk,
                    "kind": EvidenceKind.FILE.value,
                    "title": evidence.title,
                    "name": name,
                    "content_type": ftype.mime,
                    "size": upload.size,
                    "criterion": criterion.pk if criterion else None,
                },
            )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return created


def _process_images_on_commit(created: list[Evidence]) -> None:
    from submissions.tasks import task_process_image

    for evidence in created:
        if evidence.is_image:
            evidence_id = evidence.pk
            transaction.on_commit(
                lambda evidence_id=evidence_id: task_process_image.delay(
                    evidence_id=evidence_id
                ),
                robust=True,
            )


def _evidence_title(title: str, name: str, count: int) -> str:
    if not title:
        return (PurePosixPath(name).stem or name)[:200]
    if count == 1:
        return title[:200]
    return f"{title}: {name}"[:200]


@transaction.atomic
def add_evidence_link(
    *,
    submission: Submission,
    url: str,
    title: str,
    by: User,
    criterion: Criterion | None = None,
) -> Evidence:
    """Attach a link to a video or a web page (http or https only)."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    _check_criterion(submission, criterion)
    url = (url or "").strip()
    title = (title or "").strip()
    try:
        validate_http_url(url)
    except Exception:
        raise DomainError(
            _("Enter a web address that starts with http:// or https://."), field="url"
        ) from None
    if not title:
        raise DomainError(_("Give the link a title."), field="title")
    evidence = Evidence.objects.create(
        submission=submission,
        kind=EvidenceKind.LINK,
        title=title[:200],
        url=url,
        criterion=criterion,
        created_by=by,
    )
    ledger.record(
        action="evidence.added",
        obj=evidence,
        by=by,
        contest=submission.contest,
        data={
            "submission": submission.pk,
            "kind": EvidenceKind.LINK.value,
            "title": evidence.title,
            "url": url,
            "criterion": criterion.pk if criterion else None,
        },
    )
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, by: User) -> None:
    submission = evidence.submission
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    ledger.record(
        action="evidence.removed",
        obj=evidence,
        by=by,
        contest=submission.contest,
        data={"submission": submission.pk, "title": evidence.title},
    )
    names = [evidence.file.name, evidence.thumbnail.name]
    evidence.delete()
    _delete_files_on_commit(names)


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


def process_evidence_image(*, evidence: Evidence) -> Evidence:
    """Re-encode an image without EXIF (GPS) and other metadata and make its thumbnail.
    Idempotent; if the evidence was removed meanwhile, the new files are dropped.

    Runs on a frozen contest too, on purpose: it derives a clean copy and a thumbnail
    of an image stored before the freeze (queued on commit, or by the sweep) and
    changes nothing anyone wrote. Refusing it would leave the image unservable forever
    (`Evidence.is_ready` waits for it), hiding evidence the published results rest on.
    """
    if evidence.processed_at is not None or not evidence.is_image:
        return evidence
    ftype = files.type_for_mime(evidence.content_type)
    if ftype is None or not ftype.is_image:
        return evidence
    old_name = evidence.file.name
    try:
        with default_storage.open(old_name, "rb") as source:
            clean = files.clean_image(source, ftype)
    except Exception as exc:
        logger.warning("image evidence %s could not be processed: %s", evidence.pk, exc)
        message = (
            str(exc.message)
            if isinstance(exc, DomainError)
            else _("The image could not be read.")
        )
        Evidence.objects.filter(pk=evidence.pk).update(processing_error=message[:300])
        evidence.processing_error = message[:300]
        return evidence
    new_name = default_storage.save(
        evidence_upload_to(evidence, f"image.{ftype.ext}"),
        File(clean.image, name="image"),
    )
    thumb_name = default_storage.save(
        thumbnail_upload_to(evidence, "thumb.jpg"), File(clean.thumbnail, name="thumb")
    )
    clean.image.close()
    clean.thumbnail.close()
    updated = Evidence.objects.filter(
        pk=evidence.pk, file=old_name, processed_at__isnull=True
    ).update(
        file=new_name,
        thumbnail=thumb_name,
        size=clean.image_size,
        processed_at=timezone.now(),
        processing_error="",
    )
    if updated:
        default_storage.delete(old_name)
        evidence.refresh_from_db()
    else:
        default_storage.delete(new_name)
        default_storage.delete(thumb_name)
    return evidence
