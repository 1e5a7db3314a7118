"""The API fuzz tests (schemathesis) run only with FUZZ=1, as `.ci/run` sets it: they
take minutes, so `make test` leaves them out. With FUZZ=1 they are required: a
missing schemathesis fails them, it never skips them.

`world` is one contest at the judging stage with a row behind every path of the
API, so that generated requests reach the views' real answers and not only 404s.
"""

import os
from decimal import Decimal

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("FUZZ") == "1":
        return
    fuzz = [item for item in items if item.get_closest_marker("fuzz")]
    if fuzz:
        config.hook.pytest_deselected(items=fuzz)
        items[:] = [item for item in items if item.get_closest_marker("fuzz") is None]


@pytest.fixture
def world(db, places):
    """A contest with an organizer, a delegate of the entries' region, a judge
    assigned to one entry, two entries (one a draft), a scoring stage with a
    two-line rubric, a file and a link of evidence; answered as a dict of rows."""
    from judging.models import StageEntry
    from tests.factories.contest import (
        CategoryFactory,
        ContestFactory,
        DelegateFactory,
        OrganizerFactory,
    )
    from tests.factories.judging import (
        AssignmentFactory,
        EligibleSubmissionFactory,
        JudgeFactory,
        OpenStageFactory,
        StepCriterionFactory,
    )
    from tests.factories.submissions import (
        EvidenceFactory,
        LinkEvidenceFactory,
        SubmissionFactory,
    )

    region = places["mine"]
    contest = ContestFactory()
    category = CategoryFactory(contest=contest)
    stage = OpenStageFactory(contest=contest, name="Penilaian dokumen")
    for order, weight in enumerate([Decimal(30), Decimal(70)], start=1):
        StepCriterionFactory(stage=stage, weight=weight, order=order)
    entry = EligibleSubmissionFactory(contest=contest, category=category, region=region)
    draft = SubmissionFactory(contest=contest, category=category, region=region)
    evidence = EvidenceFactory(submission=entry)
    LinkEvidenceFactory(submission=draft)
    judge = JudgeFactory(contest=contest, name="Dr. Andi", categories=[category])
    StageEntry.objects.create(stage=stage, submission=entry)
    assignment = AssignmentFactory(stage=stage, judge=judge, submission=entry)
    return {
        "contest": contest,
        "category": category,
        "stage": stage,
        "entry": entry,
        "evidence": evidence,
        "draft": draft,
        "region": region,
        "assignment": assignment,
        "organizer": OrganizerFactory(contest=contest).user,
        "delegate": DelegateFactory(contest=contest, region=region).user,
        "judge": judge.user,
    }
