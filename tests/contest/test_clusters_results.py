"""Clusters in the results: advancement quotas per cluster (with a tie at the cut,
through the service and the API) and awards within a cluster (service, API, the
snapshot and the public page)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from common.errors import DomainError
from contest import services_clusters
from results import services
from results.services.advancement import UndecidedTieError
from tests.factories.contest import CategoryFactory, OrganizerFactory, RegionFactory
from tests.factories.judging import (
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
)
from tests.factories.results import submitted_sheet
from tests.results.conftest import sheet_reads

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted are the source (English) texts."""
    settings.LANGUAGE_CODE = "en"


# Border regions 1-3 (two tie for the second place), Papua 4-5.
SCORES = {"b1": 9, "b2": 7, "b3": 7, "p1": 8, "p2": 6}


@pytest.fixture
def organizer(contest):
    return OrganizerFactory(contest=contest).user


@pytest.fixture
def board(contest, organizer):
    """A scored stage before a final one, its entries by key, two clusters."""
    contest.submission_closes = timezone.now() - dt.timedelta(days=1)
    contest.save()
    stage = OpenStageFactory(contest=contest, order=1)
    OpenStageFactory(contest=contest, order=2)
    criterion = StepCriterionFactory(stage=stage, weight=Decimal(100))
    judge = JudgeFactory(contest=contest)
    category = CategoryFactory(contest=contest)
    entries = {}
    for key, score in SCORES.items():
        entry = EligibleSubmissionFactory(
            contest=contest, category=category, region=RegionFactory()
        )
        submitted_sheet(
            stage=stage, judge=judge, submission=entry, values={criterion: score}
        )
        entries[key] = entry
    codes = {k: e.region_id for k, e in entries.items()}
    border = services_clusters.create_cluster(
        contest=contest,
        by=organizer,
        name="Perbatasan",
        slug="perbatasan",
        regions=[codes["b1"], codes["b2"], codes["b3"]],
    )
    papua = services_clusters.create_cluster(
        contest=contest,
        by=organizer,
        name="Papua",
        slug="papua",
        regions=[codes["p1"], codes["p2"]],
    )
    return {"stage": stage, "entries": entries, "border": border, "papua": papua}


def states(entries, *keys):
    out = []
    for key in keys:
        entries[key].refresh_from_db()
        out.append(entries[key].state)
    return out


QUOTAS = {"perbatasan": 2, "papua": 1}
# 23, and the sheets' reads of the computation (two on PostgreSQL).
QUERIES_RESULTS_PAGE = 23 + sheet_reads()


def test_quotas_per_cluster_ask_for_the_tie_and_the_decision_holds(board, organizer):
    stage, e = board["stage"], board["entries"]

    with pytest.raises(UndecidedTieError) as caught:
        services.advance_stage(stage=stage, by=organizer, quotas=QUOTAS)
    [tie] = caught.value.ties
    decision = services.advance_stage(
        stage=stage, by=organizer, quotas=QUOTAS, tie_break=[e["b3"].pk]
    )

    assert tie["region_type"] == "perbatasan"
    assert sorted(x["id"] for x in tie["entries"]) == sorted([e["b2"].pk, e["b3"].pk])
    assert decision.quotas == QUOTAS
    assert sorted(decision.advanced) == sorted([e["b1"].pk, e["b3"].pk, e["p1"].pk])
    assert states(e, "b1", "b2", "b3", "p1", "p2") == [
        "advanced",
        "not_advanced",
        "advanced",
        "advanced",
        "not_advanced",
    ]
    with pytest.raises(DomainError):
        services_clusters.delete_cluster(cluster=board["papua"], by=organizer)


def test_quotas_per_cluster_through_the_api(api, board, organizer, contest):
    stage, e = board["stage"], board["entries"]
    api.force_authenticate(organizer)
    url = f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/advance/"

    tied = api.post(url, {"quotas": QUOTAS}, format="json")
    done = api.post(url, {"quotas": QUOTAS, "tie_break": [e["b2"].pk]}, format="json")

    assert tied.status_code == 409
    assert tied.json()["ties"][0]["region_type"] == "perbatasan"
    assert done.status_code == 201
    assert states(e, "b2", "b3") == ["advanced", "not_advanced"]


