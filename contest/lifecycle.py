"""A contest's life beyond its set-up, without Django admin: who may create
contests, a contest's organizers, deleting a category, a stage or a whole contest
(with what goes with it and why it may be refused), and cloning a contest for its
next edition. Every write is in the ledger.

The rows of higher apps (entries, judges, stage entries, assignments, sheets,
awards, publications) are counted and recorded through their reverse relations
(`category.submissions`, `stage.assignments`, ...): this app imports none of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.audit import snapshot
from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import entry_forms, ledger, services, services_clusters
from contest.models import (
    CATEGORY_FIELDS,
    CONTEST_FIELDS,
    CRITERION_FIELDS,
    STAGE_FIELDS,
    Category,
    Contest,
    Criterion,
    Organizer,
    Stage,
)
from contest.models_formats import QUESTION_FIELDS
from contest.rules import is_superuser
from notifications import services as notification_services

User = get_user_model()


# The contest's row locked until the write commits (contest.services).
_locked = services._locked


# Creator rights ------------------------------------------------------------------


def accounts_for_rights(*, email: str = "") -> QuerySet:
    """The accounts a superuser grants contest-creator rights to, by address (a
    part of it), creators first; one query per page whatever its length."""
    qs = User.objects.only(
        "pk", "email", "name", "institution", "can_create_contests", "is_superuser"
    )
    if email.strip():
        qs = qs.filter(email__icontains=email.strip())
    return qs.order_by("-can_create_contests", "email")


@transaction.atomic
def set_creator_right(*, user: Any, allowed: bool, by: Any) -> Any:
    """Give or take `user`'s right to create contests. Only a superuser may (403
    otherwise). The change is in the ledger without a contest: the right is the
    account's, not any contest's (the entry names the account and its address)."""
    if not is_superuser(by):
        raise DomainError(
            _("Only a superuser may give or take the right to create contests."),
            status=403,
        )
    account = User.objects.select_for_update().get(pk=user.pk)
    if account.can_create_contests == allowed:
        return account
    account.can_create_contests = allowed
    account.save(update_fields=["can_create_contests"])
    ledger.record(
        action="account.creator_right_given"
        if allowed
        else "account.creator_right_taken",
        obj=account,
        by=by,
        data={"email": account.email, "can_create_contests": [not allowed, allowed]},
    )
    return account


# Organizers ------------------------------------------------------------------------


def organizers_of(contest: Contest) -> QuerySet[Organizer]:
    return contest.organizers.select_related("user").order_by("user__email")


@transaction.atomic
def invite_organizer(*, contest: Contest, email: str, by: Any) -> Organizer:
    """Make the account of `email` (created without a password when new) an
    organizer; the invitation goes through the outbox, with the link to set a
    password when the account has none. An organizer already is refused (409)."""
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    known = contest.organizers.filter(user__email__iexact=email.strip()).first()
    if known is not None:
        raise DomainError(
            _("%(email)s is already an organizer of this contest.")
            % {"email": known.user.email},
            field="email",
            status=409,
        )
    user, _created = services.get_or_invite_user(email=email)
    return services.add_organizer(contest=contest, user=user, by=by)


@transaction.atomic
def remove_organizer(*, organizer: Organizer, by: Any) -> None:
    """Remove an organizer; a contest always keeps one (so the last organizer
    cannot remove themself either)."""
    contest = organizer.contest
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    if contest.organizers.count() <= 1:
        raise DomainError(
            _(
                "A contest keeps at least one organizer: invite another one before "
                "removing %(email)s."
            )
            % {"email": organizer.user.email},
            status=409,
        )
    ledger.record(
        action="organizer.removed",
        obj=organizer,
        by=by,
        contest=contest,
        data={"user": organizer.user.email},
    )
    organizer.delete()


# What a deletion takes with it -----------------------------------------------------


@dataclass
class Deletion:
    """What deleting an object takes with it (`goes`: label and count, shown on the
    confirmation page) and why it may not be deleted (`refusals`, in words)."""

    goes: list[tuple[str, int]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)

    def add(self, label: str, count: int) -> None:
        if count:
            self.goes.append((label, count))

    def refuse(self) -> None:
        if self.refusals:
            raise DomainError(self.refusals[0], status=409)


def _entries_refusal(count: int, where: str) -> str:
    return ngettext(
        "%(where)s already has %(n)d entry; it cannot be deleted.",
        "%(where)s already has %(n)d entries; it cannot be deleted.",
        count,
    ) % {"where": where, "n": count}


def _frozen(contest: Contest, deletion: Deletion) -> None:
    if contest.is_frozen:
        deletion.refusals.append(
            _("The results are published; this contest no longer changes.")
        )


def category_deletion(category: Category) -> Deletion:
    deletion = Deletion()
    _frozen(category.contest, deletion)
    entries = category.submissions.count()
    if entries:
        deletion.refusals.append(_entries_refusal(entries, _("This category")))
    if category.awards.exists():
        deletion.refusals.append(
            _("Awards were given in this category; it cannot be deleted.")
        )
    judges = category.panel_judges.count()
    deletion.add(_("judges' panels that name it (the judges stay)"), judges)
    deletion.add(_("judges' expertise that names it"), category.judges.count())
    return deletion


def _sheets_of(stage: Stage) -> int:
    """The stage's score sheets, drafts included (judging's rows, read through the
    assignments' reverse relation)."""
    return stage.assignments.filter(sheet__isnull=False).count()


