"""Fixtures for the judging tests: an open scoring stage with a two-line rubric, an
entry, the judge assigned to it and another judge of the contest who is not.

Roles for the page and API tables: anonymous, delegate, judge_assigned,
judge_unassigned, other_organizer, organizer, superuser.
"""

from decimal import Decimal

import pytest

JUDGING_ROLES = [
    "anonymous",
    "delegate",
    "judge_assigned",
    "judge_unassigned",
    "other_organizer",
    "organizer",
    "superuser",
]


@pytest.fixture(autouse=True)
def _english(request):
    """Messages are asserted in English, their source text (the UI default: id).
    The pure modules' tests also run without Django (see tests/conftest.py)."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield
        return
    from django.utils import translation

    request.getfixturevalue("settings").LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def stage(contest):
    from tests.factories.judging import OpenStageFactory

    return OpenStageFactory(contest=contest, name="Penilaian dokumen")


@pytest.fixture
def criteria(stage):
    from tests.factories.judging import StepCriterionFactory

    return [
        StepCriterionFactory(stage=stage, name="Kebaruan", weight=Decimal(30), order=1),
        StepCriterionFactory(
            stage=stage, name="Kemanfaatan", weight=Decimal(70), order=2
        ),
    ]


@pytest.fixture
def entry(contest):
    from tests.factories.judging import EligibleSubmissionFactory

    return EligibleSubmissionFactory(contest=contest, title="Saninu (E-Lapor)")


@pytest.fixture
def judge(contest):
    from tests.factories.judging import JudgeFactory

    return JudgeFactory(contest=contest, name="Dr. Andi")


@pytest.fixture
def assignment(stage, criteria, judge, entry):
    """The judge's assignment to the entry, which takes part in the stage (its
    StageEntry row, as the assignment service records it)."""
    from judging.models import StageEntry
    from tests.factories.judging import AssignmentFactory

    StageEntry.objects.create(stage=stage, submission=entry)
    return AssignmentFactory(stage=stage, judge=judge, submission=entry)


@pytest.fixture
def judge_assigned(assignment):
    return assignment.judge.user


@pytest.fixture
def judge_unassigned(contest, assignment):
    from tests.factories.judging import JudgeFactory

    return JudgeFactory(contest=contest, name="Sari").user


@pytest.fixture
def full_scores(criteria):
    """A complete, valid set of scores for the two criteria."""
    return [
        {"criterion": criteria[0].pk, "value": "7.5", "comment": "Baru di daerah."},
        {"criterion": criteria[1].pk, "value": "8", "comment": ""},
    ]
