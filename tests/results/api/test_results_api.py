import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone

from judging.models import Score
from results.models import AdvancementDecision, Award, Publication

pytestmark = [pytest.mark.django_db]

API_STATUS = [
    ("anonymous", 401),
    ("delegate", 403),
    ("judge", 403),
    ("other_organizer", 403),
    ("organizer", 200),
    ("superuser", 200),
]
ROLES = [role for role, _status in API_STATUS]


def created(status):
    return 201 if status == 200 else status


def stage_url(contest, stage, action):
    return f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/{action}/"


@pytest.mark.parametrize(("role", "status"), API_STATUS)
def test_stage_results_by_role(api, api_as, contest, stage, scored, role, status):
    api_as(role)

    response = api.get(stage_url(contest, stage, "results"))

    assert response.status_code == status
    if status != 200:
        assert "84.67" not in response.content.decode()


def test_stage_results_payload(api, organizer, contest, stage, scored, entries, judges):
    api.force_authenticate(organizer)

    body = api.get(stage_url(contest, stage, "results")).json()

    assert body["count"] == 3
    assert (body["alpha"], body["alpha_reading"]) == ("0.796", "tentative")
    assert [c["alpha"] for c in body["alpha_per_criterion"]] == ["0.733", "0.811"]
    assert (body["grand_mean"], body["grand_stdev"]) == ("65.44", "17.73")
    assert {j["id"]: j["leniency"] for j in body["judges"]} == {
        judges["A"].pk: "2.33",
        judges["B"].pk: "-12.67",
        judges["C"].pk: "10.33",
    }
    first = body["results"][0]
    assert {k: first[k] for k in ("submission", "raw_score", "normalized_score")} == {
        "submission": entries["E1"].pk,
        "raw_score": "84.67",
        "normalized_score": "84.67",
    }
    assert (first["rank"], first["spread"], first["flagged"]) == (1, "13.00", False)
    assert sorted(sheet["score"] for sheet in first["sheets"]) == [
        "77.00",
        "87.00",
        "90.00",
    ]
    assert body["results"][2]["flagged"] is True


def test_stage_results_of_a_private_contest_are_404_for_outsiders(
    api, other_organizer, contest, stage, scored
):
    contest.is_public = False
    contest.save()
    api.force_authenticate(other_organizer)

    response = api.get(stage_url(contest, stage, "results"))

    assert response.status_code == 404


@pytest.mark.parametrize(("role", "status"), API_STATUS)
def test_advance_by_role(
    api, api_as, contest, stage, final_stage, scored, role, status
):
    api_as(role)

    response = api.post(stage_url(contest, stage, "advance"), {}, format="json")

    assert response.status_code == created(status)
    assert AdvancementDecision.objects.exists() is (status == 200)


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


def test_advance_at_a_tie_answers_409_with_the_tied_entries_then_decides(
    api, organizer, contest, stage, tied, table_rows
):
    e1, e2, e3 = tied
    api.force_authenticate(organizer)

    rows_before = table_rows()
    refused = api.post(stage_url(contest, stage, "advance"), {}, format="json")
    assert table_rows() == rows_before
    decided = api.post(
        stage_url(contest, stage, "advance"), {"tie_break": [e3.pk]}, format="json"
    )

    assert refused.status_code == 409
    [tie] = refused.json()["ties"]
    assert (tie["places"], [e["id"] for e in tie["entries"]]) == (1, [e2.pk, e3.pk])
    assert decided.status_code == 201
    assert decided.json()["advanced"] == [e1.pk, e3.pk]
    assert decided.json()["tie_decisions"][0]["chosen"] == [e3.pk]


