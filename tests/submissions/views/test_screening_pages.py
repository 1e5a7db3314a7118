import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest.enums import RegionType
from submissions import services
from submissions.enums import ReviewStatus, SubmissionState
from tests.factories.contest import CategoryFactory, DelegateFactory, RegionFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory
from tests.submissions import samples
from tests.submissions.conftest import ROLES, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState


def url(name, entry=None, **kwargs):
    if entry is not None:
        kwargs = {"slug": entry.contest.slug, "pk": entry.pk, **kwargs}
    return reverse(f"submissions:{name}", kwargs=kwargs)


def queue_url(contest, query=""):
    return reverse("submissions:screening", kwargs={"slug": contest.slug}) + query


def _text(response):
    return response.content.decode()


@pytest.fixture
def submitted(entry, evidence):
    return set_state(entry, S.SUBMITTED)


QUEUE_STATUS = {
    "anonymous": 302,
    "delegate": 403,
    "other_delegate": 403,
    "other_organizer": 403,
    "organizer": 200,
    "superuser": 200,
}
DETAIL_STATUS = {
    "anonymous": 302,
    "delegate": 403,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 200,
    "superuser": 200,
}


# ---------------------------------------------------------------- the queue


@pytest.mark.parametrize("role", ROLES)
def test_screening_queue_is_for_the_contests_organizers(
    client, sign_in, contest, submitted, role
):
    sign_in(role)

    response = client.get(queue_url(contest))

    assert response.status_code == QUEUE_STATUS[role]
    if response.status_code == 200:
        assert submitted.title in _text(response)


def test_screening_queue_of_a_private_contest_is_404_for_outsiders(
    client, other_organizer, contest
):
    contest.is_public = False
    contest.save()
    client.force_login(other_organizer)

    response = client.get(queue_url(contest))

    assert response.status_code == 404


def test_screening_queue_leaves_drafts_out_but_counts_them(
    client, organizer, contest, category, submitted, other_entry
):
    client.force_login(organizer)

    response = client.get(queue_url(contest))

    text = _text(response)
    assert submitted.title in text
    assert other_entry.title not in text
    assert "1 draft is not submitted yet." in text


def test_screening_queue_counts_entries_per_category_and_state(
    client, organizer, contest, category
):
    health = CategoryFactory(
        contest=contest, name="Kesehatan", slug="kesehatan", order=2
    )
    for state, cat in [
        (S.SUBMITTED, category),
        (S.SUBMITTED, category),
        (S.ELIGIBLE, health),
    ]:
        set_state(SubmissionFactory(contest=contest, category=cat), state)
    client.force_login(organizer)

    response = client.get(queue_url(contest))

    rows = response.context["count_rows"]
    states = [value for value, _label in response.context["count_states"]]
    by_name = {
        cat.name: dict(zip(states, cells, strict=True)) for cat, cells, _ in rows
    }
    assert by_name["Pelayanan Publik"]["submitted"] == 2
    assert by_name["Kesehatan"]["eligible"] == 1
    assert response.context["count_total"] == 3


def test_screening_queue_filters_by_category_state_and_region_type(
    client, organizer, contest, category
):
    health = CategoryFactory(contest=contest, name="Kesehatan", slug="kesehatan")
    regency = RegionFactory(type=RegionType.KABUPATEN, name="Kabupaten Banyuasin")
    wanted = set_state(
        SubmissionFactory(
            contest=contest, category=health, region=regency, title="Cocok"
        ),
        S.SUBMITTED,
    )
    set_state(
        SubmissionFactory(contest=contest, category=health, title="Kota"), S.SUBMITTED
    )
    set_state(
        SubmissionFactory(contest=contest, category=category, title="Lain"), S.SUBMITTED
    )
    set_state(
        SubmissionFactory(
            contest=contest, category=health, region=regency, title="Layak"
        ),
        S.ELIGIBLE,
    )
    client.force_login(organizer)

    response = client.get(
        queue_url(
            contest, f"?category={health.pk}&state=submitted&region_type=kabupaten"
        )
    )

    assert [e.title for e in response.context["entries"]] == [wanted.title]


@pytest.mark.parametrize(
    "query",
    [
        "?category=abc",
        "?category=999999",
        "?state=hacked",
        "?region_type=desa",
        "?sort=;drop",
    ],
)
def test_screening_queue_ignores_invalid_filters_with_a_message(
    client, organizer, contest, submitted, query
):
    client.force_login(organizer)

    response = client.get(queue_url(contest, query))

    assert response.status_code == 200
    assert [e.pk for e in response.context["entries"]] == [submitted.pk]
    if "sort" not in query:
        assert "were ignored" in _text(response)


def test_screening_queue_filter_for_another_contests_category_is_ignored(
    client, organizer, contest, submitted
):
    foreign = CategoryFactory()
    client.force_login(organizer)

    response = client.get(queue_url(contest, f"?category={foreign.pk}"))

    assert [e.pk for e in response.context["entries"]] == [submitted.pk]
    assert "were ignored" in _text(response)


