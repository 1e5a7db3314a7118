import datetime as dt

import pytest
from django.urls import reverse

from contest.models import Category, Contest, Delegate, Stage
from tests.factories.contest import (
    CategoryFactory,
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
    RegionFactory,
    StageFactory,
)

pytestmark = [pytest.mark.django_db]

MANAGE_PAGES = [
    "contest:setup",
    "contest:edit",
    "contest:category-create",
    "contest:stage-create",
    "contest:delegates",
]


@pytest.mark.parametrize("page", MANAGE_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 403),
        ("other_organizer", 403),
        ("organizer", 200),
        ("superuser", 200),
    ],
)
def test_manage_pages_by_role(client, sign_in, contest, page, role, status):
    sign_in(role)

    response = client.get(reverse(page, kwargs={"slug": contest.slug}))

    assert response.status_code == status


@pytest.mark.parametrize("page", ["contest:category-edit", "contest:stage-edit"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 403),
        ("other_organizer", 403),
        ("organizer", 200),
        ("superuser", 200),
    ],
)
def test_edit_pages_by_role(client, sign_in, contest, page, role, status):
    obj = (CategoryFactory if "category" in page else StageFactory)(contest=contest)
    sign_in(role)

    response = client.get(reverse(page, kwargs={"slug": contest.slug, "pk": obj.pk}))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "removed"),
    [
        ("anonymous", False),
        ("delegate", False),
        ("other_organizer", False),
        ("organizer", True),
        ("superuser", True),
    ],
)
def test_delegate_remove_by_role(client, sign_in, contest, role, removed):
    row = DelegateFactory(contest=contest)
    sign_in(role)

    response = client.post(
        reverse("contest:delegate-remove", kwargs={"slug": contest.slug, "pk": row.pk})
    )

    assert response.status_code == {"delegate": 403, "other_organizer": 403}.get(
        role, 302
    )
    assert Delegate.objects.filter(pk=row.pk).exists() is not removed


@pytest.mark.parametrize(
    "role", ["anonymous", "delegate", "other_organizer", "organizer", "superuser"]
)
def test_public_contest_pages_open_to_every_role(client, sign_in, contest, role):
    sign_in(role)

    listing = client.get(reverse("contest:list"))
    detail = client.get(reverse("contest:detail", kwargs={"slug": contest.slug}))

    assert listing.status_code == 200
    assert contest.name in listing.content.decode()
    assert detail.status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("delegate", 200),
        ("other_organizer", 404),
        ("organizer", 200),
    ],
)
def test_private_contest_page_hidden_from_outsiders(
    client, sign_in, contest, role, status
):
    contest.is_public = False
    contest.save()
    sign_in(role)

    response = client.get(reverse("contest:detail", kwargs={"slug": contest.slug}))

    assert response.status_code == status


def test_manage_page_of_private_contest_is_404_for_outsiders(
    client, other_organizer, contest
):
    contest.is_public = False
    contest.save()
    client.force_login(other_organizer)

    response = client.get(reverse("contest:setup", kwargs={"slug": contest.slug}))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "can_create"),
    [("delegate", False), ("organizer", False), ("superuser", True), ("creator", True)],
)
def test_create_page_by_role(client, request, contest, role, can_create):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("contest:create"))

    assert response.status_code == (200 if can_create else 403)


