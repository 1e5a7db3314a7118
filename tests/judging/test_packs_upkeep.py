"""The upkeep of the files prepared for offline judging (judging.packs): a lost
build is queued again or given up by the sweep, a stage's ZIP is never built in a
web request when the broker is down, a finished pack is handed out again while
nothing it holds changed, a user has at most three packs being prepared, old
packs are deleted, an evidence file the storage cannot give is skipped, and the
requester reads failures in words."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty

from common.errors import DomainError
from judging import packs as services
from judging.enums import PackState
from judging.models import Pack
from judging.tasks import task_build_pack, task_sweep_packs
from tests.factories.judging import AssignmentFactory, DeclaredConflictFactory
from tests.factories.submissions import PDF_BYTES, EvidenceFactory

pytestmark = [pytest.mark.django_db]


def broker_down(monkeypatch):
    """The broker refuses the build task (common.queueing.enqueue answers False)."""

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(task_build_pack, "delay", refuse)


def storage_open(monkeypatch, replacement) -> None:
    """Replace the default storage's `open` (on the storage itself, not on its
    lazy wrapper), as a storage that fails would answer."""
    storage = default_storage._wrapped
    if storage is empty:
        default_storage._setup()
        storage = default_storage._wrapped
    monkeypatch.setattr(storage, "open", replacement)


def aged(pack: Pack, **delta) -> Pack:
    """The pack as if asked for `delta` ago."""
    Pack.objects.filter(pk=pack.pk).update(
        created_at=timezone.now() - timedelta(**delta)
    )
    return Pack.objects.get(pk=pack.pk)


def stage_zip(stage, judge, entry, capture) -> Pack:
    with capture(execute=True):
        pack = services.request_stage_zip(
            stage=stage, category=entry.category, judge=judge, by=judge.user
        )
    return Pack.objects.get(pk=pack.pk)


def entry_pdf(entry, user, capture) -> Pack:
    with capture(execute=True):
        pack = services.request_entry_pdf(submission=entry, by=user)
    return Pack.objects.get(pk=pack.pk)


# ------------------------------------------------- lost builds and the sweep


def test_a_lost_queued_pack_is_not_waited_for_by_a_new_request(entry, judge_assigned):
    lost = aged(
        services.request_entry_pdf(submission=entry, by=judge_assigned), minutes=61
    )

    again = services.request_entry_pdf(submission=entry, by=judge_assigned)

    assert again.pk != lost.pk
    assert again.state == PackState.QUEUED


def test_a_recent_queued_pack_is_still_answered(entry, judge_assigned):
    first = aged(
        services.request_entry_pdf(submission=entry, by=judge_assigned), minutes=59
    )

    assert services.request_entry_pdf(submission=entry, by=judge_assigned) == first


def test_stage_zip_stays_queued_when_the_broker_is_down_then_the_sweep_builds_it(
    stage, judge, entry, assignment, monkeypatch, django_capture_on_commit_callbacks
):
    broker_down(monkeypatch)

    pack = stage_zip(stage, judge, entry, django_capture_on_commit_callbacks)

    assert pack.state == PackState.QUEUED
    assert not pack.file
    aged(pack, minutes=11)
    assert services.sweep_packs()["requeued"] == 1
    pack.refresh_from_db()
    assert pack.state == PackState.DONE
    assert pack.entry_ids == [entry.pk]


def test_sweep_queues_again_only_the_packs_waiting_too_long(
    entry, judge_assigned, organizer
):
    waiting = aged(
        services.request_entry_pdf(submission=entry, by=judge_assigned), minutes=11
    )
    recent = services.request_entry_pdf(submission=entry, by=organizer)

    result = task_sweep_packs()

    assert result["requeued"] == 1
    assert Pack.objects.get(pk=waiting.pk).state == PackState.DONE
    assert Pack.objects.get(pk=recent.pk).state == PackState.QUEUED


def test_sweep_gives_up_the_packs_stuck_for_an_hour_in_words(
    api, entry, judge_assigned, organizer
):
    stuck = aged(
        services.request_entry_pdf(submission=entry, by=judge_assigned), minutes=61
    )
    Pack.objects.filter(pk=stuck.pk).update(state=PackState.RUNNING)
    running = services.request_entry_pdf(submission=entry, by=organizer)
    Pack.objects.filter(pk=running.pk).update(state=PackState.RUNNING)

    result = services.sweep_packs()

    stuck.refresh_from_db()
    assert result["failed"] == 1
    assert stuck.state == PackState.FAILED
    assert stuck.finished_at is not None
    assert stuck.error == services.LOST_MESSAGE
    assert Pack.objects.get(pk=running.pk).state == PackState.RUNNING
    api.force_authenticate(judge_assigned)
    api.credentials(HTTP_ACCEPT_LANGUAGE="id")
    body = api.get(f"/api/v1/packs/{stuck.pk}/").data
    assert body["state"] == "failed"
    assert body["error"]


def test_a_pack_built_once_is_not_built_again_by_a_second_task(entry, judge_assigned):
    pack = services.request_entry_pdf(submission=entry, by=judge_assigned)
    Pack.objects.filter(pk=pack.pk).update(state=PackState.RUNNING)

    assert task_build_pack(pack_id=pack.pk) == PackState.RUNNING
    assert Pack.objects.get(pk=pack.pk).state == PackState.RUNNING


def test_beat_schedule_runs_the_packs_sweep():
    assert settings.CELERY_BEAT_SCHEDULE["packs-sweep"] == {
        "task": "judging.sweep_packs",
        "schedule": settings.PACKS_SWEEP_SECONDS,
    }
    assert task_sweep_packs.name == "judging.sweep_packs"


# ------------------------------------------------- expiry


def test_sweep_deletes_packs_older_than_the_keep_days_with_their_files(
    entry, judge_assigned, organizer, settings, django_capture_on_commit_callbacks
):
    settings.PACK_KEEP_DAYS = 7
    old = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)
    kept = entry_pdf(entry, organizer, django_capture_on_commit_callbacks)
    aged(old, days=8)
    aged(kept, days=6)
    assert default_storage.exists(old.file.name)

    result = services.sweep_packs()

    assert result["deleted"] == 1
    assert not Pack.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.file.name)
    assert Pack.objects.filter(pk=kept.pk).exists()
    assert default_storage.exists(kept.file.name)


# ------------------------------------------------- reuse


def test_a_finished_entry_pdf_is_handed_out_again_while_nothing_changed(
    entry, judge_assigned, django_capture_on_commit_callbacks
):
    first = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)

    again = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)

    assert first.state == PackState.DONE
    assert again.pk == first.pk
    assert Pack.objects.count() == 1


def test_new_evidence_makes_a_new_entry_pdf(
    entry, judge_assigned, django_capture_on_commit_callbacks
):
    first = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)
    EvidenceFactory(submission=entry, title="Tambahan")

    again = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)

    assert again.pk != first.pk
    assert again.state == PackState.DONE


def test_a_finished_pack_older_than_an_hour_is_not_handed_out_again(
    entry, judge_assigned, django_capture_on_commit_callbacks
):
    first = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)
    aged(first, minutes=61)

    again = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)

    assert again.pk != first.pk


def test_a_finished_pack_whose_file_is_gone_is_not_handed_out_again(
    entry, judge_assigned, django_capture_on_commit_callbacks
):
    first = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)
    default_storage.delete(first.file.name)

    again = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)

    assert again.pk != first.pk


def test_stage_zip_handed_out_again_until_an_assignment_changes(
    stage, judge, entry, assignment, contest, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first = stage_zip(stage, judge, entry, capture)
    same = stage_zip(stage, judge, entry, capture)
    AssignmentFactory(
        stage=stage,
        judge=judge,
        submission__contest=contest,
        submission__category=entry.category,
    )

    after = stage_zip(stage, judge, entry, capture)

    assert same.pk == first.pk
    assert after.pk != first.pk
    assert len(after.entry_ids) == 2


def test_stage_zip_not_handed_out_again_after_a_conflict(
    stage, judge, entry, assignment, contest, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    other = AssignmentFactory(
        stage=stage,
        judge=judge,
        submission__contest=contest,
        submission__category=entry.category,
    ).submission
    first = stage_zip(stage, judge, entry, capture)
    DeclaredConflictFactory(judge=judge, submission=other)

    after = stage_zip(stage, judge, entry, capture)

    assert after.pk != first.pk
    assert after.entry_ids == [entry.pk]


# ------------------------------------------------- the per-user limit


def _three_in_progress(contest, judge):
    for _ in range(3):
        services.request_entry_pdf(
            submission=AssignmentFactory(
                judge=judge, stage__contest=contest
            ).submission,
            by=judge.user,
        )


def test_a_fourth_pack_in_progress_is_refused_with_409(contest, judge, entry):
    _three_in_progress(contest, judge)

    with pytest.raises(DomainError) as error:
        services.request_entry_pdf(submission=entry, by=judge.user)

    assert error.value.status == 409
    assert "files being prepared" in str(error.value.message)
    assert Pack.objects.count() == 3


def test_lost_packs_do_not_count_towards_the_limit(contest, judge, entry):
    _three_in_progress(contest, judge)
    Pack.objects.update(created_at=timezone.now() - timedelta(minutes=61))

    pack = services.request_entry_pdf(submission=entry, by=judge.user)

    assert pack.state == PackState.QUEUED


def test_api_refuses_a_fourth_pack_in_progress_in_words(
    api, contest, judge, entry, assignment
):
    _three_in_progress(contest, judge)
    api.force_authenticate(judge.user)

    response = api.post(
        "/api/v1/packs/", {"kind": "entry_pdf", "submission": entry.pk}, format="json"
    )

    assert response.status_code == 409
    assert "files being prepared" in str(response.data)


def test_pages_refuse_a_fourth_pack_in_progress_in_words(
    client, contest, judge, stage, entry, assignment
):
    _three_in_progress(contest, judge)
    client.force_login(judge.user)

    entry_page = client.post(
        reverse("judging:pack-entry", kwargs={"pk": assignment.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    zip_page = client.post(
        reverse("judging:packs"),
        {"scope": f"{stage.pk}:{entry.category_id}"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert entry_page.status_code == 409
    assert zip_page.status_code == 409
    assert "files being prepared" in entry_page.content.decode()
    assert "files being prepared" in zip_page.content.decode()
    assert Pack.objects.count() == 3


# ------------------------------------------------- storage errors


def test_an_evidence_file_the_storage_fails_on_is_skipped_and_noted(
    stage, judge, entry, assignment, monkeypatch, django_capture_on_commit_callbacks
):
    broken = EvidenceFactory(submission=entry, title="Hilang", original_name="a.pdf")
    EvidenceFactory(submission=entry, title="Ada", original_name="b.pdf")
    real_open = default_storage.open

    def s3_open(name, mode="rb"):
        if name == broken.file.name:  # what S3 answers for a missing object
            raise ClientError({"Error": {"Code": "404"}}, "HeadObject")
        return real_open(name, mode)

    storage_open(monkeypatch, s3_open)

    pack = stage_zip(stage, judge, entry, django_capture_on_commit_callbacks)

    assert pack.state == PackState.DONE
    monkeypatch.undo()
    with default_storage.open(pack.file.name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    [index] = [name for name in archive.namelist() if name.endswith("index.csv")]
    rows = {
        row["evidence_title"]: row
        for row in csv.DictReader(io.StringIO(archive.read(index).decode()))
    }
    assert rows["Hilang"]["file_in_zip"] == ""
    assert archive.read(rows["Ada"]["file_in_zip"]) == PDF_BYTES
    assert not any(f"evidence/{broken.pk}-" in name for name in archive.namelist())


def test_download_of_a_pack_whose_file_is_gone_answers_404_in_words(
    api, client, entry, judge_assigned, django_capture_on_commit_callbacks
):
    pack = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)
    default_storage.delete(pack.file.name)
    client.force_login(judge_assigned)
    api.force_authenticate(judge_assigned)

    page = client.get(
        reverse("judging:pack-file", kwargs={"pk": pack.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    response = api.get(f"/api/v1/packs/{pack.pk}/file/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 404
    assert "no longer kept" in page.content.decode()
    assert response.status_code == 404
    assert "no longer kept" in str(response.data)


def test_download_answers_404_when_the_storage_fails(
    client, entry, judge_assigned, monkeypatch, django_capture_on_commit_callbacks
):
    pack = entry_pdf(entry, judge_assigned, django_capture_on_commit_callbacks)

    def s3_open(name, mode="rb"):
        raise ClientError({"Error": {"Code": "403"}}, "GetObject")

    storage_open(monkeypatch, s3_open)
    client.force_login(judge_assigned)

    page = client.get(reverse("judging:pack-file", kwargs={"pk": pack.pk}))

    assert page.status_code == 404
