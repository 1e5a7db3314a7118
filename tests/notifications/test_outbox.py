"""The outbox: a notification is written with the change that causes it, sent
once after the commit (by the task, or by the sweep when the broker was down),
retried with backoff while the mail server refuses, and given up with the reason;
in the recipient's language, plain text and HTML."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.enums import NotificationState
from notifications.models import Notification
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]

EVENT = "sample.event"


@pytest.fixture(autouse=True)
def event_templates(settings, tmp_path):
    """An event's templates, as an app ships them under notifications/email/."""
    folder = tmp_path / "notifications" / "email" / "sample" / "event"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text(
        "{% load i18n %}{% translate 'Contests' %}: {{ name }}"
    )
    (folder / "body.txt").write_text(
        "{% load i18n %}{% translate 'Hello' %} {{ name }}"
    )
    (folder / "body.html").write_text("<p>{{ name }}</p>")
    broken = tmp_path / "notifications" / "email" / "sample" / "broken"
    broken.mkdir(parents=True)
    (broken / "subject.txt").write_text("{% if %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def _notify(user, **extra):
    return services.notify(
        recipient=user,
        event=extra.pop("event", EVENT),
        context={"name": "Bima"},
        **extra,
    )


def test_a_notification_is_sent_once_after_the_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        row = _notify(user)
        assert mail.outbox == []

    row.refresh_from_db()
    assert row.state == NotificationState.SENT
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == "Contests: Bima"
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert "<p>Bima</p>" in mail.outbox[0].alternatives[0][0]
    assert services.send(row.pk) is False
    assert len(mail.outbox) == 1


def test_the_recipients_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(UserFactory(language="id"))

    assert mail.outbox[0].subject == "Kontes: Bima"


def test_a_rolled_back_change_writes_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()

    def failing_change():
        with transaction.atomic():
            _notify(user)
            raise ValueError("the change fails")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError):
        failing_change()

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_with_the_broker_down_the_sweep_sends_it_later(
    monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        row = _notify(UserFactory())

    row.refresh_from_db()
    assert row.state == NotificationState.PENDING
    assert mail.outbox == []
    assert services.sweep() == 1
    assert services.sweep() == 0
    assert len(mail.outbox) == 1


def test_a_refusing_mail_server_is_retried_with_backoff_then_given_up(monkeypatch):
    row = _notify(UserFactory())

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    waits = []
    for _ in range(services.MAX_ATTEMPTS):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        assert services.send(row.pk) is False
        row.refresh_from_db()
        waits.append(row.next_attempt_at - timezone.now())

    assert row.state == NotificationState.FAILED
    assert row.attempts == services.MAX_ATTEMPTS
    assert "SMTPServerDisconnected" in row.last_error
    assert dt.timedelta(minutes=4) < waits[1] <= dt.timedelta(minutes=5)
    # not due before its time: the sweep leaves a waiting row alone
    monkeypatch.undo()
    services.retry(notification=row)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.PENDING, 0)
    assert services.send(row.pk) is True


def test_a_row_is_not_sent_before_its_next_attempt():
    row = _notify(UserFactory())
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )

    assert services.sweep() == 0
    assert services.send(row.pk) is False


def test_a_template_that_cannot_render_fails_at_once_with_the_reason():
    row = _notify(UserFactory(), event="sample.broken")

    assert services.send(row.pk) is False
    row.refresh_from_db()
    assert row.state == NotificationState.FAILED
    assert "TemplateSyntaxError" in row.last_error


def test_only_a_failed_notification_is_sent_again():
    from common.errors import DomainError

    row = _notify(UserFactory())

    with pytest.raises(DomainError):
        services.retry(notification=row)


def test_a_key_sends_once():
    user = UserFactory()

    first = _notify(user, once_key="reminder:7:3d:user-1")
    second = _notify(user, once_key="reminder:7:3d:user-1")

    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1


def test_run_scheduled_runs_one_pass_of_the_schedule(monkeypatch):
    import io

    from django.core.management import call_command

    from notifications import tasks

    monkeypatch.setattr(tasks.send_notification, "delay", lambda pk: None)
    _notify(UserFactory())
    out = io.StringIO()

    call_command("run_scheduled", stdout=out)

    assert "notifications-sweep: 1" in out.getvalue()
    assert len(mail.outbox) == 1


def test_an_address_the_server_refuses_fails_at_once_with_the_reason(monkeypatch):
    row = _notify(UserFactory())

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({row.email: (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)

    assert services.send(row.pk) is False
    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.FAILED, 1)
    assert "SMTPRecipientsRefused" in row.last_error


def test_a_providers_api_error_is_retried_and_its_refusal_is_final(monkeypatch):
    from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused

    row = _notify(UserFactory())
    errors = [AnymailAPIError("503 from the provider"), AnymailRecipientsRefused()]

    def fail(self, *args, **kwargs):
        raise errors.pop(0)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)

    assert services.send(row.pk) is False
    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.PENDING, 1)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert services.send(row.pk) is False
    row.refresh_from_db()
    assert (row.state, row.attempts) == (NotificationState.FAILED, 2)
    assert "AnymailRecipientsRefused" in row.last_error


def test_a_provider_is_chosen_by_the_environment():
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.ANYMAIL)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "EMAIL_PROVIDER": "mailgun",
        "ANYMAIL_MAILGUN_API_KEY": "key-123",
    }

    done = subprocess.run(  # noqa: S603 (our own interpreter, fixed script)
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert done.stdout.strip() == (
        "anymail.backends.mailgun.EmailBackend {'MAILGUN_API_KEY': 'key-123'}"
    )
