"""Writes for contests, their set-up and their roles. Each write is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.services import address_unproven, invitation_context, prepare_claim
from common.audit import apply_fields, audited_update, snapshot, stored
from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import indicators, ledger, windows
from contest.enums import StageKind
from contest.models import (
    CATEGORY_FIELDS,
    CONTEST_FIELDS,
    CRITERION_FIELDS,
    STAGE_FIELDS,
    Category,
    Contest,
    Criterion,
    Delegate,
    Organizer,
    Region,
    Stage,
)
from notifications import services as notification_services
from notifications.models import Notification
from notifications.services import notify

User = get_user_model()


def _locked(contest: Contest) -> Contest:
    """The contest's row as stored now, locked until the write commits.

    The final publication sets `frozen_at` under the same lock, so a write that
    began before it either finishes first or sees the contest frozen.
    """
    return Contest.objects.select_for_update().get(pk=contest.pk)


@transaction.atomic
def create_contest(*, by: User, **data: Any) -> Contest:
    """Create a contest; its creator becomes its first organizer."""
    contest = Contest(created_by=by if by.is_authenticated else None)
    apply_fields(contest, CONTEST_FIELDS, data)
    contest.full_clean()
    contest.save()
    organizer = Organizer.objects.create(contest=contest, user=by)
    ledger.record(
        action="contest.created",
        obj=contest,
        by=by,
        contest=contest,
        data=snapshot(contest, CONTEST_FIELDS),
    )
    ledger.record(
        action="organizer.added",
        obj=organizer,
        by=by,
        contest=contest,
        data={"user": by.email},
    )
    return contest


@transaction.atomic
def update_contest(*, contest: Contest, by: User, data: dict[str, Any]) -> Contest:
    """Change the contest; a submission window moved once entries exist is told
    to its delegates (contest/windows.py)."""
    ensure_not_frozen(_locked(contest))
    moved = windows.contest_window_change(contest, data)
    audited_update(
        contest,
        fields=CONTEST_FIELDS,
        data=data,
        before=stored(contest, CONTEST_FIELDS),
        record=lambda diff: ledger.record(
            action="contest.updated", obj=contest, by=by, contest=contest, data=diff
        ),
    )
    windows.announce(moved)
    return contest


@transaction.atomic
def create_category(*, contest: Contest, by: User, **data: Any) -> Category:
    ensure_not_frozen(_locked(contest))
    category = Category(contest=contest)
    apply_fields(category, CATEGORY_FIELDS, data)
    category.full_clean()
    category.save()
    ledger.record(
        action="category.created",
        obj=category,
        by=by,
        contest=contest,
        data=snapshot(category, CATEGORY_FIELDS),
    )
    return category


@transaction.atomic
def update_category(*, category: Category, by: User, data: dict[str, Any]) -> Category:
    ensure_not_frozen(_locked(category.contest))
    audited_update(
        category,
        fields=CATEGORY_FIELDS,
        data=data,
        before=stored(category, CATEGORY_FIELDS),
        record=lambda diff: ledger.record(
            action="category.updated",
            obj=category,
            by=by,
            contest=category.contest,
            data=diff,
        ),
    )
    return category


def _check_stage(stage: Stage) -> None:
    errors: dict[str, list[str]] = {}
    contest = stage.contest
    if stage.opens and stage.opens < contest.submission_opens:
        errors["opens"] = [
            _("A stage cannot open before the contest takes submissions.")
        ]
    if stage.kind == StageKind.SCREENING and stage.advance_per_category:
        errors["advance_per_category"] = [
            _("A screening stage passes every eligible entry; leave this empty.")
        ]
    if errors:
        raise ValidationError(errors)


def _last_stage_in_use(contest: Contest) -> int | None:
    """The order of the last stage that entries have taken part in (stage entries or
    assignments, read through reverse relations), or None."""
    return (
        contest.stages.filter(
            Q(stage_entries__isnull=False) | Q(assignments__isnull=False)
        )
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )


def _check_sequence_kept(contest: Contest, *, field: str) -> None:
    """Which entries a scoring stage holds follows from the order of the stages, so
    the order and kinds are fixed once entries have taken part in a stage."""
    if _last_stage_in_use(contest) is not None:
        raise DomainError(
            _(
                "Entries already take part in this contest's stages; the order and "
                "kind of the stages can no longer change."
            ),
            field=field,
            status=409,
        )


@transaction.atomic
def create_stage(*, contest: Contest, by: User, **data: Any) -> Stage:
    ensure_not_frozen(_locked(contest))
    stage = Stage(contest=contest)
    apply_fields(stage, STAGE_FIELDS, data)
    stage.full_clean()
    _check_stage(stage)
    last = _last_stage_in_use(contest)
    if last is not None and stage.is_judged and stage.order <= last:
        _check_sequence_kept(contest, field="order")
    stage.save()
    ledger.record(
        action="stage.created",
        obj=stage,
        by=by,
        contest=contest,
        data=snapshot(stage, STAGE_FIELDS),
    )
    return stage


@transaction.atomic
def update_stage(*, stage: Stage, by: User, data: dict[str, Any]) -> Stage:
    """Change the stage; a window moved once the stage holds work is told to
    those it reaches (contest/windows.py)."""
    ensure_not_frozen(_locked(stage.contest))
    before = stored(stage, STAGE_FIELDS)
    moved = windows.stage_window_change(stage, data)
    # Compared with the stored kind: a bound form may already have changed `stage`.
    if "kind" in data and data["kind"] != before["kind"] and stage.criteria.exists():
        raise DomainError(
            _(
                "This stage already has a rubric; remove its criteria before "
                "changing its kind."
            ),
            field="kind",
            status=409,
        )
    for name in ("order", "kind"):
        if name in data and data[name] != before[name]:
            _check_sequence_kept(stage.contest, field=name)
    audited_update(
        stage,
        fields=STAGE_FIELDS,
        data=data,
        before=before,
        check=_check_stage,
        record=lambda diff: ledger.record(
            action="stage.updated", obj=stage, by=by, contest=stage.contest, data=diff
        ),
    )
    windows.announce(moved)
    return stage


@transaction.atomic
def add_organizer(*, contest: Contest, user: User, by: User) -> Organizer:
    """Make `user` an organizer of `contest`; a new organizer gets an invitation
    (with the link to set a password when the account has none)."""
    ensure_not_frozen(_locked(contest))
    organizer, created = Organizer.objects.get_or_create(contest=contest, user=user)
    if created:
        ledger.record(
            action="organizer.added",
            obj=organizer,
            by=by,
            contest=contest,
            data={"user": user.email},
        )
        _invite(user=user, contest=contest, role="organizer", new_account=False)
    return organizer


def get_or_invite_user(*, email: str, name: str = "") -> tuple[User, bool]:
    """The account for an e-mail address, created without a password when new.

    An account signed up with the address but never proved to own it is not linked
    as it stands: its password is cleared (`accounts.services.prepare_claim`), so the
    role given to it can be used only by whoever sets a password through the
    invitation's link, which proves the address. Callers send that link whenever
    the account has no usable password.
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if address_unproven(user):
            prepare_claim(user=user)
        return user, False
    user = User.objects.create_user(email=email, password=None, name=name)
    return user, True


