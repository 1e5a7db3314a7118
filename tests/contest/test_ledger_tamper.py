"""The ledger catches what it promises: a change by SQL to an audited row, a row
deleted by SQL, the end of the chain cut back (with an anchor), and no false alarm
on what changes legitimately without an entry."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from contest import ledger
from contest import services as contest_services
from contest.models import AuditEntry, Delegate, LedgerHead
from judging import services as judging_services
from judging.models import Score, ScoreSheet, StageEntry
from results.models import Publication
from results.services import snapshot_digest
from submissions import services as submission_services
from submissions.models import Evidence, Submission
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    CategoryFactory,
    DelegateFactory,
    RegionFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
)
from tests.factories.results import PublicationFactory
from tests.factories.submissions import PDF_BYTES

pytestmark = [pytest.mark.django_db]


def verify(**options) -> str:
    """Run verify_ledger; answer its output (raises CommandError on a problem)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_ledger", stdout=out, stderr=err, **options)
    except CommandError as exc:
        raise CommandError(f"{exc}\n{err.getvalue()}") from None
    return out.getvalue()


def broken(**options) -> str:
    """Run verify_ledger expecting it to fail; answer its error output."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verify_ledger", stdout=out, stderr=err, **options)
    return f"{caught.value}\n{err.getvalue()}\n{out.getvalue()}"


def last_seq(obj) -> int:
    return (
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )


@pytest.fixture
def submitted(db):
    """A judge's sheet, submitted through the service, on an open stage."""
    stage = OpenStageFactory()
    criteria = [StepCriterionFactory(stage=stage) for _ in range(2)]
    judge = JudgeFactory(contest=stage.contest)
    entry = EligibleSubmissionFactory(contest=stage.contest)
    StageEntry.objects.create(stage=stage, submission=entry)
    assignment = AssignmentFactory(stage=stage, judge=judge, submission=entry)
    sheet = judging_services.ensure_sheet(assignment=assignment)
    return judging_services.record_sheet(
        sheet=sheet,
        scores=[
            {"criterion": criteria[0].pk, "value": "7", "comment": "Baik."},
            {"criterion": criteria[1].pk, "value": "8.5", "comment": ""},
        ],
        comment="Inovasi yang jelas.",
        submit=True,
        version=sheet.version,
        by=judge.user,
    )


@pytest.fixture
def entry(contest):
    """A draft entered through the service by its region's delegate, with a link."""
    delegate = DelegateFactory(contest=contest)
    category = CategoryFactory(contest=contest)
    submission = submission_services.create_submission(
        contest=contest,
        by=delegate.user,
        category=category,
        title="Layanan Satu Pintu",
        summary="Ringkas.",
        problem="Masalah.",
        solution="Solusi.",
        impact="Dampak.",
        started_on=dt.date(2021, 3, 1),
        agency="Diskominfo",
    )
    submission_services.add_evidence_link(
        submission=submission,
        url="https://example.org/video",
        title="Video",
        by=delegate.user,
    )
    submission_services.submit_submission(submission=submission, by=delegate.user)
    return submission


# ---------------------------------------------------------------- rows changed by SQL


def test_verify_ledger_reports_a_submitted_score_changed_by_sql(submitted):
    verify()
    seq = last_seq(submitted)
    Score.objects.filter(sheet=submitted, value=Decimal("7")).update(value=Decimal(10))

    report = broken()

    assert (
        f"judging.scoresheet {submitted.pk} (entry #{seq}): differs from what its "
        f"last entry #{seq} recorded" in report
    )
    assert "1 problem(s)" in report


def test_verify_ledger_reports_a_submitted_score_comment_changed_by_sql(submitted):
    Score.objects.filter(sheet=submitted).update(comment="Dipalsukan.")

    assert f"judging.scoresheet {submitted.pk}" in broken()


def test_verify_ledger_reports_a_score_deleted_by_sql(submitted):
    Score.objects.filter(sheet=submitted, value=Decimal("7"))._raw_delete(
        connection.alias
    )

    assert f"judging.scoresheet {submitted.pk}" in broken()


def test_verify_ledger_reports_a_sheet_reopened_by_sql(submitted):
    ScoreSheet.objects.filter(pk=submitted.pk).update(state="draft", submitted_at=None)

    assert f"judging.scoresheet {submitted.pk}" in broken()


