import pytest
from django.core import mail

from judging.models_formats import Slot
from tests.factories.judging import DeclaredConflictFactory
from tests.judging.schedule.conftest import make_slots

pytestmark = [pytest.mark.django_db]


def base(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}"


def test_create_list_one_slot(api_as, api, stage, organizer):
    api_as(organizer)

    made = api.post(
        f"{base(stage)}/slots/",
        {
            "starts_at": "2027-09-14T09:00",
            "ends_at": "2027-09-14T09:45",
            "place": "Aula",
        },
        format="json",
    )
    listed = api.get(f"{base(stage)}/slots/")

    assert made.status_code == 201, made.json()
    assert made.json()["starts_at"].startswith("2027-09-14T09:00:00+08:00")
    assert listed.json()["count"] == 1
    assert "WITA" in listed.json()["results"][0]["times"][0]


def test_create_series(api_as, api, stage, organizer):
    api_as(organizer)

    made = api.post(
        f"{base(stage)}/slots/",
        {
            "first_day": "2027-09-14",
            "last_day": "2027-09-14",
            "day_starts": "09:00",
            "day_ends": "12:00",
            "minutes": 50,
            "gap": 10,
        },
        format="json",
    )

    assert made.status_code == 201, made.json()
    assert len(made.json()) == 3


@pytest.mark.parametrize(
    "body",
    [
        {"starts_at": "x", "ends_at": "2027-09-14T09:45"},
        {"starts_at": "2027-09-14T10:00", "ends_at": "2027-09-14T09:45"},
        {"starts_at": "2027-09-14T09:00"},
        {
            "starts_at": "2027-09-14T09:00",
            "ends_at": "2027-09-14T09:45",
            "meeting_url": "nope",
        },
        {"first_day": "2027-09-14", "last_day": 5},
        [1, 2],
    ],
)
def test_create_refuses_bad_input(api_as, api, stage, organizer, body):
    api_as(organizer)

    answer = api.post(f"{base(stage)}/slots/", body, format="json")

    assert answer.status_code == 400
    assert not Slot.objects.exists()


def test_propose_answers_reason_when_infeasible(
    api_as, api, stage, entries, judges, day, organizer
):
    make_slots(stage, day, 1)
    api_as(organizer)

    answer = api.post(f"{base(stage)}/schedule/propose/")

    assert answer.status_code == 409
    assert "only 1 free session" in answer.json()["detail"]


def test_propose_apply_no_conflict_no_double_booking(
    api_as, api, stage, entries, judges, day, organizer
):
    DeclaredConflictFactory(judge=judges[1], submission=entries[2])
    make_slots(stage, day, 4)
    api_as(organizer)

    proposed = api.post(f"{base(stage)}/schedule/propose/")
    applied = api.post(
        f"{base(stage)}/schedule/apply/",
        {"bookings": proposed.json()["bookings"]},
        format="json",
    )

    assert proposed.status_code == 200
    assert applied.status_code == 200
    booked = Slot.objects.filter(stage=stage, submission__isnull=False)
    assert sorted(s.submission_id for s in booked) == sorted(e.pk for e in entries)
    conflicted = booked.get(submission=entries[2])
    assert judges[1] not in conflicted.judges.all()


def test_apply_refuses_a_conflicted_judge(
    api_as, api, stage, entries, judges, day, organizer
):
    DeclaredConflictFactory(judge=judges[0], submission=entries[0])
    slots = make_slots(stage, day, 3)
    api_as(organizer)
    bookings = [
        {
            "slot": slot.pk,
            "submission": entry.pk,
            "judges": [judges[0].pk, judges[1].pk],
        }
        for slot, entry in zip(slots, entries, strict=True)
    ]

    answer = api.post(
        f"{base(stage)}/schedule/apply/", {"bookings": bookings}, format="json"
    )

    assert answer.status_code == 409
    assert "judges" in answer.json()
    assert not Slot.objects.filter(submission__isnull=False).exists()


def test_patch_double_booking_refused(
    api_as, api, stage, entries, judges, day, organizer
):
    first, second = make_slots(stage, day, 2, parallel=True)
    api_as(organizer)
    api.patch(
        f"{base(stage)}/slots/{first.pk}/",
        {"submission": entries[0].pk, "judges": [judges[0].pk, judges[1].pk]},
        format="json",
    )

    answer = api.patch(
        f"{base(stage)}/slots/{second.pk}/",
        {"submission": entries[1].pk, "judges": [judges[1].pk, judges[2].pk]},
        format="json",
    )

    assert answer.status_code == 409
    assert "already sits in another session" in answer.json()["judges"][0]
    assert Slot.objects.get(pk=second.pk).submission_id is None


