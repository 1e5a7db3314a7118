"""A contest's own entry form: the questions (EntryQuestion) and the one rule about
changing them once entries have answered (`change_problems`, pure).

A change is allowed only when every stored answer stays valid under the changed
question and no submitted entry lacks an answer the change makes required."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.audit import apply_fields, audited_update, snapshot
from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.enums import QuestionKind
from contest.models import Category, Contest, EntryQuestion
from contest.models_formats import QUESTION_FIELDS

# The file types an answer may be: those of the evidence (submissions/files.py,
# which the contest app may not import; a test keeps the two lists equal).
FILE_TYPES = ("pdf", "jpg", "png", "webp", "docx", "xlsx", "pptx")
# An entry in this state has not been submitted (submissions.enums.SubmissionState).
DRAFT = "draft"


@dataclass(frozen=True)
class Spec:
    """What of a question decides whether an answer is valid, and for whom."""

    kind: str
    category: int | None = None
    required: bool = False
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    options: tuple[str, ...] = ()
    file_types: tuple[str, ...] = ()

    @classmethod
    def of(cls, question: EntryQuestion) -> Spec:
        return cls(
            kind=question.kind,
            category=question.category_id,
            required=question.required,
            min_value=question.min_value,
            max_value=question.max_value,
            options=tuple(question.options or ()),
            file_types=tuple(t.lower() for t in question.file_types or ()),
        )


@dataclass(frozen=True)
class StoredAnswer:
    """One stored answer: the answering entry's category, its value (JSON) and,
    for a file, the stored file's extension."""

    category: int
    value: Any = None
    file_ext: str = ""


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _chosen(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def _in_scope(category: int | None, entry_category: int) -> bool:
    return category is None or category == entry_category


def _range_problems(new: Spec, answers: Sequence[StoredAnswer]) -> list[Problem]:
    numbers = [n for n in (_number(a.value) for a in answers) if n is not None]
    problems = []
    below = [n for n in numbers if new.min_value is not None and n < new.min_value]
    above = [n for n in numbers if new.max_value is not None and n > new.max_value]
    if below:
        problems.append(
            Problem(
                "min_value",
                _("A stored answer is %(value)s, below the new lowest number.")
                % {"value": min(below)},
            )
        )
    if above:
        problems.append(
            Problem(
                "max_value",
                _("A stored answer is %(value)s, above the new highest number.")
                % {"value": max(above)},
            )
        )
    return problems


def _value_problems(new: Spec, answers: Sequence[StoredAnswer]) -> list[Problem]:
    if new.kind == QuestionKind.NUMBER:
        return _range_problems(new, answers)
    if new.kind in (QuestionKind.CHOICE, QuestionKind.CHOICES):
        used = set().union(*(_chosen(a.value) for a in answers)) if answers else set()
        removed = sorted(used - set(new.options))
        if removed:
            return [
                Problem(
                    "options",
                    _("Stored answers use the option “%(option)s”; keep it.")
                    % {"option": removed[0]},
                )
            ]
    if new.kind == QuestionKind.FILE and new.file_types:
        used = {a.file_ext.lower() for a in answers if a.file_ext}
        removed = sorted(used - set(new.file_types))
        if removed:
            return [
                Problem(
                    "file_types",
                    _("Stored answers are “%(type)s” files; keep that type.")
                    % {"type": removed[0]},
                )
            ]
    return []


def change_problems(
    old: Spec | None,
    new: Spec | None,
    *,
    answers: Sequence[StoredAnswer] = (),
    unanswered_submitted: Sequence[int] = (),
) -> list[Problem]:
    """Why changing a question from `old` to `new` would break what entries gave.

    `old` None: a new question; `new` None: its deletion. `answers` are the stored
    answers to it; `unanswered_submitted` the categories of the submitted entries
    that have no answer to it (every submitted entry, for a new question)."""
    if new is None:
        if not answers:
            return []
        return [
            Problem(
                "question",
                ngettext(
                    "%(count)d entry has answered this question; it cannot be deleted.",
                    "%(count)d entries have answered this question; it cannot be "
                    "deleted.",
                    len(answers),
                )
                % {"count": len(answers)},
            )
        ]
    problems: list[Problem] = []
    if old is not None and answers and old.kind != new.kind:
        return [Problem("kind", _("Entries have answered; the kind cannot change."))]
    if new.category is not None and any(a.category != new.category for a in answers):
        problems.append(
            Problem(
                "category",
                _("Entries of other categories have answered this question."),
            )
        )
    problems += _value_problems(new, answers)
    widened = old is None or not old.required or old.category != new.category
    if new.required and widened:
        missing = [c for c in unanswered_submitted if _in_scope(new.category, c)]
        if missing:
            problems.append(
                Problem(
                    "required",
                    ngettext(
                        "%(count)d submitted entry has no answer to it; it cannot "
                        "be required now.",
                        "%(count)d submitted entries have no answer to it; it "
                        "cannot be required now.",
                        len(missing),
                    )
                    % {"count": len(missing)},
                )
            )
    return problems


def _stored_answers(question: EntryQuestion) -> list[StoredAnswer]:
    rows = question.answers.values_list("submission__category_id", "value", "file")
    return [
        StoredAnswer(
            category=category,
            value=value,
            file_ext=file.rsplit(".", 1)[-1].lower() if file else "",
        )
        for category, value, file in rows
        if file or value not in (None, "", [])
    ]


def _unanswered_submitted(contest: Contest, question: EntryQuestion | None) -> list:
    entries = contest.submissions.exclude(state=DRAFT)
    if question is not None and question.pk:
        entries = entries.exclude(answers__question=question)
    return list(entries.values_list("category_id", flat=True))


def _refuse(problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        raise DomainError(first.message, field=first.field, status=409)


def _check_category(contest: Contest, category: Any) -> None:
    if category is not None and (
        not isinstance(category, Category) or category.contest_id != contest.pk
    ):
        raise DomainError(_("Choose a category of this contest."), field="category")


def _check_types(question: EntryQuestion) -> None:
    unknown = [t for t in question.file_types or () if t.lower() not in FILE_TYPES]
    if unknown:
        raise DomainError(
            _("“%(type)s” is not an accepted file type (%(types)s).")
            % {"type": unknown[0], "types": ", ".join(FILE_TYPES)},
            field="file_types",
        )
    question.file_types = [t.lower() for t in question.file_types or ()]


def _locked(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _record(action: str, question: EntryQuestion, by: Any, data: dict) -> None:
    ledger.record(
        action=action, obj=question, by=by, contest=question.contest, data=data
    )


def _audit_data(question: EntryQuestion) -> dict[str, Any]:
    data = snapshot(question, QUESTION_FIELDS)
    for name in ("min_value", "max_value"):
        if data[name] is not None:
            data[name] = str(data[name])
    return data


@transaction.atomic
def create_question(*, contest: Contest, by: Any, **data: Any) -> EntryQuestion:
    """Add a question; a required one is refused (409) once entries in its scope
    have been submitted without it."""
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    _check_category(contest, data.get("category"))
    question = EntryQuestion(contest=contest)
    if "order" not in data:
        last = contest.questions.order_by("-order").values_list("order", flat=True)
        data["order"] = (last.first() or 0) + 1
    apply_fields(question, QUESTION_FIELDS, data)
    _check_types(question)
    question.full_clean()
    _refuse(
        change_problems(
            None,
            Spec.of(question),
            unanswered_submitted=_unanswered_submitted(contest, None),
        )
    )
    question.save()
    _record("question.created", question, by, _audit_data(question))
    return question


def _check_change(question: EntryQuestion, before: Spec) -> None:
    _check_types(question)
    _refuse(
        change_problems(
            before,
            Spec.of(question),
            answers=_stored_answers(question),
            unanswered_submitted=_unanswered_submitted(question.contest, question),
        )
    )


@transaction.atomic
def update_question(
    *, question: EntryQuestion, by: Any, data: dict[str, Any]
) -> EntryQuestion:
    """Change a question; a change that a stored answer would not survive is
    refused (409) naming the field, and nothing changes."""
    contest = question.contest
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    if "category" in data:
        _check_category(contest, data["category"])
    stored = EntryQuestion.objects.get(pk=question.pk)
    before = Spec.of(stored)
    audited_update(
        question,
        fields=QUESTION_FIELDS,
        data=data,
        before=_audit_data(stored),
        check=lambda q: _check_change(q, before),
        record=lambda diff: _record("question.updated", question, by, diff),
        reload=True,
    )
    return question


@transaction.atomic
def delete_question(*, question: EntryQuestion, by: Any) -> None:
    """Delete a question no entry has answered (409 otherwise)."""
    contest = question.contest
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    count = question.answers.count()
    if count:
        answers = [StoredAnswer(category=0)] * count
        _refuse(change_problems(Spec.of(question), None, answers=answers))
    _record("question.deleted", question, by, _audit_data(question))
    question.delete()


@transaction.atomic
def reorder_questions(*, contest: Contest, by: Any, order: Sequence[int]) -> None:
    """Put the contest's questions in the order of `order` (their ids, each once)."""
    require_organizer(contest, by)
    ensure_not_frozen(_locked(contest))
    questions = {q.pk: q for q in contest.questions.all()}
    ids = list(order)
    if sorted(ids) != sorted(questions) or len(set(ids)) != len(ids):
        raise DomainError(_("Give each question of this contest once."), field="order")
    for position, pk in enumerate(ids, start=1):
        question = questions[pk]
        if question.order != position:
            question.order = position
            question.save(update_fields=["order", "updated_at"])
            _record("question.updated", question, by, {"order": position})


def questions_of(contest: Contest):
    """The contest's questions in their order, with their category."""
    return contest.questions.select_related("category").order_by("order", "pk")
