"""What an assigned judge reads of an entry through the API: the delegates' text and
evidence, never what the organizers wrote to the delegates or about the evidence."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions.enums import ReviewStatus, SubmissionState
from tests.factories.judging import AssignmentFactory, JudgeFactory, OpenStageFactory
from tests.submissions.conftest import set_state

pytestmark = [pytest.mark.django_db]

SCREENING_REASON = "Lengkap setelah revisi kedua."
REVISION_NOTE = "Tambahkan data pengaduan 2022."
REVIEW_NOTE = "Surat keputusan sudah kedaluwarsa."
NOTES = {"screening_reason", "revision_note", "revision_deadline"}
REVIEW = {"review_status", "review_note"}


@pytest.fixture
def judged(contest, entry, evidence):
    """The delegate's entry, screened after a revision, with a reviewed document,
    assigned to a judge."""
    set_state(
        entry,
        SubmissionState.ELIGIBLE,
        screening_reason=SCREENING_REASON,
        revision_note=REVISION_NOTE,
        revision_deadline=timezone.now() - dt.timedelta(days=1),
    )
    evidence.review_status = ReviewStatus.NEEDS_REVISION
    evidence.review_note = REVIEW_NOTE
    evidence.save()
    judge = JudgeFactory(contest=contest)
    AssignmentFactory(
        stage=OpenStageFactory(contest=contest), judge=judge, submission=entry
    )
    return entry


@pytest.fixture
def judge_user(judged):
    return judged.contest.judges.get().user


def _detail(entry):
    return reverse(
        "submission-detail",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )


def _list(entry):
    return reverse("submission-list", kwargs={"contest_slug": entry.contest.slug})


def test_judge_detail_leaves_out_the_organizers_notes(api, judged, judge_user):
    api.force_authenticate(judge_user)

    response = api.get(_detail(judged))

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == judged.title
    assert NOTES.isdisjoint(body)
    assert [REVIEW.isdisjoint(item) for item in body["evidence"]] == [True]
    text = response.content.decode()
    for secret in (SCREENING_REASON, REVISION_NOTE, REVIEW_NOTE):
        assert secret not in text


def test_judge_list_leaves_out_the_organizers_notes(api, judged, judge_user):
    api.force_authenticate(judge_user)

    response = api.get(_list(judged))

    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["id"] == judged.pk
    assert NOTES.isdisjoint(item)
    assert REVIEW.isdisjoint(item["evidence"][0])


@pytest.mark.parametrize("role", ["organizer", "delegate"])
def test_organizer_and_delegate_read_the_notes(api, request, judged, role):
    api.force_authenticate(request.getfixturevalue(role))

    detail = api.get(_detail(judged)).json()
    (listed,) = api.get(_list(judged)).json()["results"]

    for body in (detail, listed):
        assert body["screening_reason"] == SCREENING_REASON
        assert body["revision_note"] == REVISION_NOTE
        assert body["revision_deadline"] is not None
        assert body["evidence"][0]["review_status"] == ReviewStatus.NEEDS_REVISION
        assert body["evidence"][0]["review_note"] == REVIEW_NOTE
