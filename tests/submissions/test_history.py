"""Eligibility from history: the minimum running time at submit, the earlier entry
of the same innovation (named, confirmed, rejected) and the awards it won, which
the final publication writes (`awards_won`)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from results import services as results_services
from submissions import services
from submissions.enums import PreviousEntryState, SubmissionState
from submissions.history import add_months, months_between, running_status
from submissions.services.history import (
    claim_previous_entry,
    confirm_previous_entry,
    previous_entry_choices,
)
from tests.factories.contest import ContestFactory, OrganizerFactory
from tests.factories.judging import (
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
)
from tests.factories.results import submitted_sheet
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]


def published_winner(region, *, slug="kipp-2023"):
    """An entry of `region` that won "Terbaik I" in an earlier contest, published
    through the final publication (which writes `awards_won`)."""
    earlier = ContestFactory(
        slug=slug,
        submission_opens=timezone.now() - dt.timedelta(days=400),
        submission_closes=timezone.now() - dt.timedelta(days=380),
    )
    organizer = OrganizerFactory(contest=earlier).user
    stage = OpenStageFactory(contest=earlier, order=1)
    criterion = StepCriterionFactory(stage=stage, weight=Decimal(100))
    judge = JudgeFactory(contest=earlier)
    winner = EligibleSubmissionFactory(contest=earlier, region=region, title="Lama")
    submitted_sheet(stage=stage, judge=judge, submission=winner, values={criterion: 8})
    results_services.give_place_awards(contest=earlier, by=organizer, places=1)
    results_services.publish_contest(contest=earlier, by=organizer)
    winner.refresh_from_db()
    return winner


# ---------------------------------------------------------------- running time


@pytest.mark.parametrize(
    ("start", "months", "qualifies"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 11, 15), 14, dt.date(2025, 1, 15)),
    ],
)
def test_add_months_clamps_the_day(start, months, qualifies):
    assert add_months(start, months) == qualifies


def test_months_between_counts_whole_months():
    assert months_between(dt.date(2024, 1, 15), dt.date(2025, 3, 14)) == 13
    assert months_between(dt.date(2024, 1, 15), dt.date(2025, 3, 15)) == 14
    assert months_between(dt.date(2025, 1, 15), dt.date(2024, 3, 15)) == 0


def test_submit_refuses_a_too_recent_innovation_naming_started_on(
    entry, evidence, delegate
):
    today = timezone.localdate()
    entry.contest.min_running_months = 12
    entry.contest.save()
    entry.started_on = today - dt.timedelta(days=100)
    entry.save()

    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    assert exc.value.field == "started_on"
    assert "12 months" in str(exc.value.message)
    assert "qualifies from" in str(exc.value.message)
    entry.refresh_from_db()
    assert entry.state == SubmissionState.DRAFT


def test_submit_refuses_a_missing_start_date_when_a_minimum_is_set(
    entry, evidence, delegate
):
    entry.contest.min_running_months = 6
    entry.contest.save()
    entry.started_on = None
    entry.save()

    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    assert exc.value.field == "started_on"


def test_submit_takes_an_innovation_running_long_enough(entry, evidence, delegate):
    entry.contest.min_running_months = 12
    entry.contest.save()
    entry.started_on = dt.date(2021, 3, 1)
    entry.save()

    services.submit_submission(submission=entry, by=delegate)

    assert running_status(entry).ok
    assert entry.state == SubmissionState.SUBMITTED


# ---------------------------------------------------------------- earlier entry


def test_publication_writes_awards_won_once(region):
    winner = published_winner(region)

    assert winner.awards_won == ["Terbaik I"]


def test_claim_previous_entry_offers_only_the_regions_other_contests(
    entry, delegate, region
):
    mine = SubmissionFactory(region=region)
    SubmissionFactory()
    same_contest = SubmissionFactory(contest=entry.contest, region=region)

    choices = list(previous_entry_choices(entry))

    assert mine in choices
    assert same_contest not in choices
    assert entry not in choices
    assert len(choices) == 1


def test_claim_previous_entry_refuses_another_regions_entry(entry, delegate):
    with pytest.raises(DomainError) as exc:
        claim_previous_entry(
            submission=entry, previous_entry=SubmissionFactory(), by=delegate
        )

    assert exc.value.field == "previous_entry"


def test_submit_refuses_an_entry_whose_earlier_entry_won_a_listed_award(
    entry, evidence, delegate, region
):
    winner = published_winner(region)
    entry.contest.past_award_exclusions = [
        {"contest": "kipp-2023", "awards": ["Terbaik I"]}
    ]
    entry.contest.save()
    claim_previous_entry(submission=entry, previous_entry=winner, by=delegate)

    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    assert exc.value.field == "previous_entry"
    assert "Terbaik I" in str(exc.value.message)
    assert entry.previous_entry_state == PreviousEntryState.CLAIMED


def test_an_award_not_listed_does_not_exclude(entry, evidence, delegate, region):
    winner = published_winner(region)
    entry.contest.past_award_exclusions = [
        {"contest": "kipp-2023", "awards": ["Top 45"]}
    ]
    entry.contest.save()
    claim_previous_entry(submission=entry, previous_entry=winner, by=delegate)

    services.submit_submission(submission=entry, by=delegate)

    assert entry.state == SubmissionState.SUBMITTED


def test_a_rejected_link_no_longer_counts(entry, evidence, delegate, organizer, region):
    winner = published_winner(region)
    entry.contest.past_award_exclusions = [{"contest": "kipp-2023", "awards": []}]
    entry.contest.save()
    claim_previous_entry(submission=entry, previous_entry=winner, by=delegate)

    confirm_previous_entry(
        submission=entry, confirmed=False, note="Inovasi lain.", by=organizer
    )
    services.submit_submission(submission=entry, by=delegate)

    assert entry.previous_entry_state == PreviousEntryState.REJECTED
    assert entry.state == SubmissionState.SUBMITTED
    checked = AuditEntry.objects.get(action="submission.previous_entry_checked")
    assert checked.data["state"] == "rejected"
    assert checked.data["note"] == "Inovasi lain."


def test_confirm_previous_entry_is_for_organizers_and_needs_a_link(
    entry, delegate, organizer, region
):
    with pytest.raises(DomainError) as exc:
        confirm_previous_entry(submission=entry, confirmed=True, by=organizer)
    assert exc.value.status == 409
    claim_previous_entry(
        submission=entry, previous_entry=SubmissionFactory(region=region), by=delegate
    )

    with pytest.raises(DomainError) as exc:
        confirm_previous_entry(submission=entry, confirmed=True, by=delegate)

    assert exc.value.status == 403
    confirm_previous_entry(submission=entry, confirmed=True, by=organizer)
    assert entry.previous_entry_state == PreviousEntryState.CONFIRMED
    assert entry.previous_entry_checked_by == organizer


def test_the_link_is_hashed_by_the_ledger_and_a_change_outside_it_shows(
    entry, delegate, organizer, region
):
    from contest.ledger import verify_rows

    claim_previous_entry(
        submission=entry, previous_entry=SubmissionFactory(region=region), by=delegate
    )
    confirm_previous_entry(
        submission=entry, confirmed=False, note="Lain.", by=organizer
    )
    before = [p for p in verify_rows().problems if p.object_id == str(entry.pk)]

    type(entry).objects.filter(pk=entry.pk).update(previous_entry_note="Diubah")

    after = [p for p in verify_rows().problems if p.object_id == str(entry.pk)]
    assert before == []
    assert len(after) == 1
