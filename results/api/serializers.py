"""Serializers of the results API: plain output built from the computed figures
(decimal strings, never floats) and plain input for the actions."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from contest.models import Category, Region, RegionCluster
from results import selectors
from results.computing import standings
from results.enums import AwardKind, PublicationKind
from results.models import AdvancementDecision, Award
from submissions.models import Submission

MAX_ID = 2**63 - 1  # the largest id a database row can have


class IdField(serializers.IntegerField):
    """An id: a whole number from 1 to the largest a row can have (a bigger one
    would overflow the database's integer before it could be looked up)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class BoundedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key checked to be a whole number in range before the lookup."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, float) or not 1 <= number <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)


class SafeDateTimeField(serializers.DateTimeField):
    """A date and time; one whose conversion overflows (year 9999 in a zone west of
    UTC) is refused like any invalid date, never a 500."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except (OverflowError, OSError):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|-HH:MM|Z]")


class DecimalTextField(serializers.CharField):
    """A Decimal as two-place text (results.computing.standings.decimal_text),
    never a float; null when there is no figure."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        return standings.decimal_text(value)


# A submitted sheet and its judge (results.selectors.SheetRef, ExcludedSheet).
class SheetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="sheet_id")
    judge = serializers.IntegerField(source="judge_id")


class SheetScoreSerializer(SheetRefSerializer):
    score = DecimalTextField()


class ExcludedSheetSerializer(SheetRefSerializer):
    reason = serializers.CharField(allow_blank=True)


# What an entry without a result (no complete sheet yet) answers.
NO_RESULT = SimpleNamespace(
    raw_score=None,
    median=None,
    normalized_score=None,
    spread=None,
    stdev=None,
    rank=None,
    tie_unresolved=False,
    flagged=False,
    incomplete_sheets=0,
)


class ResultRowSerializer(serializers.Serializer):
    """One entry's standing at the stage (scores as two-place decimal strings);
    `excluded_sheets` are submitted sheets taken out of the results."""

    # Reads a results.selectors.ResultRow.
    submission = serializers.IntegerField(source="submission.pk")
    title = serializers.CharField(source="submission.title")
    category = serializers.IntegerField(source="submission.category_id")
    region = serializers.CharField(source="submission.region_id")
    raw_score = DecimalTextField(source="result.raw_score")
    median = DecimalTextField(source="result.median")
    normalized_score = DecimalTextField(source="result.normalized_score")
    spread = DecimalTextField(source="result.spread")
    stdev = DecimalTextField(source="result.stdev")
    rank = serializers.IntegerField(source="result.rank", allow_null=True)
    tie_unresolved = serializers.BooleanField(source="result.tie_unresolved")
    flagged = serializers.BooleanField(source="result.flagged")
    incomplete_sheets = serializers.IntegerField(source="result.incomplete_sheets")
    sheets = SheetScoreSerializer(many=True)
    excluded_sheets = ExcludedSheetSerializer(many=True, source="excluded")

    def to_representation(self, instance):
        if instance.result is None:
            instance = replace(instance, result=NO_RESULT)
        return super().to_representation(instance)


class CriterionAlphaSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion.pk")
    name = serializers.CharField(source="criterion.name")
    alpha = serializers.CharField(source="reliability.alpha", allow_null=True)


class JudgeFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="judge.pk")
    name = serializers.CharField(source="judge")
    sheets = serializers.IntegerField(source="stats.sheets")
    mean = DecimalTextField(source="stats.mean")
    stdev = DecimalTextField(source="stats.stdev")
    leniency = DecimalTextField(source="stats.leniency")
    shared_entries = serializers.IntegerField(source="stats.shared_entries")
    effect = DecimalTextField(
        source="stats.effect", help_text="The leniency the normalization removes."
    )
    correction_weight = DecimalTextField(
        source="stats.correction_weight",
        allow_null=False,
        help_text="0 to 1: how much of a plain estimate the evidence keeps.",
    )
    little_evidence = serializers.BooleanField(source="stats.little_evidence")


class StageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()


class StageFiguresSerializer(serializers.Serializer):
    """The stage's figures of a results page (results.selectors.StagePage): its
    reliability and its judges' leniency."""

    stage = StageRefSerializer()
    ranked_by = serializers.CharField(help_text="normalized or raw")
    alpha = serializers.CharField(source="reliability.alpha", allow_null=True)
    alpha_reading = serializers.CharField(source="reliability.level")
    alpha_per_criterion = CriterionAlphaSerializer(many=True, source="per_criterion")
    # Null too when nothing is computed yet (`computation.results` is None).
    grand_mean = DecimalTextField(source="computation.results.grand_mean")
    grand_stdev = DecimalTextField(source="computation.results.grand_stdev")
    judges = JudgeFiguresSerializer(many=True)


class _RowsPageSerializer(serializers.Serializer):
    """What the paginator answers (count, next, previous) and the rows."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ResultRowSerializer(many=True)


# many=False: the list action answers one object (it holds the page itself), which
# drf-spectacular would otherwise wrap in a paginated list of it.
@extend_schema_serializer(many=False)
class StageResultsPageSerializer(_RowsPageSerializer, StageFiguresSerializer):
    """The answer of the stage results list: a page of rows and the stage's
    figures."""


RANKED_BY_HELP = "One of: normalized, raw (the score the stage is ranked by)."


class AdvanceInputSerializer(serializers.Serializer):
    tie_break = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=10_000,
        help_text="At a tie at the cut, the ids of the tied entries that advance.",
    )
    quotas = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=1000),
        required=False,
        allow_empty=True,
        help_text=(
            "Places per region type or per cluster (its slug) in each category, "
            'e.g. {"kota": 2}.'
        ),
    )
    ranked_by = serializers.CharField(
        required=False, default=selectors.RANK_NORMALIZED, help_text=RANKED_BY_HELP
    )

    def validate_ranked_by(self, value: str) -> str:
        return _one_of(value, list(selectors.RANK_BASES))

    def validate_quotas(self, value):
        """Region types or the contest's cluster slugs (the service checks which)."""
        if any(len(key) > 80 for key in value):
            raise serializers.ValidationError(
                "A quota names a region type or a cluster's slug."
            )
        return value


class TiedEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    region = serializers.CharField()
    normalized_score = serializers.CharField(allow_null=True)
    raw_score = serializers.CharField(allow_null=True)
    median = serializers.CharField(allow_null=True)
    sheets = serializers.IntegerField()


class TieSerializer(serializers.Serializer):
    """Entries that share a rank across a cut: choose `places` of them."""

    category = serializers.IntegerField()
    category_name = serializers.CharField()
    region_type = serializers.CharField(
        allow_null=True, help_text="The quota's region type, when quotas apply."
    )
    rank = serializers.IntegerField()
    places = serializers.IntegerField()
    entries = TiedEntrySerializer(many=True)


class TieAtCutSerializer(serializers.Serializer):
    """The 409 (400 for a wrong choice) of an advancement with undecided ties. A
    409 for another reason (the last stage, a stage not closed) has `detail` only,
    so `tie_break` and `ties` are not required."""

    detail = serializers.CharField()
    tie_break = serializers.ListField(child=serializers.CharField(), required=False)
    ties = TieSerializer(many=True, required=False)


def optional(field: type[serializers.Field], source: str) -> serializers.Field:
    """A read-only value of a row that may have none (null then: a decision whose
    organizer's account is gone, an award to an entry)."""
    return field(source=source, read_only=True, default=None, allow_null=True)


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = optional(serializers.EmailField, "decided_by.email")
    ranked_by = serializers.CharField(read_only=True, help_text=RANKED_BY_HELP)

    class Meta:
        model = AdvancementDecision
        fields = [
            "id",
            "stage",
            "decided_by",
            "decided_at",
            "places",
            "quotas",
            "advanced",
            "not_advanced",
            "tie_decisions",
            "ranked_by",
        ]


@extend_schema_field(OpenApiTypes.INT)
class ContestCategoryField(BoundedPrimaryKeyRelatedField):
    def get_queryset(self):
        return Category.objects.filter(contest=self.context["contest"])


@extend_schema_field(OpenApiTypes.INT)
class ContestClusterField(BoundedPrimaryKeyRelatedField):
    def get_queryset(self):
        return RegionCluster.objects.filter(contest=self.context["contest"])


@extend_schema_field(OpenApiTypes.INT)
class AwardableSubmissionField(BoundedPrimaryKeyRelatedField):
    def get_queryset(self):
        return Submission.objects.filter(contest=self.context["contest"])


# `kind` is text checked against the choices, not a ChoiceField: another enum named
# "kind" (evidence) would collide in the schema without an ENUM_NAME_OVERRIDES entry.
AWARD_KINDS_HELP = "One of: " + ", ".join(AwardKind.values) + "."
PUBLICATION_KINDS_HELP = "One of: " + ", ".join(PublicationKind.values) + "."


class AwardSerializer(serializers.ModelSerializer):
    region = optional(serializers.CharField, "region_id")
    kind = serializers.CharField(read_only=True, help_text=AWARD_KINDS_HELP)

    class Meta:
        model = Award
        fields = [
            "id",
            "name",
            "kind",
            "category",
            "submission",
            "region",
            "rank",
            "cluster",
        ]


def _one_of(value: str, choices: list[str]) -> str:
    if value not in choices:
        raise serializers.ValidationError(
            f"“{value}” is not one of: {', '.join(choices)}."
        )
    return value


class AwardInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.CharField(required=False, help_text=AWARD_KINDS_HELP)
    category = ContestCategoryField(required=False, allow_null=True)
    submission = AwardableSubmissionField(required=False, allow_null=True)
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
    )
    rank = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True
    )
    cluster = ContestClusterField(
        required=False, allow_null=True, help_text="An award within this cluster."
    )

    def validate_kind(self, value: str) -> str:
        return _one_of(value, AwardKind.values)


class PublishInputSerializer(serializers.Serializer):
    kind = serializers.CharField(
        default=PublicationKind.FINAL, help_text=PUBLICATION_KINDS_HELP
    )
    objections_close = SafeDateTimeField(
        required=False,
        allow_null=True,
        help_text="For provisional results: when the objection window closes.",
    )
    objections_open_to_all = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "For provisional results: any signed-in user with a verified address "
            "may object, not only the contest's delegates."
        ),
    )
    confirm_shorter_window = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "For provisional results: true to publish a window that closes before "
            "the one already announced (else 409 naming this field)."
        ),
    )

    def validate_kind(self, value: str) -> str:
        return _one_of(value, PublicationKind.values)


class PublicationSerializer(serializers.Serializer):
    digest = serializers.CharField()
    kind = serializers.CharField()
    published_at = serializers.DateTimeField()
    objections_close = serializers.DateTimeField(allow_null=True)
    objections_open_to_all = serializers.BooleanField()
    ledger_head_hash = serializers.CharField(
        allow_blank=True,
        help_text="The audit ledger's head hash when this was published.",
    )


class PublishedResultsSerializer(serializers.Serializer):
    snapshot = serializers.JSONField()
    digest = serializers.CharField()
    kind = serializers.CharField()
    ledger_head_hash = serializers.CharField(
        allow_blank=True,
        help_text="The audit ledger's head hash when this was published.",
    )
