"""The screening queue's bulk actions, search, drafts reminder and saved filters
in the API: the same services as the pages, errors naming the field."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.models import Contest
from notifications.models import Notification
from submissions.enums import SubmissionState
from submissions.models import SavedFilter, Submission
from tests.factories.contest import DelegateFactory, RegionFactory
from tests.factories.submissions import SubmissionFactory
from tests.submissions.conftest import ROLES, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState


def bulk_url(contest):
    return reverse("submission-bulk-bulk-screen", kwargs={"contest_slug": contest.slug})


def _submitted(contest, category, n, **fields):
    return [
        set_state(
            SubmissionFactory(contest=contest, category=category, **fields),
            S.SUBMITTED,
        )
        for _ in range(n)
    ]


def test_bulk_screen_answers_a_report_per_entry(api, organizer, contest, category):
    entries = _submitted(contest, category, 2)
    eligible = set_state(SubmissionFactory(contest=contest), S.ELIGIBLE)
    api.force_authenticate(organizer)

    response = api.post(
        bulk_url(contest),
        {"action": "eligible", "submissions": [*[e.pk for e in entries], eligible.pk]},
        format="json",
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["action"], body["done"], body["skipped"]) == ("eligible", 2, 1)
    assert [(e["id"], e["done"]) for e in body["entries"]] == [
        (entries[0].pk, True),
        (entries[1].pk, True),
        (eligible.pk, False),
    ]
    assert "only a submitted entry can be screened" in body["entries"][2]["reason"]


def test_bulk_screen_by_filter_takes_every_matching_entry(
    api, organizer, contest, category
):
    wanted = _submitted(contest, category, 3, agency="Dinas Kominfo")
    other = _submitted(contest, category, 1, agency="Bappeda")[0]
    api.force_authenticate(organizer)

    response = api.post(
        bulk_url(contest),
        {
            "action": "revision",
            "filter": {"q": "kominfo", "state": "submitted", "sort": "title"},
            "note": "Lengkapi SK.",
            "deadline": (timezone.now() + dt.timedelta(days=3)).isoformat(),
        },
        format="json",
    )

    assert response.json()["done"] == 3
    rows = Submission.objects.filter(pk__in=[e.pk for e in wanted])
    assert set(rows.values_list("state", flat=True)) == {S.REVISION_REQUESTED}
    assert Submission.objects.get(pk=other.pk).state == S.SUBMITTED


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "eligible"}, "submissions"),
        ({"action": "eligible", "submissions": [1], "filter": {}}, "submissions"),
        ({"action": "eligible", "submissions": []}, "submissions"),
        ({"action": "eligible", "submissions": ["x"]}, "submissions"),
        ({"action": "advance", "submissions": [1]}, "action"),
        ({"action": "ineligible", "submissions": [1]}, "reason"),
        ({"action": "revision", "submissions": [1], "note": "x"}, "deadline"),
        (
            {
                "action": "revision",
                "submissions": [1],
                "note": "x",
                "deadline": "2000-01-01T00:00:00Z",
            },
            "deadline",
        ),
        ({"action": "revision", "submissions": [1], "deadline": "nanti"}, "deadline"),
        ({"action": "message", "submissions": [1], "body": "Isi"}, "subject"),
        ({"action": "eligible", "filter": {"state": "hacked"}}, "filter"),
        ({"action": "eligible", "filter": {"q": "tidak ada"}}, "filter"),
        ({"action": "eligible", "filter": {"category": 999999}}, "filter"),
    ],
)
def test_bulk_screen_names_the_wrong_field(
    api, organizer, contest, category, table_rows, data, field
):
    entry = _submitted(contest, category, 1)[0]
    if data.get("submissions") == [1]:
        data = {**data, "submissions": [entry.pk]}
    api.force_authenticate(organizer)
    before = table_rows()

    response = api.post(bulk_url(contest), data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert table_rows() == before


BULK_STATUS = {
    "anonymous": 401,
    "delegate": 403,
    "other_delegate": 403,
    "other_organizer": 403,
    "organizer": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_bulk_screen_is_for_the_contests_organizers(
    api, api_as, contest, category, role
):
    entry = _submitted(contest, category, 1)[0]
    api_as(role)

    response = api.post(
        bulk_url(contest),
        {"action": "eligible", "submissions": [entry.pk]},
        format="json",
    )

    entry.refresh_from_db()
    assert response.status_code == BULK_STATUS[role]
    assert entry.state == (S.ELIGIBLE if BULK_STATUS[role] == 200 else S.SUBMITTED)


def test_bulk_screen_refused_with_409_once_frozen(
    api, organizer, contest, category, table_rows
):
    entry = _submitted(contest, category, 1)[0]
    Contest.objects.filter(pk=contest.pk).update(frozen_at=timezone.now())
    api.force_authenticate(organizer)
    before = table_rows()

    response = api.post(
        bulk_url(contest), {"action": "eligible", "submissions": [entry.pk]}
    )

    assert response.status_code == 409
    assert table_rows() == before


def test_submission_list_searches_with_q(api, organizer, contest, category):
    wanted = SubmissionFactory(
        contest=contest, category=category, region=RegionFactory(name="Kota Bima")
    )
    SubmissionFactory(contest=contest, category=category)
    api.force_authenticate(organizer)

    response = api.get(
        reverse("submission-list", kwargs={"contest_slug": contest.slug}),
        {"q": "bima"},
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


# ---------------------------------------------------------------- drafts


def test_drafts_lists_each_with_its_delegates(api, organizer, contest, entry, delegate):
    api.force_authenticate(organizer)

    response = api.get(
        reverse("submission-bulk-drafts", kwargs={"contest_slug": contest.slug})
    )

    rows = response.json()["results"]
    assert [(r["id"], [d["email"] for d in r["delegates"]]) for r in rows] == [
        (entry.pk, [delegate.email])
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_drafts_runs_a_constant_number_of_queries(
    api, organizer, contest, category, count, django_assert_num_queries
):
    for _ in range(count):
        region = RegionFactory()
        DelegateFactory(contest=contest, region=region)
        SubmissionFactory(contest=contest, category=category, region=region)
    api.force_authenticate(organizer)

    with django_assert_num_queries(5):
        response = api.get(
            reverse("submission-bulk-drafts", kwargs={"contest_slug": contest.slug})
        )

    assert response.json()["count"] == count


def test_remind_drafts_answers_how_many_then_409(api, organizer, contest, entry):
    api.force_authenticate(organizer)
    url = reverse(
        "submission-bulk-remind-drafts", kwargs={"contest_slug": contest.slug}
    )

    first = api.post(url)
    second = api.post(url)

    assert (first.status_code, first.json()) == (200, {"reminded": 1})
    assert second.status_code == 409
    assert "already reminded today" in second.json()["detail"]
    assert Notification.objects.filter(event="submission.deadline").count() == 1


@pytest.mark.parametrize("role", ["delegate", "other_organizer"])
def test_remind_drafts_refused_to_others(api, api_as, contest, entry, role):
    api_as(role)

    response = api.post(
        reverse("submission-bulk-remind-drafts", kwargs={"contest_slug": contest.slug})
    )

    assert response.status_code == 403
    assert Notification.objects.count() == 0


# ---------------------------------------------------------------- saved filters


def test_saved_filters_created_listed_and_deleted(api, organizer, superuser, contest):
    SavedFilter.objects.create(
        contest=contest, owner=superuser, name="Punya admin", params={"q": "x"}
    )
    api.force_authenticate(organizer)
    url = reverse("saved-filter-list", kwargs={"contest_slug": contest.slug})

    created = api.post(
        url,
        {"name": "Kota", "params": {"q": "kota", "state": "submitted"}},
        format="json",
    )
    listed = api.get(url)
    gone = api.delete(
        reverse(
            "saved-filter-detail",
            kwargs={"contest_slug": contest.slug, "pk": created.json()["id"]},
        )
    )

    assert created.status_code == 201
    assert created.json()["params"] == {"q": "kota", "state": "submitted"}
    assert [row["name"] for row in listed.json()["results"]] == ["Kota"]
    assert gone.status_code == 204
    assert list(SavedFilter.objects.values_list("name", flat=True)) == ["Punya admin"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "params": {"q": "x"}}, "name"),
        ({"name": "x", "params": {"state": "hacked"}}, "params"),
        ({"name": "x", "params": {}}, "params"),
    ],
)
def test_saved_filter_errors_name_the_field(api, organizer, contest, data, field):
    api.force_authenticate(organizer)

    response = api.post(
        reverse("saved-filter-list", kwargs={"contest_slug": contest.slug}),
        data,
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()


def test_another_organizers_saved_filter_is_404(api, organizer, superuser, contest):
    saved = SavedFilter.objects.create(
        contest=contest, owner=superuser, name="Punya admin", params={"q": "x"}
    )
    api.force_authenticate(organizer)

    response = api.delete(
        reverse(
            "saved-filter-detail",
            kwargs={"contest_slug": contest.slug, "pk": saved.pk},
        )
    )

    assert response.status_code == 404
    assert SavedFilter.objects.count() == 1


def test_schema_describes_the_bulk_endpoints(api):
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/json")

    schema = response.json()
    paths = schema["paths"]
    bulk = paths["/api/v1/contests/{contest_slug}/submissions/bulk-screen/"]["post"]
    assert "BulkInput" in str(bulk["requestBody"])
    assert "BulkReport" in str(bulk["responses"]["200"])
    assert "/api/v1/contests/{contest_slug}/saved-filters/" in paths
    assert "/api/v1/contests/{contest_slug}/submissions/remind-drafts/" in paths
    listing = paths["/api/v1/contests/{contest_slug}/submissions/"]["get"]
    assert "q" in [p["name"] for p in listing["parameters"]]
