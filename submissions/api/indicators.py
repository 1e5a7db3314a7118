"""An entry's answers to the indicators of its contest's indicator stages:
GET lists them, PUT saves [{criterion, level, note}] all or nothing (the rules
of submissions.services.indicators, as on the delegate's page)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from contest.api.base import ContestScopedMixin
from submissions.models_answers import IndicatorAnswer
from submissions.rules import allows
from submissions.selectors import submissions_visible_to
from submissions.selectors_indicators import entry_answers
from submissions.services.indicators import save_indicator_answers

MAX_ID = 2**31 - 1


class IndicatorAnswerSerializer(serializers.ModelSerializer):
    stage = serializers.IntegerField(source="criterion.stage_id", read_only=True)

    class Meta:
        model = IndicatorAnswer
        fields = ["criterion", "stage", "level", "note", "updated_at"]
        read_only_fields = fields


class AnswersInputSerializer(serializers.Serializer):
    """A list of {criterion, level, note}; each item is checked by the service
    (400 naming `criterion`, `level` or `note`)."""

    answers = serializers.ListField(child=serializers.DictField(), max_length=500)


class EntryIndicatorsViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    """An entry's indicator answers: its region's delegates read and write them,
    the organizers read them; anyone else who may not know the entry gets 404."""

    queryset = IndicatorAnswer.objects.none()
    serializer_class = IndicatorAnswerSerializer
    pagination_class = None
    action_permissions = {
        "list": "submissions.look_up_submission",
        "put": "submissions.look_up_submission",
    }

    def _entry(self, perm: str):
        pk = int(self.kwargs["pk"])
        entry = (
            submissions_visible_to(self.request.user, self.contest)
            .filter(pk=pk if pk <= MAX_ID else 0)
            .first()
        )
        if entry is None:
            raise Http404
        if not allows(self.request.user, perm, entry):
            raise PermissionDenied
        return entry

    def list(self, request, *args, **kwargs):
        entry = self._entry("submissions.view_indicators")
        answers = entry_answers(entry).select_related("criterion")
        return Response(IndicatorAnswerSerializer(answers, many=True).data)

    @extend_schema(
        request=AnswersInputSerializer, responses=IndicatorAnswerSerializer(many=True)
    )
    def put(self, request, *args, **kwargs):
        entry = self._entry("submissions.answer_indicators")
        data = request.data
        answers = data.get("answers") if isinstance(data, dict) else data
        save_indicator_answers(submission=entry, answers=answers, by=request.user)
        fresh = entry_answers(entry).select_related("criterion")
        return Response(IndicatorAnswerSerializer(fresh, many=True).data)