def test_create_page_redirects_anonymous_to_login(client):
    response = client.get(reverse("contest:create"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _contest_form(**overrides):
    data = {
        "name": "Kontes Kepala Daerah Inovatif 2027",
        "slug": "kkdi-2027",
        "description": "Edisi 2027.",
        "host_region": RegionFactory(code="52.72", name="Kota Bima").code,
        "timezone": "Asia/Makassar",
        "submission_opens": "2027-06-01T08:00",
        "submission_closes": "2027-07-31T23:59",
        "eligible_region_types": ["kabupaten", "kota"],
        "max_entries_per_region": "3",
    }
    data.update(overrides)
    return data


def test_create_contest_through_page_reads_times_in_contest_zone(client, creator):
    client.force_login(creator)

    response = client.post(reverse("contest:create"), _contest_form())

    assert response.status_code == 302
    contest = Contest.objects.get(slug="kkdi-2027")
    assert response["Location"] == reverse(
        "contest:setup", kwargs={"slug": "kkdi-2027"}
    )
    # 08:00 WITA is 00:00 UTC.
    assert contest.submission_opens == dt.datetime(2027, 6, 1, 0, 0, tzinfo=dt.UTC)
    assert contest.eligible_region_types == ["kabupaten", "kota"]
    assert contest.organizers.filter(user=creator).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"slug": "Bad Slug!"}, "slug", "Enter a valid"),
        ({"host_region": "99.99"}, "host_region", "Choose a region from the list"),
        ({"timezone": "Europe/Paris"}, "timezone", "Select a valid choice"),
        ({"submission_opens": "tomorrow"}, "submission_opens", "Enter a valid date"),
        (
            {"submission_closes": "2027-05-01T00:00"},
            "submission_closes",
            "must close after",
        ),
        (
            {"eligible_region_types": ["desa"]},
            "eligible_region_types",
            "Select a valid",
        ),
        (
            {"max_entries_per_region": "0"},
            "max_entries_per_region",
            "greater than or equal",
        ),
    ],
)
def test_create_contest_page_shows_field_errors(
    client, creator, overrides, field, message
):
    client.force_login(creator)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("contest:create"), _contest_form(**overrides))

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__")
    assert errors, form.errors
    assert any(message.lower() in e.lower() for e in errors), errors
    assert not Contest.objects.filter(slug="kkdi-2027").exists()


def test_create_contest_page_refuses_duplicate_slug(client, creator, contest):
    client.force_login(creator)

    response = client.post(reverse("contest:create"), _contest_form(slug=contest.slug))

    assert response.status_code == 200
    assert "slug" in response.context["form"].errors


def test_edit_contest_page_saves_and_audits(client, organizer, contest):
    client.force_login(organizer)
    data = _contest_form(slug=contest.slug, name="Nama Baru")

    response = client.post(reverse("contest:edit", kwargs={"slug": contest.slug}), data)

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.name == "Nama Baru"
    assert contest.audit_entries.filter(action="contest.updated").exists()


def test_edit_contest_page_shows_times_in_contest_zone(client, organizer, contest):
    contest.timezone = "Asia/Jayapura"
    contest.submission_opens = dt.datetime(2027, 1, 1, 0, 0, tzinfo=dt.UTC)
    contest.submission_closes = dt.datetime(2027, 2, 1, 0, 0, tzinfo=dt.UTC)
    contest.save()
    client.force_login(organizer)

    response = client.get(reverse("contest:edit", kwargs={"slug": contest.slug}))

    assert 'value="2027-01-01T09:00"' in response.content.decode()


def test_category_pages_create_and_edit(client, organizer, contest):
    client.force_login(organizer)

    client.post(
        reverse("contest:category-create", kwargs={"slug": contest.slug}),
        {"name": "Kesehatan", "slug": "kesehatan", "order": "1"},
    )
    category = Category.objects.get(contest=contest, slug="kesehatan")
    response = client.post(
        reverse(
            "contest:category-edit", kwargs={"slug": contest.slug, "pk": category.pk}
        ),
        {"name": "Kesehatan Masyarakat", "slug": "kesehatan", "order": "2"},
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.order) == ("Kesehatan Masyarakat", 2)


