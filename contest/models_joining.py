"""A request to join a contest as a region's delegate (contest/joining.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.enums import JoinRequestState
from contest.models import Contest, Region


class RegionJoinRequest(models.Model):
    """A signed-in user asks to enter a contest as a delegate of a region; an
    organizer approves it (the user becomes the region's delegate through
    `invite_delegate`) or declines it with a reason (contest/joining.py)."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="join_requests",
    )
    message = models.TextField(
        _("message"),
        max_length=2000,
        blank=True,
        help_text=_("Who you are in the region's government and why you ask."),
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=JoinRequestState.choices,
        default=JoinRequestState.PENDING,
    )
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user"],
                condition=Q(state=JoinRequestState.PENDING),
                name="join_request_one_pending",
                violation_error_message=_(
                    "You already asked to join this contest; wait for the answer."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=JoinRequestState.DECLINED) | ~Q(decision_reason=""),
                name="join_request_declined_has_reason",
                violation_error_message=_("Say why the request is declined."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.region} @ {self.contest}"

    @property
    def is_pending(self) -> bool:
        return self.state == JoinRequestState.PENDING

    @property
    def state_tone(self) -> str:
        return {
            JoinRequestState.PENDING: "info",
            JoinRequestState.APPROVED: "success",
            JoinRequestState.DECLINED: "danger",
        }.get(self.state, "neutral")
