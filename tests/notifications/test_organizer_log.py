"""The organizers' log of a contest's outbox: what was sent to whom, what failed
and why, and the retry of a failed message; on the page and in the API, through
one selector, one permission (contest.view_notifications) and one service."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.enums import NotificationState
from notifications.models import Notification
from notifications.selectors import (
    event_label,
    events_of_contest,
    notifications_of_contest,
)
from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory
from tests.factories.judging import JudgeFactory

pytestmark = [pytest.mark.django_db]

# 01:30 UTC is 10:30 WIT (Asia/Jayapura, UTC+9).
WRITTEN = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def judge(contest):
    return JudgeFactory(contest=contest).user


def _row(contest, **fields):
    n = Notification.objects.count()
    values = {
        "email": f"penerima{n}@example.id",
        "language": "id",
        "event": "invitation",
        "contest_id": contest.pk if contest is not None else None,
        "context": {"set_password_url": "https://example.id/secret-link"},
        "created_at": WRITTEN + dt.timedelta(minutes=n),
    }
    values.update(fields)
    if values.get("state") == NotificationState.SENT:
        values.setdefault("sent_at", values["created_at"] + dt.timedelta(seconds=5))
    return Notification.objects.create(**values)


def _failed(contest, **fields):
    return _row(
        contest,
        state=NotificationState.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        **fields,
    )


def _log_url(contest, **query):
    url = reverse("contest:notifications", kwargs={"slug": contest.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _retry_url(contest, row):
    return reverse(
        "contest:notification-retry", kwargs={"slug": contest.slug, "pk": row.pk}
    )


def _api_list(contest):
    return f"/api/v1/contests/{contest.slug}/notifications/"


def _api_retry(contest, row):
    return f"/api/v1/contests/{contest.slug}/notifications/{row.pk}/retry/"


def _emails(response):
    return [row.email for row in response.context["notifications"]]


# The selector


def test_notifications_of_contest_newest_first_and_only_the_contests():
    contest, other = ContestFactory(), ContestFactory()
    first = _row(contest)
    second = _row(contest)
    _row(other)
    _row(None)

    rows = list(notifications_of_contest(contest.pk))

    assert rows == [second, first]


def test_notifications_of_contest_filtered_by_state_and_event():
    contest = ContestFactory()
    sent = _row(contest, state=NotificationState.SENT, subject="Undangan")
    failed = _failed(contest)
    reminder = _failed(contest, event="judging.reminder")

    assert list(notifications_of_contest(contest.pk, state="sent")) == [sent]
    assert list(notifications_of_contest(contest.pk, state="failed")) == [
        reminder,
        failed,
    ]
    assert list(
        notifications_of_contest(contest.pk, state="failed", event="invitation")
    ) == [failed]
    assert list(notifications_of_contest(contest.pk, event="nothing")) == []


def test_events_of_contest_each_once_in_order():
    contest = ContestFactory()
    _row(contest, event="judging.reminder")
    _row(contest)
    _row(contest, event="judging.reminder")
    _row(ContestFactory(), event="judging.conflict_declared")

    assert events_of_contest(contest.pk) == ["invitation", "judging.reminder"]


@pytest.mark.parametrize(
    ("event", "label"),
    [
        ("invitation", "Invitation"),
        ("judging.reminder", "Reminder to judges"),
        ("judging.sheet_reopened", "Judging · sheet reopened"),
        ("results_final", "Results final"),
    ],
)
def test_event_label(english, event, label):
    assert event_label(event) == label


# The permission


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("delegate", False),
        ("judge", False),
        ("other_organizer", False),
        ("organizer", True),
        ("superuser", True),
    ],
)
def test_view_notifications_permission(request, contest, role, allowed):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    assert user.has_perm("contest.view_notifications", contest) is allowed


# The page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 403),
        ("judge", 403),
        ("other_organizer", 403),
        ("organizer", 200),
        ("superuser", 200),
    ],
)
def test_log_page_by_role(client, sign_in, contest, role, status):
    _failed(contest)
    sign_in(role)

    response = client.get(_log_url(contest))

    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_log_page_of_a_contest_not_seen_is_404(client, sign_in):
    hidden = ContestFactory(is_public=False)
    sign_in("other_organizer")

    response = client.get(_log_url(hidden))

    assert response.status_code == 404


def test_log_page_shows_each_row_in_the_contests_zone(
    english, client, sign_in, contest
):
    contest.timezone = "Asia/Jayapura"
    contest.save(update_fields=["timezone"])
    _row(
        contest,
        email="terkirim@example.id",
        state=NotificationState.SENT,
        subject="Undangan Kontes",
        attempts=1,
        created_at=WRITTEN,
    )
    failed = _failed(
        contest,
        email="gagal@example.id",
        event="judging.reminder",
        created_at=WRITTEN + dt.timedelta(hours=1),
    )
    _row(contest, email="menunggu@example.id", created_at=WRITTEN - dt.timedelta(1))
    sign_in("organizer")

    response = client.get(_log_url(contest))

    html = response.content.decode()
    assert _emails(response) == [
        "gagal@example.id",
        "terkirim@example.id",
        "menunggu@example.id",
    ]
    assert "2 Mar 2026, 10:30" in html  # 01:30 UTC in WIT
    assert "2 Mar 2026, 11:30" in html
    assert "Undangan Kontes" in html
    assert "Reminder to judges" in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert '<span class="badge badge-danger">Failed</span>' in html
    assert '<span class="badge badge-success">Sent</span>' in html
    assert '<span class="badge badge-warning">Waiting to be sent</span>' in html
    assert "secret-link" not in html
    # One "Send again" button, on the failed row, asking first, with its CSRF token.
    forms = re.findall(r'<form class="inline-form"[^>]*>.*?</form>', html, re.S)
    assert len(forms) == 1
    assert f'action="{_retry_url(contest, failed)}"' in forms[0]
    assert "data-confirm=" in forms[0]
    assert "csrfmiddlewaretoken" in forms[0]
    assert "Send again" in forms[0]


def test_log_page_filters_by_state_and_event(english, client, sign_in, contest):
    _row(contest, email="a@example.id", state=NotificationState.SENT)
    _failed(contest, email="b@example.id")
    _failed(contest, email="c@example.id", event="judging.reminder")
    sign_in("organizer")

    by_state = client.get(_log_url(contest, state="failed"))
    by_both = client.get(_log_url(contest, state="failed", event="judging.reminder"))
    nothing = client.get(_log_url(contest, state="pending"))

    assert _emails(by_state) == ["c@example.id", "b@example.id"]
    assert _emails(by_both) == ["c@example.id"]
    assert _emails(nothing) == []
    assert "No notifications match these filters." in nothing.content.decode()
    choices = dict(by_state.context["filter_form"].fields["event"].choices)
    assert choices == {
        "": "All events",
        "invitation": "Invitation",
        "judging.reminder": "Reminder to judges",
    }


def test_log_page_ignores_a_filter_value_that_does_not_exist(
    english, client, sign_in, contest
):
    _row(contest, email="a@example.id")
    sign_in("organizer")

    response = client.get(_log_url(contest, state="lost", event="invitation"))

    assert _emails(response) == ["a@example.id"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "These filters had values that do not exist and were ignored: State."
    ]


def test_log_page_is_paginated_by_fifty(client, sign_in, contest):
    rows = [_row(contest) for _ in range(51)]
    sign_in("organizer")

    first = client.get(_log_url(contest))
    second = client.get(_log_url(contest, page=2))

    assert len(first.context["notifications"]) == 50
    assert _emails(second) == [rows[0].email]
    assert first.context["paginator"].count == 51


def test_log_page_empty(english, client, sign_in, contest):
    sign_in("organizer")

    response = client.get(_log_url(contest))

    assert response.context["notifications"] == []
    assert "has not written any e-mail about this contest yet" in (
        response.content.decode()
    )


def _log_queries(client, contest, django_assert_num_queries, n):
    for _ in range(n):
        _failed(contest)
    client.force_login(UserFactory(is_superuser=True))
    # session, user, contest, the events offered, the count, the page's rows, the
    # roles the site's navigation shows
    with django_assert_num_queries(7):
        response = client.get(_log_url(contest))
    assert len(response.context["notifications"]) == n


def test_log_page_queries_constant_one(client, contest, django_assert_num_queries):
    _log_queries(client, contest, django_assert_num_queries, 1)


def test_log_page_queries_constant_three(client, contest, django_assert_num_queries):
    _log_queries(client, contest, django_assert_num_queries, 3)


def test_setup_page_links_to_the_log(client, sign_in, contest):
    sign_in("organizer")

    response = client.get(reverse("contest:setup", kwargs={"slug": contest.slug}))

    assert f'href="{_log_url(contest)}"' in response.content.decode()


# The retry on the page


def test_send_again_puts_a_failed_row_back_in_the_outbox(
    english, client, sign_in, contest, django_capture_on_commit_callbacks
):
    row = _failed(contest, email="gagal@example.id")
    sign_in("organizer")
    back = _log_url(contest, state="failed")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(_retry_url(contest, row), {"next": back})

    row.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == back
    assert (row.state, row.attempts) == (NotificationState.PENDING, 0)
    assert len(callbacks) == 1  # the sending, queued after the commit
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The message to gagal@example.id will be sent again."
    ]


def test_send_again_returns_only_to_the_log(client, sign_in, contest):
    row = _failed(contest)
    sign_in("organizer")

    response = client.post(
        _retry_url(contest, row), {"next": "https://evil.example/manage/"}
    )

    assert response["Location"] == _log_url(contest)


@pytest.mark.parametrize("state", [NotificationState.PENDING, NotificationState.SENT])
def test_send_again_refuses_a_row_that_did_not_fail(
    english, client, sign_in, contest, state, table_rows
):
    row = _row(contest, state=state, attempts=1)
    sign_in("organizer")
    before = table_rows()

    response = client.post(_retry_url(contest, row))

    assert response.status_code == 302
    assert response["Location"] == _log_url(contest)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only a failed notification can be sent again."
    ]
    assert table_rows() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 403),
        ("judge", 403),
        ("other_organizer", 403),
    ],
)
def test_send_again_refused_to_others(client, sign_in, contest, role, status):
    row = _failed(contest)
    sign_in(role)

    response = client.post(_retry_url(contest, row))

    row.refresh_from_db()
    assert response.status_code == status
    assert row.state == NotificationState.FAILED


def test_send_again_of_another_contests_row_is_404(client, sign_in, contest):
    row = _failed(ContestFactory())
    sign_in("organizer")

    response = client.post(_retry_url(contest, row))

    row.refresh_from_db()
    assert response.status_code == 404
    assert row.state == NotificationState.FAILED


def test_send_again_needs_the_csrf_token(contest, organizer):
    row = _failed(contest)
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)

    response = client.post(_retry_url(contest, row))

    row.refresh_from_db()
    assert response.status_code == 403
    assert row.state == NotificationState.FAILED


def test_send_again_is_not_served_by_get(client, sign_in, contest):
    row = _failed(contest)
    sign_in("organizer")

    response = client.get(_retry_url(contest, row))

    assert response.status_code == 405


# The API


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("delegate", 403),
        ("judge", 403),
        ("other_organizer", 403),
        ("organizer", 200),
        ("superuser", 200),
    ],
)
def test_api_list_by_role(api, api_as, contest, role, status):
    _failed(contest)
    api_as(role)

    response = api.get(_api_list(contest))

    assert response.status_code == status


def test_api_list_answers_the_rows_paginated(english, api, api_as, contest):
    contest.timezone = "Asia/Jayapura"
    contest.save(update_fields=["timezone"])
    failed = _failed(contest, email="gagal@example.id", created_at=WRITTEN)
    _row(contest, state=NotificationState.SENT, subject="Undangan")
    _row(ContestFactory())
    api_as("organizer")

    body = api.get(_api_list(contest)).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert body["results"][1] == {
        "id": failed.pk,
        "email": "gagal@example.id",
        "event": "invitation",
        "event_label": "Invitation",
        "subject": "",
        "state": "failed",
        "state_label": "Failed",
        "attempts": 6,
        "last_error": "SMTPServerDisconnected: Connection unexpectedly closed",
        "created_at": "2026-03-02T10:30:00+09:00",
        "sent_at": None,
    }
    assert body["results"][0]["subject"] == "Undangan"


def test_api_list_filters(api, api_as, contest):
    sent = _row(contest, state=NotificationState.SENT)
    failed = _failed(contest)
    reminder = _failed(contest, event="judging.reminder")
    api_as("organizer")

    def ids(**query):
        response = api.get(_api_list(contest), query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids(state="sent") == [sent.pk]
    assert ids(state="failed") == [reminder.pk, failed.pk]
    assert ids(event="judging.reminder") == [reminder.pk]
    assert ids(state="failed", event="invitation") == [failed.pk]
    assert ids(state="") == [reminder.pk, failed.pk, sent.pk]


def test_api_list_refuses_a_state_that_does_not_exist(api, api_as, contest):
    api_as("organizer")

    response = api.get(_api_list(contest), {"state": "lost"})

    assert response.status_code == 400
    assert list(response.json()) == ["state"]


def _api_queries(api, contest, django_assert_num_queries, n):
    for _ in range(n):
        _failed(contest)
    api.force_authenticate(UserFactory(is_superuser=True))
    # contest, count, rows
    with django_assert_num_queries(3):
        response = api.get(_api_list(contest))
    assert len(response.json()["results"]) == n


def test_api_list_queries_constant_one(api, contest, django_assert_num_queries):
    _api_queries(api, contest, django_assert_num_queries, 1)


def test_api_list_queries_constant_three(api, contest, django_assert_num_queries):
    _api_queries(api, contest, django_assert_num_queries, 3)


def test_api_retry_sends_a_failed_row_again(
    api, api_as, contest, django_capture_on_commit_callbacks
):
    row = _failed(contest)
    api_as("organizer")

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(_api_retry(contest, row))

    row.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["state"] == "pending"
    assert response.json()["attempts"] == 0
    assert (row.state, row.attempts) == (NotificationState.PENDING, 0)
    assert len(callbacks) == 1


def test_api_retry_of_a_row_that_did_not_fail_is_409(
    english, api, api_as, contest, table_rows
):
    row = _row(contest, state=NotificationState.SENT, attempts=1)
    api_as("organizer")
    before = table_rows()

    response = api.post(_api_retry(contest, row))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Only a failed notification can be sent again."
    }
    assert table_rows() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("delegate", 403),
        ("judge", 403),
        ("other_organizer", 403),
    ],
)
def test_api_retry_refused_to_others(api, api_as, contest, role, status):
    row = _failed(contest)
    api_as(role)

    response = api.post(_api_retry(contest, row))

    row.refresh_from_db()
    assert response.status_code == status
    assert row.state == NotificationState.FAILED


def test_api_retry_of_another_contests_row_is_404(api, api_as, contest):
    row = _failed(ContestFactory())
    api_as("organizer")

    response = api.post(_api_retry(contest, row))

    row.refresh_from_db()
    assert response.status_code == 404
    assert row.state == NotificationState.FAILED


def test_api_schema_describes_the_log(api):
    schema = api.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()

    listing = schema["paths"]["/api/v1/contests/{contest_slug}/notifications/"]
    retry = schema["paths"]["/api/v1/contests/{contest_slug}/notifications/{id}/retry/"]
    parameters = {p["name"] for p in listing["get"]["parameters"]}
    assert {"state", "event", "page"} <= parameters
    assert "post" in retry
    fields = schema["components"]["schemas"]["Notification"]["properties"]
    assert "context" not in fields
    assert fields["sent_at"]["nullable"] is True


def test_api_answers_agree_with_the_schema(api, api_as, contest):
    _failed(contest)
    api_as("organizer")
    schema = api.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()

    body = api.get(_api_list(contest)).json()["results"][0]

    properties = schema["components"]["schemas"]["Notification"]["properties"]
    assert set(body) == set(properties)
    assert timezone.is_aware(dt.datetime.fromisoformat(body["created_at"]))


def test_a_retry_is_recorded_in_the_ledger_with_who_and_what(
    client, contest, organizer
):
    from contest.models import AuditEntry

    row = _failed(contest, email="operator@bima.go.id")
    client.force_login(organizer)

    client.post(_retry_url(contest, row))

    entry = AuditEntry.objects.get(action="notification.retried")
    assert entry.actor == organizer
    assert entry.data == {
        "notification": row.pk,
        "email": "operator@bima.go.id",
        "event": "invitation",
    }
