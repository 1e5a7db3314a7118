import datetime as dt

import pytest

from contest.models import AuditEntry, Contest, Organizer
from judging.models import Judge
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
    RegionFactory,
)

pytestmark = [pytest.mark.django_db]

URL = "/api/v1/contests/"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def host(db):
    return RegionFactory(code="52.72", name="Kota Bima")


def payload(host, **overrides):
    return {
        "name": "Kontes Kepala Daerah Inovatif 2023",
        "slug": "kkdi-2023",
        "host_region": host.code,
        "timezone": "Asia/Makassar",
        "submission_opens": "2023-06-01T00:00:00+08:00",
        "submission_closes": "2023-08-01T00:00:00+08:00",
        "eligible_region_types": ["kota", "kabupaten"],
        "max_entries_per_region": 2,
        **overrides,
    }


def slugs(response):
    return sorted(c["slug"] for c in response.json()["results"])


def test_contests_list_anonymous_sees_public_only(api, contest):
    ContestFactory(is_public=False)

    response = api.get(URL)

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert slugs(response) == [contest.slug]
    assert body["results"][0]["host_region"] == contest.host_region.code


def test_contests_list_organizer_also_sees_own_hidden(api, contest):
    hidden = ContestFactory(is_public=False)
    user = OrganizerFactory(contest=hidden).user
    ContestFactory(is_public=False)
    api.force_authenticate(user)

    response = api.get(URL)

    assert response.json()["count"] == 2
    assert slugs(response) == sorted([contest.slug, hidden.slug])


def test_contests_list_delegate_sees_own_hidden(api):
    hidden = ContestFactory(is_public=False)
    user = DelegateFactory(contest=hidden).user
    ContestFactory(is_public=False)
    api.force_authenticate(user)

    response = api.get(URL)

    assert slugs(response) == [hidden.slug]


def test_contests_list_judge_sees_own_hidden_once(api):
    hidden = ContestFactory(is_public=False)
    user = UserFactory()
    Judge.objects.create(contest=hidden, user=user)
    Judge.objects.create(contest=hidden, user=UserFactory())
    OrganizerFactory(contest=hidden, user=user)
    api.force_authenticate(user)

    response = api.get(URL)

    assert response.json()["count"] == 1
    assert slugs(response) == [hidden.slug]


def test_contests_list_superuser_sees_all(api, superuser, contest):
    hidden = ContestFactory(is_public=False)
    api.force_authenticate(superuser)

    response = api.get(URL)

    assert slugs(response) == sorted([contest.slug, hidden.slug])


@pytest.mark.parametrize("size", [1, 3])
def test_contests_list_query_count_constant_anonymous(
    api, django_assert_num_queries, size
):
    ContestFactory.create_batch(size)

    with django_assert_num_queries(2):
        response = api.get(URL)

    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [1, 3])
def test_contests_list_query_count_constant_organizer(
    api, django_assert_num_queries, size
):
    user = UserFactory()
    for contest in ContestFactory.create_batch(size, is_public=False):
        OrganizerFactory(contest=contest, user=user)
        Judge.objects.create(contest=contest, user=UserFactory())
    api.force_authenticate(user)

    with django_assert_num_queries(2):
        response = api.get(URL)

    assert response.json()["count"] == size


def test_contests_detail_public_for_anonymous(api, contest):
    response = api.get(f"{URL}{contest.slug}/")

    body = response.json()
    assert response.status_code == 200
    assert body["slug"] == contest.slug
    assert body["name"] == contest.name
    assert body["timezone"] == "Asia/Makassar"
    assert body["is_public"] is True


