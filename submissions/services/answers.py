"""An entry's answers to its contest's own questions: save the typed ones, upload
or clear a file answer. Each write is refused when the entry's own fields could not
be changed (frozen contest, closed window, a state that no longer changes), by the
same checks as `update_submission`, and each is in the ledger."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen
from contest import ledger
from contest.enums import QuestionKind
from contest.models import EntryQuestion
from submissions import files
from submissions.answers import clean_answer, file_type_accepted
from submissions.models import Submission
from submissions.models_answers import Answer, answer_upload_to
from submissions.services._common import (
    User,
    _committed,
    _delete_files_on_commit,
    _lock,
    _require_delegate,
)
from submissions.services.answers_required import AnswersError, questions_for
from submissions.services.workflow import check_open_for_changes
from submissions.validators import display_name


def _check_editable(submission: Submission, by: User) -> None:
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)


def _cleaned(
    questions: dict[int, EntryQuestion], answers: Mapping[Any, Any]
) -> dict[int, Any]:
    """Each answer's cleaned value by question id; every refusal at once."""
    errors: dict[Any, list[str]] = {}
    cleaned: dict[int, Any] = {}
    for key, value in answers.items():
        question = questions.get(key) if isinstance(key, int) else None
        if question is None:
            errors[key] = [_("This entry is not asked this question.")]
            continue
        try:
            cleaned[key] = clean_answer(question, value)
        except ValidationError as exc:
            errors[key] = list(exc.messages)
    if errors:
        key = next(iter(errors))
        label = questions[key].label if key in questions else str(key)
        raise AnswersError(
            _("“%(question)s”: %(message)s")
            % {"question": label, "message": errors[key][0]},
            errors=errors,
        )
    return cleaned


def _audit(action: str, answer: Answer, by: User, data: dict) -> None:
    ledger.record(
        action=action,
        obj=answer,
        by=by,
        contest=answer.submission.contest,
        data={
            "submission": answer.submission_id,
            "question": answer.question_id,
            **data,
        },
    )


@transaction.atomic
def save_answers(
    *, submission: Submission, answers: Mapping[int, Any], by: User
) -> list[Answer]:
    """Save the answers given (question id to value); an empty value clears one.
    Questions not named keep their answers."""
    _check_editable(submission, by)
    questions = {q.pk: q for q in questions_for(submission)}
    cleaned = _cleaned(questions, answers)
    stored = {a.question_id: a for a in submission.answers.filter(question__in=cleaned)}
    saved = []
    for pk, value in cleaned.items():
        if questions[pk].kind == QuestionKind.FILE:
            continue
        answer = stored.get(pk)
        if value is None:
            if answer is not None:
                _audit("answer.removed", answer, by, {"value": answer.value})
                answer.delete()
            continue
        if answer is not None and answer.value == value:
            continue
        answer = answer or Answer(submission=submission, question=questions[pk])
        answer.value = value
        answer.updated_by = by
        answer.save()
        _audit("answer.saved", answer, by, {"value": value})
        saved.append(answer)
    return saved


def _file_question(submission: Submission, question: EntryQuestion) -> None:
    if question.kind != QuestionKind.FILE:
        raise DomainError(_("This question is not answered with a file."), field="file")
    if not questions_for(submission).filter(pk=question.pk).exists():
        raise DomainError(_("This entry is not asked this question."), status=404)


@transaction.atomic
def save_file_answer(
    *, submission: Submission, question: EntryQuestion, file: Any, by: User
) -> Answer:
    """Store the uploaded file as the answer (replacing an earlier one, whose file
    goes once the transaction commits), checked as evidence is: its size, its type
    read from its content, and the question's accepted types."""
    _check_editable(submission, by)
    _file_question(submission, question)
    if file is None:
        raise DomainError(_("Choose a file."), field="file")
    name = display_name(file.name)
    ftype = files.inspect_upload(file, name=name, size=file.size)
    if not file_type_accepted(question, ftype.ext):
        raise DomainError(
            _("“%(name)s” is a %(type)s file; this question takes %(types)s.")
            % {
                "name": name,
                "type": ftype.label,
                "types": ", ".join(t.upper() for t in question.file_types),
            },
            field="file",
        )
    answer = submission.answers.filter(question=question).first()
    old = answer.file.name if answer is not None else ""
    answer = answer or Answer(submission=submission, question=question)
    file.seek(0)
    answer.file.name = default_storage.save(
        answer_upload_to(answer, f"upload.{ftype.ext}"), file
    )
    answer.original_name, answer.content_type = name, ftype.mime
    answer.size, answer.value, answer.updated_by = file.size, None, by
    try:
        answer.save()
        _audit(
            "answer.saved",
            answer,
            by,
            {"name": name, "content_type": ftype.mime, "size": file.size},
        )
    except Exception:
        default_storage.delete(answer.file.name)
        raise
    _delete_files_on_commit([old])
    return answer


@transaction.atomic
def clear_answer(*, submission: Submission, question: EntryQuestion, by: User) -> None:
    """Remove the entry's answer to `question` (a file once the transaction
    commits); nothing to remove is no error."""
    _check_editable(submission, by)
    answer = submission.answers.filter(question=question).first()
    if answer is None:
        return
    name = answer.file.name
    _audit("answer.removed", answer, by, {"name": answer.original_name})
    answer.delete()
    _delete_files_on_commit([name])


def _drop_unasked_answers(*, submission: Submission, by: User) -> int:
    """After the entry's category changed: its answers to questions no longer
    asked of it are removed (each audited, files deleted once the transaction
    commits), so they are neither shown nor published nor counted. Answers how
    many went."""
    asked = questions_for(submission).values("pk")
    stale = list(submission.answers.exclude(question_id__in=asked))
    for answer in stale:
        _audit(
            "answer.removed",
            answer,
            by,
            {"name": answer.original_name, "reason": "category changed"},
        )
        answer.delete()
    _delete_files_on_commit([a.file.name for a in stale if a.file])
    return len(stale)