def test_quotas_refuse_overlapping_clusters(board, organizer, contest):
    codes = [board["entries"]["b1"].region_id, board["entries"]["p1"].region_id]
    services_clusters.create_cluster(
        contest=contest, by=organizer, name="Campur", slug="campur", regions=codes
    )

    with pytest.raises(DomainError) as caught:
        services.advance_stage(
            stage=board["stage"], by=organizer, quotas={"perbatasan": 1, "campur": 1}
        )

    assert caught.value.field == "quotas"
    assert "share regions" in str(caught.value.message)


def test_quotas_refuse_an_unknown_cluster_through_the_api(
    api, board, organizer, contest
):
    api.force_authenticate(organizer)
    url = f"/api/v1/contests/{contest.slug}/stages/{board['stage'].pk}/advance/"

    response = api.post(url, {"quotas": {"tidak-ada": 1}}, format="json")

    assert response.status_code == 400
    assert "quotas" in response.json()


# ---------------------------------------------------------------- awards


def test_award_within_a_cluster_checks_the_region(board, organizer, contest):
    e, border = board["entries"], board["border"]

    with pytest.raises(DomainError) as caught:
        services.assign_award(
            contest=contest,
            name="Terbaik Perbatasan",
            submission=e["p1"],
            cluster=border,
            by=organizer,
        )
    award = services.assign_award(
        contest=contest,
        name="Terbaik Perbatasan",
        submission=e["b1"],
        cluster=border,
        by=organizer,
    )

    assert caught.value.field == "cluster"
    assert award.cluster == border


def test_award_cluster_through_the_api_and_in_the_snapshot(
    api, board, organizer, contest
):
    e, border = board["entries"], board["border"]
    api.force_authenticate(organizer)
    url = f"/api/v1/contests/{contest.slug}/awards/"

    wrong = api.post(
        url,
        {"name": "X", "submission": e["p1"].pk, "cluster": border.pk},
        format="json",
    )
    foreign = api.post(
        url, {"name": "X", "submission": e["b1"].pk, "cluster": 10**6}, format="json"
    )
    made = api.post(
        url,
        {"name": "Terbaik Perbatasan", "submission": e["b1"].pk, "cluster": border.pk},
        format="json",
    )
    plain = api.post(url, {"name": "Khusus", "submission": e["p2"].pk}, format="json")
    from results import selectors

    snapshot = selectors.build_snapshot(
        contest, kind="final", published_at=timezone.now(), objections_close=None
    )

    assert wrong.status_code == 400
    assert "cluster" in wrong.json()
    assert foreign.status_code == 400
    assert "cluster" in foreign.json()
    assert made.status_code == 201
    assert made.json()["cluster"] == border.pk
    assert plain.status_code == 201
    by_name = {a["name"]: a for a in snapshot["awards"]}
    assert by_name["Terbaik Perbatasan"]["cluster"] == {
        "slug": "perbatasan",
        "name": "Perbatasan",
    }
    assert "cluster" not in by_name["Khusus"]


# ---------------------------------------------------------------- regional ranking


def test_regional_ranking_per_cluster(board, contest):
    from results import selectors
    from results.selectors.regional import regional_groups

    groups = regional_groups(
        contest, selectors.contest_standings(contest), type_label=str
    )

    assert [label for label, _rows in groups] == ["Papua", "Perbatasan"]
    papua = groups[0][1]
    assert [row.region.pk for row in papua] == [
        board["entries"]["p1"].region_id,
        board["entries"]["p2"].region_id,
    ]
    assert [row.standing.rank for row in groups[1][1]] == [1, 2, 2]


@pytest.mark.parametrize("clusters", [1, 3])
def test_results_page_queries_do_not_grow_with_clusters(
    client, board, contest, organizer, clusters, django_assert_num_queries
):
    for n in range(clusters - 1):
        services_clusters.create_cluster(
            contest=contest,
            by=organizer,
            name=f"Lain {n}",
            slug=f"lain-{n}",
            regions=[board["entries"]["b1"].region_id],
        )
    board["papua"].delete()
    client.force_login(organizer)
    client.cookies["django_language"] = "en"
    from django.urls import reverse

    url = reverse("results:manage", kwargs={"slug": contest.slug})
    client.get(url)

    with django_assert_num_queries(QUERIES_RESULTS_PAGE):
        response = client.get(url)

    assert "Perbatasan" in response.content.decode()
    assert len(response.context["regional"]) == clusters


def test_public_results_show_the_ranking_per_cluster(client, board, contest, organizer):
    from django.urls import reverse

    services.publish_contest(contest=contest, by=organizer)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("results:public", kwargs={"slug": contest.slug}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption>Perbatasan</caption>" in html
    assert "<caption>Papua</caption>" in html
