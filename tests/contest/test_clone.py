"""Copying a contest for its next edition (contest.lifecycle.clone_contest) through
the service, the page and the API."""

import datetime as dt
import html
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import call_command

from common.errors import DomainError
from contest import lifecycle
from contest import services as contest_services
from contest.models import AuditEntry, Contest
from judging import services as judging_services
from tests.factories.accounts import UserFactory
from tests.factories.contest import DelegateFactory, RegionFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
LEVELS = [{"score": 2, "description": "Baru di daerahnya"}]


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def owner(db):
    return UserFactory(can_create_contests=True)


@pytest.fixture
def edition(owner, django_capture_on_commit_callbacks):
    """KKDI 2024 as the services make it: two categories, a screening and a
    scoring stage with a rubric, a co-organizer, a judge, a delegate, an entry."""
    with django_capture_on_commit_callbacks(execute=True):
        contest = contest_services.create_contest(
            by=owner,
            name="Kontes Kepala Daerah Inovatif 2024",
            slug="kkdi-2024",
            host_region=RegionFactory(),
            timezone="Asia/Makassar",
            submission_opens=dt.datetime(2024, 2, 29, 8, 0, tzinfo=WITA),
            submission_closes=dt.datetime(2024, 5, 31, 23, 59, tzinfo=WITA),
            eligible_region_types=["kota"],
            max_entries_per_region=2,
            is_public=True,
        )
        for order, (name, slug) in enumerate(
            [("Pelayanan Publik", "pelayanan-publik"), ("Kesehatan", "kesehatan")]
        ):
            contest_services.create_category(
                contest=contest, by=owner, name=name, slug=slug, order=order
            )
        contest_services.create_stage(
            contest=contest,
            by=owner,
            name="Seleksi",
            order=1,
            kind="screening",
            opens=dt.datetime(2024, 6, 1, 8, 0, tzinfo=WITA),
            closes=dt.datetime(2024, 6, 14, 17, 0, tzinfo=WITA),
        )
        desk = contest_services.create_stage(
            contest=contest,
            by=owner,
            name="Penilaian Dokumen",
            order=2,
            kind="scoring",
            opens=dt.datetime(2024, 6, 15, 8, 0, tzinfo=WITA),
            closes=dt.datetime(2024, 7, 15, 17, 0, tzinfo=WITA),
            judges_per_entry=3,
            advance_per_category=5,
        )
        contest_services.create_criterion(
            stage=desk, by=owner, name="Kebaruan", weight=30, levels=LEVELS, order=1
        )
        contest_services.create_criterion(
            stage=desk, by=owner, name="Kemanfaatan", weight=25, order=2
        )
        contest_services.add_organizer(
            contest=contest, user=UserFactory(email="wakil@example.id"), by=owner
        )
        judging_services.invite_judge(
            contest=contest, email="juri@example.id", by=owner
        )
    DelegateFactory(contest=contest)
    SubmissionFactory(contest=contest, category=contest.categories.first())
    return contest


def test_clone_copies_the_set_up_one_year_later(edition, owner):
    new = lifecycle.clone_contest(
        contest=edition,
        by=owner,
        name="Kontes Kepala Daerah Inovatif 2025",
        slug="kkdi-2025",
        shift=lifecycle.Shift(years=1),
    )

    assert new.submission_opens == dt.datetime(2025, 2, 28, 8, 0, tzinfo=WITA)
    assert new.submission_closes == dt.datetime(2025, 5, 31, 23, 59, tzinfo=WITA)
    assert (new.timezone, new.eligible_region_types, new.max_entries_per_region) == (
        "Asia/Makassar",
        ["kota"],
        2,
    )
    assert new.is_public is False
    assert list(new.categories.values_list("slug", "order")) == [
        ("pelayanan-publik", 0),
        ("kesehatan", 1),
    ]
    stages = list(new.stages.order_by("order"))
    assert [(s.name, s.kind) for s in stages] == [
        ("Seleksi", "screening"),
        ("Penilaian Dokumen", "scoring"),
    ]
    assert stages[1].opens == dt.datetime(2025, 6, 15, 8, 0, tzinfo=WITA)
    assert (stages[1].judges_per_entry, stages[1].advance_per_category) == (3, 5)
    criteria = list(stages[1].criteria.order_by("order"))
    assert [(c.name, c.weight, c.levels) for c in criteria] == [
        ("Kebaruan", Decimal("30.00"), LEVELS),
        ("Kemanfaatan", Decimal("25.00"), []),
    ]


def test_clone_leaves_entries_judges_delegates_and_other_organizers(edition, owner):
    new = lifecycle.clone_contest(
        contest=edition,
        by=owner,
        name="KKDI 2025",
        slug="kkdi-2025",
        shift=lifecycle.Shift(years=1),
    )

    assert new.submissions.count() == 0
    assert new.judges.count() == 0
    assert new.delegates.count() == 0
    assert list(new.organizers.values_list("user", flat=True)) == [owner.pk]


def test_clone_with_organizers_copies_them_and_is_recorded(edition, owner):
    new = lifecycle.clone_contest(
        contest=edition,
        by=owner,
        name="KKDI 2025",
        slug="kkdi-2025",
        shift=lifecycle.Shift(delta=dt.timedelta(days=7)),
        include_organizers=True,
    )

    emails = sorted(new.organizers.values_list("user__email", flat=True))
    assert emails == sorted([owner.email, "wakil@example.id"])
    entry = AuditEntry.objects.get(action="contest.cloned")
    assert (entry.contest_id, entry.data["from"]) == (new.pk, "kkdi-2024")
    assert entry.data["seconds"] == 7 * 86400
    out = io.StringIO()
    call_command("verify_ledger", stdout=out, stderr=io.StringIO())
    assert "The ledger is intact" in out.getvalue()


