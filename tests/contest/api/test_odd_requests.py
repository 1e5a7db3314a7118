"""OPTIONS and TRACE on every API route, as every role: DRF's answers, never 5xx."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from notifications.enums import NotificationState
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    CategoryFactory,
    DelegateFactory,
    OrganizerFactory,
    StageFactory,
)
from tests.factories.judging import AssignmentFactory, JudgeFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]

ROLES = ["anonymous", "delegate", "judge", "organizer"]


def api_routes():
    """(name, group names) of every route under /api/v1/, from the URL resolver."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + str(pattern.pattern), pattern

    found = []
    for route, pattern in walk(get_resolver().url_patterns, ""):
        if route.startswith("api/v1/"):
            groups = re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", route)
            found.append((pattern.name, tuple(a or b for a, b in groups)))
    return found


ROUTES = api_routes()


@pytest.fixture
def world(contest):
    """One of everything a route can name, with a user for each role."""
    stage = StageFactory(contest=contest, order=1)
    category = CategoryFactory(contest=contest)
    submission = SubmissionFactory(contest=contest, category=category)
    judge = JudgeFactory(contest=contest)
    assignment = AssignmentFactory(stage=stage, judge=judge, submission=submission)
    notification = Notification.objects.create(
        contest_id=contest.pk,
        email="juri@example.id",
        language="id",
        event="invitation",
        state=NotificationState.FAILED,
    )
    users = {
        "anonymous": None,
        "delegate": DelegateFactory(contest=contest, region=submission.region).user,
        "judge": judge.user,
        "organizer": OrganizerFactory(contest=contest).user,
    }
    objects = {
        "region": submission.region.code,
        "category": category.pk,
        "stage": stage.pk,
        "submission": submission.pk,
        "assignment": assignment.pk,
        "my-assignment": assignment.pk,
        "stage-assignment": assignment.pk,
        "notification": notification.pk,
        # No objection or minutes exist: OPTIONS and TRACE answer without the row.
        "objection": 999_999,
        "stage-minutes": 999_999,
        "account": users["delegate"].pk,
        "organizer": contest.organizers.get(user=users["organizer"]).pk,
        # Rows none of these exist for: the answers need no row either.
        "join-request": 999_999,
        "saved-filter": 999_999,
        "pack": 999_999,
        "stage-slot": 999_999,
        "cluster": 999_999,
        "question": 999_999,
        "contest-export": "entries",
    }
    return contest, stage, objects, users


def url_for(name, groups, world):
    contest, stage, objects, _users = world
    kwargs = {}
    for group in groups:
        if group in {"contest_slug", "slug"}:
            kwargs[group] = contest.slug
        elif group == "stage_pk":
            kwargs[group] = stage.pk
        else:
            prefix = max((p for p in objects if name.startswith(p)), key=len)
            kwargs[group] = objects[prefix]
    return reverse(name, kwargs=kwargs)


def test_routes_walk_finds_the_contest_scoped_viewsets():
    names = {name for name, _groups in ROUTES}

    assert {"contest-detail", "stage-detail", "submission-detail"} <= names
    assert {"my-assignment-sheet", "stage-results", "contest-results"} <= names


@pytest.mark.parametrize("role", ROLES)
def test_options_answers_metadata_on_every_route(api, world, role):
    api.force_authenticate(world[3][role])

    answers = {
        name: api.options(url_for(name, groups, world)) for name, groups in ROUTES
    }

    assert {n: r.status_code for n, r in answers.items() if r.status_code >= 500} == {}
    if role == "organizer":
        assert {n: r.status_code for n, r in answers.items()} == {
            name: 200 for name, _groups in ROUTES
        }
        assert all("name" in r.json() for r in answers.values())


@pytest.mark.parametrize("role", ROLES)
def test_trace_answers_405_on_every_route(api, world, role):
    api.force_authenticate(world[3][role])

    statuses = {
        name: api.generic("TRACE", url_for(name, groups, world)).status_code
        for name, groups in ROUTES
    }

    assert {n: s for n, s in statuses.items() if s not in {401, 403, 404, 405}} == {}
    if role == "organizer":
        assert statuses == {name: 405 for name, _groups in ROUTES}


@pytest.mark.parametrize("name", ["contest-detail", "category-detail", "stage-detail"])
def test_put_where_only_patch_is_offered_answers_405(api, world, name):
    api.force_authenticate(world[3]["organizer"])
    groups = dict(ROUTES)[name]

    response = api.put(url_for(name, groups, world), {}, format="json")

    assert response.status_code == 405


def test_options_describes_post_only_to_whom_may_post(api, world):
    contest = world[0]
    url = f"/api/v1/contests/{contest.slug}/categories/"

    anonymous = api.options(url).json()
    api.force_authenticate(world[3]["delegate"])
    delegate = api.options(url).json()
    api.force_authenticate(world[3]["organizer"])
    organizer = api.options(url).json()

    assert "actions" not in anonymous
    assert "actions" not in delegate
    assert set(organizer["actions"]["POST"]) >= {"name", "slug", "description"}


def test_options_on_hidden_contest_is_404_for_a_stranger(api, world):
    contest = world[0]
    contest.is_public = False
    contest.save()
    api.force_authenticate(UserFactory())

    response = api.options(f"/api/v1/contests/{contest.slug}/stages/")

    assert response.status_code == 404
