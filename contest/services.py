"""Writes for contests, their set-up and their roles. Each write is audited."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.guards import ensure_not_frozen
from config.errors import DomainError
from contest import ledger
from contest.models import (
    Category,
    Contest,
    Criterion,
    Delegate,
    Organizer,
    Region,
    Stage,
)

User = get_user_model()

CONTEST_FIELDS = [
    "name",
    "slug",
    "description",
    "host_region",
    "timezone",
    "submission_opens",
    "submission_closes",
    "eligible_region_types",
    "max_entries_per_region",
    "is_public",
]
CATEGORY_FIELDS = ["name", "slug", "description", "order"]
STAGE_FIELDS = [
    "name",
    "order",
    "kind",
    "description",
    "opens",
    "closes",
    "judges_per_entry",
    "advance_per_category",
    "disagreement_threshold",
    "peer_scores_visible",
]


def _snapshot(instance: Any, fields: list[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(instance, name)
        out[name] = value.pk if hasattr(value, "pk") else value
    return out


def _apply(instance: Any, fields: list[str], data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise DomainError(_("This field cannot be changed here."), field=unknown[0])
    for name, value in data.items():
        setattr(instance, name, value)


def _stored(instance: Any, fields: list[str]) -> dict[str, Any]:
    """The row as the database holds it (a bound form may have changed the instance)."""
    return _snapshot(type(instance).objects.get(pk=instance.pk), fields)


def _locked(contest: Contest) -> Contest:
    """The contest's row as stored now, locked until the write commits.

    The final publication sets `frozen_at` under the same lock, so a write that
    began before it either finishes first or sees the contest frozen.
    """
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _validate(instance: Any) -> None:
    """Run the model's field, clean and constraint checks (raises ValidationError)."""
    instance.full_clean()


@transaction.atomic
def create_contest(*, by: User, **data: Any) -> Contest:
    """Create a contest; its creator becomes its first organizer."""
    contest = Contest(created_by=by if by.is_authenticated else None)
    _apply(contest, CONTEST_FIELDS, data)
    _validate(contest)
    contest.save()
    Organizer.objects.create(contest=contest, user=by)
    ledger.record(
        action="contest.created",
        obj=contest,
        by=by,
        contest=contest,
        data=_snapshot(contest, CONTEST_FIELDS),
    )
    return contest


@transaction.atomic
def update_contest(*, contest: Contest, by: User, data: dict[str, Any]) -> Contest:
    ensure_not_frozen(_locked(contest))
    before = _stored(contest, CONTEST_FIELDS)
    _apply(contest, CONTEST_FIELDS, data)
    _validate(contest)
    contest.save()
    diff = ledger.changes(contest, CONTEST_FIELDS, before)
    if diff:
        ledger.record(
            action="contest.updated", obj=contest, by=by, contest=contest, data=diff
        )
    return contest


@transaction.atomic
def create_category(*, contest: Contest, by: User, **data: Any) -> Category:
    ensure_not_frozen(_locked(contest))
    category = Category(contest=contest)
    _apply(category, CATEGORY_FIELDS, data)
    _validate(category)
    category.save()
    ledger.record(
        action="category.created",
        obj=category,
        by=by,
        contest=contest,
        data=_snapshot(category, CATEGORY_FIELDS),
    )
    return category


@transaction.atomic
def update_category(*, category: Category, by: User, data: dict[str, Any]) -> Category:
    ensure_not_frozen(_locked(category.contest))
    before = _stored(category, CATEGORY_FIELDS)
    _apply(category, CATEGORY_FIELDS, data)
    _validate(category)
    category.save()
    diff = ledger.changes(category, CATEGORY_FIELDS, before)
    if diff:
        ledger.record(
            action="category.updated",
            obj=category,
            by=by,
            contest=category.contest,
            data=diff,
        )
    return category


