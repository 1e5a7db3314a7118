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

ENTRY_COUNT = 2_000
CATEGORY_COUNT = 5
PANEL_SIZE = 16
PROVINCES = 10
REGIONS_PER_PROVINCE = 10
JUDGES_PER_ENTRY = 3


def build():
    from contest.models import Category, Contest, Organizer, Region, Stage
    from judging.models import Judge
    from submissions.models import Submission

    provinces = [
        Region.objects.create(code=f"{11 + p}", name=f"Provinsi {p}", type="provinsi")
        for p in range(PROVINCES)
    ]
    regions = [
        Region.objects.create(
            code=f"{province.code}.{71 + r}",
            name=f"Kota {province.code}.{71 + r}",
            type="kota",
            province=province,
        )
        for province in provinces
        for r in range(REGIONS_PER_PROVINCE)
    ]
    now = timezone.now()
    contest = Contest.objects.create(
        name="Bench",
        slug="bench",
        host_region=regions[0],
        submission_opens=now - dt.timedelta(days=30),
        submission_closes=now - dt.timedelta(days=10),
    )
    users = get_user_model().objects
    organizer = users.create_user(email="panitia@bench.id", password=None)
    Organizer.objects.create(contest=contest, user=organizer)
    categories = [
        Category.objects.create(contest=contest, name=f"K{c}", slug=f"k{c}", order=c)
        for c in range(CATEGORY_COUNT)
    ]
    stage = Stage.objects.create(
        contest=contest,
        name="Desk",
        order=1,
        kind="scoring",
        opens=now - dt.timedelta(days=1),
        closes=now + dt.timedelta(days=14),
    )
    Submission.objects.bulk_create(
        Submission(
            contest=contest,
            category=categories[n % CATEGORY_COUNT],
            region=regions[n % len(regions)],
            title=f"Inovasi {n}",
            state="eligible",
        )
        for n in range(ENTRY_COUNT)
    )
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
    return stage, organizer


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
