"""The national-scale contest `make bench` measures, inserted in bulk: every region
of `load_regions`, a contest with categories, a screening stage and a scoring stage
with 6 criteria, entries from all regions with their evidence, judges, 3 submitted
sheets per entry, delegates, an organizer and a provisional publication made by the
real publication service. Call after django.setup() on an empty, migrated database.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from benchmarks.contest_rows import contest_with_categories, eligible_entries

SLUG = "nasional"
SHEETS_PER_ENTRY = 3
EVIDENCE_PER_ENTRY = 3
CATEGORY_COUNT = 5
CRITERIA = [("Kebaruan", 30), ("Kemanfaatan", 25), ("Kewenangan", 15)]
CRITERIA += [("Replikasi", 20), ("Penguasaan", 5), ("Keberlanjutan", 5)]
BATCH = 2000


@dataclass(frozen=True)
class Size:
    name: str
    entries: int
    judges: int


SIZES = {"S": Size("S", 200, 20), "L": Size("L", 5_000, 150)}


@dataclass
class National:
    """What the pages are measured with: the contest, its stages and one user of
    each role with rows of their own."""

    contest: object
    screening: object
    stage: object
    organizer: object
    delegate: object
    judge_user: object
    judge_assignment: int


def build(size: Size, *, seed: int = 2026) -> National:
    """Insert the contest at `size`; answers the rows the pages are measured with."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from contest.models import Region

    call_command("load_regions", stdout=io.StringIO())
    rng = random.Random(seed)
    now = timezone.now()
    regions = list(Region.objects.order_by("code"))
    with transaction.atomic():
        contest, screening, stage = _contest(regions, now)
        organizer = _organizer(contest)
        criteria = _criteria(stage)
        eligible_entries(
            contest,
            categories=list(contest.categories.order_by("order")),
            regions=regions,
            count=size.entries,
            batch_size=BATCH,
        )
        entries = list(contest.submissions.order_by("pk").values_list("pk", flat=True))
        _stage_entries(stage, entries)
        _evidence(entries, criteria)
        delegate = _delegates(contest, regions)
        judges = _judges(contest, size.judges)
        assignments = _assignments(stage, judges, entries)
        sheets = _submitted_sheets(assignments, now=now)
        _scores(assignments, sheets, criteria, judges=judges, rng=rng)
    _close_and_publish(contest, stage, organizer, now=now)
    judge_assignment = assignments[0]
    return National(
        contest=contest,
        screening=screening,
        stage=stage,
        organizer=organizer,
        delegate=delegate,
        judge_user=next(j.user for j in judges if j.pk == judge_assignment[1]),
        judge_assignment=judge_assignment[0],
    )


def _contest(regions, now):
    """The contest (public, submissions closed), its screening stage (done) and its
    scoring stage (open while the sheets are written, closed before publishing)."""
    from contest.enums import StageKind
    from contest.models import Stage

    contest, _categories = contest_with_categories(
        name="Inovasi Award Nasional",
        slug=SLUG,
        host_region=regions[0],
        submission_window=(now - dt.timedelta(days=60), now - dt.timedelta(days=30)),
        categories=CATEGORY_COUNT,
        category_name="Kategori ",
    )
    contest.is_public = True
    contest.save(update_fields=["is_public"])
    screening = Stage.objects.create(
        contest=contest,
        name="Seleksi administrasi",
        order=1,
        kind=StageKind.SCREENING,
        opens=now - dt.timedelta(days=29),
        closes=now - dt.timedelta(days=21),
    )
    stage = Stage.objects.create(
        contest=contest,
        name="Penilaian dokumen",
        order=2,
        kind=StageKind.SCORING,
        opens=now - dt.timedelta(days=20),
        closes=now + dt.timedelta(days=1),
        judges_per_entry=SHEETS_PER_ENTRY,
    )
    return contest, screening, stage


def _organizer(contest):
    from django.contrib.auth import get_user_model

    from contest.models import Organizer

    user = get_user_model().objects.create_user(
        email=f"panitia@{SLUG}.id", password=None, name="Panitia"
    )
    Organizer.objects.create(contest=contest, user=user)
    return user


def _criteria(stage) -> list:
    from contest.models import Criterion

    return Criterion.objects.bulk_create(
        Criterion(stage=stage, name=name, weight=weight, order=index, step="0.5")
        for index, (name, weight) in enumerate(CRITERIA)
    )


