"""What the fuzz tests found, pinned without schemathesis (these run in `make test`):
answers the schema (drf-spectacular) described wrongly."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    return api.get("/api/schema/", {"format": "json"}).json()


def _response_schema(schema, path, method, status):
    content = schema["paths"][path][method]["responses"][str(status)]["content"]
    return content["application/json"]["schema"]


def _component(schema, name):
    return schema["components"]["schemas"][name]


def test_stage_results_are_one_page_object_in_the_schema(schema, api, api_as, world):
    """The list answers one object holding its page (count, results, figures), not
    a paginated list of such objects."""
    path = "/api/v1/contests/{contest_slug}/stages/{stage_pk}/results/"
    assert _response_schema(schema, path, "get", 200) == {
        "$ref": "#/components/schemas/StageResultsPage"
    }
    api_as(world["organizer"])
    contest, stage = world["contest"], world["stage"]
    answer = api.get(f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/results/")
    assert answer.status_code == 200
    required = _component(schema, "StageResultsPage")["required"]
    assert set(required) <= set(answer.json())


def test_a_409_of_advancement_without_a_tie_fits_the_schema(schema, api, api_as, world):
    """Advancing the last stage answers 409 with `detail` only: the 409's schema
    (TieAtCut) must not require the tie's fields."""
    path = "/api/v1/contests/{contest_slug}/stages/{stage_pk}/advance/"
    assert _response_schema(schema, path, "post", 409) == {
        "$ref": "#/components/schemas/TieAtCut"
    }
    api_as(world["organizer"])
    contest, stage = world["contest"], world["stage"]
    answer = api.post(
        f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/advance/", {}, format="json"
    )
    assert answer.status_code == 409
    assert set(answer.json()) == {"detail"}
    assert _component(schema, "TieAtCut")["required"] == ["detail"]


def test_a_file_evidence_url_fits_the_schema(schema, api, api_as, world):
    """A file has no link: its `url` answers "", which `format: uri` refuses."""
    url = _component(schema, "Evidence")["properties"]["url"]
    api_as(world["organizer"])
    contest, entry = world["contest"], world["entry"]
    answer = api.get(f"/api/v1/contests/{contest.slug}/submissions/{entry.pk}/")
    assert answer.status_code == 200
    assert [evidence["url"] for evidence in answer.json()["evidence"]] == [""]
    assert url["type"] == "string"
    assert "format" not in url
