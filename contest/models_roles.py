"""The roles a user holds in one contest: organizer, or a region's delegate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contest.models import Contest, Region


class Organizer(models.Model):
    """A user who runs one contest."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="organizers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organizer_roles",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user"],
                name="organizer_unique",
                violation_error_message=_("This person already runs this contest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.contest}"


class Delegate(models.Model):
    """A user who enters innovations in one contest on behalf of one region."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="delegates",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="delegate_roles",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="delegates",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["region_id", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user"],
                name="delegate_one_region",
                violation_error_message=_(
                    "This person is already a delegate in this contest."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.region})"
