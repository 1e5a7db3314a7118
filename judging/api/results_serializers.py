"""Serializers of the results API: plain output built from the computed figures
(decimal strings, never floats) and plain input for the actions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contest.enums import RegionType
from contest.models import Category, Region
from judging import results_selectors, standings
from judging.models_results import AdvancementDecision, Award
from judging.results_enums import AwardKind, PublicationKind
from submissions.models import Submission


def text(value) -> str | None:
    return standings.decimal_text(value)


def result_row(
    submission: Submission, result, sheets: list[results_selectors.SheetRef]
) -> dict[str, Any]:
    return {
        "submission": submission.pk,
        "title": submission.title,
        "category": submission.category_id,
        "region": submission.region_id,
        "raw_score": text(result.raw_score) if result else None,
        "median": text(result.median) if result else None,
        "normalized_score": text(result.normalized_score) if result else None,
        "spread": text(result.spread) if result else None,
        "stdev": text(result.stdev) if result else None,
        "rank": result.rank if result else None,
        "tie_unresolved": result.tie_unresolved if result else False,
        "flagged": result.flagged if result else False,
        "incomplete_sheets": result.incomplete_sheets if result else 0,
        "sheets": [
            {"id": sheet.sheet_id, "judge": sheet.judge_id, "score": text(sheet.score)}
            for sheet in sheets
        ],
    }


class SheetScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    judge = serializers.IntegerField()
    score = serializers.CharField(allow_null=True)


class ResultRowSerializer(serializers.Serializer):
    """One entry's standing at the stage (scores as two-place decimal strings)."""

    submission = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.IntegerField()
    region = serializers.CharField()
    raw_score = serializers.CharField(allow_null=True)
    median = serializers.CharField(allow_null=True)
    normalized_score = serializers.CharField(allow_null=True)
    spread = serializers.CharField(allow_null=True)
    stdev = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    tie_unresolved = serializers.BooleanField()
    flagged = serializers.BooleanField()
    incomplete_sheets = serializers.IntegerField()
    sheets = SheetScoreSerializer(many=True)


class AdvanceInputSerializer(serializers.Serializer):
    tie_break = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="At a tie at the cut, the ids of the tied entries that advance.",
    )
    quotas = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        allow_empty=True,
        help_text='Places per region type in each category, e.g. {"kota": 2}.',
    )

    def validate_quotas(self, value):
        unknown = sorted(set(value) - set(RegionType.values))
        if unknown:
            raise serializers.ValidationError(
                f"Not region types: {', '.join(unknown)}."
            )
        return value


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.EmailField(
        source="decided_by.email", read_only=True, default=None
    )

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
        ]


@extend_schema_field(OpenApiTypes.INT)
class ContestCategoryField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Category.objects.filter(contest=self.context["contest"])


@extend_schema_field(OpenApiTypes.INT)
class AwardableSubmissionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Submission.objects.filter(contest=self.context["contest"])


# `kind` is text checked against the choices, not a ChoiceField: another enum named
# "kind" (evidence) would collide in the schema without an ENUM_NAME_OVERRIDES entry.
AWARD_KINDS_HELP = "One of: " + ", ".join(AwardKind.values) + "."
PUBLICATION_KINDS_HELP = "One of: " + ", ".join(PublicationKind.values) + "."


class AwardSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True, default=None)
    kind = serializers.CharField(read_only=True, help_text=AWARD_KINDS_HELP)

    class Meta:
        model = Award
        fields = ["id", "name", "kind", "category", "submission", "region", "rank"]


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
    rank = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    def validate_kind(self, value: str) -> str:
        return _one_of(value, AwardKind.values)


class PublishInputSerializer(serializers.Serializer):
    kind = serializers.CharField(
        default=PublicationKind.FINAL, help_text=PUBLICATION_KINDS_HELP
    )
    objections_close = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="For provisional results: when the objection window closes.",
    )

    def validate_kind(self, value: str) -> str:
        return _one_of(value, PublicationKind.values)


class PublicationSerializer(serializers.Serializer):
    digest = serializers.CharField()
    kind = serializers.CharField()
    published_at = serializers.DateTimeField()


class PublishedResultsSerializer(serializers.Serializer):
    snapshot = serializers.JSONField()
    digest = serializers.CharField()
    kind = serializers.CharField()
