"""The organizers' messages over the API, as an integrator writes them: the
preview of a group, the sending (one mail per address through the outbox), the
log with each message's counts, and the refusals naming the field (a group that
does not exist, a stage of another kind, the group changed since the preview,
anyone but the contest's organizers)."""

import pytest
from django.core import mail

from notifications.models import Message
from submissions.enums import SubmissionState
from tests.factories.accounts import UserFactory
from tests.factories.contest import DelegateFactory, RegionFactory, StageFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]


def _with_draft(contest, email, language="id"):
    user = UserFactory(email=email, language=language)
    region = RegionFactory()
    DelegateFactory(contest=contest, user=user, region=region)
    SubmissionFactory(contest=contest, region=region, state=SubmissionState.DRAFT)
    return user


def _url(contest, rest=""):
    return f"/api/v1/contests/{contest.slug}/messages/{rest}"


MESSAGE = {
    "group": "drafts",
    "subject": "Batas pengajuan",
    "body": "Batas pengajuan tinggal tiga hari.",
}


def test_preview_then_send_then_the_log(
    api, contest, organizer, django_capture_on_commit_callbacks
):
    _with_draft(contest, "a@bima.go.id")
    _with_draft(contest, "b@dompu.go.id", language="en")
    api.force_authenticate(organizer)

    preview = api.post(_url(contest, "preview/"), {"group": "drafts"}, format="json")
    assert preview.status_code == 200
    assert preview.json() == {"count": 2, "first": ["a@bima.go.id", "b@dompu.go.id"]}

    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(_url(contest), {**MESSAGE, "expected_count": 2}, format="json")

    assert sent.status_code == 201, sent.json()
    body = sent.json()
    assert body["recipient_count"] == 2
    assert body["subject"] == "Batas pengajuan"
    assert body["sent_by"] == organizer.email
    assert sorted(m.to[0] for m in mail.outbox) == ["a@bima.go.id", "b@dompu.go.id"]
    assert all("tinggal tiga hari" in m.body for m in mail.outbox)
    [row] = api.get(_url(contest)).json()["results"]
    assert (row["id"], row["sent"], row["waiting"], row["failed"]) == (
        body["id"],
        2,
        0,
        0,
    )


def test_a_group_changed_since_the_preview_is_refused_and_nothing_is_sent(
    api, contest, organizer
):
    _with_draft(contest, "a@bima.go.id")
    api.force_authenticate(organizer)

    answer = api.post(_url(contest), {**MESSAGE, "expected_count": 5}, format="json")

    assert answer.status_code == 409
    assert Message.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"group": "everybody"}, "group"),
        ({"subject": ""}, "subject"),
        ({"body": "x" * 5001}, "body"),
        ({"group": "judges_behind"}, "stage"),
        ({"category": 999_999}, "category"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, contest, organizer, change, field):
    _with_draft(contest, "a@bima.go.id")
    api.force_authenticate(organizer)

    answer = api.post(_url(contest), {**MESSAGE, **change}, format="json")

    assert answer.status_code == 400
    assert field in str(answer.json())
    assert Message.objects.count() == 0


def test_a_screening_stage_is_not_a_stage_with_judges_behind(api, contest, organizer):
    stage = StageFactory(contest=contest, kind="screening")
    api.force_authenticate(organizer)

    answer = api.post(
        _url(contest, "preview/"),
        {"group": "judges_behind", "stage": stage.pk},
        format="json",
    )

    assert answer.status_code == 400
    assert "stage" in str(answer.json())


def test_a_delegate_may_not_write_to_the_contests_people(api, contest, delegate):
    _with_draft(contest, "a@bima.go.id")
    api.force_authenticate(delegate)

    assert api.post(_url(contest), MESSAGE, format="json").status_code == 403
    assert api.get(_url(contest)).status_code == 403
    assert Message.objects.count() == 0


def test_the_same_message_sent_twice_goes_once(
    api, contest, organizer, django_capture_on_commit_callbacks
):
    _with_draft(contest, "a@bima.go.id")
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(_url(contest), MESSAGE, format="json")
        again = api.post(_url(contest), MESSAGE, format="json")

    assert (first.status_code, again.status_code) == (201, 409)
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1
    changed = api.post(_url(contest), {**MESSAGE, "subject": "Ralat"}, format="json")
    assert changed.status_code == 201
