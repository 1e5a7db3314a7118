import datetime as dt
from decimal import Decimal

import pytest

from contest.models import AuditEntry, Category, Criterion, Stage
from judging.models import Judge
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    StageFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def judge(contest):
    user = UserFactory()
    Judge.objects.create(contest=contest, user=user)
    return user


@pytest.fixture
def scoring_stage(contest):
    return StageFactory(contest=contest, kind="scoring", order=2)


@pytest.fixture
def screening_stage(contest):
    return StageFactory(contest=contest, kind="screening", order=1)


def categories_url(contest):
    return f"/api/v1/contests/{contest.slug}/categories/"


def stages_url(contest):
    return f"/api/v1/contests/{contest.slug}/stages/"


def criteria_url(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/criteria/"


def stage_payload(contest, **overrides):
    opens = contest.submission_closes + dt.timedelta(days=1)
    return {
        "name": "Evaluasi Dokumen",
        "order": 5,
        "kind": "scoring",
        "opens": opens.isoformat(),
        "closes": (opens + dt.timedelta(days=14)).isoformat(),
        "judges_per_entry": 3,
        "advance_per_category": 6,
        **overrides,
    }


def criterion_payload(**overrides):
    return {
        "name": "Kebaruan",
        "description": "Seberapa baru inovasi ini.",
        "weight": "30",
        "min_score": "0",
        "max_score": "10",
        "levels": [
            {"score": 2, "description": "Meniru"},
            {"score": 10, "description": "Pertama di Indonesia"},
        ],
        **overrides,
    }


# Categories


@pytest.mark.parametrize("role", ["anonymous", "delegate", "other_organizer"])
def test_categories_list_public_contest_for_anyone(request, api, contest, role):
    CategoryFactory(contest=contest, name="Kesehatan", slug="kesehatan", order=2)
    CategoryFactory(contest=contest, name="Pelayanan Publik", slug="pelayanan", order=1)
    CategoryFactory(contest=ContestFactory(), name="Lain", slug="lain")
    if role != "anonymous":
        api.force_authenticate(request.getfixturevalue(role))

    response = api.get(categories_url(contest))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert [c["slug"] for c in body["results"]] == ["pelayanan", "kesehatan"]
    assert set(body["results"][0]) == {"id", "name", "slug", "description", "order"}


def test_categories_list_hidden_contest_404_for_anonymous(api):
    hidden = ContestFactory(is_public=False)
    CategoryFactory(contest=hidden)

    response = api.get(categories_url(hidden))

    assert response.status_code == 404
    assert "detail" in response.json()


def test_categories_list_hidden_contest_for_its_organizer(api):
    hidden = ContestFactory(is_public=False)
    category = CategoryFactory(contest=hidden)
    user = UserFactory()
    hidden.organizers.create(user=user)
    api.force_authenticate(user)

    response = api.get(categories_url(hidden))

    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [category.pk]


def test_categories_list_unknown_contest_404(api):
    response = api.get("/api/v1/contests/no-such-contest/categories/")

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("size", [1, 3])
def test_categories_list_query_count_constant(
    api, contest, django_assert_num_queries, size
):
    CategoryFactory.create_batch(size, contest=contest)

    with django_assert_num_queries(3):
        response = api.get(categories_url(contest))

    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [1, 3])
def test_categories_list_query_count_constant_organizer(
    api, contest, organizer, django_assert_num_queries, size
):
    CategoryFactory.create_batch(size, contest=contest)
    api.force_authenticate(organizer)

    with django_assert_num_queries(3):
        response = api.get(categories_url(contest))

    assert response.json()["count"] == size


