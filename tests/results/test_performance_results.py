"""A stage's computation is kept by a stamp of its sheets and rubric, so every
write that changes the results must change the stamp: each test warms the kept
computation, makes one write and checks the figures read right after are those
computed afresh (and that they moved). The published snapshot is prepared once;
the published-results API answers its canonical bytes with an ETag."""

import hashlib
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import F

from contest.models import Criterion, Delegate
from judging import services as judging_services
from judging.models import Assignment, Score, ScoreSheet, StageEntry
from results import selectors
from results.api.serializers import PublishedResultsSerializer
from results.selectors import snapshot as snapshot_module
from submissions.enums import SubmissionState
from submissions.models import Submission
from tests.factories.judging import AssignmentFactory, JudgeFactory

pytestmark = [pytest.mark.django_db]


def figures(computation) -> dict:
    """What the page shows of a computation, comparable across two of them."""
    return {
        "entries": {
            entry.entry_id: (entry.raw_score, entry.normalized_score, entry.rank)
            for entry in computation.results.entries
        },
        "sheets": sorted((s.sheet_id, s.score) for s in computation.sheets),
        "excluded": sorted(s.sheet_id for s in computation.excluded),
    }


def fresh(stage) -> dict:
    cache.clear()
    return figures(selectors.stage_results(stage, ranked_by="normalized"))


@pytest.fixture
def warm(stage, scored):
    """The stage's computation kept; answers its figures."""
    cache.clear()
    before = figures(selectors.stage_results(stage, ranked_by="normalized"))
    assert figures(selectors.stage_results(stage, ranked_by="normalized")) == before
    return before


def read_after(stage, before) -> dict:
    """The figures read right after a write (the kept path), checked against a
    fresh computation and against what was shown before."""
    after = figures(selectors.stage_results(stage, ranked_by="normalized"))
    assert after == fresh(stage)
    assert after != before
    return after


def test_a_kept_computation_skips_the_score_rows(
    stage, scored, django_assert_num_queries
):
    cache.clear()
    with django_assert_num_queries(4):
        selectors.stage_results(stage, ranked_by="normalized")
    # the rubric with the stamp, the first stage's entries, the conflicts
    with django_assert_num_queries(3):
        selectors.stage_results(stage, ranked_by="normalized")


@pytest.mark.parametrize("extra", [0, 3])
def test_kept_queries_do_not_grow_with_sheets(
    stage, scored, criteria, contest, category, extra, django_assert_num_queries
):
    from tests.factories.judging import EligibleSubmissionFactory
    from tests.factories.results import submitted_sheet

    judge = JudgeFactory(contest=contest)
    for index in range(extra):
        submission = EligibleSubmissionFactory(contest=contest, category=category)
        submitted_sheet(
            stage=stage,
            judge=judge,
            submission=submission,
            values={criteria[0]: 5 + index, criteria[1]: 5},
        )
    selectors.stage_results(stage, ranked_by="normalized")
    with django_assert_num_queries(3):
        selectors.stage_results(stage, ranked_by="normalized")


def test_a_submitted_sheet_shows_at_once(stage, warm, contest, entries, criteria):
    judge = JudgeFactory(contest=contest)
    StageEntry.objects.get_or_create(stage=stage, submission=entries["E3"])
    sheet = judging_services.ensure_sheet(
        assignment=AssignmentFactory(stage=stage, judge=judge, submission=entries["E3"])
    )
    judging_services.record_sheet(
        sheet=sheet,
        scores=[
            {"criterion": criteria[0].pk, "value": "10"},
            {"criterion": criteria[1].pk, "value": "10"},
        ],
        comment="",
        submit=True,
        by=judge.user,
    )

    read_after(stage, warm)


def test_a_reopened_sheet_shows_at_once(stage, warm, scored, organizer):
    judging_services.reopen_sheet(sheet=scored["E1", "A"], by=organizer)

    read_after(stage, warm)


def test_a_saved_sheet_shows_at_once(stage, warm, scored):
    # what record_sheet writes: the values, the version up by one
    sheet = scored["E2", "B"]
    Score.objects.filter(sheet=sheet).update(value=Decimal(10))
    ScoreSheet.objects.filter(pk=sheet.pk).update(version=F("version") + 1)

    read_after(stage, warm)


def test_a_conflict_declared_after_scoring_excludes_at_once(
    stage, warm, judges, entries, organizer
):
    judging_services.declare_conflict(
        judge=judges["A"], submission=entries["E1"], reason="Kerabat", by=organizer
    )

    after = read_after(stage, warm)
    assert after["excluded"]


def test_a_conflict_no_exclusion_records_yet_shows_at_once(
    stage, warm, judges, entries, contest
):
    Delegate.objects.create(
        contest=contest, user=judges["A"].user, region=entries["E1"].region
    )

    after = read_after(stage, warm)
    assert after["excluded"]


def test_an_edited_criterion_shows_at_once(stage, warm, criteria):
    Criterion.objects.filter(pk=criteria[0].pk).update(max_score=Decimal(20))

    read_after(stage, warm)


def test_a_removed_assignment_shows_at_once(stage, warm, scored):
    Assignment.objects.filter(pk=scored["E3", "C"].assignment_id).delete()

    read_after(stage, warm)


def test_an_entry_leaving_the_stage_shows_at_once(stage, warm, entries):
    Submission.objects.filter(pk=entries["E3"].pk).update(
        state=SubmissionState.WITHDRAWN
    )

    read_after(stage, warm)


def test_the_stage_page_shows_a_reopened_sheet_at_once(
    client, organizer, contest, stage, scored
):
    from django.urls import reverse

    cache.clear()
    client.force_login(organizer)
    url = reverse("results:stage", kwargs={"slug": contest.slug, "stage_pk": stage.pk})
    before = client.get(url).context["page"].sheet_count
    judging_services.reopen_sheet(sheet=scored["E1", "A"], by=organizer)

    after = client.get(url).context["page"].sheet_count

    assert (before, after) == (9, 8)


# ---------------------------------------------------------------- the snapshot


def api_url(contest) -> str:
    return f"/api/v1/contests/{contest.slug}/results/"


def test_public_pages_read_the_snapshot_prepared_at_publication(
    client, contest, published, django_assert_num_queries
):
    from django.urls import reverse

    url = reverse("results:gallery", kwargs={"slug": contest.slug})
    with django_assert_num_queries(2):
        client.get(url)
    snapshot_module._kept.clear()
    # a process that did not publish prepares it once, then keeps it
    with django_assert_num_queries(3):
        client.get(url)
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 3


def test_published_results_answer_the_stored_bytes_with_an_etag(
    api, contest, published
):
    response = api.get(api_url(contest))

    assert response.status_code == 200
    assert response["ETag"] == f'"{published.digest}"'
    assert response.json() == json.loads(
        json.dumps(PublishedResultsSerializer(published).data)
    )
    snapshot = json.dumps(
        response.json()["snapshot"],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    assert hashlib.sha256(snapshot).hexdigest() == published.digest


def test_published_results_answer_304_to_their_etag(
    api, contest, published, django_assert_num_queries
):
    etag = f'"{published.digest}"'

    with django_assert_num_queries(2):
        response = api.get(api_url(contest), HTTP_IF_NONE_MATCH=f'"x", W/{etag}')
    other = api.get(api_url(contest), HTTP_IF_NONE_MATCH='"0"')

    assert (response.status_code, response.content) == (304, b"")
    assert response["ETag"] == etag
    assert other.status_code == 200
