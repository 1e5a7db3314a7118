"""The entry form's questions an entry is asked, and the check at submission that
every required one is answered (400 naming `answers` and the question)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest.enums import QuestionKind
from contest.models import EntryQuestion
from submissions.answers import is_empty
from submissions.models import Submission


def questions_for(submission: Submission) -> QuerySet[EntryQuestion]:
    """The questions of the entry's contest asked of its category, in order."""
    return (
        EntryQuestion.objects.filter(contest_id=submission.contest_id)
        .filter(Q(category__isnull=True) | Q(category_id=submission.category_id))
        .order_by("order", "pk")
    )


def answer_rows(submission: Submission, *, language: str) -> list[dict]:
    """Each question asked of the entry, labelled in `language`, with its stored
    answer (or None), for the pages that show an entry."""
    stored = {a.question_id: a for a in submission.answers.all()}
    return [
        {
            "question": q,
            "label": q.label_in(language),
            "help": q.help_in(language),
            "answer": stored.get(q.pk),
        }
        for q in questions_for(submission).select_related("category")
    ]


def unanswered_required(submission: Submission) -> list[EntryQuestion]:
    answered = {
        a.question_id
        for a in submission.answers.all()
        if a.file or not is_empty(a.value)
    }
    return [
        q
        for q in questions_for(submission).filter(required=True)
        if q.pk not in answered
    ]


class AnswersError(DomainError):
    """Answers refused, each at its question: `errors` maps a question's id to
    its messages (the API answers them as a list of {question, value})."""

    def __init__(self, message, *, errors: dict[int, list[str]], status=400):
        super().__init__(message, field="answers", status=status)
        self.errors = errors

    def as_list(self) -> list[dict]:
        return [
            {"question": pk, "value": messages} for pk, messages in self.errors.items()
        ]


def check_required_answers(submission: Submission) -> None:
    missing = unanswered_required(submission)
    if not missing:
        return
    first = missing[0]
    message = (
        _("Upload the file asked for: “%(question)s”.")
        if first.kind == QuestionKind.FILE
        else _("Answer this question before submitting: “%(question)s”.")
    ) % {"question": first.label}
    raise AnswersError(
        message, errors={q.pk: [_("This question is required.")] for q in missing}
    )
