import datetime as dt

import pytest
from django.core import mail

from common.errors import DomainError
from judging.models_formats import Slot
from judging.services import schedule as services
from judging.services.schedule_apply import announce_schedule, apply_schedule
from tests.factories.judging import DeclaredConflictFactory, OpenStageFactory
from tests.judging.schedule.conftest import make_slots

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted are the source (English) texts."""
    settings.LANGUAGE_CODE = "en"


def _booked(stage):
    return {
        s.submission_id: (s, sorted(j.pk for j in s.judges.all()))
        for s in Slot.objects.filter(stage=stage, submission__isnull=False)
    }


def test_create_slot_series_in_contest_zone(stage, organizer):
    slots = services.create_slot_series(
        stage=stage,
        first_day=dt.date(2027, 9, 14),
        last_day=dt.date(2027, 9, 15),
        day_starts=dt.time(9, 0),
        day_ends=dt.time(11, 0),
        minutes=45,
        gap=15,
        place="Aula",
        by=organizer,
    )

    local = [s.starts_at.astimezone(stage.contest.tzinfo) for s in slots]
    assert [(t.day, t.hour, t.minute) for t in local] == [
        (14, 9, 0),
        (14, 10, 0),
        (15, 9, 0),
        (15, 10, 0),
    ]
    assert slots[0].starts_at.astimezone(dt.UTC).hour == 1  # WITA is UTC+8


def test_create_slot_series_refuses_bad_window(stage, organizer):
    with pytest.raises(DomainError) as error:
        services.create_slot_series(
            stage=stage,
            first_day=dt.date(2027, 9, 15),
            last_day=dt.date(2027, 9, 14),
            day_starts=dt.time(9, 0),
            day_ends=dt.time(11, 0),
            minutes=45,
            by=organizer,
        )

    assert error.value.field == "last_day"
    assert not Slot.objects.exists()


def test_apply_books_every_entry_once_without_double_booking(
    stage, entries, judges, day, organizer
):
    for hour in range(3):
        make_slots(stage, day + dt.timedelta(hours=hour), 2, parallel=True)

    apply_schedule(stage=stage, by=organizer)

    booked = _booked(stage)
    assert sorted(booked) == sorted(e.pk for e in entries)
    sittings = {}
    for slot, panel in booked.values():
        assert len(panel) == 2
        for judge in panel:
            for other in sittings.get(judge, []):
                assert not (
                    slot.starts_at < other.ends_at and other.starts_at < slot.ends_at
                )
            sittings.setdefault(judge, []).append(slot)


def test_propose_never_puts_a_conflicted_judge(stage, entries, judges, day, organizer):
    DeclaredConflictFactory(judge=judges[0], submission=entries[0])
    make_slots(stage, day, 3)

    proposal = services.propose_schedule(stage=stage, by=organizer)

    panel = next(b.judges for b in proposal.bookings if b.submission == entries[0])
    assert judges[0] not in panel
    assert len(proposal.bookings) == 3


def test_propose_counts_sessions_of_other_stages_as_busy(
    contest, stage, entries, judges, day, organizer
):
    other = OpenStageFactory(contest=contest, name="Kunjungan")
    [busy] = make_slots(other, day, 1)
    busy.judges.set(judges[:2])
    make_slots(stage, day, 4)

    proposal = services.propose_schedule(stage=stage, by=organizer)

    for booking in proposal.bookings:
        assert booking.slot.starts_at != day


def test_propose_infeasible_says_too_few_slots(stage, entries, judges, day, organizer):
    make_slots(stage, day, 2)

    with pytest.raises(DomainError) as error:
        services.propose_schedule(stage=stage, by=organizer)

    assert error.value.status == 409
    assert "3 entries to schedule but only 2 free sessions" in str(error.value)


def test_propose_infeasible_says_too_few_judges_free(
    stage, entries, judges, day, organizer
):
    make_slots(stage, day, 3, parallel=True)

    with pytest.raises(DomainError) as error:
        services.propose_schedule(stage=stage, by=organizer)

    assert error.value.status == 409
    assert "Only 3 sessions have 2 judges free" in str(error.value) or (
        "No schedule keeps every rule" in str(error.value)
    )


def test_book_slot_refuses_double_booking(stage, entries, judges, day, organizer):
    first, second = make_slots(stage, day, 2, parallel=True)
    services.book_slot(
        slot=first, submission=entries[0], judges=judges[:2], by=organizer
    )

    with pytest.raises(DomainError) as error:
        services.book_slot(
            slot=second, submission=entries[1], judges=judges[1:], by=organizer
        )

    assert error.value.status == 409
    assert "already sits in another session" in str(error.value)
    assert Slot.objects.get(pk=second.pk).submission_id is None


def test_book_slot_refuses_conflicted_judge(stage, entries, judges, day, organizer):
    DeclaredConflictFactory(judge=judges[0], submission=entries[0])
    [slot] = make_slots(stage, day, 1)

    with pytest.raises(DomainError) as error:
        services.book_slot(
            slot=slot, submission=entries[0], judges=judges[:2], by=organizer
        )

    assert error.value.status == 409
    assert "conflict of interest" in str(error.value)


def test_book_slot_moves_entry_with_its_judges(stage, entries, judges, day, organizer):
    first, second = make_slots(stage, day, 2)
    services.book_slot(
        slot=first, submission=entries[0], judges=judges[:2], by=organizer
    )

    services.book_slot(slot=second, submission=entries[0], by=organizer)

    first.refresh_from_db()
    assert first.submission_id is None
    assert not first.judges.exists()
    assert sorted(j.pk for j in Slot.objects.get(pk=second.pk).judges.all()) == [
        judges[0].pk,
        judges[1].pk,
    ]


def test_delete_slot_refused_while_booked(stage, entries, judges, day, organizer):
    [slot] = make_slots(stage, day, 1)
    services.book_slot(
        slot=slot, submission=entries[0], judges=judges[:2], by=organizer
    )

    with pytest.raises(DomainError) as error:
        services.delete_slot(slot=slot, by=organizer)
    services.unbook_slot(slot=slot, by=organizer)
    services.delete_slot(slot=slot, by=organizer)

    assert error.value.status == 409
    assert not Slot.objects.exists()


def test_writes_refused_when_frozen(stage, day, organizer):
    [slot] = make_slots(stage, day, 1)
    stage.contest.frozen_at = day
    stage.contest.save()

    for call in (
        lambda: services.create_slot(
            stage=stage,
            starts_at=day,
            ends_at=day + dt.timedelta(hours=1),
            by=organizer,
        ),
        lambda: services.update_slot(slot=slot, data={"place": "x"}, by=organizer),
        lambda: services.delete_slot(slot=slot, by=organizer),
        lambda: apply_schedule(stage=stage, by=organizer),
        lambda: announce_schedule(stage=stage, by=organizer),
        lambda: services.propose_schedule(stage=stage, by=organizer),
    ):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.status == 409


def test_writes_refused_for_non_organizer(stage, day, delegate):
    with pytest.raises(DomainError) as error:
        services.create_slot(
            stage=stage, starts_at=day, ends_at=day + dt.timedelta(hours=1), by=delegate
        )

    assert error.value.status == 403


def _ics(message):
    [(name, text, kind)] = message.attachments
    assert name == "invite.ics"
    assert kind.startswith("text/calendar")
    return text


def test_announce_sends_ics_to_delegates_and_judges(
    stage, entries, judges, day, organizer, django_capture_on_commit_callbacks
):
    [slot] = make_slots(stage, day, 1)
    services.book_slot(
        slot=slot, submission=entries[0], judges=judges[:2], by=organizer
    )

    with django_capture_on_commit_callbacks(execute=True):
        told = announce_schedule(stage=stage, by=organizer)

    assert told == 3
    assert len(mail.outbox) == 3
    # Each in their own language: the accounts here chose Indonesian.
    assert {m.subject for m in mail.outbox} == {"Sesi dijadwalkan: Inovasi 0"}
    assert "WITA" in mail.outbox[0].body
    assert "WIB" in mail.outbox[0].body
    assert {m.to[0] for m in mail.outbox} >= {judges[0].user.email}
    for message in mail.outbox:
        text = _ics(message)
        assert "METHOD:REQUEST" in text
        assert "SEQUENCE:0" in text
        assert "DTSTART:20270914T010000Z" in text


def test_change_after_announce_tells_again_with_higher_sequence(
    stage, entries, judges, day, organizer, django_capture_on_commit_callbacks
):
    [slot] = make_slots(stage, day, 1)
    services.book_slot(
        slot=slot, submission=entries[0], judges=judges[:2], by=organizer
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_schedule(stage=stage, by=organizer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.book_slot(
            slot=slot,
            submission=entries[0],
            judges=[judges[0], judges[2]],
            by=organizer,
        )

    by_address = {m.to[0]: _ics(m) for m in mail.outbox}
    assert "METHOD:CANCEL" in by_address[judges[1].user.email]
    assert "METHOD:REQUEST" in by_address[judges[2].user.email]
    assert all("SEQUENCE:1" in text for text in by_address.values())
    assert judges[0].user.email not in by_address  # nothing changed for them


def test_time_change_after_announce_tells_everyone(
    stage, entries, judges, day, organizer, django_capture_on_commit_callbacks
):
    [slot] = make_slots(stage, day, 1)
    services.book_slot(
        slot=slot, submission=entries[0], judges=judges[:2], by=organizer
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_schedule(stage=stage, by=organizer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_slot(
            slot=slot,
            data={
                "starts_at": day + dt.timedelta(hours=3),
                "ends_at": day + dt.timedelta(hours=4),
            },
            by=organizer,
        )

    assert len(mail.outbox) == 3
    assert all("SEQUENCE:1" in _ics(m) for m in mail.outbox)
    assert all("DTSTART:20270914T040000Z" in _ics(m) for m in mail.outbox)


def test_announce_twice_tells_nobody_new(
    stage, entries, judges, day, organizer, django_capture_on_commit_callbacks
):
    [slot] = make_slots(stage, day, 1)
    services.book_slot(
        slot=slot, submission=entries[0], judges=judges[:2], by=organizer
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_schedule(stage=stage, by=organizer)

    again = announce_schedule(stage=stage, by=organizer)

    assert again == 0


def test_every_schedule_write_is_in_the_ledger(
    stage, entries, judges, day, organizer, django_capture_on_commit_callbacks
):
    from contest.ledger import verify_rows

    first, second, _third = make_slots(stage, day, 3)
    services.book_slot(
        slot=first, submission=entries[0], judges=judges[:2], by=organizer
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_schedule(stage=stage, by=organizer)
        services.book_slot(slot=second, submission=entries[0], by=organizer)
        services.update_slot(slot=second, data={"place": "Aula"}, by=organizer)
        apply_schedule(stage=stage, by=organizer)

    check = verify_rows()

    assert check.problems == []
    assert Slot.objects.filter(submission__isnull=False).count() == 3


def test_propose_uses_the_assigned_judges_as_panels(
    stage, entries, judges, day, organizer
):
    from tests.factories.judging import AssignmentFactory

    wanted = {
        entries[0].pk: [judges[0], judges[1]],
        entries[1].pk: [judges[2]],
        entries[2].pk: [judges[0]],
    }
    for entry in entries:
        for judge in wanted[entry.pk]:
            AssignmentFactory(stage=stage, judge=judge, submission=entry)
    make_slots(stage, day, 2, parallel=True)
    make_slots(stage, day + dt.timedelta(hours=1), 1)

    proposal = services.propose_schedule(stage=stage, by=organizer)

    panels = {
        b.submission.pk: sorted(j.pk for j in b.judges) for b in proposal.bookings
    }
    assert panels == {k: sorted(j.pk for j in v) for k, v in wanted.items()}
    at = {b.submission.pk: b.slot.starts_at for b in proposal.bookings}
    assert at[entries[0].pk] != at[entries[2].pk]  # judge 0 sits in both
