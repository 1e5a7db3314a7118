"""The outbox's reads: what was sent (or is waiting, or failed) to whom, for the
organizers' log of a contest (its page and its API list)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from notifications.events import EVENTS
from notifications.models import Notification

# A readable name per event, for the organizers' log: each event a service writes
# has its line here; one without is shown by its code made readable (`event_label`).
# The events that are not in the editable registry (notifications.events).
EVENT_LABELS = {
    "account.password_changed": _("Password changed"),
    "account.token_revoked": _("API token revoked"),
    "message": _("Message from the organizers"),
}


def event_label(event: str) -> str:
    """The event's readable name: its label, else its code made readable
    ("judging.sheet_reopened" reads "Judging · sheet reopened")."""
    editable = EVENTS.get(event)
    label = editable.label if editable is not None else EVENT_LABELS.get(event)
    if label is not None:
        return str(label)
    parts = [part.replace("_", " ").strip() for part in event.split(".")]
    parts = [part for part in parts if part]
    if not parts:
        return event
    return " · ".join([parts[0].capitalize(), *parts[1:]])


def notifications_of_contest(
    contest_id: int, state: str | None = None, event: str | None = None
) -> QuerySet[Notification]:
    """The contest's notifications, newest first, of `state` and `event` when
    given. The rows carry what the log shows; the recipient's account is not
    joined (the address is on the row, as it was when the message was written),
    and the data the message was rendered from is not read (it may hold links
    meant for the recipient alone)."""
    rows = Notification.objects.filter(contest_id=contest_id).defer("context")
    if state:
        rows = rows.filter(state=state)
    if event:
        rows = rows.filter(event=event)
    return rows.order_by("-created_at", "-pk")


def events_of_contest(contest_id: int) -> list[str]:
    """The events the contest's notifications are about, each once, in order."""
    return list(
        Notification.objects.filter(contest_id=contest_id)
        .order_by("event")
        .values_list("event", flat=True)
        .distinct()
    )
