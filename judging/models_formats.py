"""Indicator validation (IndicatorValidation) and scheduled sessions (Slot).

The rules live in judging/services/validation.py and judging/services/schedule.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contest.models import Criterion, Stage
from judging.enums import QualityCheck, Verdict
from judging.models import Judge
from submissions.models import Submission

# What a validation holds: the ledger hashes these, the API shows them.
VALIDATION_FIELDS = [
    "stage",
    "submission",
    "criterion",
    "level",
    "verdict",
    "note",
    "validated_by",
    "validated_at",
    "qc_state",
    "qc_verdict_before",
    "qc_note",
    "qc_at",
]


class IndicatorValidation(models.Model):
    """A validator's verdict on one indicator of one entry in an indicator stage,
    and the quality-control check of it when it is drawn in the sample.

    `level` is the level the entry claimed when it was validated: a verdict
    holds for that level only, so a changed answer is validated again."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="validations",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="validations",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="validations",
    )
    level = models.PositiveSmallIntegerField(_("level validated"), null=True)
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING
    )
    note = models.TextField(_("note"), max_length=4000, blank=True)
    validated_by = models.ForeignKey(
        Judge,
        verbose_name=_("validated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="validations",
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    qc_state = models.CharField(
        _("quality control"),
        max_length=12,
        choices=QualityCheck.choices,
        default=QualityCheck.NOT_SAMPLED,
        blank=True,
    )
    qc_verdict_before = models.CharField(
        _("verdict before quality control"),
        max_length=10,
        choices=Verdict.choices,
        blank=True,
    )
    qc_note = models.TextField(_("quality-control note"), max_length=4000, blank=True)
    qc_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    qc_at = models.DateTimeField(_("checked"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("indicator validation")
        verbose_name_plural = _("indicator validations")
        ordering = ["stage", "submission", "criterion__order", "criterion_id"]
        indexes = [models.Index(fields=["stage", "verdict"])]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "submission", "criterion"],
                name="validation_one_per_indicator",
            ),
            models.CheckConstraint(
                condition=~Q(verdict__in=[Verdict.INVALID, Verdict.REVISION])
                | ~Q(note=""),
                name="validation_note_when_not_valid",
                violation_error_message=_("Say what is wrong with this evidence."),
            ),
            models.CheckConstraint(
                condition=~Q(qc_state=QualityCheck.OVERTURNED) | ~Q(qc_note=""),
                name="validation_overturn_has_note",
                violation_error_message=_("Say why the validation is overturned."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.criterion_id}: {self.verdict}"


class Slot(models.Model):
    """A scheduled session of a stage (presentation, interview, field visit): a
    time, a place or an online-meeting link, the entry it is for (none: free)
    and the judges sitting in it."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="slots",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    meeting_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots",
    )
    judges = models.ManyToManyField(
        Judge, verbose_name=_("judges"), blank=True, related_name="slots"
    )
    notified_at = models.DateTimeField(_("last announced"), null=True, blank=True)
    # What the people concerned were last told (the entry, its delegates' and the
    # judges' accounts, the time, place and link) and the calendar sequence of
    # that message: a change tells them again, a removed person is told of the
    # cancellation (judging/schedule_notices.py).
    sequence = models.PositiveIntegerField(_("announcement sequence"), default=0)
    announced = models.JSONField(_("last announced state"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session slot")
        verbose_name_plural = _("session slots")
        ordering = ["stage", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="slot_window_ordered",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["stage", "submission"],
                condition=Q(submission__isnull=False),
                name="slot_one_per_entry",
                violation_error_message=_("This entry already has a session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage_id} · {self.starts_at:%Y-%m-%d %H:%M}"
