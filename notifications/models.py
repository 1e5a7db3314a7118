"""The outbox: one row per person and event, written in the transaction of the
change that causes it, sent after it commits (and by the scheduled sweep)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.enums import STATE_TONES, NotificationState


class Notification(models.Model):
    """One message to one person about one event, kept until it is sent. The
    row holds plain data (`context`); the text is rendered in the recipient's
    language when it is sent. A contest is named by its id (`contest_id`), not a
    foreign key: this app sits below the contest app."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("address"))
    language = models.CharField(_("language"), max_length=8)
    event = models.CharField(_("event"), max_length=60)
    contest_id = models.PositiveBigIntegerField(
        _("contest"), null=True, blank=True, db_index=True
    )
    context = models.JSONField(_("data"), default=dict, blank=True)
    # Sent once for a key (a reminder per window and person, say); NULL: no key.
    once_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=NotificationState.choices,
        default=NotificationState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["contest_id", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state=NotificationState.SENT)
                | models.Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.email} ({self.state})"

    @property
    def state_tone(self) -> str:
        return STATE_TONES[NotificationState(self.state)]