def _has_related(obj, name: str) -> bool:
    """Whether the one-to-one reverse relation `name` of `obj` has a row."""
    try:
        getattr(obj, name)
    except ObjectDoesNotExist:
        return False
    return True


def stage_deletion(stage: Stage) -> Deletion:
    deletion = Deletion()
    _frozen(stage.contest, deletion)
    sheets = _sheets_of(stage)
    if sheets:
        deletion.refusals.append(
            ngettext(
                "Judges have %(n)d score sheet in this stage; it cannot be deleted.",
                "Judges have %(n)d score sheets in this stage; it cannot be deleted.",
                sheets,
            )
            % {"n": sheets}
        )
    later = stage.contest.stages.filter(order__gt=stage.order)
    if later.filter(stage_entries__isnull=False).exists():
        deletion.refusals.append(
            _(
                "Entries already take part in a later stage, which follows from this "
                "one; it cannot be deleted."
            )
        )
    # Reverse relations of higher apps (results, submissions), read by name.
    if stage.minutes.exists() or _has_related(stage, "advancement"):
        deletion.refusals.append(
            _(
                "This stage has its minutes or its advancement decision, records "
                "of the contest; it cannot be deleted."
            )
        )
    evidence = stage.criteria.aggregate(n=Count("evidence"))["n"]
    if evidence:
        deletion.refusals.append(
            ngettext(
                "Delegates tied %(n)d piece of evidence to this stage's criteria; "
                "it cannot be deleted.",
                "Delegates tied %(n)d pieces of evidence to this stage's criteria; "
                "it cannot be deleted.",
                evidence,
            )
            % {"n": evidence}
        )
    deletion.add(_("criteria of its rubric"), stage.criteria.count())
    deletion.add(_("entries taking part in it"), stage.stage_entries.count())
    deletion.add(_("judge assignments"), stage.assignments.count())
    return deletion


def contest_deletion(contest: Contest) -> Deletion:
    deletion = Deletion()
    _frozen(contest, deletion)
    entries = contest.submissions.count()
    if entries:
        deletion.refusals.append(_entries_refusal(entries, _("This contest")))
    if contest.publications.exists() or contest.awards.exists():
        deletion.refusals.append(
            _("This contest has awards or published results; it cannot be deleted.")
        )
    criteria = Criterion.objects.filter(stage__contest=contest).count()
    for label, count in (
        (_("categories"), contest.categories.count()),
        (_("stages"), contest.stages.count()),
        (_("criteria"), criteria),
        (_("organizers' roles"), contest.organizers.count()),
        (_("delegates' roles"), contest.delegates.count()),
        (_("judges' roles"), contest.judges.count()),
    ):
        deletion.add(label, count)
    return deletion


