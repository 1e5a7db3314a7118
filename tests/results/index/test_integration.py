"""An indicator stage in the rest of the results: advancement, the standings and
their final score, the snapshot and the public page, minutes."""

from decimal import Decimal

import pytest
from django.utils import timezone

from common.errors import DomainError
from judging.models import StageEntry
from results import selectors, services
from results.models import StageMinutes
from submissions.enums import SubmissionState
from tests.factories.indicators import answered
from tests.factories.judging import EligibleSubmissionFactory

pytestmark = [pytest.mark.django_db]


def test_advancing_an_indicator_stage_takes_its_best_entries(
    organizer, index_stage, scoring_stage, indexed
):
    decision = services.advance_stage(stage=index_stage, by=organizer)

    assert decision.advanced == sorted([indexed["D"].pk, indexed["A"].pk])
    assert set(
        StageEntry.objects.filter(stage=scoring_stage).values_list(
            "submission_id", flat=True
        )
    ) == {indexed["D"].pk, indexed["A"].pk}
    indexed["B"].refresh_from_db()
    assert indexed["B"].state == SubmissionState.NOT_ADVANCED
    assert decision.basis[0][2:] == ["87.50", "87.50"]
    assert not StageMinutes.objects.filter(stage=index_stage).exists()


def test_an_entry_that_cannot_be_assessed_never_advances(
    organizer, index_stage, scoring_stage, indexed
):
    index_stage.advance_per_category = 4
    index_stage.save()

    decision = services.advance_stage(stage=index_stage, by=organizer)

    assert indexed["C"].pk not in decision.advanced
    assert decision.not_advanced == [indexed["C"].pk]


def test_a_tie_at_the_cut_is_decided_by_the_organizer(
    organizer, contest, category, index_stage, scoring_stage, indicators, indexed
):
    index_stage.advance_per_category = 1
    index_stage.save()
    twin = EligibleSubmissionFactory(contest=contest, category=category)
    for indicator, level in zip(indicators, (2, 1, 2), strict=True):
        answered(submission=twin, criterion=indicator, level=level, verdict="valid")

    with pytest.raises(services.UndecidedTieError) as refused:
        services.advance_stage(stage=index_stage, by=organizer)
    decision = services.advance_stage(
        stage=index_stage, by=organizer, tie_break=[twin.pk]
    )

    assert {e["id"] for e in refused.value.ties[0]["entries"]} == {
        twin.pk,
        indexed["D"].pk,
    }
    assert decision.advanced == [twin.pk]


def test_advancing_before_any_validation_is_refused(
    organizer, index_stage, scoring_stage, indicators, index_entries
):
    with pytest.raises(DomainError) as refused:
        services.advance_stage(stage=index_stage, by=organizer)

    assert refused.value.status == 409
    assert "validated indicator" in str(refused.value.message)


def test_indicator_stage_minutes_are_refused_with_a_reason(index_stage, indexed):
    with pytest.raises(DomainError) as refused:
        services.generate_minutes(stage=index_stage)

    assert refused.value.status == 409
    assert "no minutes" in str(refused.value.message)


def test_the_index_score_counts_in_the_final_score(
    organizer, contest, index_stage, scoring_stage, indexed
):
    services.set_stage_weights(
        contest=contest,
        weights={index_stage.pk: "2", scoring_stage.pk: "1"},
        by=organizer,
    )

    board = selectors.contest_standings(contest)

    final = {e.submission.pk: (e.final_score, e.band) for e in board.entries}
    # The scoring stage has no sheet yet: it did not take place, the index alone counts.
    assert final[indexed["D"].pk] == (Decimal("87.50"), "Sangat Inovatif")
    assert final[indexed["B"].pk] == (Decimal("25.00"), "Kurang Inovatif")
    assert final[indexed["C"].pk] == (None, "Tidak dapat dinilai")


def test_the_snapshot_holds_the_indicator_stage(contest, index_stage, indexed):
    snapshot = selectors.build_snapshot(
        contest, kind="final", published_at=timezone.now()
    )

    (stage,) = snapshot["stages"]
    assert stage["kind"] == "indicator"
    assert stage["index_aggregation"] == "mean"
    scores = {
        row["entry"]: (row["score"], row["band"]) for row in stage["index_entries"]
    }
    assert scores == {
        indexed["A"].pk: ("62.50", "Sangat Inovatif"),
        indexed["D"].pk: ("87.50", "Sangat Inovatif"),
        indexed["B"].pk: ("25.00", "Kurang Inovatif"),
        indexed["C"].pk: (None, "Tidak dapat dinilai"),
    }
    assert [(r["index"], r["rank"], r["group"]) for r in stage["index_regions"]] == [
        ("75.00", 1, "kota"),
        ("25.00", 2, "kota"),
        (None, None, "kota"),
    ]
    entry = next(e for e in snapshot["entries"] if e["id"] == indexed["D"].pk)
    assert entry["stages"][0]["normalized_score"] == "87.50"


def test_a_scoring_stage_keeps_its_snapshot_shape(contest, stage, scored):
    snapshot = selectors.build_snapshot(
        contest, kind="final", published_at=timezone.now()
    )

    assert "kind" not in snapshot["stages"][0]
    assert "index_entries" not in snapshot["stages"][0]


def test_the_public_results_page_shows_the_index(
    client, organizer, contest, index_stage, indexed
):
    services.give_place_awards(contest=contest, by=organizer, places=1)
    services.publish_contest(contest=contest, by=organizer)
    client.cookies["django_language"] = "en"

    page = client.get(f"/contests/{contest.slug}/results/").content.decode()

    assert "Indeks Inovasi: innovation index" in page
    assert "87.50" in page
    assert "75.00" in page
    assert "Tidak dapat dinilai" in page


def test_published_exports_and_feedback_read_the_indicator_stage(
    client, organizer, delegate, contest, index_stage, indexed
):
    services.give_place_awards(contest=contest, by=organizer, places=1)
    services.publish_contest(contest=contest, by=organizer)
    client.force_login(delegate)
    base = f"/contests/{contest.slug}/results/"

    answers = {
        path: client.get(base + path)
        for path in ("export.csv", "export.xlsx", "snapshot.json", "gallery/")
    }

    assert {path: r.status_code for path, r in answers.items()} == dict.fromkeys(
        answers, 200
    )
    assert "87.50" in answers["export.csv"].content.decode()
    feedback = client.get(f"{base}feedback/{indexed['A'].region_id}/")
    assert feedback.status_code == 200
