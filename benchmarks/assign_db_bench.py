"""Time the assignment service end to end on database rows.

2,000 eligible entries in 5 categories from 100 regions of 10 provinces, 80 judges
(16 per category's panel) from the same regions, k = 3: `judging.services.assign_judges`
reads the rows, records the derived conflicts, solves (judging/assignment.py) and
writes 6,000 assignments. Runs on a fresh in-memory SQLite database, so it touches
nothing of yours.

Run from the project root: ``.venv/bin/python benchmarks/assign_db_bench.py``.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.contest_rows import (  # noqa: E402
    contest_with_categories,
    eligible_entries,
    scoring_stage,
)
from contest.enums import RegionType  # noqa: E402
from contest.models import Organizer, Region  # noqa: E402
from judging.models import Judge  # noqa: E402

ENTRY_COUNT = 2_000
CATEGORY_COUNT = 5
PANEL_SIZE = 16
PROVINCES = 10
REGIONS_PER_PROVINCE = 10
JUDGES_PER_ENTRY = 3


def build():
    """The contest, its stage, the entries and the judges with their panels;
    answers the stage and its organizer."""
    regions = _regions()
    now = timezone.now()
    contest, categories = contest_with_categories(
        name="Bench",
        slug="bench",
        host_region=regions[0],
        submission_window=(now - dt.timedelta(days=30), now - dt.timedelta(days=10)),
        categories=CATEGORY_COUNT,
        category_name="K",
    )
    organizer = get_user_model().objects.create_user(
        email="panitia@bench.id", password=None
    )
    Organizer.objects.create(contest=contest, user=organizer)
    stage = scoring_stage(
        contest,
        name="Desk",
        opens=now - dt.timedelta(days=1),
        closes=now + dt.timedelta(days=14),
    )
    eligible_entries(contest, categories=categories, regions=regions, count=ENTRY_COUNT)
    _judges(contest, categories, regions)
    return stage, organizer


def _regions() -> list:
    """The cities of PROVINCES provinces, REGIONS_PER_PROVINCE each."""
    provinces = [
        Region.objects.create(
            code=f"{11 + p}", name=f"Provinsi {p}", type=RegionType.PROVINSI
        )
        for p in range(PROVINCES)
    ]
    return [
        Region.objects.create(
            code=f"{province.code}.{71 + r}",
            name=f"Kota {province.code}.{71 + r}",
            type=RegionType.KOTA,
            province=province,
        )
        for province in provinces
        for r in range(REGIONS_PER_PROVINCE)
    ]


def _judges(contest, categories, regions) -> None:
    """PANEL_SIZE judges on each category's panel, from the contest's regions."""
    users = get_user_model().objects
    for n in range(CATEGORY_COUNT * PANEL_SIZE):
        user = users.create_user(email=f"juri{n}@bench.id", password=None)
        judge = Judge.objects.create(
            contest=contest,
            user=user,
            name=f"Juri {n}",
            home_region=regions[(n * 7) % len(regions)],
        )
        judge.panels.set([categories[n // PANEL_SIZE]])
        judge.categories.set([categories[n // PANEL_SIZE]])


def main() -> None:
    from judging.services import assign_judges

    call_command("migrate", verbosity=0)
    stage, organizer = build()
    started = time.perf_counter()
    run = assign_judges(stage=stage, judges_per_entry=JUDGES_PER_ENTRY, by=organizer)
    elapsed = time.perf_counter() - started
    loads = list(run.loads.values())
    print(
        f"{ENTRY_COUNT:,} entries x {len(loads)} judges x k={JUDGES_PER_ENTRY}: "
        f"{elapsed:.2f} s, {len(run.created):,} assignments, "
        f"loads {min(loads)}-{max(loads)}, {run.conflicts_avoided:,} conflicts "
        f"avoided, {len(run.shortfalls)} entries short"
    )


if __name__ == "__main__":
    main()
