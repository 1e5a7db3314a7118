"""An entry's revision request, withdrawal and reopening over the API: the same
role checks as the screening page and the entry's withdrawal page, the same
services (and their 409s)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from submissions.enums import SubmissionState
from tests.submissions.conftest import ROLES, close_window, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState
ANON = 401
ORGANIZER_STATUS = {
    "anonymous": ANON,
    "delegate": 403,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 200,
    "superuser": 200,
}


def action_url(entry, name):
    return reverse(
        f"submission-{name}",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )


def in_days(days):
    return timezone.now() + dt.timedelta(days=days)


# ---------------------------------------------------------------- revision


@pytest.mark.parametrize("role", ROLES)
def test_revision_is_for_the_contests_organizers(api, api_as, entry, role):
    set_state(entry, S.SUBMITTED)
    api_as(role)

    response = api.post(
        action_url(entry, "request-revision"),
        {"deadline": in_days(5).isoformat(), "note": "Lengkapi foto."},
        format="json",
    )

    entry.refresh_from_db()
    assert response.status_code == ORGANIZER_STATUS[role]
    assert (entry.state == S.REVISION_REQUESTED) is (role in {"organizer", "superuser"})


def test_revision_sends_the_entry_back_with_its_note_and_deadline(
    api, organizer, delegate, contest, entry
):
    set_state(entry, S.SUBMITTED)
    close_window(contest)
    deadline = in_days(5).astimezone(contest.tzinfo).replace(microsecond=0)
    api.force_authenticate(organizer)

    response = api.post(
        action_url(entry, "request-revision"),
        # A time without a zone is the contest's.
        {"deadline": deadline.replace(tzinfo=None).isoformat(), "note": "Foto."},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["revision_note"]) == (
        S.REVISION_REQUESTED,
        "Foto.",
    )
    entry.refresh_from_db()
    assert (entry.state, entry.revision_deadline, entry.revision_note) == (
        S.REVISION_REQUESTED,
        deadline,
        "Foto.",
    )
    told = Notification.objects.get(event="submission.revision_requested")
    assert told.email == delegate.email


def test_revision_names_the_deadline_in_the_past(api, organizer, entry):
    set_state(entry, S.SUBMITTED)
    api.force_authenticate(organizer)

    response = api.post(
        action_url(entry, "request-revision"),
        {"deadline": in_days(-1).isoformat(), "note": "Foto."},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["deadline"] == ["The deadline must be in the future."]
    entry.refresh_from_db()
    assert entry.state == S.SUBMITTED


def test_revision_of_a_draft_answers_409(api, organizer, entry, table_rows):
    api.force_authenticate(organizer)
    rows_before = table_rows()

    response = api.post(
        action_url(entry, "request-revision"),
        {"deadline": in_days(5).isoformat(), "note": "Foto."},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before


# ---------------------------------------------------------------- withdrawal

WITHDRAW_STATUS = {
    "anonymous": ANON,
    "delegate": 200,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 403,
    "superuser": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_withdrawal_is_for_the_entrys_delegates(api, api_as, entry, role):
    set_state(entry, S.SUBMITTED)
    api_as(role)

    response = api.post(action_url(entry, "withdraw"), {}, format="json")

    entry.refresh_from_db()
    assert response.status_code == WITHDRAW_STATUS[role]
    assert (entry.state == S.WITHDRAWN) is (role == "delegate")


def test_withdrawal_keeps_its_reason_in_the_history(api, delegate, entry):
    from contest.models import AuditEntry

    set_state(entry, S.ELIGIBLE)
    api.force_authenticate(delegate)

    response = api.post(
        action_url(entry, "withdraw"),
        {"reason": "Diganti inovasi lain."},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["state"] == S.WITHDRAWN
    change = AuditEntry.objects.filter(action="submission.state_changed").last()
    assert (change.data["to"], change.data["reason"]) == (
        S.WITHDRAWN,
        "Diganti inovasi lain.",
    )


def test_withdrawal_past_screening_answers_409(api, delegate, entry):
    set_state(entry, S.INELIGIBLE)
    api.force_authenticate(delegate)

    response = api.post(action_url(entry, "withdraw"), {}, format="json")

    assert response.status_code == 409
    assert "can no longer be withdrawn" in response.json()["detail"]
    entry.refresh_from_db()
    assert entry.state == S.INELIGIBLE


# ---------------------------------------------------------------- reopening


@pytest.mark.parametrize("role", ROLES)
def test_reopening_is_for_the_contests_organizers(api, api_as, entry, role):
    set_state(entry, S.INELIGIBLE)
    api_as(role)

    response = api.post(action_url(entry, "reopen"), {}, format="json")

    entry.refresh_from_db()
    assert response.status_code == ORGANIZER_STATUS[role]
    assert (entry.state == S.SUBMITTED) is (role in {"organizer", "superuser"})


def test_reopening_puts_a_decision_back_in_the_queue(api, organizer, entry):
    set_state(entry, S.INELIGIBLE)
    api.force_authenticate(organizer)

    response = api.post(
        action_url(entry, "reopen"), {"reason": "Salah baca."}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["screening_reason"]) == (
        S.SUBMITTED,
        "",
    )
    entry.refresh_from_db()
    assert (entry.state, entry.screened_at) == (S.SUBMITTED, None)


def test_reopening_to_draft_after_the_window_answers_409(
    api, organizer, contest, entry
):
    set_state(entry, S.SUBMITTED)
    close_window(contest)
    api.force_authenticate(organizer)

    response = api.post(action_url(entry, "reopen"), {}, format="json")

    assert response.status_code == 409
    assert "send the entry back for revision" in response.json()["detail"]
    entry.refresh_from_db()
    assert entry.state == S.SUBMITTED