@transaction.atomic
def invite_delegate(
    *, contest: Contest, email: str, region: Region, by: User
) -> Delegate:
    """Link (or create and invite) a user as a delegate of `region` in `contest`.

    A new account gets an e-mail with a link to set its password; an existing one gets
    a notice. Both are written to the outbox with the change and sent after it commits.
    """
    ensure_not_frozen(_locked(contest))
    types = contest.eligible_region_types
    if types and region.type not in types:
        raise DomainError(
            _("%(region)s is a %(type)s; this contest accepts only: %(types)s.")
            % {
                "region": region.name,
                "type": region.get_type_display(),
                "types": ", ".join(types),
            },
            field="region",
        )
    user, created = get_or_invite_user(email=email)
    existing = Delegate.objects.filter(contest=contest, user=user).first()
    if existing is not None:
        if existing.region_id != region.pk:
            raise DomainError(
                _("%(email)s is already a delegate of %(region)s in this contest.")
                % {"email": user.email, "region": existing.region.name},
                field="email",
                status=409,
            )
        if not user.has_usable_password():
            # A claim was just prepared (or the password was never set): the link.
            _invite(user=user, contest=contest, role="delegate", new_account=True)
        return existing
    delegate = Delegate.objects.create(contest=contest, user=user, region=region)
    ledger.record(
        action="delegate.added",
        obj=delegate,
        by=by,
        contest=contest,
        data={"user": user.email, "region": region.code},
    )
    _invite(
        user=user,
        contest=contest,
        role="delegate",
        new_account=created or not user.has_usable_password(),
    )
    return delegate


def _invite(*, user: User, contest: Contest, role: str, new_account: bool) -> None:
    """The invitation to take `role` in `contest` (with the password link for a
    new account), written to the outbox in the caller's transaction and sent after
    it commits (or by the sweep, when the broker is down)."""
    notify(
        recipient=user,
        event="invitation",
        context=invitation_context(
            user=user, contest=contest, role=role, new_account=new_account
        ),
        contest_id=contest.pk,
    )


@transaction.atomic
def remove_delegate(*, delegate: Delegate, by: User) -> None:
    ensure_not_frozen(_locked(delegate.contest))
    ledger.record(
        action="delegate.removed",
        obj=delegate,
        by=by,
        contest=delegate.contest,
        data={"user": delegate.user.email, "region": delegate.region_id},
    )
    delegate.delete()


@transaction.atomic
def create_criterion(*, stage: Stage, by: User, **data: Any) -> Criterion:
    ensure_not_frozen(_locked(stage.contest))
    if not stage.is_judged:
        raise DomainError(
            _("Only a scoring stage has a rubric."), field="stage", status=409
        )
    if stage.is_indicator:
        data = {**data, **indicators.indicator_fields(data.get("levels"))}
    # The stage's assignments and their sheets (judging's rows, read through reverse
    # relations): a sheet is submitted exactly when it has `submitted_at`.
    if stage.assignments.filter(sheet__submitted_at__isnull=False).exists():
        raise DomainError(
            _(
                "Judges have submitted score sheets for this stage; "
                "its rubric is locked."
            ),
            field="stage",
            status=409,
        )
    criterion = Criterion(stage=stage)
    apply_fields(criterion, CRITERION_FIELDS, data)
    criterion.full_clean()
    criterion.save()
    ledger.record(
        action="criterion.created",
        obj=criterion,
        by=by,
        contest=stage.contest,
        data=snapshot(criterion, CRITERION_FIELDS),
    )
    return criterion


@transaction.atomic
def retry_notification(
    *, contest: Contest, notification: Notification, by: User
) -> Notification:
    """An organizer sends again a notification of the contest that the mail
    server refused for good (409 for any other), recorded in the ledger with the
    address and the event. Another contest's notification is not found (404)."""
    require_organizer(contest, by)
    if notification.contest_id != contest.pk:
        raise DomainError(_("This notification is not of this contest."), status=404)
    row = notification_services.retry(notification=notification)
    ledger.record(
        action="notification.retried",
        obj=contest,
        by=by,
        contest=contest,
        data={"notification": row.pk, "email": row.email, "event": row.event},
    )
    return row
