"""The presentation scheduler (judging/scheduling.py): every schedule it proposes
keeps every rule (each entry one slot, full panels of allowed judges, no judge
in two places at once, busy times and fixed bookings kept), its busiest judge is
as lightly loaded as any schedule allows (checked against every schedule of
small cases), and when it finds none, none exists and it says why."""

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.scheduling import (
    Booking,
    Entry,
    Infeasible,
    Schedule,
    Slot,
    check_schedule,
    propose_schedule,
)

DAY = dt.datetime(2031, 9, 14, 1, 0, tzinfo=dt.UTC)  # 09:00 WITA


def slot(n: int, hour: float, minutes: int = 30, place: str = "Ruang 1") -> Slot:
    starts = DAY + dt.timedelta(hours=hour)
    return Slot(n, starts, starts + dt.timedelta(minutes=minutes), place)


def test_a_day_of_presentations_in_two_rooms():
    slots = [slot(n, n // 2 * 0.5, place=f"Ruang {n % 2 + 1}") for n in range(8)]
    judges = range(1, 7)
    entries = [Entry(n, frozenset(judges) - {n % 6 + 1}) for n in range(1, 9)]

    schedule = propose_schedule(
        entries=entries, slots=slots, judges=judges, panel_size=3
    )

    assert check_schedule(schedule, entries=entries, slots=slots, panel_size=3) == []
    # 8 entries x 3 seats over 6 judges: 4 sittings each at best.
    assert schedule.busiest == 4


def test_a_conflicted_judge_never_sits_on_that_entry():
    slots = [slot(n, n) for n in range(3)]
    entries = [
        Entry(1, frozenset({1, 2})),
        Entry(2, frozenset({2, 3})),
        Entry(3, frozenset({1, 3})),
    ]

    schedule = propose_schedule(
        entries=entries, slots=slots, judges=[1, 2, 3], panel_size=2
    )

    panels = {b.entry_id: set(b.judge_ids) for b in schedule.bookings}
    assert panels == {1: {1, 2}, 2: {2, 3}, 3: {1, 3}}


def test_slots_at_the_same_time_need_different_judges():
    # Two rooms at once, three judges, panels of two: one room only at a time.
    slots = [slot(1, 0, place="A"), slot(2, 0, place="B"), slot(3, 1, place="A")]
    entries = [Entry(n, frozenset({1, 2, 3})) for n in (1, 2)]

    schedule = propose_schedule(
        entries=entries, slots=slots, judges=[1, 2, 3], panel_size=2
    )

    assert {b.slot_id for b in schedule.bookings} in ({1, 3}, {2, 3})


def test_earlier_slots_are_filled_first():
    slots = [slot(n, n) for n in range(5)]
    entries = [Entry(n, frozenset({1, 2})) for n in (1, 2)]

    schedule = propose_schedule(
        entries=entries, slots=slots, judges=[1, 2], panel_size=2
    )

    assert sorted(b.slot_id for b in schedule.bookings) == [0, 1]


def test_a_busy_judge_is_left_out_of_that_time():
    slots = [slot(1, 0), slot(2, 1)]
    entries = [Entry(1, frozenset({1, 2, 3})), Entry(2, frozenset({1, 2, 3}))]
    busy = {1: [(DAY, DAY + dt.timedelta(minutes=45))]}

    schedule = propose_schedule(
        entries=entries, slots=slots, judges=[1, 2, 3], panel_size=2, busy=busy
    )

    first = next(b for b in schedule.bookings if b.slot_id == 1)
    assert 1 not in first.judge_ids
    assert (
        check_schedule(schedule, entries=entries, slots=slots, panel_size=2, busy=busy)
        == []
    )


def test_a_booking_fixed_by_hand_is_kept():
    slots = [slot(n, n) for n in range(3)]
    entries = [Entry(n, frozenset({1, 2, 3})) for n in (1, 2, 3)]
    fixed = [Booking(entry_id=3, slot_id=0, judge_ids=(2, 3))]

    schedule = propose_schedule(
        entries=entries, slots=slots, judges=[1, 2, 3], panel_size=2, fixed=fixed
    )

    assert Booking(3, 0, (2, 3)) in schedule.bookings


# ---------------------------------------------------------------- explained refusals


def reasons(**kwargs):
    with pytest.raises(Infeasible) as refused:
        propose_schedule(**kwargs)
    return {reason.code: dict(reason.data) for reason in refused.value.reasons}


def test_more_entries_than_slots_is_explained():
    found = reasons(
        entries=[Entry(n, frozenset({1})) for n in range(3)],
        slots=[slot(1, 0), slot(2, 1)],
        judges=[1],
        panel_size=1,
    )
    assert found["too_few_slots"] == {"entries": 3, "slots": 2}


def test_an_entry_with_too_few_allowed_judges_is_named():
    found = reasons(
        entries=[Entry(7, frozenset({1})), Entry(8, frozenset({1, 2}))],
        slots=[slot(1, 0), slot(2, 1)],
        judges=[1, 2],
        panel_size=2,
    )
    assert found == {
        "too_few_judges_for_entry": {"entry": 7, "allowed": 1, "panel_size": 2}
    }


def test_too_few_judges_free_is_explained():
    busy = {1: [(DAY, DAY + dt.timedelta(hours=5))]}
    found = reasons(
        entries=[Entry(n, frozenset({1, 2})) for n in (1, 2)],
        slots=[slot(1, 0), slot(2, 1)],
        judges=[1, 2],
        panel_size=2,
        busy=busy,
    )
    assert found["too_few_judges_free"] == {"entries": 2, "usable_slots": 0}


def test_constraints_that_leave_nothing_together_are_said_so():
    # Each entry alone is fine, but all three need judge 1 and only two slots
    # are apart in time.
    slots = [slot(1, 0, place="A"), slot(2, 0, place="B"), slot(3, 1)]
    entries = [Entry(n, frozenset({1})) for n in (1, 2, 3)]
    assert reasons(entries=entries, slots=slots, judges=[1], panel_size=1) == {
        "over_constrained": {}
    }


# ---------------------------------------------------------------- properties


@st.composite
def cases(draw):
    judges = list(range(1, draw(st.integers(1, 4)) + 1))
    starts = draw(st.lists(st.integers(0, 4), min_size=1, max_size=4))
    slots = [slot(n, hour) for n, hour in enumerate(starts)]
    count = draw(st.integers(0, 3))
    entries = [
        Entry(n, frozenset(draw(st.sets(st.sampled_from(judges), min_size=0))))
        for n in range(count)
    ]
    panel = draw(st.integers(1, 2))
    return entries, slots, judges, panel


def brute_force(entries, slots, judges, panel):
    """The least busiest-load of every valid schedule, or None (tiny cases)."""
    best = None
    for chosen in itertools.permutations(slots, len(entries)):
        options = [
            [
                Booking(entry.id, s.id, combo)
                for combo in itertools.combinations(sorted(entry.judges), panel)
            ]
            for entry, s in zip(entries, chosen, strict=True)
        ]
        for bookings in itertools.product(*options):
            load = dict.fromkeys(judges, 0)
            for booking in bookings:
                for judge in booking.judge_ids:
                    load[judge] += 1
            schedule = Schedule(bookings=tuple(bookings), load=load)
            if not check_schedule(
                schedule, entries=entries, slots=slots, panel_size=panel
            ):
                busiest = max(load.values(), default=0)
                best = busiest if best is None else min(best, busiest)
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_scheduler_agrees_with_every_schedule_there_is(case):
    entries, slots, judges, panel = case
    best = brute_force(entries, slots, judges, panel) if entries else 0
    if best is None:
        with pytest.raises(Infeasible) as refused:
            propose_schedule(
                entries=entries, slots=slots, judges=judges, panel_size=panel
            )
        assert refused.value.reasons
        return
    schedule = propose_schedule(
        entries=entries, slots=slots, judges=judges, panel_size=panel
    )
    assert (
        check_schedule(schedule, entries=entries, slots=slots, panel_size=panel) == []
    )
    assert schedule.busiest == best
