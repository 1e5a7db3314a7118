"""Deadline reminders: 3 days and 1 day before a window closes, to delegates whose
region still has drafts (the submission window) and to judges with unsubmitted
sheets (a scoring stage), never twice for the same window and person, a moved
window reminded again, frozen contests and closed windows left alone; and the
beat schedule's task, run by `manage.py run_scheduled`."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contest.enums import StageKind
from judging.services.reminders import send_scoring_deadline_reminders
from notifications.models import Notification
from submissions.enums import SubmissionState
from submissions.services.reminders import send_deadline_reminders
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    ContestFactory,
    DelegateFactory,
    RegionFactory,
    StageFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    JudgeFactory,
    ScoreSheetFactory,
    SubmittedSheetFactory,
)
from tests.factories.submissions import SubmissionFactory
from tests.notifications.mailbox import SITE, hosts, html_of

pytestmark = [pytest.mark.django_db]

# 16:00 WITA (the contest's zone) on 5 March 2099.
CLOSES = dt.datetime(2099, 3, 5, 8, 0, tzinfo=dt.UTC)
THREE_DAYS_BEFORE = CLOSES - dt.timedelta(hours=60)
ONE_DAY_BEFORE = CLOSES - dt.timedelta(hours=20)


def by_address():
    return {message.to[0]: message for message in mail.outbox}


def run(send, now, capture) -> int:
    with capture(execute=True):
        return send(now=now)


# ---------------------------------------------------------------- delegates


@pytest.fixture
def contest():
    return ContestFactory(
        name="Kontes Kepala Daerah Inovatif",
        timezone="Asia/Makassar",
        submission_opens=CLOSES - dt.timedelta(days=30),
        submission_closes=CLOSES,
    )


@pytest.fixture
def bima(contest):
    """Kota Bima: two drafts and one submitted entry, two delegates (en, id)."""
    region = RegionFactory(code="52.72", name="Kota Bima")
    for title in ("Saninu", "Command Center"):
        SubmissionFactory(contest=contest, region=region, title=title)
    SubmissionFactory(
        contest=contest,
        region=region,
        title="Sudah diajukan",
        state=SubmissionState.SUBMITTED,
    )
    return region


@pytest.fixture
def english(contest, bima):
    user = UserFactory(email="rina@bimakota.go.id", name="Rina", language="en")
    return DelegateFactory(contest=contest, region=bima, user=user).user


@pytest.fixture
def indonesian(contest, bima):
    user = UserFactory(email="budi@bimakota.go.id", name="Budi", language="id")
    return DelegateFactory(contest=contest, region=bima, user=user).user


@pytest.fixture
def done(contest):
    """A delegate whose region submitted everything."""
    delegate = DelegateFactory(contest=contest)
    SubmissionFactory(
        contest=contest, region=delegate.region, state=SubmissionState.SUBMITTED
    )
    return delegate.user


@pytest.fixture
def delegates(english, indonesian, done):
    return [english, indonesian]


def test_three_days_before_the_delegates_with_drafts_are_reminded_once(
    contest, delegates, english, indonesian, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks

    first = run(send_deadline_reminders, THREE_DAYS_BEFORE, capture)
    again = run(
        send_deadline_reminders, THREE_DAYS_BEFORE + dt.timedelta(hours=1), capture
    )

    assert (first, again) == (2, 0)
    messages = by_address()
    assert sorted(messages) == sorted([english.email, indonesian.email])
    en, idn = messages[english.email], messages[indonesian.email]
    assert en.subject == (
        "Reminder: submissions to Kontes Kepala Daerah Inovatif close on "
        "5 March 2099, 16:00 WITA"
    )
    assert idn.subject == (
        "Pengingat: pengajuan entri Kontes Kepala Daerah Inovatif ditutup pada "
        "5 Maret 2099, 16.00 WITA"
    )
    assert "Kota Bima still has 2 draft entries in" in en.body
    assert "- Command Center\n- Saninu\n" in en.body
    assert "Sudah diajukan" not in en.body
    assert "The submission window closes on 5 March 2099, 16:00 WITA." in en.body
    assert "Halo Budi," in idn.body
    assert "5 Maret 2099, 16.00 WITA" in idn.body
    assert f"{SITE}{reverse('submissions:my-entries')}" in en.body
    assert hosts(en.body) == hosts(html_of(idn)) == {"inovasi.example.go.id"}
    assert {row.event for row in Notification.objects.all()} == {"submission.deadline"}


def test_the_one_day_reminder_follows_the_three_day_one(
    contest, delegates, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run(send_deadline_reminders, THREE_DAYS_BEFORE, capture)
    mail.outbox.clear()

    later = run(send_deadline_reminders, ONE_DAY_BEFORE, capture)
    again = run(
        send_deadline_reminders, ONE_DAY_BEFORE + dt.timedelta(hours=19), capture
    )

    assert (later, again) == (2, 0)
    assert len(mail.outbox) == 2
    marks = sorted(row.context["mark"] for row in Notification.objects.all())
    assert marks == ["1d", "1d", "3d", "3d"]


def test_a_window_found_inside_the_last_day_gets_only_the_one_day_reminder(
    contest, delegates, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks

    sent = run(send_deadline_reminders, ONE_DAY_BEFORE, capture)

    assert sent == 2
    assert {row.context["mark"] for row in Notification.objects.all()} == {"1d"}


def test_no_reminder_more_than_three_days_before_or_after_the_close(
    contest, delegates, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks

    early = run(send_deadline_reminders, CLOSES - dt.timedelta(hours=73), capture)
    late = run(send_deadline_reminders, CLOSES, capture)

    assert (early, late) == (0, 0)
    assert mail.outbox == []


def test_a_moved_window_gets_new_reminders(
    contest, delegates, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run(send_deadline_reminders, THREE_DAYS_BEFORE, capture)
    contest.submission_closes = CLOSES + dt.timedelta(days=1)
    contest.save(update_fields=["submission_closes"])
    mail.outbox.clear()

    sent = run(send_deadline_reminders, THREE_DAYS_BEFORE, capture)
    moved = run(
        send_deadline_reminders, THREE_DAYS_BEFORE + dt.timedelta(days=1), capture
    )

    assert (sent, moved) == (0, 2)
    assert all(
        "6 March 2099" in m.body or "6 Maret 2099" in m.body for m in mail.outbox
    )


def test_frozen_contests_are_skipped(
    contest, delegates, django_capture_on_commit_callbacks
):
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    sent = run(
        send_deadline_reminders, THREE_DAYS_BEFORE, django_capture_on_commit_callbacks
    )

    assert sent == 0
    assert mail.outbox == []


def test_a_window_not_yet_open_is_skipped(
    contest, delegates, django_capture_on_commit_callbacks
):
    contest.submission_opens = ONE_DAY_BEFORE
    contest.save(update_fields=["submission_opens"])

    sent = run(
        send_deadline_reminders, THREE_DAYS_BEFORE, django_capture_on_commit_callbacks
    )

    assert sent == 0


# ---------------------------------------------------------------- judges


@pytest.fixture
def stage(contest):
    return StageFactory(
        contest=contest,
        name="Penilaian dokumen",
        kind=StageKind.SCORING,
        opens=CLOSES - dt.timedelta(days=14),
        closes=CLOSES,
    )


@pytest.fixture
def late_judge(contest, stage):
    """Two sheets to go (one drafted, one not begun) and one submitted."""
    judge = JudgeFactory(
        contest=contest, name="Dr. Andi", user=UserFactory(language="en")
    )
    ScoreSheetFactory(assignment=AssignmentFactory(stage=stage, judge=judge))
    AssignmentFactory(stage=stage, judge=judge)
    SubmittedSheetFactory(assignment=AssignmentFactory(stage=stage, judge=judge))
    return judge


@pytest.fixture
def indonesian_judge(contest, stage):
    judge = JudgeFactory(
        contest=contest, name="Dr. Sari", user=UserFactory(language="id")
    )
    AssignmentFactory(stage=stage, judge=judge)
    return judge


@pytest.fixture
def finished_judge(contest, stage):
    judge = JudgeFactory(contest=contest)
    SubmittedSheetFactory(assignment=AssignmentFactory(stage=stage, judge=judge))
    return judge


@pytest.fixture
def judges(late_judge, indonesian_judge, finished_judge):
    return [late_judge, indonesian_judge]


def test_judges_with_unsubmitted_sheets_are_reminded_three_days_before_once(
    judges, late_judge, indonesian_judge, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks

    first = run(send_scoring_deadline_reminders, THREE_DAYS_BEFORE, capture)
    again = run(send_scoring_deadline_reminders, THREE_DAYS_BEFORE, capture)

    assert (first, again) == (2, 0)
    messages = by_address()
    assert sorted(messages) == sorted(
        [late_judge.user.email, indonesian_judge.user.email]
    )
    en, idn = messages[late_judge.user.email], messages[indonesian_judge.user.email]
    assert en.subject == (
        "Reminder: scoring for Penilaian dokumen closes on 5 March 2099, 16:00 WITA"
    )
    assert idn.subject == (
        "Pengingat: penilaian Penilaian dokumen ditutup pada 5 Maret 2099, 16.00 WITA"
    )
    assert "Hello Dr. Andi," in en.body
    assert "You still have 2 score sheets to submit for Penilaian dokumen" in en.body
    assert "Scoring closes on 5 March 2099, 16:00 WITA." in en.body
    assert "Penilaian ditutup pada 5 Maret 2099, 16.00 WITA." in idn.body
    assert f"{SITE}{reverse('judging:my-assignments')}" in en.body
    assert hosts(en.body) == hosts(html_of(idn)) == {"inovasi.example.go.id"}
    assert {row.event for row in Notification.objects.all()} == {"judging.deadline"}


def test_judges_get_the_one_day_reminder_later(
    judges, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run(send_scoring_deadline_reminders, THREE_DAYS_BEFORE, capture)

    later = run(send_scoring_deadline_reminders, ONE_DAY_BEFORE, capture)
    again = run(send_scoring_deadline_reminders, ONE_DAY_BEFORE, capture)

    assert (later, again) == (2, 0)
    assert len(mail.outbox) == 4


def test_a_judge_whose_sheets_are_all_submitted_hears_nothing(
    finished_judge, django_capture_on_commit_callbacks
):
    sent = run(
        send_scoring_deadline_reminders,
        THREE_DAYS_BEFORE,
        django_capture_on_commit_callbacks,
    )

    assert sent == 0
    assert mail.outbox == []


def test_a_moved_stage_gets_new_reminders(
    stage, judges, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run(send_scoring_deadline_reminders, THREE_DAYS_BEFORE, capture)
    stage.closes = CLOSES + dt.timedelta(hours=6)
    stage.save(update_fields=["closes"])

    moved = run(send_scoring_deadline_reminders, THREE_DAYS_BEFORE, capture)

    assert moved == 2
    assert "5 March 2099, 22:00 WITA" in mail.outbox[-1].body + mail.outbox[-2].body


def test_stages_of_frozen_contests_and_closed_stages_are_skipped(
    contest, stage, judges, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    closed = run(send_scoring_deadline_reminders, CLOSES, capture)
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    frozen = run(send_scoring_deadline_reminders, THREE_DAYS_BEFORE, capture)

    assert (closed, frozen) == (0, 0)
    assert mail.outbox == []


# ---------------------------------------------------------------- the schedule


def test_run_scheduled_sends_the_due_reminders_once(
    settings, django_capture_on_commit_callbacks
):
    closes = timezone.now() + dt.timedelta(hours=50)
    contest = ContestFactory(
        submission_opens=closes - dt.timedelta(days=30), submission_closes=closes
    )
    delegate = DelegateFactory(contest=contest, user=UserFactory(language="en"))
    SubmissionFactory(contest=contest, region=delegate.region)
    stage = StageFactory(
        contest=contest, opens=closes - dt.timedelta(days=7), closes=closes
    )
    judge = AssignmentFactory(stage=stage).judge

    assert settings.CELERY_BEAT_SCHEDULE["deadline-reminders"] == {
        "task": "judging.deadline_reminders",
        "schedule": 900.0,
    }
    first, second = io.StringIO(), io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled", stdout=first)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled", stdout=second)

    assert "deadline-reminders: {'delegates': 1, 'judges': 1}" in first.getvalue()
    assert "deadline-reminders: {'delegates': 0, 'judges': 0}" in second.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [delegate.user.email, judge.user.email]
    )
    events = sorted(Notification.objects.values_list("event", flat=True))
    assert events == ["judging.deadline", "submission.deadline"]
