import io
import logging
import re
import tracemalloc

import filetype
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import ExifTags, Image

from common.errors import DomainError
from contest.models import AuditEntry
from submissions import services
from submissions.enums import SubmissionState
from submissions.models import Evidence
from submissions.tasks import task_process_image
from submissions.validators import display_name
from tests.factories.submissions import EvidenceFactory
from tests.submissions import samples
from tests.submissions.conftest import ROLES, close_window, set_state
from tests.submissions.streaming import MultipartStream, streamed_post

pytestmark = [pytest.mark.django_db]

MB = 1024 * 1024
GENERATED = re.compile(r"^evidence/\d+/\d+/[0-9a-f]{32}\.(\w+)$")


def _add(entry, by, *uploads, title=""):
    return services.add_evidence_files(
        submission=entry, uploads=list(uploads), by=by, title=title
    )


def _file_url(entry, evidence, name="evidence-file"):
    return reverse(
        f"submissions:{name}",
        kwargs={"slug": entry.contest.slug, "pk": entry.pk, "evidence_pk": evidence.pk},
    )


# ---------------------------------------------------------------- accepted files


@pytest.mark.parametrize(
    ("name", "content", "mime", "ext"),
    [
        ("laporan.pdf", samples.pdf(), "application/pdf", "pdf"),
        ("foto.jpg", samples.image("JPEG"), "image/jpeg", "jpg"),
        ("foto.png", samples.image("PNG"), "image/png", "png"),
        ("foto.webp", samples.image("WEBP"), "image/webp", "webp"),
        (
            "sk.docx",
            samples.office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            "data.xlsx",
            samples.office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        (
            "paparan.pptx",
            samples.office("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
        ),
    ],
)
def test_upload_accepts_each_type_under_a_generated_name(
    entry, delegate, name, content, mime, ext
):
    [evidence] = _add(entry, delegate, samples.upload(name, content))

    match = GENERATED.match(evidence.file.name)
    assert match is not None
    assert match.group(1) == ext
    assert evidence.content_type == mime
    assert evidence.original_name == name
    assert evidence.size == len(content)
    assert evidence.title == name.rsplit(".", 1)[0]
    assert AuditEntry.objects.get(action="evidence.added").data["content_type"] == mime


def test_upload_decides_the_type_by_content_not_by_name(entry, delegate):
    [evidence] = _add(entry, delegate, samples.upload("scan.pdf", samples.image("PNG")))

    assert evidence.content_type == "image/png"
    assert evidence.file.name.endswith(".png")
    assert evidence.original_name == "scan.pdf"


def test_upload_detects_an_office_file_that_filetype_only_sees_as_zip(entry, delegate):
    content = samples.office("docx", first="customXml/item.xml")
    assert filetype.guess(content).extension == "zip"

    [evidence] = _add(entry, delegate, samples.upload("sk.docx", content))

    assert evidence.file.name.endswith(".docx")


def test_upload_keeps_only_the_base_name_of_a_path_like_filename(entry, delegate):
    [evidence] = _add(
        entry, delegate, samples.upload("../../etc/passwd.pdf", samples.pdf())
    )

    assert evidence.original_name == "passwd.pdf"
    assert GENERATED.match(evidence.file.name)
    assert "passwd" not in evidence.file.name
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == samples.pdf()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\operator\\Desktop\\SK Bupati.pdf", "SK Bupati.pdf"),
        ("laporan\x00.pdf", "laporan.pdf"),
        (".htaccess", "htaccess"),
        ("", "file"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_display_name_strips_paths_and_control_characters(raw, shown):
    assert display_name(raw) == shown


def test_upload_several_files_at_once(entry, delegate):
    created = _add(
        entry,
        delegate,
        samples.upload("a.pdf", samples.pdf()),
        samples.upload("b.png", samples.image("PNG")),
        title="Data dukung",
    )

    assert [e.title for e in created] == ["Data dukung: a.pdf", "Data dukung: b.png"]
    assert entry.evidence.count() == 2


# ---------------------------------------------------------------- refused files


def _assert_nothing_changed(entry, before_evidence, before_files):
    entry.refresh_from_db()
    assert list(entry.evidence.values_list("pk", "file")) == before_evidence
    assert sorted(
        default_storage.listdir(f"evidence/{entry.contest_id}/{entry.pk}")[1]
    ) == (before_files)
    assert entry.state == SubmissionState.DRAFT


@pytest.fixture
def earlier(entry, delegate):
    """One PDF already attached; what a refused upload must leave alone."""
    _add(entry, delegate, samples.upload("awal.pdf", samples.pdf()))
    files = sorted(
        default_storage.listdir(f"evidence/{entry.contest_id}/{entry.pk}")[1]
    )
    return list(entry.evidence.values_list("pk", "file")), files


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "foto.png",
            b"this is plain text, not a picture\n" * 20,
            "not a file of an accepted type",
        ),
        ("bom.png", samples.bomb_png(), "decompression bomb"),
        ("kosong.pdf", b"", "is empty"),
        ("arsip.docx", samples.plain_zip(), "not a file of an accepted type"),
        ("makro.docx", samples.office("docx", macros=True), "contains macros"),
        ("rusak.png", samples.image("PNG")[:60], "not a readable PNG image"),
        (
            "program.pdf",
            b"MZ\x90\x00" + b"\x00" * 200,
            "not a file of an accepted type",
        ),
    ],
)
def test_upload_refuses_a_bad_file_and_says_why(
    entry, delegate, earlier, name, content, reason
):
    with pytest.raises(DomainError) as exc:
        _add(entry, delegate, samples.upload(name, content))

    assert exc.value.field == "file"
    assert reason in str(exc.value.message)
    assert display_name(name) in str(exc.value.message)
    _assert_nothing_changed(entry, *earlier)