def test_categories_create_by_organizer(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.post(
        categories_url(contest),
        {"name": "Kesehatan", "slug": "kesehatan", "description": "Layanan kesehatan"},
        format="json",
    )

    body = response.json()
    category = Category.objects.get(contest=contest, slug="kesehatan")
    assert response.status_code == 201
    assert body["id"] == category.pk
    assert body["name"] == "Kesehatan"
    assert body["description"] == "Layanan kesehatan"
    entry = AuditEntry.objects.get(action="category.created")
    assert entry.object_id == str(category.pk)
    assert entry.actor == organizer


def test_categories_create_by_superuser(api, contest, superuser):
    api.force_authenticate(superuser)

    response = api.post(
        categories_url(contest), {"name": "Kesehatan", "slug": "kesehatan"}
    )

    assert response.status_code == 201
    assert Category.objects.filter(contest=contest, slug="kesehatan").exists()


@pytest.mark.parametrize("role", ["other_organizer", "delegate"])
def test_categories_create_forbidden_403(request, api, contest, role):
    api.force_authenticate(request.getfixturevalue(role))

    response = api.post(
        categories_url(contest), {"name": "Kesehatan", "slug": "kesehatan"}
    )

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Category.objects.exists()


def test_categories_create_anonymous_401(api, contest):
    response = api.post(
        categories_url(contest), {"name": "Kesehatan", "slug": "kesehatan"}
    )

    assert response.status_code == 401
    assert "detail" in response.json()
    assert not Category.objects.exists()


def test_categories_create_duplicate_slug_400(api, contest, organizer):
    CategoryFactory(contest=contest, slug="kesehatan")
    api.force_authenticate(organizer)

    response = api.post(
        categories_url(contest), {"name": "Kesehatan Baru", "slug": "kesehatan"}
    )

    assert response.status_code == 400
    assert "slug" in response.json()
    assert Category.objects.filter(contest=contest).count() == 1


def test_categories_create_same_slug_in_other_contest(api, contest, organizer):
    CategoryFactory(contest=ContestFactory(), slug="kesehatan", name="Kesehatan")
    api.force_authenticate(organizer)

    response = api.post(
        categories_url(contest), {"name": "Kesehatan", "slug": "kesehatan"}
    )

    assert response.status_code == 201
    assert Category.objects.filter(slug="kesehatan").count() == 2


def test_categories_create_duplicate_name_400(api, contest, organizer):
    CategoryFactory(contest=contest, name="Kesehatan")
    api.force_authenticate(organizer)

    response = api.post(
        categories_url(contest), {"name": "Kesehatan", "slug": "kesehatan-2"}
    )

    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slug": "kesehatan"}, "name"),
        ({"name": "Kesehatan"}, "slug"),
        ({"name": "Kesehatan", "slug": "Kesehatan Umum"}, "slug"),
    ],
)
def test_categories_create_bad_input_400(api, contest, organizer, data, field):
    api.force_authenticate(organizer)

    response = api.post(categories_url(contest), data)

    assert response.status_code == 400
    assert field in response.json()
    assert not Category.objects.exists()


def test_categories_update_by_organizer(api, contest, organizer):
    category = CategoryFactory(contest=contest, name="Kesehatan")
    api.force_authenticate(organizer)

    response = api.patch(
        f"{categories_url(contest)}{category.pk}/", {"name": "Kesehatan Masyarakat"}
    )

    category.refresh_from_db()
    assert response.status_code == 200
    assert category.name == "Kesehatan Masyarakat"
    entry = AuditEntry.objects.get(action="category.updated")
    assert entry.data == {"name": ["Kesehatan", "Kesehatan Masyarakat"]}


def test_categories_update_by_delegate_403(api, contest, delegate):
    category = CategoryFactory(contest=contest, name="Kesehatan")
    api.force_authenticate(delegate)

    response = api.patch(f"{categories_url(contest)}{category.pk}/", {"name": "X"})

    category.refresh_from_db()
    assert response.status_code == 403
    assert category.name == "Kesehatan"


def test_categories_detail_of_other_contest_404(api, contest, organizer):
    foreign = CategoryFactory(contest=ContestFactory())
    api.force_authenticate(organizer)

    response = api.get(f"{categories_url(contest)}{foreign.pk}/")

    assert response.status_code == 404
    assert "detail" in response.json()


