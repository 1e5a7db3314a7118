"""The contract's contest fields and stage edit: `is_public` on create and PATCH, and
PATCH /contests/{slug}/stages/{id}/ with the same rules as the organizer's page."""

import datetime as dt

import pytest
from django.urls import reverse

from contest.models import AuditEntry, Contest, Stage
from tests.factories.contest import (
    ContestFactory,
    CriterionFactory,
    RegionFactory,
    StageFactory,
)
from tests.factories.judging import JudgeFactory

pytestmark = [pytest.mark.django_db]

WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


def contest_body(**overrides):
    return {
        "name": "Kontes Kepala Daerah Inovatif 2027",
        "slug": "kkdi-2027",
        "host_region": RegionFactory(code="52.72", name="Kota Bima").code,
        "timezone": "Asia/Makassar",
        "submission_opens": "2027-06-01T00:00:00+08:00",
        "submission_closes": "2027-08-01T00:00:00+08:00",
        "eligible_region_types": ["kota"],
        "max_entries_per_region": 2,
        **overrides,
    }


@pytest.mark.parametrize(
    ("given", "stored"), [({}, False), ({"is_public": True}, True)]
)
def test_contest_create_is_public_optional_default_false(api, creator, given, stored):
    api.force_authenticate(creator)

    response = api.post("/api/v1/contests/", contest_body(**given), format="json")

    assert response.status_code == 201
    assert response.json()["is_public"] is stored
    assert Contest.objects.get(slug="kkdi-2027").is_public is stored


