"""The judges' reminders over the API, as the stage's progress page sends them
(judging.services.request_reminders): once a day per judge, only while the
stage is open, by the contest's organizers."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from judging.models import ReminderLog
from tests.judging.conftest import JUDGING_ROLES

pytestmark = [pytest.mark.django_db]

STATUS = {
    "anonymous": 401,
    "delegate": 403,
    "judge_assigned": 403,
    "judge_unassigned": 403,
    "other_organizer": 403,
    "organizer": 200,
    "superuser": 200,
}


def remind_url(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/remind/"


def test_reminders_reach_the_late_judge_once_a_day(
    api, organizer, stage, assignment, django_capture_on_commit_callbacks
):
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(remind_url(stage))
    with django_capture_on_commit_callbacks(execute=True):
        second = api.post(remind_url(stage))

    assert (first.status_code, first.json()) == (200, {"reminded": 1})
    assert (second.status_code, second.json()) == (200, {"reminded": 0})
    assert [m.to for m in mail.outbox] == [[assignment.judge.user.email]]
    assert ReminderLog.objects.get().judge == assignment.judge


def test_reminders_refused_after_the_stage_closes(
    api, organizer, stage, assignment, table_rows
):
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(days=1)
    stage.save()
    api.force_authenticate(organizer)
    rows_before = table_rows()

    response = api.post(remind_url(stage))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Reminders are sent only while the stage is open for scoring."
    )
    assert table_rows() == rows_before


@pytest.mark.parametrize("role", JUDGING_ROLES)
def test_reminders_by_role(
    api, api_as, stage, assignment, role, django_capture_on_commit_callbacks
):
    api_as(role)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(remind_url(stage))

    assert response.status_code == STATUS[role]
    assert len(mail.outbox) == (1 if STATUS[role] == 200 else 0)
