"""Time a stage's results on PostgreSQL: 20,000 entries x 3 submitted sheets x 6
criteria (360,000 scores), 5 categories, 150 judges.

`results.selectors.stage_results` reads the rubric and the submitted scores
(two queries) and `results.computing.compute_stage_results` computes every figure:
sheet scores, means, medians, spreads, normalized scores, ranks with ties, judges'
leniency, Krippendorff's alpha per stage and per criterion. The target is 5 s.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inovasi_bench \\
        .venv/bin/python benchmarks/results_bench.py

The database is created when missing (and dropped at the end); in an existing one,
the rows the benchmark inserts are deleted at the end.
"""

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from benchmarks.contest_rows import (
    contest_with_categories,
    eligible_entries,
    scoring_stage,
)

ENTRY_COUNT = 20_000
SHEETS_PER_ENTRY = 3
CRITERIA = [("Kebaruan", 30), ("Kemanfaatan", 25), ("Kewenangan", 15)]
CRITERIA += [("Replikasi", 20), ("Penguasaan", 5), ("Keberlanjutan", 5)]
CATEGORY_COUNT = 5
JUDGE_COUNT = 150
PROVINCES = ["98", "99"]
TARGET_SECONDS = 5.0
SLUG = "results-bench"


def database_url() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    name = urlsplit(url).path.lstrip("/")
    if not name or name == "postgres":
        sys.exit("Name a database of its own in DATABASE_URL, not 'postgres'.")
    return url, name


def admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    admin = admin.replace("postgresql://", "postgres://", 1)
    return psycopg.connect(admin.replace("postgres://", "postgresql://", 1))


def ensure_database(url: str, name: str) -> bool:
    """Create the database when it is missing; answers whether it was created."""
    from psycopg import sql

    with admin_connection(url) as connection:
        connection.autocommit = True
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(url: str, name: str) -> None:
    from psycopg import sql

    with admin_connection(url) as connection:
        connection.autocommit = True
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def copy_rows(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def build():
    """Insert the contest, its stage and rubric, the entries, judges, assignments,
    submitted sheets and scores; answers the stage and the regions created."""
    from django.db import connection, transaction
    from django.utils import timezone

    rng = random.Random(2023)
    now = timezone.now()
    with transaction.atomic():
        regions, created_regions = _regions()
        contest, categories = contest_with_categories(
            name="Results bench",
            slug=SLUG,
            host_region=regions[0],
            submission_window=(
                now - dt.timedelta(days=60),
                now - dt.timedelta(days=30),
            ),
            categories=CATEGORY_COUNT,
            category_name="Kategori ",
        )
        stage = scoring_stage(
            contest,
            name="Penilaian dokumen",
            opens=now - dt.timedelta(days=20),
            closes=now - dt.timedelta(days=1),
        )
        criteria = _criteria(stage)
        eligible_entries(
            contest,
            categories=categories,
            regions=regions,
            count=ENTRY_COUNT,
            batch_size=5000,
        )
        judges = _judges(contest)
        leniency = {judge.pk: rng.uniform(-1.5, 1.5) for judge in judges}
        assignments = _assignments(stage, judges, rng=rng, now=now)
        sheets = _submitted_sheets(stage, assignments, now=now)
        _scores(assignments, sheets, criteria, leniency=leniency, rng=rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return stage, created_regions


def _regions() -> tuple[list, list[str]]:
    """The regencies and cities of PROVINCES (made when missing); answers them and
    the codes of those made."""
    from contest.enums import RegionType
    from contest.models import Region

    created = []
    regions = []
    for code in PROVINCES:
        province, made = Region.objects.get_or_create(
            code=code,
            defaults={"name": f"Provinsi {code}", "type": RegionType.PROVINSI},
        )
        if made:
            created.append(province.pk)
        for number in range(1, 100):
            region, made = Region.objects.get_or_create(
                code=f"{code}.{number:02d}",
                defaults={
                    "name": f"Kabupaten {code}.{number:02d}",
                    "type": RegionType.KABUPATEN if number < 71 else RegionType.KOTA,
                    "province": province,
                },
            )
            if made:
                created.append(region.pk)
            regions.append(region)
    return regions, created


def _criteria(stage) -> list:
    from contest.models import Criterion

    return [
        Criterion.objects.create(
            stage=stage, name=name, weight=weight, order=index, step="0.5"
        )
        for index, (name, weight) in enumerate(CRITERIA)
    ]


def _judges(contest) -> list:
    from django.contrib.auth import get_user_model

    from judging.models import Judge

    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"juri{n}@{SLUG}.id", name=f"Juri {n}")
        for n in range(JUDGE_COUNT)
    )
    return Judge.objects.bulk_create(
        Judge(contest=contest, user=user, name=user.name) for user in users
    )