def test_contests_detail_hidden_404_for_anonymous(api):
    hidden = ContestFactory(is_public=False)

    response = api.get(f"{URL}{hidden.slug}/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_contests_detail_hidden_404_for_delegate_of_other_contest(api, delegate):
    hidden = ContestFactory(is_public=False)
    api.force_authenticate(delegate)

    response = api.get(f"{URL}{hidden.slug}/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_contests_detail_hidden_visible_to_its_organizer(api):
    hidden = ContestFactory(is_public=False)
    user = OrganizerFactory(contest=hidden).user
    api.force_authenticate(user)

    response = api.get(f"{URL}{hidden.slug}/")

    assert response.status_code == 200
    assert response.json()["is_public"] is False


def test_contests_create_by_creator(api, creator, host):
    api.force_authenticate(creator)

    response = api.post(URL, payload(host), format="json")

    body = response.json()
    contest = Contest.objects.get(slug="kkdi-2023")
    assert response.status_code == 201
    assert body["slug"] == "kkdi-2023"
    assert body["name"] == "Kontes Kepala Daerah Inovatif 2023"
    assert body["host_region"] == "52.72"
    assert body["timezone"] == "Asia/Makassar"
    assert body["eligible_region_types"] == ["kabupaten", "kota"]
    assert body["max_entries_per_region"] == 2
    assert body["is_public"] is False
    assert dt.datetime.fromisoformat(body["submission_opens"]) == dt.datetime(
        2023, 6, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert contest.created_by == creator
    assert contest.eligible_region_types == ["kabupaten", "kota"]


def test_contests_create_makes_creator_organizer(api, creator, host):
    api.force_authenticate(creator)

    api.post(URL, payload(host), format="json")

    contest = Contest.objects.get(slug="kkdi-2023")
    assert list(
        Organizer.objects.filter(contest=contest).values_list("user", flat=True)
    ) == [creator.pk]
    assert creator.has_perm("contest.manage_contest", contest)


def test_contests_create_audited(api, creator, host):
    api.force_authenticate(creator)

    api.post(URL, payload(host), format="json")

    contest = Contest.objects.get(slug="kkdi-2023")
    entry = AuditEntry.objects.get(action="contest.created")
    assert entry.contest == contest
    assert entry.object_id == str(contest.pk)
    assert entry.actor == creator
    assert entry.actor_email == creator.email
    assert entry.data["name"] == "Kontes Kepala Daerah Inovatif 2023"
    assert entry.data["host_region"] == "52.72"


def test_contests_create_new_contest_listed_for_its_creator(api, creator, host):
    api.force_authenticate(creator)
    api.post(URL, payload(host), format="json")

    response = api.get(URL)

    assert slugs(response) == ["kkdi-2023"]


def test_contests_create_by_superuser(api, superuser, host):
    api.force_authenticate(superuser)

    response = api.post(URL, payload(host), format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == "kkdi-2023"
    assert Organizer.objects.filter(user=superuser, contest__slug="kkdi-2023").exists()


def test_contests_create_anonymous_401(api, host):
    response = api.post(URL, payload(host), format="json")

    assert response.status_code == 401
    assert "detail" in response.json()
    assert not Contest.objects.filter(slug="kkdi-2023").exists()


@pytest.mark.parametrize("role", ["delegate", "organizer"])
def test_contests_create_without_permission_403(request, api, host, role):
    user = request.getfixturevalue(role)
    api.force_authenticate(user)

    response = api.post(URL, payload(host), format="json")

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Contest.objects.filter(slug="kkdi-2023").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"submission_closes": "2023-05-01T00:00:00+08:00"}, "submission_closes"),
        ({"submission_closes": "2023-06-01T00:00:00+08:00"}, "submission_closes"),
        ({"host_region": "99.99"}, "host_region"),
        ({"eligible_region_types": ["bogus"]}, "eligible_region_types"),
        ({"eligible_region_types": "kota"}, "eligible_region_types"),
        ({"timezone": "Europe/Paris"}, "timezone"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "api"}, "slug"),
        ({"max_entries_per_region": 0}, "max_entries_per_region"),
        ({"submission_opens": "yesterday"}, "submission_opens"),
    ],
)
def test_contests_create_bad_input_400(api, creator, host, overrides, field):
    api.force_authenticate(creator)

    response = api.post(URL, payload(host, **overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Contest.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "field", ["name", "slug", "host_region", "submission_opens", "submission_closes"]
)
def test_contests_create_missing_field_400(api, creator, host, field):
    api.force_authenticate(creator)
    data = payload(host)
    del data[field]

    response = api.post(URL, data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Contest.objects.exists()


def test_contests_create_duplicate_slug_400(api, creator, host, contest):
    api.force_authenticate(creator)

    response = api.post(URL, payload(host, slug=contest.slug), format="json")

    assert response.status_code == 400
    assert "slug" in response.json()
    assert Contest.objects.count() == 1


def test_contests_update_by_organizer(api, organizer, contest):
    old_name = contest.name
    api.force_authenticate(organizer)

    response = api.patch(
        f"{URL}{contest.slug}/", {"name": "Kontes Baru"}, format="json"
    )

    contest.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["name"] == "Kontes Baru"
    assert contest.name == "Kontes Baru"
    entry = AuditEntry.objects.get(action="contest.updated")
    assert entry.data == {"name": [old_name, "Kontes Baru"]}
    assert entry.actor == organizer
    assert entry.contest == contest


def test_contests_update_by_superuser(api, superuser, contest):
    api.force_authenticate(superuser)

    response = api.patch(f"{URL}{contest.slug}/", {"is_public": False}, format="json")

    contest.refresh_from_db()
    assert response.status_code == 200
    assert contest.is_public is False


def test_contests_update_without_change_not_audited(api, organizer, contest):
    api.force_authenticate(organizer)

    response = api.patch(f"{URL}{contest.slug}/", {"name": contest.name}, format="json")

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="contest.updated").exists()


def test_contests_update_closes_before_opens_400(api, organizer, contest):
    api.force_authenticate(organizer)
    closes = (contest.submission_opens - dt.timedelta(days=1)).isoformat()

    response = api.patch(
        f"{URL}{contest.slug}/", {"submission_closes": closes}, format="json"
    )

    contest.refresh_from_db()
    assert response.status_code == 400
    assert "submission_closes" in response.json()
    assert contest.submission_closes > contest.submission_opens


def test_contests_update_slug_taken_400(api, organizer, contest):
    other = ContestFactory()
    api.force_authenticate(organizer)

    response = api.patch(f"{URL}{contest.slug}/", {"slug": other.slug}, format="json")

    assert response.status_code == 400
    assert "slug" in response.json()


@pytest.mark.parametrize("role", ["other_organizer", "delegate"])
def test_contests_update_forbidden_403(request, api, contest, role):
    old_name = contest.name
    api.force_authenticate(request.getfixturevalue(role))

    response = api.patch(f"{URL}{contest.slug}/", {"name": "Dibajak"}, format="json")

    contest.refresh_from_db()
    assert response.status_code == 403
    assert "detail" in response.json()
    assert contest.name == old_name


def test_contests_update_anonymous_401(api, contest):
    old_name = contest.name

    response = api.patch(f"{URL}{contest.slug}/", {"name": "Dibajak"}, format="json")

    contest.refresh_from_db()
    assert response.status_code == 401
    assert "detail" in response.json()
    assert contest.name == old_name


def test_contests_update_hidden_404_for_other_organizer(api, other_organizer):
    hidden = ContestFactory(is_public=False)
    api.force_authenticate(other_organizer)

    response = api.patch(f"{URL}{hidden.slug}/", {"name": "Dibajak"}, format="json")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_contests_put_not_allowed(api, organizer, contest, host):
    api.force_authenticate(organizer)

    response = api.put(f"{URL}{contest.slug}/", payload(host), format="json")

    assert response.status_code == 405
    assert "detail" in response.json()


def test_contests_delete_with_an_entry_is_refused(api, superuser, contest):
    # DELETE deletes only a contest without entries (contest.lifecycle).
    from tests.factories.submissions import SubmissionFactory

    SubmissionFactory(contest=contest)
    api.force_authenticate(superuser)

    response = api.delete(f"{URL}{contest.slug}/")

    assert response.status_code == 409
    assert Contest.objects.filter(pk=contest.pk).exists()


@pytest.mark.parametrize(
    "body",
    [
        [],
        ["kkdi-2023"],
        {"name": None, "slug": None, "host_region": None},
        {"eligible_region_types": None, "max_entries_per_region": "banyak"},
        {"submission_opens": 12, "submission_closes": {"a": 1}},
        {"host_region": ["52.72"], "timezone": 7},
    ],
)
def test_contests_create_malformed_body_400(api, creator, host, body):
    api.force_authenticate(creator)

    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()
    assert not Contest.objects.exists()


def test_contests_create_not_json_400(api, creator):
    api.force_authenticate(creator)

    response = api.post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()