def test_upload_refuses_an_oversized_file(entry, delegate, earlier, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 1000

    with pytest.raises(DomainError) as exc:
        _add(entry, delegate, samples.upload("besar.pdf", samples.pdf() + b"0" * 2000))

    message = str(exc.value.message).replace("\xa0", " ")
    assert message == "“besar.pdf” is 2.0 KB; a file may be at most 1000 bytes."
    _assert_nothing_changed(entry, *earlier)


def test_upload_refuses_files_over_the_entrys_total(entry, delegate, earlier, settings):
    settings.EVIDENCE_MAX_ENTRY_SIZE = 500

    with pytest.raises(DomainError) as exc:
        _add(entry, delegate, samples.upload("lagi.pdf", samples.pdf() + b"0" * 400))

    assert "an entry may have at most 500" in str(exc.value.message)
    _assert_nothing_changed(entry, *earlier)


def test_upload_of_several_files_stores_none_when_one_is_bad(entry, delegate, earlier):
    with pytest.raises(DomainError) as exc:
        _add(
            entry,
            delegate,
            samples.upload("baik.pdf", samples.pdf()),
            samples.upload("palsu.png", b"teks biasa"),
        )

    assert "palsu.png" in str(exc.value.message)
    assert "baik.pdf" not in str(exc.value.message)
    _assert_nothing_changed(entry, *earlier)


def test_upload_refused_outside_the_window(
    entry, contest, delegate, earlier, table_rows
):
    close_window(contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        _add(entry, delegate, samples.upload("telat.pdf", samples.pdf()))

    assert exc.value.status == 409
    assert table_rows() == rows_before
    _assert_nothing_changed(entry, *earlier)


def test_upload_allowed_during_revision_before_the_deadline(entry, contest, delegate):
    set_state(entry, SubmissionState.REVISION_REQUESTED)
    close_window(contest)

    [evidence] = _add(entry, delegate, samples.upload("revisi.pdf", samples.pdf()))

    assert evidence.submission == entry


def test_upload_refused_once_submitted(entry, delegate, table_rows):
    set_state(entry, SubmissionState.SUBMITTED)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        _add(entry, delegate, samples.upload("tambahan.pdf", samples.pdf()))

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert not Evidence.objects.exists()


def test_upload_refused_for_another_regions_delegate(entry, other_delegate):
    with pytest.raises(DomainError) as exc:
        _add(entry, other_delegate, samples.upload("x.pdf", samples.pdf()))

    assert exc.value.status == 403
    assert not Evidence.objects.exists()


# ---------------------------------------------------------------- images


def test_image_loses_its_exif_and_gps_and_gets_a_thumbnail(
    entry, delegate, django_capture_on_commit_callbacks
):
    original = samples.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    with django_capture_on_commit_callbacks(execute=True):
        [evidence] = _add(entry, delegate, samples.upload("lokasi.jpg", original))

    evidence.refresh_from_db()
    assert evidence.processed_at is not None
    with default_storage.open(evidence.file.name) as stored:
        image = Image.open(stored)
        exif = image.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert ExifTags.Base.Make not in exif
        assert "exif" not in image.info
        assert image.size == (640, 480)
    with default_storage.open(evidence.thumbnail.name) as thumb:
        small = Image.open(thumb)
        assert small.format == "JPEG"
        assert max(small.size) <= 480
    assert GENERATED.match(evidence.file.name)
    assert evidence.size == default_storage.size(evidence.file.name)
    assert (
        len(default_storage.listdir(f"evidence/{entry.contest_id}/{entry.pk}")[1]) == 1
    )


def test_image_is_turned_upright_before_its_exif_is_dropped(
    entry, delegate, django_capture_on_commit_callbacks
):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone on its side
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "JPEG", exif=exif)

    with django_capture_on_commit_callbacks(execute=True):
        [evidence] = _add(entry, delegate, samples.upload("miring.jpg", out.getvalue()))

    evidence.refresh_from_db()
    with default_storage.open(evidence.file.name) as stored:
        image = Image.open(stored)
        assert image.size == (48, 64)
        assert ExifTags.Base.Orientation not in image.getexif()


def test_image_with_alpha_keeps_its_format_and_gets_a_thumbnail(
    entry, delegate, django_capture_on_commit_callbacks
):
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 255, 100)).save(out, "PNG")

    with django_capture_on_commit_callbacks(execute=True):
        [evidence] = _add(entry, delegate, samples.upload("logo.png", out.getvalue()))

    evidence.refresh_from_db()
    assert evidence.file.name.endswith(".png")
    with default_storage.open(evidence.file.name) as stored:
        assert Image.open(stored).mode == "RGBA"
    assert evidence.thumbnail.name.endswith(".jpg")


