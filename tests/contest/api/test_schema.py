"""The published schema (/api/schema/) agrees with the contest endpoints' answers:
nullable values are nullable, integer bounds are the database's on every database."""

import pytest
from django.urls import reverse

from tests.factories.contest import (
    CategoryFactory,
    DelegateFactory,
    OrganizerFactory,
    ProvinceFactory,
    StageFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def components(api):
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()["components"]["schemas"]


def problems(schema, body):
    """Keys not described, required keys missing, nulls not nullable."""
    properties = schema["properties"]
    found = [f"undocumented {k}" for k in body if k not in properties]
    found += [f"missing {k}" for k in schema.get("required", []) if k not in body]
    found += [
        f"{k} is null but not nullable"
        for k, v in body.items()
        if v is None and not properties.get(k, {}).get("nullable")
    ]
    return found


def test_contest_answers_agree_with_the_schema(api, components, contest):
    organizer = OrganizerFactory(contest=contest).user
    CategoryFactory(contest=contest)
    StageFactory(contest=contest, kind="screening", advance_per_category=None)
    DelegateFactory(contest=contest)
    province = ProvinceFactory()
    api.force_authenticate(organizer)
    slug = contest.slug

    answers = {
        "Contest": api.get(f"/api/v1/contests/{slug}/").json(),
        "Category": api.get(f"/api/v1/contests/{slug}/categories/").json()["results"][
            0
        ],
        "Stage": api.get(f"/api/v1/contests/{slug}/stages/").json()["results"][0],
        "Delegate": api.get(f"/api/v1/contests/{slug}/delegates/").json()["results"][0],
        "Region": api.get(f"/api/v1/regions/{province.code}/").json(),
    }

    assert answers["Stage"]["advance_per_category"] is None
    assert answers["Region"]["province"] is None
    assert {
        name: problems(components[name], body) for name, body in answers.items()
    } == {name: [] for name in answers}


def test_nullable_and_bounded_fields_in_the_schema(components):
    stage = components["StageRequest"]["properties"]
    patched = components["PatchedStageRequest"]["properties"]
    category = components["CategoryRequest"]["properties"]

    assert stage["advance_per_category"]["nullable"] is True
    assert patched["advance_per_category"]["nullable"] is True
    assert components["Region"]["properties"]["province"]["nullable"] is True
    assert (stage["order"]["maximum"], category["order"]["maximum"]) == (32767, 32767)
    assert stage["advance_per_category"]["maximum"] == 32767
    assert "is_public" not in components["ContestRequest"].get("required", [])
