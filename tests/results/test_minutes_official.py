"""The minutes (berita acara) fit for official use: a document number, the place
and the date in words, the panel signing by name with their NIP, numbers written
for the language, headings that do not run into each other, no command line; and
a reference image of the whole layout (tests/results/reference/minutes-*.png;
UPDATE_REFERENCE=1 writes it anew)."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from common.errors import DomainError
from common.timefmt import contest_date
from results import documents, pdf, services
from results.models import ResultsDocuments, StageMinutes
from results.pdf.base import styles
from results.pdf.minutes import CELL_PADDING, ENTRY_COLUMNS_MM, header_cell
from tests.results import documents_fixture as fixture

pytestmark = [pytest.mark.django_db]

NUMBER = "003/BA/TAHAP-2/IX/2023"
PLACE_DATE = "Mataram, 14 September 2023"


def fixed_minutes(language: str = "en") -> bytes:
    with translation.override(language):
        return pdf.minutes_pdf(
            page=fixture.stage_page(),
            panel=fixture.PANEL,
            ledger_head=fixture.HEAD,
            generated_at=fixture.at(14, 10),
            number=NUMBER,
            place_date=PLACE_DATE,
            signatories=fixture.MINUTES_SIGNATORIES,
        )


def test_minutes_match_the_reference_image():
    pages = fixture.render_pages(fixed_minutes())

    fixture.assert_matches_reference(pages, "minutes")


def test_minutes_render_the_same_twice():
    assert fixed_minutes() == fixed_minutes()


def test_minutes_reference_check_fails_on_a_moved_layout():
    pages = fixture.render_pages(fixed_minutes())
    moved = pages[0].transform(pages[0].size, 0, (1, 0, 0, 0, 1, -12))

    assert fixture.different_share(moved, pages[0]) > fixture.MAX_DIFFERENT_SHARE


def test_minutes_print_number_place_date_and_signatories_without_commands():
    text = fixture.pdf_text(fixed_minutes())

    assert NUMBER in text
    assert PLACE_DATE in text
    for signer in fixture.MINUTES_SIGNATORIES:
        assert signer.name in text
        assert signer.position in text
    assert "NIP 19780512 200312 1 004" in text
    assert "manage.py" not in text
    assert "python" not in text.lower()


def test_minutes_write_numbers_for_indonesian():
    text = fixture.pdf_text(fixed_minutes("id"))

    assert "47,04" in text
    assert "1.234,50" in text
    assert "0,812" in text
    assert "47.04" not in text


def test_minutes_show_a_zero_as_a_figure_and_only_a_missing_one_as_a_dash():
    text = fixture.pdf_text(fixed_minutes())

    # Layad Rawat's normalized score and spread are 0.00; Kemanfaatan's alpha 0.
    assert "0.00" in text
    assert text.count("—") == 3  # the three scores of the entry never scored


@pytest.mark.parametrize("language", ["id", "en"])
def test_minutes_headings_wrap_between_words_only(language):
    style = styles()
    headings = {
        "id": ["Entri", "Daerah", "Mentah", "Ternormalisasi", "Sebaran", "Lembar"],
        "en": ["Entry", "Region", "Raw", "Normalized", "Spread", "Sheets"],
    }[language]

    for heading, width in zip(headings, ENTRY_COLUMNS_MM[1:], strict=False):
        cell = header_cell(heading, width, style)
        longest = max(
            stringWidth(word, cell.style.fontName, cell.style.fontSize)
            for word in heading.split()
        )

        assert longest <= width * mm - 2 * CELL_PADDING, heading


def test_minutes_columns_fit_the_page():
    assert sum(ENTRY_COLUMNS_MM) <= 170


def test_contest_date_in_words_per_language(contest):
    contest.timezone = "Asia/Makassar"
    # 16:30 UTC on 31 May is already 1 June in WITA.
    moment = dt.datetime(2023, 5, 31, 16, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))

    with translation.override("id"):
        indonesian = contest_date(contest, moment)
    with translation.override("en"):
        english = contest_date(contest, moment)

    assert indonesian == "1 Juni 2023"
    assert english == "1 June 2023"


def test_place_defaults_to_the_host_region_without_its_kind(contest):
    contest.host_region.name = "Kota Bima"

    settings = documents.document_settings(contest)

    assert settings.place == "Bima"
    assert settings.place_and_date(contest, timezone.now()).startswith("Bima, ")


@pytest.mark.parametrize(
    ("pattern", "fine"),
    [
        ("{number}/BA/{roman_month}/{year}", True),
        ("BA-{stage}-{number}-{month}", True),
        ("{{literal}}/{number}", True),
        ("{year}", False),
        ("{number}/{unknown}", False),
        ("{number:>9}", False),
        ("{number!r}", False),
        ("{number.__class__}", False),
        ("{number", False),
        ("{}", False),
    ],
)
def test_number_patterns_checked(pattern, fine):
    assert (documents.pattern_error(pattern) is None) is fine


def test_document_number_fills_the_pattern():
    number = documents.document_number(
        documents.DEFAULT_MINUTES_PATTERN, number=3, when=dt.date(2023, 9, 14), stage=2
    )

    assert number == "003/BA/TAHAP-2/IX/2023"


# ---------------------------------------------------------------- the real path


def _save_documents(contest, organizer, **values):
    return services.set_results_documents(
        contest=contest,
        by=organizer,
        place=values.get("place", "Mataram"),
        minutes_number_pattern=values.get("pattern", "{number}/BA-KKDI/{year}"),
        minutes_signatories=values.get(
            "signatories",
            [
                {
                    "name": "Dr. Hendra Wijaya",
                    "position": "Ketua",
                    "nip": "197805122003121004",
                },
                {"name": "Siti Rahmawati", "position": "Anggota", "nip": ""},
            ],
        ),
    )


def test_generated_minutes_are_numbered_in_sequence_and_signed(
    contest, organizer, stage, scored
):
    _save_documents(contest, organizer)

    first = services.generate_minutes(stage=stage, by=organizer)
    second = services.generate_minutes(stage=stage, by=organizer)

    year = timezone.localtime(first.generated_at, contest.tzinfo).year
    assert (first.number, second.number) == (
        f"001/BA-KKDI/{year}",
        f"002/BA-KKDI/{year}",
    )
    with first.file.open("rb") as handle:
        text = fixture.pdf_text(handle.read())
    assert first.number in text
    assert f"Mataram, {contest_date(contest, first.generated_at)}" in text
    assert "Dr. Hendra Wijaya" in text
    assert "NIP 19780512 200312 1 004" in text


def test_generated_minutes_signed_by_the_judges_by_default(
    contest, organizer, stage, scored, judges
):
    minutes = services.generate_minutes(stage=stage, by=organizer)

    with minutes.file.open("rb") as handle:
        text = fixture.pdf_text(handle.read())
    assert minutes.number.startswith("001/BA/TAHAP-2/")
    for judge in judges.values():
        assert judge.name in text


def test_minutes_api_lists_the_number(api, contest, organizer, stage, scored):
    minutes = services.generate_minutes(stage=stage, by=organizer)
    api.force_authenticate(organizer)

    response = api.get(f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/minutes/")

    assert response.status_code == 200
    assert response.json()["results"][0]["number"] == minutes.number


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"pattern": "{year}/BA"}, "minutes_number_pattern"),
        ({"pattern": "{number.__class__}"}, "minutes_number_pattern"),
        ({"signatories": [{"name": "A", "nip": "12345"}]}, "minutes_signatories.0.nip"),
        ({"signatories": [{"name": "", "nip": ""}]}, "minutes_signatories.0.name"),
        ({"signatories": "Juri A"}, "minutes_signatories"),
        ({"place": "x" * 81}, "place"),
    ],
)
def test_document_settings_refuse_bad_input(contest, organizer, values, field):
    with pytest.raises(DomainError) as refused:
        _save_documents(contest, organizer, **values)

    assert refused.value.field == field
    assert not ResultsDocuments.objects.filter(contest=contest).exists()


def test_document_settings_refused_once_frozen(contest, organizer, published):
    with pytest.raises(DomainError) as refused:
        _save_documents(contest, organizer)

    assert refused.value.status == 409


def test_documents_page_saves_the_minutes_signatories(client, contest, organizer):
    client.force_login(organizer)
    page = reverse("results:documents", kwargs={"slug": contest.slug})
    body = {
        "documents-place": "Mataram",
        "documents-minutes_number_pattern": "{number}/BA/{year}",
        "signatories-TOTAL_FORMS": "2",
        "signatories-INITIAL_FORMS": "0",
        "signatories-0-name": "Dr. Hendra Wijaya",
        "signatories-0-position": "Ketua",
        "signatories-0-nip": "19780512 200312 1 004",
        "signatories-1-name": "",
    }

    shown = client.get(page)
    saved = client.post(page, body)

    assert shown.status_code == 200
    assert saved.status_code == 302
    row = ResultsDocuments.objects.get(contest=contest)
    assert row.place == "Mataram"
    assert row.minutes_signatories == [
        {"name": "Dr. Hendra Wijaya", "position": "Ketua", "nip": "197805122003121004"}
    ]


def test_documents_page_names_a_bad_nip(client, contest, organizer):
    client.force_login(organizer)

    response = client.post(
        reverse("results:documents", kwargs={"slug": contest.slug}),
        {
            "signatories-TOTAL_FORMS": "1",
            "signatories-INITIAL_FORMS": "0",
            "signatories-0-name": "Siti",
            "signatories-0-nip": "1234",
        },
    )

    assert response.status_code == 400
    assert "A NIP has 18 digits." in response.content.decode()
    assert not ResultsDocuments.objects.exists()


def test_documents_api_reads_and_saves(api, contest, organizer):
    api.force_authenticate(organizer)
    path = f"/api/v1/contests/{contest.slug}/results-documents/"

    before = api.get(path)
    saved = api.put(
        path,
        {
            "place": "Mataram",
            "minutes_signatories": [{"name": "Juri A", "nip": "197805122003121004"}],
        },
        format="json",
    )
    bad = api.put(path, {"minutes_number_pattern": "{oops}"}, format="json")

    assert before.status_code == 200
    assert before.json()["effective_minutes_number_pattern"] == (
        documents.DEFAULT_MINUTES_PATTERN
    )
    assert saved.status_code == 200
    assert saved.json()["place"] == "Mataram"
    assert saved.json()["minutes_signatories"][0]["nip"] == "197805122003121004"
    assert bad.status_code == 400
    assert "minutes_number_pattern" in bad.json()


def test_documents_api_409_once_frozen(api, contest, organizer, published):
    api.force_authenticate(organizer)

    response = api.put(
        f"/api/v1/contests/{contest.slug}/results-documents/",
        {"place": "Mataram"},
        format="json",
    )

    assert response.status_code == 409
    assert not ResultsDocuments.objects.filter(contest=contest).exists()


def test_minutes_rows_keep_their_number(contest, organizer, stage, scored):
    services.generate_minutes(stage=stage, by=organizer)

    assert StageMinutes.objects.get().number != ""
