"""Factories for judging."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from contest.enums import StageKind
from judging.enums import ConflictSource, SheetState
from judging.models import Assignment, ConflictOfInterest, Judge, Score, ScoreSheet
from submissions.enums import SubmissionState
from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory, CriterionFactory, StageFactory
from tests.factories.submissions import SubmissionFactory


class EligibleSubmissionFactory(SubmissionFactory):
    """An entry that passed screening: what a first scoring stage judges."""

    state = SubmissionState.ELIGIBLE


class OpenStageFactory(StageFactory):
    """A scoring stage open now (a week either side)."""

    kind = StageKind.SCORING
    opens = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class StepCriterionFactory(CriterionFactory):
    """0-10 in steps of 0.5."""

    step = Decimal("0.5")


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judge
        skip_postgeneration_save = True

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Juri {n}")
    home_region = None

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def panels(self, create, extracted, **kwargs):
        if create and extracted:
            self.panels.set(extracted)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    stage = factory.SubFactory(OpenStageFactory)
    judge = factory.SubFactory(
        JudgeFactory, contest=factory.SelfAttribute("..stage.contest")
    )
    submission = factory.SubFactory(
        EligibleSubmissionFactory, contest=factory.SelfAttribute("..stage.contest")
    )


class DeclaredConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    judge = factory.SubFactory(JudgeFactory)
    submission = factory.SubFactory(
        EligibleSubmissionFactory, contest=factory.SelfAttribute("..judge.contest")
    )
    source = ConflictSource.DECLARED
    rule = ""
    reason = "Pernah menjadi konsultan inovasi ini."


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    assignment = factory.SubFactory(AssignmentFactory)
    state = SheetState.DRAFT
    version = 1


class SubmittedSheetFactory(ScoreSheetFactory):
    state = SheetState.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    sheet = factory.SubFactory(ScoreSheetFactory)
    criterion = factory.SubFactory(
        StepCriterionFactory, stage=factory.SelfAttribute("..sheet.assignment.stage")
    )
    value = Decimal("7")
