import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from judging.models import Score
from results import services
from results.models import Objection
from tests.factories.results import ProvisionalPublicationFactory
from tests.factories.submissions import EvidenceFactory

pytestmark = [pytest.mark.django_db]

ROLES = ["anonymous", "delegate", "judge", "other_organizer", "organizer", "superuser"]
PUBLIC_PAGES = ["public", "gallery", "verify", "snapshot", "export-csv", "export-xlsx"]


def url(name, contest, **kwargs):
    return reverse(f"results:{name}", kwargs={"slug": contest.slug, **kwargs})


@pytest.mark.parametrize("page", [*PUBLIC_PAGES, "certificate", "feedback"])
@pytest.mark.parametrize("role", ROLES)
def test_public_results_pages_404_before_publication(
    client, sign_in, contest, scored, entries, delegate_region, page, role
):
    sign_in(role)
    kwargs = {
        "certificate": {"award_id": 1},
        "feedback": {"code": delegate_region.pk},
    }.get(page, {})

    response = client.get(url(page, contest, **kwargs))

    assert response.status_code == 404
    assert b"84.67" not in response.content


@pytest.mark.parametrize("page", PUBLIC_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_public_results_pages_by_role_after_publication(
    client, sign_in, contest, published, page, role
):
    sign_in(role)

    response = client.get(url(page, contest))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_certificate_by_role_after_publication(
    client, sign_in, contest, published, role
):
    award = published.snapshot["awards"][0]
    sign_in(role)

    response = client.get(url("certificate", contest, award_id=award["id"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_certificate_of_an_unknown_award_is_404(client, contest, published):
    response = client.get(url("certificate", contest, award_id=999_999))

    assert response.status_code == 404


def test_certificate_only_with_the_final_publication(
    client, contest, scored, organizer
):
    services.give_place_awards(contest=contest, by=organizer, places=1)
    provisional = services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=2),
    )

    response = client.get(
        url("certificate", contest, award_id=provisional.snapshot["awards"][0]["id"])
    )

    assert response.status_code == 404


FEEDBACK_STATUS = [
    ("anonymous", 302),
    ("delegate", 200),
    ("judge", 404),
    ("other_organizer", 404),
    ("organizer", 200),
    ("superuser", 200),
]


@pytest.mark.parametrize(("role", "status"), FEEDBACK_STATUS)
def test_feedback_by_role_after_publication(
    client, sign_in, contest, published, delegate_region, role, status
):
    sign_in(role)

    response = client.get(url("feedback", contest, code=delegate_region.pk))

    assert response.status_code == status


def test_feedback_of_another_region_is_404_for_a_delegate(
    client, delegate, contest, published, entries
):
    client.force_login(delegate)

    response = client.get(url("feedback", contest, code=entries["E2"].region_id))

    assert response.status_code == 404


def test_feedback_shows_scores_against_the_median_without_judges_names(
    client, delegate, contest, published, delegate_region, judges
):
    client.force_login(delegate)

    response = client.get(url("feedback", contest, code=delegate_region.pk))

    feedback = response.context["feedback"]
    [entry] = feedback
    [stage] = entry.stages
    # Kebaruan: E1's sheets 8, 7, 9 → mean 8.00; the category's entry means are
    # 8, 6, 4 → median 6.00. Kemanfaatan: 9, 8, 9 → 8.67; medians of 8.67, 6.67,
    # 5.00 → 6.67.
    assert [
        (line.criterion.name, line.score, line.category_median, line.difference)
        for line in stage.criteria
    ] == [
        ("Kebaruan", Decimal("8.00"), Decimal("6.00"), Decimal("2.00")),
        ("Kemanfaatan", Decimal("8.67"), Decimal("6.67"), Decimal("2.00")),
    ]
    assert stage.criteria[0].comments == [
        "Catatan A untuk E1.",
        "Catatan B untuk E1.",
        "Catatan C untuk E1.",
    ]
    content = response.content.decode()
    for judge in judges.values():
        assert judge.name not in content
        assert judge.user.email not in content


def test_feedback_is_404_after_a_provisional_publication_only(
    client, delegate, contest, scored, organizer, delegate_region
):
    services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=2),
    )
    client.force_login(delegate)

    response = client.get(url("feedback", contest, code=delegate_region.pk))

    assert response.status_code == 404


def test_public_page_shows_the_winners_from_the_snapshot(
    client, contest, published, entries
):
    response = client.get(url("public", contest))

    content = response.content.decode()
    assert "Terbaik I" in content
    assert entries["E1"].title in content
    assert entries["E1"].region.name in content
    assert "84.67" in content
    assert published.digest in content


