"""Fixtures for the results tests.

`scored` is a desk evaluation worked out by hand: rubric Kebaruan (weight 30) and
Kemanfaatan (weight 70), both 0-10, so a sheet scores 3 * v1 + 7 * v2 on 0-100.
Three judges score three entries of one category:

    entry  Juri A        Juri B        Juri C
    E1     (8, 9) = 87   (7, 8) = 77   (9, 9) = 90
    E2     (6, 7) = 67   (5, 6) = 57   (7, 7) = 70
    E3     (4, 5) = 47   (3, 4) = 37   (5, 6) = 57

Roles for the page and API tables: anonymous, delegate (of E1's region), judge (a
judge of the contest, not an organizer), other_organizer, organizer, superuser.
"""

from decimal import Decimal

import pytest


def sheet_reads() -> int:
    """The queries that read a stage's submitted sheets when its results are
    computed: on PostgreSQL their heads and their values, as integers
    (results/selectors/stage_rows.py), on SQLite one query of every value."""
    from django.db import connection

    return 2 if connection.vendor == "postgresql" else 1


RESULTS_ROLES = [
    "anonymous",
    "delegate",
    "judge",
    "other_organizer",
    "organizer",
    "superuser",
]

SHEETS = {
    ("E1", "A"): (8, 9),
    ("E1", "B"): (7, 8),
    ("E1", "C"): (9, 9),
    ("E2", "A"): (6, 7),
    ("E2", "B"): (5, 6),
    ("E2", "C"): (7, 7),
    ("E3", "A"): (4, 5),
    ("E3", "B"): (3, 4),
    ("E3", "C"): (5, 6),
}


@pytest.fixture(autouse=True)
def _english(request):
    """Messages are asserted in English, their source text. The pure standings'
    tests also run without Django (see tests/conftest.py)."""
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

    return OpenStageFactory(
        contest=contest,
        name="Penilaian dokumen",
        order=2,
        disagreement_threshold=Decimal("15"),
        advance_per_category=2,
    )


@pytest.fixture
def final_stage(contest, stage):
    from tests.factories.judging import OpenStageFactory

    return OpenStageFactory(contest=contest, name="Presentasi", order=3)


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
def category(contest):
    from tests.factories.contest import CategoryFactory

    return CategoryFactory(contest=contest, name="Pelayanan Publik", order=1)


@pytest.fixture
def judges(contest):
    from tests.factories.judging import JudgeFactory

    return {key: JudgeFactory(contest=contest, name=f"Juri {key}") for key in "ABC"}


@pytest.fixture
def delegate_region(delegate, contest):
    return contest.delegates.get(user=delegate).region


@pytest.fixture
def entries(contest, category, delegate_region):
    from tests.factories.contest import RegionFactory
    from tests.factories.judging import EligibleSubmissionFactory

    return {
        "E1": EligibleSubmissionFactory(
            contest=contest,
            category=category,
            region=delegate_region,
            title="Saninu (E-Lapor)",
        ),
        "E2": EligibleSubmissionFactory(
            contest=contest,
            category=category,
            region=RegionFactory(name="Kabupaten Mimika"),
            title="Lapor Akai Meno",
        ),
        "E3": EligibleSubmissionFactory(
            contest=contest,
            category=category,
            region=RegionFactory(name="Kota Bandung"),
            title="Layad Rawat",
        ),
    }


@pytest.fixture
def scored(stage, criteria, judges, entries):
    """The nine submitted sheets of the table above; answers {(entry, judge): sheet}."""
    from tests.factories.results import submitted_sheet

    return {
        (entry, judge): submitted_sheet(
            stage=stage,
            judge=judges[judge],
            submission=entries[entry],
            values={criteria[0]: v1, criteria[1]: v2},
            comments={criteria[0]: f"Catatan {judge} untuk {entry}."},
            comment=f"Komentar umum {judge}.",
        )
        for (entry, judge), (v1, v2) in SHEETS.items()
    }


@pytest.fixture
def judge(judges):
    """A judge of the contest who is not an organizer (a role)."""
    return judges["A"].user


@pytest.fixture
def published(scored, organizer, contest):
    """The contest's final results, published (Terbaik I to E1)."""
    from results import services

    services.give_place_awards(contest=contest, by=organizer, places=1)
    return services.publish_contest(contest=contest, by=organizer)
