"""The award certificate fit for official use: its number, the place and the
date in words, the signatory's name, position and NIP over an optional scanned
signature, the score written for the language; and a reference image of the
layout (tests/results/reference/certificate-1.png; UPDATE_REFERENCE=1 writes it
anew)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from common.errors import DomainError
from common.timefmt import contest_date
from results import documents, pdf, services
from results.models import ResultsDocuments
from tests.results import documents_fixture as fixture

pytestmark = [pytest.mark.django_db]

NUMBER = "001/PIAGAM/IX/2023"
PLACE_DATE = "Mataram, 14 September 2023"
VERIFY = "https://inovasi.example.id/contests/kkdi-2023/results/verify/"


def fixed_certificate(language: str = "en", *, signature: bool = True) -> bytes:
    snapshot = fixture.snapshot()
    with translation.override(language):
        return pdf.certificate_pdf(
            snapshot=snapshot,
            award=snapshot["awards"][0],
            entry=fixture.ENTRY,
            digest=fixture.DIGEST,
            verify_url=VERIFY,
            number=NUMBER,
            place_date=PLACE_DATE,
            signatory=fixture.CERTIFICATE_SIGNATORY,
            signature=fixture.signature_png() if signature else None,
        )


def test_certificate_matches_the_reference_image():
    pages = fixture.render_pages(fixed_certificate())

    fixture.assert_matches_reference(pages, "certificate")


def test_certificate_reference_check_fails_without_the_signature():
    [signed] = fixture.render_pages(fixed_certificate())
    [unsigned] = fixture.render_pages(fixed_certificate(signature=False))

    assert fixture.different_share(unsigned, signed) > 0


def test_certificate_prints_number_place_date_and_signatory():
    text = fixture.pdf_text(fixed_certificate())

    assert NUMBER in text
    assert PLACE_DATE in text
    assert fixture.CERTIFICATE_SIGNATORY.name in text
    assert fixture.CERTIFICATE_SIGNATORY.position in text
    assert "NIP 19680412 198903 1 003" in text


def test_certificate_writes_the_score_for_indonesian():
    text = fixture.pdf_text(fixed_certificate("id"))

    assert "86,12" in text
    assert "86.12" not in text


def _png(size=(300, 120), kind="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(buffer, format=kind)
    return buffer.getvalue()


def _save(contest, organizer, signature=None):
    return services.set_results_documents(
        contest=contest,
        by=organizer,
        place="Mataram",
        certificate_number_pattern="{number}/PIAGAM-KKDI/{roman_month}/{year}",
        certificate_signatory={
            "name": "Drs. H. Muhammad Rum, M.M.",
            "position": "Kepala BSKDN",
            "nip": "196804121989031003",
        },
        signature=signature,
    )


def test_certificate_page_prints_the_saved_signatory(
    client, contest, organizer, scored
):
    _save(contest, organizer, SimpleUploadedFile("ttd.png", _png(), "image/png"))
    services.give_place_awards(contest=contest, by=organizer, places=1)
    publication = services.publish_contest(contest=contest, by=organizer)
    award = publication.snapshot["awards"][0]

    response = client.get(
        reverse(
            "results:certificate",
            kwargs={"slug": contest.slug, "award_id": award["id"]},
        )
    )

    assert response.status_code == 200
    text = fixture.pdf_text(response.content)
    assert "Drs. H. Muhammad Rum, M.M." in text
    assert "NIP 19680412 198903 1 003" in text
    assert f"Mataram, {contest_date(contest, publication.published_at)}" in text
    assert "001/PIAGAM-KKDI/" in text


def test_certificate_without_settings_names_the_host_place(client, contest, published):
    award = published.snapshot["awards"][0]

    response = client.get(
        reverse(
            "results:certificate",
            kwargs={"slug": contest.slug, "award_id": award["id"]},
        )
    )

    text = fixture.pdf_text(response.content)
    place = documents.default_place(contest)
    assert f"{place}, {contest_date(contest, published.published_at)}" in text
    assert "/PIAGAM/" in text


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("ttd.png", b"not an image at all", "image/png"),
        SimpleUploadedFile("ttd.gif", b"GIF89a" + b"\0" * 40, "image/gif"),
        SimpleUploadedFile("big.png", b"\x89PNG" + b"\0" * (600 * 1024), "image/png"),
    ],
    ids=["not-an-image", "gif", "too-large"],
)
def test_signature_must_be_a_small_png_or_jpeg(contest, organizer, upload):
    with pytest.raises(DomainError) as refused:
        _save(contest, organizer, upload)

    assert refused.value.field == "certificate_signature"
    assert not ResultsDocuments.objects.exists()


def test_signature_refused_past_its_pixel_limit(contest, organizer):
    upload = SimpleUploadedFile("ttd.png", _png(size=(3000, 200)), "image/png")

    with pytest.raises(DomainError) as refused:
        _save(contest, organizer, upload)

    assert refused.value.field == "certificate_signature"


def test_signature_jpeg_saved_and_removed(contest, organizer):
    saved = _save(
        contest,
        organizer,
        SimpleUploadedFile("ttd.jpg", _png(kind="JPEG"), "image/jpeg"),
    )
    assert saved.certificate_signature.name.endswith(".jpg")

    services.set_results_documents(contest=contest, by=organizer, remove_signature=True)

    saved.refresh_from_db()
    assert not saved.certificate_signature


def test_documents_page_uploads_a_signature(client, contest, organizer):
    client.force_login(organizer)
    page = reverse("results:documents", kwargs={"slug": contest.slug})

    response = client.post(
        page,
        {
            "documents-certificate_signatory_name": "Drs. H. Muhammad Rum, M.M.",
            "documents-certificate_signatory_nip": "196804121989031003",
            "documents-certificate_signature": SimpleUploadedFile(
                "ttd.png", _png(), "image/png"
            ),
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
        },
    )
    refused = client.post(
        page,
        {
            "documents-certificate_signature": SimpleUploadedFile(
                "ttd.png", b"text", "image/png"
            ),
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    row = ResultsDocuments.objects.get(contest=contest)
    assert row.certificate_signature.name.endswith(".png")
    assert row.certificate_signatory_nip == "196804121989031003"
    assert refused.status_code == 400
    assert "errorlist" in refused.content.decode()


def test_documents_api_uploads_a_signature(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.put(
        f"/api/v1/contests/{contest.slug}/results-documents/",
        {"certificate_signature": SimpleUploadedFile("ttd.png", _png(), "image/png")},
        format="multipart",
    )
    refused = api.put(
        f"/api/v1/contests/{contest.slug}/results-documents/",
        {"certificate_signature": SimpleUploadedFile("ttd.png", b"x", "image/png")},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json()["has_signature"] is True
    assert refused.status_code == 400
    assert "certificate_signature" in refused.json()
