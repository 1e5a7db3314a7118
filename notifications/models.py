"""The outbox: one row per person and event, written in the transaction of the
change that causes it, sent after it commits (and by the scheduled sweep)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.enums import STATE_TONES, NotificationState


class Message(models.Model):
    """An organizer's message to a group of a contest's people: the text written
    once, in one language, and sent to each address as a notification (event
    `message`) that points back here. The group is described in words and by its
    choice (`group`, `filters`) as it was when it was sent: this app knows no
    contest, stage or category, so they are plain ids and names."""

    contest_id = models.PositiveBigIntegerField(_("contest"), db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.CharField(_("group"), max_length=30)
    group_label = models.CharField(_("recipients"), max_length=300)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("organizer message")
        verbose_name_plural = _("organizer messages")
        indexes = [models.Index(fields=["contest_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.recipient_count})"


class TemplateOverride(models.Model):
    """A contest's own text for one event's e-mail in one language: the subject
    and the plain-text body, Django template syntax limited to variables and
    simple tags (`notifications.overrides.check_source`); the HTML body is made
    from the text. Deleting the row restores the site's default."""

    contest_id = models.PositiveBigIntegerField(_("contest"))
    event = models.CharField(_("event"), max_length=60)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"), max_length=10000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        constraints = [
            models.UniqueConstraint(
                fields=["contest_id", "event", "language"],
                name="template_override_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} [{self.language}] · {self.contest_id}"


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
    # The organizer's message this notification carries, when it carries one.
    message = models.ForeignKey(
        Message,
        verbose_name=_("organizer message"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )

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