def test_public_output_reads_the_snapshot_not_live_tables(
    client, api, contest, published, scored, criteria, entries
):
    before_page = client.get(url("public", contest)).content.decode()
    before_csv = client.get(url("export-csv", contest)).content
    before_api = api.get(f"/api/v1/contests/{contest.slug}/results/").json()
    Score.objects.filter(sheet__assignment__submission=entries["E1"]).update(
        value=Decimal("1")
    )
    entries["E1"].title = "Judul baru"
    entries["E1"].save()

    after_page = client.get(url("public", contest)).content.decode()
    after_csv = client.get(url("export-csv", contest)).content
    after_api = api.get(f"/api/v1/contests/{contest.slug}/results/").json()

    assert "84.67" in after_page
    assert "Saninu (E-Lapor)" in after_page
    assert "Judul baru" not in after_page
    assert after_csv == before_csv
    assert after_api == before_api
    assert "84.67" in before_page


def test_public_page_shows_the_winners_photo(
    client, contest, scored, entries, organizer
):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, "JPEG")
    photo = EvidenceFactory(
        submission=entries["E1"],
        content_type="image/jpeg",
        thumbnail=ContentFile(buffer.getvalue(), name="t.jpg"),
    )
    services.give_place_awards(contest=contest, by=organizer, places=1)
    services.publish_contest(contest=contest, by=organizer)

    page = client.get(url("public", contest))
    image = client.get(url("photo", contest, evidence_pk=photo.pk))

    assert url("photo", contest, evidence_pk=photo.pk) in page.content.decode()
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image.content == buffer.getvalue()


def test_photo_not_in_the_snapshot_is_404(client, contest, published, entries):
    other = EvidenceFactory(submission=entries["E2"])

    response = client.get(url("photo", contest, evidence_pk=other.pk))

    assert response.status_code == 404


def test_gallery_searches_the_published_entries(client, contest, published, entries):
    response = client.get(url("gallery", contest), {"q": "bandung"})

    titles = [entry["title"] for entry in response.context["page_obj"].object_list]
    assert titles == [entries["E3"].title]


def test_gallery_filters_by_category_and_region_type(
    client, contest, published, entries
):
    category = entries["E1"].category.slug

    by_category = client.get(url("gallery", contest), {"category": category})
    by_type = client.get(url("gallery", contest), {"region_type": "provinsi"})

    assert by_category.context["page_obj"].paginator.count == 3
    assert by_type.context["page_obj"].paginator.count == 0


@pytest.mark.parametrize("count", [1, 3])
def test_gallery_queries_do_not_grow_with_entries(
    client,
    contest,
    stage,
    criteria,
    judges,
    category,
    organizer,
    count,
    django_assert_num_queries,
):
    from tests.factories.judging import EligibleSubmissionFactory
    from tests.factories.results import submitted_sheet

    for index in range(count):
        submission = EligibleSubmissionFactory(contest=contest, category=category)
        submitted_sheet(
            stage=stage,
            judge=judges["A"],
            submission=submission,
            values={criteria[0]: 5 + index, criteria[1]: 5},
        )
    services.publish_contest(contest=contest, by=organizer)

    with django_assert_num_queries(2):
        response = client.get(url("gallery", contest))

    assert response.context["page_obj"].paginator.count == count


def test_gallery_paginates(client, contest, published, monkeypatch):
    from results.views import public

    monkeypatch.setattr(public, "GALLERY_PAGE_SIZE", 2)

    first = client.get(url("gallery", contest))
    second = client.get(url("gallery", contest), {"page": 2})

    assert len(first.context["page_obj"].object_list) == 2
    assert len(second.context["page_obj"].object_list) == 1


def test_verify_page_computes_the_digest_of_a_pasted_snapshot(
    client, contest, published
):
    snapshot = client.get(url("snapshot", contest)).content.decode()

    matching = client.post(url("verify", contest), {"snapshot": snapshot})
    other = client.post(url("verify", contest), {"snapshot": '{"a": 1}'})
    broken = client.post(url("verify", contest), {"snapshot": "{"})

    assert matching.context["computed"] == published.digest
    assert matching.context["matches"] is True
    assert "It matches the published digest." in matching.content.decode()
    assert other.context["matches"] is False
    assert "not valid JSON" in broken.content.decode()


def test_snapshot_download_is_the_canonical_json(client, contest, published):
    import hashlib

    response = client.get(url("snapshot", contest))

    assert hashlib.sha256(response.content).hexdigest() == published.digest
    assert response["X-Content-SHA256"] == published.digest