def test_patch_unknown_entry_and_judge(api_as, api, stage, entries, day, organizer):
    [slot] = make_slots(stage, day, 1)
    api_as(organizer)

    unknown_entry = api.patch(
        f"{base(stage)}/slots/{slot.pk}/", {"submission": 999999}, format="json"
    )
    unknown_judge = api.patch(
        f"{base(stage)}/slots/{slot.pk}/",
        {"submission": entries[0].pk, "judges": [999999]},
        format="json",
    )
    bad_type = api.patch(
        f"{base(stage)}/slots/{slot.pk}/", {"judges": "x"}, format="json"
    )

    assert unknown_entry.status_code == 400
    assert "submission" in unknown_entry.json()
    assert unknown_judge.status_code == 400
    assert "judges" in unknown_judge.json()
    assert bad_type.status_code == 400


def test_delete_booked_slot_refused(
    api_as, api, stage, entries, judges, day, organizer
):
    [slot] = make_slots(stage, day, 1)
    api_as(organizer)
    api.patch(
        f"{base(stage)}/slots/{slot.pk}/",
        {"submission": entries[0].pk, "judges": [judges[0].pk]},
        format="json",
    )

    refused = api.delete(f"{base(stage)}/slots/{slot.pk}/")
    api.patch(f"{base(stage)}/slots/{slot.pk}/", {"submission": None}, format="json")
    deleted = api.delete(f"{base(stage)}/slots/{slot.pk}/")

    assert refused.status_code == 409
    assert deleted.status_code == 204


def test_announce_then_my_schedule(
    api_as,
    api,
    stage,
    entries,
    judges,
    day,
    organizer,
    django_capture_on_commit_callbacks,
):
    [slot] = make_slots(stage, day, 1)
    api_as(organizer)
    api.patch(
        f"{base(stage)}/slots/{slot.pk}/",
        {"submission": entries[0].pk, "judges": [judges[0].pk, judges[1].pk]},
        format="json",
    )

    with django_capture_on_commit_callbacks(execute=True):
        told = api.post(f"{base(stage)}/schedule/announce/")
    api_as(judges[0].user)
    mine = api.get("/api/v1/schedule/")
    api_as(judges[2].user)
    not_mine = api.get("/api/v1/schedule/")

    assert told.json() == {"told": 3}
    assert {m.to[0] for m in mail.outbox} >= {judges[0].user.email}
    assert all(m.attachments for m in mail.outbox)
    assert [r["id"] for r in mine.json()["results"]] == [slot.pk]
    assert not_mine.json()["count"] == 0


def test_move_after_announce_sequence_goes_up(
    api_as,
    api,
    stage,
    entries,
    judges,
    day,
    organizer,
    django_capture_on_commit_callbacks,
):
    first, second = make_slots(stage, day, 2)
    api_as(organizer)
    api.patch(
        f"{base(stage)}/slots/{first.pk}/",
        {"submission": entries[0].pk, "judges": [judges[0].pk]},
        format="json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"{base(stage)}/schedule/announce/")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moved = api.patch(
            f"{base(stage)}/slots/{second.pk}/",
            {"submission": entries[0].pk},
            format="json",
        )

    assert moved.status_code == 200
    methods = sorted(
        "CANCEL" if "METHOD:CANCEL" in m.attachments[0][1] else "REQUEST"
        for m in mail.outbox
    )
    assert methods == ["CANCEL", "CANCEL", "REQUEST", "REQUEST"]
    assert any("SEQUENCE:1" in m.attachments[0][1] for m in mail.outbox)


@pytest.mark.parametrize(
    "tail", ["slots/", "slots/999999/", "schedule/propose/", "schedule/announce/"]
)
def test_options_and_trace_never_fail(api_as, api, stage, organizer, tail):
    api_as(organizer)

    options = api.options(f"{base(stage)}/{tail}")
    trace = api.generic("TRACE", f"{base(stage)}/{tail}")

    assert options.status_code == 200
    assert trace.status_code == 405


def test_hostile_ids_answer_4xx(api_as, api, stage, organizer):
    api_as(organizer)

    assert api.get(f"{base(stage)}/slots/abc/").status_code == 404
    assert api.get(f"{base(stage)}/slots/{2**70}/").status_code == 404
    assert api.patch(
        f"{base(stage)}/slots/1/", {"submission": 2**70}, format="json"
    ).status_code in (400, 404)
    big = api.post(
        f"{base(stage)}/schedule/apply/",
        {"bookings": [{"slot": "x", "submission": 1, "judges": []}]},
        format="json",
    )
    assert big.status_code == 400
    assert "bookings" in big.json()


def test_delegate_cannot_touch_slots(api_as, api, stage, delegate):
    api_as(delegate)

    assert api.get(f"{base(stage)}/slots/").status_code == 403
    assert api.post(f"{base(stage)}/schedule/propose/").status_code == 403