def test_image_processing_is_safe_to_run_twice(
    entry, delegate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [evidence] = _add(
            entry, delegate, samples.upload("a.jpg", samples.jpeg_with_gps())
        )
    evidence.refresh_from_db()
    first = (evidence.file.name, evidence.thumbnail.name)

    task_process_image.delay(evidence_id=evidence.pk)

    evidence.refresh_from_db()
    assert (evidence.file.name, evidence.thumbnail.name) == first


def test_image_task_for_removed_evidence_does_nothing(caplog):
    with caplog.at_level(logging.INFO, logger="submissions.tasks"):
        task_process_image.delay(evidence_id=987654)

    assert "987654 is gone" in caplog.text


def test_image_not_served_before_it_is_processed(client, entry, delegate):
    [evidence] = _add(entry, delegate, samples.upload("a.jpg", samples.jpeg_with_gps()))
    client.force_login(delegate)

    response = client.get(_file_url(entry, evidence))

    assert evidence.processed_at is None
    assert response.status_code == 404


# ---------------------------------------------------------------- serving files


@pytest.fixture
def pdf_evidence(entry):
    return EvidenceFactory(submission=entry, original_name="Laporan Akhir.pdf")


EXPECTED_FILE_STATUS = {
    "anonymous": 302,
    "delegate": 200,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_file_view_serves_a_drafts_evidence_only_to_who_may_see_it(
    client, sign_in, entry, pdf_evidence, role
):
    sign_in(role)

    response = client.get(_file_url(entry, pdf_evidence))

    assert response.status_code == EXPECTED_FILE_STATUS[role]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == samples.pdf()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert 'filename="Laporan Akhir.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_file_view_sends_office_documents_as_attachments(client, entry, delegate):
    content = samples.office("xlsx")
    [evidence] = _add(entry, delegate, samples.upload("data.xlsx", content))
    client.force_login(delegate)

    response = client.get(_file_url(entry, evidence))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_file_view_never_serves_another_regions_draft_evidence(
    client, delegate, other_entry
):
    client.force_login(delegate)
    other_evidence = other_entry.evidence.get()

    file_response = client.get(_file_url(other_entry, other_evidence))
    thumb_response = client.get(
        _file_url(other_entry, other_evidence, "evidence-thumbnail")
    )

    assert file_response.status_code == 404
    assert thumb_response.status_code == 404


def test_file_view_answers_404_for_evidence_of_another_entry(
    client, entry, delegate, other_entry
):
    client.force_login(delegate)
    other_evidence = other_entry.evidence.get()

    response = client.get(_file_url(entry, other_evidence))

    assert response.status_code == 404


def test_thumbnail_view_serves_the_jpeg(
    client, entry, delegate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [evidence] = _add(
            entry, delegate, samples.upload("a.jpg", samples.jpeg_with_gps())
        )
    client.force_login(delegate)

    response = client.get(_file_url(entry, evidence, "evidence-thumbnail"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"


# ---------------------------------------------------------------- memory


@pytest.mark.slow
def test_upload_of_20_mb_streams_to_storage_without_filling_memory(
    client, entry, delegate, settings
):
    settings.EVIDENCE_MAX_FILE_SIZE = 64 * MB
    settings.EVIDENCE_MAX_ENTRY_SIZE = 256 * MB
    client.force_login(delegate)
    url = reverse(
        "submission-evidence",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )

    def body(size):
        return MultipartStream(
            fields={"title": "Laporan besar"},
            file_field="file",
            filename="besar.pdf",
            content_type="application/pdf",
            head=samples.pdf(),
            size=size,
        )

    streamed_post(client, url, body(64 * 1024))  # warms up imports and caches
    big = body(20 * MB)
    tracemalloc.start()
    try:
        response = streamed_post(client, url, big)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 201
    assert response.json()["size"] == big.file_size
    assert default_storage.size(
        Evidence.objects.get(pk=response.json()["id"]).file.name
    ) == (big.file_size)
    print(f"20 MB upload: tracemalloc peak {peak / MB:.2f} MB")
    assert peak < 10 * MB, f"tracemalloc peak {peak / MB:.1f} MB"


@pytest.mark.parametrize("role", ROLES)
def test_thumbnail_view_serves_only_who_may_see_the_entry(
    client, sign_in, entry, delegate, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [evidence] = _add(
            entry, delegate, samples.upload("a.png", samples.image("PNG"))
        )
    client.logout()
    sign_in(role)

    response = client.get(_file_url(entry, evidence, "evidence-thumbnail"))

    assert response.status_code == EXPECTED_FILE_STATUS[role]
    if response.status_code == 200:
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
