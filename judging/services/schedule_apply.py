"""Applying a proposed (or hand-written) schedule to a stage's slots, and
announcing it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest.models import Stage
from judging import schedule_notices
from judging.models_formats import Slot
from judging.selectors import schedule as reads
from judging.services.schedule import (
    ProposedBooking,
    _begin,
    _record,
    propose_schedule,
)

User = get_user_model()


def _parse(stage: Stage, bookings: Any, slots: dict[int, Slot], inputs) -> list:
    if not isinstance(bookings, list) or len(bookings) > 5000:
        raise DomainError(_("Give a list of bookings."), field="bookings")
    out = []
    for item in bookings:
        if not isinstance(item, Mapping):
            raise DomainError(_("Give a list of bookings."), field="bookings")
        slot_id, entry_id, judges = (
            item.get("slot"),
            item.get("submission"),
            item.get("judges"),
        )
        entry = next((e for e in inputs.entries if e.pk == entry_id), None)
        if not isinstance(slot_id, int) or slot_id not in slots:
            raise DomainError(_("Unknown session."), field="slot")
        if entry is None:
            raise DomainError(
                _("This entry does not take part in this stage."), field="submission"
            )
        if not isinstance(judges, list) or not all(
            isinstance(j, int) and j in inputs.judges for j in judges
        ):
            raise DomainError(
                _("A judge is not one of this contest's."), field="judges"
            )
        out.append(
            ProposedBooking(
                slot=slots[slot_id],
                submission=entry,
                judges=[inputs.judges[j] for j in sorted(set(judges))],
            )
        )
    return out


def _check(stage: Stage, bookings: Sequence[ProposedBooking], inputs) -> None:
    """Every entry once, one entry a slot, full panels of allowed judges, no judge
    in two sessions at once (here or in another stage)."""
    entries = sorted(b.submission.pk for b in bookings)
    if entries != sorted(e.pk for e in inputs.entries):
        raise DomainError(
            _("Every entry of the stage needs exactly one session."),
            field="bookings",
            status=409,
        )
    if len({b.slot.pk for b in bookings}) != len(bookings):
        raise DomainError(_("A session holds two entries."), field="slot", status=409)
    busy = reads.busy_elsewhere(stage, list(inputs.judges))
    for booking in bookings:
        entry = booking.submission
        if len(booking.judges) != inputs.panel_size[entry.pk]:
            raise DomainError(
                _("“%(title)s” needs %(count)d judges.")
                % {"title": entry.title, "count": inputs.panel_size[entry.pk]},
                field="judges",
            )
        for judge in booking.judges:
            if judge.pk not in inputs.allowed[entry.pk]:
                raise DomainError(
                    _("%(judge)s may not sit on the panel of “%(title)s”.")
                    % {"judge": judge, "title": entry.title},
                    field="judges",
                    status=409,
                )
            busy.setdefault(judge.pk, [])
            slot = booking.slot
            if any(s < slot.ends_at and slot.starts_at < e for s, e in busy[judge.pk]):
                raise DomainError(
                    _("%(judge)s would sit in two sessions at once.")
                    % {"judge": judge},
                    field="judges",
                    status=409,
                )
            busy[judge.pk].append((slot.starts_at, slot.ends_at))


@transaction.atomic
def apply_schedule(
    *, stage: Stage, bookings: Any = None, by: User
) -> list[ProposedBooking]:
    """Write a schedule into the stage's slots: `bookings` (a list of {"slot",
    "submission", "judges"}) checked again, or none: the solver's proposal. The
    slots not in it are emptied. One ledger entry per slot changed; once the stage
    is announced, the people concerned are told."""
    _begin(stage, by)
    if bookings is None:
        chosen = propose_schedule(stage=stage, by=by).bookings
    else:
        inputs = reads.schedule_inputs(stage)
        slots = {s.pk: s for s in reads.slots_of_stage(stage)}
        chosen = _parse(stage, bookings, slots, inputs)
        _check(stage, chosen, inputs)
    wanted = {b.slot.pk: b for b in chosen}
    changed = []
    slots = list(reads.slots_of_stage(stage).select_for_update(of=("self",)))
    for slot in slots:
        if slot.submission_id is not None and slot.pk not in wanted:
            slot.submission = None
            slot.save()
            slot.judges.clear()
            changed.append(slot)
    for slot in slots:
        booking = wanted.get(slot.pk)
        if booking is None:
            continue
        same = slot.submission_id == booking.submission.pk and {
            j.pk for j in slot.judges.all()
        } == {j.pk for j in booking.judges}
        if same:
            continue
        slot.submission = booking.submission
        slot.save()
        slot.judges.set(booking.judges)
        changed.append(slot)
    schedule_notices.tell_if_announced(changed)
    _record(changed, "slot.booked", by, stage)
    return chosen


@transaction.atomic
def announce_schedule(*, stage: Stage, by: User) -> int:
    """Tell the entries' delegates and the judges of every booked session (and
    those no longer in one) what changed since the last announcement, with a
    calendar invitation; answers how many messages were written."""
    _begin(stage, by)
    slots = [
        s
        for s in reads.slots_of_stage(stage).select_for_update(of=("self",))
        if s.submission_id is not None or s.notified_at is not None
    ]
    if not any(s.submission_id for s in slots):
        raise DomainError(_("No session is booked yet."), status=409)
    told = 0
    marked = []
    for slot in slots:
        before = (slot.sequence, slot.notified_at)
        told += schedule_notices.tell(slot)
        if (slot.sequence, slot.notified_at) != before:
            marked.append(slot)
    _record(marked, "schedule.announced", by, stage)
    return told
