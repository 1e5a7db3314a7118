import pytest

from judging.models import StageEntry
from tests.factories.indicators import answered
from tests.factories.judging import EligibleSubmissionFactory

pytestmark = [pytest.mark.django_db]

ROLES = ["anonymous", "delegate", "judge", "other_organizer", "organizer", "superuser"]
CLOSED = dict.fromkeys(ROLES, 404) | {"organizer": 200, "superuser": 200}


def index_url(contest, stage, action="index"):
    return f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/{action}/"


@pytest.fixture
def judge(contest):
    from tests.factories.judging import JudgeFactory

    return JudgeFactory(contest=contest).user


@pytest.mark.parametrize("role", ROLES)
def test_index_by_role_while_closed(api, api_as, contest, index_stage, indexed, role):
    api_as(role)

    response = api.get(index_url(contest, index_stage))

    assert response.status_code == CLOSED[role]
    if CLOSED[role] != 200:
        assert "87.50" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_index_by_role_once_public(api, api_as, contest, index_stage, indexed, role):
    index_stage.ranking_public = True
    index_stage.save()
    api_as(role)

    response = api.get(index_url(contest, index_stage))

    assert response.status_code == 200
    assert "87.50" in response.content.decode()


def test_index_payload(api, organizer, contest, index_stage, indexed, index_regions):
    api.force_authenticate(organizer)

    body = api.get(index_url(contest, index_stage)).json()

    assert body["count"] == 4
    rows = {row["submission"]: row for row in body["results"]}
    assert rows[indexed["A"].pk] == {
        "submission": indexed["A"].pk,
        "region": index_regions["R1"].pk,
        "score": "62.50",
        "band": "Sangat Inovatif",
        "rank": 2,
        "valid": 2,
        "invalid": 1,
        "pending": 0,
    }
    assert rows[indexed["C"].pk]["score"] is None
    assert rows[indexed["C"].pk]["band"] == "Tidak dapat dinilai"
    assert body["regions"][0] == {
        "region": index_regions["R1"].pk,
        "name": index_regions["R1"].name,
        "index": "75.00",
        "band": "Sangat Inovatif",
        "rank": 1,
        "cluster": None,
        "group": "kota",
    }
    assert (body["pending"], body["indicators"], body["aggregation"]) == (4, 3, "mean")


def test_index_of_a_scoring_stage_is_404(api, organizer, contest, stage):
    api.force_authenticate(organizer)

    assert api.get(index_url(contest, stage)).status_code == 404
    assert (
        api.get(f"/api/v1/contests/{contest.slug}/stages/x/index/").status_code == 404
    )
    assert api.get(index_url(contest, type(stage)(pk=2**62))).status_code == 404


@pytest.mark.parametrize("size", [1, 3])
def test_index_queries_are_constant(
    api,
    organizer,
    contest,
    category,
    index_stage,
    indicators,
    django_assert_num_queries,
    size,
):
    for _ in range(size):
        entry = EligibleSubmissionFactory(contest=contest, category=category)
        for indicator in indicators:
            answered(submission=entry, criterion=indicator, level=2, verdict="valid")
    api.force_authenticate(organizer)

    with django_assert_num_queries(12):
        response = api.get(index_url(contest, index_stage))

    assert response.json()["count"] == size


def test_advance_an_indicator_stage_by_api(
    api, organizer, contest, index_stage, scoring_stage, indexed
):
    api.force_authenticate(organizer)

    response = api.post(index_url(contest, index_stage, "advance"), {}, format="json")

    assert response.status_code == 201
    assert response.json()["advanced"] == sorted([indexed["A"].pk, indexed["D"].pk])
    assert StageEntry.objects.filter(stage=scoring_stage).count() == 2


def test_advance_an_indicator_stage_twice_is_409(
    api, organizer, contest, index_stage, scoring_stage, indexed
):
    api.force_authenticate(organizer)
    api.post(index_url(contest, index_stage, "advance"), {}, format="json")

    again = api.post(index_url(contest, index_stage, "advance"), {}, format="json")

    assert again.status_code == 409


def test_advance_of_a_screening_stage_stays_404(api, organizer, contest):
    from tests.factories.contest import StageFactory

    screening = StageFactory(contest=contest, kind="screening", order=1)
    api.force_authenticate(organizer)

    response = api.post(index_url(contest, screening, "advance"), {}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "delegate", "organizer"])
def test_index_route_answers_options_and_refuses_trace(
    api, api_as, contest, stage, role
):
    api_as(role)

    options = api.options(index_url(contest, stage))
    trace = api.generic("TRACE", index_url(contest, stage))

    assert options.status_code == 200
    assert trace.status_code == 405
    bad = api.get(index_url(contest, stage) + "?page=x&page_size=" + "9" * 400)
    assert bad.status_code == 404
