"""The judging API as DESIGN.md's contract says: optional optimistic concurrency on
the sheet (ETag / If-Match / version), errors about one score line naming
`criterion` or `value`, the conflicts endpoint telling nothing about ids the caller
may not see, the rubric through its one owner, malformed values answered 4xx naming
the field, and a schema that says which fields may be null."""

from decimal import Decimal

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from contest.models import Criterion
from judging.models import Assignment, ConflictOfInterest, Judge, Score, ScoreSheet
from tests.factories.judging import (
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]


def sheet_url(assignment):
    return f"/api/v1/assignments/{assignment.pk}/sheet/"


def values(assignment):
    return list(
        Score.objects.filter(sheet__assignment=assignment)
        .order_by("criterion__order")
        .values_list("value", flat=True)
    )


# ---------------------------------------------------------------- sheet concurrency


def test_sheet_get_answers_an_etag_that_changes_after_a_write(
    api, assignment, full_scores
):
    api.force_authenticate(assignment.judge.user)
    first = api.get(sheet_url(assignment))

    put = api.put(sheet_url(assignment), {"scores": full_scores}, format="json")
    second = api.get(sheet_url(assignment))

    assert first["ETag"] == '"0"'
    assert put["ETag"] == second["ETag"] == '"1"'
    assert second.json()["version"] == 1