def test_verify_ledger_reports_a_title_changed_by_sql(entry):
    verify()
    Submission.objects.filter(pk=entry.pk).update(title="Judul Lain")

    report = broken()

    seq = last_seq(entry)
    assert f"submissions.submission {entry.pk} (entry #{seq}): differs" in report


def test_verify_ledger_reports_a_state_changed_by_sql(entry):
    Submission.objects.filter(pk=entry.pk).update(state="eligible")

    assert f"submissions.submission {entry.pk} (entry #" in broken()


def test_verify_ledger_reports_a_row_deleted_by_sql(entry):
    evidence = entry.evidence.get()
    Evidence.objects.filter(pk=evidence.pk)._raw_delete(connection.alias)

    report = broken()

    assert f"submissions.evidence {evidence.pk} (entry #" in report
    assert "was deleted with no ledger entry" in report


def test_verify_ledger_reports_a_removed_row_put_back(contest, organizer):
    region = RegionFactory()
    delegate = contest_services.invite_delegate(
        contest=contest, email="operator@example.id", region=region, by=organizer
    )
    pk, user = delegate.pk, delegate.user
    contest_services.remove_delegate(delegate=delegate, by=organizer)
    verify()
    Delegate.objects.create(pk=pk, contest=contest, user=user, region=region)

    report = broken()

    assert f"contest.delegate {pk} (entry #" in report
    assert "still exists, but entry #" in report


def test_verify_ledger_reports_each_changed_row_once_with_its_entry(submitted, entry):
    Submission.objects.filter(pk=entry.pk).update(title="Judul Lain")
    Score.objects.filter(sheet=submitted).update(value=Decimal(1))

    report = broken()

    assert "2 problem(s)" in report
    assert report.count("differs from what its last entry") == 2


def test_verify_rows_reads_each_model_once_not_each_row(contest, organizer):
    for n in range(5):
        contest_services.create_category(
            contest=contest, by=organizer, name=f"K{n}", slug=f"k{n}"
        )
    few = _queries(ledger.verify_rows)
    for n in range(5, 20):
        contest_services.create_category(
            contest=contest, by=organizer, name=f"K{n}", slug=f"k{n}"
        )

    many = _queries(ledger.verify_rows)

    assert many == few


def _queries(function) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


# ---------------------------------------------------------------- no false alarms


