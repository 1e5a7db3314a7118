"""An organizer's message to a group of the contest's people: the group chosen
and checked, previewed (how many, the first addresses), then sent through the
outbox as one notification per address and recorded in the ledger.

The recipients are read again when the message is sent: when the group changed
since the preview (a draft submitted, a sheet sent in), the sending is refused
with the new count, so what the organizer confirmed is what goes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.guards import ensure_not_frozen
from contest import ledger
from contest.enums import StageKind
from contest.models import Contest
from judging.selectors.messages import Audience, MessageGroup, message_recipients
from judging.services._common import _guard
from notifications.messages import check_text, write_message
from notifications.models import Message

User = get_user_model()

PREVIEW_ADDRESSES = 5


@dataclass(frozen=True)
class Preview:
    audience: Audience
    count: int
    first: list[str]


def _require_sender(contest: Contest, by) -> None:
    """Refuse (403) anyone who may not write to the contest's people."""
    if by is None or not by.has_perm("judging.send_messages", contest):
        raise DomainError(
            _("Only the contest's organizers may write to its people."), status=403
        )


def audience_of(
    *, contest: Contest, group: str, stage_id: int | None, category_id: int | None
) -> Audience:
    """The group chosen on the form, its stage and category checked against the
    contest (a field error names what is wrong)."""
    if group not in MessageGroup.values:
        raise DomainError(_("Choose a group."), field="group")
    category = None
    if category_id:
        category = contest.categories.filter(pk=category_id).first()
        if category is None:
            raise DomainError(_("Choose a category of this contest."), field="category")
    stage = None
    if group == MessageGroup.JUDGES_BEHIND:
        stage = contest.stages.filter(pk=stage_id, kind=StageKind.SCORING).first()
        if stage is None:
            raise DomainError(
                _("Choose the scoring stage whose judges are behind."), field="stage"
            )
        if not stage.is_open():
            raise DomainError(
                _("The stage is not open for scoring: nobody is behind in it."),
                field="stage",
            )
    return Audience(contest=contest, group=group, stage=stage, category=category)


# The same message to the same group by the same organizer within this time is
# a double click, a page sent again after Back, or a client's retry: refused.
REPEAT_WINDOW = dt.timedelta(minutes=10)


def _refuse_repeat(audience: Audience, subject: str, body: str, by) -> None:
    """Refuse (409) a message the organizer sent to the group a moment ago
    (the contest is locked by the caller, so two sends cannot both pass)."""
    recent = Message.objects.filter(
        contest_id=audience.contest.pk,
        sent_by=by,
        group=audience.group,
        subject=subject,
        body=body,
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).values_list("filters", flat=True)
    if any(filters == audience.filters for filters in recent):
        raise DomainError(
            _("This message went to this group a moment ago; it is not sent twice."),
            status=409,
        )


def preview_message(*, audience: Audience, by) -> Preview:
    """How many the message would reach and their first addresses (two queries
    whatever the group's size). Refused on a frozen contest, as sending is."""
    _require_sender(audience.contest, by)
    ensure_not_frozen(audience.contest)
    recipients = message_recipients(audience)
    first = list(recipients.values_list("email", flat=True)[:PREVIEW_ADDRESSES])
    return Preview(audience=audience, count=recipients.count(), first=first)


@transaction.atomic
def send_message(
    *, audience: Audience, subject: str, body: str, by, expected_count: int | None
) -> Message:
    """Send the message to the group as previewed: one notification per address
    through the outbox, the message kept for the log, the sending recorded in
    the ledger. Refused (409) on a frozen contest, for an empty group, and when
    the group is no longer `expected_count` people."""
    contest = audience.contest
    _require_sender(contest, by)
    _guard(contest)
    subject, body = check_text(subject, body)
    _refuse_repeat(audience, subject, body, by)
    recipients = list(message_recipients(audience))
    if not recipients:
        raise DomainError(_("Nobody is in this group now."), status=409)
    if expected_count is not None and len(recipients) != expected_count:
        raise DomainError(
            ngettext(
                "The group changed since the preview: it is now %(n)s person. "
                "Check the preview again before sending.",
                "The group changed since the preview: it is now %(n)s people. "
                "Check the preview again before sending.",
                len(recipients),
            )
            % {"n": len(recipients)},
            status=409,
        )
    message = write_message(
        contest_id=contest.pk,
        sent_by=by,
        recipients=recipients,
        subject=subject,
        body=body,
        group=audience.group,
        group_label=audience.label,
        filters=audience.filters,
        context={
            "contest_name": contest.name,
            "contest_url": settings.SITE_URL.rstrip("/")
            + reverse("contest:detail", kwargs={"slug": contest.slug}),
        },
    )
    ledger.record(
        action="message.sent",
        obj=contest,
        by=by,
        contest=contest,
        data={
            "message": message.pk,
            "group": audience.group,
            **audience.filters,
            "recipients": message.recipient_count,
            "subject": subject,
        },
    )
    return message