def test_clone_of_a_frozen_contest_is_allowed(edition, owner):
    Contest.objects.filter(pk=edition.pk).update(frozen_at=edition.submission_closes)
    edition.refresh_from_db()

    new = lifecycle.clone_contest(
        contest=edition,
        by=owner,
        name="KKDI 2025",
        slug="kkdi-2025",
        shift=lifecycle.Shift(years=1),
    )

    assert new.frozen_at is None
    assert new.stages.count() == 2


def test_clone_refused_to_an_organizer_without_creator_right(edition):
    co_organizer = edition.organizers.get(user__email="wakil@example.id").user

    with pytest.raises(DomainError) as caught:
        lifecycle.clone_contest(
            contest=edition,
            by=co_organizer,
            name="KKDI 2025",
            slug="kkdi-2025",
            shift=lifecycle.Shift(years=1),
        )

    assert caught.value.status == 403
    assert not Contest.objects.filter(slug="kkdi-2025").exists()


def test_clone_page_suggests_next_year_and_keeps_a_taken_slug(client, edition, owner):
    client.force_login(owner)
    url = "/manage/kkdi-2024/clone/"

    page = html.unescape(client.get(url).content.decode())
    taken = client.post(
        url, {"name": "KKDI Baru", "slug": "kkdi-2024", "shift": "year"}
    )

    assert 'value="Kontes Kepala Daerah Inovatif 2025"' in page
    assert 'value="kkdi-2025"' in page
    assert taken.status_code == 200
    assert taken.context["form"].errors["slug"]
    assert 'value="KKDI Baru"' in taken.content.decode()
    assert Contest.objects.count() == 1


def test_clone_page_new_opening_date_moves_every_date(client, edition, owner):
    client.force_login(owner)

    response = client.post(
        "/manage/kkdi-2024/clone/",
        {
            "name": "KKDI 2025",
            "slug": "kkdi-2025",
            "shift": "opens",
            "submission_opens": "2025-03-10T08:00",
        },
    )

    new = Contest.objects.get(slug="kkdi-2025")
    assert response.status_code == 302
    assert response["Location"] == "/manage/kkdi-2025/"
    assert new.submission_opens == dt.datetime(2025, 3, 10, 8, 0, tzinfo=WITA)
    shift = new.submission_opens - edition.submission_opens
    desk = new.stages.get(order=2)
    assert desk.opens == edition.stages.get(order=2).opens + shift


def test_clone_page_days_needs_a_number(client, edition, owner):
    client.force_login(owner)

    response = client.post(
        "/manage/kkdi-2024/clone/",
        {"name": "KKDI 2025", "slug": "kkdi-2025", "shift": "days"},
    )

    assert response.context["form"].errors["days"] == ["Give the number of days."]


def test_clone_api_creates_and_names_fields(api, edition, owner):
    api.force_authenticate(owner)
    url = "/api/v1/contests/kkdi-2024/clone/"

    created = api.post(
        url,
        {"name": "KKDI 2025", "slug": "kkdi-2025", "shift_days": 365},
        format="json",
    )
    taken = api.post(url, {"name": "KKDI 2026", "slug": "kkdi-2025"}, format="json")
    both = api.post(
        url,
        {
            "name": "KKDI 2027",
            "slug": "kkdi-2027",
            "shift_years": 1,
            "submission_opens": "2027-03-01T08:00:00+08:00",
        },
        format="json",
    )

    assert created.status_code == 201
    assert created.json()["slug"] == "kkdi-2025"
    assert Contest.objects.get(slug="kkdi-2025").stages.count() == 2
    assert taken.status_code == 400
    assert "slug" in taken.json()
    assert both.status_code == 400
    assert "submission_opens" in both.json()


def test_clone_api_refused_to_a_delegate(api, edition):
    api.force_authenticate(edition.delegates.get().user)

    response = api.post(
        "/api/v1/contests/kkdi-2024/clone/",
        {"name": "KKDI 2025", "slug": "kkdi-2025"},
        format="json",
    )

    assert response.status_code == 403
    assert not Contest.objects.filter(slug="kkdi-2025").exists()


def test_clone_copies_the_region_clusters_and_the_entry_form(edition, owner, regions):
    from contest import entry_forms, services_clusters

    health = edition.categories.get(slug="kesehatan")
    services_clusters.create_cluster(
        contest=edition,
        by=owner,
        name="Daerah perbatasan",
        slug="perbatasan",
        regions=["65.03", "61.07"],
        categories=[health],
    )
    services_clusters.create_cluster(
        contest=edition, by=owner, name="Kota", slug="kota", region_type="kota"
    )
    entry_forms.create_question(
        contest=edition,
        by=owner,
        category=health,
        kind="file",
        label="SK Kepala Daerah",
        required=True,
        file_types=["pdf"],
    )

    new = lifecycle.clone_contest(
        contest=edition,
        by=owner,
        name="Kontes Kepala Daerah Inovatif 2025",
        slug="kkdi-2025",
        shift=lifecycle.Shift(years=1),
    )

    border = new.clusters.get(slug="perbatasan")
    assert sorted(border.regions.values_list("code", flat=True)) == ["61.07", "65.03"]
    assert list(border.categories.all()) == [new.categories.get(slug="kesehatan")]
    assert new.clusters.get(slug="kota").region_type == "kota"
    question = new.questions.get()
    assert (question.label, question.kind, question.required) == (
        "SK Kepala Daerah",
        "file",
        True,
    )
    assert question.file_types == ["pdf"]
    assert question.category == new.categories.get(slug="kesehatan")
