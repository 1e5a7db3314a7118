"""A contest's own entry form (EntryQuestion) and its region clusters (RegionCluster).

The rules about them live in contest/entry_forms.py and contest/clusters.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.enums import QuestionKind, RegionType
from contest.models import Category, Contest, Region
from contest.validators import (
    validate_file_types,
    validate_question_options,
    validate_slug_text,
)

# What of a question the services write and the ledger records.
QUESTION_FIELDS = [
    "category",
    "kind",
    "label",
    "label_en",
    "help_text",
    "help_text_en",
    "required",
    "public",
    "min_value",
    "max_value",
    "options",
    "file_types",
    "order",
]


class EntryQuestion(models.Model):
    """One question of a contest's entry form, for every category or for one.

    The answers are `submissions.Answer` rows; a file question (such as the
    *SK Kepala Daerah*) is answered with an uploaded file."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("Empty: the question is asked of every category."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    label = models.CharField(_("question (Indonesian)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_text = models.TextField(_("help (Indonesian)"), max_length=2000, blank=True)
    help_text_en = models.TextField(_("help (English)"), max_length=2000, blank=True)
    required = models.BooleanField(_("required"), default=False)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown in the published results and the gallery."),
    )
    min_value = models.DecimalField(
        _("lowest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        validators=[validate_question_options],
        help_text=_("For choice questions: the options, in order."),
    )
    file_types = models.JSONField(
        _("accepted file types"),
        default=list,
        blank=True,
        validators=[validate_file_types],
        help_text=_('For file questions, e.g. ["pdf"]; empty: any accepted type.'),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("entry question")
        verbose_name_plural = _("entry questions")
        ordering = ["contest", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="question_range_ordered",
                violation_error_message=_(
                    "The highest number must not be below the lowest."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.CHOICE, QuestionKind.CHOICES)

    def label_in(self, language: str) -> str:
        return self.label_en if language == "en" and self.label_en else self.label

    def help_in(self, language: str) -> str:
        if language == "en" and self.help_text_en:
            return self.help_text_en
        return self.help_text


class RegionCluster(models.Model):
    """A named set of regions in one contest: every region of a registry type
    (`region_type` set), or the regions an organizer lists (`regions`), such as
    *daerah tertinggal*, *daerah perbatasan* or Papua."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="clusters",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, validators=[validate_slug_text])
    region_type = models.CharField(
        _("every region of type"),
        max_length=10,
        choices=RegionType.choices,
        blank=True,
        help_text=_("Empty: the cluster holds the regions listed."),
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="clusters"
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories only for this cluster"),
        blank=True,
        related_name="eligible_clusters",
        help_text=_(
            "A category named here takes entries only from regions of its clusters."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("region cluster")
        verbose_name_plural = _("region clusters")
        ordering = ["contest", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "slug"],
                name="cluster_slug_unique",
                violation_error_message=_(
                    "This contest already has a cluster with this slug."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_by_type(self) -> bool:
        return bool(self.region_type)
