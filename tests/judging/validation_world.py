"""An open indicator stage with two indicators, an eligible entry of a region with
its delegate, an organizer, a validator assigned to the entry, a second judge of
the stage (assigned to another entry) and a judge with a declared conflict."""

from __future__ import annotations

from types import SimpleNamespace

from judging.models import Assignment
from submissions.enums import SubmissionState
from tests.factories.contest import (
    CategoryFactory,
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
)
from tests.factories.indicators import IndicatorFactory, IndicatorStageFactory
from tests.factories.judging import DeclaredConflictFactory, JudgeFactory
from tests.factories.submissions import SubmissionFactory


def build_world(entries: int = 1) -> SimpleNamespace:
    contest = ContestFactory()
    category = CategoryFactory(contest=contest)
    stage = IndicatorStageFactory(contest=contest, qc_sample_percent=50)
    indicators = [
        IndicatorFactory(stage=stage, order=1, name="Regulasi"),
        IndicatorFactory(stage=stage, order=2, name="Anggaran"),
    ]
    organizer = OrganizerFactory(contest=contest).user
    subs = [
        SubmissionFactory(
            contest=contest, category=category, state=SubmissionState.ELIGIBLE
        )
        for _n in range(entries)
    ]
    entry = subs[0]
    delegate = DelegateFactory(contest=contest, region=entry.region).user
    validator = JudgeFactory(contest=contest)
    other_judge = JudgeFactory(contest=contest)
    conflicted = JudgeFactory(contest=contest)
    other_entry = SubmissionFactory(
        contest=contest, category=category, state=SubmissionState.ELIGIBLE
    )
    for sub in subs:
        Assignment.objects.create(stage=stage, judge=validator, submission=sub)
    Assignment.objects.create(stage=stage, judge=other_judge, submission=other_entry)
    Assignment.objects.create(stage=stage, judge=conflicted, submission=entry)
    DeclaredConflictFactory(judge=conflicted, submission=entry, reason="Kerabat")
    return SimpleNamespace(
        contest=contest,
        stage=stage,
        indicators=indicators,
        organizer=organizer,
        entry=entry,
        entries=subs,
        other_entry=other_entry,
        delegate=delegate,
        validator=validator,
        other_judge=other_judge,
        conflicted=conflicted,
    )


def freeze(contest) -> None:
    from django.utils import timezone

    type(contest).objects.filter(pk=contest.pk).update(frozen_at=timezone.now())
    contest.refresh_from_db()