# Stages


def test_stages_list_by_organizer(
    api, contest, organizer, scoring_stage, screening_stage
):
    StageFactory(contest=ContestFactory())
    api.force_authenticate(organizer)

    response = api.get(stages_url(contest))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert [s["id"] for s in body["results"]] == [screening_stage.pk, scoring_stage.pk]
    assert [s["kind"] for s in body["results"]] == ["screening", "scoring"]


@pytest.mark.parametrize("role", ["delegate", "other_organizer"])
def test_stages_list_forbidden_403(request, api, contest, scoring_stage, role):
    api.force_authenticate(request.getfixturevalue(role))

    response = api.get(stages_url(contest))

    assert response.status_code == 403
    assert "results" not in response.json()


def test_stages_list_for_judge_403(api, contest, judge, scoring_stage):
    api.force_authenticate(judge)

    response = api.get(stages_url(contest))

    assert response.status_code == 403
    assert "detail" in response.json()


def test_stages_list_anonymous_401(api, contest, scoring_stage):
    response = api.get(stages_url(contest))

    assert response.status_code == 401
    assert "results" not in response.json()


@pytest.mark.parametrize("size", [1, 3])
def test_stages_list_query_count_constant(
    api, contest, organizer, django_assert_num_queries, size
):
    for order in range(1, size + 1):
        stage = StageFactory(contest=contest, order=order)
        CriterionFactory(stage=stage)
    api.force_authenticate(organizer)

    with django_assert_num_queries(4):
        response = api.get(stages_url(contest))

    assert response.json()["count"] == size


