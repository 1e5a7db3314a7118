import datetime as dt

import pytest
from django.urls import reverse

from judging.models_formats import Slot
from judging.services import schedule as services
from judging.services.schedule_apply import announce_schedule
from tests.judging.schedule.conftest import make_slots

pytestmark = [pytest.mark.django_db]


def url(name, stage, **kwargs):
    return reverse(
        f"judging:{name}",
        kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk, **kwargs},
    )


def _book_all(stage, entries, judges, slots, organizer):
    for slot, entry in zip(slots, entries, strict=False):
        services.book_slot(slot=slot, submission=entry, judges=judges[:2], by=organizer)


@pytest.mark.parametrize("count", [1, 3])
def test_schedule_page_queries_constant(
    client, stage, entries, judges, day, organizer, count, django_assert_num_queries
):
    slots = make_slots(stage, day, count)
    _book_all(stage, entries, judges, slots, organizer)
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    with django_assert_num_queries(9):
        answer = client.get(url("schedule", stage))

    assert answer.status_code == 200
    assert answer.content.decode().count("/schedule/slots/") >= count
    assert "WITA" in answer.content.decode()


def test_schedule_page_shows_proposal_and_reason(
    client, stage, entries, judges, day, organizer
):
    make_slots(stage, day, 2)
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    answer = client.get(url("schedule", stage) + "?propose=1")

    assert "3 entries to schedule but only 2 free sessions" in answer.content.decode()


def test_schedule_page_propose_then_apply(
    client, stage, entries, judges, day, organizer
):
    make_slots(stage, day, 3)
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    shown = client.get(url("schedule", stage) + "?propose=1")
    applied = client.post(url("schedule-apply", stage))

    assert "Proposed schedule" in shown.content.decode()
    assert applied.status_code == 302
    assert Slot.objects.filter(submission__isnull=False).count() == 3


def test_series_form_makes_sessions(client, stage, organizer):
    client.force_login(organizer)

    answer = client.post(
        url("schedule-series", stage),
        {
            "first_day": "2027-09-14",
            "last_day": "2027-09-15",
            "day_starts": "08:00",
            "day_ends": "10:00",
            "minutes": "60",
            "gap": "0",
        },
    )

    assert answer.status_code == 302
    assert Slot.objects.count() == 4


def test_edit_page_refuses_double_booking(
    client, stage, entries, judges, day, organizer
):
    first, second = make_slots(stage, day, 2, parallel=True)
    services.book_slot(
        slot=first, submission=entries[0], judges=judges[:2], by=organizer
    )
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    answer = client.post(
        url("slot-edit", stage, pk=second.pk),
        {
            "starts_at": "2027-09-14T09:00",
            "ends_at": "2027-09-14T09:45",
            "submission": str(entries[1].pk),
            "judges": [str(judges[1].pk), str(judges[2].pk)],
        },
    )

    assert answer.status_code == 200
    assert "already sits in another session" in answer.content.decode()
    assert Slot.objects.get(pk=second.pk).submission_id is None


def test_announce_page_confirms_how_many(
    client, stage, entries, judges, day, organizer
):
    slots = make_slots(stage, day, 1)
    _book_all(stage, entries, judges, slots, organizer)
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    answer = client.get(url("schedule", stage))

    assert "3 people will be told" in answer.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_my_schedule_for_judge_queries_constant(
    client, stage, entries, judges, day, organizer, count, django_assert_num_queries
):
    slots = make_slots(stage, day, count)
    _book_all(stage, entries, judges, slots, organizer)
    announce_schedule(stage=stage, by=organizer)
    client.force_login(judges[0].user)

    with django_assert_num_queries(6):
        answer = client.get(reverse("judging:my-schedule"))

    assert answer.content.decode().count('<th scope="row">') == count


@pytest.mark.parametrize("count", [1, 3])
def test_my_schedule_for_delegate_queries_constant(
    client, contest, stage, judges, day, organizer, count, django_assert_num_queries
):
    from tests.factories.contest import DelegateFactory
    from tests.factories.judging import EligibleSubmissionFactory

    first = EligibleSubmissionFactory(contest=contest, title="Inovasi A")
    mine = [first] + [
        EligibleSubmissionFactory(
            contest=contest, region=first.region, title=f"Inovasi {n}"
        )
        for n in range(count - 1)
    ]
    delegate = DelegateFactory(contest=contest, region=first.region).user
    slots = make_slots(stage, day, count)
    for slot, entry in zip(slots, mine, strict=True):
        services.book_slot(slot=slot, submission=entry, judges=judges[:1], by=organizer)
    announce_schedule(stage=stage, by=organizer)
    client.force_login(delegate)

    with django_assert_num_queries(6):
        answer = client.get(reverse("judging:my-schedule"))

    assert answer.content.decode().count('<th scope="row">') == count


def test_my_schedule_hides_unannounced(client, stage, entries, judges, day, organizer):
    slots = make_slots(stage, day, 1)
    _book_all(stage, entries, judges, slots, organizer)
    client.force_login(judges[0].user)
    client.cookies["django_language"] = "en"

    answer = client.get(reverse("judging:my-schedule"))

    assert "No session is announced for you yet." in answer.content.decode()


def test_schedule_page_refused_to_delegate(client, stage, delegate):
    client.force_login(delegate)

    assert client.get(url("schedule", stage)).status_code == 403


def test_unbook_and_delete_from_page(client, stage, entries, judges, day, organizer):
    [slot] = make_slots(stage, day, 1)
    services.book_slot(
        slot=slot, submission=entries[0], judges=judges[:1], by=organizer
    )
    client.force_login(organizer)

    refused = client.post(url("slot-delete", stage, pk=slot.pk))
    client.post(url("slot-unbook", stage, pk=slot.pk))
    client.post(url("slot-delete", stage, pk=slot.pk))

    assert refused.status_code == 302
    assert not Slot.objects.exists()


def test_edit_page_shows_form(client, stage, entries, day, organizer):
    [slot] = make_slots(stage, day, 1)
    client.force_login(organizer)

    answer = client.get(url("slot-edit", stage, pk=slot.pk))

    assert answer.status_code == 200
    assert entries[0].title in answer.content.decode()
    assert (
        dt.datetime(2027, 9, 14, 9, 0).strftime("%Y-%m-%dT%H:%M")
        in answer.content.decode()
    )
