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
    two-line rubric and its minutes, a file and a link of evidence, another
    region's entry scored by a second judge, provisional results open to
    objections and the delegate's objection to that entry; answered as a dict of
    rows."""
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
    organizer = OrganizerFactory(contest=contest).user
    delegate = DelegateFactory(contest=contest, region=region).user
    scored = _scored_entry(stage=stage, category=category, places=places)
    minutes, objection = _minutes_and_objection(
        stage=stage, entry=scored, organizer=organizer, delegate=delegate
    )
    return {
        "contest": contest,
        "category": category,
        "stage": stage,
        "entry": entry,
        "evidence": evidence,
        "draft": draft,
        "region": region,
        "assignment": assignment,
        "minutes": minutes,
        "objection": objection,
        "organizer": organizer,
        "delegate": delegate,
        "judge": judge.user,
    }


def _scored_entry(*, stage, category, places):
    """Another region's entry in the stage, scored by a second judge (the world's
    judge keeps an unsubmitted sheet): the results have something to publish."""
    from judging.models import StageEntry
    from tests.factories.judging import EligibleSubmissionFactory, JudgeFactory
    from tests.factories.results import submitted_sheet

    entry = EligibleSubmissionFactory(
        contest=stage.contest, category=category, region=places["other"]
    )
    StageEntry.objects.create(stage=stage, submission=entry)
    judge = JudgeFactory(
        contest=stage.contest, home_region=places["fourth"], categories=[category]
    )
    submitted_sheet(
        stage=stage,
        judge=judge,
        submission=entry,
        values=dict.fromkeys(stage.criteria.all(), 7),
    )
    return entry


def _minutes_and_objection(*, stage, entry, organizer, delegate):
    """The stage's minutes, and provisional results with their objection window
    open and the delegate's objection to the entry, written by the services."""
    import datetime as dt

    from django.utils import timezone

    from results import services

    minutes = services.generate_minutes(stage=stage, by=organizer)
    services.publish_provisional(
        contest=stage.contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=7),
    )
    objection = services.file_objection(
        contest=stage.contest,
        submission_id=entry.pk,
        text="Nilai entri ini belum lengkap.",
        by=delegate,
    )
    return minutes, objection
