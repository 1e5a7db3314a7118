from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from contest.enums import (
    JUDGED_STAGE_KINDS,
    TIMEZONE_ABBREVIATIONS,
    ContestTimezone,
    IndexAggregation,
    PeerScoreVisibility,
    RegionType,
    StageKind,
)
from contest.modelfields import (
    PortableIntegersMixin,
    WindowDateTimeField,
    window_errors,
)
from contest.rules import (
    can_create_contest,
    can_view_contest,
    is_contest_organizer,
    is_superuser,
)
from contest.validators import (
    validate_past_award_exclusions,
    validate_region_types,
    validate_slug_text,
)


class Region(models.Model):
    """A province, regency (kabupaten) or city (kota), keyed by its Kemendagri code."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    type = models.CharField(_("type"), max_length=10, choices=RegionType.choices)
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regions",
        limit_choices_to={"type": RegionType.PROVINSI},
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(type=RegionType.PROVINSI) & Q(province__isnull=True))
                | (~Q(type=RegionType.PROVINSI) & Q(province__isnull=False)),
                name="region_province_iff_not_province",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]


# The fields each set-up write may set: the forms, the serializers and the services
# read these lists, and the ledger hashes them (with the row's parent and `frozen_at`).
CONTEST_FIELDS = [
    "name",
    "slug",
    "description",
    "host_region",
    "timezone",
    "submission_opens",
    "submission_closes",
    "eligible_region_types",
    "max_entries_per_region",
    "is_public",
    "min_running_months",
    "past_award_exclusions",
]
# Fields added after the ledger began: optional on every form, and hashed only when
# they hold something other than their default (contest.ledger.rows.register).
CONTEST_LATER_FIELDS = ["min_running_months", "past_award_exclusions"]
CATEGORY_FIELDS = ["name", "slug", "description", "order"]
STAGE_FIELDS = [
    "name",
    "order",
    "kind",
    "description",
    "opens",
    "closes",
    "judges_per_entry",
    "advance_per_category",
    "disagreement_threshold",
    "peer_scores_visible",
    "index_aggregation",
    "index_cap",
    "qc_sample_percent",
    "ranking_public",
]
STAGE_LATER_FIELDS = [
    "index_aggregation",
    "index_cap",
    "qc_sample_percent",
    "ranking_public",
]
CRITERION_FIELDS = [
    "name",
    "description",
    "weight",
    "min_score",
    "max_score",
    "step",
    "levels",
    "expected_evidence",
    "order",
]


class Contest(PortableIntegersMixin, RulesModel):
    """One edition of an award, e.g. Kontes Kepala Daerah Inovatif 2023."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, validators=[validate_slug_text]
    )
    description = models.TextField(_("description"), blank=True)
    host_region = models.ForeignKey(
        Region,
        verbose_name=_("host region"),
        on_delete=models.PROTECT,
        related_name="hosted_contests",
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=20,
        choices=ContestTimezone.choices,
        default=ContestTimezone.WIB,
    )
    submission_opens = WindowDateTimeField(_("submissions open"))
    submission_closes = WindowDateTimeField(_("submissions close"))
    eligible_region_types = models.JSONField(
        _("eligible region types"),
        default=list,
        blank=True,
        validators=[validate_region_types],
        help_text=_("Which kinds of region may enter; empty means all."),
    )
    max_entries_per_region = models.PositiveSmallIntegerField(
        _("entries per region and category"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many entries one region may submit in each category."),
    )
    min_running_months = models.PositiveSmallIntegerField(
        _("minimum months running"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(240)],
        help_text=_(
            "An entry's innovation must have been running this long (from its start "
            "date) when it is submitted. Empty: no minimum."
        ),
    )
    past_award_exclusions = models.JSONField(
        _("past awards that exclude an innovation"),
        default=list,
        blank=True,
        validators=[validate_past_award_exclusions],
        help_text=_(
            "Earlier contests whose awards exclude the same innovation, e.g. "
            '[{"contest": "kipp-2023", "awards": ["Top 45"]}]; no awards listed: any.'
        ),
    )
    is_public = models.BooleanField(
        _("announced"),
        default=False,
        help_text=_("Announced contests appear on the public list."),
    )
    frozen_at = models.DateTimeField(
        _("frozen"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set by the final publication; after it nothing of the contest changes."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-submission_opens", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_closes__gt=F("submission_opens")),
                name="contest_window_ordered",
                violation_error_message=_("Submissions must close after they open."),
            ),
        ]
        rules_permissions = {
            "add": can_create_contest,
            "view": can_view_contest,
            "change": is_contest_organizer,
            "delete": is_superuser,
        }

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def timezone_abbreviation(self) -> str:
        return TIMEZONE_ABBREVIATIONS.get(self.timezone, self.timezone)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def clean(self) -> None:
        super().clean()
        errors = window_errors(
            self,
            "submission_opens",
            "submission_closes",
            _("Submissions must close after they open."),
        )
        if errors:
            raise ValidationError(errors)

    def submission_window_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.submission_opens <= at < self.submission_closes