def test_exports_hold_the_published_figures(client, contest, published, entries):
    from openpyxl import load_workbook

    csv_text = client.get(url("export-csv", contest)).content.decode("utf-8-sig")
    xlsx = client.get(url("export-xlsx", contest)).content

    lines = csv_text.splitlines()
    assert lines[0].startswith("Entry ID,Category,Region code")
    assert any(
        line.startswith(f"{entries['E1'].pk},") and "84.67" in line for line in lines
    )
    assert lines[-1] == f"SHA-256 of the published results,{published.digest}"
    workbook = load_workbook(io.BytesIO(xlsx))
    rows = list(workbook.worksheets[0].values)
    e1 = next(row for row in rows[1:] if row[0] == entries["E1"].pk)
    assert Decimal(str(e1[8])) == Decimal("84.67")
    assert workbook.worksheets[1]["B4"].value == published.digest


def test_csv_export_neutralizes_formulas(client, contest, scored, entries, organizer):
    entries["E2"].title = '=HYPERLINK("http://x")'
    entries["E2"].save()
    services.publish_contest(contest=contest, by=organizer)

    csv_text = client.get(url("export-csv", contest)).content.decode("utf-8-sig")

    assert "'=HYPERLINK" in csv_text


def test_export_headers_neutralize_a_stage_named_as_a_formula(
    client, contest, stage, scored, organizer
):
    from openpyxl import load_workbook

    stage.name = '=HYPERLINK("http://x","klik")'
    stage.save()
    services.publish_contest(contest=contest, by=organizer)

    csv_text = client.get(url("export-csv", contest)).content.decode("utf-8-sig")
    xlsx = client.get(url("export-xlsx", contest)).content

    header = csv_text.splitlines()[0]
    assert ",=HYPERLINK" not in header
    assert "'=HYPERLINK" in header
    cells = [c.value for c in load_workbook(io.BytesIO(xlsx)).worksheets[0][1]]
    stage_cells = [c for c in cells if "HYPERLINK" in c]
    assert len(stage_cells) == 3
    assert all(c.startswith("'=") for c in stage_cells)


@pytest.fixture
def objection_window(contest, scored, organizer):
    return services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=2),
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 200),
        ("judge", 403),
        ("other_organizer", 403),
        ("organizer", 403),
        ("superuser", 403),  # the predicate itself, as the service asks it
    ],
)
def test_objection_page_by_role(
    client, sign_in, contest, objection_window, role, status
):
    sign_in(role)

    response = client.get(url("object", contest))

    assert response.status_code == status


def test_objection_page_is_404_without_a_window(client, delegate, contest, scored):
    client.force_login(delegate)

    response = client.get(url("object", contest))

    assert response.status_code == 404


def test_objection_page_files_an_objection(
    client, delegate, contest, objection_window, entries
):
    client.force_login(delegate)

    response = client.post(
        url("object", contest),
        {"submission": entries["E2"].pk, "text": "Data dukung tidak lengkap."},
    )

    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.submission, objection.filed_by, objection.text) == (
        entries["E2"],
        delegate,
        "Data dukung tidak lengkap.",
    )


def test_provisional_results_are_public_with_the_window(
    client, contest, objection_window
):
    response = client.get(url("public", contest))

    assert response.status_code == 200
    assert "objections (masa sanggah) are open" in response.content.decode()


def test_provisional_factory_publication_is_public(client, contest):
    ProvisionalPublicationFactory(contest=contest)

    response = client.get(url("gallery", contest))

    assert response.status_code == 200


def test_public_page_shows_times_in_the_contests_time_zone(client, contest, published):
    from django.utils import dateformat

    local = timezone.localtime(published.published_at, contest.tzinfo)

    response = client.get(url("public", contest))

    expected = f"published {dateformat.format(local, 'j M Y, H:i')} WITA"
    assert expected in response.content.decode()


def test_stage_page_without_a_rubric_shows_no_figures(
    client, organizer, contest, stage
):
    client.force_login(organizer)

    response = client.get(url("stage", contest, stage_pk=stage.pk))

    assert response.status_code == 200
    assert response.context["page"].computation.results is None


def test_verify_page_refuses_a_snapshot_nested_too_deeply(client, contest, published):
    deep = "[" * 100_000 + "]" * 100_000

    response = client.post(url("verify", contest), {"snapshot": deep})

    assert response.status_code < 500
    assert response.context["form"].errors["snapshot"] == [
        "This JSON is nested too deeply to be a published snapshot."
    ]
