"""Requests to join a contest as a region's delegate: a signed-in user without a
region asks, an organizer approves (the user is linked through `invite_delegate`,
as an invited delegate is) or declines with a reason, and the asker may withdraw
a request still waiting. Both sides are told through the notifications outbox."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Case, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from common.timefmt import contest_time
from contest import ledger
from contest.enums import JoinRequestState
from contest.models import Contest, Delegate, Region, RegionJoinRequest
from contest.services import invite_delegate
from notifications.formatting import link_to
from notifications.services import notify, notify_many

REQUESTED_EVENT = "contest.join_requested"
DECIDED_EVENT = "contest.join_decided"


def _locked(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _locked_request(join_request: RegionJoinRequest) -> RegionJoinRequest:
    row = (
        RegionJoinRequest.objects.select_for_update()
        .select_related("contest", "user", "region")
        .filter(pk=join_request.pk)
        .first()
    )
    if row is None:
        raise DomainError(_("This request no longer exists."), status=404)
    return row


def _record(join_request: RegionJoinRequest, action: str, by) -> None:
    ledger.record(
        action=f"join_request.{action}",
        obj=join_request,
        by=by,
        contest=join_request.contest,
        data={
            "user": join_request.user.email,
            "region": join_request.region_id,
            "state": join_request.state,
            "reason": join_request.decision_reason,
        },
    )


def _check_region(contest: Contest, region: Region) -> None:
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


def _check_pending(join_request: RegionJoinRequest) -> None:
    if not join_request.is_pending:
        raise DomainError(
            _("This request was already answered: %(state)s.")
            % {"state": join_request.get_state_display()},
            status=409,
        )


# After an answered or withdrawn request, the next one waits this long: every
# request writes to every organizer.
ASK_AGAIN_AFTER = dt.timedelta(hours=24)


def _check_not_again_too_soon(contest: Contest, by) -> None:
    last = (
        RegionJoinRequest.objects.filter(contest=contest, user_id=by.pk)
        .exclude(state=JoinRequestState.PENDING)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and timezone.now() - last < ASK_AGAIN_AFTER:
        raise DomainError(
            _(
                "You asked to join this contest less than a day ago; ask again "
                "after %(when)s."
            )
            % {"when": contest_time(contest, last + ASK_AGAIN_AFTER)},
            status=409,
        )


@transaction.atomic
def request_to_join(
    *, contest: Contest, region: Region, by, message: str = ""
) -> RegionJoinRequest:
    """Ask to enter `contest` as a delegate of `region`; the organizers are told.
    Refused to a user who is already a delegate in the contest, or who has a
    request still waiting there (409)."""
    if by is None or not by.is_authenticated:
        raise DomainError(_("Sign in to ask to join a contest."), status=403)
    contest = _locked(contest)
    ensure_not_frozen(contest)
    if Delegate.objects.filter(contest=contest, user_id=by.pk).exists():
        raise DomainError(
            _("You are already a region's delegate in this contest."),
            field="region",
            status=409,
        )
    if contest.organizers.filter(user_id=by.pk).exists():
        raise DomainError(
            _("You organize this contest: invite the region's delegate yourself."),
            field="region",
            status=409,
        )
    _check_region(contest, region)
    _check_not_again_too_soon(contest, by)
    if RegionJoinRequest.objects.filter(
        contest=contest, user_id=by.pk, state=JoinRequestState.PENDING
    ).exists():
        raise DomainError(
            _("You already asked to join this contest; wait for the answer."),
            status=409,
        )
    try:
        with transaction.atomic():
            join_request = RegionJoinRequest.objects.create(
                contest=contest,
                user=by,
                region=region,
                message=(message or "").strip()[:2000],
            )
    except IntegrityError:
        raise DomainError(
            _("You already asked to join this contest; wait for the answer."),
            status=409,
        ) from None
    _record(join_request, "created", by)
    notify_many(
        recipients=[o.user for o in contest.organizers.select_related("user")],
        event=REQUESTED_EVENT,
        context={
            "contest_name": contest.name,
            "requester_name": by.get_full_name() or by.email,
            "requester_email": by.email,
            "region_name": region.name,
            "message": join_request.message,
            "url": link_to("contest:join-requests", slug=contest.slug),
        },
        contest_id=contest.pk,
    )
    return join_request


def _tell_requester(join_request: RegionJoinRequest, *, approved: bool) -> None:
    contest = join_request.contest
    notify(
        recipient=join_request.user,
        event=DECIDED_EVENT,
        context={
            "contest_name": contest.name,
            "region_name": join_request.region.name,
            "approved": approved,
            "reason": join_request.decision_reason,
            "url": link_to("contest:my-join-requests"),
        },
        contest_id=contest.pk,
    )


@transaction.atomic
def approve_join_request(*, join_request: RegionJoinRequest, by) -> Delegate:
    """Link the asker as the region's delegate (`invite_delegate`, which records
    it and sends its own notice) and tell them the request is approved."""
    join_request = _locked_request(join_request)
    contest = _locked(join_request.contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    _check_pending(join_request)
    if join_request.user_id == by.pk:
        raise DomainError(_("Another organizer decides your own request."), status=403)
    delegate = invite_delegate(
        contest=contest,
        email=join_request.user.email,
        region=join_request.region,
        by=by,
    )
    join_request.state = JoinRequestState.APPROVED
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["state", "decided_by", "decided_at"])
    _record(join_request, "approved", by)
    _tell_requester(join_request, approved=True)
    return delegate


@transaction.atomic
def decline_join_request(
    *, join_request: RegionJoinRequest, by, reason: str
) -> RegionJoinRequest:
    """Decline with a reason the asker reads."""
    join_request = _locked_request(join_request)
    contest = _locked(join_request.contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    _check_pending(join_request)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the request is declined; the asker reads it."), field="reason"
        )
    join_request.state = JoinRequestState.DECLINED
    join_request.decision_reason = reason[:2000]
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save(
        update_fields=["state", "decision_reason", "decided_by", "decided_at"]
    )
    _record(join_request, "declined", by)
    _tell_requester(join_request, approved=False)
    return join_request


@transaction.atomic
def withdraw_join_request(*, join_request: RegionJoinRequest, by) -> RegionJoinRequest:
    """The asker takes back a request still waiting."""
    join_request = _locked_request(join_request)
    if by is None or join_request.user_id != by.pk:
        raise DomainError(_("Only the asker may withdraw this request."), status=403)
    _check_pending(join_request)
    join_request.state = JoinRequestState.WITHDRAWN
    join_request.save(update_fields=["state"])
    _record(join_request, "withdrawn", by)
    return join_request


# ---------------------------------------------------------------- reads


def join_requests_of(contest: Contest) -> QuerySet[RegionJoinRequest]:
    """The contest's requests, those waiting first, for its organizers."""
    return (
        RegionJoinRequest.objects.filter(contest=contest)
        .select_related("user", "region", "decided_by")
        .order_by(
            Case(When(state=JoinRequestState.PENDING, then=0), default=1),
            "-created_at",
            "-pk",
        )
    )


def join_requests_by(user) -> QuerySet[RegionJoinRequest]:
    """The user's own requests, newest first."""
    if not getattr(user, "is_authenticated", False):
        return RegionJoinRequest.objects.none()
    return (
        RegionJoinRequest.objects.filter(user_id=user.pk)
        .select_related("contest", "region")
        .order_by("-created_at", "-pk")
    )


def contests_open_to_join(user) -> QuerySet[Contest]:
    """The public contests, not frozen, in which the user has no region yet."""
    qs = Contest.objects.filter(is_public=True, frozen_at__isnull=True)
    if getattr(user, "is_authenticated", False):
        qs = qs.exclude(delegates__user_id=user.pk)
    return qs.order_by("-submission_closes", "name")
