"""The published schema (/api/schema/) agrees with what the entries' endpoints answer:
every key an answer may lack is optional, every value that can be null is nullable."""

import pytest
from django.urls import reverse

from tests.factories.judging import AssignmentFactory, JudgeFactory, OpenStageFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def components(api):
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()["components"]["schemas"]


@pytest.fixture
def sparse(contest, category, region):
    """An entry with every nullable value null: no start date, never submitted, no
    revision deadline; evidence without a criterion, an image not processed yet
    (no download address)."""
    entry = SubmissionFactory(
        contest=contest,
        category=category,
        region=region,
        started_on=None,
        state="eligible",
    )
    EvidenceFactory(
        submission=entry, content_type="image/png", processed_at=None, criterion=None
    )
    return entry


def _agrees(schema, components, body):
    """Problems with `body` against the component `schema` (recursing into lists of
    components): keys not described, required keys missing, nulls not nullable."""
    problems = []
    properties = schema["properties"]
    problems += [f"undocumented {k}" for k in body if k not in properties]
    problems += [f"missing {k}" for k in schema.get("required", []) if k not in body]
    for key, value in body.items():
        prop = properties.get(key, {})
        if value is None and not prop.get("nullable"):
            problems.append(f"{key} is null but not nullable")
        ref = prop.get("items", {}).get("$ref")
        if ref and isinstance(value, list):
            inner = components[ref.rsplit("/", 1)[-1]]
            for item in value:
                problems += [f"{key}.{p}" for p in _agrees(inner, components, item)]
    return problems


def _detail(entry):
    return reverse(
        "submission-detail",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )


@pytest.mark.parametrize("role", ["organizer", "delegate", "judge"])
def test_entry_answer_agrees_with_the_schema(api, request, components, sparse, role):
    if role == "judge":
        judge = JudgeFactory(contest=sparse.contest)
        AssignmentFactory(
            stage=OpenStageFactory(contest=sparse.contest),
            judge=judge,
            submission=sparse,
        )
        user = judge.user
    else:
        user = request.getfixturevalue(role)
    api.force_authenticate(user)

    body = api.get(_detail(sparse)).json()

    assert body["started_on"] is None
    assert body["submitted_at"] is None
    assert body["evidence"][0]["criterion"] is None
    assert body["evidence"][0]["download_url"] is None
    assert _agrees(components["Submission"], components, body) == []


def test_nullable_fields_are_nullable_in_the_schema(components):
    submission = components["Submission"]["properties"]
    evidence = components["Evidence"]["properties"]

    nullable = {
        name
        for name, prop in {**submission, **evidence}.items()
        if prop.get("nullable")
    }

    assert nullable >= {
        "started_on",
        "submitted_at",
        "revision_deadline",
        "criterion",
        "download_url",
    }
    assert components["EvidenceInputRequest"]["properties"]["criterion"]["nullable"]
    assert components["SubmissionInputRequest"]["properties"]["started_on"]["nullable"]