def test_stages_create_by_organizer(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.post(stages_url(contest), stage_payload(contest), format="json")

    body = response.json()
    stage = Stage.objects.get(contest=contest)
    assert response.status_code == 201
    assert body["id"] == stage.pk
    assert body["order"] == 5
    assert body["kind"] == "scoring"
    assert body["advance_per_category"] == 6
    assert stage.closes - stage.opens == dt.timedelta(days=14)
    assert AuditEntry.objects.filter(action="stage.created", object_id=str(stage.pk))


def test_stages_create_answers_in_contest_time_zone(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.post(stages_url(contest), stage_payload(contest), format="json")

    assert response.json()["opens"].endswith("+08:00")


def test_stages_create_screening_without_advance(api, contest, organizer):
    api.force_authenticate(organizer)
    data = stage_payload(contest, kind="screening", order=1)
    del data["advance_per_category"]

    response = api.post(stages_url(contest), data, format="json")

    assert response.status_code == 201
    assert response.json()["advance_per_category"] is None


@pytest.mark.parametrize("role", ["delegate", "other_organizer"])
def test_stages_create_forbidden_403(request, api, contest, role):
    api.force_authenticate(request.getfixturevalue(role))

    response = api.post(stages_url(contest), stage_payload(contest), format="json")

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Stage.objects.exists()


def test_stages_create_anonymous_401(api, contest):
    response = api.post(stages_url(contest), stage_payload(contest), format="json")

    assert response.status_code == 401
    assert not Stage.objects.exists()


@pytest.mark.parametrize("delta", [dt.timedelta(0), dt.timedelta(hours=-1)])
def test_stages_create_closes_not_after_opens_400(api, contest, organizer, delta):
    api.force_authenticate(organizer)
    opens = contest.submission_closes + dt.timedelta(days=1)
    data = stage_payload(
        contest, opens=opens.isoformat(), closes=(opens + delta).isoformat()
    )

    response = api.post(stages_url(contest), data, format="json")

    assert response.status_code == 400
    assert "closes" in response.json()
    assert not Stage.objects.exists()


def test_stages_create_duplicate_order_400(api, contest, organizer):
    StageFactory(contest=contest, order=5)
    api.force_authenticate(organizer)

    response = api.post(stages_url(contest), stage_payload(contest), format="json")

    assert response.status_code == 400
    assert "order" in response.json()
    assert Stage.objects.filter(contest=contest).count() == 1


def test_stages_create_bogus_kind_400(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.post(
        stages_url(contest), stage_payload(contest, kind="bogus"), format="json"
    )

    assert response.status_code == 400
    assert "kind" in response.json()


def test_stages_create_screening_with_advance_400(api, contest, organizer):
    api.force_authenticate(organizer)

    response = api.post(
        stages_url(contest),
        stage_payload(contest, kind="screening", advance_per_category=5),
        format="json",
    )

    assert response.status_code == 400
    assert "advance_per_category" in response.json()
    assert not Stage.objects.exists()
    assert not AuditEntry.objects.exists()


def test_stages_create_opens_before_submissions_400(api, contest, organizer):
    api.force_authenticate(organizer)
    opens = contest.submission_opens - dt.timedelta(days=1)
    data = stage_payload(
        contest,
        opens=opens.isoformat(),
        closes=(opens + dt.timedelta(days=3)).isoformat(),
    )

    response = api.post(stages_url(contest), data, format="json")

    assert response.status_code == 400
    assert "opens" in response.json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"judges_per_entry": 0}, "judges_per_entry"),
        ({"advance_per_category": 0}, "advance_per_category"),
        ({"name": ""}, "name"),
        ({"opens": "soon"}, "opens"),
    ],
)
def test_stages_create_bad_input_400(api, contest, organizer, overrides, field):
    api.force_authenticate(organizer)

    response = api.post(
        stages_url(contest), stage_payload(contest, **overrides), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()


def test_stages_update_kind_with_rubric_409(
    api, contest, organizer, scoring_stage, table_rows
):
    CriterionFactory(stage=scoring_stage)
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.patch(
        f"{stages_url(contest)}{scoring_stage.pk}/", {"kind": "screening"}
    )

    scoring_stage.refresh_from_db()
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "kind" in response.json()
    assert scoring_stage.kind == "scoring"


# Criteria


def test_criteria_create_on_scoring_stage(api, organizer, scoring_stage):
    api.force_authenticate(organizer)

    response = api.post(criteria_url(scoring_stage), criterion_payload(), format="json")

    body = response.json()
    criterion = Criterion.objects.get(stage=scoring_stage)
    assert response.status_code == 201
    assert body["id"] == criterion.pk
    assert body["name"] == "Kebaruan"
    assert Decimal(body["weight"]) == Decimal("30")
    assert body["levels"][1] == {"score": 10, "description": "Pertama di Indonesia"}
    assert criterion.weight == Decimal("30")
    assert AuditEntry.objects.filter(action="criterion.created").count() == 1


def test_criteria_create_on_screening_stage_409(
    api, organizer, screening_stage, table_rows
):
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(
        criteria_url(screening_stage), criterion_payload(), format="json"
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "stage" in response.json()
    assert not Criterion.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"min_score": "10", "max_score": "10"}, "max_score"),
        ({"min_score": "5", "max_score": "1"}, "max_score"),
        ({"weight": "0"}, "weight"),
        ({"weight": "-5"}, "weight"),
        ({"levels": "sangat baik"}, "levels"),
        ({"levels": {"score": 1}}, "levels"),
        ({"levels": [{"score": "tinggi", "description": "x"}]}, "levels"),
        ({"name": ""}, "name"),
    ],
)
def test_criteria_create_bad_input_400(api, organizer, scoring_stage, overrides, field):
    api.force_authenticate(organizer)

    response = api.post(
        criteria_url(scoring_stage), criterion_payload(**overrides), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Criterion.objects.exists()


def test_criteria_create_without_weight_400(api, organizer, scoring_stage):
    api.force_authenticate(organizer)
    data = criterion_payload()
    del data["weight"]

    response = api.post(criteria_url(scoring_stage), data, format="json")

    assert response.status_code == 400
    assert "weight" in response.json()


@pytest.mark.parametrize("role", ["judge", "delegate", "other_organizer"])
def test_criteria_create_forbidden_403(request, api, scoring_stage, role):
    api.force_authenticate(request.getfixturevalue(role))

    response = api.post(criteria_url(scoring_stage), criterion_payload(), format="json")

    assert response.status_code == 403
    assert not Criterion.objects.exists()


def test_criteria_create_anonymous_401(api, scoring_stage):
    response = api.post(criteria_url(scoring_stage), criterion_payload(), format="json")

    assert response.status_code == 401
    assert not Criterion.objects.exists()


def test_criteria_stage_of_other_contest_404(api, contest, organizer):
    foreign = StageFactory(contest=ContestFactory())
    api.force_authenticate(organizer)

    response = api.get(f"/api/v1/contests/{contest.slug}/stages/{foreign.pk}/criteria/")

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("role", ["organizer", "judge", "superuser"])
def test_criteria_list_readers(request, api, scoring_stage, role):
    CriterionFactory(stage=scoring_stage, name="Kebaruan", order=1)
    CriterionFactory(stage=scoring_stage, name="Kemanfaatan", order=2)
    api.force_authenticate(request.getfixturevalue(role))

    response = api.get(criteria_url(scoring_stage))

    body = response.json()
    assert response.status_code == 200
    assert [c["name"] for c in body["results"]] == ["Kebaruan", "Kemanfaatan"]


def test_criteria_list_judge_of_hidden_contest(api):
    hidden = ContestFactory(is_public=False)
    stage = StageFactory(contest=hidden)
    CriterionFactory(stage=stage, name="Kebaruan")
    user = UserFactory()
    Judge.objects.create(contest=hidden, user=user)
    api.force_authenticate(user)

    response = api.get(criteria_url(stage))

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == ["Kebaruan"]


@pytest.mark.parametrize("role", ["delegate", "other_organizer"])
def test_criteria_list_forbidden_403(request, api, scoring_stage, role):
    CriterionFactory(stage=scoring_stage)
    api.force_authenticate(request.getfixturevalue(role))

    response = api.get(criteria_url(scoring_stage))

    assert response.status_code == 403
    assert "results" not in response.json()


def test_criteria_list_judge_of_other_contest_403(api, scoring_stage):
    user = UserFactory()
    Judge.objects.create(contest=ContestFactory(), user=user)
    api.force_authenticate(user)

    response = api.get(criteria_url(scoring_stage))

    assert response.status_code == 403
    assert "detail" in response.json()


def test_criteria_list_anonymous_401(api, scoring_stage):
    response = api.get(criteria_url(scoring_stage))

    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize("size", [1, 3])
def test_criteria_list_query_count_constant(
    api, organizer, scoring_stage, django_assert_num_queries, size
):
    CriterionFactory.create_batch(size, stage=scoring_stage)
    api.force_authenticate(organizer)

    with django_assert_num_queries(5):
        response = api.get(criteria_url(scoring_stage))

    assert response.json()["count"] == size


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"name": None, "order": None, "kind": None, "opens": None, "closes": None},
        {"disagreement_threshold": "tinggi", "peer_scores_visible": "always"},
        {"judges_per_entry": 1000, "order": -1},
    ],
)
def test_stages_create_malformed_body_400(api, contest, organizer, body):
    api.force_authenticate(organizer)
    data = body if isinstance(body, list) else stage_payload(contest, **body)

    response = api.post(stages_url(contest), data, format="json")

    assert response.status_code == 400
    assert response.json()
    assert not Stage.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"weight": None, "min_score": None, "max_score": None},
        {"weight": "1e9", "step": "0"},
        {"levels": [None]},
        {"levels": None},
        {"min_score": "abc"},
    ],
)
def test_criteria_create_malformed_body_400(api, organizer, scoring_stage, body):
    api.force_authenticate(organizer)
    data = body if isinstance(body, list) else criterion_payload(**body)

    response = api.post(criteria_url(scoring_stage), data, format="json")

    assert response.status_code == 400
    assert response.json()
    assert not Criterion.objects.exists()
