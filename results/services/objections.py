"""Objections (sanggahan) against a provisional publication: filed by a
participant, answered by an organizer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import address_unproven
from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Contest
from contest.rules import is_delegate_of
from results import notices, selectors
from results.enums import (
    ObjectionOutcome,
)
from results.models import (
    Objection,
    Publication,
)
from results.services.guards import _lock

User = get_user_model()

# ---------------------------------------------------------------- objections


def objections_per_user() -> int:
    """How many objections one user may file against one publication
    (setting OBJECTIONS_PER_USER, 3 by default)."""
    return int(getattr(settings, "OBJECTIONS_PER_USER", 3))


def check_may_object(*, contest: Contest, provisional: Publication, by: User) -> None:
    """Who may object (403 otherwise): a signed-in user whose address is not an
    unconfirmed sign-up (accounts.services.address_unproven; whatever the site's
    verification mode) and who takes part in the contest as a delegate of one of
    its regions, unless the organizers opened the objections to everyone."""
    if by is None or not by.is_authenticated:
        raise DomainError(_("Sign in to file an objection."), status=403)
    if address_unproven(by):
        raise DomainError(
            _("Confirm your e-mail address before you file an objection."),
            status=403,
        )
    if not provisional.objections_open_to_all and not is_delegate_of.test(by, contest):
        raise DomainError(
            _(
                "Only the delegates of the regions taking part in this contest may "
                "object to its results."
            ),
            status=403,
        )


@transaction.atomic
def file_objection(
    *, contest: Contest, submission_id: int, text: str, by: User
) -> Objection:
    """A user who may object (check_may_object) objects to an entry's provisional
    result while the objection window is open, up to objections_per_user() times
    per publication (409 beyond)."""
    if by is None or not by.is_authenticated:
        raise DomainError(_("Sign in to file an objection."), status=403)
    contest = _lock(contest)
    ensure_not_frozen(contest)
    provisional = selectors.open_provisional(contest)
    if provisional is None:
        raise DomainError(
            _("No objection window is open for this contest."), status=409
        )
    check_may_object(contest=contest, provisional=provisional, by=by)
    limit = objections_per_user()
    filed = Objection.objects.filter(publication=provisional, filed_by=by).count()
    if filed >= limit:
        raise DomainError(
            ngettext(
                "You have filed %(count)d objection to these results, as many as "
                "one person may.",
                "You have filed %(count)d objections to these results, as many as "
                "one person may.",
                filed,
            )
            % {"count": filed},
            status=409,
        )
    if not isinstance(text, str):
        raise DomainError(_("Say what you object to, and why."), field="text")
    text = text.strip()
    if not text:
        raise DomainError(_("Say what you object to, and why."), field="text")
    if len(text) > 4000:
        raise DomainError(_("Keep it under 4000 characters."), field="text")
    published = {entry["id"] for entry in provisional.snapshot.get("entries", [])}
    try:
        submission_id = int(submission_id)
    except (TypeError, ValueError):
        submission_id = -1
    if submission_id not in published:
        raise DomainError(
            _("Choose an entry of the provisional results."), field="submission"
        )
    objection = Objection.objects.create(
        publication=provisional,
        submission_id=submission_id,
        filed_by=by,
        text=text,
    )
    ledger.record(
        action="results.objection_filed",
        obj=objection,
        by=by,
        contest=contest,
        data={"publication": provisional.pk, "submission": submission_id},
    )
    return objection


def _clean_answer(outcome: Any, answer: Any) -> str:
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED):
        raise DomainError(_("Uphold or dismiss the objection."), field="outcome")
    answer = (answer if isinstance(answer, str) else "").strip()
    if not answer:
        raise DomainError(_("Write the answer."), field="answer")
    if len(answer) > 4000:
        raise DomainError(_("Keep it under 4000 characters."), field="answer")
    return answer


def _answer(
    objection: Objection, *, outcome: str, answer: str, by: User, contest: Contest
) -> Objection:
    objection.outcome = outcome
    objection.answer = answer
    objection.answered_by = by
    objection.answered_at = timezone.now()
    objection.save(update_fields=["outcome", "answer", "answered_by", "answered_at"])
    ledger.record(
        action="results.objection_resolved",
        obj=objection,
        by=by,
        contest=contest,
        data={"outcome": outcome},
    )
    return objection


@transaction.atomic
def resolve_objection(
    *, objection: Objection, outcome: str, answer: str, by: User
) -> Objection:
    """Answer an objection in writing: upheld or dismissed. The objector is told
    (`results.notices`)."""
    contest = _lock(objection.publication.contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.is_resolved:
        raise DomainError(_("This objection is already answered."), status=409)
    answer = _clean_answer(outcome, answer)
    objection = _answer(
        objection, outcome=outcome, answer=answer, by=by, contest=contest
    )
    notices.notify_answered(contest, [objection])
    return objection


@transaction.atomic
def resolve_objections(
    *,
    contest: Contest,
    objection_ids: Iterable[Any],
    outcome: str,
    answer: str,
    by: User,
) -> list[Objection]:
    """Give one written answer (upheld or dismissed) to several objections of the
    contest at once, all or none: an objection of another contest, or one already
    answered, refuses the lot. Each objector is told once, of all their
    objections answered here (`results.notices`)."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    if isinstance(objection_ids, str | bytes | Mapping) or objection_ids is None:
        raise DomainError(_("Choose the objections to answer."), field="objections")
    ids = set()
    for value in objection_ids:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise DomainError(
                _("Choose the objections to answer."), field="objections"
            ) from None
    if not ids:
        raise DomainError(_("Choose the objections to answer."), field="objections")
    answer = _clean_answer(outcome, answer)
    objections = list(
        Objection.objects.select_for_update()
        .filter(pk__in=ids, publication__contest=contest)
        .order_by("pk")
    )
    if len(objections) != len(ids):
        raise DomainError(_("Choose objections of this contest."), field="objections")
    if any(objection.is_resolved for objection in objections):
        raise DomainError(
            _("Some of these objections are already answered."),
            field="objections",
            status=409,
        )
    answered = [
        _answer(objection, outcome=outcome, answer=answer, by=by, contest=contest)
        for objection in objections
    ]
    notices.notify_answered(contest, answered)
    return answered
