"""One answer against its question (submissions.answers) and the answers'
services (submissions.services.answers), with the submit check."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.errors import DomainError
from contest.enums import QuestionKind as K
from contest.models import AuditEntry, EntryQuestion
from submissions.answers import clean_answer
from submissions.enums import SubmissionState
from submissions.models_answers import Answer
from submissions.services import submit_submission
from submissions.services.answers import clear_answer, save_answers, save_file_answer
from submissions.services.answers_required import AnswersError
from tests.factories.contest import CategoryFactory
from tests.factories.entry_forms import EntryQuestionFactory
from tests.factories.submissions import PDF_BYTES, EvidenceFactory


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def q(kind, **kw):
    return EntryQuestion(kind=kind, **kw)


@pytest.mark.parametrize(
    ("question", "raw", "cleaned"),
    [
        (q(K.SHORT_TEXT), "  Perda 3/2021 ", "Perda 3/2021"),
        (q(K.SHORT_TEXT), "   ", None),
        (q(K.NUMBER, min_value=Decimal("0")), "12,50", "12.5"),
        (q(K.NUMBER), 7, "7"),
        (q(K.DATE), "2023-05-01", "2023-05-01"),
        (q(K.DATE), dt.date(2023, 5, 1), "2023-05-01"),
        (q(K.CHOICE, options=["Ya", "Tidak"]), "Ya", "Ya"),
        (q(K.CHOICES, options=["a", "b", "c"]), ["c", "a"], ["a", "c"]),
        (q(K.LINK), "https://bima.go.id/saninu", "https://bima.go.id/saninu"),
        (q(K.CHOICES, options=["a"]), [], None),
    ],
)
def test_clean_answer_accepts(question, raw, cleaned):
    assert clean_answer(question, raw) == cleaned


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (q(K.SHORT_TEXT), "x" * 301),
        (q(K.SHORT_TEXT), 12),
        (q(K.NUMBER), "dua"),
        (q(K.NUMBER), True),
        (q(K.NUMBER), "NaN"),
        (q(K.NUMBER), "1.234"),
        (q(K.NUMBER, max_value=Decimal("10")), "11"),
        (q(K.NUMBER, min_value=Decimal("1")), "0"),
        (q(K.DATE), "kemarin"),
        (q(K.CHOICE, options=["Ya"]), "Mungkin"),
        (q(K.CHOICES, options=["a"]), ["a", "z"]),
        (q(K.CHOICES, options=["a"]), {"a": 1}),
        (q(K.LINK), "javascript:alert(1)"),
        (q(K.FILE), "berkas.pdf"),
    ],
)
def test_clean_answer_refuses(question, raw):
    with pytest.raises(ValidationError):
        clean_answer(question, raw)


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_save_answers_stores_updates_and_clears(entry, delegate):
    question = EntryQuestionFactory(contest=entry.contest, kind=K.NUMBER)

    save_answers(submission=entry, answers={question.pk: "12"}, by=delegate)
    save_answers(submission=entry, answers={question.pk: "13"}, by=delegate)
    assert Answer.objects.get().value == "13"
    save_answers(submission=entry, answers={question.pk: ""}, by=delegate)

    assert not Answer.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="answer.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["answer.saved", "answer.saved", "answer.removed"]


@pytestmark_db
def test_save_answers_refuses_naming_the_question(entry, delegate):
    question = EntryQuestionFactory(
        contest=entry.contest, kind=K.NUMBER, label="Anggaran", max_value=10
    )

    with pytest.raises(AnswersError) as excinfo:
        save_answers(submission=entry, answers={question.pk: "99"}, by=delegate)

    assert excinfo.value.as_list() == [
        {"question": question.pk, "value": ["Give a number of at most 10."]}
    ]
    assert "Anggaran" in str(excinfo.value.message)
    assert not Answer.objects.exists()


@pytestmark_db
def test_save_answers_refuses_a_question_of_another_category(entry, delegate):
    other = CategoryFactory(contest=entry.contest)
    question = EntryQuestionFactory(contest=entry.contest, category=other)

    with pytest.raises(AnswersError):
        save_answers(submission=entry, answers={question.pk: "x"}, by=delegate)


@pytestmark_db
def test_save_answers_refused_to_another_delegate(entry, other_delegate):
    question = EntryQuestionFactory(contest=entry.contest)

    with pytest.raises(DomainError) as excinfo:
        save_answers(submission=entry, answers={question.pk: "x"}, by=other_delegate)

    assert excinfo.value.status == 403


@pytestmark_db
def test_save_answers_refused_after_the_window(entry, delegate):
    question = EntryQuestionFactory(contest=entry.contest)
    contest = entry.contest
    contest.submission_closes = timezone.now() - dt.timedelta(hours=1)
    contest.save(update_fields=["submission_closes"])

    with pytest.raises(DomainError) as excinfo:
        save_answers(submission=entry, answers={question.pk: "x"}, by=delegate)

    assert excinfo.value.status == 409
    assert not Answer.objects.exists()


@pytestmark_db
def test_save_answers_refused_when_frozen(entry, delegate):
    question = EntryQuestionFactory(contest=entry.contest)
    contest = entry.contest
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    with pytest.raises(DomainError) as excinfo:
        save_answers(submission=entry, answers={question.pk: "x"}, by=delegate)

    assert excinfo.value.status == 409


@pytestmark_db
def test_save_file_answer_stores_and_replaces(entry, delegate):
    question = EntryQuestionFactory(
        contest=entry.contest, kind=K.FILE, file_types=["pdf"]
    )

    save_file_answer(
        submission=entry,
        question=question,
        file=SimpleUploadedFile("sk.pdf", PDF_BYTES),
        by=delegate,
    )

    answer = Answer.objects.get()
    assert answer.original_name == "sk.pdf"
    assert answer.content_type == "application/pdf"
    assert answer.file.name.endswith(".pdf")


@pytestmark_db
def test_save_file_answer_refuses_a_type_the_question_does_not_take(entry, delegate):
    question = EntryQuestionFactory(
        contest=entry.contest, kind=K.FILE, file_types=["pdf"]
    )

    with pytest.raises(DomainError) as excinfo:
        save_file_answer(
            submission=entry,
            question=question,
            file=SimpleUploadedFile("sk.pdf", PNG),
            by=delegate,
        )

    assert excinfo.value.field == "file"
    assert "PNG" in str(excinfo.value.message)
    assert not Answer.objects.exists()


@pytestmark_db
def test_save_file_answer_refuses_a_non_file_question(entry, delegate):
    question = EntryQuestionFactory(contest=entry.contest)

    with pytest.raises(DomainError):
        save_file_answer(
            submission=entry,
            question=question,
            file=SimpleUploadedFile("sk.pdf", PDF_BYTES),
            by=delegate,
        )


@pytestmark_db
def test_clear_answer_removes_it(entry, delegate):
    question = EntryQuestionFactory(contest=entry.contest, kind=K.FILE)
    save_file_answer(
        submission=entry,
        question=question,
        file=SimpleUploadedFile("sk.pdf", PDF_BYTES),
        by=delegate,
    )

    clear_answer(submission=entry, question=question, by=delegate)

    assert not Answer.objects.exists()


@pytestmark_db
def test_submit_refused_without_a_required_answer(entry, delegate):
    EvidenceFactory(submission=entry)
    question = EntryQuestionFactory(
        contest=entry.contest, required=True, label="Nomor SK"
    )

    with pytest.raises(AnswersError) as excinfo:
        submit_submission(submission=entry, by=delegate)

    assert excinfo.value.field == "answers"
    assert excinfo.value.errors == {question.pk: ["This question is required."]}
    entry.refresh_from_db()
    assert entry.state == SubmissionState.DRAFT


@pytestmark_db
def test_submit_ignores_required_questions_of_other_categories(entry, delegate):
    EvidenceFactory(submission=entry)
    EntryQuestionFactory(
        contest=entry.contest,
        required=True,
        category=CategoryFactory(contest=entry.contest),
    )
    answered = EntryQuestionFactory(contest=entry.contest, required=True)
    save_answers(submission=entry, answers={answered.pk: "SK 12"}, by=delegate)

    submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert entry.state == SubmissionState.SUBMITTED
