"""The outbox's writes: a notification written with the change that causes it,
sent once after the transaction commits (or by the sweep), retried with backoff
while the mail server refuses, given up with the reason after MAX_ATTEMPTS.

Every domain app calls `notify` with plain data; nothing here knows a contest,
an entry or a stage (links and names arrive in `context`)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.errors import DomainError
from common.queueing import enqueue
from notifications.enums import NotificationState
from notifications.ics import build_calendar
from notifications.models import Notification
from notifications.rendering import render

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Minutes to wait after the n-th failed attempt: 1, 5, 15, 60, 240.
BACKOFF_MINUTES = (1, 5, 15, 60, 240)


def _refusals() -> tuple[type[Exception], ...]:
    """What a mail server or a provider raises for an address it will never
    accept, or a sender it refuses (a setting to fix, then retry from the log):
    the notification fails at once with the reason (every other error of the
    sending is retried with backoff)."""
    refusals: list[type[Exception]] = [
        smtplib.SMTPRecipientsRefused,
        smtplib.SMTPSenderRefused,
    ]
    try:
        from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused

        refusals += [AnymailRecipientsRefused, AnymailInvalidAddress]
    except ImportError:  # pragma: no cover - django-anymail is in requirements.txt
        pass
    return tuple(refusals)


REFUSED = _refusals()


def language_of(user: User) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def notify(
    *,
    recipient: User,
    event: str,
    context: dict[str, Any] | None = None,
    contest_id: int | None = None,
    once_key: str | None = None,
) -> Notification | None:
    """Write one notification in the caller's transaction and queue its sending
    for after the commit. With `once_key`, a second notification with the same
    key is not written (None is answered): a reminder per window and person."""
    row = Notification(
        recipient=recipient,
        email=recipient.email,
        language=language_of(recipient),
        event=event,
        contest_id=contest_id,
        context=context or {},
        once_key=once_key,
    )
    if once_key is not None:
        if Notification.objects.filter(once_key=once_key).exists():
            return None
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return None
    else:
        row.save()
    transaction.on_commit(lambda: queue(row.pk))
    return row


def notify_many(
    *,
    recipients: Iterable[User],
    event: str,
    context: dict[str, Any] | None = None,
    contest_id: int | None = None,
) -> list[Notification]:
    """One notification per recipient (each address once)."""
    seen: set[str] = set()
    rows = []
    for user in recipients:
        if not user.email or user.email.lower() in seen:
            continue
        seen.add(user.email.lower())
        row = notify(
            recipient=user, event=event, context=context, contest_id=contest_id
        )
        if row is not None:
            rows.append(row)
    return rows


def queue(pk: int) -> None:
    """Hand the notification to the task queue; when the broker cannot be reached
    the sweep sends it later (the row is already committed)."""
    from notifications.tasks import send_notification

    enqueue(send_notification, pk)


def send(pk: int) -> bool:
    """Send one waiting notification whose time has come; True when it went.
    The row is locked while it is sent, so two workers never send it both; a
    sent or failed row is left alone (safe to run twice)."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=NotificationState.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return False
        try:
            rendered = render(row)
        except Exception as exc:  # a template error: retrying cannot help
            logger.exception("notification %s cannot be rendered", pk)
            _give_up(row, f"{type(exc).__name__}: {exc}")
            return False
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            to=[row.email],
            # What the message is about, for the mail provider's tags and bounce
            # handling; the id is the organizers' log row.
            headers={
                "X-Inovasi-Event": row.event,
                "X-Inovasi-Notification": str(row.pk),
            },
        )
        message.attach_alternative(rendered.html, "text/html")
        _attach_calendar(message, row.context)
        try:
            message.send()
        except REFUSED as exc:
            _give_up(row, f"{type(exc).__name__}: {exc}")
            return False
        except Exception as exc:  # the server, the network, the provider's API
            _failed_attempt(row, f"{type(exc).__name__}: {exc}", now)
            return False
        row.state = NotificationState.SENT
        row.sent_at = timezone.now()
        row.attempts += 1
        row.subject = rendered.subject
        row.last_error = ""
        row.save(
            update_fields=["state", "sent_at", "attempts", "subject", "last_error"]
        )
    return True


def _attach_calendar(message: EmailMultiAlternatives, context: dict) -> None:
    """Attach the invitation (.ics) the context's `ics` item describes, if any."""
    data = (context or {}).get("ics")
    if not isinstance(data, dict):
        return
    method = str(data.get("method") or "REQUEST").upper()
    try:
        text = build_calendar(data)
    except (KeyError, TypeError, ValueError):  # the mail still goes, without it
        logger.exception("the calendar of a notification cannot be built")
        return
    message.attach("invite.ics", text, f"text/calendar; method={method}; charset=utf-8")


def _failed_attempt(row: Notification, reason: str, now: dt.datetime) -> None:
    row.attempts += 1
    row.last_error = reason[:300]
    if row.attempts >= MAX_ATTEMPTS:
        row.state = NotificationState.FAILED
    else:
        wait = BACKOFF_MINUTES[min(row.attempts, len(BACKOFF_MINUTES)) - 1]
        row.next_attempt_at = now + dt.timedelta(minutes=wait)
    row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    logger.warning("notification %s not sent (%s): %s", row.pk, row.attempts, reason)


def _give_up(row: Notification, reason: str) -> None:
    row.attempts += 1
    row.state = NotificationState.FAILED
    row.last_error = reason[:300]
    row.save(update_fields=["attempts", "state", "last_error"])


def sweep(limit: int = 500) -> int:
    """Send what is still waiting and due (the beat schedule's pass); answers how
    many went."""
    due = list(
        Notification.objects.filter(
            state=NotificationState.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if send(pk))


def retry(*, notification: Notification) -> Notification:
    """Send a failed notification again (an organizer's retry)."""
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(pk=notification.pk)
        if row.state != NotificationState.FAILED:
            raise DomainError(
                _("Only a failed notification can be sent again."), status=409
            )
        row.state = NotificationState.PENDING
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda: queue(row.pk))
    return row


def forget_contest(*, contest_id: int) -> int:
    """What the outbox holds of a contest being deleted: its mails still waiting
    are given up with the reason (their links would lead nowhere), its own
    e-mail texts deleted. The mails already sent and the messages' log stay, as
    a record. Answers how many waiting mails were given up."""
    from notifications.models import TemplateOverride

    given_up = Notification.objects.filter(
        contest_id=contest_id, state=NotificationState.PENDING
    ).update(
        state=NotificationState.FAILED,
        last_error=str(_("The contest was deleted before this was sent.")),
    )
    TemplateOverride.objects.filter(contest_id=contest_id).delete()
    return given_up
