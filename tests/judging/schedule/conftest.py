"""A scoring stage with entries from three regions (each with a delegate), three
judges, and sessions to book."""

import datetime as dt

import pytest


@pytest.fixture
def stage(contest):
    from tests.factories.judging import OpenStageFactory

    return OpenStageFactory(contest=contest, name="Presentasi", judges_per_entry=2)


@pytest.fixture
def entries(contest):
    from tests.factories.contest import DelegateFactory
    from tests.factories.judging import EligibleSubmissionFactory

    made = []
    for n in range(3):
        entry = EligibleSubmissionFactory(contest=contest, title=f"Inovasi {n}")
        DelegateFactory(contest=contest, region=entry.region)
        made.append(entry)
    return made


@pytest.fixture
def judges(contest):
    from tests.factories.judging import JudgeFactory

    return [JudgeFactory(contest=contest, name=f"Juri {n}") for n in range(3)]


@pytest.fixture
def day(contest):
    return dt.datetime(2027, 9, 14, 9, 0, tzinfo=contest.tzinfo)


def make_slots(stage, day, count, *, minutes=45, parallel=False):
    from judging.models_formats import Slot

    slots = []
    for n in range(count):
        starts = day if parallel else day + dt.timedelta(minutes=60 * n)
        slots.append(
            Slot.objects.create(
                stage=stage,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=minutes),
                place=f"Ruang {n}",
            )
        )
    return slots
