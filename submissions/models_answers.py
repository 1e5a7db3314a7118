"""An entry's answers to its contest's own questions (Answer) and to an indicator
stage's indicators (IndicatorAnswer). The rules live in submissions/services/."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contest.models import Criterion, EntryQuestion
from submissions.models import Submission


def answer_upload_to(instance: Answer, filename: str) -> str:
    """A generated name: the user's file name never reaches the storage."""
    ext = PurePosixPath(filename).suffix.lower().lstrip(".")
    ext = ext if ext.isalnum() and len(ext) <= 5 else "bin"
    submission = instance.submission
    return f"answers/{submission.contest_id}/{submission.pk}/{uuid.uuid4().hex}.{ext}"


class Answer(models.Model):
    """An entry's answer to one question of its contest's entry form.

    `value` holds the answer as JSON: a string (text, link, date as ISO), a
    decimal string (number), a string (one choice) or a list of strings (several
    choices); a file question keeps the file and leaves `value` empty."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        EntryQuestion,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    value = models.JSONField(_("answer"), null=True, blank=True)
    file = models.FileField(
        _("file"), upload_to=answer_upload_to, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["submission", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="answer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.question_id}"


class IndicatorAnswer(models.Model):
    """An entry's answer to one indicator of an indicator stage: the level it
    claims (an index into the criterion's `levels`) and a note. The evidence for
    it is the entry's `Evidence` rows tied to the same criterion."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="indicator_answers",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="indicator_answers",
    )
    level = models.PositiveSmallIntegerField(
        _("level"), help_text=_("The position of the chosen level, from 0.")
    )
    note = models.TextField(_("note"), max_length=4000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("indicator answer")
        verbose_name_plural = _("indicator answers")
        ordering = ["submission", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion"],
                name="indicator_answer_one_per_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.criterion_id}: {self.level}"
