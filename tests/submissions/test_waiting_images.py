"""An image whose processing task was lost (the broker down when the upload
committed, a worker killed and its message dropped) is found by the sweep and
processed: by the beat's task, by `manage.py process_waiting_evidence`, and by
`manage.py run_scheduled`. Images just uploaded, processed, or refused are left
alone."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from submissions import services
from submissions.models import Evidence
from submissions.services.evidence import _waiting_grace
from submissions.tasks import sweep_waiting_images
from tests.submissions import samples

pytestmark = [pytest.mark.django_db]


def _upload_without_task(entry, delegate, name="foto.jpg", content=None):
    """An image stored as the upload leaves it, its task never run (no
    on-commit callbacks are executed here), and older than the sweep's grace."""
    [evidence] = services.add_evidence_files(
        submission=entry,
        uploads=[samples.upload(name, content or samples.jpeg_with_gps())],
        by=delegate,
    )
    Evidence.objects.filter(pk=evidence.pk).update(
        created_at=timezone.now() - _waiting_grace() - dt.timedelta(seconds=1)
    )
    return evidence


def test_an_image_whose_task_was_lost_is_processed_by_the_sweep(entry, delegate):
    evidence = _upload_without_task(entry, delegate)
    assert services.images_waiting() == [evidence.pk]

    assert sweep_waiting_images.delay().get() == 1

    evidence.refresh_from_db()
    assert evidence.processed_at is not None
    assert evidence.thumbnail.name.endswith(".jpg")
    assert evidence.is_ready
    assert services.images_waiting() == []
    assert sweep_waiting_images.delay().get() == 0


def test_an_image_just_uploaded_is_left_to_its_own_task(entry, delegate):
    [evidence] = services.add_evidence_files(
        submission=entry,
        uploads=[samples.upload("foto.jpg", samples.jpeg_with_gps())],
        by=delegate,
    )

    assert services.images_waiting() == []
    later = timezone.now() + _waiting_grace() + dt.timedelta(seconds=1)
    assert services.images_waiting(now=later) == [evidence.pk]


def test_an_unreadable_image_is_marked_once_and_not_swept_again(entry, delegate):
    evidence = _upload_without_task(entry, delegate)
    Evidence.objects.filter(pk=evidence.pk).update(content_type="image/png")
    # The stored bytes are a JPEG, read as a PNG they fail the check.
    with evidence.file.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + b"not an image" * 10)

    sweep_waiting_images.delay()

    evidence.refresh_from_db()
    assert evidence.processed_at is None
    assert evidence.processing_error
    assert services.images_waiting() == []


def test_the_command_processes_what_is_waiting_and_says_so(entry, delegate):
    first = _upload_without_task(entry, delegate)
    second = _upload_without_task(entry, delegate, "peta.png", samples.image("PNG"))
    out = io.StringIO()

    call_command("process_waiting_evidence", stdout=out)

    assert "processed 2, could not be read 0" in out.getvalue()
    for evidence in (first, second):
        evidence.refresh_from_db()
        assert evidence.processed_at is not None


def test_the_schedule_sweeps_waiting_images(entry, delegate):
    evidence = _upload_without_task(entry, delegate)
    out = io.StringIO()

    call_command("run_scheduled", stdout=out)

    assert "images-sweep: 1" in out.getvalue()
    evidence.refresh_from_db()
    assert evidence.processed_at is not None


def test_a_storage_that_fails_once_leaves_the_image_waiting_not_refused(
    entry, delegate, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    evidence = _upload_without_task(entry, delegate)
    real_open = FileSystemStorage.open
    failures = []

    def open_once_failing(storage, name, mode="rb"):
        if not failures:
            failures.append(name)
            raise TimeoutError("the bucket did not answer")
        return real_open(storage, name, mode)

    monkeypatch.setattr(FileSystemStorage, "open", open_once_failing)

    with pytest.raises(TimeoutError):
        services.process_evidence_image(evidence=evidence)

    evidence.refresh_from_db()
    assert (evidence.processed_at, evidence.processing_error) == (None, "")
    assert services.images_waiting() == [evidence.pk]
    sweep_waiting_images.delay()
    evidence.refresh_from_db()
    assert evidence.processed_at is not None