def test_category_page_refuses_duplicate_slug(client, organizer, contest):
    CategoryFactory(contest=contest, slug="kesehatan")
    client.force_login(organizer)

    response = client.post(
        reverse("contest:category-create", kwargs={"slug": contest.slug}),
        {"name": "Lain", "slug": "kesehatan", "order": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Category.objects.filter(contest=contest).count() == 1


def test_category_edit_of_another_contest_is_404(client, organizer, contest):
    foreign = CategoryFactory()
    client.force_login(organizer)

    response = client.get(
        reverse(
            "contest:category-edit", kwargs={"slug": contest.slug, "pk": foreign.pk}
        )
    )

    assert response.status_code == 404


def _stage_form(**overrides):
    data = {
        "name": "Penilaian dokumen",
        "order": "1",
        "kind": "scoring",
        "opens": "2030-01-01T08:00",
        "closes": "2030-01-15T17:00",
        "judges_per_entry": "3",
        "advance_per_category": "5",
        "disagreement_threshold": "20",
        "peer_scores_visible": "never",
    }
    data.update(overrides)
    return data


def test_stage_page_creates_stage(client, organizer, contest):
    client.force_login(organizer)

    response = client.post(
        reverse("contest:stage-create", kwargs={"slug": contest.slug}), _stage_form()
    )

    assert response.status_code == 302
    stage = Stage.objects.get(contest=contest)
    assert (stage.kind, stage.judges_per_entry, stage.advance_per_category) == (
        "scoring",
        3,
        5,
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes": "2029-12-31T08:00"}, "closes"),
        ({"kind": "voting"}, "kind"),
        ({"judges_per_entry": "0"}, "judges_per_entry"),
        ({"judges_per_entry": "abc"}, "judges_per_entry"),
        ({"kind": "screening"}, "advance_per_category"),
        ({"opens": "2000-01-01T08:00", "closes": "2000-01-02T08:00"}, "opens"),
        ({"disagreement_threshold": "101"}, "disagreement_threshold"),
    ],
)
def test_stage_page_shows_field_errors(client, organizer, contest, overrides, field):
    client.force_login(organizer)

    response = client.post(
        reverse("contest:stage-create", kwargs={"slug": contest.slug}),
        _stage_form(**overrides),
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Stage.objects.filter(contest=contest).exists()


def test_stage_page_refuses_duplicate_order(client, organizer, contest):
    StageFactory(contest=contest, order=1)
    client.force_login(organizer)

    response = client.post(
        reverse("contest:stage-create", kwargs={"slug": contest.slug}), _stage_form()
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert contest.stages.count() == 1


def test_delegates_page_invites_and_removes(
    client, organizer, contest, mailoutbox, django_capture_on_commit_callbacks
):
    region = RegionFactory()
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contest:delegates", kwargs={"slug": contest.slug}),
            {"email": "operator@example.id", "region": region.code},
        )
    delegate = Delegate.objects.get(contest=contest, user__email="operator@example.id")
    remove = client.post(
        reverse(
            "contest:delegate-remove", kwargs={"slug": contest.slug, "pk": delegate.pk}
        )
    )

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert remove.status_code == 302
    assert not Delegate.objects.filter(pk=delegate.pk).exists()


def test_delegates_page_shows_error_for_bad_email(client, organizer, contest):
    client.force_login(organizer)

    response = client.post(
        reverse("contest:delegates", kwargs={"slug": contest.slug}),
        {"email": "not-an-email", "region": RegionFactory().code},
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_delegate_remove_by_delegate_is_refused(client, delegate, contest):
    row = Delegate.objects.get(user=delegate)
    client.force_login(delegate)

    response = client.post(
        reverse("contest:delegate-remove", kwargs={"slug": contest.slug, "pk": row.pk})
    )

    assert response.status_code == 403
    assert Delegate.objects.filter(pk=row.pk).exists()


def test_contest_page_shows_timeline_in_contest_zone(client):
    contest = ContestFactory(
        timezone="Asia/Jayapura",
        submission_opens=dt.datetime(2027, 6, 1, 0, 0, tzinfo=dt.UTC),
        submission_closes=dt.datetime(2027, 7, 1, 0, 0, tzinfo=dt.UTC),
    )

    response = client.get(reverse("contest:detail", kwargs={"slug": contest.slug}))

    html = response.content.decode()
    assert "1 Jun 2027, 09:00" in html or "1 Jun 2027, 09.00" in html
    assert "WIT" in html


def test_contest_page_shows_wita_for_makassar(client):
    contest = ContestFactory(
        timezone="Asia/Makassar",
        submission_opens=dt.datetime(2027, 6, 1, 0, 0, tzinfo=dt.UTC),
        submission_closes=dt.datetime(2027, 7, 1, 0, 0, tzinfo=dt.UTC),
    )

    client.cookies["django_language"] = "en"

    response = client.get(reverse("contest:detail", kwargs={"slug": contest.slug}))

    html = response.content.decode()
    assert "08:00" in html or "08.00" in html
    assert "WITA" in html


def _public_list_queries(client, django_assert_num_queries, n):
    for _ in range(n):
        CategoryFactory(contest=ContestFactory())
    with django_assert_num_queries(2):
        return client.get(reverse("contest:list"))


def test_contest_list_queries_constant_one(client, django_assert_num_queries):
    response = _public_list_queries(client, django_assert_num_queries, 1)

    assert len(response.context["contests"]) == 1


def test_contest_list_queries_constant_three(client, django_assert_num_queries):
    response = _public_list_queries(client, django_assert_num_queries, 3)

    assert len(response.context["contests"]) == 3


@pytest.mark.parametrize("n", [1, 3])
def test_manage_dashboard_queries_constant(
    client, superuser, django_assert_num_queries, n
):
    for _ in range(n):
        contest = ContestFactory()
        StageFactory(contest=contest)
        DelegateFactory(contest=contest)
    client.force_login(superuser)

    with django_assert_num_queries(5):
        response = client.get(reverse("contest:manage"))

    assert len(response.context["contests"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_delegates_page_queries_constant(
    client, organizer, contest, django_assert_num_queries, n
):
    for _ in range(n):
        DelegateFactory(contest=contest)
    client.force_login(organizer)

    with django_assert_num_queries(7):
        response = client.get(
            reverse("contest:delegates", kwargs={"slug": contest.slug})
        )

    assert len(response.context["delegates"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_setup_page_queries_constant(
    client, organizer, contest, django_assert_num_queries, n
):
    for i in range(n):
        CategoryFactory(contest=contest)
        StageFactory(contest=contest, order=i + 1)
    client.force_login(organizer)

    # The set-up checklist adds three (panels, judges everywhere, stage weights).
    with django_assert_num_queries(12):
        response = client.get(reverse("contest:setup", kwargs={"slug": contest.slug}))

    assert response.status_code == 200


def test_organizer_of_one_contest_only_manages_it(client):
    mine = OrganizerFactory()
    client.force_login(mine.user)

    response = client.get(reverse("contest:manage"))

    assert [c.pk for c in response.context["contests"]] == [mine.contest_id]


def test_pages_speak_indonesian_whatever_the_browser_asks(client):
    response = client.get(
        reverse("contest:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )

    assert response["Content-Language"] == "id"
    assert '<html lang="id"' in response.content.decode()


def test_pages_speak_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("contest:list"))

    assert response["Content-Language"] == "en"


def test_contest_page_offers_delegate_to_write_entry(client, delegate, contest):
    client.force_login(delegate)

    response = client.get(reverse("contest:detail", kwargs={"slug": contest.slug}))

    assert reverse("submissions:create", kwargs={"slug": contest.slug}) in (
        response.content.decode()
    )


def test_contest_page_hides_entry_link_from_public(client, contest):
    response = client.get(reverse("contest:detail", kwargs={"slug": contest.slug}))

    assert reverse("submissions:create", kwargs={"slug": contest.slug}) not in (
        response.content.decode()
    )


def test_after_the_final_results_the_timeline_shows_nothing_open(client):
    from django.utils import timezone

    from tests.factories.contest import StageFactory

    now = timezone.now()
    contest = ContestFactory(
        submission_opens=now - dt.timedelta(days=30),
        submission_closes=now - dt.timedelta(days=20),
    )
    StageFactory(
        contest=contest,
        opens=now - dt.timedelta(days=10),
        closes=now + dt.timedelta(days=10),
    )
    client.cookies["django_language"] = "en"
    url = reverse("contest:detail", kwargs={"slug": contest.slug})
    assert "Open now" in client.get(url).content.decode()

    type(contest).objects.filter(pk=contest.pk).update(frozen_at=now)
    html = client.get(url).content.decode()

    assert "Open now" not in html
    assert html.count("Closed") >= 2
