"""Publishing a contest's results, provisional or final, and the snapshot's digest.
The final publication freezes the contest (`Contest.frozen_at`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from common.timefmt import contest_time
from contest import ledger
from contest.models import Contest, LedgerHead
from judging.services import sync_derived_conflicts
from results import notices, selectors
from results.enums import (
    PublicationKind,
)
from results.models import (
    Award,
    Publication,
)
from results.services.guards import _lock
from submissions.models import Submission

User = get_user_model()

MAX_OBJECTION_WINDOW = dt.timedelta(days=366)


def snapshot_digest(snapshot: Mapping[str, Any]) -> str:
    """The hex SHA-256 of the snapshot's canonical JSON (UTF-8, keys sorted,
    separators "," and ":")."""
    return hashlib.sha256(ledger.canonical_json(snapshot)).hexdigest()


# ---------------------------------------------------------------- publication


def _ledger_head() -> str:
    head = LedgerHead.objects.filter(id=1).first()
    return head.last_hash if head is not None else ledger.GENESIS_HASH


def _publish(
    contest: Contest,
    *,
    kind: str,
    by: User,
    objections_close=None,
    objections_open_to_all: bool = False,
) -> Publication:

    # A conflict the regions imply now (a delegate role added after scoring, say)
    # takes its sheets out before anything is published.
    sync_derived_conflicts(contest=contest, by=by)
    published_at = timezone.now().replace(microsecond=0)
    snapshot = selectors.build_snapshot(
        contest,
        kind=kind,
        published_at=published_at,
        objections_close=objections_close,
    )
    if not any(entry["final_score"] is not None for entry in snapshot["entries"]):
        raise DomainError(
            _("No entry has a final score yet: there is nothing to publish."),
            status=409,
        )
    digest = snapshot_digest(snapshot)
    head = _ledger_head()
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                contest=contest,
                kind=kind,
                snapshot=snapshot,
                digest=digest,
                published_at=published_at,
                published_by=by,
                objections_close=objections_close,
                objections_open_to_all=objections_open_to_all,
                ledger_head_hash=head,
            )
    except IntegrityError:
        raise DomainError(
            _("The results of this contest are already published."), status=409
        ) from None
    ledger.record(
        action="results.published",
        obj=publication,
        by=by,
        contest=contest,
        data={
            "kind": kind,
            "digest": digest,
            "ledger_head": head,
            "objections_open_to_all": objections_open_to_all,
        },
    )
    # Kept by its digest: right even if this transaction rolls back.
    selectors.remember_snapshot(publication)
    return publication


def _announced_window(contest: Contest) -> dt.datetime | None:
    """When the objection window last announced closes (the newest provisional
    publication's), or None before any provisional publication."""
    return (
        Publication.objects.filter(contest=contest, kind=PublicationKind.PROVISIONAL)
        .order_by("-published_at", "-pk")
        .values_list("objections_close", flat=True)
        .first()
    )


def _ensure_window_not_shortened(
    *, contest: Contest, objections_close: dt.datetime, confirmed: bool
) -> None:
    """Refuse (409, naming `confirm_shorter_window`) a new objection window that
    closes before the one already announced, unless the organizer confirmed it:
    the participants were told they had until then."""
    if not isinstance(confirmed, bool):
        raise DomainError(_("Say yes or no."), field="confirm_shorter_window")
    announced = _announced_window(contest)
    if announced is None or objections_close >= announced or confirmed:
        return
    raise DomainError(
        _(
            "The objection window already announced closes on %(announced)s; this "
            "one would close earlier, on %(new)s, and shorten it. Confirm that the "
            "window is to be shortened to publish it."
        )
        % {
            "announced": contest_time(contest, announced),
            "new": contest_time(contest, objections_close),
        },
        field="confirm_shorter_window",
        status=409,
    )


@transaction.atomic
def publish_provisional(
    *,
    contest: Contest,
    by: User,
    objections_close,
    objections_open_to_all: bool = False,
    confirm_shorter_window: bool = False,
) -> Publication:
    """Publish provisional results and open the objection window (masa sanggah)
    until `objections_close`: to the delegates of the contest's regions, or to
    every signed-in user with a verified address (`objections_open_to_all`).
    Every participant is told, with the window (`results.notices`). A window
    that closes earlier than the one already announced is refused (409) unless
    `confirm_shorter_window` says the organizer means it."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    if not isinstance(objections_open_to_all, bool):
        raise DomainError(_("Say yes or no."), field="objections_open_to_all")
    if objections_close is None or objections_close <= timezone.now():
        raise DomainError(
            _("The objection window must close in the future."),
            field="objections_close",
        )
    if objections_close >= timezone.now() + MAX_OBJECTION_WINDOW:
        raise DomainError(
            _("The objection window may stay open a year at most."),
            field="objections_close",
        )
    objections_close = objections_close.replace(microsecond=0)
    _ensure_window_not_shortened(
        contest=contest,
        objections_close=objections_close,
        confirmed=confirm_shorter_window,
    )
    publication = _publish(
        contest,
        kind=PublicationKind.PROVISIONAL,
        by=by,
        objections_close=objections_close,
        objections_open_to_all=objections_open_to_all,
    )
    notices.notify_provisional(publication)
    return publication


@transaction.atomic
def publish_contest(*, contest: Contest, by: User) -> Publication:
    """Freeze and publish the final results: the snapshot, its digest, the ledger
    head it was published at, a ledger entry with the digest. In the same
    transaction the contest is frozen (`frozen_at`: every write service refuses
    from now on) and announced (`is_public`: listed publicly). Refused (409) once
    published, while an objection window is open or while objections await an
    answer. Every participant is told (`results.notices`)."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    provisional = (
        Publication.objects.filter(contest=contest, kind=PublicationKind.PROVISIONAL)
        .order_by("-published_at", "-pk")
        .first()
    )
    if provisional is not None and provisional.objections_close > timezone.now():
        raise DomainError(
            _("The objection window is still open until %(date)s.")
            % {"date": contest_time(contest, provisional.objections_close)},
            status=409,
        )
    pending = selectors.pending_objection_count(contest)
    if pending:
        raise DomainError(
            ngettext(
                "%(count)d objection still awaits an answer.",
                "%(count)d objections still await an answer.",
                pending,
            )
            % {"count": pending},
            status=409,
        )
    publication = _publish(contest, kind=PublicationKind.FINAL, by=by)
    _write_awards_won(contest)
    contest.frozen_at = publication.published_at
    contest.is_public = True
    contest.save(update_fields=["frozen_at", "is_public"])
    ledger.record(
        action="contest.frozen",
        obj=contest,
        by=by,
        contest=contest,
        data={
            "frozen_at": contest.frozen_at.isoformat(),
            "is_public": True,
            "publication": publication.pk,
        },
    )
    notices.notify_final(publication)
    return publication


def _write_awards_won(contest: Contest) -> None:
    """Each awarded entry's `awards_won` gets the names of its awards (once each),
    read by later contests' `past_award_exclusions`."""
    names: dict[int, list[str]] = {}
    for submission_id, name in (
        Award.objects.filter(contest=contest, submission__isnull=False)
        .order_by("rank", "pk")
        .values_list("submission_id", "name")
    ):
        names.setdefault(submission_id, []).append(name)
    for submission in Submission.objects.filter(pk__in=names):
        won = list(submission.awards_won or [])
        won += [n for n in dict.fromkeys(names[submission.pk]) if n not in won]
        if won != submission.awards_won:
            submission.awards_won = won
            submission.save(update_fields=["awards_won"])