def test_rows_changed_without_an_entry_where_nothing_audited_changes(
    submitted, entry, contest
):
    evidence = entry.evidence.get()
    Evidence.objects.filter(pk=evidence.pk).update(
        thumbnail="evidence/thumb.jpg", size=123, processed_at=timezone.now()
    )
    ScoreSheet.objects.filter(pk=submitted.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    Submission.objects.filter(pk=entry.pk).update(updated_at=timezone.now())
    UserFactory._meta.model.objects.update(last_login=timezone.now())

    assert "The ledger is intact" in verify()


def test_a_draft_saved_again_and_again_stays_clean(db):
    stage = OpenStageFactory()
    criterion = StepCriterionFactory(stage=stage)
    judge = JudgeFactory(contest=stage.contest)
    entry = EligibleSubmissionFactory(contest=stage.contest)
    StageEntry.objects.create(stage=stage, submission=entry)
    assignment = AssignmentFactory(stage=stage, judge=judge, submission=entry)
    sheet = judging_services.ensure_sheet(assignment=assignment)
    for value, note in [("5", ""), ("5", "catatan"), ("6", "catatan")]:
        sheet = judging_services.record_sheet(
            sheet=sheet,
            scores=[{"criterion": criterion.pk, "value": value, "comment": note}],
            comment="",
            submit=False,
            version=sheet.version,
            by=judge.user,
        )

    assert "The ledger is intact" in verify()


def test_resubmission_resets_reviews_with_entries_and_stays_clean(
    contest, organizer, entry
):
    delegate = Delegate.objects.get(contest=contest, region=entry.region).user
    evidence = entry.evidence.get()
    submission_services.review_evidence(
        evidence=evidence, status="needs_revision", note="Buram.", by=organizer
    )
    submission_services.request_revision(
        submission=entry,
        deadline=timezone.now() + dt.timedelta(days=2),
        note="Perbaiki video.",
        by=organizer,
    )

    submission_services.submit_submission(submission=entry, by=delegate)

    evidence.refresh_from_db()
    assert evidence.review_status == "pending"
    assert AuditEntry.objects.filter(
        action="evidence.review_reset", object_id=str(evidence.pk)
    ).exists()
    assert "The ledger is intact" in verify()


def test_cascaded_deletions_are_recorded_and_stay_clean(contest, entry):
    draft_owner = Delegate.objects.get(contest=contest, region=entry.region).user
    draft = submission_services.create_submission(
        contest=contest,
        by=draft_owner,
        category=entry.category,
        title="Draf",
    )
    upload = SimpleUploadedFile("bukti.pdf", PDF_BYTES, "application/pdf")
    [evidence] = submission_services.add_evidence_files(
        submission=draft, uploads=[upload], by=draft_owner
    )

    draft_pk = draft.pk
    submission_services.delete_submission(submission=draft, by=draft_owner)

    gone = (
        AuditEntry.objects.filter(
            object_type="submissions.evidence", object_id=str(evidence.pk)
        )
        .order_by("seq")
        .last()
    )
    assert gone.action == "evidence.deleted"
    assert gone.row_hash == ledger.ROW_DELETED
    assert gone.data == {"with": f"submissions.submission:{draft_pk}"}
    assert gone.contest_slug == contest.slug
    assert "The ledger is intact" in verify()


def test_entries_written_before_row_hashes_still_verify(contest, organizer):
    category = contest_services.create_category(
        contest=contest, by=organizer, name="Kesehatan", slug="kesehatan"
    )
    old = AuditEntry.objects.get()
    old.row_hash = ""
    old.hash = ledger.entry_hash(old)
    old.save()
    LedgerHead.objects.filter(id=1).update(last_hash=old.hash)
    type(category).objects.filter(pk=category.pk).update(name="Tak diperiksa")

    assert "row_hash" not in ledger.entry_payload(old)
    assert "The ledger is intact: 1 entries" in verify()


def test_row_hash_is_part_of_the_entrys_hash(contest, organizer):
    contest_services.create_category(
        contest=contest, by=organizer, name="Kesehatan", slug="kesehatan"
    )
    AuditEntry.objects.update(row_hash="f" * 64)

    assert "entry #1: content does not match its hash" in broken()


# ---------------------------------------------------------------- the end of the chain


@pytest.fixture
def five_entries(contest, organizer):
    for n in range(5):
        contest_services.create_category(
            contest=contest, by=organizer, name=f"K{n}", slug=f"k{n}"
        )
    return list(AuditEntry.objects.order_by("seq"))


def cut_back(entries, keep: int, *, rows_too: bool = True) -> None:
    """Delete the entries after the first `keep` and move the head back to them,
    as someone with the database would; with `rows_too`, delete by SQL the rows
    those entries created as well, so that the rows agree with the shorter chain."""
    if rows_too:
        for entry in entries[keep:]:
            model = ledger.audited_models()[entry.object_type].model
            model._base_manager.filter(pk=entry.object_id)._raw_delete(connection.alias)
    AuditEntry.objects.filter(seq__gt=keep).delete()
    last = entries[keep - 1]
    LedgerHead.objects.filter(id=1).update(last_seq=last.seq, last_hash=last.hash)


def test_ledger_anchor_exports_the_head(five_entries, tmp_path):
    path = tmp_path / "anchor.json"

    call_command("ledger_anchor", output=str(path), stderr=io.StringIO())

    anchor = json.loads(path.read_text())
    assert anchor["seq"] == 5
    assert anchor["hash"] == five_entries[-1].hash
    assert anchor["created_at"] == five_entries[-1].created_at.isoformat()


def test_ledger_anchor_prints_to_standard_output(five_entries):
    out = io.StringIO()

    call_command("ledger_anchor", stdout=out)

    assert json.loads(out.getvalue())["hash"] == five_entries[-1].hash


def test_verify_ledger_with_an_anchor_reports_a_chain_cut_back(five_entries, tmp_path):
    path = tmp_path / "anchor.json"
    call_command("ledger_anchor", output=str(path), stderr=io.StringIO())
    assert "The chain extends the anchor" in verify(anchor=[str(path)])
    cut_back(five_entries, keep=3)
    assert "The ledger is intact: 3 entries" in verify()

    report = broken(anchor=[str(path)])

    assert (
        "entry #5: the anchored entry is missing: the chain ends at #3, before the "
        "anchor" in report
    )
    assert f"Head: #3 {five_entries[2].hash}" in report


def test_verify_ledger_with_an_anchor_reports_a_rewritten_chain(five_entries, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text(json.dumps({"seq": 4, "hash": "a" * 64}))

    assert "entry #4: the anchored entry has another hash" in broken(anchor=[str(path)])


def test_verify_ledger_extends_an_older_anchor(five_entries, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text(json.dumps({"seq": 2, "hash": five_entries[1].hash}))

    assert "The chain extends the anchor" in verify(anchor=[str(path)])


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("not json", "anchor"),
        ("[1]", "anchor"),
        ('{"seq": -1, "hash": "' + "a" * 64 + '"}', "seq"),
        ('{"seq": "3", "hash": "' + "a" * 64 + '"}', "seq"),
        ('{"seq": 3, "hash": "xyz"}', "hash"),
    ],
)
def test_verify_ledger_refuses_a_malformed_anchor(
    five_entries, tmp_path, content, field
):
    path = tmp_path / "anchor.json"
    path.write_text(content)

    with pytest.raises(CommandError, match=f"--anchor {path}: {field}: "):
        call_command("verify_ledger", anchor=[str(path)], stdout=io.StringIO())


def test_verify_ledger_refuses_a_missing_anchor_file(tmp_path):
    with pytest.raises(CommandError, match="--anchor: cannot read"):
        call_command(
            "verify_ledger", anchor=[str(tmp_path / "none.json")], stdout=io.StringIO()
        )


def test_verify_ledger_prints_the_chain_head(five_entries):
    assert f"Chain head: entry #5, hash {five_entries[-1].hash}" in verify()


def test_verify_ledger_prints_the_head_of_an_empty_ledger(db):
    out = verify()

    assert f"Chain head: entry #0, hash {ledger.GENESIS_HASH}" in out
    assert "The ledger is intact: 0 entries" in out


@pytest.fixture
def publication(contest, organizer):
    """A publication whose digest and ledger entry check out, recording the head."""
    contest_services.create_category(
        contest=contest, by=organizer, name="Kesehatan", slug="kesehatan"
    )
    head = LedgerHead.objects.get(id=1).last_hash
    publication = PublicationFactory(contest=contest, ledger_head_hash=head)
    publication.digest = snapshot_digest(publication.snapshot)
    publication.save()
    ledger.record(
        action="results.published",
        obj=publication,
        by=organizer,
        contest=contest,
        data={"kind": publication.kind, "digest": publication.digest},
    )
    return publication


def test_verify_publications_checks_the_recorded_head_is_in_the_chain(publication):
    out = io.StringIO()

    call_command("verify_publications", stdout=out)

    assert "Every publication checks out: 1 digest(s)" in out.getvalue()


def test_verify_publications_reports_a_recorded_head_cut_from_the_chain(
    publication,
):
    Publication.objects.filter(pk=publication.pk).update(ledger_head_hash="b" * 64)
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_publications", stdout=io.StringIO(), stderr=err)

    assert (
        f"publication #{publication.pk}: the ledger head it recorded ({'b' * 64}) "
        "is not an entry of the chain" in err.getvalue()
    )


def test_verify_ledger_fails_when_a_publication_does_not_check_out(publication):
    AuditEntry.objects.filter(seq=1).delete()

    report = broken()

    assert "the ledger head it recorded" in report
    assert "publications do not check out" in report


# ---------------------------------------------------------------- the demo, whole


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())


def test_demo_verifies_clean_right_after_loading(demo):
    out = verify()

    assert "The ledger is intact" in out
    # The two demo contests: KKDI 2023 and the IGA-format one.
    assert "Every publication checks out: 2 digest(s)" in out
    types = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert types <= set(ledger.audited_models())
    assert {
        "submissions.submission",
        "submissions.indicatoranswer",
        "judging.scoresheet",
        "judging.indicatorvalidation",
        "judging.slot",
        "contest.regioncluster",
        "results.publication",
    } <= types


def test_demo_reports_a_published_score_changed_by_sql(demo):
    score = Score.objects.filter(sheet__state="submitted").order_by("pk").first()
    Score.objects.filter(pk=score.pk).update(value=F("value") - 1)

    assert f"judging.scoresheet {score.sheet_id} (entry #" in broken()
