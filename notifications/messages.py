"""The outbox's side of an organizer's message: the message row, one notification
per address pointing back to it (event `message`), and the reads of the log.

Why a row and a foreign key rather than a key in each notification's data: the
log lists messages with their counts per state in one query (an index on
`message_id`, where a key inside `context` would be read out of JSON from every
row), the text is stored once instead of once per recipient, and the message
exists, with its group and author, even when the mail server refused it all.
Who is in the group is decided above this app (it knows no contest, entry or
judge): it gets the accounts and the group's description as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from common.errors import DomainError
from notifications.enums import NotificationState
from notifications.models import Message, Notification
from notifications.services import language_of, queue

EVENT = "message"
SUBJECT_MAX = 150
BODY_MAX = 5000


def check_text(subject: str, body: str) -> tuple[str, str]:
    """An organizer's message as it will be sent: the subject on one line, the body
    trimmed, both present and within their lengths (DomainError naming the field)."""
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not subject:
        raise DomainError(_("Write the subject."), field="subject")
    if len(subject) > SUBJECT_MAX:
        raise DomainError(
            _("The subject is at most %(n)s characters.") % {"n": SUBJECT_MAX},
            field="subject",
        )
    if not body:
        raise DomainError(_("Write the message."), field="body")
    if len(body) > BODY_MAX:
        raise DomainError(
            _("The message is at most %(n)s characters.") % {"n": BODY_MAX},
            field="body",
        )
    return subject, body


def write_message(
    *,
    contest_id: int,
    sent_by: User,
    recipients: Iterable[User],
    subject: str,
    body: str,
    group: str,
    group_label: str,
    filters: dict[str, Any],
    context: dict[str, Any],
) -> Message:
    """Write the message and one notification per address (each address once)
    in the caller's transaction, all together (one insert each), and queue
    their sending for after the commit. The text is the organizer's, the same
    for all; the mail's frame is in each recipient's language."""
    seen: set[str] = set()
    people = []
    for user in recipients:
        if user.email and user.email.lower() not in seen:
            seen.add(user.email.lower())
            people.append(user)
    message = Message.objects.create(
        contest_id=contest_id,
        sent_by=sent_by,
        group=group,
        group_label=group_label[:300],
        filters=filters,
        subject=subject,
        body=body,
        recipient_count=len(people),
    )
    # Not `subject` and `body`: the mail frame uses those names itself.
    data = {**context, "message_subject": subject, "message_body": body}
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            email=user.email,
            language=language_of(user),
            event=EVENT,
            contest_id=contest_id,
            context=data,
            message=message,
        )
        for user in people
    )
    pks = [row.pk for row in rows]
    transaction.on_commit(lambda: _queue_all(pks))
    return message


def _queue_all(pks: list[int]) -> None:
    for pk in pks:
        queue(pk)


def _state_count(state: str) -> Count:
    return Count("notifications", filter=Q(notifications__state=state))


def messages_of_contest(contest_id: int) -> QuerySet[Message]:
    """The contest's messages, newest first, each with how many of its
    notifications are sent, waiting and failed (`sent_count`, ...)."""
    return (
        Message.objects.filter(contest_id=contest_id)
        .select_related("sent_by")
        .annotate(
            sent_count=_state_count(NotificationState.SENT),
            pending_count=_state_count(NotificationState.PENDING),
            failed_count=_state_count(NotificationState.FAILED),
        )
        .order_by("-created_at", "-pk")
    )


def recipients_of(message: Message) -> QuerySet[Notification]:
    """The message's notifications by address, their data left unread (the
    text is on the message)."""
    return message.notifications.defer("context").order_by("email", "pk")
