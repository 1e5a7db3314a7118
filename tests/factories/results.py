"""Factories for the results' rows, and a helper that writes one submitted sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from judging.models import Score
from results.enums import AwardKind, PublicationKind
from results.models import (
    Award,
    Objection,
    Publication,
    ScoreBand,
    StageWeight,
)
from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    OpenStageFactory,
    SubmittedSheetFactory,
)


class StageWeightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageWeight

    stage = factory.SubFactory(OpenStageFactory)
    weight = Decimal("1")


class ScoreBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreBand

    contest = factory.SubFactory(ContestFactory)
    label = factory.Sequence(lambda n: f"Pita {n}")
    threshold = factory.Sequence(lambda n: Decimal(n % 100))


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    contest = factory.SubFactory(ContestFactory)
    submission = factory.SubFactory(
        EligibleSubmissionFactory, contest=factory.SelfAttribute("..contest")
    )
    category = factory.SelfAttribute("submission.category")
    name = factory.Sequence(lambda n: f"Penghargaan Khusus {n}")
    kind = AwardKind.SPECIAL
    rank = None


class PublicationFactory(factory.django.DjangoModelFactory):
    """A publication row with a minimal snapshot (its digest is not checked)."""

    class Meta:
        model = Publication

    contest = factory.SubFactory(ContestFactory)
    kind = PublicationKind.FINAL
    snapshot = factory.LazyAttribute(
        lambda o: {"contest": {"slug": o.contest.slug}, "entries": [], "awards": []}
    )
    digest = "0" * 64
    published_at = factory.LazyFunction(timezone.now)
    objections_close = None


class ProvisionalPublicationFactory(PublicationFactory):
    kind = PublicationKind.PROVISIONAL
    objections_close = factory.LazyFunction(
        lambda: timezone.now() + dt.timedelta(days=7)
    )


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objection

    publication = factory.SubFactory(ProvisionalPublicationFactory)
    submission = factory.SubFactory(
        EligibleSubmissionFactory,
        contest=factory.SelfAttribute("..publication.contest"),
    )
    filed_by = factory.SubFactory(UserFactory)
    text = "Nilai inovasi ini terlalu tinggi dibanding data dukungnya."


def submitted_sheet(*, stage, judge, submission, values, comments=None, comment=""):
    """A submitted sheet of `judge` on `submission` at `stage` with `values`
    ({criterion: value}); `comments` ({criterion: text}) per criterion."""
    assignment = AssignmentFactory(stage=stage, judge=judge, submission=submission)
    sheet = SubmittedSheetFactory(assignment=assignment, comment=comment)
    comments = comments or {}
    Score.objects.bulk_create(
        Score(
            sheet=sheet,
            criterion=criterion,
            value=None if value is None else Decimal(str(value)),
            comment=comments.get(criterion, ""),
        )
        for criterion, value in values.items()
    )
    return sheet
