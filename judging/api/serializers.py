from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contest.models import Category, Region
from contest.rules import is_contest_organizer
from judging.models import Assignment, ConflictOfInterest, Judge, ScoreSheet
from judging.selectors.assignments import CURRENT
from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission

MAX_INT = 2**31 - 1


class StrictPrimaryKeyMixin:
    """Only a whole number (or its digits as text) is an id: 1.5, "1.0" and true
    are refused as the wrong type instead of being read as 1."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class ContestCategoryField(StrictPrimaryKeyMixin, serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Category.objects.filter(contest=self.context["contest"])


@extend_schema_field(OpenApiTypes.INT)
class ContestJudgeField(StrictPrimaryKeyMixin, serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Judge.objects.filter(contest=self.context["contest"]).select_related(
            "user", "contest"
        )


@extend_schema_field(OpenApiTypes.INT)
class ContestSubmissionField(StrictPrimaryKeyMixin, serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Submission.objects.filter(contest=self.context["contest"]).exclude(
            state=SubmissionState.DRAFT
        )


class JudgeSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    home_region = serializers.CharField(
        source="home_region_id", read_only=True, allow_null=True
    )
    home_region_name = serializers.CharField(
        source="home_region.name", read_only=True, allow_null=True, default=None
    )
    categories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    panels = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Judge
        fields = [
            "id",
            "email",
            "name",
            "home_region",
            "home_region_name",
            "categories",
            "panels",
            "created_at",
        ]


class RegionCodeField(serializers.SlugRelatedField):
    """A region by its Kemendagri code; anything but a short text without NUL is
    refused before it reaches the database."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data or len(data) > 13:
            self.fail("invalid")
        return super().to_internal_value(data)


class JudgeInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    home_region = RegionCodeField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
    )
    categories = ContestCategoryField(many=True, required=False)
    panels = ContestCategoryField(many=True, required=False)


def _is_organizer(context) -> bool:
    request = context.get("request")
    return request is not None and is_contest_organizer.test(
        request.user, context["contest"]
    )


@extend_schema_field(OpenApiTypes.INT)
class CallerJudgeField(ContestJudgeField):
    """Any judge of the contest for an organizer; for a judge, only themself (another
    judge's id is answered as if it did not exist)."""

    def get_queryset(self):
        qs = super().get_queryset()
        if _is_organizer(self.context):
            return qs
        return qs.filter(user_id=self.context["request"].user.pk)


@extend_schema_field(OpenApiTypes.INT)
class CallerSubmissionField(ContestSubmissionField):
    """Any entry of the contest that is not a draft for an organizer; for a judge,
    only the entries assigned to them. An id that does not exist and one the caller
    may not see get the same answer."""

    def get_queryset(self):
        qs = super().get_queryset()
        if _is_organizer(self.context):
            return qs
        assigned = Assignment.objects.filter(
            judge__contest=self.context["contest"],
            judge__user_id=self.context["request"].user.pk,
        ).values("submission_id")
        return qs.filter(pk__in=assigned)


class ConflictInputSerializer(serializers.Serializer):
    judge = CallerJudgeField(
        required=False,
        help_text="The judge; a judge declaring for themself may leave it out.",
    )
    submission = CallerSubmissionField()
    reason = serializers.CharField(max_length=2000)


class ConflictSerializer(serializers.ModelSerializer):
    declared_by = serializers.EmailField(
        source="declared_by.email", read_only=True, allow_null=True, default=None
    )
    removed_assignments = serializers.SerializerMethodField()
    excluded_sheets = serializers.SerializerMethodField()

    class Meta:
        model = ConflictOfInterest
        fields = [
            "id",
            "judge",
            "submission",
            "source",
            "rule",
            "reason",
            "declared_by",
            "created_at",
            "removed_assignments",
            "excluded_sheets",
        ]

    def get_removed_assignments(self, obj) -> list[int]:
        return self.context.get("removed_assignments", [])

    def get_excluded_sheets(self, obj) -> list[int]:
        """Submitted sheets of the pair, now excluded from the results."""
        return self.context.get("excluded_sheets", [])


class AssignInputSerializer(serializers.Serializer):
    judges_per_entry = serializers.IntegerField(min_value=1, max_value=20)


class AssignmentSerializer(serializers.ModelSerializer):
    judge_name = serializers.CharField(source="judge.__str__", read_only=True)
    submission_title = serializers.CharField(source="submission.title", read_only=True)
    category = serializers.IntegerField(source="submission.category_id", read_only=True)
    state = serializers.CharField(source="progress", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "stage",
            "judge",
            "judge_name",
            "submission",
            "submission_title",
            "category",
            "state",
            "created_at",
        ]
        read_only_fields = fields


class AssignmentInputSerializer(serializers.Serializer):
    judge = ContestJudgeField()
    submission = ContestSubmissionField()


class LoadSerializer(serializers.Serializer):
    judge = serializers.IntegerField()
    name = serializers.CharField()
    load = serializers.IntegerField()


class ShortfallSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.pk")
    title = serializers.CharField(source="submission.title")
    needed = serializers.IntegerField()
    assigned = serializers.IntegerField()
    reason = serializers.CharField()
    message = serializers.CharField()


