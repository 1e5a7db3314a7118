"""Malformed values on every contest endpoint and page: 4xx naming the field, never
5xx, and nothing saved. Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contest.models import AuditEntry, Category, Contest, Delegate, Organizer, Stage
from tests.factories.contest import (
    CategoryFactory,
    OrganizerFactory,
    RegionFactory,
    StageFactory,
)

pytestmark = [pytest.mark.django_db]

HUGE = 10**30
NUL = "a\x00b"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def world(contest):
    organizer = OrganizerFactory(contest=contest).user
    organizer.can_create_contests = True
    organizer.save()
    return {
        "contest": contest,
        "organizer": organizer,
        "category": CategoryFactory(contest=contest),
        "stage": StageFactory(contest=contest, order=1),
        "region": RegionFactory(code="52.72", name="Kota Bima"),
    }


def state() -> dict:
    models = [Contest, Category, Stage, Organizer, Delegate, AuditEntry]
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["User"] = get_user_model().objects.count()
    return rows


CONTEST = {
    "name": "Kontes Baru",
    "slug": "kontes-baru",
    "host_region": "52.72",
    "timezone": "Asia/Jayapura",
    "submission_opens": "2027-06-01T08:00:00",
    "submission_closes": "2027-08-01T08:00:00",
    "eligible_region_types": ["kota"],
    "max_entries_per_region": 2,
    "is_public": False,
}
CATEGORY = {"name": "Kesehatan", "slug": "kesehatan", "description": "", "order": 1}
STAGE = {
    "name": "Wawancara",
    "order": 2,
    "kind": "scoring",
    "opens": "2098-01-01T08:00:00",
    "closes": "2098-01-08T08:00:00",
    "judges_per_entry": 3,
    "advance_per_category": 5,
    "disagreement_threshold": "20.00",
}
DELEGATE = {"email": "operator@example.id", "region": "52.72"}

# (endpoint, method, valid body) — {slug}, {stage} and {category} are filled in.
ENDPOINTS = {
    "contest-create": ("post", "/api/v1/contests/", CONTEST),
    "contest-patch": ("patch", "/api/v1/contests/{slug}/", CONTEST),
    "category-create": ("post", "/api/v1/contests/{slug}/categories/", CATEGORY),
    "category-patch": (
        "patch",
        "/api/v1/contests/{slug}/categories/{category}/",
        CATEGORY,
    ),
    "stage-create": ("post", "/api/v1/contests/{slug}/stages/", STAGE),
    "stage-patch": ("patch", "/api/v1/contests/{slug}/stages/{stage}/", STAGE),
    "delegate-invite": ("post", "/api/v1/contests/{slug}/delegates/", DELEGATE),
}

# A bad value for each field of each endpoint: far dates, wrong types, huge and
# negative numbers, NUL bytes, strings in number fields, arrays and objects.
BAD_VALUES = {
    "name": [NUL, [], {}, None, "x" * 1000],
    "slug": [NUL, "Bad Slug", [], "api", "x" * 100],
    "description": [NUL, [], {}],
    "host_region": [NUL, HUGE, -1, [], {"code": "52.72"}, "99.99"],
    "timezone": [NUL, "Europe/Paris", 7, []],
    "submission_opens": ["9999-12-31T23:59:59", "0001-01-01T00:00:00", 12, NUL, []],
    "submission_closes": ["9999-12-31T23:59:59+09:00", "tomorrow", {}, True],
    "eligible_region_types": [NUL, [NUL], ["desa"], {"a": 1}, [[]], "kota"],
    "max_entries_per_region": [HUGE, -1, 0, "banyak", NUL, [], 1.5, "1e400"],
    "is_public": ["kadang", [], {}, NUL, 2],
    "order": [HUGE, -1, "pertama", NUL, [], {}, 70000],
    "kind": [NUL, "voting", [], 1],
    "opens": ["9999-12-31T23:59:59", "0001-01-01T00:00:00-12:00", NUL, 20980101],
    "closes": ["10000-01-01T00:00:00", [], "2098-13-45T00:00:00"],
    "judges_per_entry": [HUGE, -1, 0, "tiga", NUL, []],
    "advance_per_category": [HUGE, -1, 0, "lima", []],
    "disagreement_threshold": ["NaN", "Infinity", "1e400", HUGE, -1, "abc", []],
    "email": [NUL, "bukan-email", 12, [], {}, "a@" + "x" * 300 + ".id"],
    "region": [NUL, HUGE, -1, [], {"code": "52.72"}, "99.99", "52.72\x00"],
}

CASES = [
    pytest.param(endpoint, field, value, id=f"{endpoint}-{field}-{i}")
    for endpoint, (_method, _url, body) in ENDPOINTS.items()
    for field in body
    if field in BAD_VALUES
    for i, value in enumerate(BAD_VALUES[field])
]


def fill(url: str, w) -> str:
    return url.format(
        slug=w["contest"].slug, stage=w["stage"].pk, category=w["category"].pk
    )


@pytest.mark.parametrize(("endpoint", "field", "value"), CASES)
def test_api_bad_value_4xx_naming_field(api, world, endpoint, field, value):
    method, url, valid = ENDPOINTS[endpoint]
    body = {**valid, field: value}
    if method == "patch":
        body = {field: value}
    api.force_authenticate(world["organizer"])
    before = state()

    response = getattr(api, method)(fill(url, world), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert state() == before


@pytest.mark.parametrize(
    "body", ["[]", '[{"name": "x"}]', '"kesehatan"', "12", "null", "[[{}]]", "true"]
)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_api_body_not_an_object_400(api, world, endpoint, body):
    method, url, _valid = ENDPOINTS[endpoint]
    api.force_authenticate(world["organizer"])
    before = state()

    response = getattr(api, method)(
        fill(url, world), body, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert response.json()
    assert state() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/contests/{slug}/categories/{id}/",
        "/api/v1/contests/{slug}/stages/{id}/",
        "/api/v1/contests/{slug}/stages/{id}/criteria/",
    ],
)
@pytest.mark.parametrize("ident", [str(HUGE), "-1", "0", "abc", "1e5", str(2**63)])
@pytest.mark.parametrize("method", ["get", "patch", "options"])
def test_api_bad_id_in_url_404(api, world, path, ident, method):
    api.force_authenticate(world["organizer"])
    before = state()

    response = getattr(api, method)(
        path.format(slug=world["contest"].slug, id=ident), {"name": "X"}, format="json"
    )

    assert response.status_code < 500, response.content
    if method == "get":
        assert response.status_code == 404
    if method == "patch":
        assert response.status_code in {404, 405}  # criteria take no PATCH
    assert state() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/contests/{huge}/",
        "/api/v1/contests/bukan-kontes/stages/",
        "/api/v1/regions/99.99/",
        "/api/v1/regions/{huge}/",
    ],
)
def test_api_unknown_slug_or_code_404(api, world, path):
    api.force_authenticate(world["organizer"])

    response = api.get(path.format(huge=HUGE))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"type": NUL}, "type"),
        ({"type": "desa"}, "type"),
        ({"province": NUL}, "province"),
        ({"province": str(HUGE)}, "province"),
        ({"province": "-1"}, "province"),
        ({"province": "52.72"}, "province"),
    ],
)
def test_api_regions_bad_filter_400_naming_field(api, world, query, field):
    response = api.get("/api/v1/regions/", query)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("page", [str(HUGE), "-1", "0", "abc", NUL])
@pytest.mark.parametrize(
    "path", ["/api/v1/regions/", "/api/v1/contests/", "/api/v1/contests/{slug}/stages/"]
)
def test_api_bad_page_number_404(api, world, path, page):
    api.force_authenticate(world["organizer"])

    response = api.get(path.format(slug=world["contest"].slug), {"page": page})

    assert response.status_code == 404
    assert "detail" in response.json()


# The organizer's pages

PAGE_FORMS = {
    "contest:create": {
        "name": "Kontes Baru",
        "slug": "kontes-baru",
        "host_region": "52.72",
        "timezone": "Asia/Jayapura",
        "submission_opens": "2027-06-01T08:00",
        "submission_closes": "2027-08-01T08:00",
        "max_entries_per_region": "2",
    },
    "contest:category-create": {"name": "Kesehatan", "slug": "kesehatan", "order": "1"},
    "contest:stage-create": {
        "name": "Wawancara",
        "order": "2",
        "kind": "scoring",
        "opens": "2098-01-01T08:00",
        "closes": "2098-01-08T08:00",
        "judges_per_entry": "3",
        "advance_per_category": "5",
        "disagreement_threshold": "20",
        "peer_scores_visible": "never",
    },
    "contest:delegates": {"email": "operator@example.id", "region": "52.72"},
}
PAGE_BAD = {
    "name": [NUL],
    "slug": [NUL, "Bad Slug"],
    "host_region": [NUL, str(HUGE), "-1"],
    "timezone": [NUL],
    "submission_opens": ["9999-12-31T23:59", "0001-01-01T00:00", NUL],
    "submission_closes": ["10000-01-01T00:00"],
    "max_entries_per_region": [str(HUGE), "-1", "banyak", NUL, "1e400"],
    "order": [str(HUGE), "-1", "pertama", NUL, "70000"],
    "kind": [NUL],
    "opens": ["9999-12-31T23:59", "0001-01-01T00:00", NUL],
    "closes": ["2098-13-45T00:00"],
    "judges_per_entry": [str(HUGE), "-1", "tiga"],
    "advance_per_category": [str(HUGE), "-1"],
    "disagreement_threshold": ["NaN", "Infinity", "1e400", str(HUGE), "abc"],
    "email": [NUL, "bukan-email"],
    "region": [NUL, str(HUGE), "-1", "52.72\x00"],
}
PAGE_CASES = [
    pytest.param(page, field, value, id=f"{page}-{field}-{i}")
    for page, form in PAGE_FORMS.items()
    for field in form
    if field in PAGE_BAD
    for i, value in enumerate(PAGE_BAD[field])
]


@pytest.mark.parametrize(("page", "field", "value"), PAGE_CASES)
def test_page_bad_value_error_at_field(client, world, page, field, value):
    client.force_login(world["organizer"])
    kwargs = {} if page == "contest:create" else {"slug": world["contest"].slug}
    before = state()

    response = client.post(
        reverse(page, kwargs=kwargs), {**PAGE_FORMS[page], field: value}
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert state() == before


@pytest.mark.parametrize(
    "path",
    [
        "/manage/{slug}/categories/{id}/edit/",
        "/manage/{slug}/stages/{id}/edit/",
        "/manage/{slug}/delegates/{id}/remove/",
    ],
)
@pytest.mark.parametrize("ident", [str(HUGE), str(2**63), "0"])
def test_page_huge_id_in_url_404(client, world, path, ident):
    client.force_login(world["organizer"])

    response = client.post(path.format(slug=world["contest"].slug, id=ident), {})

    assert response.status_code == 404
