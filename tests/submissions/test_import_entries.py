"""Entries collected offline, imported from a table as drafts of their regions."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from common.tabular import read_table
from contest.models import AuditEntry
from notifications.models import Notification
from submissions.enums import SubmissionState
from submissions.imports import import_entries, parse_date
from submissions.models import Submission
from tests.factories.contest import (
    CategoryFactory,
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
def health(contest):
    return CategoryFactory(contest=contest, name="Kesehatan", slug="kesehatan")


@pytest.fixture
def bima_delegate(contest, bima):
    return DelegateFactory(contest=contest, region=bima)


CSV = (
    "Daerah;Kategori;Judul;Ringkasan;Tanggal mulai;OPD\n"
    "52.72;kesehatan;Saninu;Aduan warga lewat aplikasi;01/03/2021;Diskominfo\n"
    "Kota Bima;Kesehatan;Command Center;Pusat kendali;2021-06-01;Diskominfo\n"
    "52.72;pariwisata;Lain;x;;\n"
    "52.72;kesehatan;Tanggal salah;x;31 Mei;\n"
)


def table(text=CSV):
    return read_table(text.encode("utf-8"))


def test_preview_writes_nothing(contest, organizer, health, bima_delegate, table_rows):
    before = table_rows()

    report = import_entries(contest=contest, table=table(), by=organizer, dry_run=True)

    assert [(o.status, o.column) for o in report.outcomes] == [
        ("create", ""),
        ("create", ""),
        ("error", "kategori"),
        ("error", "tanggal_mulai"),
    ]
    assert table_rows() == before


def test_apply_creates_drafts_by_the_regions_delegate(
    contest, organizer, health, bima_delegate
):
    report = import_entries(contest=contest, table=table(), by=organizer, dry_run=False)

    assert report.created == 2
    entry = Submission.objects.get(title="Saninu")
    assert entry.state == SubmissionState.DRAFT
    assert entry.region_id == "52.72"
    assert entry.created_by == bima_delegate.user
    assert entry.started_on == dt.date(2021, 3, 1)
    assert entry.agency == "Diskominfo"


def test_apply_twice_finds_the_entries_there(contest, organizer, health, bima_delegate):
    import_entries(contest=contest, table=table(), by=organizer, dry_run=False)

    report = import_entries(contest=contest, table=table(), by=organizer, dry_run=False)

    assert [o.status for o in report.outcomes][:2] == ["exists", "exists"]
    assert Submission.objects.count() == 2


def test_region_without_delegate_is_refused_at_region(contest, organizer, health, bima):
    report = import_entries(
        contest=contest,
        table=table("region,category,title\n52.72,kesehatan,X\n"),
        by=organizer,
        dry_run=True,
    )

    assert report.outcomes[0].column == "region"


def test_named_delegate_enters_for_their_region(contest, organizer, health, bima):
    delegate = DelegateFactory(contest=contest, region=bima)

    report = import_entries(
        contest=contest,
        table=table(f"delegate,category,title\n{delegate.user.email},kesehatan,X\n"),
        by=organizer,
        dry_run=False,
    )

    assert report.created == 1
    assert Submission.objects.get().created_by == delegate.user


def test_unknown_delegate_is_refused_at_delegate(contest, organizer, health):
    report = import_entries(
        contest=contest,
        table=table("delegate,category,title\nnobody@example.id,kesehatan,X\n"),
        by=organizer,
        dry_run=True,
    )

    assert report.outcomes[0].column == "delegate"


def test_limit_per_region_is_the_services(bima):
    contest = ContestFactory(max_entries_per_region=1)
    CategoryFactory(contest=contest, slug="kesehatan")
    DelegateFactory(contest=contest, region=bima)

    report = import_entries(
        contest=contest,
        table=table("region,category,title\n52.72,kesehatan,A\n52.72,kesehatan,B\n"),
        by=OrganizerFactory(contest=contest).user,
        dry_run=True,
    )

    assert [o.status for o in report.outcomes] == ["create", "error"]


def closed_contest(bima):
    now = timezone.now()
    contest = ContestFactory(
        submission_opens=now - dt.timedelta(days=20),
        submission_closes=now - dt.timedelta(days=1),
    )
    CategoryFactory(contest=contest, slug="kesehatan")
    DelegateFactory(contest=contest, region=bima)
    return contest


def test_closed_window_refuses_the_whole_file(bima):
    contest = closed_contest(bima)

    with pytest.raises(DomainError) as caught:
        import_entries(
            contest=contest,
            table=table("region,category,title\n52.72,kesehatan,A\n"),
            by=OrganizerFactory(contest=contest).user,
            dry_run=False,
        )

    assert caught.value.status == 409
    assert "closed" in str(caught.value.message)
    assert not Submission.objects.exists()


def test_frozen_contest_refuses_the_whole_file(contest, organizer, health):
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    with pytest.raises(DomainError) as caught:
        import_entries(contest=contest, table=table(), by=organizer, dry_run=True)

    assert caught.value.status == 409


def test_only_an_organizer_may_import(contest, bima_delegate, health):
    with pytest.raises(DomainError) as caught:
        import_entries(
            contest=contest, table=table(), by=bima_delegate.user, dry_run=True
        )

    assert caught.value.status == 403
    assert not Submission.objects.exists()


def test_the_ledger_names_the_organizer_and_the_delegate_is_told(
    contest, organizer, health, bima_delegate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_entries(contest=contest, table=table(), by=organizer, dry_run=False)

    entry = Submission.objects.get(title="Saninu")
    record = AuditEntry.objects.get(action="submission.created", object_id=entry.pk)
    assert record.actor == organizer
    assert record.data["on_behalf_of"] == bima_delegate.user.email
    assert record.data["delegate"] == bima_delegate.user_id
    told = Notification.objects.filter(event="submission.imported")
    assert told.count() == 2
    assert {n.recipient for n in told} == {bima_delegate.user}
    assert told.first().context["entry_title"] in {"Saninu", "Command Center"}


def test_the_imported_mail_renders(contest, organizer, health, bima_delegate):
    from notifications.rendering import render

    import_entries(contest=contest, table=table(), by=organizer, dry_run=False)
    row = Notification.objects.filter(event="submission.imported").first()

    mail = render(row)

    assert row.context["entry_title"] in mail.subject
    assert row.context["url"] in mail.text
    assert row.context["url"] in mail.html
    assert organizer.name in mail.text


def test_preview_tells_no_one(contest, organizer, health, bima_delegate):
    import_entries(contest=contest, table=table(), by=organizer, dry_run=True)

    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="submission.created").exists()


def test_deactivated_delegate_is_refused_and_passed_over(
    contest, organizer, health, bima
):
    gone = DelegateFactory(contest=contest, region=bima)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    text = (
        "delegate,region,category,title\n"
        f"{gone.user.email},,kesehatan,Named\n"
        ",52.72,kesehatan,By region\n"
    )

    report = import_entries(
        contest=contest, table=table(text), by=organizer, dry_run=True
    )

    assert [(o.status, o.column) for o in report.outcomes] == [
        ("error", "delegate"),
        ("error", "region"),
    ]
    assert "deactivated" in report.outcomes[0].message
    active = DelegateFactory(contest=contest, region=bima)
    applied = import_entries(
        contest=contest, table=table(text), by=organizer, dry_run=False
    )
    assert [o.status for o in applied.outcomes] == ["error", "create"]
    assert Submission.objects.get().created_by == active.user


def test_bad_link_is_named_as_a_web_address(contest, organizer, health, bima_delegate):
    text = "region,category,title,links\n52.72,kesehatan,X,javascript:alert(1)\n"

    report = import_entries(
        contest=contest, table=table(text), by=organizer, dry_run=True
    )

    outcome = report.outcomes[0]
    assert (outcome.status, outcome.column) == ("error", "links")
    assert "http://" in outcome.message
    assert "JSON" not in outcome.message


def test_missing_title_column_is_a_file_error(contest, organizer):
    from common.errors import DomainError

    with pytest.raises(DomainError):
        import_entries(
            contest=contest,
            table=table("region,category\n52.72,x\n"),
            by=organizer,
            dry_run=True,
        )


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2021-03-01", dt.date(2021, 3, 1)),
        ("01/03/2021", dt.date(2021, 3, 1)),
        ("2021-03-01T00:00:00", dt.date(2021, 3, 1)),
        ("", None),
    ],
)
def test_parse_date(text, date):
    assert parse_date(text, column="c") == date


def page_url(contest):
    return reverse("submissions:entry-import", kwargs={"slug": contest.slug})


def upload(text):
    return SimpleUploadedFile("e.csv", text.encode("utf-8"), content_type="text/csv")


def test_page_upload_preview_confirm(client, contest, organizer, health, bima_delegate):
    client.force_login(organizer)

    client.post(page_url(contest), {"file": upload(CSV)})
    body = client.get(page_url(contest)).content.decode()
    assert body.count('data-import-row="error"') == 2
    assert not Submission.objects.exists()

    client.post(page_url(contest), {"confirm": "1"})

    assert Submission.objects.filter(contest=contest).count() == 2


def test_screening_page_links_the_import(client, contest, organizer):
    client.force_login(organizer)

    response = client.get(
        reverse("submissions:screening", kwargs={"slug": contest.slug})
    )

    assert page_url(contest) in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("organizer", 200), ("other_organizer", 403), ("delegate", 403)],
)
def test_page_permission(client, contest, request, role, status):
    client.force_login(request.getfixturevalue(role))

    assert client.get(page_url(contest)).status_code == status


def api_url(contest):
    return reverse("submission-import", kwargs={"contest_slug": contest.slug})


def test_api_dry_run_and_apply(api, contest, organizer, health, bima_delegate):
    api.force_authenticate(organizer)

    dry = api.post(
        api_url(contest), {"file": upload(CSV), "dry_run": "1"}, format="multipart"
    )
    applied = api.post(api_url(contest), {"file": upload(CSV)}, format="multipart")

    assert dry.status_code == 200
    assert dry.json()["rows"][2]["column"] == "kategori"
    assert applied.status_code == 201
    assert applied.json()["created"] == 2


def test_api_closed_window_answers_one_409(api, bima):
    contest = closed_contest(bima)
    api.force_authenticate(OrganizerFactory(contest=contest).user)
    text = "region,category,title\n52.72,kesehatan,A\n"

    response = api.post(api_url(contest), {"file": upload(text)}, format="multipart")

    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_page_closed_window_is_a_form_error_409(client, bima):
    contest = closed_contest(bima)
    client.force_login(OrganizerFactory(contest=contest).user)
    text = "region,category,title\n52.72,kesehatan,A\n"

    response = client.post(page_url(contest), {"file": upload(text)})

    assert response.status_code == 409
    assert response.context["form"].non_field_errors()


def test_api_permission(api, contest, delegate):
    assert api.post(api_url(contest), {}, format="multipart").status_code == 401
    api.force_authenticate(delegate)

    assert api.post(api_url(contest), {}, format="multipart").status_code == 403