class AssignRunSerializer(serializers.Serializer):
    judges_per_entry = serializers.IntegerField()
    assignments = AssignmentSerializer(many=True, source="created")
    kept = serializers.IntegerField()
    removed = serializers.IntegerField()
    loads = serializers.SerializerMethodField()
    conflicts_avoided = serializers.IntegerField()
    expertise_matched = serializers.IntegerField()
    shortfalls = ShortfallSerializer(many=True)

    @extend_schema_field(LoadSerializer(many=True))
    def get_loads(self, obj) -> list[dict]:
        return [
            {"judge": judge.pk, "name": str(judge), "load": load}
            for judge, load in sorted(
                obj.loads.items(), key=lambda item: (str(item[0]), item[0].pk)
            )
        ]


class JudgeEvidenceSerializer(serializers.ModelSerializer):
    """An entry's evidence as a judge sees it; files through the checked file view."""

    kind = serializers.CharField(read_only=True, help_text="file or link")
    file_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "title",
            "criterion",
            "content_type",
            "original_name",
            "size",
            "url",
            "file_url",
            "thumbnail_url",
        ]

    def _file_url(self, obj: Evidence, name: str) -> str:
        return reverse(
            f"submissions:{name}",
            kwargs={
                "slug": obj.submission.contest.slug,
                "pk": obj.submission_id,
                "evidence_pk": obj.pk,
            },
        )

    def get_file_url(self, obj: Evidence) -> str | None:
        if not obj.is_file or not obj.is_ready:
            return None
        return self._file_url(obj, "evidence-file")

    def get_thumbnail_url(self, obj: Evidence) -> str | None:
        if not obj.is_image or not obj.thumbnail:
            return None
        return self._file_url(obj, "evidence-thumbnail")


class JudgeSubmissionSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    evidence = JudgeEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "title",
            "category",
            "category_name",
            "region",
            "region_name",
            "summary",
            "problem",
            "solution",
            "impact",
            "started_on",
            "agency",
            "links",
            "evidence",
        ]
        read_only_fields = fields


class MyAssignmentSerializer(serializers.ModelSerializer):
    contest = serializers.CharField(source="stage.contest.slug", read_only=True)
    contest_name = serializers.CharField(source="stage.contest.name", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    opens = serializers.DateTimeField(source="stage.opens", read_only=True)
    closes = serializers.DateTimeField(source="stage.closes", read_only=True)
    state = serializers.CharField(source="progress", read_only=True)
    submission = JudgeSubmissionSerializer(read_only=True)
    current = serializers.SerializerMethodField(
        help_text="Work to do now: the stage is open and the sheet not submitted "
        "(the list puts these first)."
    )
    stage_done = serializers.IntegerField(
        read_only=True,
        help_text="How many of the caller's assignments in this stage are submitted.",
    )
    stage_total = serializers.IntegerField(
        read_only=True, help_text="How many assignments the caller has in this stage."
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "contest",
            "contest_name",
            "stage",
            "stage_name",
            "opens",
            "closes",
            "state",
            "current",
            "stage_done",
            "stage_total",
            "submission",
        ]

    def get_current(self, obj) -> bool:
        return getattr(obj, "standing", None) == CURRENT


@extend_schema_field(OpenApiTypes.DECIMAL)
class ScoreValueField(serializers.Field):
    """A number (or a numeric string); the service checks the range and the step, so
    that every refusal names the criterion."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return None if value is None else str(value)


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    value = ScoreValueField()
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )


class SheetInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, max_length=500)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10000
    )
    submit = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_INT,
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "Optional: the version the client started from (or send the ETag in "
            "If-Match); a stale one answers 409 and writes nothing. Without it the "
            "save is applied whole."
        ),
    )


class ScoreOutputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    comment = serializers.CharField()


class PeerSerializer(serializers.Serializer):
    judge = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    values = serializers.ListField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    )
    comment = serializers.CharField()


class SheetSerializer(serializers.Serializer):
    """A sheet as its judge (or an organizer) reads it; `version` (also the ETag) is
    what a PUT may send back for optimistic concurrency."""

    assignment = serializers.IntegerField()
    state = serializers.CharField()
    version = serializers.IntegerField()
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    excluded_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the sheet was taken out of the results (a conflict found "
        "after it was submitted, or the entry left the stage); null while it counts.",
    )
    excluded_reason = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    scores = ScoreOutputSerializer(many=True)
    peers = PeerSerializer(many=True, required=False)
    previous = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="The judge's previous assignment in this stage (the scoring "
        "page's order), null at the first.",
    )
    next = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="The judge's next assignment in this stage, null at the last.",
    )


def sheet_payload(
    assignment: Assignment,
    sheet: ScoreSheet | None,
    criteria: list,
    scores: dict,
    score,
    peers=None,
) -> dict:
    return {
        "assignment": assignment.pk,
        "state": assignment.progress,
        "version": sheet.version if sheet else 0,
        "comment": sheet.comment if sheet else "",
        "submitted_at": sheet.submitted_at if sheet else None,
        "excluded_at": sheet.excluded_at if sheet else None,
        "excluded_reason": sheet.excluded_reason if sheet else "",
        "score": score,
        "scores": [
            {
                "criterion": c.pk,
                "name": c.name,
                "value": scores[c.pk].value if c.pk in scores else None,
                "comment": scores[c.pk].comment if c.pk in scores else "",
            }
            for c in criteria
        ],
        "peers": [
            {
                "judge": peer.judge_label,
                "score": peer.score,
                "values": peer.cells,
                "comment": peer.comment,
            }
            for peer in peers or []
        ],
    }


class RemindersSerializer(serializers.Serializer):
    reminded = serializers.IntegerField(
        help_text="How many judges were reminded now: 0 when every judge with "
        "sheets still to submit was reminded today already, or none has any."
    )
