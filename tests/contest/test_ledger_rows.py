"""Every audited row is in the ledger: a row that no entry records (inserted or
re-pointed by SQL behind a bulk write) is reported, the services that write many
rows at once record each of them (`ledger.record_many`, constant in queries), and
neither the demo, a contest's whole life nor an older database migrated to this
code gives a false alarm."""

import gzip
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from contest import ledger
from contest.models import AuditEntry
from judging import services as judging_services
from judging.models import Assignment, Score, ScoreSheet, StageEntry
from submissions.enums import SubmissionState
from tests.contest.test_ledger_life import life  # noqa: F401 (a fixture)
from tests.factories.contest import CategoryFactory, OrganizerFactory
from tests.factories.judging import (
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
)

pytestmark = [pytest.mark.django_db]

FIXTURE = Path(__file__).parent.parent / "fixtures" / "before_results_app.sqlite3.gz"


def verify() -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_ledger", stdout=out, stderr=err)
    except CommandError as exc:
        pytest.fail(f"{exc}\n{err.getvalue()}")
    return out.getvalue()


def broken() -> str:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verify_ledger", stdout=out, stderr=err)
    return f"{caught.value}\n{err.getvalue()}"


@pytest.fixture
def assigned(db):
    """A stage assigned by the run (two judges on one entry, a third judge spare),
    the first judge's sheet submitted through the service."""
    stage = OpenStageFactory()
    contest = stage.contest
    organizer = OrganizerFactory(contest=contest).user
    category = CategoryFactory(contest=contest)
    criteria = [StepCriterionFactory(stage=stage) for _ in range(2)]
    judges = JudgeFactory.create_batch(3, contest=contest, panels=[category])
    entry = EligibleSubmissionFactory(contest=contest, category=category)
    run = judging_services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)
    first, second = sorted(run.created, key=lambda a: a.pk)
    sheet = judging_services.ensure_sheet(assignment=first)
    judging_services.record_sheet(
        sheet=sheet,
        scores=[{"criterion": c.pk, "value": "7"} for c in criteria],
        comment="",
        submit=True,
        by=first.judge.user,
    )
    spare = next(j for j in judges if j.pk not in {first.judge_id, second.judge_id})
    return {
        "stage": stage,
        "entry": entry,
        "first": first,
        "second": second,
        "spare": spare,
        "criteria": criteria,
        "organizer": organizer,
    }


# ---------------------------------------------------------------- the reproductions


def test_each_assignment_of_a_run_gets_its_own_entry(assigned):
    for assignment in (assigned["first"], assigned["second"]):
        entry = AuditEntry.objects.get(
            object_type="judging.assignment", object_id=str(assignment.pk)
        )
        assert entry.action == "assignment.added"
        assert entry.row_hash == ledger.row_hash(assignment)
        assert entry.data["run"] is True


def test_the_judge_of_a_submitted_sheets_assignment_changed_by_sql_is_reported(
    assigned,
):
    first = assigned["first"]
    assert "The ledger is intact" in verify()
    Assignment.objects.filter(pk=first.pk).update(judge=assigned["spare"])

    report = broken()

    assert f"judging.assignment {first.pk} (entry #" in report
    assert "differs from what its last entry" in report


def test_a_submitted_sheet_inserted_by_sql_is_reported(assigned):
    second = assigned["second"]
    [sheet] = ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(
                assignment=second, state="submitted", submitted_at=second.created_at
            )
        ]
    )
    Score.objects.bulk_create(
        [Score(sheet=sheet, criterion=c, value=10) for c in assigned["criteria"]]
    )

    report = broken()

    assert (
        f"judging.scoresheet {sheet.pk}: not in the ledger: no entry records this row"
        in report
    )


def test_a_stage_entry_inserted_by_sql_is_reported(assigned):
    other = EligibleSubmissionFactory(
        contest=assigned["stage"].contest, category=assigned["entry"].category
    )
    [joined] = StageEntry.objects.bulk_create(
        [StageEntry(stage=assigned["stage"], submission=other)]
    )

    report = broken()

    assert f"judging.stageentry {joined.pk}: not in the ledger" in report
    assert "1 problem(s)" in report


def test_an_assignment_inserted_by_sql_is_reported(assigned):
    [extra] = Assignment.objects.bulk_create(
        [
            Assignment(
                stage=assigned["stage"],
                judge=assigned["spare"],
                submission=assigned["entry"],
            )
        ]
    )

    assert f"judging.assignment {extra.pk}: not in the ledger" in broken()


def test_stage_entries_set_and_removed_are_each_recorded(assigned):
    stage, entry = assigned["stage"], assigned["entry"]
    other = EligibleSubmissionFactory(contest=stage.contest, category=entry.category)

    judging_services.set_stage_entries(
        stage=stage, submission_ids=[other.pk], by=assigned["organizer"]
    )

    actions = dict(
        AuditEntry.objects.filter(object_type="judging.stageentry").values_list(
            "action", "data"
        )
    )
    assert actions["stage_entry.added"] == {"stage": stage.pk, "submission": other.pk}
    assert actions["stage_entry.removed"] == {"stage": stage.pk, "submission": entry.pk}
    second = assigned["second"]
    removed = AuditEntry.objects.filter(
        object_type="judging.assignment", object_id=str(second.pk)
    ).latest("seq")
    assert (removed.action, removed.row_hash) == ("assignment.removed", "deleted")
    assert "The ledger is intact" in verify()


