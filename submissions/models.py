from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from contest import rules as cr
from contest.models import Category, Contest, Criterion, Region
from submissions import rules as r
from submissions.enums import (
    REVIEW_NEEDS_NOTE,
    REVIEW_TONES,
    STATE_TONES,
    EvidenceKind,
    PreviousEntryState,
    ReviewStatus,
    SubmissionState,
)
from submissions.validators import (
    validate_links,
    validate_not_future,
    validate_not_too_early,
)

# What a delegate writes in an entry: the form, the services and the ledger read it.
SUBMISSION_FIELDS = [
    "category",
    "title",
    "summary",
    "problem",
    "solution",
    "impact",
    "started_on",
    "agency",
    "links",
]


class Submission(RulesModel):
    """One innovation entered by a region in a category of a contest."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=2000,
        help_text=_("The innovation in a few lines."),
    )
    problem = models.TextField(
        _("problem"), blank=True, help_text=_("What was wrong before the innovation?")
    )
    solution = models.TextField(
        _("solution"),
        blank=True,
        help_text=_("What the innovation is and how it works."),
    )
    impact = models.TextField(
        _("impact"),
        blank=True,
        help_text=_("What changed, with figures where you have them."),
    )
    started_on = models.DateField(
        _("started on"), null=True, blank=True, validators=[validate_not_future]
    )
    agency = models.CharField(
        _("responsible agency (OPD)"),
        max_length=200,
        blank=True,
        help_text=_("The regional agency that runs the innovation."),
    )
    links = models.JSONField(
        _("links"),
        default=list,
        blank=True,
        validators=[validate_links],
        help_text=_("Web pages or videos about the innovation (http or https)."),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
    )
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Given at every submission and derived from its ledger entry (workflow.
    # receipt_number), so it is not itself audited: the entry it names is.
    receipt_number = models.CharField(
        _("receipt number"),
        max_length=40,
        blank=True,
        help_text=_("Given when the entry is submitted; names its ledger entry."),
    )
    screening_reason = models.TextField(_("screening reason"), blank=True)
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revision_deadline = models.DateTimeField(
        _("revision deadline"), null=True, blank=True
    )
    revision_note = models.TextField(_("what to revise"), blank=True)
    # The same innovation entered in an earlier contest (eligibility by history):
    # the delegate names it, an organizer confirms or rejects the link at screening.
    previous_entry = models.ForeignKey(
        "self",
        verbose_name=_("earlier entry of the same innovation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_entries",
    )
    previous_entry_state = models.CharField(
        _("earlier entry link"),
        max_length=10,
        choices=PreviousEntryState.choices,
        default=PreviousEntryState.NONE,
        blank=True,
    )
    previous_entry_note = models.TextField(
        _("note on the earlier entry link"), max_length=2000, blank=True
    )
    previous_entry_checked_at = models.DateTimeField(
        _("earlier entry link checked"), null=True, blank=True
    )
    previous_entry_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("earlier entry link checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Written by the final publication (results), read by later contests' rules.
    awards_won = models.JSONField(_("awards won"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["contest", "state"]),
            models.Index(fields=["contest", "region", "category"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=SubmissionState.INELIGIBLE)
                | ~Q(screening_reason=""),
                name="submission_ineligible_has_reason",
                violation_error_message=_("Say why the entry is ineligible."),
            ),
            models.CheckConstraint(
                condition=~Q(state=SubmissionState.REVISION_REQUESTED)
                | Q(revision_deadline__isnull=False),
                name="submission_revision_has_deadline",
                violation_error_message=_(
                    "An entry sent back for revision needs a deadline."
                ),
            ),
        ]
        rules_permissions = {
            "add": r.can_create_submission,
            "view": r.can_view_submission,
            "change": r.can_edit_submission,
            "delete": r.can_delete_submission,
            "submit": r.can_submit_submission,
            "withdraw": r.can_withdraw_submission,
            "screen": r.can_screen_submission,
            "request_revision": r.can_request_revision,
            "reopen": r.can_reopen_submission,
            # Role only: the service then checks the window and the state (409).
            "write": r.is_region_delegate,
            "manage": cr.is_contest_organizer,
        }

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Here, not in the field's validators, so that no migration is needed.
        super().clean()
        if self.started_on is not None:
            try:
                validate_not_too_early(self.started_on)
            except ValidationError as exc:
                raise ValidationError({"started_on": exc.messages}) from None

    @property
    def state_tone(self) -> str:
        return STATE_TONES.get(self.state, "neutral")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A generated name: the user's file name never reaches the storage."""
    ext = PurePosixPath(filename).suffix.lower().lstrip(".")
    ext = ext if ext.isalnum() and len(ext) <= 5 else "bin"
    submission = instance.submission
    return f"evidence/{submission.contest_id}/{submission.pk}/{uuid.uuid4().hex}.{ext}"


def thumbnail_upload_to(instance: Evidence, filename: str) -> str:
    submission = instance.submission
    folder = f"evidence/{submission.contest_id}/{submission.pk}/thumbs"
    return f"{folder}/{uuid.uuid4().hex}.jpg"


class Evidence(RulesModel):
    """A file or a link supporting an entry (data dukung), maybe tied to a criterion."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        help_text=_("The rubric criterion this evidence supports, if any."),
    )
    file = models.FileField(
        _("file"), upload_to=evidence_upload_to, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=thumbnail_upload_to, max_length=255, blank=True
    )
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    processing_error = models.CharField(
        _("processing error"), max_length=300, blank=True
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    review_status = models.CharField(
        _("review"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["submission", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EvidenceKind.FILE) & ~Q(file="") & Q(url=""))
                | (Q(kind=EvidenceKind.LINK) & ~Q(url="") & Q(file="")),
                name="evidence_file_xor_link",
                violation_error_message=_("Evidence is either a file or a link."),
            ),
            models.CheckConstraint(
                condition=~Q(review_status__in=sorted(REVIEW_NEEDS_NOTE))
                | ~Q(review_note=""),
                name="evidence_review_note_when_not_valid",
                violation_error_message=_("Say what is wrong with this evidence."),
            ),
        ]
        rules_permissions = {
            "view": r.can_view_evidence,
            "delete": r.can_remove_evidence,
            "change": r.can_review_evidence,
        }

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE

    @property
    def is_image(self) -> bool:
        return self.is_file and self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_ready(self) -> bool:
        """A file can be served: images only once their metadata is stripped."""
        return self.is_file and (not self.is_image or self.processed_at is not None)

    @property
    def review_tone(self) -> str:
        return REVIEW_TONES.get(self.review_status, "neutral")


class SavedFilter(models.Model):
    """An organizer's named filter of a contest's screening queue: the query
    string's values (search, category, state, region type, sort), picked later."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    name = models.CharField(_("name"), max_length=80)
    params = models.JSONField(_("filter"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "owner", "name"], name="saved_filter_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


# The app's other models live in their own module.
from submissions.models_answers import Answer, IndicatorAnswer  # noqa: E402, F401
