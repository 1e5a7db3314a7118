"""Factories of the entry form: a contest's question and an entry's answer."""

import factory

from contest.enums import QuestionKind
from contest.models import EntryQuestion
from submissions.models_answers import Answer
from tests.factories.contest import ContestFactory
from tests.factories.submissions import SubmissionFactory


class EntryQuestionFactory(factory.django.DjangoModelFactory):
    """An optional short-text question asked of every category."""

    class Meta:
        model = EntryQuestion

    contest = factory.SubFactory(ContestFactory)
    kind = QuestionKind.SHORT_TEXT
    label = factory.Sequence(lambda n: f"Pertanyaan {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    order = factory.Sequence(lambda n: n + 1)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    submission = factory.SubFactory(SubmissionFactory)
    question = factory.SubFactory(
        EntryQuestionFactory, contest=factory.SelfAttribute("..submission.contest")
    )
    value = "Jawaban"
