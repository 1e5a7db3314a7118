"""Objections (sanggahan) for integrators: filing one against the provisional
results, reading them with their answers, and the organizers' written answers
(one, or one for several), through the same rules and services as the pages
(results.views.public.ObjectionCreateView, MyObjectionsView;
results.views.manage.ObjectionsView and its answer views)."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contest.api.base import ContestScopedMixin
from results import selectors, services
from results.api.serializers import IdField
from results.enums import ObjectionOutcome
from results.models import Objection

MANAGE = "results.manage_results"
OUTCOMES_HELP = (
    f"One of: {ObjectionOutcome.UPHELD}, {ObjectionOutcome.DISMISSED} "
    f"(answered), {ObjectionOutcome.PENDING} (awaiting an answer)."
)
ANSWER_OUTCOMES_HELP = (
    f"One of: {ObjectionOutcome.UPHELD}, {ObjectionOutcome.DISMISSED}."
)
ORGANIZERS_ONLY = "Only in the answer to the contest's organizers."
ORGANIZER_FIELDS = ("filed_by", "answered_by")


class ObjectionSerializer(serializers.ModelSerializer):
    """An objection and its answer, as the pages show it: the objector reads their
    own (without the people's addresses), the organizers every one."""

    submission_title = serializers.CharField(source="submission.title", read_only=True)
    region = serializers.CharField(source="submission.region_id", read_only=True)
    region_name = serializers.CharField(source="submission.region.name", read_only=True)
    # `outcome` is text, not a ChoiceField: the answer's input names it too, with
    # fewer choices, and the two enums would collide in the schema.
    outcome = serializers.CharField(read_only=True, help_text=OUTCOMES_HELP)
    # Not read-only, only so that the schema marks them optional: the serializer
    # only answers (ObjectionInputSerializer reads what is filed).
    filed_by = serializers.EmailField(
        source="filed_by.email",
        required=False,
        allow_null=True,
        help_text=ORGANIZERS_ONLY,
    )
    answered_by = serializers.EmailField(
        source="answered_by.email",
        required=False,
        allow_null=True,
        help_text=ORGANIZERS_ONLY,
    )

    class Meta:
        model = Objection
        fields = [
            "id",
            "publication",
            "submission",
            "submission_title",
            "region",
            "region_name",
            "text",
            "filed_at",
            "filed_by",
            "outcome",
            "answer",
            "answered_at",
            "answered_by",
        ]
        read_only_fields = fields

    def get_fields(self):
        """Without the addresses when the view says the caller is no organizer
        (the schema, asked without a caller, describes them)."""
        fields = super().get_fields()
        if self.context.get("organizer") is False:
            for name in ORGANIZER_FIELDS:
                del fields[name]
        return fields


class ObjectionInputSerializer(serializers.Serializer):
    submission = IdField(help_text="An entry of the provisional results.")
    text = serializers.CharField(
        max_length=4000, help_text="What is objected to, and why."
    )


class AnswerInputSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=20, help_text=ANSWER_OUTCOMES_HELP)
    answer = serializers.CharField(max_length=4000, help_text="The written answer.")


class BulkAnswerInputSerializer(AnswerInputSerializer):
    objections = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=10_000,
        help_text="The ids of the objections, all awaiting an answer.",
    )


class ObjectionViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A contest's objections: the caller's own, or for its organizers all of them
    (another's answers 404). POST files one while the provisional results' window
    is open, as the page lets (results.rules.can_file_objection, 403 to anyone
    else; 409 outside the window or past the number one person may file);
    `answer/` gives the organizers' written answer, upheld or dismissed (409 once
    answered or frozen), to one objection or to several at once."""

    serializer_class = ObjectionSerializer
    queryset = Objection.objects.none()
    action_permissions = {
        "list": "results.list_objections",
        "retrieve": "results.list_objections",
        "create": "results.list_objections",
        "answer": MANAGE,
        "answer_many": MANAGE,
    }

    def is_organizer(self) -> bool:
        return self.request.user.has_perm(MANAGE, self.contest)

    def get_queryset(self):
        if self.is_organizer():
            return selectors.objections_of(self.contest)
        return selectors.objections_filed_by(self.request.user, self.contest)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organizer"] = hasattr(self, "contest") and self.is_organizer()
        return context

    def _output(self, objection: Objection, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=objection.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        description=(
            "File an objection to an entry of the provisional results while their "
            "objection window is open: the contest's delegates may, or every "
            "signed-in user with a confirmed address when the organizers opened "
            "the objections to all (403 to anyone else). 409 outside the window "
            "or past the number of objections one person may file."
        ),
        request=ObjectionInputSerializer,
        responses={201: ObjectionSerializer},
    )
    def create(self, request, *args, **kwargs):
        # While the window is open the page's predicate decides, without the
        # superuser's shortcut (the service refuses them too); outside it, the
        # service answers why (409).
        contest = self.contest
        window = selectors.open_provisional(contest, with_snapshot=False)
        if window is not None and not rules.has_perm(
            "results.file_objection", request.user, contest
        ):
            raise PermissionDenied
        data = ObjectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.file_objection(
            contest=contest,
            submission_id=data.validated_data["submission"],
            text=data.validated_data["text"],
            by=request.user,
        )
        return self._output(objection, status.HTTP_201_CREATED)

    @extend_schema(request=AnswerInputSerializer, responses={200: ObjectionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        objection = self.get_object()
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.resolve_objection(
            objection=objection,
            outcome=data.validated_data["outcome"],
            answer=data.validated_data["answer"],
            by=request.user,
        )
        return self._output(objection)

    @extend_schema(
        operation_id="v1_contests_objections_answer_many",
        request=BulkAnswerInputSerializer,
        responses={200: ObjectionSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="answer", pagination_class=None)
    def answer_many(self, request, *args, **kwargs):
        """One written answer to several objections, all or none (409 when one of
        them is answered already)."""
        data = BulkAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.resolve_objections(
            contest=self.contest,
            objection_ids=data.validated_data["objections"],
            outcome=data.validated_data["outcome"],
            answer=data.validated_data["answer"],
            by=request.user,
        )
        fresh = self.get_queryset().filter(pk__in=[o.pk for o in answered])
        return Response(self.get_serializer(fresh, many=True).data)
