"""Answers the permission table found to differ between a page and the API, each
pinned where one predicate now decides both paths."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def entry(contest, delegate):
    """A draft of the delegate's region, with one piece of evidence."""
    from tests.factories.contest import CategoryFactory
    from tests.factories.submissions import EvidenceFactory, SubmissionFactory

    region = contest.delegates.get(user=delegate).region
    submission = SubmissionFactory(
        contest=contest, category=CategoryFactory(contest=contest), region=region
    )
    EvidenceFactory(submission=submission)
    return submission


def api_url(entry, name="detail"):
    return reverse(
        f"submission-{name}",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )


def page_url(entry, name):
    return reverse(
        f"submissions:{name}", kwargs={"slug": entry.contest.slug, "pk": entry.pk}
    )


# A superuser organizes every contest but is no region's delegate: the entry pages
# refuse them (submissions.rules.allows), and so does the API, before it reads the
# body (it let them through to a 400 for an empty body).


def test_api_create_entry_refuses_superuser_as_the_page_does(
    api, client, contest, superuser
):
    from submissions.models import Submission

    api.force_authenticate(superuser)
    client.force_login(superuser)
    api_path = reverse("submission-list", kwargs={"contest_slug": contest.slug})
    page_path = reverse("submissions:create", kwargs={"slug": contest.slug})

    answer = api.post(api_path, {}, format="json")
    page = client.post(page_path, {})

    assert (answer.status_code, page.status_code) == (403, 403)
    assert set(answer.json()) == {"detail"}
    assert Submission.objects.count() == 0


def test_api_add_evidence_refuses_superuser_as_the_page_does(
    api, client, entry, superuser
):
    api.force_authenticate(superuser)
    client.force_login(superuser)

    answer = api.post(api_url(entry, "evidence"), {}, format="json")
    page = client.post(page_url(entry, "evidence"), {})

    assert (answer.status_code, page.status_code) == (403, 403)
    assert set(answer.json()) == {"detail"}
    assert entry.evidence.count() == 1


def test_api_entry_writes_refuse_superuser_even_when_frozen(api, entry, superuser):
    from django.utils import timezone

    entry.contest.frozen_at = timezone.now()
    entry.contest.save(update_fields=["frozen_at"])
    api.force_authenticate(superuser)

    answers = [
        api.patch(api_url(entry), {}, format="json").status_code,
        api.post(api_url(entry, "submit"), {}, format="json").status_code,
        api.delete(api_url(entry)).status_code,
    ]

    assert answers == [403, 403, 403]
    assert type(entry).objects.filter(pk=entry.pk).exists()


# Another contest's organizer may not know that an entry of this (announced)
# contest exists: its pages answer 404, and so do its API routes (they answered 403,
# from the contest's list permission asked before the entry was looked up).
ENTRY_ROUTES = [
    ("get", "detail", "detail"),
    ("patch", "detail", "edit"),
    ("delete", "detail", "delete"),
    ("post", "evidence", "evidence"),
    ("post", "submit", "submit"),
    ("post", "screen", "screen"),
]


@pytest.mark.parametrize(("method", "action", "page_name"), ENTRY_ROUTES)
def test_entry_routes_hide_the_entry_from_another_contests_organizer(
    api, client, entry, other_organizer, method, action, page_name
):
    api.force_authenticate(other_organizer)
    client.force_login(other_organizer)
    page_method = "get" if method == "get" else "post"

    answer = getattr(api, method)(api_url(entry, action), {}, format="json")
    page = getattr(client, page_method)(page_url(entry, page_name))

    assert (answer.status_code, page.status_code) == (404, 404)
    assert entry.contest.is_public


@pytest.mark.parametrize("role", ["other_organizer", "delegate", "organizer"])
def test_entry_list_and_create_refuse_by_the_contests_permission(
    api, contest, entry, role, request
):
    """The contest is announced, so its routes refuse with 403, not 404."""
    user = request.getfixturevalue(role)
    api.force_authenticate(user)
    path = reverse("submission-list", kwargs={"contest_slug": contest.slug})

    listed = api.get(path).status_code
    created = api.post(path, {}, format="json").status_code

    expected = {
        "other_organizer": (403, 403),
        "delegate": (200, 400),
        "organizer": (200, 403),
    }
    assert (listed, created) == expected[role]


def test_objection_page_refuses_superuser_as_the_service_does():
    from django.test import Client

    from tests.permissions.scenario import build_scenario

    scenario = build_scenario("provisional")
    client = Client()
    client.force_login(scenario.users["superuser"])
    path = reverse("results:object", kwargs={"slug": scenario.objects["contest"].slug})

    answer = client.get(path)

    assert answer.status_code == 403