def _stage_entries(stage, entries: list[int]) -> None:
    from judging.models import StageEntry

    StageEntry.objects.bulk_create(
        (StageEntry(stage=stage, submission_id=pk) for pk in entries),
        batch_size=BATCH,
    )


def _evidence(entries: list[int], criteria: list) -> None:
    """EVIDENCE_PER_ENTRY links per entry, each for one criterion, accepted."""
    from submissions.enums import EvidenceKind
    from submissions.models import Evidence

    Evidence.objects.bulk_create(
        (
            Evidence(
                submission_id=pk,
                kind=EvidenceKind.LINK,
                title=f"Bukti {n + 1}",
                criterion=criteria[n % len(criteria)],
                url=f"https://example.org/bukti/{pk}/{n}",
            )
            for pk in entries
            for n in range(EVIDENCE_PER_ENTRY)
        ),
        batch_size=BATCH,
    )


def _delegates(contest, regions):
    """A delegate for every region; answers the first region's, who has entries."""
    from django.contrib.auth import get_user_model

    from contest.models import Delegate

    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"delegasi{n}@{SLUG}.id", name=f"Delegasi {n}")
        for n in range(len(regions))
    )
    Delegate.objects.bulk_create(
        Delegate(contest=contest, user=user, region=region)
        for user, region in zip(users, regions, strict=True)
    )
    return users[0]


def _judges(contest, count: int) -> list:
    from django.contrib.auth import get_user_model

    from judging.models import Judge

    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"juri{n}@{SLUG}.id", name=f"Juri {n}")
        for n in range(count)
    )
    judges = Judge.objects.bulk_create(
        Judge(contest=contest, user=user, name=user.name) for user in users
    )
    for judge, user in zip(judges, users, strict=True):
        judge.user = user
    return judges


def _assignments(stage, judges, entries) -> list[tuple[int, int, int]]:
    """SHEETS_PER_ENTRY judges per entry in turn (every judge's load within one);
    answers (assignment, judge, entry) of each."""
    from judging.models import Assignment

    Assignment.objects.bulk_create(
        (
            Assignment(
                stage=stage,
                judge=judges[(n * SHEETS_PER_ENTRY + j) % len(judges)],
                submission_id=pk,
            )
            for n, pk in enumerate(entries)
            for j in range(SHEETS_PER_ENTRY)
        ),
        batch_size=BATCH,
    )
    return list(
        Assignment.objects.filter(stage=stage)
        .order_by("pk")
        .values_list("pk", "judge_id", "submission_id")
    )


def _submitted_sheets(assignments, *, now) -> dict[int, int]:
    """A submitted sheet for each assignment; answers {assignment: sheet}."""
    from judging.enums import SheetState
    from judging.models import ScoreSheet

    ScoreSheet.objects.bulk_create(
        (
            ScoreSheet(
                assignment_id=pk,
                state=SheetState.SUBMITTED,
                submitted_at=now,
                version=1,
            )
            for pk, _judge, _entry in assignments
        ),
        batch_size=BATCH,
    )
    return dict(
        ScoreSheet.objects.filter(
            assignment_id__in=[pk for pk, _j, _e in assignments]
        ).values_list("assignment_id", "pk")
    )


def _scores(assignments, sheets, criteria, *, judges, rng) -> None:
    """Every sheet's scores: the entry's quality, the judge's leniency and noise,
    on the criteria's half-point steps."""
    from judging.models import Score

    leniency = {judge.pk: rng.uniform(-1.5, 1.5) for judge in judges}
    quality = {entry: rng.uniform(3, 8.5) for _pk, _judge, entry in assignments}

    def value(entry: int, judge: int) -> str:
        raw = quality[entry] + leniency[judge] + rng.gauss(0, 1)
        return str(min(max(round(raw * 2) / 2, 0), 10))

    Score.objects.bulk_create(
        (
            Score(sheet_id=sheets[pk], criterion=criterion, value=value(entry, judge))
            for pk, judge, entry in assignments
            for criterion in criteria
        ),
        batch_size=BATCH,
    )


def _close_and_publish(contest, stage, organizer, *, now) -> None:
    """Close the scoring stage and publish provisional results through the real
    service (the snapshot the public pages read)."""
    from django.db import connection

    from results.services import publish_provisional

    stage.closes = now - dt.timedelta(minutes=1)
    stage.save(update_fields=["closes"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    publish_provisional(
        contest=contest, by=organizer, objections_close=now + dt.timedelta(days=7)
    )