def _assignments(stage, judges, *, rng, now) -> list[tuple[int, int, int]]:
    """SHEETS_PER_ENTRY judges drawn for each entry; answers (assignment, judge,
    entry) of each."""
    from judging.models import Assignment
    from submissions.models import Submission

    entries = list(
        Submission.objects.filter(contest=stage.contest)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    copy_rows(
        Assignment._meta.db_table,
        ["stage_id", "judge_id", "submission_id", "created_at"],
        (
            (stage.pk, judge.pk, entry, now)
            for entry in entries
            for judge in rng.sample(judges, SHEETS_PER_ENTRY)
        ),
    )
    return list(
        Assignment.objects.filter(stage=stage).values_list(
            "pk", "judge_id", "submission_id"
        )
    )


def _submitted_sheets(stage, assignments, *, now) -> dict[int, int]:
    """A submitted sheet for each assignment; answers {assignment: sheet}."""
    from judging.enums import SheetState
    from judging.models import ScoreSheet

    copy_rows(
        ScoreSheet._meta.db_table,
        [
            "assignment_id",
            "state",
            "comment",
            "submitted_at",
            "version",
            "excluded_reason",
            "created_at",
            "updated_at",
        ],
        (
            (pk, SheetState.SUBMITTED.value, "", now, 1, "", now, now)
            for pk, _j, _e in assignments
        ),
    )
    return dict(
        ScoreSheet.objects.filter(assignment__stage=stage).values_list(
            "assignment_id", "pk"
        )
    )


def _scores(assignments, sheets, criteria, *, leniency, rng) -> None:
    """Every sheet's scores: the entry's quality, the judge's leniency and noise,
    on the criteria's half-point steps."""
    entries = sorted({entry for _pk, _judge, entry in assignments})
    quality = {entry: rng.uniform(3, 8.5) for entry in entries}

    def value(entry: int, judge: int) -> str:
        raw = quality[entry] + leniency[judge] + rng.gauss(0, 1)
        return str(min(max(round(raw * 2) / 2, 0), 10))

    copy_rows(
        "judging_score",
        ["sheet_id", "criterion_id", "value", "comment"],
        (
            (sheets[pk], criterion.pk, value(entry, judge), "")
            for pk, judge, entry in assignments
            for criterion in criteria
        ),
    )


def clean_up(created_regions: list[str]) -> None:
    """Delete what the benchmark inserted in an existing database."""
    from django.db import connection

    from contest.models import Contest

    contest = Contest.objects.filter(slug=SLUG).first()
    if contest is None:
        return
    statements = [
        "DELETE FROM judging_score WHERE sheet_id IN (SELECT s.id FROM "
        "judging_scoresheet s JOIN judging_assignment a ON a.id = s.assignment_id "
        "JOIN contest_stage st ON st.id = a.stage_id WHERE st.contest_id = %s)",
        "DELETE FROM judging_scoresheet WHERE assignment_id IN (SELECT a.id FROM "
        "judging_assignment a JOIN contest_stage st ON st.id = a.stage_id "
        "WHERE st.contest_id = %s)",
        "DELETE FROM judging_assignment WHERE stage_id IN (SELECT id FROM "
        "contest_stage WHERE contest_id = %s)",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [contest.pk])
    user_ids = list(contest.judges.values_list("user_id", flat=True))
    contest.judges.all().delete()
    contest.submissions.all().delete()
    contest.delete()
    from django.contrib.auth import get_user_model

    from contest.models import Region

    get_user_model().objects.filter(pk__in=user_ids).delete()
    Region.objects.filter(pk__in=created_regions, province__isnull=False).delete()
    Region.objects.filter(pk__in=created_regions).delete()


def main() -> None:
    url, name = database_url()
    created = ensure_database(url, name)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from results import selectors
    from results.computing import standings

    created_regions: list[str] = []
    try:
        call_command("migrate", verbosity=0)
        from contest.models import Contest

        if Contest.objects.filter(slug=SLUG).exists():
            sys.exit(f"A contest '{SLUG}' is already there; remove it first.")
        started = time.perf_counter()
        stage, created_regions = build()
        print(f"inserted in {time.perf_counter() - started:.1f} s")

        timings = []
        for _ in range(3):
            started = time.perf_counter()
            computation = selectors.stage_results(stage)
            timings.append(time.perf_counter() - started)
        computed = computation.results
        best = min(timings)
        ranked = sum(1 for entry in computed.entries if entry.rank is not None)
        print(
            f"{ENTRY_COUNT:,} entries x {SHEETS_PER_ENTRY} sheets x {len(CRITERIA)} "
            f"criteria ({len(computation.sheets) * len(CRITERIA):,} scores, "
            f"{JUDGE_COUNT} judges): stage_results {best:.2f} s "
            f"(runs: {', '.join(f'{t:.2f}' for t in timings)}); "
            f"{ranked:,} ranked, {sum(e.flagged for e in computed.entries):,} "
            f"flagged, alpha {standings.alpha_text(computed.alpha)}; "
            f"target {TARGET_SECONDS:.0f} s: "
            f"{'OK' if best < TARGET_SECONDS else 'SLOW'}"
        )
        if os.environ.get("PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(selectors.stage_results, stage)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    finally:
        if created:
            connections.close_all()
            drop_database(url, name)
        else:
            clean_up(created_regions)
            connections.close_all()


if __name__ == "__main__":
    main()