def _check_stage(stage: Stage) -> None:
    errors: dict[str, list[str]] = {}
    contest = stage.contest
    if stage.opens and stage.opens < contest.submission_opens:
        errors["opens"] = [
            _("A stage cannot open before the contest takes submissions.")
        ]
    if stage.kind == "screening" and stage.advance_per_category:
        errors["advance_per_category"] = [
            _("A screening stage passes every eligible entry; leave this empty.")
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_stage(*, contest: Contest, by: User, **data: Any) -> Stage:
    ensure_not_frozen(_locked(contest))
    stage = Stage(contest=contest)
    _apply(stage, STAGE_FIELDS, data)
    _validate(stage)
    _check_stage(stage)
    stage.save()
    ledger.record(
        action="stage.created",
        obj=stage,
        by=by,
        contest=contest,
        data=_snapshot(stage, STAGE_FIELDS),
    )
    return stage


@transaction.atomic
def update_stage(*, stage: Stage, by: User, data: dict[str, Any]) -> Stage:
    ensure_not_frozen(_locked(stage.contest))
    before = _stored(stage, STAGE_FIELDS)
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
    _apply(stage, STAGE_FIELDS, data)
    _validate(stage)
    _check_stage(stage)
    stage.save()
    diff = ledger.changes(stage, STAGE_FIELDS, before)
    if diff:
        ledger.record(
            action="stage.updated", obj=stage, by=by, contest=stage.contest, data=diff
        )
    return stage


@transaction.atomic
def add_organizer(*, contest: Contest, user: User, by: User) -> Organizer:
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
    return organizer


def get_or_invite_user(*, email: str, name: str = "") -> tuple[User, bool]:
    """The account for an e-mail address, created without a password when new.

    An account signed up with the address but never proved to own it is not linked
    as it stands: its password is cleared (`accounts.services.prepare_claim`), so the
    role given to it can be used only by whoever sets a password through the
    invitation's link, which proves the address. Callers send that link whenever
    the account has no usable password.
    """
    from accounts.services import address_unproven, prepare_claim

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
    a notice. Both are sent after the transaction commits.
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
            from accounts.tasks import task_send_invitation

            transaction.on_commit(
                lambda: task_send_invitation.delay(
                    user_id=user.pk,
                    contest_id=contest.pk,
                    role="delegate",
                    new_account=True,
                )
            )
        return existing
    delegate = Delegate.objects.create(contest=contest, user=user, region=region)
    ledger.record(
        action="delegate.added",
        obj=delegate,
        by=by,
        contest=contest,
        data={"user": user.email, "region": region.code},
    )
    from accounts.tasks import task_send_invitation

    transaction.on_commit(
        lambda: task_send_invitation.delay(
            user_id=user.pk,
            contest_id=contest.pk,
            role="delegate",
            new_account=created or not user.has_usable_password(),
        )
    )
    return delegate


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


CRITERION_FIELDS = [
    "name",
    "description",
    "weight",
    "min_score",
    "max_score",
    "step",
    "levels",
    "expected_evidence",
    "order",
]


@transaction.atomic
def create_criterion(*, stage: Stage, by: User, **data: Any) -> Criterion:
    ensure_not_frozen(_locked(stage.contest))
    if not stage.is_scoring:
        raise DomainError(
            _("Only a scoring stage has a rubric."), field="stage", status=409
        )
    sheets = apps.get_model("judging", "ScoreSheet").objects
    if sheets.filter(assignment__stage=stage, state="submitted").exists():
        raise DomainError(
            _(
                "Judges have submitted score sheets for this stage; "
                "its rubric is locked."
            ),
            field="stage",
            status=409,
        )
    criterion = Criterion(stage=stage)
    _apply(criterion, CRITERION_FIELDS, data)
    _validate(criterion)
    criterion.save()
    ledger.record(
        action="criterion.created",
        obj=criterion,
        by=by,
        contest=stage.contest,
        data=_snapshot(criterion, CRITERION_FIELDS),
    )
    return criterion
