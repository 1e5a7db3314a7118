import pytest
from django.urls import reverse

from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission
from tests.factories.contest import CriterionFactory, StageFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory
from tests.submissions import samples
from tests.submissions.conftest import ROLES, close_window, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState


def list_url(contest):
    return reverse("submission-list", kwargs={"contest_slug": contest.slug})


def detail_url(entry, name="detail"):
    return reverse(
        f"submission-{name}",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )


def _payload(category, **extra):
    return {
        "category": category.pk,
        "title": "Lapor Akai Meno",
        "summary": "Pengaduan warga secara daring.",
        "problem": "Warga jauh dari kantor pemerintah.",
        "solution": "Kanal daring yang diteruskan ke OPD.",
        "impact": "Pengaduan terjawab.",
        "started_on": "2017-01-02",
        "agency": "Diskominfo Mimika",
        **extra,
    }


ANON = 401  # the API asks an anonymous caller to authenticate


# ---------------------------------------------------------------- list

LIST_STATUS = {
    "anonymous": ANON,
    "delegate": 200,
    "other_delegate": 200,
    "other_organizer": 403,
    "organizer": 200,
    "superuser": 200,
}
LIST_SEES = {
    "delegate": {"own"},
    "other_delegate": {"other"},
    "organizer": {"own", "other"},
    "superuser": {"own", "other"},
}


@pytest.mark.parametrize("role", ROLES)
def test_list_is_scoped_to_the_caller(api, api_as, contest, entry, other_entry, role):
    api_as(role)

    response = api.get(list_url(contest))

    assert response.status_code == LIST_STATUS[role]
    if response.status_code == 200:
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        titles = {r["title"] for r in body["results"]}
        expected = {"own": entry.title, "other": other_entry.title}
        assert titles == {expected[k] for k in LIST_SEES[role]}


def test_list_shows_the_entry_with_its_evidence(
    api, delegate, contest, entry, evidence, region
):
    api.force_authenticate(delegate)

    response = api.get(list_url(contest))

    [item] = response.json()["results"]
    assert item["region"] == region.code
    assert item["state"] == "draft"
    assert item["evidence"][0]["title"] == evidence.title
    assert item["evidence"][0]["content_type"] == "application/pdf"
    assert item["evidence"][0]["download_url"].endswith(
        f"/evidence/{evidence.pk}/file/"
    )


@pytest.mark.parametrize("count", [1, 3])
def test_list_runs_a_constant_number_of_queries(
    api, organizer, contest, category, count, django_assert_num_queries
):
    for _ in range(count):
        EvidenceFactory.create_batch(
            2, submission=SubmissionFactory(contest=contest, category=category)
        )
    api.force_authenticate(organizer)

    # One of them prefetches the entries' answers (their entry form).
    with django_assert_num_queries(7):
        response = api.get(list_url(contest))

    assert response.json()["count"] == count


def test_list_gives_each_evidence_its_download_url(api, organizer, contest, category):
    for _ in range(3):
        EvidenceFactory.create_batch(
            2, submission=SubmissionFactory(contest=contest, category=category)
        )
    api.force_authenticate(organizer)

    response = api.get(list_url(contest))

    evidence = [e for item in response.json()["results"] for e in item["evidence"]]
    assert [e["download_url"] for e in evidence] == [
        reverse(
            "submission-evidence-file",
            kwargs={
                "contest_slug": contest.slug,
                "pk": e.submission_id,
                "evidence_pk": e.pk,
            },
        )
        for e in Evidence.objects.order_by(
            "submission__region_id", "submission_id", "created_at", "pk"
        )
    ]


# ---------------------------------------------------------------- create

