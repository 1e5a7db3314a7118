"""An entry's dashboard: the state in words, the deadline, what is missing, the
screening, the stage reached, the provisional scores per stage during the
objection window (the feedback only after the final publication:
test_dashboard_published_only.py), the objection and its answer, the award; by
role; its queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.models import StageEntry
from results import services
from results.enums import ObjectionOutcome
from submissions.enums import ReviewStatus, SubmissionState
from tests.factories.contest import StageFactory
from tests.factories.results import ObjectionFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory

pytestmark = [pytest.mark.django_db]

S = SubmissionState


def _url(entry):
    return reverse(
        "results:entry-dashboard", kwargs={"slug": entry.contest.slug, "pk": entry.pk}
    )


def _api(entry):
    return f"/api/v1/contests/{entry.contest.slug}/submissions/{entry.pk}/dashboard/"


def _set(entry, state, **fields):
    fields.setdefault("submitted_at", timezone.now())
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.state = state
    entry.save()
    return entry


@pytest.fixture
def draft(contest, category, delegate_region):
    return SubmissionFactory(
        contest=contest, category=category, region=delegate_region, summary=""
    )


@pytest.fixture
def provisional(contest, scored, organizer, stage, entries):
    for entry in entries.values():
        StageEntry.objects.get_or_create(stage=stage, submission=entry)
    services.give_place_awards(contest=contest, by=organizer, places=1)
    return services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=3),
    )


def _text(client, entry):
    response = client.get(_url(entry))
    assert response.status_code == 200
    return response.content.decode()


def test_draft_reads_its_state_deadline_and_what_is_missing(client, delegate, draft):
    client.force_login(delegate)

    text = _text(client, draft)

    assert "Draft: not submitted yet" in text
    assert "Submissions close" in text
    assert "left)" in text
    assert draft.contest.timezone_abbreviation in text
    assert "What is missing" in text
    assert "Summary" in text
    assert "At least one piece of evidence" in text


def test_revision_reads_the_note_the_deadline_and_the_evidence_notes(
    client, delegate, draft
):
    EvidenceFactory(
        submission=draft,
        title="Foto kabur",
        review_status=ReviewStatus.NEEDS_REVISION,
        review_note="Unggah foto yang lebih jelas.",
    )
    deadline = timezone.now() + dt.timedelta(days=2)
    _set(
        draft,
        S.REVISION_REQUESTED,
        revision_deadline=deadline,
        revision_note="Lengkapi ringkasan.",
    )
    client.force_login(delegate)

    text = _text(client, draft)

    assert "Sent back for revision" in text
    assert "Revised entry due" in text
    assert "Lengkapi ringkasan." in text
    assert "Unggah foto yang lebih jelas." in text


def test_ineligible_never_reads_as_passed(client, delegate, draft):
    _set(draft, S.INELIGIBLE, screening_reason="Bukan inovasi daerah.")
    client.force_login(delegate)

    text = _text(client, draft)

    assert "Did not pass the administrative screening" in text
    assert "Bukan inovasi daerah." in text
    assert "passed the administrative screening." not in text


def test_not_advanced_says_screening_passed_and_stage_reached(
    client, delegate, draft, stage, contest
):
    StageFactory(contest=contest, name="Seleksi", order=1, kind="screening")
    _set(draft, S.NOT_ADVANCED)
    StageEntry.objects.create(stage=stage, submission=draft)
    client.force_login(delegate)

    text = _text(client, draft)

    assert "Passed the screening; did not advance further" in text
    assert "Stage reached: Penilaian dokumen" in text
    assert "Eligible; not advanced to the next stage" in text


def test_provisional_results_show_own_scores_and_objection_link(
    client, delegate, entries, provisional
):
    client.force_login(delegate)

    text = _text(client, entries["E1"])

    assert "Published score per stage (provisional" in text
    assert "Catatan A untuk E1." not in text
    assert "Catatan A untuk E2." not in text
    assert "Juri A" not in text
    assert "Objections close" in text
    assert f"?entry={entries['E1'].pk}" in text
    assert 'data-dashboard="rank">1<' in text


def test_objection_and_its_answer_are_on_the_dashboard(
    client, delegate, entries, provisional, organizer, contest
):
    objection = services.file_objection(
        contest=contest,
        submission_id=entries["E1"].pk,
        text="Data dukung kami belum dinilai.",
        by=delegate,
    )
    services.resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.DISMISSED,
        answer="Semua data dukung sudah dinilai.",
        by=organizer,
    )
    client.force_login(delegate)

    text = _text(client, entries["E1"])

    assert "Data dukung kami belum dinilai." in text
    assert "Semua data dukung sudah dinilai." in text


def test_objection_of_another_region_is_not_shown(
    client, delegate, entries, provisional
):
    ObjectionFactory(
        publication=provisional, submission=entries["E1"], text="Rahasia orang lain."
    )
    client.force_login(delegate)

    text = _text(client, entries["E1"])

    assert "Rahasia orang lain." not in text


def test_final_results_show_the_award_and_the_feedback_named_by_region(
    client, delegate, entries, published, delegate_region
):
    client.force_login(delegate)

    text = _text(client, entries["E1"])

    assert 'data-dashboard="award"><strong>' in text
    [award] = published.snapshot["entries"][0]["awards"]
    assert award in text
    assert f"Feedback report for {delegate_region.name}" in text
    feedback = reverse(
        "results:feedback",
        kwargs={"slug": entries["E1"].contest.slug, "code": delegate_region.code},
    )
    assert feedback in text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("delegate", 200),
        ("organizer", 200),
        ("other_organizer", 404),
        ("judge", 403),
    ],
)
def test_dashboard_by_role(sign_in, client, entries, scored, role, status):
    sign_in(role)

    response = client.get(_url(entries["E1"]))

    assert response.status_code == status


def test_dashboard_of_another_regions_entry_is_404(client, delegate, entries):
    client.force_login(delegate)

    response = client.get(_url(entries["E2"]))

    assert response.status_code == 404


def test_dashboard_anonymous_goes_to_sign_in(client, draft):
    response = client.get(_url(draft))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_api_dashboard_answers_what_the_page_shows(api, delegate, entries, provisional):
    api.force_authenticate(delegate)

    response = api.get(_api(entries["E1"]))

    body = response.json()
    assert response.status_code == 200
    assert body["publication"] == "provisional"
    assert body["rank"] == 1
    assert body["objections_open"] is True
    assert body["feedback"] is None
    assert body["stages"][0]["name"] == "Penilaian dokumen"
    assert body["deadline"]["label"] == "Objections close"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("other_organizer", 404), ("judge", 403), ("organizer", 200)],
)
def test_api_dashboard_by_role(api_as, api, entries, scored, role, status):
    api_as(role)

    response = api.get(_api(entries["E1"]))

    assert response.status_code == status


def _with_items(entry, provisional, n):
    for i in range(n):
        EvidenceFactory(submission=entry, title=f"Bukti {i}")
        ObjectionFactory(publication=provisional, submission=entry, text=f"S{i}")


DASHBOARD_QUERIES = 15


def test_dashboard_queries_constant_one(
    client, delegate, entries, provisional, django_assert_num_queries
):
    _with_items(entries["E1"], provisional, 1)
    client.force_login(delegate)
    client.get(_url(entries["E1"]))

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(_url(entries["E1"]))

    assert response.status_code == 200


def test_dashboard_queries_constant_three(
    client, delegate, entries, provisional, django_assert_num_queries
):
    _with_items(entries["E1"], provisional, 3)
    client.force_login(delegate)
    client.get(_url(entries["E1"]))

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(_url(entries["E1"]))

    assert response.status_code == 200