def test_advance_with_a_wrong_tie_decision_is_400(api, organizer, contest, stage, tied):
    _e1, e2, e3 = tied
    api.force_authenticate(organizer)

    response = api.post(
        stage_url(contest, stage, "advance"),
        {"tie_break": [e2.pk, e3.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert len(response.json()["ties"]) == 1


def test_advance_with_quotas_of_an_unknown_type_is_400(
    api, organizer, contest, stage, final_stage, scored
):
    api.force_authenticate(organizer)

    response = api.post(
        stage_url(contest, stage, "advance"), {"quotas": {"desa": 1}}, format="json"
    )

    assert response.status_code == 400
    assert "quotas" in response.json()


@pytest.mark.parametrize(("role", "status"), API_STATUS)
def test_awards_list_by_role(
    api, api_as, contest, scored, entries, organizer, role, status
):
    from results import services

    services.give_place_awards(contest=contest, by=organizer, places=1)
    api_as(role)

    response = api.get(f"/api/v1/contests/{contest.slug}/awards/")

    assert response.status_code == status
    if status == 200:
        assert response.json()["results"] == [
            {
                "id": Award.objects.get().pk,
                "name": "Terbaik I",
                "kind": "place",
                "category": entries["E1"].category_id,
                "submission": entries["E1"].pk,
                "region": None,
                "rank": 1,
                "cluster": None,
            }
        ]


@pytest.mark.parametrize(("role", "status"), API_STATUS)
def test_awards_create_by_role(api, api_as, contest, scored, entries, role, status):
    api_as(role)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/awards/",
        {"name": "Terbaik I", "submission": entries["E1"].pk, "rank": 1},
        format="json",
    )

    assert response.status_code == created(status)
    assert Award.objects.exists() is (status == 200)


def test_awards_create_for_a_region(api, organizer, contest, scored, entries):
    api.force_authenticate(organizer)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/awards/",
        {"name": "Kepala Daerah Inovatif", "region": entries["E2"].region_id},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["region"]) == (
        "regional",
        entries["E2"].region_id,
    )


def test_awards_create_after_publication_is_409(
    api, organizer, contest, published, entries, table_rows
):
    api.force_authenticate(organizer)
    before = (published.snapshot, published.digest)

    rows_before = table_rows()
    response = api.post(
        f"/api/v1/contests/{contest.slug}/awards/",
        {"name": "Khusus", "submission": entries["E3"].pk},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    published.refresh_from_db()
    assert (published.snapshot, published.digest) == before


@pytest.mark.parametrize(("role", "status"), API_STATUS)
def test_publish_by_role(api, api_as, contest, scored, role, status):
    api_as(role)

    response = api.post(f"/api/v1/contests/{contest.slug}/publish/", {}, format="json")

    assert response.status_code == created(status)
    assert Publication.objects.exists() is (status == 200)
    if status == 200:
        publication = Publication.objects.get()
        assert response.json()["digest"] == publication.digest


def test_publish_twice_is_409_and_the_snapshot_stays(
    api, organizer, contest, published, table_rows
):
    api.force_authenticate(organizer)
    before = (published.snapshot, published.digest)

    rows_before = table_rows()
    response = api.post(f"/api/v1/contests/{contest.slug}/publish/", {}, format="json")

    assert response.status_code == 409
    assert table_rows() == rows_before
    published.refresh_from_db()
    assert (published.snapshot, published.digest) == before
    assert Publication.objects.count() == 1


def test_publish_provisional_then_final_refused_while_the_window_is_open(
    api, organizer, contest, scored, table_rows
):
    api.force_authenticate(organizer)
    closes = (timezone.now() + dt.timedelta(days=2)).isoformat()

    provisional = api.post(
        f"/api/v1/contests/{contest.slug}/publish/",
        {"kind": "provisional", "objections_close": closes},
        format="json",
    )
    rows_before = table_rows()
    final = api.post(
        f"/api/v1/contests/{contest.slug}/publish/", {"kind": "final"}, format="json"
    )

    assert (provisional.status_code, provisional.json()["kind"]) == (201, "provisional")
    assert final.status_code == 409
    assert table_rows() == rows_before


@pytest.mark.parametrize("role", ROLES)
def test_published_results_404_before_publication(api, api_as, contest, scored, role):
    api_as(role)

    response = api.get(f"/api/v1/contests/{contest.slug}/results/")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_published_results_for_anyone_after_publication(
    api, api_as, contest, published, role
):
    api_as(role)

    response = api.get(f"/api/v1/contests/{contest.slug}/results/")

    assert response.status_code == 200
    body = response.json()
    assert body["digest"] == published.digest
    canonical = json.dumps(
        body["snapshot"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    assert hashlib.sha256(canonical).hexdigest() == published.digest


def test_published_results_unchanged_by_a_later_score_change(
    api, contest, published, scored
):
    before = api.get(f"/api/v1/contests/{contest.slug}/results/").json()
    Score.objects.all().update(value=0)

    after = api.get(f"/api/v1/contests/{contest.slug}/results/").json()

    assert after == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("awards", {"name": "X", "kind": "gold", "region": "00"}),
        ("publish", {"kind": "draft"}),
    ],
)
def test_unknown_kinds_are_400(api, organizer, contest, scored, path, body):
    api.force_authenticate(organizer)

    response = api.post(f"/api/v1/contests/{contest.slug}/{path}/", body, format="json")

    assert response.status_code == 400
    assert "kind" in response.json()
