"""Factories of indicator stages: the stage, an indicator (a Criterion with
levels), an entry's answer to it and a validator's verdict on it."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from contest.enums import StageKind
from judging.enums import Verdict
from judging.models_formats import IndicatorValidation
from submissions.models_answers import IndicatorAnswer
from tests.factories.contest import CriterionFactory, StageFactory
from tests.factories.submissions import SubmissionFactory

# Levels 0, 1 and 2 worth 0, 50 and 100 points.
LEVELS = [
    {"label": "Belum ada", "points": 0, "evidence": ""},
    {"label": "Sebagian", "points": 50, "evidence": "Surat keputusan"},
    {"label": "Menyeluruh", "points": 100, "evidence": "Laporan dan foto"},
]


class IndicatorStageFactory(StageFactory):
    """An indicator stage open now (a week either side)."""

    kind = StageKind.INDICATOR
    opens = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class IndicatorFactory(CriterionFactory):
    """An indicator of weight 1 with the three LEVELS."""

    stage = factory.SubFactory(IndicatorStageFactory)
    weight = Decimal("1")
    levels = factory.LazyFunction(lambda: [dict(level) for level in LEVELS])


class IndicatorAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorAnswer

    submission = factory.SubFactory(SubmissionFactory)
    criterion = factory.SubFactory(IndicatorFactory)
    level = 2


class IndicatorValidationFactory(factory.django.DjangoModelFactory):
    """A verdict on the level answered (a note when it is not valid)."""

    class Meta:
        model = IndicatorValidation

    criterion = factory.SubFactory(IndicatorFactory)
    stage = factory.SelfAttribute("criterion.stage")
    submission = factory.SubFactory(SubmissionFactory)
    level = 2
    verdict = Verdict.VALID
    note = factory.LazyAttribute(
        lambda o: "" if o.verdict in (Verdict.VALID, Verdict.PENDING) else "Kurang."
    )
    validated_at = factory.LazyFunction(timezone.now)


def answered(*, submission, criterion, level: int, verdict: str | None = None):
    """The entry's answer at `level`, and the verdict on it when one is given."""
    answer = IndicatorAnswerFactory(
        submission=submission, criterion=criterion, level=level
    )
    if verdict is not None:
        IndicatorValidationFactory(
            submission=submission, criterion=criterion, level=level, verdict=verdict
        )
    return answer
