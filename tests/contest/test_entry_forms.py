"""The entry form's services (contest.entry_forms): each write, each refusal."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import DomainError
from contest import entry_forms
from contest.enums import QuestionKind
from contest.models import AuditEntry, EntryQuestion
from submissions.enums import SubmissionState
from tests.factories.contest import CategoryFactory, ContestFactory
from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]


def create(contest, by, **data):
    data.setdefault("kind", QuestionKind.SHORT_TEXT)
    data.setdefault("label", "Nomor SK Kepala Daerah")
    return entry_forms.create_question(contest=contest, by=by, **data)


def test_create_question_records_it(contest, organizer):
    question = create(
        contest,
        organizer,
        kind=QuestionKind.NUMBER,
        label="Anggaran (juta rupiah)",
        label_en="Budget (million rupiah)",
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        public=True,
    )

    assert question.order == 1
    entry = AuditEntry.objects.get(action="question.created")
    assert entry.data["label"] == "Anggaran (juta rupiah)"
    assert entry.data["max_value"] == "1000"
    assert entry.actor == organizer


def test_create_question_refused_to_a_delegate(contest, delegate):
    with pytest.raises(DomainError) as excinfo:
        create(contest, delegate)

    assert excinfo.value.status == 403
    assert not EntryQuestion.objects.exists()


def test_create_question_refused_when_frozen(contest, organizer):
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    with pytest.raises(DomainError) as excinfo:
        create(contest, organizer)

    assert excinfo.value.status == 409


def test_create_question_refuses_another_contests_category(contest, organizer):
    foreign = CategoryFactory(contest=ContestFactory())

    with pytest.raises(DomainError) as excinfo:
        create(contest, organizer, category=foreign)

    assert excinfo.value.field == "category"


def test_create_question_refuses_unknown_file_type(contest, organizer):
    with pytest.raises(DomainError) as excinfo:
        create(contest, organizer, kind=QuestionKind.FILE, file_types=["exe"])

    assert excinfo.value.field == "file_types"


def test_create_question_refuses_reversed_range(contest, organizer):
    with pytest.raises(ValidationError):
        create(
            contest,
            organizer,
            kind=QuestionKind.NUMBER,
            min_value=Decimal("10"),
            max_value=Decimal("1"),
        )


def test_create_required_question_refused_once_an_entry_is_submitted(
    contest, organizer
):
    SubmissionFactory(contest=contest, state=SubmissionState.SUBMITTED)

    with pytest.raises(DomainError) as excinfo:
        create(contest, organizer, required=True)

    assert excinfo.value.status == 409
    assert excinfo.value.field == "required"
    create(contest, organizer, required=False)


def test_update_question_rewords_and_widens(contest, organizer):
    question = EntryQuestionFactory(
        contest=contest, kind=QuestionKind.CHOICE, options=["Ya", "Tidak"]
    )
    AnswerFactory(submission__contest=contest, question=question, value="Ya")

    entry_forms.update_question(
        question=question,
        by=organizer,
        data={"label": "Sudah ada Perda?", "options": ["Ya", "Tidak", "Dalam proses"]},
    )

    question.refresh_from_db()
    assert question.label == "Sudah ada Perda?"
    entry = AuditEntry.objects.get(action="question.updated")
    assert entry.data["label"][1] == "Sudah ada Perda?"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": QuestionKind.CHOICES}, "kind"),
        ({"options": ["Tidak"]}, "options"),
    ],
)
def test_update_question_refused_when_an_answer_would_break(
    contest, organizer, data, field
):
    question = EntryQuestionFactory(
        contest=contest, kind=QuestionKind.CHOICE, options=["Ya", "Tidak"]
    )
    AnswerFactory(submission__contest=contest, question=question, value="Ya")

    with pytest.raises(DomainError) as excinfo:
        entry_forms.update_question(question=question, by=organizer, data=data)

    assert excinfo.value.status == 409
    assert excinfo.value.field == field
    stored = EntryQuestion.objects.get(pk=question.pk)
    assert (stored.kind, stored.options) == (QuestionKind.CHOICE, ["Ya", "Tidak"])
    assert not AuditEntry.objects.filter(action="question.updated").exists()


def test_update_question_refuses_narrowing_below_an_answer(contest, organizer):
    question = EntryQuestionFactory(contest=contest, kind=QuestionKind.NUMBER)
    AnswerFactory(submission__contest=contest, question=question, value="5")

    with pytest.raises(DomainError) as excinfo:
        entry_forms.update_question(
            question=question, by=organizer, data={"min_value": Decimal("10")}
        )

    assert excinfo.value.field == "min_value"


def test_update_question_refuses_moving_to_a_category_others_answered(
    contest, organizer
):
    question = EntryQuestionFactory(contest=contest)
    answer = AnswerFactory(submission__contest=contest, question=question)
    other = CategoryFactory(contest=contest)
    assert answer.submission.category != other

    with pytest.raises(DomainError) as excinfo:
        entry_forms.update_question(
            question=question, by=organizer, data={"category": other}
        )

    assert excinfo.value.field == "category"


def test_update_question_refuses_unknown_field(contest, organizer):
    question = EntryQuestionFactory(contest=contest)

    with pytest.raises(DomainError) as excinfo:
        entry_forms.update_question(
            question=question, by=organizer, data={"contest": 1}
        )

    assert excinfo.value.field == "contest"


def test_delete_question_without_answers(contest, organizer):
    question = EntryQuestionFactory(contest=contest)

    entry_forms.delete_question(question=question, by=organizer)

    assert not EntryQuestion.objects.exists()
    assert AuditEntry.objects.filter(action="question.deleted").exists()


def test_delete_question_refused_when_answered(contest, organizer):
    question = EntryQuestionFactory(contest=contest)
    AnswerFactory(submission__contest=contest, question=question)

    with pytest.raises(DomainError) as excinfo:
        entry_forms.delete_question(question=question, by=organizer)

    assert excinfo.value.status == 409
    assert EntryQuestion.objects.filter(pk=question.pk).exists()


def test_delete_question_refused_when_frozen(contest, organizer):
    question = EntryQuestionFactory(contest=contest)
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    with pytest.raises(DomainError):
        entry_forms.delete_question(question=question, by=organizer)

    assert EntryQuestion.objects.filter(pk=question.pk).exists()


def test_reorder_questions(contest, organizer):
    first, second = EntryQuestionFactory.create_batch(2, contest=contest)

    entry_forms.reorder_questions(
        contest=contest, by=organizer, order=[second.pk, first.pk]
    )

    assert list(entry_forms.questions_of(contest)) == [second, first]


def test_reorder_questions_refuses_a_partial_order(contest, organizer):
    first, _second = EntryQuestionFactory.create_batch(2, contest=contest)

    with pytest.raises(DomainError) as excinfo:
        entry_forms.reorder_questions(contest=contest, by=organizer, order=[first.pk])

    assert excinfo.value.field == "order"


def test_reorder_questions_refused_to_a_delegate(contest, delegate):
    first = EntryQuestionFactory(contest=contest)

    with pytest.raises(DomainError):
        entry_forms.reorder_questions(contest=contest, by=delegate, order=[first.pk])


@pytest.mark.parametrize(
    "write",
    [
        lambda c, q, by: create(c, by),
        lambda c, q, by: entry_forms.update_question(
            question=q, by=by, data={"label": "Baru"}
        ),
        lambda c, q, by: entry_forms.delete_question(question=q, by=by),
        lambda c, q, by: entry_forms.reorder_questions(contest=c, by=by, order=[q.pk]),
    ],
    ids=["create", "update", "delete", "reorder"],
)
def test_every_entry_form_write_refused_once_frozen(contest, organizer, write):
    question = EntryQuestionFactory(contest=contest, label="Lama")
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])
    entries = AuditEntry.objects.count()

    with pytest.raises(DomainError) as excinfo:
        write(contest, question, organizer)

    assert excinfo.value.status == 409
    assert list(EntryQuestion.objects.values_list("label", flat=True)) == ["Lama"]
    assert AuditEntry.objects.count() == entries
