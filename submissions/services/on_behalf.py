"""An entry an organizer enters for a region, as its delegate would (the import of
entries collected offline, submissions/imports.py).

Every rule of `create_submission` holds (frozen contest, open window, the region's
eligibility, the limit per category), checked for the delegate the entry is
entered for: the draft is theirs to complete and submit. What differs is who the
ledger names: the organizer who entered it, with the delegate in its data; and the
delegate is told, by e-mail, that an entry was created for their region."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import apply_fields, snapshot
from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Category, Contest, Delegate, Region
from notifications.services import notify
from submissions.models import SUBMISSION_FIELDS, Submission
from submissions.notices import entry_link
from submissions.services._common import User, _committed, _normalized
from submissions.services.workflow import check_eligibility, check_window

EVENT = "submission.imported"


def _lock_region(region: Region) -> None:
    """Serialize entries of one region (PostgreSQL), so that a check made after it
    (the limit, a title already there) still holds when the entry is written."""
    list(Region.objects.select_for_update().filter(pk=region.pk).values_list("pk"))


def _check_delegate(*, contest: Contest, delegate: Delegate) -> None:
    """Refuse a delegate of another contest, or one whose account is deactivated."""
    if delegate.contest_id != contest.pk:
        raise DomainError(
            _("%(email)s is not a delegate of this contest.")
            % {"email": delegate.user.email},
            field="delegate",
        )
    if not delegate.user.is_active:
        raise DomainError(
            _("%(email)s's account is deactivated; name another delegate.")
            % {"email": delegate.user.email},
            field="delegate",
        )


@transaction.atomic
def create_submission_on_behalf(
    *, contest: Contest, by: User, delegate: Delegate, **data: Any
) -> Submission:
    """Create a draft of `delegate`'s region, entered by the organizer `by`."""
    require_organizer(contest, by)
    ensure_not_frozen(_committed(contest))
    check_window(contest)
    _check_delegate(contest=contest, delegate=delegate)
    region = delegate.region
    _lock_region(region)
    category = data.get("category")
    if not isinstance(category, Category):
        raise DomainError(_("Choose a category of this contest."), field="category")
    check_eligibility(
        contest=contest, region=region, category=category, by=delegate.user
    )
    submission = Submission(contest=contest, region=region, created_by=delegate.user)
    apply_fields(submission, SUBMISSION_FIELDS, _normalized(data))
    submission.full_clean()
    submission.save()
    ledger.record(
        action="submission.created",
        obj=submission,
        by=by,
        contest=contest,
        data={
            "region": region.pk,
            "on_behalf_of": delegate.user.email,
            "delegate": delegate.user_id,
            **snapshot(submission, SUBMISSION_FIELDS),
        },
    )
    _tell_delegate(submission=submission, delegate=delegate, by=by)
    return submission


def _tell_delegate(*, submission: Submission, delegate: Delegate, by: User) -> None:
    user = delegate.user
    contest = submission.contest
    notify(
        recipient=user,
        event=EVENT,
        contest_id=contest.pk,
        context={
            "name": user.name or user.email,
            "entry_title": submission.title,
            "region_name": submission.region.name,
            "contest_name": contest.name,
            "organizer_name": by.name or by.email,
            "url": entry_link(submission),
        },
    )
