from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contest.models import Category, Criterion
from submissions.models import Evidence, Submission
from submissions.validators import MAX_LINKS, validate_http_url


class EvidenceSerializer(serializers.ModelSerializer):
    criterion = serializers.PrimaryKeyRelatedField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "title",
            "criterion",
            "original_name",
            "content_type",
            "size",
            "url",
            "download_url",
            "review_status",
            "review_note",
            "created_at",
        ]

    def get_download_url(self, obj: Evidence) -> str | None:
        if not obj.is_ready:
            return None
        submission = obj.submission
        return reverse(
            "submissions:evidence-file",
            kwargs={
                "slug": self.context["contest"].slug,
                "pk": submission.pk,
                "evidence_pk": obj.pk,
            },
        )


class SubmissionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    category = serializers.PrimaryKeyRelatedField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "category",
            "region",
            "region_name",
            "title",
            "summary",
            "problem",
            "solution",
            "impact",
            "started_on",
            "agency",
            "links",
            "state",
            "submitted_at",
            "screening_reason",
            "revision_deadline",
            "revision_note",
            "created_at",
            "updated_at",
            "evidence",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ContestCategoryField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Category.objects.filter(contest=self.context["contest"])


@extend_schema_field(OpenApiTypes.INT)
class ContestCriterionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Criterion.objects.filter(
            stage__contest=self.context["contest"]
        ).select_related("stage")


class SubmissionInputSerializer(serializers.Serializer):
    """What a delegate writes; a draft needs only its category and title."""

    category = ContestCategoryField()
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    problem = serializers.CharField(required=False, allow_blank=True)
    solution = serializers.CharField(required=False, allow_blank=True)
    impact = serializers.CharField(required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    agency = serializers.CharField(max_length=200, required=False, allow_blank=True)
    links = serializers.ListField(
        child=serializers.CharField(max_length=500, validators=[validate_http_url]),
        required=False,
        max_length=MAX_LINKS,
    )


class EvidenceInputSerializer(serializers.Serializer):
    """Either a file (multipart `file`) or a link (`url`), with a title."""

    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    criterion = ContestCriterionField(required=False, allow_null=True)

    def validate(self, attrs):
        has_file = attrs.get("file") is not None
        has_url = bool((attrs.get("url") or "").strip())
        if has_file == has_url:
            raise serializers.ValidationError(
                {"file": [_("Send either a file or a url, not both.")]}
                if has_file
                else {"file": [_("Send a file (multipart) or a url.")]}
            )
        if has_url and not (attrs.get("title") or "").strip():
            raise serializers.ValidationError({"title": [_("Give the link a title.")]})
        return attrs


class ScreenInputSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
