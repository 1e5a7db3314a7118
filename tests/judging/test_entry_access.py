"""Assigned judges read their entries and evidence; nobody else on the jury does."""

import pytest
from django.urls import reverse

from judging.models import ConflictOfInterest
from tests.factories.submissions import EvidenceFactory

pytestmark = [pytest.mark.django_db]


def _file_url(evidence):
    submission = evidence.submission
    return reverse(
        "submissions:evidence-file",
        kwargs={
            "slug": submission.contest.slug,
            "pk": submission.pk,
            "evidence_pk": evidence.pk,
        },
    )


def test_assigned_judge_downloads_evidence(client, judge_assigned, entry):
    evidence = EvidenceFactory(submission=entry)
    client.force_login(judge_assigned)

    response = client.get(_file_url(evidence))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_unassigned_judge_gets_404_for_evidence(client, judge_unassigned, entry):
    evidence = EvidenceFactory(submission=entry)
    client.force_login(judge_unassigned)

    response = client.get(_file_url(evidence))

    assert response.status_code == 404


def test_conflicted_judge_gets_404_for_evidence(
    client, judge_assigned, assignment, entry
):
    evidence = EvidenceFactory(submission=entry)
    ConflictOfInterest.objects.create(
        judge=assignment.judge, submission=entry, source="declared", reason="kerabat"
    )
    client.force_login(judge_assigned)

    response = client.get(_file_url(evidence))

    assert response.status_code == 404


def test_submissions_api_lists_only_assigned_entries_to_judge(
    api, judge_assigned, entry, contest
):
    from tests.factories.judging import EligibleSubmissionFactory

    other = EligibleSubmissionFactory(contest=contest)
    api.force_authenticate(judge_assigned)

    response = api.get(f"/api/v1/contests/{contest.slug}/submissions/")

    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [entry.pk]
    assert other.pk not in ids


def test_judge_made_a_delegate_of_the_entrys_province_no_longer_views_it(
    judge_assigned, assignment, entry
):
    """The conflict rule is judging's, read by submissions through the entry reader
    judging registers: it holds from the current rows, before any sync."""
    from tests.factories.contest import DelegateFactory, RegionFactory

    neighbour = RegionFactory(province=entry.region.province or entry.region)
    assert judge_assigned.has_perm("submissions.view_submission", entry) is True
    DelegateFactory(contest=entry.contest, user=judge_assigned, region=neighbour)
    fresh = type(judge_assigned).objects.get(pk=judge_assigned.pk)

    assert fresh.has_perm("submissions.view_submission", entry) is False
    assert not ConflictOfInterest.objects.exists()
