"""The official documents' settings and certificates hold up against bad input
and a failing storage: a signature scan whose pixels do not decode is refused
(service, page, API) and, if one is stored anyway, the certificate prints
without it instead of failing; the pages answer 400 for bad input and 409 once
frozen; a NIP takes ASCII digits only; the API's errors name its input fields;
a storage that cannot delete the replaced scan does not fail the saved change."""

import io
import logging
import struct
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.errors import DomainError
from results import documents, services
from results.models import ResultsDocuments
from tests.results import documents_fixture as fixture

pytestmark = [pytest.mark.django_db]

SIGNER = "Drs. H. Muhammad Rum, M.M."
FULL_WIDTH_NIP = "１９６８０４１２１９８９０３１００３"  # noqa: RUF001


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def broken_png() -> bytes:
    """A PNG with a sound header and chunk checksums over image data that does
    not decompress: Image.verify() takes it, decoding its pixels fails."""
    header = struct.pack(">IIBBBBB", 300, 120, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"not zlib data " * 10)
        + _chunk(b"IEND", b"")
    )


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), (250, 250, 250)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("ttd.png", content, "image/png")


def _page(contest, name="results:documents"):
    return reverse(name, kwargs={"slug": contest.slug})


def _api(contest):
    return f"/api/v1/contests/{contest.slug}/results-documents/"


EMPTY_FORMSET = {"signatories-TOTAL_FORMS": "0", "signatories-INITIAL_FORMS": "0"}


# ---------------------------------------------------------------- a broken scan


def test_the_broken_png_passes_verify_but_not_decoding():
    with Image.open(io.BytesIO(broken_png())) as picture:
        picture.verify()
    with Image.open(io.BytesIO(broken_png())) as picture, pytest.raises(OSError):
        picture.load()


def test_service_refuses_a_scan_whose_pixels_do_not_decode(contest, organizer):
    with pytest.raises(DomainError) as refused:
        services.set_results_documents(
            contest=contest, by=organizer, signature=_upload(broken_png())
        )

    assert refused.value.field == "certificate_signature"
    assert refused.value.status == 400
    assert not ResultsDocuments.objects.exists()


def test_page_and_api_refuse_a_scan_whose_pixels_do_not_decode(
    client, api, contest, organizer
):
    client.force_login(organizer)
    api.force_authenticate(organizer)

    page = client.post(
        _page(contest),
        {"documents-certificate_signature": _upload(broken_png()), **EMPTY_FORMSET},
    )
    answer = api.put(
        _api(contest),
        {"certificate_signature": _upload(broken_png())},
        format="multipart",
    )

    assert page.status_code == 400
    assert "Upload a PNG or JPEG image of the signature." in page.content.decode()
    assert answer.status_code == 400
    assert "certificate_signature" in answer.json()
    assert not ResultsDocuments.objects.exists()


def test_certificate_prints_without_a_stored_scan_it_cannot_draw(
    client, contest, organizer, published, caplog
):
    """A broken scan already in storage (saved before the pixels were checked,
    or damaged since) leaves the certificate without the scan, not a 500."""
    name = default_storage.save("signatures/ttd.png", ContentFile(broken_png()))
    ResultsDocuments.objects.create(
        contest=contest,
        certificate_signatory_name=SIGNER,
        certificate_signature=name,
    )
    award = published.snapshot["awards"][0]

    with caplog.at_level(logging.WARNING, logger="results.pdf.certificate"):
        response = client.get(
            reverse(
                "results:certificate",
                kwargs={"slug": contest.slug, "award_id": award["id"]},
            )
        )

    assert response.status_code == 200
    assert SIGNER in fixture.pdf_text(response.content)
    assert "without its signature scan" in caplog.text


def test_certificate_pdf_skips_a_scan_it_cannot_draw():
    snapshot = fixture.snapshot()
    common = {
        "snapshot": snapshot,
        "award": snapshot["awards"][0],
        "entry": fixture.ENTRY,
        "digest": fixture.DIGEST,
        "verify_url": "https://inovasi.example.id/verify/",
        "signatory": fixture.CERTIFICATE_SIGNATORY,
    }
    from results import pdf

    broken = pdf.certificate_pdf(**common, signature=broken_png())
    unsigned = pdf.certificate_pdf(**common, signature=None)

    [with_broken] = fixture.render_pages(broken)
    [without] = fixture.render_pages(unsigned)
    assert fixture.different_share(with_broken, without) == 0


# ---------------------------------------------------------------- page statuses


def test_documents_page_answers_400_for_bad_input(client, contest, organizer):
    client.force_login(organizer)

    response = client.post(
        _page(contest),
        {"documents-certificate_signatory_nip": "1234", **EMPTY_FORMSET},
    )

    assert response.status_code == 400
    assert "A NIP has 18 digits." in response.content.decode()


