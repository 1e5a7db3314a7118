"""An entry's own rows: create, update and delete a draft."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import apply_fields, audited_update, snapshot
from common.errors import DomainError
from common.guards import ensure_not_frozen
from contest import ledger
from contest.models import Category, Contest, Delegate, Region
from submissions.enums import SubmissionState
from submissions.models import SUBMISSION_FIELDS, Submission
from submissions.services._common import (
    User,
    _committed,
    _delete_files_on_commit,
    _lock,
    _normalized,
    _require_delegate,
)
from submissions.services.answers import _drop_unasked_answers
from submissions.services.history import claim_previous_entry
from submissions.services.workflow import (
    check_eligibility,
    check_open_for_changes,
    check_window,
)


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
    previous = data.pop("previous_entry", None)
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
    if previous is not None:
        claim_previous_entry(submission=submission, previous_entry=previous, by=by)
    return submission


@transaction.atomic
def update_submission(
    *, submission: Submission, by: User, data: dict[str, Any]
) -> Submission:
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    data = dict(data)
    if "previous_entry" in data:
        claim_previous_entry(
            submission=submission, previous_entry=data.pop("previous_entry"), by=by
        )
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
    if submission.category_id != before["category"]:
        _drop_unasked_answers(submission=submission, by=by)
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
