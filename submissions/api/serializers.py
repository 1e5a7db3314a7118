from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from contest.api.serializers import WindowDateTimeField
from contest.models import Category, Criterion, Delegate
from submissions.api.answers import AnswersField, answers_input_field
from submissions.models import Evidence, Submission
from submissions.validators import (
    MAX_LINKS,
    validate_http_url,
    validate_not_future,
    validate_not_too_early,
)


class EvidenceSerializer(serializers.ModelSerializer):
    criterion = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    # A plain string, not the model's URLField: a file has no link and answers "",
    # which the schema's `format: uri` would refuse.
    url = serializers.CharField(
        read_only=True, help_text="The link of a link; empty for a file."
    )
    download_url = serializers.SerializerMethodField()
    processing_error = serializers.CharField(
        read_only=True,
        help_text="Why an image could not be processed (then it is never served); "
        "empty otherwise.",
    )

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
            "processing_error",
            "review_status",
            "review_note",
            "created_at",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Evidence) -> str | None:
        if not obj.is_ready:
            return None
        return _evidence_file_url(self.context, obj.submission_id, obj.pk)


def _evidence_file_url(context: dict, submission_pk: int, evidence_pk: int) -> str:
    """The evidence file's download URL: the API's permission-checked route, which
    takes the same token as the rest of the API (and a session)."""
    return reverse(
        "submission-evidence-file",
        kwargs={
            "contest_slug": context["contest"].slug,
            "pk": submission_pk,
            "evidence_pk": evidence_pk,
        },
    )


class SubmissionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    category = serializers.PrimaryKeyRelatedField(read_only=True)
    links = serializers.ListField(child=serializers.CharField(), read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    answers = AnswersField(
        help_text="The answers to the contest's own questions (its entry form)."
    )

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
            "receipt_number",
            "screening_reason",
            "revision_deadline",
            "revision_note",
            "created_at",
            "updated_at",
            "evidence",
            "answers",
            "previous_entry",
            "previous_entry_state",
        ]
        read_only_fields = fields


ORGANIZER_NOTES = ["screening_reason", "revision_deadline", "revision_note"]
EVIDENCE_REVIEW = ["review_status", "review_note"]


class AssignedEvidenceSerializer(EvidenceSerializer):
    """Evidence as a judge reads it: without the organizers' review."""

    class Meta(EvidenceSerializer.Meta):
        fields = [f for f in EvidenceSerializer.Meta.fields if f not in EVIDENCE_REVIEW]


class AssignedSubmissionSerializer(SubmissionSerializer):
    """An entry as a judge assigned to it reads it: the delegates' text and evidence,
    without what the organizers wrote to the delegates (screening reason, revision
    request) or about the evidence (review)."""

    evidence = AssignedEvidenceSerializer(many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [
            f for f in SubmissionSerializer.Meta.fields if f not in ORGANIZER_NOTES
        ]
        read_only_fields = fields


ORGANIZERS_AND_DELEGATES = _(
    "Only in the answer to the contest's organizers and the entry's delegates."
)


@extend_schema_serializer(component_name="Evidence")
class EvidenceSchemaSerializer(EvidenceSerializer):
    """Only for the schema: evidence as the API answers it to any role."""

    review_status = serializers.CharField(
        required=False, help_text=ORGANIZERS_AND_DELEGATES
    )
    review_note = serializers.CharField(
        required=False, help_text=ORGANIZERS_AND_DELEGATES
    )

    class Meta(EvidenceSerializer.Meta):
        read_only_fields = [
            f for f in EvidenceSerializer.Meta.fields if f not in EVIDENCE_REVIEW
        ]


@extend_schema_serializer(component_name="Submission")
class SubmissionSchemaSerializer(SubmissionSerializer):
    """Only for the schema: an entry as the API answers it to any role, with the
    organizers' notes optional (a judge's answer leaves them out)."""

    screening_reason = serializers.CharField(
        required=False, help_text=ORGANIZERS_AND_DELEGATES
    )
    revision_deadline = serializers.DateTimeField(
        required=False, allow_null=True, help_text=ORGANIZERS_AND_DELEGATES
    )
    revision_note = serializers.CharField(
        required=False, help_text=ORGANIZERS_AND_DELEGATES
    )
    evidence = EvidenceSchemaSerializer(many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        read_only_fields = [
            f for f in SubmissionSerializer.Meta.fields if f not in ORGANIZER_NOTES
        ]


class StrictPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id is a whole number (or its digits as a string): `true` or `1.5` is not
    silently read as id 1."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.strip().isdigit()):
            self.fail("incorrect_type", data_type="str")
        return super().to_internal_value(int(data))


@extend_schema_field(OpenApiTypes.INT)
class ContestCategoryField(StrictPrimaryKeyField):
    def get_queryset(self):
        return Category.objects.filter(contest=self.context["contest"])


@extend_schema_field(OpenApiTypes.INT)
class ContestCriterionField(StrictPrimaryKeyField):
    def get_queryset(self):
        return Criterion.objects.filter(
            stage__contest=self.context["contest"]
        ).select_related("stage")


@extend_schema_field(OpenApiTypes.INT)
class PreviousEntryField(StrictPrimaryKeyField):
    """One of the user's regions' entries in another contest."""

    def get_queryset(self):
        contest = self.context["contest"]
        regions = Delegate.objects.filter(
            contest=contest, user_id=self.context["request"].user.pk
        ).values("region_id")
        return Submission.objects.filter(region_id__in=regions).exclude(contest=contest)


class SubmissionInputSerializer(serializers.Serializer):
    """What a delegate writes; a draft needs only its category and title."""

    category = ContestCategoryField()
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    problem = serializers.CharField(required=False, allow_blank=True)
    solution = serializers.CharField(required=False, allow_blank=True)
    impact = serializers.CharField(required=False, allow_blank=True)
    started_on = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[validate_not_too_early, validate_not_future],
    )
    agency = serializers.CharField(max_length=200, required=False, allow_blank=True)
    links = serializers.ListField(
        child=serializers.CharField(max_length=500, validators=[validate_http_url]),
        required=False,
        max_length=MAX_LINKS,
    )
    previous_entry = PreviousEntryField(required=False, allow_null=True)
    answers = answers_input_field()


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


class EvidenceEditInputSerializer(serializers.Serializer):
    """A piece of evidence's title and the criterion it supports (null: none);
    what is not sent stays as it is."""

    title = serializers.CharField(max_length=200, required=False)
    criterion = ContestCriterionField(required=False, allow_null=True)


class ReceiptSerializer(serializers.Serializer):
    """The receipt of the entry's last submission, as its printable page shows it."""

    number = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    submission = serializers.IntegerField(source="submission.pk", read_only=True)
    title = serializers.CharField(source="submission.title", read_only=True)
    region = serializers.CharField(source="submission.region_id", read_only=True)
    category = serializers.IntegerField(source="submission.category_id", read_only=True)
    state = serializers.CharField(source="submission.state", read_only=True)
    evidence = EvidenceSchemaSerializer(many=True, read_only=True)
    total_size = serializers.IntegerField(read_only=True)


class ScreenInputSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RevisionInputSerializer(serializers.Serializer):
    deadline = WindowDateTimeField(
        help_text="Until when the delegates may revise; without a zone, the contest's."
    )
    note = serializers.CharField(max_length=2000, help_text="What to revise.")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class PreviousEntryInputSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
