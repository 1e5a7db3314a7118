"""The results API's schema agrees with its answers (the advance 409 and its
`ties`, nullable fields), and malformed values answer 4xx naming the field."""

import datetime as dt

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from results.models import AdvancementDecision, Award, Publication

pytestmark = [pytest.mark.django_db]

ADVANCE = "/api/v1/contests/{contest_slug}/stages/{stage_pk}/advance/"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref") or ref_or_schema.get("items", {}).get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


@pytest.fixture
def tied(contest, stage, final_stage, criteria, category):
    from tests.factories.judging import EligibleSubmissionFactory, JudgeFactory
    from tests.factories.results import submitted_sheet

    a, b, c = (JudgeFactory(contest=contest) for _ in range(3))
    e1, e2, e3 = (
        EligibleSubmissionFactory(contest=contest, category=category) for _ in range(3)
    )
    values = {criteria[0]: 8, criteria[1]: 8}
    submitted_sheet(stage=stage, judge=a, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=b, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=a, submission=e2, values=values)
    submitted_sheet(stage=stage, judge=c, submission=e3, values=values)
    return e1, e2, e3


def test_advance_409_answers_the_ties_its_schema_describes(
    api, schema, organizer, contest, stage, tied, table_rows
):
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(
        f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/advance/", {}, format="json"
    )

    body = response.json()
    described = schema["paths"][ADVANCE]["post"]["responses"]["409"]
    top = component(schema, described["content"]["application/json"]["schema"])
    tie = component(schema, top["properties"]["ties"])
    entry = component(schema, tie["properties"]["entries"])
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert set(body) == set(top["properties"])
    assert set(top["required"]) <= set(body)
    for answered in body["ties"]:
        assert set(answered) == set(tie["properties"])
        for tied_entry in answered["entries"]:
            assert set(tied_entry) == set(entry["properties"])
    assert not AdvancementDecision.objects.exists()


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("ResultRow", ["raw_score", "median", "normalized_score", "rank"]),
        ("StageResultsPage", ["alpha", "grand_mean", "grand_stdev", "next"]),
        ("JudgeFigures", ["mean", "stdev", "leniency", "effect"]),
        ("Award", ["category", "submission", "region", "rank"]),
        ("Decision", ["decided_by"]),
        ("Publication", ["objections_close"]),
        ("Tie", ["region_type"]),
        ("TiedEntry", ["normalized_score", "raw_score", "median"]),
    ],
)
def test_nullable_fields_are_nullable_in_the_schema(schema, name, fields):
    properties = schema["components"]["schemas"][name]["properties"]

    assert {
        field: properties[field].get("nullable") for field in fields
    } == dict.fromkeys(fields, True)


def test_an_award_to_a_region_answers_null_fields_as_described(
    api, organizer, contest, scored, entries
):
    api.force_authenticate(organizer)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/awards/",
        {"name": "Portofolio", "region": entries["E1"].region_id},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["submission"], response.json()["category"]) == (None, None)


def test_stage_results_answer_the_described_fields(
    api, schema, organizer, contest, stage, scored
):
    api.force_authenticate(organizer)

    response = api.get(f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/results/")

    page = schema["components"]["schemas"]["StageResultsPage"]["properties"]
    row = schema["components"]["schemas"]["ResultRow"]["properties"]
    judge = schema["components"]["schemas"]["JudgeFigures"]["properties"]
    body = response.json()
    assert set(body) == set(page)
    assert set(body["results"][0]) == set(row)
    assert set(body["judges"][0]) == set(judge)


# ---------------------------------------------------------------- malformed values

BIG = 2**70


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tie_break": "abc"}, "tie_break"),
        ({"tie_break": ["x"]}, "tie_break"),
        ({"tie_break": [BIG]}, "tie_break"),
        ({"tie_break": [-1]}, "tie_break"),
        ({"tie_break": [True]}, "tie_break"),
        ({"tie_break": {"a": 1}}, "tie_break"),
        ({"quotas": "kota"}, "quotas"),
        ({"quotas": {"kota": "x"}}, "quotas"),
        ({"quotas": {"kota": -1}}, "quotas"),
        ({"quotas": {"kota": BIG}}, "quotas"),
        ({"quotas": {"desa": 1}}, "quotas"),
        ({"quotas": {"kota": 0}}, "quotas"),
        ({"ranked_by": "median"}, "ranked_by"),
        ({"ranked_by": 1}, "ranked_by"),
        ({"ranked_by": "raw\x00"}, "ranked_by"),
    ],
)
def test_advance_malformed_values_answer_400_naming_the_field(
    api, organizer, contest, stage, final_stage, scored, body, field
):
    api.force_authenticate(organizer)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/advance/",
        body,
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not AdvancementDecision.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Terbaik\x00I"}, "name"),
        ({"name": ["Terbaik I"]}, "name"),
        ({"submission": "abc"}, "submission"),
        ({"submission": BIG}, "submission"),
        ({"submission": -3}, "submission"),
        ({"submission": 1.5}, "submission"),
        ({"submission": True}, "submission"),
        ({"category": BIG}, "category"),
        ({"category": "x"}, "category"),
        ({"region": "99.99"}, "region"),
        ({"rank": 0}, "rank"),
        ({"rank": BIG}, "rank"),
        ({"rank": "first"}, "rank"),
        ({"kind": "gold"}, "kind"),
    ],
)
def test_awards_malformed_values_answer_400_naming_the_field(
    api, organizer, contest, scored, entries, body, field
):
    api.force_authenticate(organizer)
    payload = {"name": "Terbaik I", "submission": entries["E1"].pk, **body}

    response = api.post(
        f"/api/v1/contests/{contest.slug}/awards/", payload, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Award.objects.exists()


def in_days(days):
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "gold"}, "kind"),
        ({"kind": ["final"]}, "kind"),
        ({"kind": "provisional"}, "objections_close"),
        ({"kind": "provisional", "objections_close": "soon"}, "objections_close"),
        ({"kind": "provisional", "objections_close": 12}, "objections_close"),
        (
            {"kind": "provisional", "objections_close": "9999-12-31T23:59:59-12:00"},
            "objections_close",
        ),
        (
            {"kind": "provisional", "objections_close": "2000-01-01T00:00:00Z"},
            "objections_close",
        ),
        ({"kind": "provisional", "objections_close": in_days(800)}, "objections_close"),
        (
            {
                "kind": "provisional",
                "objections_close": in_days(2),
                "objections_open_to_all": "maybe",
            },
            "objections_open_to_all",
        ),
    ],
)
def test_publish_malformed_values_answer_400_naming_the_field(
    api, organizer, contest, scored, body, field
):
    api.force_authenticate(organizer)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/publish/", body, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Publication.objects.exists()


def test_stage_results_unknown_basis_answers_400(api, organizer, contest, stage):
    api.force_authenticate(organizer)

    response = api.get(
        f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/results/",
        {"ranked_by": "median"},
    )

    assert response.status_code == 400
    assert "ranked_by" in response.json()
