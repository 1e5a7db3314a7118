"""Presentation, interview and field-visit schedules: each entry one time slot with
a panel of the stage's judges. Pure: no database, no Django.

Given the slots (a start, an end, a place), the entries with the judges who may
sit on each one's panel (its category's panel without the conflicted judges),
the panel size and the times a judge is already busy, `propose_schedule` finds a
schedule in which

- every entry has exactly one slot, and no slot holds two entries;
- every panel has exactly `panel_size` judges, each allowed for its entry;
- no judge sits in two slots that overlap in time, nor while busy;
- bookings fixed by hand are kept as they are;

with the busiest judge's number of sittings as small as possible and, among
those schedules, the entries in the earliest slots. It is solved exactly as a
0-1 integer programme (SciPy's HiGHS): variables x[e, s] (entry e in slot s) and
w[j, s] (judge j on the panel of slot s), with

    sum_s x[e, s] = 1            every entry once
    sum_e x[e, s] <= 1           one entry per slot
    sum_j w[j, s] = k sum_e x[e, s]     a full panel where an entry sits
    w[j, s] <= sum_{e allows j} x[e, s] a judge only on an entry that allows them
    sum_{s covers t} w[j, s] <= 1   for every slot start t: never two at once
    sum_s w[j, s] <= L           L, the busiest judge's load, minimized first

When no schedule exists, `Infeasible` says why in terms an organizer can act on:
too few slots, an entry with too few judges allowed, too few judges free at one
time, or (the programme's own answer) that the constraints together leave none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

SOLVER_SECONDS = 20.0


@dataclass(frozen=True)
class Slot:
    id: int
    starts: dt.datetime
    ends: dt.datetime
    place: str = ""

    def overlaps(self, starts: dt.datetime, ends: dt.datetime) -> bool:
        return self.starts < ends and starts < self.ends


@dataclass(frozen=True)
class Entry:
    id: int
    judges: frozenset[int]  # who may sit on its panel


@dataclass(frozen=True)
class Booking:
    entry_id: int
    slot_id: int
    judge_ids: tuple[int, ...]


@dataclass(frozen=True)
class Schedule:
    bookings: tuple[Booking, ...]
    load: Mapping[int, int]  # sittings per judge

    @property
    def busiest(self) -> int:
        return max(self.load.values(), default=0)


@dataclass(frozen=True)
class Reason:
    """Why no schedule exists: a code and its figures (the caller words it)."""

    code: str
    data: Mapping[str, object] = field(default_factory=dict)


class Infeasible(Exception):  # noqa: N818 (a result, not a programming error)
    def __init__(self, reasons: Sequence[Reason]):
        super().__init__(", ".join(reason.code for reason in reasons))
        self.reasons = tuple(reasons)


def propose_schedule(
    *,
    entries: Sequence[Entry],
    slots: Sequence[Slot],
    judges: Iterable[int],
    panel_size: int,
    busy: Mapping[int, Sequence[tuple[dt.datetime, dt.datetime]]] | None = None,
    fixed: Sequence[Booking] = (),
    seconds: float = SOLVER_SECONDS,
) -> Schedule:
    """The schedule described in the module docstring, or Infeasible."""
    judges = sorted(set(judges))
    if panel_size < 1:
        raise ValueError("a panel has at least one judge")
    _check_input(entries, slots, judges, fixed)
    if not entries:
        return Schedule(bookings=(), load=dict.fromkeys(judges, 0))
    reasons = _plain_reasons(entries, slots, judges, panel_size, busy or {})
    if reasons:
        raise Infeasible(reasons)
    model = _Model(entries, slots, judges, panel_size, busy or {}, fixed)
    solved = milp(
        c=model.objective(),
        constraints=model.constraints(),
        integrality=np.ones(model.size),
        bounds=model.bounds(),
        options={"time_limit": seconds, "presolve": True},
    )
    if solved.status == 1 and solved.x is None:
        raise Infeasible([Reason("timed_out", {"seconds": seconds})])
    if solved.x is None:
        raise Infeasible([Reason("over_constrained", {})])
    return model.schedule(solved.x)


# ---------------------------------------------------------------- checks


def _check_input(entries, slots, judges, fixed) -> None:
    if len({e.id for e in entries}) != len(entries):
        raise ValueError("an entry is given twice")
    if len({s.id for s in slots}) != len(slots):
        raise ValueError("a slot is given twice")
    if any(s.ends <= s.starts for s in slots):
        raise ValueError("a slot must end after it starts")
    known = set(judges)
    if any(not entry.judges <= known for entry in entries):
        raise ValueError("an entry allows a judge who is not on the stage")
    entry_ids, slot_ids = {e.id for e in entries}, {s.id for s in slots}
    for booking in fixed:
        if booking.entry_id not in entry_ids or booking.slot_id not in slot_ids:
            raise ValueError("a fixed booking names an unknown entry or slot")


def _free(judge: int, slot: Slot, busy) -> bool:
    return not any(slot.overlaps(starts, ends) for starts, ends in busy.get(judge, ()))


def _plain_reasons(entries, slots, judges, panel_size, busy) -> list[Reason]:
    """The reasons that need no solver, each with what to change."""
    reasons = []
    if len(entries) > len(slots):
        reasons.append(
            Reason("too_few_slots", {"entries": len(entries), "slots": len(slots)})
        )
    for entry in entries:
        if len(entry.judges) < panel_size:
            reasons.append(
                Reason(
                    "too_few_judges_for_entry",
                    {
                        "entry": entry.id,
                        "allowed": len(entry.judges),
                        "panel_size": panel_size,
                    },
                )
            )
    usable = [
        slot
        for slot in slots
        if sum(_free(judge, slot, busy) for judge in judges) >= panel_size
    ]
    if len(entries) <= len(slots) and len(usable) < len(entries):
        reasons.append(
            Reason(
                "too_few_judges_free",
                {"entries": len(entries), "usable_slots": len(usable)},
            )
        )
    return reasons


# ---------------------------------------------------------------- the programme


class _Model:
    """The 0-1 programme's variables: x[e, s] first, then w[j, s], then L."""

    def __init__(self, entries, slots, judges, panel_size, busy, fixed):
        self.entries = list(entries)
        self.slots = sorted(slots, key=lambda s: (s.starts, s.ends, s.id))
        self.judges = list(judges)
        self.k = panel_size
        self.busy = busy
        self.fixed = list(fixed)
        self.E, self.S, self.J = len(self.entries), len(self.slots), len(self.judges)
        self.size = self.E * self.S + self.J * self.S + 1
        self.load = self.size - 1
        self.judge_index = {judge: n for n, judge in enumerate(self.judges)}

    def x(self, e: int, s: int) -> int:
        return e * self.S + s

    def w(self, j: int, s: int) -> int:
        return self.E * self.S + j * self.S + s

    def objective(self) -> np.ndarray:
        # The load first: one sitting more for the busiest judge outweighs every
        # choice of earlier slots.
        c = np.zeros(self.size)
        for e in range(self.E):
            for s in range(self.S):
                c[self.x(e, s)] = s
        c[self.load] = self.E * self.S + 1
        return c

    def bounds(self) -> Bounds:
        upper = np.ones(self.size)
        lower = np.zeros(self.size)
        upper[self.load] = self.S
        for j, judge in enumerate(self.judges):
            for s, slot in enumerate(self.slots):
                if not _free(judge, slot, self.busy):
                    upper[self.w(j, s)] = 0
        slot_index = {slot.id: s for s, slot in enumerate(self.slots)}
        entry_index = {entry.id: e for e, entry in enumerate(self.entries)}
        for booking in self.fixed:
            s = slot_index[booking.slot_id]
            lower[self.x(entry_index[booking.entry_id], s)] = 1
            for judge in booking.judge_ids:
                lower[self.w(self.judge_index[judge], s)] = 1
        return Bounds(lower, np.maximum(upper, lower))

    def constraints(self) -> list[LinearConstraint]:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        low: list[float] = []
        high: list[float] = []

        def row(terms: Iterable[tuple[int, float]], lo: float, hi: float) -> None:
            n = len(low)
            for col, val in terms:
                rows.append(n)
                cols.append(col)
                vals.append(val)
            low.append(lo)
            high.append(hi)

        for e in range(self.E):
            row(((self.x(e, s), 1.0) for s in range(self.S)), 1, 1)
        for s in range(self.S):
            row(((self.x(e, s), 1.0) for e in range(self.E)), -np.inf, 1)
            panel = [(self.w(j, s), 1.0) for j in range(self.J)]
            row(panel + [(self.x(e, s), -self.k) for e in range(self.E)], 0, 0)
        for j, judge in enumerate(self.judges):
            allowing = [
                e for e, entry in enumerate(self.entries) if judge in entry.judges
            ]
            for s in range(self.S):
                row(
                    [(self.w(j, s), 1.0)] + [(self.x(e, s), -1.0) for e in allowing],
                    -np.inf,
                    0,
                )
            for group in self._overlapping_groups():
                row(((self.w(j, s), 1.0) for s in group), -np.inf, 1)
            row(
                [(self.w(j, s), 1.0) for s in range(self.S)] + [(self.load, -1.0)],
                -np.inf,
                0,
            )
        matrix = coo_array((vals, (rows, cols)), shape=(len(low), self.size))
        return [LinearConstraint(matrix.tocsr(), low, high)]

    def _overlapping_groups(self) -> list[list[int]]:
        """For each slot's start, the slots running then (with two or more)."""
        if not hasattr(self, "_groups"):
            groups = []
            for slot in self.slots:
                group = [
                    s
                    for s, other in enumerate(self.slots)
                    if other.starts <= slot.starts < other.ends
                ]
                if len(group) > 1 and group not in groups:
                    groups.append(group)
            self._groups = groups
        return self._groups

    def schedule(self, solution: np.ndarray) -> Schedule:
        chosen = np.rint(solution).astype(int)
        bookings = []
        load = dict.fromkeys(self.judges, 0)
        for s, slot in enumerate(self.slots):
            for e, entry in enumerate(self.entries):
                if chosen[self.x(e, s)]:
                    panel = tuple(
                        judge
                        for j, judge in enumerate(self.judges)
                        if chosen[self.w(j, s)]
                    )
                    for judge in panel:
                        load[judge] += 1
                    bookings.append(Booking(entry.id, slot.id, panel))
        return Schedule(bookings=tuple(bookings), load=load)