class Category(PortableIntegersMixin, RulesModel):
    """A track within a contest: a smart-city dimension, a field such as health."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, validators=[validate_slug_text])
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["contest", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "slug"],
                name="category_slug_unique",
                violation_error_message=_(
                    "This contest already has a category with this slug."
                ),
            ),
            models.UniqueConstraint(
                fields=["contest", "name"],
                name="category_name_unique",
                violation_error_message=_(
                    "This contest already has a category with this name."
                ),
            ),
        ]
        rules_permissions = {
            "add": is_contest_organizer,
            "view": can_view_contest,
            "change": is_contest_organizer,
            "delete": is_contest_organizer,
        }

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The contest's unique slug and name, named at their field."""
        super().clean()
        if not self.contest_id:
            return
        others = Category.objects.filter(contest_id=self.contest_id).exclude(pk=self.pk)
        errors = {}
        if self.slug and others.filter(slug=self.slug).exists():
            errors["slug"] = _("This contest already has a category with this slug.")
        if self.name and others.filter(name=self.name).exists():
            errors["name"] = _("This contest already has a category with this name.")
        if errors:
            raise ValidationError(errors)


class Stage(PortableIntegersMixin, RulesModel):
    """An ordered step of a contest: screening, or scoring by judges."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="stages",
    )
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=12, choices=StageKind.choices)
    description = models.TextField(_("description"), blank=True)
    opens = WindowDateTimeField(_("opens"))
    closes = WindowDateTimeField(_("closes"))
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    advance_per_category = models.PositiveSmallIntegerField(
        _("entries advancing per category"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many entries of each category go on to the next stage."),
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Entries whose judges' scores (0-100) spread more than this are flagged."
        ),
    )
    peer_scores_visible = models.CharField(
        _("judges see other judges' scores"),
        max_length=20,
        choices=PeerScoreVisibility.choices,
        default=PeerScoreVisibility.NEVER,
    )
    # Indicator stages (kind "indicator"): how a region's index is formed from its
    # entries' scores, the share of validations drawn for quality control, and
    # whether the live ranking is open to the public.
    index_aggregation = models.CharField(
        _("region index"),
        max_length=8,
        choices=IndexAggregation.choices,
        default=IndexAggregation.MEAN,
    )
    index_cap = models.DecimalField(
        _("region index cap"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The highest a region's index can be when its entries are summed."),
    )
    qc_sample_percent = models.PositiveSmallIntegerField(
        _("quality-control sample (%)"),
        default=10,
        validators=[MaxValueValidator(100)],
    )
    ranking_public = models.BooleanField(
        _("live ranking open to the public"), default=False
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["contest", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "order"],
                name="stage_order_unique",
                violation_error_message=_("Another stage already has this order."),
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="stage_window_ordered",
                violation_error_message=_("A stage must close after it opens."),
            ),
        ]
        rules_permissions = {
            "add": is_contest_organizer,
            "view": is_contest_organizer,
            "change": is_contest_organizer,
            "delete": is_contest_organizer,
        }

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def is_scoring(self) -> bool:
        return self.kind == StageKind.SCORING

    @property
    def is_indicator(self) -> bool:
        return self.kind == StageKind.INDICATOR

    @property
    def is_judged(self) -> bool:
        """Scoring or indicator: a stage in the chain entries advance through."""
        return self.kind in JUDGED_STAGE_KINDS

    def clean(self) -> None:
        super().clean()
        errors = window_errors(
            self, "opens", "closes", _("A stage must close after it opens.")
        )
        if self.contest_id and self.order is not None:
            others = Stage.objects.filter(contest_id=self.contest_id, order=self.order)
            if others.exclude(pk=self.pk).exists():
                errors["order"] = [
                    ValidationError(
                        _("Another stage already has this order."), code="unique"
                    )
                ]
        if errors:
            raise ValidationError(errors)

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens <= at < self.closes


class Criterion(PortableIntegersMixin, RulesModel):
    """One line of a scoring stage's rubric."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_score = models.DecimalField(
        _("lowest score"), max_digits=6, decimal_places=2, default=0
    )
    max_score = models.DecimalField(
        _("highest score"), max_digits=6, decimal_places=2, default=10
    )
    step = models.DecimalField(
        _("step"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    levels = models.JSONField(
        _("level descriptors"),
        default=list,
        blank=True,
        help_text=_(
            'What each score means, e.g. [{"score": 2, "description": "..."}].'
        ),
    )
    expected_evidence = models.TextField(_("evidence expected"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["stage", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=F("min_score")),
                name="criterion_range_ordered",
                violation_error_message=_(
                    "The highest score must be above the lowest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("A criterion's weight must be above 0."),
            ),
        ]
        rules_permissions = {
            "add": is_contest_organizer,
            "view": is_contest_organizer,
            "change": is_contest_organizer,
            "delete": is_contest_organizer,
        }

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The check constraint's rule, said on the field: the page's form and the
        # API both reach it through full_clean(), which then skips the constraint.
        if (
            self.min_score is not None
            and self.max_score is not None
            and self.max_score <= self.min_score
        ):
            raise ValidationError(
                {"max_score": _("The highest score must be above the lowest.")}
            )


class LedgerHead(models.Model):
    """The single row that serializes writes to the audit ledger (locked on write)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("ledger head")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="ledger_head_single")
        ]

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class AuditEntry(models.Model):
    """An append-only record of a change, chained to the one before it by hash."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("when"))
    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    contest_slug = models.CharField(_("contest"), max_length=80, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    data = models.JSONField(_("data"), default=dict)
    row_hash = models.CharField(
        _("hash of the row's state"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the audited row as it stood after this change."),
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


# The app's other models, each in its own module, imported here so that the app
# registry finds them.
from contest.models_formats import EntryQuestion, RegionCluster  # noqa: E402, F401
from contest.models_joining import RegionJoinRequest  # noqa: E402, F401
from contest.models_roles import Delegate, Organizer  # noqa: E402, F401