# Deleting --------------------------------------------------------------------------


@transaction.atomic
def delete_category(*, category: Category, by: Any) -> None:
    """Delete a category without entries. The judges whose panels or expertise
    named it keep their role without it, each recorded after the delete."""
    contest = category.contest
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    category_deletion(category).refuse()
    judges = list(
        contest.judges.filter(
            Q(panels__pk=category.pk) | Q(categories__pk=category.pk)
        ).distinct()
    )
    ledger.record(
        action="category.deleted",
        obj=category,
        by=by,
        contest=contest,
        data=snapshot(category, CATEGORY_FIELDS),
    )
    category.delete()
    ledger.record_many(
        action="judge.updated",
        objs=judges,
        by=by,
        contest=contest,
        data={"category_deleted": category.name},
    )


def _record_removals(action: str, rows: QuerySet, *, by: Any, contest: Any) -> None:
    ledger.record_many(action=action, objs=list(rows), by=by, contest=contest)


@transaction.atomic
def delete_stage(*, stage: Stage, by: Any) -> None:
    """Delete a stage without score sheets, with its rubric, its entries and its
    assignments (each recorded by whoever deleted it)."""
    contest = stage.contest
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    stage_deletion(stage).refuse()
    # The contest's state includes its stages' weights (results' rows): when this
    # stage had one, the contest is recorded again once the stage is gone.
    weighted = Stage.objects.filter(pk=stage.pk, stage_weight__isnull=False).exists()
    _record_removals("criterion.deleted", stage.criteria.all(), by=by, contest=contest)
    _record_removals(
        "assignment.deleted", stage.assignments.all(), by=by, contest=contest
    )
    _record_removals(
        "stage_entry.deleted", stage.stage_entries.all(), by=by, contest=contest
    )
    ledger.record(
        action="stage.deleted",
        obj=stage,
        by=by,
        contest=contest,
        data=snapshot(stage, ["name", "order", "kind"]),
    )
    name = stage.name
    stage.delete()
    if weighted:
        ledger.record(
            action="contest.stage_weights_changed",
            obj=contest,
            by=by,
            contest=contest,
            data={"stage": name},
            deleted=False,
        )


@transaction.atomic
def delete_contest(*, contest: Contest, by: Any) -> None:
    """Delete a contest that has no entries, awards or publications, with its
    set-up and its roles. A frozen contest is never deleted. Its ledger entries
    stay (they name the contest by its slug)."""
    if by is None or not by.has_perm("contest.remove_contest", contest):
        raise DomainError(_("Only the contest's organizers may delete it."), status=403)
    contest = _locked(contest)
    ensure_not_frozen(contest)
    contest_deletion(contest).refuse()
    for action, rows in (
        ("criterion.deleted", Criterion.objects.filter(stage__contest=contest)),
        ("stage.deleted", contest.stages.all()),
        ("category.deleted", contest.categories.all()),
        ("judge.removed", contest.judges.all()),
        ("delegate.removed", contest.delegates.all()),
        ("organizer.removed", contest.organizers.all()),
    ):
        _record_removals(action, rows, by=by, contest=contest)
    ledger.record(
        action="contest.deleted",
        obj=contest,
        by=by,
        contest=contest,
        data=snapshot(contest, ["name", "slug"]),
    )
    notification_services.forget_contest(contest_id=contest.pk)
    contest.delete()