def check_schedule(
    schedule: Schedule,
    *,
    entries: Sequence[Entry],
    slots: Sequence[Slot],
    panel_size: int,
    busy: Mapping[int, Sequence[tuple[dt.datetime, dt.datetime]]] | None = None,
) -> list[str]:
    """What is wrong with `schedule` (empty when it keeps every rule): used by
    the tests and by a hand-adjusted schedule before it is saved."""
    busy = busy or {}
    problems = []
    slot_of = {slot.id: slot for slot in slots}
    allowed = {entry.id: entry.judges for entry in entries}
    booked = [booking.entry_id for booking in schedule.bookings]
    if sorted(booked) != sorted(allowed):
        problems.append("not every entry has exactly one slot")
    used = [booking.slot_id for booking in schedule.bookings]
    if len(set(used)) != len(used):
        problems.append("a slot holds two entries")
    sittings: dict[int, list[Slot]] = {}
    for booking in schedule.bookings:
        slot = slot_of[booking.slot_id]
        if len(set(booking.judge_ids)) != panel_size:
            problems.append(f"entry {booking.entry_id} has no full panel")
        for judge in booking.judge_ids:
            if judge not in allowed.get(booking.entry_id, ()):
                problems.append(f"judge {judge} may not judge entry {booking.entry_id}")
            if not _free(judge, slot, busy):
                problems.append(f"judge {judge} is busy at slot {slot.id}")
            for other in sittings.get(judge, []):
                if slot.overlaps(other.starts, other.ends):
                    problems.append(f"judge {judge} is booked twice at once")
            sittings.setdefault(judge, []).append(slot)
    return problems
