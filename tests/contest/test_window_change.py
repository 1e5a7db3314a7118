"""A window moved after work has started in it: the organizer's page asks first
(nothing saved until confirmed, what was typed kept), and every path that moves it
(page, API, service) tells those it reaches, each in their own language."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from contest import services, windows
from contest.enums import StageKind
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
    StageFactory,
)
from tests.factories.judging import AssignmentFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]

EVENT = "contest.window_changed"


def _sent(event=EVENT):
    return Notification.objects.filter(event=event).order_by("email")


def _scoring_stage_with_judges(count=2):
    stage = StageFactory(
        kind=StageKind.SCORING,
        order=2,
        opens=timezone.now() - dt.timedelta(days=2),
        closes=timezone.now() + dt.timedelta(days=10),
    )
    for _ in range(count):
        AssignmentFactory(stage=stage)
    return stage


def _stage_form(stage, **overrides):
    data = {
        "name": stage.name,
        "order": stage.order,
        "kind": stage.kind,
        "opens": timezone.localtime(stage.opens, stage.contest.tzinfo).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "closes": timezone.localtime(stage.closes, stage.contest.tzinfo).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "judges_per_entry": stage.judges_per_entry,
        "disagreement_threshold": stage.disagreement_threshold,
        "peer_scores_visible": stage.peer_scores_visible,
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- the service


def test_moving_a_scoring_window_tells_each_assigned_judge_once():
    stage = _scoring_stage_with_judges(2)
    judge = stage.assignments.first().judge
    AssignmentFactory(stage=stage, judge=judge)  # a second entry, same judge
    organizer = OrganizerFactory(contest=stage.contest).user
    earlier = stage.closes - dt.timedelta(days=3)

    services.update_stage(stage=stage, by=organizer, data={"closes": earlier})

    emails = sorted(stage.assignments.values_list("judge__user__email", flat=True))
    assert [n.email for n in _sent()] == sorted(set(emails))
    note = _sent().first()
    assert note.contest_id == stage.contest_id
    assert note.context["shortened"] is True
    assert stage.name in note.context["window"]


def test_a_window_moved_later_is_not_called_shorter():
    stage = _scoring_stage_with_judges(1)
    organizer = OrganizerFactory(contest=stage.contest).user

    services.update_stage(
        stage=stage,
        by=organizer,
        data={"closes": stage.closes + dt.timedelta(days=2)},
    )

    assert [n.context["shortened"] for n in _sent()] == [False]


def test_a_stage_without_work_moves_quietly():
    stage = StageFactory(kind=StageKind.SCORING, order=2)
    organizer = OrganizerFactory(contest=stage.contest).user

    services.update_stage(
        stage=stage, by=organizer, data={"closes": stage.closes + dt.timedelta(1)}
    )

    assert not _sent().exists()


def test_other_changes_to_a_stage_tell_nobody():
    stage = _scoring_stage_with_judges(2)
    organizer = OrganizerFactory(contest=stage.contest).user

    services.update_stage(stage=stage, by=organizer, data={"name": "Wawancara"})

    assert not _sent().exists()


def test_the_submission_window_moved_after_entries_tells_the_delegates():
    contest = ContestFactory()
    organizer = OrganizerFactory(contest=contest).user
    delegates = [DelegateFactory(contest=contest) for _ in range(3)]
    SubmissionFactory(contest=contest, region=delegates[0].region)

    services.update_contest(
        contest=contest,
        by=organizer,
        data={"submission_closes": contest.submission_closes - dt.timedelta(1)},
    )

    assert sorted(n.email for n in _sent()) == sorted(d.user.email for d in delegates)
    assert all(n.context["shortened"] for n in _sent())


def test_the_submission_window_before_any_entry_moves_quietly():
    contest = ContestFactory()
    organizer = OrganizerFactory(contest=contest).user
    DelegateFactory(contest=contest)

    services.update_contest(
        contest=contest,
        by=organizer,
        data={"submission_closes": contest.submission_closes + dt.timedelta(1)},
    )

    assert not _sent().exists()


def test_each_recipient_reads_the_dates_in_their_own_language():
    stage = _scoring_stage_with_judges(2)
    first, second = (a.judge.user for a in stage.assignments.order_by("pk"))
    first.language, second.language = "en", "id"
    first.save(update_fields=["language"])
    second.save(update_fields=["language"])
    organizer = OrganizerFactory(contest=stage.contest).user
    closes = dt.datetime(2031, 9, 14, 15, 59, tzinfo=dt.UTC)

    services.update_stage(stage=stage, by=organizer, data={"closes": closes})

    by_email = {n.email: n for n in _sent()}
    assert "Agustus" not in by_email[first.email].context["window"]
    assert by_email[first.email].context["window"].startswith("The window of")
    assert by_email[second.email].language == "id"
    assert by_email[second.email].context["window"].startswith("Masa Tahap")


def test_the_summary_says_how_many_are_told_and_that_it_closes_earlier():
    stage = _scoring_stage_with_judges(3)

    change = windows.stage_window_change(
        stage, {"closes": stage.closes - dt.timedelta(days=1)}
    )

    assert change.affects_anyone
    assert change.shortened
    with translation.override("en"):
        assert "3 people" in change.summary()
        assert "closes earlier than announced" in change.summary()
    with translation.override("id"):
        assert "3 orang" in change.summary()
    assert windows.stage_window_change(stage, {"closes": stage.closes}) is None


# ---------------------------------------------------------------- the page


@pytest.fixture
def organizer_client(client):
    def sign_in(contest):
        client.force_login(OrganizerFactory(contest=contest).user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


def test_the_page_asks_first_and_saves_nothing_until_confirmed(organizer_client):
    stage = _scoring_stage_with_judges(2)
    client = organizer_client(stage.contest)
    url = reverse(
        "contest:stage-edit", kwargs={"slug": stage.contest.slug, "pk": stage.pk}
    )
    old_closes = stage.closes
    new_closes = (old_closes - dt.timedelta(days=3)).astimezone(stage.contest.tzinfo)
    data = _stage_form(stage, closes=new_closes.strftime("%Y-%m-%dT%H:%M"))

    asked = client.post(url, data)

    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Confirm the new dates" in html
    assert "2 people with work in it will be told" in html
    assert "closes earlier than announced" in html
    assert 'name="confirm_window_change" value="1"' in html
    assert new_closes.strftime("%Y-%m-%dT%H:%M") in html  # what was typed is kept
    stage.refresh_from_db()
    assert stage.closes == old_closes
    assert not _sent().exists()

    confirmed = client.post(url, {**data, "confirm_window_change": "1"})

    assert confirmed.status_code == 302
    stage.refresh_from_db()
    assert stage.closes == new_closes.replace(second=0, microsecond=0)
    assert _sent().count() == 2


def test_the_page_does_not_ask_when_nobody_is_affected(organizer_client):
    stage = StageFactory(kind=StageKind.SCORING, order=2)
    client = organizer_client(stage.contest)
    url = reverse(
        "contest:stage-edit", kwargs={"slug": stage.contest.slug, "pk": stage.pk}
    )
    later = (stage.closes + dt.timedelta(days=1)).astimezone(stage.contest.tzinfo)

    response = client.post(
        url, _stage_form(stage, closes=later.strftime("%Y-%m-%dT%H:%M"))
    )

    assert response.status_code == 302


def test_the_contest_page_asks_before_moving_the_submission_window(organizer_client):
    contest = ContestFactory()
    delegate = DelegateFactory(contest=contest)
    SubmissionFactory(contest=contest, region=delegate.region)
    client = organizer_client(contest)
    zone = contest.tzinfo
    closes = (contest.submission_closes + dt.timedelta(days=5)).astimezone(zone)
    data = {
        "name": contest.name,
        "slug": contest.slug,
        "host_region": contest.host_region.code,
        "timezone": contest.timezone,
        "submission_opens": contest.submission_opens.astimezone(zone).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "submission_closes": closes.strftime("%Y-%m-%dT%H:%M"),
        "max_entries_per_region": contest.max_entries_per_region,
        "description": contest.description,
    }
    url = reverse("contest:edit", kwargs={"slug": contest.slug})

    asked = client.post(url, data)

    assert asked.status_code == 200, asked.content.decode()[:2000]
    assert "1 person with work in it will be told" in asked.content.decode()
    assert not _sent().exists()
    confirmed = client.post(url, {**data, "confirm_window_change": "1"})
    assert confirmed.status_code == 302
    assert [n.email for n in _sent()] == [delegate.user.email]


# ---------------------------------------------------------------- the API


def test_the_api_applies_the_move_and_tells_the_judges(api):
    stage = _scoring_stage_with_judges(2)
    api.force_authenticate(OrganizerFactory(contest=stage.contest).user)
    closes = stage.closes - dt.timedelta(days=1)

    response = api.patch(
        f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/",
        {"closes": closes.isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert _sent().count() == 2
    assert all(n.context["shortened"] for n in _sent())


def test_a_stranger_moves_nothing_and_tells_nobody(api):
    stage = _scoring_stage_with_judges(1)
    api.force_authenticate(UserFactory())

    response = api.patch(
        f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/",
        {"closes": (stage.closes - dt.timedelta(days=1)).isoformat()},
        format="json",
    )

    assert response.status_code in (403, 404)
    assert not _sent().exists()
