"""Delegates imported from a table: preview (writes nothing), apply, page and API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from common.tabular import read_table
from contest.imports import import_delegates
from contest.models import Delegate
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
    ProvinceFactory,
    RegionFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def bima(db):
    return RegionFactory(
        code="52.72", name="Kota Bima", province=ProvinceFactory(code="52")
    )


@pytest.fixture
def mimika(db):
    return RegionFactory(
        code="94.04", name="Kabupaten Mimika", province=ProvinceFactory(code="94")
    )


CSV = (
    "Email;Region\n"
    "satu@example.id;52.72\n"
    "dua@example.id;Kabupaten Mimika\n"
    "bukan-surel;52.72\n"
    "tiga@example.id;Kota Atlantis\n"
)


def table(text=CSV):
    return read_table(text.encode("utf-8"))


def test_preview_announces_each_row_and_writes_nothing(
    contest, organizer, bima, mimika, table_rows
):
    before = table_rows()

    report = import_delegates(
        contest=contest, table=table(), by=organizer, dry_run=True
    )

    assert [(o.line, o.status, o.column) for o in report.outcomes] == [
        (2, "create", ""),
        (3, "create", ""),
        (4, "error", "email"),
        (5, "error", "region"),
    ]
    assert "Kota Atlantis" in report.outcomes[3].message
    assert table_rows() == before


def test_apply_creates_the_good_rows_and_reports_the_bad(
    contest, organizer, bima, mimika, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_delegates(
            contest=contest, table=table(), by=organizer, dry_run=False
        )

    assert (report.created, report.existing, report.errors) == (2, 0, 2)
    assert sorted(contest.delegates.values_list("user__email", "region__code")) == [
        ("dua@example.id", "94.04"),
        ("satu@example.id", "52.72"),
    ]
    assert Notification.objects.filter(event="invitation").count() == 2


def test_apply_twice_finds_the_rows_already_there(contest, organizer, bima, mimika):
    import_delegates(contest=contest, table=table(), by=organizer, dry_run=False)

    report = import_delegates(
        contest=contest, table=table(), by=organizer, dry_run=False
    )

    assert [o.status for o in report.outcomes] == ["exists", "exists", "error", "error"]
    assert contest.delegates.count() == 2


def test_delegate_of_another_region_is_refused_at_email(contest, organizer, bima):
    other = DelegateFactory(contest=contest)

    report = import_delegates(
        contest=contest,
        table=table(f"email,region\n{other.user.email},52.72\n"),
        by=organizer,
        dry_run=True,
    )

    assert report.outcomes[0].status == "error"
    assert report.outcomes[0].column == "email"
    assert other.region.name in report.outcomes[0].message


def test_same_address_twice_in_the_file_second_row_refused(contest, organizer, bima):
    text = "email,region\na@example.id,52.72\na@example.id,Kota Bima\n"
    other = RegionFactory(name="Kota Lain")
    text += f"a@example.id,{other.code}\n"

    report = import_delegates(
        contest=contest, table=table(text), by=organizer, dry_run=True
    )

    assert [o.status for o in report.outcomes] == ["create", "exists", "error"]


def test_region_type_outside_the_contest_is_refused_at_region(bima):
    contest = ContestFactory(eligible_region_types=["kabupaten"])

    report = import_delegates(
        contest=contest,
        table=table("email,region\na@example.id,52.72\n"),
        by=OrganizerFactory(contest=contest).user,
        dry_run=True,
    )

    assert report.outcomes[0].column == "region"


def test_missing_column_is_a_file_error(contest, organizer):
    from common.errors import DomainError

    with pytest.raises(DomainError) as caught:
        import_delegates(
            contest=contest, table=table("email\na@x.id\n"), by=organizer, dry_run=True
        )

    assert caught.value.field == "file"


def test_frozen_contest_refuses_the_whole_file(contest, organizer, bima):
    from django.utils import timezone

    from common.errors import DomainError

    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    with pytest.raises(DomainError) as caught:
        import_delegates(
            contest=contest,
            table=table("email,region\na@example.id,52.72\n"),
            by=organizer,
            dry_run=False,
        )

    assert caught.value.status == 409
    assert not contest.delegates.exists()


def test_only_an_organizer_may_import(contest, other_organizer, bima):
    from common.errors import DomainError

    with pytest.raises(DomainError) as caught:
        import_delegates(
            contest=contest,
            table=table("email,region\na@example.id,52.72\n"),
            by=other_organizer,
            dry_run=True,
        )

    assert caught.value.status == 403


# ---------- the page ----------


def page_url(contest):
    return reverse("contest:delegate-import", kwargs={"slug": contest.slug})


def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_page_upload_preview_confirm(client, contest, organizer, bima, mimika):
    client.force_login(organizer)

    response = client.post(page_url(contest), {"file": upload("d.csv", CSV)})
    assert response.status_code == 302
    assert not Delegate.objects.exists()
    preview = client.get(page_url(contest))
    body = preview.content.decode()
    assert 'data-import-row="create"' in body
    assert body.count('data-import-row="error"') == 2
    assert not Delegate.objects.exists()

    done = client.post(page_url(contest), {"confirm": "1"})

    assert done.status_code == 200
    assert contest.delegates.count() == 2
    assert "data-import-report" in done.content.decode()
    again = client.post(page_url(contest), {"confirm": "1"})
    assert again.status_code == 302
    assert contest.delegates.count() == 2


def test_page_preview_is_the_uploads_not_run_again(
    client, contest, organizer, bima, mimika, django_assert_max_num_queries
):
    client.force_login(organizer)
    client.post(page_url(contest), {"file": upload("d.csv", CSV)})
    # Had the rows run again, this row would now be "already there".
    DelegateFactory(
        contest=contest, region=bima, user=UserFactory(email="satu@example.id")
    )

    with django_assert_max_num_queries(12):
        body = client.get(page_url(contest)).content.decode()

    assert body.count('data-import-row="create"') == 2
    assert 'data-import-row="exists"' not in body
    done = client.post(page_url(contest), {"confirm": "1"})
    assert done.context["report"].existing == 1


def test_page_frozen_contest_is_a_form_error_409(client, contest, organizer, bima):
    from django.utils import timezone

    client.force_login(organizer)
    client.post(page_url(contest), {"file": upload("d.csv", CSV)})
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    upload_again = client.post(page_url(contest), {"file": upload("d.csv", CSV)})
    confirmed = client.post(page_url(contest), {"confirm": "1"})

    for response in (upload_again, confirmed):
        assert response.status_code == 409
        assert response.context["form"].non_field_errors()
        assert 'class="errorlist nonfield"' in response.content.decode()
    assert not contest.delegates.exists()


def test_page_discard_forgets_the_table(client, contest, organizer, bima):
    client.force_login(organizer)
    client.post(page_url(contest), {"file": upload("d.csv", CSV)})

    client.post(page_url(contest), {"discard": "1"})

    assert "data-import-preview" not in client.get(page_url(contest)).content.decode()


def test_page_unreadable_file_is_shown_at_the_field(client, contest, organizer):
    client.force_login(organizer)

    response = client.post(page_url(contest), {"file": upload("d.csv", "")})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_page_xlsx_upload(client, contest, organizer, bima):
    workbook = Workbook()
    workbook.active.append(["E-mail", "Kode daerah"])
    workbook.active.append(["x@example.id", "52.72"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(organizer)

    client.post(
        page_url(contest),
        {"file": SimpleUploadedFile("d.xlsx", buffer.getvalue())},
    )
    client.post(page_url(contest), {"confirm": "1"})

    assert contest.delegates.get().user.email == "x@example.id"


def test_delegates_page_links_the_import(client, contest, organizer):
    client.force_login(organizer)

    response = client.get(reverse("contest:delegates", kwargs={"slug": contest.slug}))

    assert page_url(contest) in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("organizer", 200), ("superuser", 200), ("other_organizer", 403)],
)
def test_page_permission(client, contest, request, role, status):
    client.force_login(request.getfixturevalue(role))

    assert client.get(page_url(contest)).status_code == status


def test_page_delegate_refused_and_anonymous_sent_to_sign_in(client, contest):
    response = client.get(page_url(contest))
    assert response.status_code == 302
    client.force_login(DelegateFactory(contest=contest).user)

    assert client.get(page_url(contest)).status_code == 403


# ---------- the API ----------


def api_url(contest):
    return reverse("delegate-import", kwargs={"contest_slug": contest.slug})


def test_api_dry_run_answers_rows_and_writes_nothing(api, contest, organizer, bima):
    api.force_authenticate(organizer)

    response = api.post(
        api_url(contest),
        {"file": upload("d.csv", CSV), "dry_run": "true"},
        format="multipart",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True
    assert [row["status"] for row in body["rows"]] == [
        "create",
        "error",
        "error",
        "error",
    ]
    assert body["rows"][1]["column"] == "region"
    assert not Delegate.objects.exists()


def test_api_apply_creates(api, contest, organizer, bima, mimika):
    api.force_authenticate(organizer)

    response = api.post(
        api_url(contest), {"file": upload("d.csv", CSV)}, format="multipart"
    )

    assert response.status_code == 201
    assert response.json()["created"] == 2
    assert contest.delegates.count() == 2


@pytest.mark.parametrize("text", ["", "email\nx@y.id\n"])
def test_api_bad_file_answers_400_naming_file(api, contest, organizer, text):
    api.force_authenticate(organizer)

    response = api.post(
        api_url(contest), {"file": upload("d.csv", text)}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_api_without_file_answers_400(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.post(api_url(contest), {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


def test_api_permission(api, contest, other_organizer):
    response = api.post(api_url(contest), {}, format="multipart")
    assert response.status_code == 401
    api.force_authenticate(other_organizer)
    assert api.post(api_url(contest), {}, format="multipart").status_code == 403
    api.force_authenticate(UserFactory())

    assert api.post(api_url(contest), {}, format="multipart").status_code in (
        403,
        404,
    )


def test_api_frozen_contest_answers_one_409(api, contest, organizer, bima):
    from django.utils import timezone

    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])
    api.force_authenticate(organizer)

    response = api.post(
        api_url(contest), {"file": upload("d.csv", CSV)}, format="multipart"
    )

    assert response.status_code == 409
    assert response.json()["detail"]
    assert not Delegate.objects.exists()


def test_api_far_row_number_xlsx_answers_400_at_once(api, contest, organizer):
    import time

    from tests.common.test_tabular import far_row_xlsx

    api.force_authenticate(organizer)
    started = time.monotonic()

    response = api.post(
        api_url(contest),
        {"file": SimpleUploadedFile("d.xlsx", far_row_xlsx())},
        format="multipart",
    )

    assert response.status_code == 400
    assert "10000" in response.json()["file"][0]
    assert time.monotonic() - started < 5


def test_api_too_much_text_answers_400_naming_file(api, contest, organizer):
    workbook = Workbook()
    workbook.active.append(["email", "region", *[f"c{i}" for i in range(48)]])
    for _ in range(45):
        workbook.active.append(["y" * 1999] * 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    api.force_authenticate(organizer)

    response = api.post(
        api_url(contest),
        {"file": SimpleUploadedFile("d.xlsx", buffer.getvalue())},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("d.csv", b"\xff\xfe\x00\x01garbage"),
        ("d.xlsx", b"PK\x03\x04 not a workbook"),
        ("d.xlsx", b"email,region\na@b.id,52.72\n"),
        ("d.csv", b"email,region\n" + b"x" * (2 * 1024 * 1024)),
    ],
)
def test_api_hostile_file_answers_400_naming_file(
    api, contest, organizer, name, content
):
    api.force_authenticate(organizer)

    response = api.post(
        api_url(contest),
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()
    assert not Delegate.objects.exists()


def test_api_formula_and_nul_cells_are_row_errors(api, contest, organizer, bima):
    api.force_authenticate(organizer)
    text = "email,region\n=cmd|' /C calc'!A0,52.72\nb@example.id,52\x0072\n"

    response = api.post(
        api_url(contest), {"file": upload("d.csv", text)}, format="multipart"
    )

    assert response.status_code == 201
    assert [(r["status"], r["column"]) for r in response.json()["rows"]] == [
        ("error", "email"),
        ("error", "region"),
    ]
    assert not Delegate.objects.exists()
