"""The site's e-mails go through the outbox: the invitation (delegate, judge,
organizer), the judge's reminder and the conflict notice to the organizers. Each
is in its recipient's language, with links to SITE_URL, and survives a broker
that is down."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from contest import services as contest_services
from judging import services as judging_services
from judging.models import ReminderLog, StageEntry
from notifications import services
from notifications.enums import NotificationState
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory, OrganizerFactory, RegionFactory
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    SubmittedSheetFactory,
)
from tests.notifications.mailbox import SITE, hosts, html_of, paths

pytestmark = [pytest.mark.django_db]

SET_PASSWORD_PATH = "/accounts/password/reset/key/"


# ---------------------------------------------------------------- invitations


def test_invitation_of_a_new_delegate_is_indonesian_with_the_password_link(
    contest, organizer, django_capture_on_commit_callbacks
):
    region = RegionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        contest_services.invite_delegate(
            contest=contest, email="operator@bima.go.id", region=region, by=organizer
        )

    (message,) = mail.outbox
    assert message.to == ["operator@bima.go.id"]
    assert message.subject == f"Undangan {contest.name}"
    assert "operator daerah" in message.body
    assert "Atur kata sandi Anda" in message.body
    assert hosts(message.body) == {"inovasi.example.go.id"}
    assert any(p.startswith(SET_PASSWORD_PATH) for p in paths(message.body))
    assert f"/contests/{contest.slug}/" in paths(message.body)
    row = Notification.objects.get()
    assert (row.event, row.language, row.contest_id) == ("invitation", "id", contest.pk)
    assert row.state == NotificationState.SENT


def test_invitation_of_a_judge_in_english_signs_in_without_a_link(
    contest, organizer, django_capture_on_commit_callbacks
):
    user = UserFactory(email="andi@ugm.ac.id", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        judging_services.invite_judge(contest=contest, email=user.email, by=organizer)

    (message,) = mail.outbox
    assert message.to == ["andi@ugm.ac.id"]
    assert message.subject == f"Invitation to {contest.name}"
    assert "You have been invited to judge in" in message.body
    assert "Sign in with your existing account:" in message.body
    assert f"{SITE}/accounts/login/" in message.body
    assert SET_PASSWORD_PATH not in message.body
    assert hosts(message.body) == {"inovasi.example.go.id"}
    assert hosts(html_of(message)) == {"inovasi.example.go.id"}


def test_a_new_organizer_is_invited(
    contest, organizer, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        contest_services.add_organizer(contest=contest, user=user, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        contest_services.add_organizer(contest=contest, user=user, by=organizer)

    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == f"Invitation to {contest.name}"
    assert f"You have been made an organizer of {contest.name}" in message.body
    assert f"{SITE}/accounts/login/" in message.body


def test_a_new_organizer_without_a_password_gets_the_link(
    contest, organizer, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")
    user.set_unusable_password()
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        contest_services.add_organizer(contest=contest, user=user, by=organizer)

    (message,) = mail.outbox
    assert "Set your password with this link (it works once):" in message.body
    assert any(p.startswith(SET_PASSWORD_PATH) for p in paths(message.body))


def test_invitation_html_escapes_the_contest_name_and_plain_text_does_not(
    organizer, django_capture_on_commit_callbacks
):
    contest = ContestFactory(name='Smart City & Inovasi "Daerah" <2023>')
    contest.organizers.create(user=organizer)

    with django_capture_on_commit_callbacks(execute=True):
        contest_services.invite_delegate(
            contest=contest,
            email="operator@bima.go.id",
            region=RegionFactory(),
            by=organizer,
        )

    (message,) = mail.outbox
    html = html_of(message)
    assert contest.name in message.body
    assert message.subject == f"Undangan {contest.name}"
    assert "Smart City &amp; Inovasi &quot;Daerah&quot; &lt;2023&gt;" in html
    assert "<2023>" not in html


def test_an_invitation_queued_before_the_outbox_is_still_sent(
    contest, django_capture_on_commit_callbacks
):
    from contest.tasks import task_send_invitation

    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        task_send_invitation.delay(
            user_id=user.pk, contest_id=contest.pk, role="judge", new_account=False
        )

    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "You have been invited to judge in" in message.body
    assert Notification.objects.get().state == NotificationState.SENT


def test_inviting_a_delegate_with_the_broker_down_answers_and_sends_later(
    monkeypatch, api, contest, organizer, django_capture_on_commit_callbacks
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    region = RegionFactory(code="52.72", name="Kota Bima")
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/contests/{contest.slug}/delegates/",
            {"email": "operator@bimakota.go.id", "region": "52.72"},
            format="json",
        )

    assert response.status_code == 201
    assert response.json()["region"] == region.code
    row = Notification.objects.get()
    assert (row.event, row.state, row.email) == (
        "invitation",
        NotificationState.PENDING,
        "operator@bimakota.go.id",
    )
    assert mail.outbox == []
    assert services.sweep() == 1
    assert services.sweep() == 0
    assert [m.to for m in mail.outbox] == [["operator@bimakota.go.id"]]


def test_inviting_a_delegate_on_the_page_with_the_broker_down(
    monkeypatch, client, contest, organizer, django_capture_on_commit_callbacks
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    region = RegionFactory()
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contest:delegates", kwargs={"slug": contest.slug}),
            {"email": "operator@example.id", "region": region.code},
        )

    assert response.status_code == 302
    assert Notification.objects.get().state == NotificationState.PENDING
    assert services.sweep() == 1
    assert [m.to for m in mail.outbox] == [["operator@example.id"]]


# ---------------------------------------------------------------- reminders


@pytest.fixture
def late_stage(contest):
    """An open stage closing at 16:00 WITA (the contest's zone) on 5 March 2099."""
    return OpenStageFactory(
        contest=contest,
        name="Penilaian dokumen",
        closes=dt.datetime(2099, 3, 5, 8, 0, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize(
    ("language", "subject", "text"),
    [
        (
            "en",
            "Reminder: score sheets for Penilaian dokumen",
            "Scoring closes on 5 March 2099, 16:00 WITA.",
        ),
        (
            "id",
            "Pengingat: lembar nilai untuk Penilaian dokumen",
            "Penilaian ditutup pada 5 Maret 2099, 16:00 WITA.",
        ),
    ],
)
def test_reminder_in_the_judges_language(
    contest,
    organizer,
    late_stage,
    django_capture_on_commit_callbacks,
    language,
    subject,
    text,
):
    judge = JudgeFactory(
        contest=contest, name="Dr. Andi", user=UserFactory(language=language)
    )
    AssignmentFactory(stage=late_stage, judge=judge)
    AssignmentFactory(stage=late_stage, judge=judge)
    SubmittedSheetFactory(assignment=AssignmentFactory(stage=late_stage))

    with django_capture_on_commit_callbacks(execute=True):
        count = judging_services.request_reminders(stage=late_stage, by=organizer)

    (message,) = mail.outbox
    assert count == 1
    assert message.to == [judge.user.email]
    assert message.subject == subject
    assert text in message.body
    assert "Dr. Andi" in message.body
    assert f"{SITE}/assignments/" in message.body
    assert hosts(message.body) == {"inovasi.example.go.id"}
    assert Notification.objects.get().event == "judging.reminder"


def test_reminder_once_a_day_with_the_broker_down(
    monkeypatch, contest, organizer, late_stage, django_capture_on_commit_callbacks
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    AssignmentFactory(stage=late_stage)

    with django_capture_on_commit_callbacks(execute=True):
        judging_services.request_reminders(stage=late_stage, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        judging_services.request_reminders(stage=late_stage, by=organizer)

    assert ReminderLog.objects.count() == 1
    assert Notification.objects.get().state == NotificationState.PENDING
    assert services.sweep() == 1
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- conflicts


@pytest.fixture
def assigned(contest, late_stage):
    entry = EligibleSubmissionFactory(
        contest=contest, title="Saninu <E-Lapor>", region=RegionFactory(name="Bima")
    )
    StageEntry.objects.create(stage=late_stage, submission=entry)
    judge = JudgeFactory(contest=contest, name="Dr. Andi")
    return AssignmentFactory(stage=late_stage, judge=judge, submission=entry)


def test_a_judges_declaration_reaches_every_organizer_in_their_language(
    client, contest, organizer, assigned, django_capture_on_commit_callbacks
):
    english = OrganizerFactory(contest=contest, user=UserFactory(language="en")).user
    OrganizerFactory(user=UserFactory())  # of another contest
    client.force_login(assigned.judge.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("judging:declare-conflict", kwargs={"pk": assigned.pk}),
            {"reason": "Saya penasihat dinas ini."},
        )

    assert response.status_code == 302
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == sorted([organizer.email, english.email])
    indonesian, in_english = by_address[organizer.email], by_address[english.email]
    assert indonesian.subject == "Konflik kepentingan: Saninu <E-Lapor>"
    assert in_english.subject == "Conflict of interest: Saninu <E-Lapor>"
    assert "Juri: Dr. Andi" in indonesian.body
    assert "Alasan: Saya penasihat dinas ini." in indonesian.body
    body = in_english.body
    assert "Dr. Andi declared a conflict of interest with an entry of" in body
    assert "Entry: Saninu <E-Lapor> (Bima)" in body
    assert "Stage: Penilaian dokumen" in body
    assert "Reason: Saya penasihat dinas ini." in body
    stage_page = reverse(
        "judging:assignments",
        kwargs={"slug": contest.slug, "stage_pk": assigned.stage.pk},
    )
    assert f"{SITE}{stage_page}" in body
    assert hosts(body) == {"inovasi.example.go.id"}
    html = html_of(in_english)
    assert "Saninu &lt;E-Lapor&gt;" in html
    assert f'href="{SITE}{stage_page}"' in html


def test_a_declaration_with_a_submitted_sheet_says_it_no_longer_counts(
    contest, organizer, assigned, django_capture_on_commit_callbacks
):
    organizer.language = "en"
    organizer.save()
    SubmittedSheetFactory(assignment=assigned)

    with django_capture_on_commit_callbacks(execute=True):
        judging_services.declare_conflict(
            judge=assigned.judge,
            submission=assigned.submission,
            reason="Kerabat kepala dinas.",
            by=assigned.judge.user,
        )
    with django_capture_on_commit_callbacks(execute=True):
        judging_services.declare_conflict(
            judge=assigned.judge,
            submission=assigned.submission,
            reason="Kerabat kepala dinas.",
            by=assigned.judge.user,
        )

    (message,) = mail.outbox
    assert message.to == [organizer.email]
    assert "is kept but no longer counts in the results" in message.body


def test_an_organizers_declaration_tells_nobody(
    contest, organizer, assigned, django_capture_on_commit_callbacks
):
    OrganizerFactory(contest=contest)

    with django_capture_on_commit_callbacks(execute=True):
        judging_services.declare_conflict(
            judge=assigned.judge,
            submission=assigned.submission,
            reason="Kerabat kepala dinas.",
            by=organizer,
        )

    assert mail.outbox == []
    assert not Notification.objects.exists()