@pytest.mark.parametrize("count", [1, 3])
def test_screening_queue_runs_a_constant_number_of_queries(
    client, organizer, contest, category, count, django_assert_num_queries
):
    for _ in range(count):
        submission = SubmissionFactory(contest=contest, category=category)
        EvidenceFactory(submission=submission)
        set_state(submission, S.SUBMITTED)
    client.force_login(organizer)

    with django_assert_num_queries(11):
        response = client.get(queue_url(contest, "?sort=region"))

    assert len(response.context["entries"]) == count


def test_screening_queue_counts_evidence_without_grouping_the_entries(
    client, organizer, contest, category
):
    for evidence_rows in (0, 1, 3):
        submission = SubmissionFactory(contest=contest, category=category)
        EvidenceFactory.create_batch(evidence_rows, submission=submission)
        set_state(submission, S.SUBMITTED)
    client.force_login(organizer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(queue_url(contest, "?sort=region"))

    entries = response.context["entries"]
    joined = [q["sql"] for q in queries if 'JOIN "submissions_evidence"' in q["sql"]]
    assert sorted(e.evidence_count for e in entries) == [0, 1, 3]
    assert response.context["paginator"].count == 3
    assert joined == []


# ---------------------------------------------------------------- one entry


@pytest.mark.parametrize("role", ROLES)
def test_screening_detail_is_for_the_contests_organizers(
    client, sign_in, submitted, role
):
    sign_in(role)

    response = client.get(url("screening-detail", submitted))

    assert response.status_code == DETAIL_STATUS[role]


def test_screening_detail_shows_images_inline_and_links_pdfs(
    client, organizer, delegate, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_evidence_files(
            submission=entry,
            uploads=[
                samples.upload("poster.jpg", samples.image("JPEG")),
                samples.upload("sk.pdf", samples.pdf()),
            ],
            by=delegate,
        )
    set_state(entry, S.SUBMITTED)
    image, pdf = entry.evidence.order_by("pk")
    client.force_login(organizer)

    response = client.get(url("screening-detail", entry))

    text = _text(response)
    assert (
        f'<img src="{url("evidence-thumbnail", entry, evidence_pk=image.pk)}"' in text
    )
    assert (
        f'<a href="{url("evidence-file", entry, evidence_pk=pdf.pk)}">sk.pdf</a>'
        in text
    )
    assert "(PDF, " in text


def test_screening_marks_an_entry_eligible(client, organizer, submitted):
    client.force_login(organizer)

    response = client.post(
        url("screen", submitted), {"screen-decision": "eligible", "screen-reason": ""}
    )

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.state == S.ELIGIBLE
    assert submitted.screened_by == organizer


def test_screening_ineligible_without_a_reason_is_refused(client, organizer, submitted):
    client.force_login(organizer)

    response = client.post(
        url("screen", submitted), {"screen-decision": "ineligible", "screen-reason": ""}
    )

    submitted.refresh_from_db()
    assert response.status_code == 400
    assert "Say why the entry is ineligible." in _text(response)
    assert submitted.state == S.SUBMITTED


def test_screening_ineligible_with_a_reason_reaches_the_delegate(
    client, organizer, delegate, submitted
):
    client.force_login(organizer)
    client.post(
        url("screen", submitted),
        {"screen-decision": "ineligible", "screen-reason": "Belum berjalan dua tahun."},
    )
    client.force_login(delegate)

    response = client.get(url("detail", submitted))

    submitted.refresh_from_db()
    assert submitted.state == S.INELIGIBLE
    assert "Belum berjalan dua tahun." in _text(response)


@pytest.mark.parametrize("role", ROLES)
def test_screening_post_is_for_the_contests_organizers(
    client, sign_in, submitted, role
):
    sign_in(role)

    response = client.post(url("screen", submitted), {"screen-decision": "eligible"})

    submitted.refresh_from_db()
    assert (
        response.status_code
        == {**DETAIL_STATUS, "organizer": 302, "superuser": 302}[role]
    )
    assert (submitted.state == S.ELIGIBLE) is (role in {"organizer", "superuser"})


def test_screening_of_a_draft_is_refused(client, organizer, entry, table_rows):
    client.force_login(organizer)

    rows_before = table_rows()
    response = client.post(url("screen", entry), {"screen-decision": "eligible"})

    entry.refresh_from_db()
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "only a submitted entry can be screened" in _text(response)
    assert entry.state == S.DRAFT


def test_send_back_for_revision_reads_the_deadline_in_the_contests_time_zone(
    client, organizer, submitted, contest
):
    client.force_login(organizer)
    day = (timezone.now() + dt.timedelta(days=10)).date()

    response = client.post(
        url("request-revision", submitted),
        {
            "revision-deadline": f"{day.isoformat()}T17:00",
            "revision-note": "Lengkapi SK.",
        },
    )

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.state == S.REVISION_REQUESTED
    local = submitted.revision_deadline.astimezone(zoneinfo.ZoneInfo(contest.timezone))
    assert (local.date(), local.hour) == (day, 17)
    assert submitted.revision_note == "Lengkapi SK."


def test_send_back_for_revision_refuses_a_past_deadline(client, organizer, submitted):
    client.force_login(organizer)

    response = client.post(
        url("request-revision", submitted),
        {"revision-deadline": "2020-01-01T10:00", "revision-note": "Lengkapi SK."},
    )

    submitted.refresh_from_db()
    assert response.status_code == 400
    assert "The deadline must be in the future." in _text(response)
    assert submitted.state == S.SUBMITTED


def test_reopen_undoes_a_screening_decision(client, organizer, entry):
    set_state(entry, S.INELIGIBLE)
    client.force_login(organizer)

    response = client.post(
        url("reopen", entry), {"reopen-reason": "Salah baca berkas."}
    )

    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.state == S.SUBMITTED
    assert entry.screening_reason == ""


def test_evidence_review_records_the_verdict(client, organizer, submitted, evidence):
    client.force_login(organizer)
    prefix = f"ev{evidence.pk}"

    response = client.post(
        url("evidence-review", submitted, evidence_pk=evidence.pk),
        {
            f"{prefix}-review_status": "needs_revision",
            f"{prefix}-review_note": "Buram.",
        },
    )

    evidence.refresh_from_db()
    assert response.status_code == 302
    assert evidence.review_status == ReviewStatus.NEEDS_REVISION
    assert evidence.review_note == "Buram."


def test_evidence_review_invalid_without_a_note_is_refused(
    client, organizer, submitted, evidence
):
    client.force_login(organizer)
    prefix = f"ev{evidence.pk}"

    response = client.post(
        url("evidence-review", submitted, evidence_pk=evidence.pk),
        {f"{prefix}-review_status": "invalid", f"{prefix}-review_note": ""},
    )

    evidence.refresh_from_db()
    assert response.status_code == 400
    assert "Say what is wrong with this evidence." in _text(response)
    assert evidence.review_status == ReviewStatus.PENDING


def test_evidence_review_refused_for_the_delegate(
    client, delegate, submitted, evidence
):
    client.force_login(delegate)
    prefix = f"ev{evidence.pk}"

    response = client.post(
        url("evidence-review", submitted, evidence_pk=evidence.pk),
        {f"{prefix}-review_status": "valid", f"{prefix}-review_note": ""},
    )

    evidence.refresh_from_db()
    assert response.status_code == 403
    assert evidence.review_status == ReviewStatus.PENDING


def test_screening_detail_shows_the_history(
    client, organizer, delegate, entry, evidence
):
    services.submit_submission(submission=entry, by=delegate)
    client.force_login(organizer)

    response = client.get(url("screening-detail", entry))

    assert "Draft → Submitted" in _text(response)
    assert delegate.email in _text(response)


def test_screening_queue_shows_entries_from_every_region(
    client, organizer, contest, category
):
    for _ in range(2):
        region = DelegateFactory(contest=contest).region
        set_state(
            SubmissionFactory(contest=contest, category=category, region=region),
            S.SUBMITTED,
        )
    client.force_login(organizer)

    response = client.get(queue_url(contest))

    assert len({e.region_id for e in response.context["entries"]}) == 2


ORGANIZER_POST_STATUS = {**DETAIL_STATUS, "organizer": 302, "superuser": 302}
ORGANIZERS = {"organizer", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_send_back_is_for_the_contests_organizers(client, sign_in, submitted, role):
    sign_in(role)
    deadline = (timezone.now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        url("request-revision", submitted),
        {"revision-deadline": deadline, "revision-note": "Lengkapi."},
    )

    submitted.refresh_from_db()
    assert response.status_code == ORGANIZER_POST_STATUS[role]
    assert (submitted.state == S.REVISION_REQUESTED) is (role in ORGANIZERS)


@pytest.mark.parametrize("role", ROLES)
def test_reopen_is_for_the_contests_organizers(client, sign_in, entry, role):
    set_state(entry, S.ELIGIBLE)
    sign_in(role)

    response = client.post(url("reopen", entry), {"reopen-reason": ""})

    entry.refresh_from_db()
    assert response.status_code == ORGANIZER_POST_STATUS[role]
    assert (entry.state == S.SUBMITTED) is (role in ORGANIZERS)


@pytest.mark.parametrize("role", ROLES)
def test_evidence_review_is_for_the_contests_organizers(
    client, sign_in, submitted, evidence, role
):
    sign_in(role)
    prefix = f"ev{evidence.pk}"

    response = client.post(
        url("evidence-review", submitted, evidence_pk=evidence.pk),
        {f"{prefix}-review_status": "valid", f"{prefix}-review_note": ""},
    )

    evidence.refresh_from_db()
    assert response.status_code == ORGANIZER_POST_STATUS[role]
    assert (evidence.review_status == ReviewStatus.VALID) is (role in ORGANIZERS)