def test_contest_patch_is_public_announces_and_audits(api, organizer):
    contest = ContestFactory(is_public=False)
    contest.organizers.create(user=organizer)
    api.force_authenticate(organizer)

    response = api.patch(
        f"/api/v1/contests/{contest.slug}/", {"is_public": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["is_public"] is True
    contest.refresh_from_db()
    assert contest.is_public is True
    entry = AuditEntry.objects.get(action="contest.updated", object_id=str(contest.pk))
    assert entry.data["is_public"] == [False, True] or "is_public" in str(entry.data)


def test_contest_patch_is_public_not_a_boolean_400(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.patch(
        f"/api/v1/contests/{contest.slug}/", {"is_public": "kadang"}, format="json"
    )

    assert response.status_code == 400
    assert "is_public" in response.json()


# PATCH of a stage


def stage_url(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/"


@pytest.fixture
def stage(contest):
    return StageFactory(
        contest=contest,
        order=1,
        kind="scoring",
        opens=dt.datetime(2098, 1, 1, 0, 0, tzinfo=dt.UTC),
        closes=dt.datetime(2098, 1, 15, 0, 0, tzinfo=dt.UTC),
        advance_per_category=5,
    )


def test_stage_patch_window_by_organizer_saves_and_audits(api, organizer, stage):
    api.force_authenticate(organizer)

    response = api.patch(
        stage_url(stage), {"closes": "2098-01-20T17:00:00+08:00"}, format="json"
    )

    assert response.status_code == 200
    assert dt.datetime.fromisoformat(response.json()["closes"]) == dt.datetime(
        2098, 1, 20, 17, 0, tzinfo=WITA
    )
    stage.refresh_from_db()
    assert stage.closes == dt.datetime(2098, 1, 20, 9, 0, tzinfo=dt.UTC)
    assert AuditEntry.objects.filter(
        action="stage.updated", object_id=str(stage.pk)
    ).exists()


def test_stage_patch_naive_time_read_in_contest_zone(api, organizer, stage):
    api.force_authenticate(organizer)

    response = api.patch(stage_url(stage), {"opens": "2098-01-02T08:00"}, format="json")

    assert response.status_code == 200
    stage.refresh_from_db()
    assert stage.opens == dt.datetime(2098, 1, 2, 0, 0, tzinfo=dt.UTC)


# One rule table, applied through the page and through the API: the same refusal at
# the same field. Each change is in the contest's zone (WITA).
RULES = [
    ({"closes": "2097-12-31T08:00"}, "closes"),
    ({"opens": "2000-01-01T08:00"}, "opens"),
    ({"kind": "screening"}, "advance_per_category"),
    ({"kind": "voting"}, "kind"),
    ({"judges_per_entry": 0}, "judges_per_entry"),
    ({"disagreement_threshold": "101"}, "disagreement_threshold"),
    ({"order": 2}, "order"),
    ({"opens": "9999-12-31T08:00"}, "opens"),
]


def page_form(stage, change):
    local = dt.timezone(dt.timedelta(hours=8))
    data = {
        "name": stage.name,
        "order": stage.order,
        "kind": stage.kind,
        "opens": stage.opens.astimezone(local).strftime("%Y-%m-%dT%H:%M"),
        "closes": stage.closes.astimezone(local).strftime("%Y-%m-%dT%H:%M"),
        "judges_per_entry": stage.judges_per_entry,
        "advance_per_category": stage.advance_per_category or "",
        "disagreement_threshold": stage.disagreement_threshold,
        "peer_scores_visible": stage.peer_scores_visible,
    }
    data.update(change)
    return data


@pytest.mark.parametrize(("change", "field"), RULES)
def test_stage_edit_page_and_api_refuse_alike(
    client, api, organizer, stage, change, field
):
    StageFactory(contest=stage.contest, order=2)
    before = list(Stage.objects.order_by("pk").values())
    client.force_login(organizer)
    api.force_authenticate(organizer)

    page = client.post(
        reverse(
            "contest:stage-edit", kwargs={"slug": stage.contest.slug, "pk": stage.pk}
        ),
        page_form(stage, change),
    )
    answer = api.patch(stage_url(stage), change, format="json")

    assert page.status_code == 200
    assert field in page.context["form"].errors, page.context["form"].errors
    assert answer.status_code == 400
    assert field in answer.json(), answer.json()
    assert list(Stage.objects.order_by("pk").values()) == before


def test_stage_edit_page_and_api_refuse_kind_change_with_rubric_alike(
    client, api, organizer, stage, table_rows
):
    CriterionFactory(stage=stage)
    client.force_login(organizer)
    api.force_authenticate(organizer)
    change = {"kind": "screening", "advance_per_category": ""}

    page = client.post(
        reverse(
            "contest:stage-edit", kwargs={"slug": stage.contest.slug, "pk": stage.pk}
        ),
        page_form(stage, change),
    )
    rows_before = table_rows()
    answer = api.patch(
        stage_url(stage),
        {"kind": "screening", "advance_per_category": None},
        format="json",
    )

    assert "kind" in page.context["form"].errors
    assert answer.status_code == 409
    assert table_rows() == rows_before
    assert "kind" in answer.json()
    stage.refresh_from_db()
    assert stage.kind == "scoring"


@pytest.mark.parametrize(("role", "status"), [("delegate", 403), ("anonymous", 401)])
def test_stage_patch_refused_by_role(request, api, stage, role, status):
    if role != "anonymous":
        api.force_authenticate(request.getfixturevalue(role))

    response = api.patch(stage_url(stage), {"name": "Lain"}, format="json")

    assert response.status_code == status
    stage.refresh_from_db()
    assert stage.name != "Lain"


def test_stage_patch_by_judge_403(api, stage):
    judge = JudgeFactory(contest=stage.contest)
    api.force_authenticate(judge.user)

    response = api.patch(stage_url(stage), {"name": "Lain"}, format="json")

    assert response.status_code == 403


def test_stage_patch_of_other_contest_404(api, organizer, contest):
    foreign = StageFactory()
    api.force_authenticate(organizer)

    response = api.patch(
        f"/api/v1/contests/{contest.slug}/stages/{foreign.pk}/",
        {"name": "Lain"},
        format="json",
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name != "Lain"


def test_stage_get_one_by_organizer(api, organizer, stage):
    api.force_authenticate(organizer)

    response = api.get(stage_url(stage))

    assert response.status_code == 200
    assert response.json()["id"] == stage.pk
    assert response.json()["advance_per_category"] == 5