def test_sheet_put_without_version_after_another_write_is_applied_whole(
    api, assignment, full_scores, criteria
):
    api.force_authenticate(assignment.judge.user)
    api.put(sheet_url(assignment), {"scores": full_scores}, format="json")

    response = api.put(
        sheet_url(assignment),
        {"scores": [{"criterion": criteria[1].pk, "value": "3"}], "comment": "B"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert values(assignment) == [Decimal("3.00")]
    assert ScoreSheet.objects.get().comment == "B"


def test_sheet_put_with_a_stale_if_match_is_409_and_changes_nothing(
    api, assignment, full_scores, criteria, table_rows
):
    api.force_authenticate(assignment.judge.user)
    etag = api.get(sheet_url(assignment))["ETag"]
    api.put(sheet_url(assignment), {"scores": full_scores}, format="json")

    rows_before = table_rows()
    response = api.put(
        sheet_url(assignment),
        {"scores": [{"criterion": criteria[0].pk, "value": "1"}]},
        format="json",
        headers={"If-Match": etag},
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert response.json()["version"] == [
        "This sheet was changed elsewhere; reload it."
    ]
    assert values(assignment) == [Decimal("7.50"), Decimal("8.00")]
    assert ScoreSheet.objects.get().version == 1


def test_sheet_put_with_a_fresh_if_match_is_applied(
    api, assignment, full_scores, criteria
):
    api.force_authenticate(assignment.judge.user)
    api.put(sheet_url(assignment), {"scores": full_scores}, format="json")
    etag = api.get(sheet_url(assignment))["ETag"]

    response = api.put(
        sheet_url(assignment),
        {"scores": [{"criterion": criteria[0].pk, "value": "1"}], "version": 0},
        format="json",
        headers={"If-Match": etag},
    )

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert values(assignment) == [Decimal("1.00")]


def test_sheet_put_with_a_weak_or_star_if_match(api, assignment, full_scores):
    api.force_authenticate(assignment.judge.user)

    weak = api.put(
        sheet_url(assignment),
        {"scores": full_scores},
        format="json",
        headers={"If-Match": 'W/"0"'},
    )
    star = api.put(
        sheet_url(assignment),
        {"scores": full_scores, "comment": "x"},
        format="json",
        headers={"If-Match": "*"},
    )

    assert weak.status_code == star.status_code == 200
    assert star.json()["version"] == 2


@pytest.mark.parametrize("header", ['"abc"', "1, 2", '"' + "9" * 30 + '"', "\x01"])
def test_sheet_put_with_a_malformed_if_match_is_400(
    api, assignment, full_scores, header
):
    api.force_authenticate(assignment.judge.user)

    response = api.put(
        sheet_url(assignment),
        {"scores": full_scores},
        format="json",
        headers={"If-Match": header},
    )

    assert response.status_code == 400
    assert "If-Match" in response.json()
    assert not ScoreSheet.objects.exists()


def test_sheet_put_resending_what_is_stored_with_a_stale_version_submits(
    api, assignment, full_scores
):
    api.force_authenticate(assignment.judge.user)
    api.put(sheet_url(assignment), {"scores": full_scores}, format="json")

    response = api.put(
        sheet_url(assignment),
        {"scores": full_scores, "submit": True, "version": 0},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["state"] == "submitted"


# ---------------------------------------------------------------- one score line


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({"value": 10.5}, "value", "“Kebaruan”: Enter a score from 0 to 10."),
        ({"value": 7.25}, "value", "“Kebaruan”: Scores go in steps of 0.5 from 0."),
        ({"value": "tujuh"}, "value", "“Kebaruan”: Enter a number."),
        ({"value": [7]}, "value", "“Kebaruan”: Enter a number."),
        ({"value": "7\x00"}, "value", "“Kebaruan”: Enter a number."),
    ],
)
def test_sheet_put_bad_value_names_value(
    api, assignment, criteria, line, field, message
):
    api.force_authenticate(assignment.judge.user)

    response = api.put(
        sheet_url(assignment),
        {"scores": [{"criterion": criteria[0].pk, **line}]},
        format="json",
    )

    body = response.json()
    assert response.status_code == 400
    assert body[field] == [message]
    assert body["scores"] == [message]
    assert body["line"] == 0
    assert not ScoreSheet.objects.exists()


def test_sheet_put_criterion_of_another_stage_or_contest_names_criterion(
    api, assignment, contest, criteria
):
    other_stage = StepCriterionFactory(stage=OpenStageFactory(contest=contest))
    other_contest = StepCriterionFactory()
    api.force_authenticate(assignment.judge.user)

    answers = [
        api.put(
            sheet_url(assignment),
            {
                "scores": [
                    {"criterion": criteria[0].pk, "value": 5},
                    {"criterion": elsewhere.pk, "value": 5},
                ]
            },
            format="json",
        )
        for elsewhere in (other_stage, other_contest)
    ]

    for response, elsewhere in zip(answers, (other_stage, other_contest), strict=True):
        body = response.json()
        assert response.status_code == 400
        assert body["criterion"] == [
            f"Criterion {elsewhere.pk} is not part of this stage's rubric."
        ]
        assert body["line"] == 1
    assert not ScoreSheet.objects.exists()


def test_sheet_put_twice_the_same_criterion_names_criterion(api, assignment, criteria):
    api.force_authenticate(assignment.judge.user)

    response = api.put(
        sheet_url(assignment),
        {
            "scores": [
                {"criterion": criteria[0].pk, "value": 5},
                {"criterion": criteria[0].pk, "value": 6},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["criterion"] == ["“Kebaruan” is scored twice."]


# ---------------------------------------------------------------- conflicts endpoint


def test_conflicts_same_answer_for_a_missing_and_an_invisible_entry(
    api, contest, assignment
):
    not_assigned = EligibleSubmissionFactory(contest=contest)
    other_contest = EligibleSubmissionFactory()
    api.force_authenticate(assignment.judge.user)
    missing = max(not_assigned.pk, other_contest.pk) + 1000

    answers = {
        pk: api.post(
            f"/api/v1/contests/{contest.slug}/conflicts/",
            {"submission": pk, "reason": "x"},
            format="json",
        )
        for pk in (not_assigned.pk, other_contest.pk, missing)
    }

    for pk, response in answers.items():
        assert response.status_code == 400
        assert response.json() == {
            "submission": [f'Invalid pk "{pk}" - object does not exist.']
        }
    assert not ConflictOfInterest.objects.exists()


def test_conflicts_another_judges_id_answers_as_a_missing_one(api, contest, assignment):
    other = JudgeFactory(contest=contest)
    api.force_authenticate(assignment.judge.user)
    missing = other.pk + 1000

    answers = [
        api.post(
            f"/api/v1/contests/{contest.slug}/conflicts/",
            {"judge": pk, "submission": assignment.submission_id, "reason": "x"},
            format="json",
        )
        for pk in (other.pk, missing)
    ]

    assert [r.status_code for r in answers] == [400, 400]
    assert [r.json() for r in answers] == [
        {"judge": [f'Invalid pk "{pk}" - object does not exist.']}
        for pk in (other.pk, missing)
    ]
    assert not ConflictOfInterest.objects.exists()


# ---------------------------------------------------------------- the rubric


def criteria_url(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/criteria/"


def test_criteria_url_and_name_are_kept(stage):
    assert reverse(
        "criterion-list",
        kwargs={"contest_slug": stage.contest.slug, "stage_pk": stage.pk},
    ) == criteria_url(stage)


def test_criteria_api_adds_through_the_judging_service(api, organizer, stage):
    api.force_authenticate(organizer)

    response = api.post(
        criteria_url(stage),
        {"name": "Kebaruan", "weight": "30", "min_score": 0, "max_score": 10},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["name"] == "Kebaruan"
    assert stage.criteria.get().weight == Decimal("30")


def test_criteria_api_refused_after_the_final_publication(
    api, organizer, stage, criteria, table_rows
):
    stage.contest.frozen_at = timezone.now()
    stage.contest.save(update_fields=["frozen_at"])
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(
        criteria_url(stage),
        {"name": "Baru", "weight": "10", "min_score": 0, "max_score": 10},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert Criterion.objects.filter(stage=stage).count() == 2


def test_criteria_api_refused_once_a_sheet_is_submitted(
    api, organizer, stage, assignment, criteria, table_rows
):
    SubmittedSheetFactory(assignment=assignment)
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(
        criteria_url(stage),
        {"name": "Baru", "weight": "10", "min_score": 0, "max_score": 10},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert Criterion.objects.filter(stage=stage).count() == 2


def test_criteria_page_refused_after_the_final_publication(
    client, organizer, stage, criteria
):
    stage.contest.frozen_at = timezone.now()
    stage.contest.save(update_fields=["frozen_at"])
    client.force_login(organizer)

    response = client.post(
        reverse(
            "judging:rubric",
            kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk},
        ),
        {
            "name": "Baru",
            "weight": "10",
            "min_score": "0",
            "max_score": "10",
            "step": "1",
            "order": "3",
        },
    )

    assert response.status_code == 200
    assert "this contest no longer changes" in response.content.decode()
    assert Criterion.objects.filter(stage=stage).count() == 2


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("delegate", 403),
        ("judge_assigned", 200),
        ("organizer", 200),
    ],
)
def test_criteria_list_by_role(api, api_as, stage, assignment, criteria, role, status):
    api_as(role)

    response = api.get(criteria_url(stage))

    assert response.status_code == status
    if status == 200:
        assert [c["name"] for c in response.json()["results"]] == [
            "Kebaruan",
            "Kemanfaatan",
        ]


# ---------------------------------------------------------------- malformed values

HUGE = 10**30


def _judges(contest, stage, assignment):
    return f"/api/v1/contests/{contest.slug}/judges/", "post"


def _conflicts(contest, stage, assignment):
    return f"/api/v1/contests/{contest.slug}/conflicts/", "post"


def _assign(contest, stage, assignment):
    return f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/assign/", "post"


def _assignments(contest, stage, assignment):
    return f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/assignments/", "post"


def _sheet(contest, stage, assignment):
    return sheet_url(assignment), "put"


def valid(endpoint, assignment):
    """A body the endpoint accepts, so that only the field under test is wrong."""
    return {
        "judges": {"email": "juri.baru@example.id", "name": "Juri"},
        "conflicts": {
            "judge": assignment.judge_id,
            "submission": assignment.submission_id,
            "reason": "Kerabat.",
        },
        "assign": {"judges_per_entry": 1},
        "assignments": {
            "judge": assignment.judge_id,
            "submission": assignment.submission_id,
        },
        "sheet": {"scores": []},
    }[endpoint]


@pytest.mark.parametrize(
    ("endpoint", "field", "value"),
    [
        ("judges", "email", "bukan-email"),
        ("judges", "email", "juri\x00@example.id"),
        ("judges", "name", "Juri\x00"),
        ("judges", "name", "x" * 151),
        ("judges", "home_region", "99.99"),
        ("judges", "home_region", "52\x00"),
        ("judges", "home_region", {"code": "52"}),
        ("judges", "categories", [HUGE]),
        ("judges", "categories", [-1]),
        ("judges", "categories", "1"),
        ("judges", "panels", [True]),
        ("conflicts", "submission", HUGE),
        ("conflicts", "submission", -5),
        ("conflicts", "submission", "abc"),
        ("conflicts", "submission", [1]),
        ("conflicts", "judge", HUGE),
        ("conflicts", "judge", 1.5),
        ("conflicts", "judge", "1.0"),
        ("conflicts", "judge", True),
        ("assignments", "judge", 2.0),
        ("conflicts", "reason", "a\x00b"),
        ("conflicts", "reason", "x" * 2001),
        ("assign", "judges_per_entry", HUGE),
        ("assign", "judges_per_entry", -1),
        ("assign", "judges_per_entry", "banyak"),
        ("assign", "judges_per_entry", None),
        ("assignments", "judge", HUGE),
        ("assignments", "submission", "x\x00"),
        ("assignments", "submission", None),
        ("sheet", "version", HUGE),
        ("sheet", "version", -1),
        ("sheet", "version", "v1"),
        ("sheet", "submit", "mungkin"),
        ("sheet", "comment", "a\x00"),
        ("sheet", "scores", "7"),
        ("sheet", "scores", [7]),
        ("sheet", "scores", [{"criterion": HUGE, "value": 1}]),
        ("sheet", "scores", [{"criterion": "satu", "value": 1}]),
        ("sheet", "scores", [{"criterion": 1, "value": 1, "comment": "a\x00"}]),
    ],
)
def test_malformed_values_answer_4xx_naming_the_field(
    api, contest, stage, assignment, organizer, endpoint, field, value
):
    url, method = {
        "judges": _judges,
        "conflicts": _conflicts,
        "assign": _assign,
        "assignments": _assignments,
        "sheet": _sheet,
    }[endpoint](contest, stage, assignment)
    user = assignment.judge.user if endpoint == "sheet" else organizer
    api.force_authenticate(user)
    judges = Judge.objects.count()
    assignments = Assignment.objects.count()

    response = getattr(api, method)(
        url, {**valid(endpoint, assignment), field: value}, format="json"
    )

    assert 400 <= response.status_code < 500
    body = response.json()
    assert field in body or (endpoint == "sheet" and "scores" in body)
    assert Judge.objects.count() == judges
    assert Assignment.objects.count() == assignments
    assert not ConflictOfInterest.objects.exists()
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/assignments/{huge}/sheet/"),
        ("put", "/api/v1/assignments/-1/sheet/"),
        ("get", "/api/v1/assignments/abc/sheet/"),
        ("get", "/api/v1/contests/{slug}/stages/{huge}/assignments/"),
        ("get", "/api/v1/contests/{slug}/stages/{huge}/criteria/"),
        ("post", "/api/v1/contests/{slug}/stages/{huge}/assign/"),
        ("delete", "/api/v1/contests/{slug}/stages/{stage}/assignments/{huge}/"),
        ("delete", "/api/v1/contests/{slug}/stages/{stage}/assignments/x1/"),
    ],
)
def test_malformed_ids_in_the_path_are_404(
    api, organizer, stage, assignment, method, path
):
    api.force_authenticate(organizer)
    url = path.format(huge=HUGE, slug=stage.contest.slug, stage=stage.pk)

    response = getattr(api, method)(url, {}, format="json")

    assert response.status_code == 404


# ---------------------------------------------------------------- schema


@pytest.fixture
def schema(client):
    return yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]


@pytest.mark.parametrize(
    ("component", "prop"),
    [
        ("Judge", "home_region"),
        ("Judge", "home_region_name"),
        ("Conflict", "declared_by"),
        ("Sheet", "submitted_at"),
        ("Sheet", "excluded_at"),
        ("Sheet", "score"),
        ("ScoreOutput", "value"),
        ("Peer", "score"),
        ("JudgeSubmission", "started_on"),
        ("JudgeEvidence", "criterion"),
        ("JudgeEvidence", "file_url"),
        ("JudgeEvidence", "thumbnail_url"),
        ("SheetInputRequest", "version"),
        ("ScoreInputRequest", "value"),
        ("JudgeInputRequest", "home_region"),
    ],
)
def test_schema_marks_nullable_judging_fields(schema, component, prop):
    assert schema[component]["properties"][prop].get("nullable") is True


def test_schema_peer_values_may_be_null(schema):
    assert schema["Peer"]["properties"]["values"]["items"]["nullable"] is True


def test_schema_nullable_model_fields_of_judging_serializers(schema):
    from rest_framework import serializers as drf

    from judging.api import serializers as module

    checked = 0
    for name in dir(module):
        cls = getattr(module, name)
        if not (
            isinstance(cls, type)
            and issubclass(cls, drf.ModelSerializer)
            and cls.__module__ == module.__name__
        ):
            continue
        component = name.removesuffix("Serializer")
        model = cls.Meta.model
        for field_name, field in cls().fields.items():
            source = field.source.split(".")[0]
            try:
                model_field = model._meta.get_field(source)
            except Exception:  # noqa: S112 - a method or property, not a column
                continue
            if (
                model_field.concrete
                and model_field.null
                and not field.source.count(".")
            ):
                checked += 1
                prop = schema[component]["properties"][field_name]
                assert prop.get("nullable") is True, (component, field_name)
    assert checked >= 2
