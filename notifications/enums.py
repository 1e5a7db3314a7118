"""The states of a notification in the outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


STATE_TONES = {
    NotificationState.PENDING: "warning",
    NotificationState.SENT: "success",
    NotificationState.FAILED: "danger",
}
