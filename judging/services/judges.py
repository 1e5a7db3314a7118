"""Judges and panels: invite, update, remove."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import invitation_context
from common.errors import DomainError
from contest import ledger
from contest import services as contest_services
from contest.models import Category, Contest, Region
from judging.models import (
    Judge,
    ScoreSheet,
)
from judging.services._common import _guard, _remove_assignments
from judging.services.conflicts import sync_derived_conflicts
from notifications.services import notify

User = get_user_model()


def _check_categories(contest: Contest, categories: Iterable[Category], name: str):
    categories = list(categories or [])
    if any(category.contest_id != contest.pk for category in categories):
        raise DomainError(_("Choose categories of this contest."), field=name)
    return categories


@transaction.atomic
def invite_judge(
    *,
    contest: Contest,
    email: str,
    by: User,
    name: str = "",
    home_region: Region | None = None,
    categories: Iterable[Category] = (),
    panels: Iterable[Category] = (),
) -> Judge:
    """Link (or create and invite) a user as a judge of `contest`.

    A new account, or one that never set a password, gets an e-mail with a link to
    set one; an existing account gets a notice. Both are written to the outbox
    with the change and sent after it commits.
    """
    _guard(contest)
    categories = _check_categories(contest, categories, "categories")
    panels = _check_categories(contest, panels, "panels")
    user, created = contest_services.get_or_invite_user(email=email, name=name)
    if Judge.objects.filter(contest=contest, user=user).exists():
        raise DomainError(
            _("%(email)s is already a judge in this contest.") % {"email": user.email},
            field="email",
            status=409,
        )
    judge = Judge.objects.create(
        contest=contest, user=user, name=name.strip(), home_region=home_region
    )
    judge.categories.set(categories)
    judge.panels.set(panels)
    ledger.record(
        action="judge.added",
        obj=judge,
        by=by,
        contest=contest,
        data=_judge_snapshot(judge),
    )
    notify(
        recipient=user,
        event="invitation",
        context=invitation_context(
            user=user,
            contest=contest,
            role="judge",
            new_account=created or not user.has_usable_password(),
        ),
        contest_id=contest.pk,
    )
    return judge


def _judge_snapshot(judge: Judge) -> dict[str, Any]:
    return {
        "user": judge.user.email,
        "name": judge.name,
        "home_region": judge.home_region_id,
        "categories": sorted(judge.categories.values_list("pk", flat=True)),
        "panels": sorted(judge.panels.values_list("pk", flat=True)),
    }


@transaction.atomic
def update_judge(
    *,
    judge: Judge,
    by: User,
    name: str,
    home_region: Region | None,
    categories: Iterable[Category],
    panels: Iterable[Category],
) -> Judge:
    """Change a judge's name, home region, expertise and panels. The conflicts the
    regions imply are recomputed at once (sync_derived_conflicts): a new one takes
    the judge off the entry, or its submitted sheet out of the results."""
    contest = judge.contest
    _guard(contest)
    categories = _check_categories(contest, categories, "categories")
    panels = _check_categories(contest, panels, "panels")
    before = _judge_snapshot(judge)
    judge.name = name.strip()
    judge.home_region = home_region
    judge.save(update_fields=["name", "home_region"])
    judge.categories.set(categories)
    judge.panels.set(panels)
    after = _judge_snapshot(judge)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if diff:
        ledger.record(
            action="judge.updated", obj=judge, by=by, contest=contest, data=diff
        )
    if "home_region" in diff:
        sync_derived_conflicts(contest=contest, by=by)
    return judge


@transaction.atomic
def remove_judge(*, judge: Judge, by: User) -> None:
    """Remove a judge who has not started any sheet; their empty assignments go too."""
    _guard(judge.contest)
    if ScoreSheet.objects.filter(assignment__judge=judge).exists():
        raise DomainError(
            _("%(judge)s has already started score sheets and cannot be removed.")
            % {"judge": judge},
            status=409,
        )
    ledger.record(
        action="judge.removed",
        obj=judge,
        by=by,
        contest=judge.contest,
        data={
            "user": judge.user.email,
            "assignments": judge.assignments.count(),
        },
    )
    _remove_assignments(list(judge.assignments.all()), by=by, contest=judge.contest)
    judge.delete()
