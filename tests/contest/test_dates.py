"""Far dates: refused outside the sane years on every path (400 naming the field),
and a far date already stored renders on every page and answer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contest import services
from contest.modelfields import RENDERABLE_MAX
from contest.models import AuditEntry, Contest, Stage
from contest.validators import validate_sane_datetime
from tests.factories.contest import (
    CategoryFactory,
    DelegateFactory,
    OrganizerFactory,
    RegionFactory,
    StageFactory,
)
from tests.factories.judging import AssignmentFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]

WIT = dt.timezone(dt.timedelta(hours=9))
FAR = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.mark.parametrize(
    ("year", "valid"),
    [
        (1, False),
        (1999, False),
        (2000, True),
        (2100, True),
        (2101, False),
        (9999, False),
    ],
)
def test_validate_sane_datetime_years(year, valid):
    value = dt.datetime(year, 6, 1, tzinfo=WIT)

    if valid:
        validate_sane_datetime(value)
    else:
        with pytest.raises(ValidationError) as excinfo:
            validate_sane_datetime(value)
        assert excinfo.value.code == "date_out_of_range"


def test_create_contest_service_refuses_far_date_at_field(creator):
    with pytest.raises(ValidationError) as excinfo:
        services.create_contest(
            by=creator,
            name="Kontes",
            slug="kontes-jauh",
            host_region=RegionFactory(),
            timezone="Asia/Jayapura",
            submission_opens=dt.datetime(2027, 1, 1, tzinfo=WIT),
            submission_closes=dt.datetime(9999, 12, 31, 23, 59, tzinfo=WIT),
        )

    assert list(excinfo.value.message_dict) == ["submission_closes"]
    assert not Contest.objects.filter(slug="kontes-jauh").exists()
    assert not AuditEntry.objects.exists()


def test_update_stage_service_refuses_far_date_at_field(contest, organizer):
    stage = StageFactory(contest=contest)
    closes = stage.closes

    with pytest.raises(ValidationError) as excinfo:
        services.update_stage(stage=stage, by=organizer, data={"opens": FAR})

    assert list(excinfo.value.message_dict) == ["opens"]
    stage.refresh_from_db()
    assert stage.closes == closes
    assert not AuditEntry.objects.filter(action="stage.updated").exists()


def contest_body(**overrides):
    return {
        "name": "Kontes Jauh",
        "slug": "kontes-jauh",
        "host_region": RegionFactory().code,
        "timezone": "Asia/Jayapura",
        "submission_opens": "2027-01-01T08:00:00",
        "submission_closes": "9999-12-31T23:59:59",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({}, "submission_closes"),
        ({"submission_closes": "9999-12-31T23:59:59+09:00"}, "submission_closes"),
        ({"submission_opens": "0001-01-01T00:00:00-12:00"}, "submission_opens"),
        ({"submission_opens": "1999-12-31T00:00:00Z"}, "submission_opens"),
        ({"submission_closes": "2101-01-01T00:00:00+07:00"}, "submission_closes"),
    ],
)
def test_api_create_contest_far_date_400_naming_field(api, creator, overrides, field):
    api.force_authenticate(creator)

    response = api.post("/api/v1/contests/", contest_body(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Contest.objects.filter(slug="kontes-jauh").exists()


def test_api_patch_contest_far_date_400_unchanged(api, contest, organizer):
    api.force_authenticate(organizer)
    closes = contest.submission_closes

    response = api.patch(
        f"/api/v1/contests/{contest.slug}/",
        {"submission_closes": "9999-12-31T23:59:59"},
        format="json",
    )

    assert response.status_code == 400
    assert "submission_closes" in response.json()
    contest.refresh_from_db()
    assert contest.submission_closes == closes


@pytest.mark.parametrize("field", ["opens", "closes"])
def test_api_stage_far_date_400_on_create_and_patch(api, contest, organizer, field):
    stage = StageFactory(contest=contest, order=1)
    api.force_authenticate(organizer)
    url = f"/api/v1/contests/{contest.slug}/stages/"
    body = {
        "name": "Wawancara",
        "order": 2,
        "kind": "scoring",
        "opens": "2098-01-01T08:00:00",
        "closes": "2098-01-08T08:00:00",
        field: "9999-12-31T23:59:59",
    }

    created = api.post(url, body, format="json")
    patched = api.patch(f"{url}{stage.pk}/", {field: body[field]}, format="json")

    assert (created.status_code, patched.status_code) == (400, 400)
    assert field in created.json()
    assert field in patched.json()
    assert list(Stage.objects.values_list("pk", flat=True)) == [stage.pk]


def test_contest_page_far_date_error_at_field(client, creator):
    client.force_login(creator)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("contest:create"),
        {
            "name": "Kontes Jauh",
            "slug": "kontes-jauh",
            "host_region": RegionFactory().code,
            "timezone": "Asia/Jayapura",
            "submission_opens": "2027-01-01T08:00",
            "submission_closes": "9999-12-31T23:59",
            "max_entries_per_region": "3",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["submission_closes"]
    assert "between the years 2000 and 2100" in errors["submission_closes"][0]
    assert not Contest.objects.filter(slug="kontes-jauh").exists()


def test_stage_page_far_date_error_at_field(client, contest, organizer):
    client.force_login(organizer)

    response = client.post(
        reverse("contest:stage-create", kwargs={"slug": contest.slug}),
        {
            "name": "Wawancara",
            "order": "1",
            "kind": "scoring",
            "opens": "0001-01-01T00:00",
            "closes": "2098-01-15T17:00",
            "judges_per_entry": "3",
            "disagreement_threshold": "20",
            "peer_scores_visible": "never",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["opens"]
    assert not contest.stages.exists()


# A far date stored before the check (or by SQL)


@pytest.fixture
def far(contest):
    """A contest in WIT whose submissions and stage close on 9999-12-31 (UTC)."""
    Contest.objects.filter(pk=contest.pk).update(
        timezone="Asia/Jayapura", submission_closes=FAR
    )
    category = CategoryFactory(contest=contest)
    stage = StageFactory(contest=contest, order=1)
    Stage.objects.filter(pk=stage.pk).update(closes=FAR)
    submission = SubmissionFactory(contest=contest, category=category)
    assignment = AssignmentFactory(stage=stage, submission=submission)
    return {
        "contest": contest,
        "stage": stage,
        "category": category,
        "submission": submission,
        "assignment": assignment,
        "organizer": OrganizerFactory(contest=contest).user,
        "delegate": DelegateFactory(contest=contest, region=submission.region).user,
    }


def test_far_stored_date_reads_back_renderable(far):
    contest = Contest.objects.get(pk=far["contest"].pk)

    assert contest.submission_closes == RENDERABLE_MAX
    assert Stage.objects.get(pk=far["stage"].pk).closes == RENDERABLE_MAX
    assert contest.submission_closes.astimezone(contest.tzinfo).year == 9999


def far_pages(f):
    slug = f["contest"].slug
    stage, category = f["stage"].pk, f["category"].pk
    entry = f["submission"].pk
    return {
        "anonymous": ["/", "/contests/", f"/contests/{slug}/"],
        "organizer": [
            "/",
            "/contests/",
            f"/contests/{slug}/",
            "/manage/",
            f"/manage/{slug}/",
            f"/manage/{slug}/edit/",
            f"/manage/{slug}/stages/{stage}/edit/",
            f"/manage/{slug}/categories/{category}/edit/",
            f"/manage/{slug}/delegates/",
            reverse("submissions:screening", kwargs={"slug": slug}),
            reverse("judging:manage", kwargs={"slug": slug}),
            reverse("judging:progress", kwargs={"slug": slug, "stage_pk": stage}),
            reverse("results:manage", kwargs={"slug": slug}),
        ],
        "delegate": [
            f"/contests/{slug}/",
            reverse("submissions:my-entries"),
            reverse("submissions:detail", kwargs={"slug": slug, "pk": entry}),
        ],
        "judge": [
            reverse("judging:my-assignments"),
            reverse("judging:sheet", kwargs={"pk": f["assignment"].pk}),
        ],
    }


@pytest.mark.parametrize("role", ["anonymous", "organizer", "delegate", "judge"])
def test_far_stored_date_pages_render(client, far, role):
    users = {
        "organizer": far["organizer"],
        "delegate": far["delegate"],
        "judge": far["assignment"].judge.user,
    }
    if role in users:
        client.force_login(users[role])

    statuses = {url: client.get(url).status_code for url in far_pages(far)[role]}

    assert statuses == dict.fromkeys(far_pages(far)[role], 200)


def test_far_stored_date_api_answers(api, far):
    slug = far["contest"].slug
    api.force_authenticate(far["organizer"])

    listed = api.get("/api/v1/contests/")
    one = api.get(f"/api/v1/contests/{slug}/")
    stages = api.get(f"/api/v1/contests/{slug}/stages/")

    assert (listed.status_code, one.status_code, stages.status_code) == (200, 200, 200)
    closes = one.json()["submission_closes"]
    assert dt.datetime.fromisoformat(closes) == RENDERABLE_MAX
    closes = stages.json()["results"][0]["closes"]
    assert dt.datetime.fromisoformat(closes) == RENDERABLE_MAX
