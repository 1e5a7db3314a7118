"""The entry form's answers over the API: read with the entry (`answers`), written
with it on POST and PATCH (`answers: [{question, value}]`), a file answer at
`submissions/{id}/answers/{question_id}/file/`. Refusals answer 400 as
{"answers": [{"question": id, "value": [message]}]}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError

from contest.enums import QuestionKind
from submissions.models import Submission
from submissions.services.answers import save_answers
from submissions.services.answers_required import AnswersError

MAX_ANSWERS = 200


class EntryAnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    value = serializers.JSONField(allow_null=True)

    def validate(self, attrs):
        """Both keys, also in a PATCH (whose partial mode would drop them)."""
        missing = [k for k in ("question", "value") if k not in attrs]
        if missing:
            raise ValidationError({k: [_("This field is required.")] for k in missing})
        return attrs


class AnswersRefused(APIException):
    """400 with {"answers": [{"question": id, "value": [message]}], "detail"}; the
    ids stay numbers (DRF's ValidationError would make them strings)."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, answers: list[dict], message: str):
        super().__init__(message)
        self.detail = {"answers": answers, "detail": message}


class AnswerOutputSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    label = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    file_url = serializers.CharField(required=False)


def answers_input_field() -> serializers.Field:
    return EntryAnswerInputSerializer(
        many=True, required=False, max_length=MAX_ANSWERS, allow_empty=True
    )


@extend_schema_field(AnswerOutputSerializer(many=True))
class AnswersField(serializers.Field):
    """The entry's stored answers, each with its question's label in the
    request's language and, for a file, its download URL."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, submission: Submission) -> list[dict]:
        language = (get_language() or "id")[:2]
        out = []
        for answer in submission.answers.all():
            question = answer.question
            item: dict[str, Any] = {
                "question": question.pk,
                "label": question.label_in(language),
                "kind": question.kind,
                "value": answer.value,
            }
            if question.kind == QuestionKind.FILE and answer.file:
                item["file_url"] = reverse(
                    "submission-answer-download",
                    kwargs={
                        "contest_slug": self.context["contest"].slug,
                        "pk": submission.pk,
                        "question_pk": question.pk,
                    },
                )
            out.append(item)
        return out


def refusal(exc: AnswersError) -> AnswersRefused:
    return AnswersRefused(exc.as_list(), str(exc.message))


def _by_question(answers: list[dict]) -> dict[int, Any]:
    seen: dict[int, Any] = {}
    for item in answers:
        if item["question"] in seen:
            raise AnswersRefused(
                [{"question": item["question"], "value": [_("Given twice.")]}],
                _("A question is answered twice."),
            )
        seen[item["question"]] = item["value"]
    return seen


def save_with_answers(
    values: dict, save: Callable[[dict], Submission], *, by: Any
) -> Submission:
    """`save(values)` (the entry's own fields), then its answers, at once."""
    values = dict(values)
    answers = values.pop("answers", None)
    by_question = _by_question(answers) if answers else {}
    try:
        with transaction.atomic():
            submission = save(values)
            if by_question:
                save_answers(submission=submission, answers=by_question, by=by)
    except AnswersError as exc:
        raise refusal(exc) from None
    return submission


class AnswerFileInputSerializer(serializers.Serializer):
    file = serializers.FileField()