def test_documents_page_answers_409_once_frozen(client, contest, organizer, published):
    client.force_login(organizer)

    response = client.post(
        _page(contest), {"documents-place": "Mataram", **EMPTY_FORMSET}
    )

    assert response.status_code == 409
    assert not ResultsDocuments.objects.filter(place="Mataram").exists()


def _settings_body(stage, weight="1"):
    return {
        f"weights-weight_{stage.pk}": weight,
        "bands-TOTAL_FORMS": "0",
        "bands-INITIAL_FORMS": "0",
    }


def test_settings_page_answers_400_for_bad_input(client, contest, organizer, stage):
    client.force_login(organizer)

    response = client.post(
        _page(contest, "results:settings"), _settings_body(stage, "lots")
    )

    assert response.status_code == 400


def test_settings_page_answers_409_once_frozen(
    client, contest, organizer, stage, published
):
    client.force_login(organizer)

    response = client.post(_page(contest, "results:settings"), _settings_body(stage))

    assert response.status_code == 409


# ---------------------------------------------------------------- the NIP


@pytest.mark.parametrize(
    ("value", "fine"),
    [
        ("196804121989031003", True),
        ("19680412 198903 1 003", True),
        ("", True),
        (FULL_WIDTH_NIP, False),
        ("١٩٦٨٠٤١٢١٩٨٩٠٣١٠٠٣", False),  # Arabic-Indic digits
        ("12345", False),
    ],
)
def test_nip_takes_ascii_digits_only(value, fine):
    assert (documents.nip_error(value) is None) is fine


def test_full_width_nip_is_printed_as_given():
    assert documents.format_nip(FULL_WIDTH_NIP) == FULL_WIDTH_NIP


def test_api_refuses_a_full_width_nip(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.put(
        _api(contest),
        {"certificate_signatory": {"name": SIGNER, "nip": FULL_WIDTH_NIP}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["certificate_signatory"] == {"nip": ["A NIP has 18 digits."]}
    assert not ResultsDocuments.objects.exists()


# ---------------------------------------------------------------- API error names


def test_api_names_the_minutes_signatory_by_its_index(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.put(
        _api(contest),
        {
            "minutes_signatories": [
                {"name": "Dr. Hendra Wijaya", "nip": "197805122003121004"},
                {"name": "Siti Rahmawati", "nip": "12345"},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["minutes_signatories"] == [{}, {"nip": ["A NIP has 18 digits."]}]
    assert "minutes_signatories.1.nip" not in body
    assert body["detail"] == "A NIP has 18 digits."


def test_api_names_the_certificate_signatory_part(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.put(
        _api(contest),
        {"certificate_signatory": {"name": SIGNER, "nip": "1234"}},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["certificate_signatory"] == {"nip": ["A NIP has 18 digits."]}
    assert "certificate_signatory_nip" not in body


def test_service_names_the_part_by_its_path(contest, organizer):
    with pytest.raises(DomainError) as refused:
        services.set_results_documents(
            contest=contest,
            by=organizer,
            minutes_signatories=[{"name": "A"}, {"name": "B", "nip": "1"}],
        )

    assert refused.value.field == "minutes_signatories.1.nip"


# ---------------------------------------------------------------- the old scan


@pytest.mark.django_db(transaction=True)
def test_replacing_the_scan_survives_a_storage_that_cannot_delete(
    client, contest, organizer, monkeypatch, caplog
):
    """The replaced scan is deleted once the change commits, inside the request:
    a storage error then leaves a stray file, logged, and the change saved."""
    services.set_results_documents(
        contest=contest, by=organizer, signature=_upload(_png())
    )
    old = ResultsDocuments.objects.get(contest=contest).certificate_signature.name

    def fail(storage, name):
        raise OSError("storage unreachable")

    storage = ResultsDocuments._meta.get_field("certificate_signature").storage
    monkeypatch.setattr(type(getattr(storage, "_wrapped", storage)), "delete", fail)
    client.force_login(organizer)

    with caplog.at_level(logging.WARNING, logger="results.services.documents"):
        response = client.post(
            _page(contest),
            {
                "documents-certificate_signatory_name": SIGNER,
                "documents-certificate_signature": _upload(_png()),
                **EMPTY_FORMSET,
            },
        )

    assert response.status_code == 302
    saved = ResultsDocuments.objects.get(contest=contest)
    assert saved.certificate_signature.name != old
    assert saved.certificate_signatory_name == SIGNER
    assert "could not delete the replaced scan" in caplog.text