# Cloning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shift:
    """How a clone's dates follow the original's: `years` calendar years later (a
    29 February becomes the 28th), then `delta` later, at the same local time in
    the contest's zone."""

    years: int = 0
    delta: dt.timedelta = dt.timedelta(0)

    def apply(self, when: dt.datetime, zone: Any) -> dt.datetime:
        local = when.astimezone(zone)
        if self.years:
            year = local.year + self.years
            try:
                local = local.replace(year=year)
            except ValueError:
                local = local.replace(year=year, day=28)
        return (local + self.delta).astimezone(dt.UTC)


def shift_to_open(contest: Contest, opens: dt.datetime) -> Shift:
    """The shift that opens the clone's submissions at `opens`."""
    return Shift(delta=opens - contest.submission_opens)


def _clone_settings(contest: Contest, *, name: str, slug: str, shift: Shift) -> dict:
    data = snapshot(contest, CONTEST_FIELDS)
    zone = contest.tzinfo
    data.update(
        name=name,
        slug=slug,
        host_region=contest.host_region,
        submission_opens=shift.apply(contest.submission_opens, zone),
        submission_closes=shift.apply(contest.submission_closes, zone),
        eligible_region_types=list(contest.eligible_region_types),
        is_public=False,
    )
    return data


@transaction.atomic
def clone_contest(
    *,
    contest: Contest,
    by: Any,
    name: str,
    slug: str,
    shift: Shift,
    include_organizers: bool = False,
) -> Contest:
    """A new, unannounced contest with `contest`'s settings, categories, stages and
    rubrics, every date moved by `shift`; its organizers too when asked (each
    invited). Entries, judges, delegates, sheets, results, stage weights and bands
    are the edition's own and are not copied. Each row is made by the service that
    owns it (so its rules and its ledger entry hold), then the clone's origin is
    recorded on the new contest."""
    if by is None or not by.has_perm("contest.clone_contest", contest):
        raise DomainError(
            _("Only an organizer of this contest who may create contests may copy it."),
            status=403,
        )
    new = services.create_contest(
        by=by, **_clone_settings(contest, name=name, slug=slug, shift=shift)
    )
    for category in contest.categories.order_by("order", "pk"):
        services.create_category(
            contest=new, by=by, **snapshot(category, CATEGORY_FIELDS)
        )
    zone = contest.tzinfo
    for stage in contest.stages.prefetch_related("criteria").order_by("order"):
        data = snapshot(stage, STAGE_FIELDS)
        data.update(
            opens=shift.apply(stage.opens, zone), closes=shift.apply(stage.closes, zone)
        )
        copy = services.create_stage(contest=new, by=by, **data)
        for criterion in stage.criteria.all():
            services.create_criterion(
                stage=copy, by=by, **snapshot(criterion, CRITERION_FIELDS)
            )
    _clone_formats(contest, new, by)
    if include_organizers:
        for organizer in contest.organizers.exclude(user=by).select_related("user"):
            services.add_organizer(contest=new, user=organizer.user, by=by)
    ledger.record(
        action="contest.cloned",
        obj=new,
        by=by,
        contest=new,
        data={
            "from": contest.slug,
            "years": shift.years,
            "seconds": int(shift.delta.total_seconds()),
            "organizers": include_organizers,
        },
    )
    return new


def _clone_formats(contest: Contest, new: Contest, by: Any) -> None:
    """The region clusters and the entry form go with the copy, tied to its own
    categories (matched by slug)."""
    categories = {category.slug: category for category in new.categories.all()}
    clusters = contest.clusters.prefetch_related("regions", "categories")
    for cluster in clusters.order_by("order", "pk"):
        services_clusters.create_cluster(
            contest=new,
            by=by,
            name=cluster.name,
            slug=cluster.slug,
            region_type=cluster.region_type,
            order=cluster.order,
            regions=[region.code for region in cluster.regions.all()] or None,
            categories=[categories[c.slug] for c in cluster.categories.all()],
        )
    for question in contest.questions.select_related("category").order_by("order"):
        data = snapshot(question, QUESTION_FIELDS)
        data["category"] = (
            categories[question.category.slug] if question.category_id else None
        )
        entry_forms.create_question(contest=new, by=by, **data)
