"""The entry form's public answers, as the published snapshot holds them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from contest.enums import QuestionKind
from contest.models import Contest
from submissions.answers import answer_text
from submissions.models_answers import Answer


def public_answers(contest: Contest) -> dict[int, list[dict[str, str]]] | None:
    """Each entry's answers to the entry form's public questions, as strings
    (a file is never published); None when the contest has no public question,
    whose snapshot then has no `answers` at all."""
    if not contest.questions.filter(public=True).exists():
        return None
    answers = (
        Answer.objects.filter(submission__contest=contest, question__public=True)
        .exclude(question__kind=QuestionKind.FILE)
        .select_related("question")
        .order_by("question__order", "question_id")
    )
    out: dict[int, list[dict[str, str]]] = defaultdict(list)
    for answer in answers:
        text = answer_text(answer.question, answer.value)
        if text:
            out[answer.submission_id].append(
                {
                    "question": answer.question.label,
                    "question_en": answer.question.label_en,
                    "value": text,
                }
            )
    return out


def answers_of(public: dict | None, submission_pk: int) -> dict[str, Any]:
    return {} if public is None else {"answers": public.get(submission_pk, [])}
