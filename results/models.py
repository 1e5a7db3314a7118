"""The results' own rows: stage weights and score bands (configuration), advancement
decisions and stage minutes (records of a stage), awards, objections and
publications. The figures themselves are computed (results.computing) from the
submitted sheets; a publication freezes them in its snapshot."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.models import Category, Contest, Region, Stage
from results import rules  # noqa: F401  (registers the permissions)
from results.enums import (
    OBJECTION_TONES,
    AwardKind,
    ObjectionOutcome,
    PublicationKind,
)
from submissions.models import Submission

__all__ = [
    "AdvancementDecision",
    "Award",
    "Objection",
    "Publication",
    "ResultsDocuments",
    "ScoreBand",
    "StageMinutes",
    "StageWeight",
]


class StageWeight(models.Model):
    """How much a scoring stage counts in the final score (1 when not set)."""

    stage = models.OneToOneField(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="stage_weight",
    )
    weight = models.DecimalField(
        _("weight in the final score"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("stage weight")
        verbose_name_plural = _("stage weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="stage_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.weight}"


class ScoreBand(models.Model):
    """A label for the scores from `threshold` up, e.g. "Sangat Inovatif" from 60."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="score_bands",
    )
    label = models.CharField(_("label"), max_length=60)
    threshold = models.DecimalField(
        _("from score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["contest", "-threshold"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "threshold"], name="score_band_threshold_unique"
            ),
            models.UniqueConstraint(
                fields=["contest", "label"], name="score_band_label_unique"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & Q(threshold__lte=100),
                name="score_band_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.threshold}"


class AdvancementDecision(models.Model):
    """Which entries of a scoring stage went on to the next one, and why: the
    figures it rested on, the quotas and the organizer's choices at tied cuts."""

    stage = models.OneToOneField(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="advancement",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"))
    places = models.PositiveSmallIntegerField(_("places per category"))
    quotas = models.JSONField(
        _("quotas per region type"),
        default=dict,
        blank=True,
        help_text=_('Places per region type in each category, e.g. {"kota": 2}.'),
    )
    advanced = models.JSONField(_("advanced entries"), default=list)
    not_advanced = models.JSONField(_("entries not advanced"), default=list)
    tie_decisions = models.JSONField(
        _("decisions at tied cuts"),
        default=list,
        blank=True,
        help_text=_("Each tie at a cut: the tied entries and those chosen."),
    )
    basis = models.JSONField(
        _("figures decided on"),
        default=list,
        help_text=_("[entry, rank, normalized score, raw score] of each entry."),
    )
    ranked_by = models.CharField(
        _("ranked by"),
        max_length=12,
        choices=[("normalized", _("normalized score")), ("raw", _("raw score"))],
        default="normalized",
    )

    class Meta:
        verbose_name = _("advancement decision")
        verbose_name_plural = _("advancement decisions")
        ordering = ["stage"]

    def __str__(self) -> str:
        return f"{self.stage}: {len(self.advanced)}"


def minutes_upload_to(instance: StageMinutes, filename: str) -> str:
    stage = instance.stage
    return f"minutes/{stage.contest_id}/{stage.pk}/{uuid.uuid4().hex}.pdf"


class StageMinutes(models.Model):
    """The minutes (berita acara) of a scoring stage, a PDF; the newest counts."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="minutes",
    )
    file = models.FileField(_("file"), upload_to=minutes_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    ledger_head_hash = models.CharField(_("audit ledger head"), max_length=64)
    generated_at = models.DateTimeField(_("generated"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    number = models.CharField(
        _("document number"),
        max_length=120,
        blank=True,
        help_text=_("From the contest's numbering pattern when it was written."),
    )

    class Meta:
        verbose_name = _("stage minutes")
        verbose_name_plural = _("stage minutes")
        ordering = ["stage", "-generated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.stage} · {self.generated_at:%Y-%m-%d %H:%M}"


def signature_upload_to(instance: ResultsDocuments, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"signatures/{instance.contest_id}/{uuid.uuid4().hex}.{extension}"


class ResultsDocuments(models.Model):
    """How the contest's official documents read: the numbering of the minutes
    and of the certificates, the place they are signed at, who signs the minutes
    (the panel, with their NIP) and the certificates (with an optional scanned
    signature). Defaults stand in until an organizer saves them."""

    contest = models.OneToOneField(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="results_documents",
    )
    place = models.CharField(
        _("place of signing"),
        max_length=80,
        blank=True,
        help_text=_("E.g. Mataram; the host region's name when empty."),
    )
    minutes_number_pattern = models.CharField(
        _("numbering of the minutes"), max_length=120, blank=True
    )
    certificate_number_pattern = models.CharField(
        _("numbering of the certificates"), max_length=120, blank=True
    )
    minutes_signatories = models.JSONField(
        _("signatories of the minutes"),
        default=list,
        blank=True,
        help_text=_("[{name, position, nip}], in the order they sign."),
    )
    certificate_signatory_name = models.CharField(
        _("certificate signed by"), max_length=120, blank=True
    )
    certificate_signatory_position = models.CharField(
        _("position of the signatory"), max_length=160, blank=True
    )
    certificate_signatory_nip = models.CharField(
        _("NIP of the signatory"), max_length=18, blank=True
    )
    certificate_signature = models.ImageField(
        _("scanned signature"),
        upload_to=signature_upload_to,
        max_length=255,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("results documents")
        verbose_name_plural = _("results documents")

    def __str__(self) -> str:
        return str(self.contest)


class Award(models.Model):
    """A named prize: a place or a special award for an entry, or a region's award
    for its whole portfolio (the regional ranking)."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="awards",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=10, choices=AwardKind.choices, default=AwardKind.PLACE
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    cluster = models.ForeignKey(
        "contest.RegionCluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        help_text=_("An award within one cluster of regions, such as Kota."),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        null=True,
        blank=True,
        help_text=_("The order in which awards are listed: 1 for the first place."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["contest", "kind", "category__order", "rank", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(submission__isnull=False) & Q(region__isnull=True))
                | (Q(submission__isnull=True) & Q(region__isnull=False)),
                name="award_entry_xor_region",
                violation_error_message=_(
                    "An award goes to an entry or to a region, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["contest", "category", "name"],
                condition=Q(category__isnull=False),
                name="award_name_unique_in_category",
            ),
            models.UniqueConstraint(
                fields=["contest", "kind", "name", "region"],
                condition=Q(category__isnull=True),
                name="award_name_unique_per_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    """A frozen snapshot of a contest's results and the SHA-256 of its canonical
    JSON. A provisional one opens an objection window; the final one is the last."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PublicationKind.choices)
    snapshot = models.JSONField(_("snapshot"))
    digest = models.CharField(_("SHA-256 digest"), max_length=64)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    objections_close = models.DateTimeField(
        _("objections close"), null=True, blank=True
    )
    ledger_head_hash = models.CharField(
        _("audit ledger head"),
        max_length=64,
        blank=True,
        help_text=_("The hash of the last ledger entry when this was published."),
    )
    objections_open_to_all = models.BooleanField(
        _("objections open to everyone"),
        default=False,
        help_text=_(
            "Unless set, only verified accounts taking part in the contest may object."
        ),
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["contest", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest"],
                condition=Q(kind=PublicationKind.FINAL),
                name="publication_one_final",
                violation_error_message=_("The results are already published."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=PublicationKind.PROVISIONAL)
                    & Q(objections_close__isnull=False)
                )
                | (Q(kind=PublicationKind.FINAL) & Q(objections_close__isnull=True)),
                name="publication_window_iff_provisional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} · {self.get_kind_display()} · {self.digest[:12]}"

    @property
    def is_final(self) -> bool:
        return self.kind == PublicationKind.FINAL


class Objection(models.Model):
    """A signed-in user's objection (sanggahan) against an entry's provisional
    result, and the organizers' written answer."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("provisional results"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("objection"), max_length=4000)
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=ObjectionOutcome.choices,
        default=ObjectionOutcome.PENDING,
    )
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["publication", "filed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(outcome=ObjectionOutcome.PENDING)
                    & Q(answer="")
                    & Q(answered_at__isnull=True)
                )
                | (
                    ~Q(outcome=ObjectionOutcome.PENDING)
                    & ~Q(answer="")
                    & Q(answered_at__isnull=False)
                ),
                name="objection_answered_iff_resolved",
                violation_error_message=_(
                    "A resolved objection needs a written answer."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} · {self.get_outcome_display()}"

    @property
    def is_resolved(self) -> bool:
        return self.outcome != ObjectionOutcome.PENDING

    @property
    def outcome_tone(self) -> str:
        return OBJECTION_TONES.get(self.outcome, "neutral")
