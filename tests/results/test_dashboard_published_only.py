"""The entry dashboard during the provisional objection window shows what was
published, never the sheets as they stand: a score or a comment changed after the
provisional publication (a sheet reopened and rescored) does not reach the page
or the API; the scores per criterion and the judges' comments come only with the
final publication (results.read_feedback), as on the feedback page. A zero reads
as a figure. The API's queries stay the same whatever the number of objections
filed by the region's delegate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.models import Score, ScoreSheet, StageEntry
from results import services
from results.selectors.snapshot import published_snapshot

pytestmark = [pytest.mark.django_db]

CHANGED = "Diubah setelah pengumuman sementara."


def _page(entry):
    return reverse(
        "results:entry-dashboard", kwargs={"slug": entry.contest.slug, "pk": entry.pk}
    )


def _api(entry):
    return f"/api/v1/contests/{entry.contest.slug}/submissions/{entry.pk}/dashboard/"


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


def _rescore(entry, criterion):
    """What a reopened and rescored sheet leaves: other values and comments."""
    Score.objects.filter(
        sheet__assignment__submission=entry, criterion=criterion
    ).update(value=Decimal("1.23"), comment=CHANGED)
    ScoreSheet.objects.filter(assignment__submission=entry).update(comment=CHANGED)


def _published_stage(publication, entry):
    [row] = published_snapshot(publication).entries[entry.pk]["stages"]
    return row


def test_page_shows_the_published_scores_not_the_rescored_sheets(
    client, delegate, entries, provisional, criteria
):
    _rescore(entries["E1"], criteria[0])
    client.force_login(delegate)

    text = client.get(_page(entries["E1"])).content.decode()

    published = _published_stage(provisional, entries["E1"])
    assert 'data-dashboard="stage-scores"' in text
    assert published["normalized_score"] in text
    assert CHANGED not in text
    assert "1.23" not in text
    assert "Catatan A untuk E1." not in text
    assert 'data-dashboard="feedback"' not in text
    assert "given with the final results" in text


def test_api_shows_the_published_scores_not_the_rescored_sheets(
    api, delegate, entries, provisional, criteria
):
    _rescore(entries["E1"], criteria[0])
    api.force_authenticate(delegate)

    response = api.get(_api(entries["E1"]))

    body = response.json()
    published = _published_stage(provisional, entries["E1"])
    assert response.status_code == 200
    assert body["feedback"] is None
    assert body["stages"] == [
        {
            "stage": published["stage"],
            "name": "Penilaian dokumen",
            "raw_score": published["raw_score"],
            "normalized_score": published["normalized_score"],
            "rank": published["rank"],
        }
    ]
    assert CHANGED not in response.content.decode()
    assert "1.23" not in response.content.decode()


def test_feedback_on_the_dashboard_after_the_final_publication(
    client, api, delegate, entries, published
):
    client.force_login(delegate)
    api.force_authenticate(delegate)

    text = client.get(_page(entries["E1"])).content.decode()
    body = api.get(_api(entries["E1"])).json()

    assert 'data-dashboard="feedback"' in text
    assert "Catatan A untuk E1." in text
    assert "Catatan A untuk E2." not in text
    assert "Juri A" not in text
    assert "Catatan A untuk E1." in body["feedback"][0]["criteria"][0]["comments"]


def test_a_zero_score_reads_as_a_figure(
    client, delegate, entries, organizer, contest, stage, judges, criteria
):
    from tests.factories.results import submitted_sheet

    for judge in judges.values():
        for key, entry in entries.items():
            value = 0 if key == "E1" else 5
            submitted_sheet(
                stage=stage,
                judge=judge,
                submission=entry,
                values={criteria[0]: value, criteria[1]: value},
            )
    services.publish_contest(contest=contest, by=organizer)
    client.force_login(delegate)

    text = client.get(_page(entries["E1"])).content.decode()

    assert 'data-dashboard="final-score">0.00<' in text
    scores = text.split('data-dashboard="stage-scores"')[1].split("</table>")[0]
    assert '<td class="num">0.00</td>' in scores
    feedback = text.split('data-dashboard="feedback"')[1].split("</section>")[0]
    assert '<td class="num">0' in feedback
    assert '<td class="num">—</td>' not in feedback


# ---------------------------------------------------------------- API queries


def _objections(contest, entry, delegate, n):
    from results.models import Objection

    for i in range(n):
        objection = services.file_objection(
            contest=contest,
            submission_id=entry.pk,
            text=f"Sanggahan {i} tentang data dukung.",
            by=delegate,
        )
        assert Objection.objects.filter(pk=objection.pk, filed_by=delegate).exists()


API_QUERIES = 8


@pytest.mark.parametrize("count", [1, 3])
def test_api_dashboard_queries_constant(
    api, delegate, entries, provisional, contest, count, django_assert_num_queries
):
    _objections(contest, entries["E1"], delegate, count)
    api.force_authenticate(delegate)
    api.get(_api(entries["E1"]))

    with django_assert_num_queries(API_QUERIES):
        response = api.get(_api(entries["E1"]))

    assert response.status_code == 200
    assert len(response.json()["objections"]) == count