def test_a_rerun_records_the_replaced_assignments_as_removed(assigned):
    stage = assigned["stage"]

    judging_services.assign_judges(
        stage=stage, judges_per_entry=3, by=assigned["organizer"]
    )

    second = assigned["second"]
    last = AuditEntry.objects.filter(
        object_type="judging.assignment", object_id=str(second.pk)
    ).latest("seq")
    assert last.action == "assignment.removed"
    assert "The ledger is intact" in verify()


# ---------------------------------------------------------------- no false alarms


def _unrecorded_rows() -> dict[str, int]:
    """{object type: rows no entry records}, for every audited model, strictly."""
    out = {}
    for label, spec in ledger.audited_models().items():
        recorded = set(
            AuditEntry.objects.filter(object_type=label).values_list(
                "object_id", flat=True
            )
        )
        pks = spec.model._base_manager.values_list("pk", flat=True)
        missing = [pk for pk in pks if str(pk) not in recorded]
        if missing:
            out[label] = len(missing)
    return out


def test_a_contests_whole_life_records_every_audited_row(life):  # noqa: F811
    assert _unrecorded_rows() == {}
    assert StageEntry.objects.exists()
    assert "The ledger is intact" in verify()


def test_the_demo_records_every_audited_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())

    assert _unrecorded_rows() == {}
    assert "The ledger is intact" in verify()


def test_the_audited_models_cover_what_the_results_depend_on():
    labels = set(ledger.audited_models())

    assert {
        "contest.contest",
        "contest.category",
        "contest.stage",
        "contest.criterion",
        "contest.organizer",
        "contest.delegate",
        "submissions.submission",
        "submissions.evidence",
        "judging.judge",
        "judging.conflictofinterest",
        "judging.stageentry",
        "judging.assignment",
        "judging.scoresheet",
        "results.advancementdecision",
        "results.stageminutes",
        "results.award",
        "results.publication",
        "results.objection",
    } <= labels


# ---------------------------------------------------------------- record_many


@pytest.mark.parametrize("count", [2, 6])
def test_record_many_reads_and_writes_in_a_constant_number_of_queries(
    django_assert_num_queries, count
):
    stage = OpenStageFactory()
    entries = EligibleSubmissionFactory.create_batch(count, contest=stage.contest)
    rows = StageEntry.objects.bulk_create(
        [StageEntry(stage=stage, submission=entry) for entry in entries]
    )
    ledger.record(action="stage.touched", obj=stage, contest=stage.contest)

    # savepoint, head lock, the rows' state, the insert, the head, release
    with django_assert_num_queries(6):
        written = ledger.record_many(
            action="stage_entry.added",
            objs=rows,
            contest=stage.contest,
            data=lambda row: {"submission": row.submission_id},
        )

    assert [e.seq for e in written] == list(range(2, count + 2))
    assert [e.object_id for e in written] == [str(row.pk) for row in rows]
    assert all(
        e.row_hash == ledger.row_hash(row) for e, row in zip(written, rows, strict=True)
    )
    assert "The ledger is intact" in verify()


def test_record_many_chains_like_record_one_by_one(db):
    stage = OpenStageFactory()
    entries = EligibleSubmissionFactory.create_batch(3, contest=stage.contest)
    rows = StageEntry.objects.bulk_create(
        [StageEntry(stage=stage, submission=entry) for entry in entries]
    )

    written = ledger.record_many(action="stage_entry.added", objs=rows)
    removed = ledger.record_many(action="stage_entry.removed", objs=rows[:1])

    chain = list(AuditEntry.objects.order_by("seq"))
    assert ledger.verify_chain(chain) == []
    assert [e.hash for e in chain] == [e.hash for e in [*written, *removed]]
    assert removed[0].row_hash == ledger.ROW_DELETED
    assert ledger.record_many(action="nothing.added", objs=[]) == []


# ---------------------------------------------------------------- an older database


def _run(*args, env):
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_database_made_before_this_check_migrates_and_verifies_clean(tmp_path):
    """The demo as the code at 25114e1 made it (assignments, stage entries, judges,
    delegates without entries of their own): after `migrate` nothing is reported,
    and a row inserted by SQL afterwards is."""
    path = tmp_path / "old.sqlite3"
    with gzip.open(FIXTURE, "rb") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}

    migrated = _run("migrate", "--no-input", env=env)
    assert migrated.returncode == 0, migrated.stderr
    clean = _run("verify_ledger", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "The ledger is intact" in clean.stdout

    with sqlite3.connect(path) as db:
        stage_id, submission_id = db.execute(
            "SELECT st.id, su.id FROM contest_stage st, submissions_submission su "
            "WHERE st.kind = 'scoring' AND su.state != ? AND NOT EXISTS ("
            " SELECT 1 FROM judging_stageentry e"
            " WHERE e.stage_id = st.id AND e.submission_id = su.id) LIMIT 1",
            [SubmissionState.DRAFT],
        ).fetchone()
        db.execute(
            "INSERT INTO judging_stageentry (stage_id, submission_id, created_at) "
            "VALUES (?, ?, '2026-01-01 00:00:00')",
            [stage_id, submission_id],
        )
        inserted = db.execute("SELECT max(id) FROM judging_stageentry").fetchone()[0]
    tampered = _run("verify_ledger", env=env)
    assert tampered.returncode != 0
    assert f"judging.stageentry {inserted}: not in the ledger" in tampered.stderr


def test_a_new_database_gets_no_baseline_entry():
    assert not AuditEntry.objects.filter(action=ledger.BASELINE_ACTION).exists()
