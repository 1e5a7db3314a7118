"""Files prepared for offline judging: an entry's printable PDF, a ZIP of a
stage's evidence for one category (built by judging.packs in a task).
Imported by judging.models, so that Django finds the model in this app."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.models import Category, Contest, Stage
from judging.enums import PACK_TONES, PackKind, PackState
from submissions.models import Submission


def pack_upload_to(instance: Pack, filename: str) -> str:
    extension = "pdf" if instance.kind == PackKind.ENTRY_PDF else "zip"
    return f"packs/{instance.contest_id}/{uuid.uuid4().hex}.{extension}"


class Pack(models.Model):
    """One prepared file, with its progress (`done` of `total` entries). A pack
    made for a judge (`judge` set) holds only that judge's own entries without a
    conflict of interest (`entry_ids` records which)."""

    kind = models.CharField(_("kind"), max_length=12, choices=PackKind.choices)
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="+"
    )
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    judge = models.ForeignKey(
        "judging.Judge",
        verbose_name=_("for judge"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="packs",
        help_text=_("Set when the file holds only this judge's entries."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PackState.choices, default=PackState.QUEUED
    )
    done = models.PositiveIntegerField(_("entries done"), default=0)
    total = models.PositiveIntegerField(_("entries in all"), default=0)
    entry_ids = models.JSONField(_("entries included"), default=list, blank=True)
    file = models.FileField(
        _("file"), upload_to=pack_upload_to, max_length=255, blank=True
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=PackKind.ENTRY_PDF, submission__isnull=False)
                    | Q(
                        kind=PackKind.STAGE_ZIP,
                        stage__isnull=False,
                        category__isnull=False,
                    )
                ),
                name="pack_scope_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} [{self.state}]"

    @property
    def is_finished(self) -> bool:
        return self.state in (PackState.DONE, PackState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == PackState.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def state_tone(self) -> str:
        return PACK_TONES[self.state]

    @property
    def filename(self) -> str:
        if self.kind == PackKind.ENTRY_PDF:
            return f"entry-{self.submission_id}.pdf"
        return f"stage-{self.stage_id}-category-{self.category_id}.zip"
