"""A contest's whole life through the services, with every audited kind of row
(contest, organizer, category, stage, criterion, delegate, entry, evidence,
screening, judge, conflict, assignment, sheet, advancement, minutes, weights and
bands, award, publication, objection) and their removals: right after each step
the ledger verifies clean, so no service writes an audited row after recording
it (no false positives); and a change by SQL to any of them is then reported."""

import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from contest import ledger
from contest import services as contest_services
from contest.models import AuditEntry, Category, Contest, Criterion, Stage
from judging import services as judging_services
from judging.models import Assignment, ConflictOfInterest, Judge, ScoreSheet
from results import services as results_services
from results.models import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    StageMinutes,
    StageWeight,
)
from submissions import services as submission_services
from submissions.models import Evidence, Submission
from tests.factories.accounts import UserFactory
from tests.factories.contest import RegionFactory
from tests.factories.submissions import PDF_BYTES

pytestmark = [pytest.mark.django_db]

NOW = timezone.now


def verify_clean(step: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_ledger", stdout=out, stderr=err)
    except CommandError as exc:
        pytest.fail(f"after {step}: {exc}\n{err.getvalue()}")
    assert "The ledger is intact" in out.getvalue()


def sheet_of(assignment, judge, criteria, values, *, comment=""):
    sheet = judging_services.ensure_sheet(assignment=assignment)
    return judging_services.record_sheet(
        sheet=sheet,
        scores=[
            {"criterion": c.pk, "value": str(v), "comment": f"Nilai {v}."}
            for c, v in zip(criteria, values, strict=True)
        ],
        comment=comment,
        submit=True,
        version=sheet.version,
        by=judge.user,
    )


@pytest.fixture
def life(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _life()


def _life():
    organizer = UserFactory(can_create_contests=True)
    contest = contest_services.create_contest(
        by=organizer,
        name="Kontes Uji Buku Besar",
        slug="uji-buku-besar",
        host_region=RegionFactory(),
        timezone="Asia/Makassar",
        submission_opens=NOW() - dt.timedelta(days=10),
        submission_closes=NOW() + dt.timedelta(days=20),
        eligible_region_types=[],
        max_entries_per_region=3,
        is_public=False,
    )
    contest_services.add_organizer(contest=contest, user=UserFactory(), by=organizer)
    contest_services.update_contest(
        contest=contest, by=organizer, data={"description": "Uji."}
    )
    category = contest_services.create_category(
        contest=contest, by=organizer, name="Kesehatan", slug="kesehatan"
    )
    contest_services.update_category(
        category=category, by=organizer, data={"description": "Layanan kesehatan."}
    )
    stages = [
        contest_services.create_stage(
            contest=contest,
            by=organizer,
            name=name,
            order=order,
            kind="scoring",
            opens=NOW() - dt.timedelta(days=1),
            closes=NOW() + dt.timedelta(days=7),
            judges_per_entry=2,
            advance_per_category=2 if order == 1 else None,
        )
        for order, name in [(1, "Penilaian Dokumen"), (2, "Presentasi")]
    ]
    contest_services.update_stage(
        stage=stages[1], by=organizer, data={"description": "Wawancara."}
    )
    criteria = {
        stage.pk: [
            judging_services.add_criterion(
                stage=stage,
                by=organizer,
                name=f"{stage.name} {n}",
                weight=Decimal(10 * n),
                min_score=Decimal(0),
                max_score=Decimal(10),
            )
            for n in (1, 2)
        ]
        for stage in stages
    }
    judging_services.update_criterion(
        criterion=criteria[stages[0].pk][0], by=organizer, data={"order": 1}
    )
    spare = judging_services.add_criterion(
        stage=stages[0], by=organizer, name="Dihapus", weight=Decimal(1)
    )
    verify_clean("the set-up")

    delegates = [
        contest_services.invite_delegate(
            contest=contest,
            email=f"operator{n}@example.id",
            region=RegionFactory(),
            by=organizer,
        )
        for n in range(4)
    ]
    contest_services.remove_delegate(delegate=delegates.pop(), by=organizer)
    entries = []
    for n, delegate in enumerate(delegates):
        entry = submission_services.create_submission(
            contest=contest,
            by=delegate.user,
            category=category,
            title=f"Inovasi {n}",
            summary="Ringkas.",
            problem="Masalah.",
            solution="Solusi.",
            impact="Dampak.",
            started_on=dt.date(2021, 3, 1),
            agency="Dinas Kesehatan",
        )
        submission_services.update_submission(
            submission=entry, by=delegate.user, data={"summary": f"Ringkasan {n}."}
        )
        submission_services.add_evidence_link(
            submission=entry,
            url="https://example.org/video",
            title="Video",
            by=delegate.user,
        )
        submission_services.add_evidence_files(
            submission=entry,
            uploads=[SimpleUploadedFile("bukti.pdf", PDF_BYTES, "application/pdf")],
            by=delegate.user,
            criterion=spare,
        )
        submission_services.submit_submission(submission=entry, by=delegate.user)
        entries.append(entry)
    draft = submission_services.create_submission(
        contest=contest, by=delegates[0].user, category=category, title="Draf"
    )
    submission_services.add_evidence_link(
        submission=draft,
        url="https://example.org/lain",
        title="Tautan",
        by=delegates[0].user,
    )
    gone = submission_services.add_evidence_link(
        submission=draft,
        url="https://example.org/hapus",
        title="Hapus",
        by=delegates[0].user,
    )
    submission_services.remove_evidence(evidence=gone, by=delegates[0].user)
    submission_services.delete_submission(submission=draft, by=delegates[0].user)

    revised = entries[1]
    link = revised.evidence.get(kind="link")
    submission_services.review_evidence(
        evidence=link, status="needs_revision", note="Buram.", by=organizer
    )
    submission_services.request_revision(
        submission=revised,
        deadline=NOW() + dt.timedelta(days=1),
        note="Perbaiki video.",
        by=organizer,
    )
    submission_services.submit_submission(submission=revised, by=delegates[1].user)
    for entry in entries:
        for evidence in entry.evidence.all():
            submission_services.review_evidence(
                evidence=evidence, status="valid", by=organizer
            )
        submission_services.screen_submission(
            submission=entry, eligible=True, by=organizer
        )
    judging_services.remove_criterion(criterion=spare, by=organizer)
    verify_clean("the entries and their screening")

    judges = [
        judging_services.invite_judge(
            contest=contest,
            email=f"juri{n}@example.id",
            by=organizer,
            name=f"Juri {n}",
            categories=[category],
            panels=[category],
        )
        for n in range(5)
    ]
    judging_services.update_judge(
        judge=judges[0],
        by=organizer,
        name="Juri Utama",
        home_region=None,
        categories=[],
        panels=[category],
    )
    judging_services.remove_judge(judge=judges.pop(), by=organizer)
    judging_services.declare_conflict(
        judge=judges[3], submission=entries[0], reason="Kerabat.", by=organizer
    )
    verify_clean("the judges")

    first, second = stages
    judging_services.assign_judges(stage=first, judges_per_entry=2, by=organizer)
    for assignment in Assignment.objects.filter(stage=first).select_related("judge"):
        judging_services.remove_assignment(assignment=assignment, by=organizer)
        break
    judging_services.assign_judges(stage=first, judges_per_entry=2, by=organizer)
    for entry in entries:
        judging_services.add_extra_judge(stage=first, submission=entry, by=organizer)
    verify_clean("the assignment")

    for n, assignment in enumerate(
        Assignment.objects.filter(stage=first).select_related("judge").order_by("pk")
    ):
        values = [(n * 3 + 1) % 10, (n * 7 + 2) % 10]
        sheet_of(assignment, assignment.judge, criteria[first.pk], values)
    some = ScoreSheet.objects.filter(assignment__stage=first).order_by("pk").first()
    judging_services.reopen_sheet(sheet=some, by=organizer, reason="Periksa lagi.")
    sheet_of(
        some.assignment,
        some.assignment.judge,
        criteria[first.pk],
        [9, 9],
        comment="Diperiksa.",
    )
    verify_clean("the sheets of the first stage")

    decision = results_services.advance_stage(stage=first, by=organizer)
    # What the advancement records for the next stage (a no-op once it does so).
    judging_services.set_stage_entries(
        stage=second, submission_ids=decision.advanced, by=organizer
    )
    judging_services.assign_judges(stage=second, judges_per_entry=2, by=organizer)
    for n, assignment in enumerate(
        Assignment.objects.filter(stage=second).select_related("judge").order_by("pk")
    ):
        sheet_of(assignment, assignment.judge, criteria[second.pk], [5 + n % 5, 6])
    verify_clean("the advancement and the second stage")

    results_services.set_stage_weights(
        contest=contest, weights={first.pk: "40", second.pk: "60"}, by=organizer
    )
    results_services.set_score_bands(
        contest=contest,
        bands=[("0", "Kurang Inovatif"), ("50", "Inovatif")],
        by=organizer,
    )
    special = results_services.assign_award(
        contest=contest, name="Khusus", by=organizer, submission=entries[0]
    )
    results_services.remove_award(award=special, by=organizer)
    results_services.assign_award(
        contest=contest, name="Portofolio", by=organizer, region=entries[0].region
    )
    results_services.give_place_awards(contest=contest, by=organizer, places=2)
    verify_clean("the awards")

    closes = NOW() + dt.timedelta(seconds=2)
    provisional = results_services.publish_provisional(
        contest=contest, by=organizer, objections_close=closes
    )
    objector = delegates[2].user
    objection = results_services.file_objection(
        contest=contest,
        submission_id=entries[0].pk,
        text="Nilainya terlalu tinggi.",
        by=objector,
    )
    results_services.resolve_objection(
        objection=objection, outcome="dismissed", answer="Sudah sesuai.", by=organizer
    )
    verify_clean("the provisional publication and its objection")
    time.sleep(max(0.0, (provisional.objections_close - NOW()).total_seconds()) + 0.1)
    results_services.publish_contest(
        contest=Contest.objects.get(pk=contest.pk), by=organizer
    )
    return contest


def test_a_contests_whole_life_verifies_clean(life):
    verify_clean("the final publication")

    types = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert types >= {
        "contest.contest",
        "contest.organizer",
        "contest.category",
        "contest.stage",
        "contest.criterion",
        "contest.delegate",
        "submissions.submission",
        "submissions.evidence",
        "judging.judge",
        "judging.conflictofinterest",
        "judging.assignment",
        "judging.scoresheet",
        "results.advancementdecision",
        "results.stageminutes",
        "results.award",
        "results.publication",
        "results.objection",
    }
    assert types <= set(ledger.audited_models())
    assert not AuditEntry.objects.filter(row_hash="").exists()


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


TAMPERING = {
    "contest": lambda: Contest.objects.update(max_entries_per_region=9),
    "contest_unfrozen": lambda: Contest.objects.update(frozen_at=None),
    "category": lambda: Category.objects.update(name="Lain"),
    "stage": lambda: Stage.objects.update(advance_per_category=9),
    "criterion": lambda: Criterion.objects.filter(stage__order=1).update(
        weight=Decimal(99)
    ),
    "submission": lambda: Submission.objects.update(state="not_advanced"),
    "evidence": lambda: Evidence.objects.update(title="Lain"),
    "judge": lambda: _first(Judge).panels.clear(),
    "conflict": lambda: ConflictOfInterest.objects.update(reason="Lain."),
    "sheet": lambda: ScoreSheet.objects.update(excluded_at=NOW()),
    "advancement": lambda: AdvancementDecision.objects.update(advanced=[]),
    "minutes": lambda: StageMinutes.objects.update(sha256="0" * 64),
    "weights": lambda: StageWeight.objects.update(weight=Decimal(1)),
    "award": lambda: Award.objects.update(rank=None),
    "publication": lambda: Publication.objects.update(objections_open_to_all=True),
    "objection": lambda: Objection.objects.update(answer="Dikabulkan."),
}


def test_a_change_by_sql_to_any_audited_kind_is_reported(life):
    missed = []
    for kind, tamper in sorted(TAMPERING.items()):
        with transaction.atomic():
            tamper()
            err = io.StringIO()
            try:
                call_command("verify_ledger", stdout=io.StringIO(), stderr=err)
            except CommandError:
                if "differs from what its last entry" not in err.getvalue():
                    missed.append(kind)
            else:
                missed.append(kind)
            transaction.set_rollback(True)

    assert missed == []
    verify_clean("the changes were rolled back")
