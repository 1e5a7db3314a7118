"""Sessions of a scoring stage (presentations, interviews, field visits): slots
made one by one or as a series, edited, deleted; a schedule proposed by the
solver (judging/scheduling.py), applied, adjusted by hand and announced.

Every write refuses a frozen contest (409) and anyone but an organizer (403),
is in the ledger, and keeps two rules on every path: a judge never sits in two
sessions at once (across the contest's stages), and never on an entry they have
a conflict of interest with. Once a slot is announced, every change to it tells
the people concerned again (judging/schedule_notices.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Stage
from judging import schedule_notices
from judging import scheduling as solver
from judging.models import Judge
from judging.models_formats import Slot
from judging.schedule_series import series_times
from judging.schedule_words import reason_text
from judging.selectors import schedule as reads
from judging.services._common import _check_no_conflict, _guard, _require_scoring
from submissions.models import Submission

User = get_user_model()

MAX_SLOTS_PER_STAGE = 1000


def _begin(stage: Stage, by: User) -> None:
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)


def _slot_data(slot: Slot) -> dict[str, Any]:
    return {
        "stage": slot.stage_id,
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
        "place": slot.place,
        "submission": slot.submission_id,
        "judges": sorted(j.pk for j in slot.judges.all()),
    }


def _record(slots: Sequence[Slot], action: str, by: User, stage: Stage) -> None:
    ledger.record_many(
        action=action, objs=slots, by=by, contest=stage.contest, data=_slot_data
    )


def _clean_text(value: Any, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(_("Enter text."), field=field)
    value = value.strip()
    if len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters.") % {"limit": limit}, field=field
        )
    return value


def _clean_url(value: Any) -> str:
    value = _clean_text(value, "meeting_url", 500)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise DomainError(
                _("Enter a web address (https://…)."), field="meeting_url"
            ) from exc
    return value


def _clean_window(starts: Any, ends: Any) -> tuple[dt.datetime, dt.datetime]:
    for name, value in (("starts_at", starts), ("ends_at", ends)):
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            raise DomainError(_("Enter a date and time."), field=name)
    if ends <= starts:
        raise DomainError(_("A session must end after it starts."), field="ends_at")
    if ends - starts > dt.timedelta(hours=24):
        raise DomainError(_("A session lasts at most 24 hours."), field="ends_at")
    return starts, ends


def _room_for(stage: Stage, count: int) -> None:
    if Slot.objects.filter(stage=stage).count() + count > MAX_SLOTS_PER_STAGE:
        raise DomainError(
            _("A stage has at most %(limit)d sessions.")
            % {"limit": MAX_SLOTS_PER_STAGE},
            status=409,
        )


@transaction.atomic
def create_slot(
    *,
    stage: Stage,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    meeting_url: str = "",
    by: User,
) -> Slot:
    _begin(stage, by)
    starts_at, ends_at = _clean_window(starts_at, ends_at)
    _room_for(stage, 1)
    slot = Slot.objects.create(
        stage=stage,
        starts_at=starts_at,
        ends_at=ends_at,
        place=_clean_text(place, "place", 300),
        meeting_url=_clean_url(meeting_url),
    )
    _record([slot], "slot.created", by, stage)
    return slot


@transaction.atomic
def create_slot_series(
    *,
    stage: Stage,
    first_day: dt.date,
    last_day: dt.date,
    day_starts: dt.time,
    day_ends: dt.time,
    minutes: int,
    gap: int = 0,
    place: str = "",
    meeting_url: str = "",
    by: User,
) -> list[Slot]:
    """Slots of `minutes` each, `gap` minutes apart, from `day_starts` to
    `day_ends` on every day from `first_day` to `last_day`, in the contest's time
    zone."""
    _begin(stage, by)
    times = series_times(
        first_day=first_day,
        last_day=last_day,
        day_starts=day_starts,
        day_ends=day_ends,
        minutes=minutes,
        gap=gap,
        tzinfo=stage.contest.tzinfo,
    )
    _room_for(stage, len(times))
    place, meeting_url = _clean_text(place, "place", 300), _clean_url(meeting_url)
    slots = Slot.objects.bulk_create(
        [
            Slot(
                stage=stage,
                starts_at=starts,
                ends_at=ends,
                place=place,
                meeting_url=meeting_url,
            )
            for starts, ends in times
        ]
    )
    _record(slots, "slot.created", by, stage)
    return slots


def _locked(slot: Slot) -> Slot:
    return (
        Slot.objects.select_for_update()
        .select_related("stage", "stage__contest")
        .get(pk=slot.pk)
    )


@transaction.atomic
def update_slot(*, slot: Slot, data: Mapping[str, Any], by: User) -> Slot:
    """Change a slot's `starts_at`, `ends_at`, `place` or `meeting_url`; its judges
    must still be free at the new time."""
    _begin(slot.stage, by)
    slot = _locked(slot)
    starts_at, ends_at = _clean_window(
        data.get("starts_at", slot.starts_at), data.get("ends_at", slot.ends_at)
    )
    slot.starts_at, slot.ends_at = starts_at, ends_at
    if "place" in data:
        slot.place = _clean_text(data["place"], "place", 300)
    if "meeting_url" in data:
        slot.meeting_url = _clean_url(data["meeting_url"])
    _check_free(list(slot.judges.all()), slot)
    slot.save()
    schedule_notices.tell_if_announced([slot])
    _record([slot], "slot.changed", by, slot.stage)
    return slot


@transaction.atomic
def delete_slot(*, slot: Slot, by: User) -> None:
    """Delete a free slot; a booked one is refused (409) until it is unbooked."""
    _begin(slot.stage, by)
    slot = _locked(slot)
    if slot.submission_id is not None or slot.judges.exists():
        raise DomainError(
            _("This session is booked; unbook it before deleting it."), status=409
        )
    _record([slot], "slot.deleted", by, slot.stage)
    slot.delete()


def _check_free(
    judges: Iterable[Judge], slot: Slot, ignore: Iterable[int] = ()
) -> None:
    """Refuse (409) a judge who sits in another session (of any stage of the
    contest, `ignore` aside) overlapping `slot`."""
    judges = list(judges)
    if not judges:
        return
    clash = (
        Slot.judges.through.objects.filter(
            judge__in=judges,
            slot__stage__contest_id=slot.stage.contest_id,
            slot__starts_at__lt=slot.ends_at,
            slot__ends_at__gt=slot.starts_at,
        )
        .exclude(slot_id__in=[slot.pk, *ignore])
        .select_related("judge", "slot")
        .order_by("slot__starts_at")
        .first()
    )
    if clash is not None:
        raise DomainError(
            _("%(judge)s already sits in another session at that time (%(when)s).")
            % {
                "judge": clash.judge,
                "when": schedule_notices.local_words(clash.slot.starts_at, slot),
            },
            field="judges",
            status=409,
        )


def _clean_judges(stage: Stage, judges: Iterable[Any]) -> list[Judge]:
    judges = list(judges)
    ids = {j.pk if isinstance(j, Judge) else j for j in judges}
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise DomainError(_("Give the judges by their ids."), field="judges")
    found = list(stage.contest.judges.filter(pk__in=ids).select_related("user"))
    if len(found) != len(ids):
        raise DomainError(_("A judge is not one of this contest's."), field="judges")
    return found


@transaction.atomic
def book_slot(
    *,
    slot: Slot,
    submission: Submission | None,
    judges: Iterable[Any] | None = None,
    by: User,
) -> Slot:
    """Put `submission` (None: nobody) and `judges` in `slot` by hand. An entry
    booked elsewhere in the stage moves here (its judges with it unless `judges`
    is given); the slot must hold no other entry. Conflicts of interest and
    double bookings are refused (409)."""
    stage = slot.stage
    _begin(stage, by)
    slot = _locked(slot)
    before = None
    if submission is not None:
        _check_entry(stage, submission)
        if slot.submission_id not in (None, submission.pk):
            raise DomainError(
                _("This session already holds “%(title)s”; unbook it first.")
                % {"title": slot.submission.title},
                field="slot",
                status=409,
            )
        before = Slot.objects.filter(stage=stage, submission=submission).exclude(
            pk=slot.pk
        )
        before = before.select_for_update().first()
    if judges is None:
        source = before if before is not None else slot
        judges = list(source.judges.all()) if submission is not None else []
    panel = _clean_judges(stage, judges)
    if submission is not None:
        for judge in panel:
            _check_no_conflict(judge, submission)
    _check_free(panel, slot, ignore=[before.pk] if before else [])
    changed = _move_out(before)
    slot.submission = submission
    slot.save()
    slot.judges.set(panel)
    changed.append(slot)
    schedule_notices.tell_if_announced(changed)
    _record(changed, "slot.booked", by, stage)
    return slot


def _move_out(before: Slot | None) -> list[Slot]:
    if before is None:
        return []
    before.submission = None
    before.save()
    before.judges.clear()
    return [before]


def _check_entry(stage: Stage, submission: Submission) -> None:
    allowed = reads.stage_entries(stage).filter(pk=submission.pk).exists()
    if submission.contest_id != stage.contest_id or not allowed:
        raise DomainError(
            _("This entry does not take part in this stage."), field="submission"
        )


@transaction.atomic
def unbook_slot(*, slot: Slot, by: User) -> Slot:
    return book_slot(slot=slot, submission=None, judges=[], by=by)


@dataclass(frozen=True)
class ProposedBooking:
    slot: Slot
    submission: Submission
    judges: list[Judge]


@dataclass(frozen=True)
class Proposal:
    stage: Stage
    bookings: list[ProposedBooking]
    load: dict[int, int]


def propose_schedule(*, stage: Stage, by: User) -> Proposal:
    """The solver's schedule for every entry of the stage over all its slots (what
    is booked now is not kept), or a DomainError (409) saying why none exists.
    Writes nothing; refused (409) once the contest is frozen, as applying it would
    be."""
    require_organizer(stage.contest, by)
    ensure_not_frozen(stage.contest)
    _require_scoring(stage)
    inputs = reads.schedule_inputs(stage)
    slots = list(reads.slots_of_stage(stage))
    if not inputs.entries:
        raise DomainError(_("This stage has no entries to schedule yet."), status=409)
    busy = reads.busy_elsewhere(stage, list(inputs.judges))
    bookings = _solve(inputs, slots, busy)
    slot_of = {slot.pk: slot for slot in slots}
    entry_of = {entry.pk: entry for entry in inputs.entries}
    load: dict[int, int] = dict.fromkeys(inputs.judges, 0)
    proposed = []
    for booking in sorted(bookings, key=lambda b: (slot_of[b.slot_id].starts_at,)):
        for judge_id in booking.judge_ids:
            load[judge_id] += 1
        proposed.append(
            ProposedBooking(
                slot=slot_of[booking.slot_id],
                submission=entry_of[booking.entry_id],
                judges=[inputs.judges[j] for j in sorted(booking.judge_ids)],
            )
        )
    return Proposal(stage=stage, bookings=proposed, load=load)


def _solve(inputs, slots: list[Slot], busy) -> list[solver.Booking]:
    """Entries with panels of the same size are scheduled together, the largest
    panels first; each group's sessions are busy times and taken slots for the
    next."""
    sizes = sorted(set(inputs.panel_size.values()), reverse=True)
    free = [solver.Slot(s.pk, s.starts_at, s.ends_at, s.place) for s in slots]
    busy = {j: list(times) for j, times in busy.items()}
    entry_of = {e.pk: e for e in inputs.entries}
    bookings: list[solver.Booking] = []
    for size in sizes:
        group = [e for e in inputs.entries if inputs.panel_size[e.pk] == size]
        entries = [solver.Entry(e.pk, inputs.allowed[e.pk]) for e in group]
        try:
            found = solver.propose_schedule(
                entries=entries,
                slots=free,
                judges=inputs.judges,
                panel_size=max(size, 1),
                busy=busy,
            )
        except solver.Infeasible as exc:
            words = [reason_text(r, entry_of, size) for r in exc.reasons]
            raise DomainError(" ".join(words), status=409) from exc
        taken = {b.slot_id for b in found.bookings}
        for booking in found.bookings:
            slot = next(s for s in free if s.id == booking.slot_id)
            for judge_id in booking.judge_ids:
                busy.setdefault(judge_id, []).append((slot.starts, slot.ends))
        free = [s for s in free if s.id not in taken]
        bookings.extend(found.bookings)
    return bookings
