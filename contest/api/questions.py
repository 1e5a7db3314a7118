"""The contest's entry form over the API: `/contests/{slug}/questions/`. The
organizers write; the organizers, the contest's delegates and its judges read."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers

from contest import entry_forms
from contest.api.serializers import SMALLINT
from contest.api.views import _SetUpViewSet
from contest.models import Category, EntryQuestion
from contest.models_formats import QUESTION_FIELDS

READ = "contest.read_questions"
WRITE = "contest.manage_contest"


@extend_schema_field(OpenApiTypes.INT)
class _CategoryField(serializers.PrimaryKeyRelatedField):
    """A category of the contest by its id (a whole number; `true` is no id)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.strip().isdigit()):
            self.fail("incorrect_type", data_type="str")
        return super().to_internal_value(int(data))

    def get_queryset(self):
        return Category.objects.filter(contest=self.context["contest"])


class QuestionSerializer(serializers.ModelSerializer):
    """A question of the entry form; a change that stored answers would not survive
    answers 409 naming the field (contest.entry_forms)."""

    category = _CategoryField(required=False, allow_null=True)

    class Meta:
        model = EntryQuestion
        fields = ["id", *QUESTION_FIELDS]
        extra_kwargs = {"order": {**SMALLINT, "required": False}}

    def create(self, validated_data):
        return entry_forms.create_question(
            contest=self.context["contest"],
            by=self.context["request"].user,
            **validated_data,
        )

    def update(self, instance, validated_data):
        return entry_forms.update_question(
            question=instance, by=self.context["request"].user, data=validated_data
        )


class QuestionViewSet(mixins.DestroyModelMixin, _SetUpViewSet):
    serializer_class = QuestionSerializer
    queryset = EntryQuestion.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "partial_update": WRITE,
        "destroy": WRITE,
    }

    def perform_destroy(self, instance):
        entry_forms.delete_question(question=instance, by=self.request.user)

    def get_queryset(self):
        return entry_forms.questions_of(self.contest)
