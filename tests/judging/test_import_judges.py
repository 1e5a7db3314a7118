"""Judges imported from a table: preview (writes nothing), apply, page and API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.tabular import read_table
from judging.imports import import_judges
from judging.models import Judge
from tests.factories.contest import CategoryFactory, ProvinceFactory, RegionFactory
from tests.factories.judging import JudgeFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def bima(db):
    return RegionFactory(
        code="52.72", name="Kota Bima", province=ProvinceFactory(code="52")
    )


@pytest.fixture
def health(contest):
    return CategoryFactory(contest=contest, name="Kesehatan", slug="kesehatan")


@pytest.fixture
def economy(contest):
    return CategoryFactory(contest=contest, name="Ekonomi", slug="ekonomi")


CSV = (
    "Email;Nama;Daerah asal;Kategori\n"
    "juri1@example.id;Dr. Sari;52.72;kesehatan, Ekonomi\n"
    "juri2@example.id;Budi;;\n"
    "juri3@example.id;Citra;Kota Atlantis;kesehatan\n"
    "juri4@example.id;Dewi;;Pariwisata\n"
)


def table(text=CSV):
    return read_table(text.encode("utf-8"))


def test_preview_names_each_bad_column_and_writes_nothing(
    contest, organizer, bima, health, economy, table_rows
):
    before = table_rows()

    report = import_judges(contest=contest, table=table(), by=organizer, dry_run=True)

    assert [(o.status, o.column) for o in report.outcomes] == [
        ("create", ""),
        ("create", ""),
        ("error", "daerah_asal"),
        ("error", "kategori"),
    ]
    assert "Pariwisata" in report.outcomes[3].message
    assert table_rows() == before


def test_apply_creates_judges_with_region_and_expertise(
    contest, organizer, bima, health, economy
):
    report = import_judges(contest=contest, table=table(), by=organizer, dry_run=False)

    assert (report.created, report.errors) == (2, 2)
    judge = Judge.objects.get(user__email="juri1@example.id")
    assert (judge.name, judge.home_region_id) == ("Dr. Sari", "52.72")
    assert set(judge.categories.values_list("slug", flat=True)) == {
        "kesehatan",
        "ekonomi",
    }
    assert Judge.objects.get(user__email="juri2@example.id").home_region is None


def test_existing_judge_is_left_unchanged(contest, organizer, health):
    judge = JudgeFactory(contest=contest, name="Lama")

    report = import_judges(
        contest=contest,
        table=table(f"email,name\n{judge.user.email.upper()},Baru\n"),
        by=organizer,
        dry_run=False,
    )

    assert report.outcomes[0].status == "exists"
    judge.refresh_from_db()
    assert judge.name == "Lama"


def test_same_address_twice_second_is_there(contest, organizer):
    report = import_judges(
        contest=contest,
        table=table("email\na@example.id\nA@example.id\n"),
        by=organizer,
        dry_run=True,
    )

    assert [o.status for o in report.outcomes] == ["create", "exists"]


def test_category_of_another_contest_is_refused(contest, organizer):
    CategoryFactory(slug="lain")

    report = import_judges(
        contest=contest,
        table=table("email,categories\na@example.id,lain\n"),
        by=organizer,
        dry_run=True,
    )

    assert report.outcomes[0].column == "categories"


def test_name_too_long_is_refused_at_name(contest, organizer):
    report = import_judges(
        contest=contest,
        table=table("email,name\na@example.id," + "x" * 151 + "\n"),
        by=organizer,
        dry_run=True,
    )

    assert report.outcomes[0].column == "name"


def page_url(contest):
    return reverse("judging:judge-import", kwargs={"slug": contest.slug})


def upload(text):
    return SimpleUploadedFile("j.csv", text.encode("utf-8"), content_type="text/csv")


def test_page_upload_preview_confirm(client, contest, organizer, bima, health, economy):
    client.force_login(organizer)

    client.post(page_url(contest), {"file": upload(CSV)})
    body = client.get(page_url(contest)).content.decode()
    assert body.count('data-import-row="error"') == 2
    assert not Judge.objects.exists()

    client.post(page_url(contest), {"confirm": "1"})

    assert Judge.objects.filter(contest=contest).count() == 2


def test_panels_page_links_the_import(client, contest, organizer):
    client.force_login(organizer)

    response = client.get(reverse("judging:panels", kwargs={"slug": contest.slug}))

    assert page_url(contest) in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("organizer", 200), ("superuser", 200), ("other_organizer", 403)],
)
def test_page_permission(client, contest, request, role, status):
    client.force_login(request.getfixturevalue(role))

    assert client.get(page_url(contest)).status_code == status


def test_page_judge_refused(client, contest):
    client.force_login(JudgeFactory(contest=contest).user)

    assert client.get(page_url(contest)).status_code == 403


def api_url(contest):
    return reverse("judge-import", kwargs={"contest_slug": contest.slug})


def test_api_dry_run_then_apply(api, contest, organizer, bima, health, economy):
    api.force_authenticate(organizer)

    dry = api.post(
        api_url(contest), {"file": upload(CSV), "dry_run": True}, format="multipart"
    )
    assert dry.status_code == 200
    assert [r["status"] for r in dry.json()["rows"]] == [
        "create",
        "create",
        "error",
        "error",
    ]
    assert not Judge.objects.exists()

    applied = api.post(api_url(contest), {"file": upload(CSV)}, format="multipart")

    assert applied.status_code == 201
    assert applied.json()["created"] == 2
    assert Judge.objects.count() == 2


def test_api_permission(api, contest, other_organizer):
    assert api.post(api_url(contest), {}, format="multipart").status_code == 401
    api.force_authenticate(other_organizer)

    assert api.post(api_url(contest), {}, format="multipart").status_code == 403


def test_api_frozen_contest_answers_one_409(api, contest, organizer, health):
    from django.utils import timezone

    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])
    api.force_authenticate(organizer)

    response = api.post(api_url(contest), {"file": upload(CSV)}, format="multipart")

    assert response.status_code == 409
    assert response.json()["detail"]
    assert not Judge.objects.exists()


def test_only_an_organizer_may_import(contest, other_organizer):
    from common.errors import DomainError

    with pytest.raises(DomainError) as caught:
        import_judges(
            contest=contest, table=table(CSV), by=other_organizer, dry_run=True
        )

    assert caught.value.status == 403