CREATE_STATUS = {
    "anonymous": ANON,
    "delegate": 201,
    "other_delegate": 201,
    "other_organizer": 403,
    "organizer": 403,
    "superuser": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_makes_a_draft_for_the_callers_region(
    api, api_as, contest, category, role
):
    user = api_as(role)

    response = api.post(list_url(contest), _payload(category), format="json")

    assert response.status_code == CREATE_STATUS[role]
    if response.status_code == 201:
        body = response.json()
        region = contest.delegates.get(user=user).region
        assert body["region"] == region.code
        assert body["state"] == "draft"
        assert Submission.objects.get(pk=body["id"]).created_by == user
    else:
        assert Submission.objects.count() == 0


def test_create_refused_outside_the_window(
    api, delegate, contest, category, table_rows
):
    close_window(contest)
    api.force_authenticate(delegate)

    rows_before = table_rows()
    response = api.post(list_url(contest), _payload(category), format="json")

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "closed on" in response.json()["detail"]
    assert Submission.objects.count() == 0


def test_create_refused_over_the_limit_names_the_field(
    api, delegate, contest, category, region
):
    contest.max_entries_per_region = 1
    contest.save()
    SubmissionFactory(contest=contest, category=category, region=region)
    api.force_authenticate(delegate)

    response = api.post(list_url(contest), _payload(category), format="json")

    assert response.status_code == 400
    assert "at most 1 entries per category" in response.json()["category"][0]
    assert Submission.objects.count() == 1


def test_create_validates_the_input(api, delegate, contest):
    api.force_authenticate(delegate)

    response = api.post(
        list_url(contest),
        {"category": 999999, "title": "", "links": ["javascript:x"]},
        format="json",
    )

    body = response.json()
    assert response.status_code == 400
    assert set(body) >= {"category", "title", "links"}


# ------------------------------------------------------- retrieve, update, delete

RETRIEVE_STATUS = {
    "anonymous": ANON,
    "delegate": 200,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 200,
    "superuser": 200,
}
WRITE_STATUS = {**RETRIEVE_STATUS, "organizer": 403, "superuser": 403}


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_answers_only_who_may_see_the_entry(api, api_as, entry, role):
    api_as(role)

    response = api.get(detail_url(entry))

    assert response.status_code == RETRIEVE_STATUS[role]
    if response.status_code == 200:
        assert response.json()["title"] == entry.title


@pytest.mark.parametrize("role", ROLES)
def test_patch_is_for_the_regions_delegates(api, api_as, entry, role):
    api_as(role)

    response = api.patch(detail_url(entry), {"title": "Judul baru"}, format="json")

    entry.refresh_from_db()
    assert response.status_code == WRITE_STATUS[role]
    assert (entry.title == "Judul baru") is (role == "delegate")
    if role == "delegate":
        assert response.json()["title"] == "Judul baru"


def test_patch_after_the_window_answers_409_and_changes_nothing(
    api, delegate, entry, contest, table_rows
):
    close_window(contest)
    old = entry.title
    api.force_authenticate(delegate)

    rows_before = table_rows()
    response = api.patch(detail_url(entry), {"title": "Telat"}, format="json")

    entry.refresh_from_db()
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "closed on" in response.json()["detail"]
    assert entry.title == old


def test_patch_of_a_submitted_entry_answers_409(api, delegate, entry, table_rows):
    set_state(entry, S.SUBMITTED)
    api.force_authenticate(delegate)

    rows_before = table_rows()
    response = api.patch(detail_url(entry), {"title": "Diubah"}, format="json")

    assert response.status_code == 409
    assert table_rows() == rows_before


@pytest.mark.parametrize("role", ROLES)
def test_delete_is_for_the_regions_delegates(api, api_as, entry, role):
    api_as(role)

    response = api.delete(detail_url(entry))

    expected = 204 if role == "delegate" else WRITE_STATUS[role]
    assert response.status_code == expected
    assert Submission.objects.filter(pk=entry.pk).exists() is (role != "delegate")


def test_delete_of_a_submitted_entry_answers_409(api, delegate, entry, table_rows):
    set_state(entry, S.SUBMITTED)
    api.force_authenticate(delegate)

    rows_before = table_rows()
    response = api.delete(detail_url(entry))

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert Submission.objects.filter(pk=entry.pk).exists()


# ---------------------------------------------------------------- evidence

EVIDENCE_STATUS = {**WRITE_STATUS, "delegate": 201}


@pytest.mark.parametrize("role", ROLES)
def test_evidence_upload_is_for_the_regions_delegates(api, api_as, entry, role):
    api_as(role)

    response = api.post(
        detail_url(entry, "evidence"),
        {"file": samples.upload("sk.pdf", samples.pdf()), "title": "SK Inovasi"},
        format="multipart",
    )

    assert response.status_code == EVIDENCE_STATUS[role]
    assert Evidence.objects.filter(submission=entry).exists() is (role == "delegate")


def test_evidence_upload_answers_the_stored_evidence(api, delegate, entry, contest):
    criterion = CriterionFactory(stage=StageFactory(contest=contest))
    api.force_authenticate(delegate)

    response = api.post(
        detail_url(entry, "evidence"),
        {
            "file": samples.upload("../../etc/passwd.pdf", samples.pdf()),
            "title": "SK",
            "criterion": criterion.pk,
        },
        format="multipart",
    )

    body = response.json()
    assert response.status_code == 201
    assert body["original_name"] == "passwd.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["criterion"] == criterion.pk
    assert body["size"] == len(samples.pdf())


def test_evidence_link_as_json(api, delegate, entry):
    api.force_authenticate(delegate)

    response = api.post(
        detail_url(entry, "evidence"),
        {"url": "https://youtu.be/akai-meno", "title": "Video"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["url"] == "https://youtu.be/akai-meno"
    assert response.json()["kind"] == "link"


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        (
            {"file": ("foto.png", b"bukan gambar"), "title": "x"},
            "file",
            "not a file of an",
        ),
        ({"file": ("kosong.pdf", b""), "title": "x"}, "file", "is empty"),
        ({"url": "javascript:alert(1)", "title": "x"}, "url", "http://"),
        ({"title": "x"}, "file", "Send a file"),
    ],
)
def test_evidence_refused_names_the_field_and_the_reason(
    api, delegate, entry, evidence, payload, field, reason
):
    api.force_authenticate(delegate)
    if "file" in payload:
        name, content = payload["file"]
        payload = {**payload, "file": samples.upload(name, content)}

    response = api.post(detail_url(entry, "evidence"), payload, format="multipart")

    assert response.status_code == 400
    assert reason in response.json()[field][0]
    assert list(entry.evidence.all()) == [evidence]


def test_evidence_refused_outside_the_window_with_409(
    api, delegate, entry, contest, table_rows
):
    close_window(contest)
    api.force_authenticate(delegate)

    rows_before = table_rows()
    response = api.post(
        detail_url(entry, "evidence"),
        {"file": samples.upload("sk.pdf", samples.pdf()), "title": "SK"},
        format="multipart",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert not entry.evidence.exists()


def test_evidence_refuses_a_criterion_of_another_contest(api, delegate, entry):
    foreign = CriterionFactory()
    api.force_authenticate(delegate)

    response = api.post(
        detail_url(entry, "evidence"),
        {"url": "https://a.id", "title": "x", "criterion": foreign.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "criterion" in response.json()


# ---------------------------------------------------------------- submit

SUBMIT_STATUS = {**WRITE_STATUS, "delegate": 200}


@pytest.mark.parametrize("role", ROLES)
def test_submit_is_for_the_regions_delegates(api, api_as, entry, evidence, role):
    api_as(role)

    response = api.post(detail_url(entry, "submit"))

    entry.refresh_from_db()
    assert response.status_code == SUBMIT_STATUS[role]
    assert (entry.state == S.SUBMITTED) is (role == "delegate")
    if role == "delegate":
        assert response.json()["state"] == "submitted"


def test_submit_outside_the_window_answers_409_and_changes_nothing(
    api, delegate, entry, evidence, contest, table_rows
):
    close_window(contest)
    api.force_authenticate(delegate)

    rows_before = table_rows()
    response = api.post(detail_url(entry, "submit"))

    entry.refresh_from_db()
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "closed on" in response.json()["detail"]
    assert entry.state == S.DRAFT
    assert entry.submitted_at is None


def test_submit_of_an_incomplete_entry_names_the_field(api, delegate, entry, evidence):
    entry.summary = ""
    entry.save()
    api.force_authenticate(delegate)

    response = api.post(detail_url(entry, "submit"))

    assert response.status_code == 400
    assert "summary" in response.json()["summary"][0]


# ---------------------------------------------------------------- screen

SCREEN_STATUS = {
    "anonymous": ANON,
    "delegate": 403,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_screen_is_for_the_contests_organizers(api, api_as, entry, role):
    set_state(entry, S.SUBMITTED)
    api_as(role)

    response = api.post(detail_url(entry, "screen"), {"eligible": True}, format="json")

    entry.refresh_from_db()
    assert response.status_code == SCREEN_STATUS[role]
    assert (entry.state == S.ELIGIBLE) is (role in {"organizer", "superuser"})


def test_screen_ineligible_needs_a_reason(api, organizer, entry):
    set_state(entry, S.SUBMITTED)
    api.force_authenticate(organizer)

    refused = api.post(detail_url(entry, "screen"), {"eligible": False}, format="json")
    accepted = api.post(
        detail_url(entry, "screen"),
        {"eligible": False, "reason": "Belum diterapkan."},
        format="json",
    )

    entry.refresh_from_db()
    assert refused.status_code == 400
    assert refused.json()["reason"] == ["Say why the entry is ineligible."]
    assert accepted.status_code == 200
    assert accepted.json()["screening_reason"] == "Belum diterapkan."
    assert entry.state == S.INELIGIBLE


def test_screen_of_a_draft_answers_409(api, organizer, entry, table_rows):
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(detail_url(entry, "screen"), {"eligible": True}, format="json")

    assert response.status_code == 409
    assert table_rows() == rows_before


def test_another_regions_draft_and_evidence_are_404_through_the_api(
    api, delegate, other_entry
):
    api.force_authenticate(delegate)

    responses = [
        api.get(detail_url(other_entry)),
        api.patch(detail_url(other_entry), {"title": "x"}, format="json"),
        api.delete(detail_url(other_entry)),
        api.post(detail_url(other_entry, "submit")),
        api.post(
            detail_url(other_entry, "evidence"),
            {"url": "https://a.id", "title": "x"},
            format="json",
        ),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    other_entry.refresh_from_db()
    assert other_entry.title == "Rahasia Daerah Lain"
    assert other_entry.evidence.count() == 1
