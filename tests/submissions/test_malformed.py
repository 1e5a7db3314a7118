"""Malformed values on the entries' endpoints and pages answer 4xx naming the field:
far dates, wrong types, NUL bytes, huge or negative ids, strings for numbers, bad
booleans. Never a 5xx, and nothing is saved. Run on SQLite and PostgreSQL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contest.models import AuditEntry
from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission
from tests.factories.contest import CriterionFactory, StageFactory
from tests.submissions import samples
from tests.submissions.conftest import set_state

pytestmark = [pytest.mark.django_db]

HUGE = 2**70
BIGINT = 2**63
NUL = "Saninu\x00"


@pytest.fixture
def world(contest, category, entry, evidence, delegate, organizer):
    return {
        "contest": contest,
        "category": category,
        "criterion": CriterionFactory(stage=StageFactory(contest=contest)),
        "entry": entry,
        "evidence": evidence,
        "delegate": delegate,
        "organizer": organizer,
    }


def _saved():
    return (
        list(Submission.objects.order_by("pk").values()),
        list(Evidence.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


# ---------------------------------------------------------------- the API


def _api(world, name="list", pk=None):
    kwargs = {"contest_slug": world["contest"].slug}
    if name != "list":
        kwargs["pk"] = world["entry"].pk if pk is None else pk
    return reverse(f"submission-{name}", kwargs=kwargs)


def _new(world, **extra):
    return {"category": world["category"].pk, "title": "Saninu", **extra}


# (method, endpoint, body or body maker, field named in the answer)
API_CASES = {
    "create category huge": (
        "post",
        "list",
        lambda w: _new(w, category=HUGE),
        "category",
    ),
    "create category bigint": (
        "post",
        "list",
        lambda w: _new(w, category=BIGINT),
        "category",
    ),
    "create category negative": (
        "post",
        "list",
        lambda w: _new(w, category=-1),
        "category",
    ),
    "create category bool": (
        "post",
        "list",
        lambda w: _new(w, category=True),
        "category",
    ),
    "create category float": (
        "post",
        "list",
        lambda w: _new(w, category=1.0),
        "category",
    ),
    "create category text": (
        "post",
        "list",
        lambda w: _new(w, category="abc"),
        "category",
    ),
    "create category digits with junk": (
        "post",
        "list",
        lambda w: _new(w, category="1\x00"),
        "category",
    ),
    "create category object": (
        "post",
        "list",
        lambda w: _new(w, category={"id": 1}),
        "category",
    ),
    "create title NUL": ("post", "list", lambda w: _new(w, title=NUL), "title"),
    "create title list": ("post", "list", lambda w: _new(w, title=["x"]), "title"),
    "create summary NUL": ("post", "list", lambda w: _new(w, summary=NUL), "summary"),
    "create agency NUL": ("post", "list", lambda w: _new(w, agency=NUL), "agency"),
    "create started_on year 1": (
        "post",
        "list",
        lambda w: _new(w, started_on="0001-01-01"),
        "started_on",
    ),
    "create started_on year 9999": (
        "post",
        "list",
        lambda w: _new(w, started_on="9999-12-31"),
        "started_on",
    ),
    "create started_on year 99999": (
        "post",
        "list",
        lambda w: _new(w, started_on="99999-12-31"),
        "started_on",
    ),
    "create started_on number": (
        "post",
        "list",
        lambda w: _new(w, started_on=20210301),
        "started_on",
    ),
    "create started_on NUL": (
        "post",
        "list",
        lambda w: _new(w, started_on="2021-03-01\x00"),
        "started_on",
    ),
    "create links text": (
        "post",
        "list",
        lambda w: _new(w, links="https://a.id"),
        "links",
    ),
    "create links null item": (
        "post",
        "list",
        lambda w: _new(w, links=[None]),
        "links",
    ),
    "create links NUL": (
        "post",
        "list",
        lambda w: _new(w, links=["https://a.id/\x00"]),
        "links",
    ),
    "create links control character": (
        "post",
        "list",
        lambda w: _new(w, links=["https://a.id/\x01"]),
        "links",
    ),
    "create body list": ("post", "list", lambda w: [1, 2], "non_field_errors"),
    "patch started_on year 1": (
        "patch",
        "detail",
        lambda w: {"started_on": "0001-01-01"},
        "started_on",
    ),
    "patch category text": (
        "patch",
        "detail",
        lambda w: {"category": "abc"},
        "category",
    ),
    "patch category huge": (
        "patch",
        "detail",
        lambda w: {"category": HUGE},
        "category",
    ),
    "patch title NUL": ("patch", "detail", lambda w: {"title": NUL}, "title"),
    "patch problem object": ("patch", "detail", lambda w: {"problem": {}}, "problem"),
    "evidence criterion huge": (
        "post",
        "evidence",
        lambda w: {"url": "https://a.id", "title": "Video", "criterion": HUGE},
        "criterion",
    ),
    "evidence criterion negative": (
        "post",
        "evidence",
        lambda w: {"url": "https://a.id", "title": "Video", "criterion": -5},
        "criterion",
    ),
    "evidence criterion bool": (
        "post",
        "evidence",
        lambda w: {"url": "https://a.id", "title": "Video", "criterion": True},
        "criterion",
    ),
    "evidence criterion exponent": (
        "post",
        "evidence",
        lambda w: {"url": "https://a.id", "title": "Video", "criterion": "1e3"},
        "criterion",
    ),
    "evidence url NUL": (
        "post",
        "evidence",
        lambda w: {"url": "https://a.id/\x00", "title": "Video"},
        "url",
    ),
    "evidence url number": (
        "post",
        "evidence",
        lambda w: {"url": 5, "title": "Video"},
        "url",
    ),
    "evidence title NUL": (
        "post",
        "evidence",
        lambda w: {"url": "https://a.id", "title": NUL},
        "title",
    ),
    "evidence file text": (
        "post",
        "evidence",
        lambda w: {"file": "not a file", "title": "Dokumen"},
        "file",
    ),
    "screen eligible word": (
        "post",
        "screen",
        lambda w: {"eligible": "maybe"},
        "eligible",
    ),
    "screen eligible number": ("post", "screen", lambda w: {"eligible": 2}, "eligible"),
    "screen eligible object": (
        "post",
        "screen",
        lambda w: {"eligible": {"a": 1}},
        "eligible",
    ),
    "screen eligible list": (
        "post",
        "screen",
        lambda w: {"eligible": [True]},
        "eligible",
    ),
    "screen eligible null": (
        "post",
        "screen",
        lambda w: {"eligible": None},
        "eligible",
    ),
    "screen eligible missing": ("post", "screen", lambda w: {}, "eligible"),
    "screen reason NUL": (
        "post",
        "screen",
        lambda w: {"eligible": False, "reason": NUL},
        "reason",
    ),
    "screen reason list": (
        "post",
        "screen",
        lambda w: {"eligible": False, "reason": ["x"]},
        "reason",
    ),
}
ORGANIZER_ENDPOINTS = {"screen"}


@pytest.mark.parametrize("case", sorted(API_CASES))
def test_api_refuses_a_malformed_value_naming_the_field(api, world, case):
    method, endpoint, body, field = API_CASES[case]
    set_state(world["entry"], SubmissionState.DRAFT)
    if endpoint in ORGANIZER_ENDPOINTS:
        set_state(world["entry"], SubmissionState.SUBMITTED)
        api.force_authenticate(world["organizer"])
    else:
        api.force_authenticate(world["delegate"])
    before = _saved()

    response = getattr(api, method)(_api(world, endpoint), body(world), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert _saved() == before


def test_api_refuses_a_multipart_criterion_that_is_not_an_id(api, world):
    api.force_authenticate(world["delegate"])
    upload = SimpleUploadedFile("a.pdf", samples.pdf(), content_type="application/pdf")
    before = _saved()

    response = api.post(
        _api(world, "evidence"),
        {"file": upload, "title": "Laporan", "criterion": "12abc"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "criterion" in response.json()
    assert _saved() == before


URL_IDS = [str(HUGE), str(BIGINT), "-1", "0", "abc", "1%00", "%00"]
URL_CALLS = [
    ("get", "detail"),
    ("patch", "detail"),
    ("delete", "detail"),
    ("post", "evidence"),
    ("post", "submit"),
    ("post", "screen"),
]


@pytest.mark.parametrize("pk", URL_IDS)
@pytest.mark.parametrize(("method", "endpoint"), URL_CALLS)
def test_api_answers_404_for_an_id_in_the_url_that_is_no_entry(
    api, world, method, endpoint, pk
):
    api.force_authenticate(world["organizer"])
    base = _api(world, endpoint, pk=999)
    path = base.replace("/999/", f"/{pk}/")
    before = _saved()

    response = getattr(api, method)(path, {"title": "x"}, format="json")

    assert response.status_code == 404
    assert _saved() == before


@pytest.mark.parametrize("page", ["abc", str(HUGE), "-1", "0", "%00"])
def test_api_list_answers_404_for_a_page_that_does_not_exist(api, world, page):
    api.force_authenticate(world["delegate"])

    response = api.get(_api(world) + f"?page={page}")

    assert response.status_code == 404
    assert "detail" in response.json()


# ---------------------------------------------------------------- the pages


def _page(name, world, **kwargs):
    entry = world["entry"]
    if name == "create":
        return reverse("submissions:create", kwargs={"slug": entry.contest.slug})
    return reverse(
        f"submissions:{name}",
        kwargs={"slug": entry.contest.slug, "pk": entry.pk, **kwargs},
    )


def _entry_form(world, **extra):
    return {"category": world["category"].pk, "title": "Saninu", "links": "", **extra}


def _review(world, **values):
    prefix = f"ev{world['evidence'].pk}"
    return {f"{prefix}-{name}": value for name, value in values.items()}


# (role, page, entry state, data maker, the field's HTML id)
PAGE_CASES = {
    "create category huge": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, category=str(HUGE)),
        "id_category",
    ),
    "create category negative": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, category="-1"),
        "id_category",
    ),
    "create category text": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, category="abc"),
        "id_category",
    ),
    "create title NUL": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, title=NUL),
        "id_title",
    ),
    "create started_on year 1": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, started_on="0001-01-01"),
        "id_started_on",
    ),
    "create started_on year 9999": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, started_on="9999-12-31"),
        "id_started_on",
    ),
    "create started_on year 99999": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, started_on="99999-12-31"),
        "id_started_on",
    ),
    "create links NUL": (
        "delegate",
        "create",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, links="https://a.id/\x00"),
        "id_links",
    ),
    "edit started_on year 1": (
        "delegate",
        "edit",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, started_on="0001-01-01"),
        "id_started_on",
    ),
    "edit category huge": (
        "delegate",
        "edit",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, category=str(BIGINT)),
        "id_category",
    ),
    "edit impact NUL": (
        "delegate",
        "edit",
        SubmissionState.DRAFT,
        lambda w: _entry_form(w, impact=NUL),
        "id_impact",
    ),
    "evidence upload criterion text": (
        "delegate",
        "evidence",
        SubmissionState.DRAFT,
        lambda w: {
            "files": [SimpleUploadedFile("a.pdf", samples.pdf())],
            "criterion": "abc",
        },
        "id_criterion",
    ),
    "evidence upload criterion huge": (
        "delegate",
        "evidence",
        SubmissionState.DRAFT,
        lambda w: {
            "files": [SimpleUploadedFile("a.pdf", samples.pdf())],
            "criterion": str(HUGE),
        },
        "id_criterion",
    ),
    "evidence link criterion huge": (
        "delegate",
        "evidence-link",
        SubmissionState.DRAFT,
        lambda w: {"url": "https://a.id", "title": "Video", "criterion": str(HUGE)},
        "id_criterion",
    ),
    "evidence link url NUL": (
        "delegate",
        "evidence-link",
        SubmissionState.DRAFT,
        lambda w: {"url": "https://a.id/\x00", "title": "Video"},
        "id_url",
    ),
    "evidence link title NUL": (
        "delegate",
        "evidence-link",
        SubmissionState.DRAFT,
        lambda w: {"url": "https://a.id", "title": NUL},
        "id_title",
    ),
    "withdraw reason NUL": (
        "delegate",
        "withdraw",
        SubmissionState.SUBMITTED,
        lambda w: {"reason": NUL},
        "id_reason",
    ),
    "screen decision word": (
        "organizer",
        "screen",
        SubmissionState.SUBMITTED,
        lambda w: {"screen-decision": "maybe"},
        "id_screen-decision",
    ),
    "screen reason NUL": (
        "organizer",
        "screen",
        SubmissionState.SUBMITTED,
        lambda w: {"screen-decision": "ineligible", "screen-reason": NUL},
        "id_screen-reason",
    ),
    "revision deadline year 9999": (
        "organizer",
        "request-revision",
        SubmissionState.SUBMITTED,
        lambda w: {"revision-deadline": "9999-12-31T23:59", "revision-note": "x"},
        "id_revision-deadline",
    ),
    "revision deadline year 9999 in another zone": (
        "organizer",
        "request-revision",
        SubmissionState.SUBMITTED,
        lambda w: {
            "revision-deadline": "9999-12-31T23:59",
            "revision-note": "x",
            "timezone": "Asia/Jakarta",
        },
        "id_revision-deadline",
    ),
    "revision deadline year 1": (
        "organizer",
        "request-revision",
        SubmissionState.SUBMITTED,
        lambda w: {"revision-deadline": "0001-01-01T00:00", "revision-note": "x"},
        "id_revision-deadline",
    ),
    "revision deadline text": (
        "organizer",
        "request-revision",
        SubmissionState.SUBMITTED,
        lambda w: {"revision-deadline": "besok", "revision-note": "x"},
        "id_revision-deadline",
    ),
    "revision note NUL": (
        "organizer",
        "request-revision",
        SubmissionState.SUBMITTED,
        lambda w: {"revision-deadline": "", "revision-note": NUL},
        "id_revision-note",
    ),
    "reopen reason NUL": (
        "organizer",
        "reopen",
        SubmissionState.SUBMITTED,
        lambda w: {"reopen-reason": NUL},
        "id_reopen-reason",
    ),
    "review status unknown": (
        "organizer",
        "evidence-review",
        SubmissionState.SUBMITTED,
        lambda w: _review(w, review_status="bogus"),
        "review_status",
    ),
    "review note NUL": (
        "organizer",
        "evidence-review",
        SubmissionState.SUBMITTED,
        lambda w: _review(w, review_status="invalid", review_note=NUL),
        "review_note",
    ),
}


@pytest.mark.parametrize("case", sorted(PAGE_CASES))
def test_page_refuses_a_malformed_value_at_its_field(client, world, case):
    role, page, state, data, field_id = PAGE_CASES[case]
    set_state(world["entry"], state)
    client.force_login(world[role])
    kwargs = {"evidence_pk": world["evidence"].pk} if page == "evidence-review" else {}
    if field_id in ("review_status", "review_note"):
        field_id = f"id_ev{world['evidence'].pk}-{field_id}"
    before = _saved()

    response = client.post(_page(page, world, **kwargs), data(world))

    assert response.status_code == 400
    assert f'id="{field_id}_error"' in response.content.decode()
    assert _saved() == before


@pytest.mark.parametrize(
    "query",
    [
        f"?category={HUGE}",
        "?category=-1",
        "?category=abc",
        "?state=%00",
        "?q=%00",
        "?sort=%00",
        "?region_type=%00",
    ],
)
def test_screening_queue_ignores_malformed_filters(client, world, query):
    set_state(world["entry"], SubmissionState.SUBMITTED)
    client.force_login(world["organizer"])
    url = reverse("submissions:screening", kwargs={"slug": world["contest"].slug})

    response = client.get(url + query)

    assert response.status_code == 200
    assert world["entry"].title in response.content.decode()


@pytest.mark.parametrize("page", ["abc", str(HUGE), "-1"])
def test_screening_queue_answers_404_for_a_page_that_does_not_exist(
    client, world, page
):
    client.force_login(world["organizer"])
    url = reverse("submissions:screening", kwargs={"slug": world["contest"].slug})

    response = client.get(url + f"?page={page}")

    assert response.status_code == 404


@pytest.mark.parametrize("pk", [str(HUGE), str(BIGINT)])
@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("delegate", "/entries/{slug}/{pk}/"),
        ("delegate", "/entries/{slug}/{pk}/edit/"),
        ("delegate", "/entries/{slug}/{entry}/evidence/{pk}/remove/"),
        ("delegate", "/entries/{slug}/{entry}/evidence/{pk}/file/"),
        ("organizer", "/manage/{slug}/screening/{pk}/"),
        ("organizer", "/manage/{slug}/screening/{pk}/screen/"),
        ("organizer", "/manage/{slug}/screening/{entry}/evidence/{pk}/review/"),
    ],
)
def test_page_answers_404_for_a_huge_id_in_the_url(client, world, role, path, pk):
    client.force_login(world[role])
    url = path.format(slug=world["contest"].slug, entry=world["entry"].pk, pk=pk)

    send = client.get if path.endswith("/file/") else client.post
    before = _saved()

    response = send(url, {"reason": "x"})

    assert response.status_code == 404
    assert _saved() == before
