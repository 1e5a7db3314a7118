"""A JSON body nested thousands of levels deep answers 400 on every endpoint."""

import pytest

from common.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from contest.models import Category
from tests.factories.contest import OrganizerFactory
from tests.factories.judging import AssignmentFactory

pytestmark = [pytest.mark.django_db]


def nested(depth: int) -> str:
    return '{"name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [5000, MAX_JSON_DEPTH + 1])
def test_token_endpoint_deep_json_400_for_anonymous(api, depth):
    response = api.post(
        "/api/v1/auth/token/", nested(depth), content_type="application/json"
    )

    assert response.status_code == 400
    assert "bersarang lebih dari" in response.json()["detail"]


@pytest.mark.parametrize("depth", [5000, MAX_JSON_DEPTH + 1])
def test_category_create_deep_json_400_for_organizer(api, contest, depth):
    api.force_authenticate(OrganizerFactory(contest=contest).user)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/categories/",
        nested(depth),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "bersarang lebih dari" in response.json()["detail"]
    assert Category.objects.count() == 0


def test_sheet_put_deep_json_400_for_judge(api):
    assignment = AssignmentFactory()
    api.force_authenticate(assignment.judge.user)

    response = api.put(
        f"/api/v1/assignments/{assignment.pk}/sheet/",
        '{"scores": ' + "[" * 5000 + "]" * 5000 + "}",
        content_type="application/json",
    )

    assert response.status_code == 400


def test_submission_create_deep_json_400_for_delegate(api, contest, delegate):
    """This viewset names its own parsers; the error handler still answers 400."""
    api.force_authenticate(delegate)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/submissions/",
        nested(5000),
        content_type="application/json",
    )

    assert response.status_code == 400


def test_json_within_the_depth_limit_is_parsed(api, contest):
    api.force_authenticate(OrganizerFactory(contest=contest).user)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/categories/",
        {"name": "Kesehatan", "slug": "kesehatan"},
        format="json",
    )

    assert response.status_code == 201
    assert Category.objects.get().slug == "kesehatan"


@pytest.mark.parametrize(
    ("value", "exceeds"),
    [
        ({}, False),
        ([[[]]], False),
        ({"a": [{"b": 1}]}, False),
        ("[" * 0, False),
    ],
)
def test_json_depth_exceeds_small_values(value, exceeds):
    assert json_depth_exceeds(value, limit=3) is exceeds


def test_json_depth_exceeds_counts_levels():
    value: list = []
    for _level in range(3):
        value = [value]

    assert json_depth_exceeds(value, limit=4) is False
    assert json_depth_exceeds(value, limit=3) is True
