from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from contest import rules as cr
from contest.models import Category, Contest, Region


class Judge(RulesModel):
    """A user taking part in one contest as a juror."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="judges",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="judge_roles",
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Entries from this region (and its province) are conflicts."),
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("expertise"),
        blank=True,
        related_name="judges",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["contest", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="judge_unique"),
        ]
        rules_permissions = {
            "add": cr.is_contest_organizer,
            "view": cr.is_contest_organizer,
            "change": cr.is_contest_organizer,
            "delete": cr.is_contest_organizer,
        }

    def __str__(self) -> str:
        return self.name or str(self.user)
