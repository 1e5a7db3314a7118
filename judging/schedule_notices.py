"""What the people of a session are told, with a calendar invitation (.ics):
the entry's delegates and the slot's judges, each in their own language, the
time in the contest's zone, in the entry region's zone and in WIB.

A slot remembers what was last announced (`announced`: the entry, the accounts
told, the time, place and link) and the calendar `sequence`. `tell` compares it
with the slot as it is now: the people still concerned are told of a change
(METHOD:REQUEST, the sequence one higher), a person no longer concerned of the
cancellation (METHOD:CANCEL), a newcomer of the session; nothing changed, nobody
is told. Written to the outbox in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.models import Delegate
from contest.timezones import WIB, abbreviation, zone_of_region
from judging.models_formats import Slot
from judging.selectors.schedule import delegate_users
from notifications.formatting import link_to, when
from notifications.services import language_of, notify
from submissions.models import Submission

User = get_user_model()


def local_words(value: dt.datetime, slot: Slot, language: str | None = None) -> str:
    """`value` in words in the contest's time zone, with its abbreviation."""
    contest = slot.stage.contest
    language = language or settings.LANGUAGE_CODE
    return f"{when(value, tzinfo=contest.tzinfo, language=language)} " + (
        contest.timezone_abbreviation
    )


def zones_of(slot: Slot) -> list[str]:
    """The zones a slot's time is shown in: the contest's, the entry region's,
    WIB; each once."""
    zones = [slot.stage.contest.timezone]
    if slot.submission_id is not None:
        zones.append(zone_of_region(slot.submission.region_id))
    zones.append(WIB)
    return list(dict.fromkeys(zones))


def times_of(slot: Slot, language: str) -> list[str]:
    """The slot's start and end in each of `zones_of(slot)`, in words."""
    out = []
    for zone in zones_of(slot):
        tz = ZoneInfo(zone)
        end = timezone.localtime(slot.ends_at, tz).strftime("%H:%M")
        if language == "id":
            end = end.replace(":", ".")
        out.append(
            f"{when(slot.starts_at, tzinfo=tz, language=language)}"
            f"\N{EN DASH}{end} {abbreviation(zone)}"
        )
    return out


def _state(slot: Slot, delegates: list[int] | None = None) -> dict[str, Any]:
    if slot.submission_id is None:
        return {}
    judges = sorted({judge.user_id for judge in slot.judges.all()})
    if delegates is None:
        delegates = sorted({user.pk for user in delegate_users(slot.submission)})
    return {
        "submission": slot.submission_id,
        "judges": judges,
        "delegates": delegates,
        "starts": slot.starts_at.isoformat(),
        "ends": slot.ends_at.isoformat(),
        "place": slot.place,
        "url": slot.meeting_url,
    }


def _people(state: dict[str, Any]) -> dict[int, str]:
    people = dict.fromkeys(state.get("delegates", []), "delegate")
    people.update(dict.fromkeys(state.get("judges", []), "judge"))
    return people


def people_to_tell(slots: Iterable[Slot]) -> int:
    """How many people an announcement now would tell (one query besides the
    slots, loaded with their judges and entries)."""
    slots = list(slots)
    regions = {
        (s.submission.contest_id, s.submission.region_id)
        for s in slots
        if s.submission_id
    }
    by_region: dict[tuple[int, str], list[int]] = {}
    for contest_id, region_id, user_id in (
        Delegate.objects.filter(
            contest_id__in={c for c, _r in regions},
            region_id__in={r for _c, r in regions},
        )
        .values_list("contest_id", "region_id", "user_id")
        .order_by("user_id")
    ):
        by_region.setdefault((contest_id, region_id), []).append(user_id)
    people: set[int] = set()
    for slot in slots:
        delegates = None
        if slot.submission_id:
            key = (slot.submission.contest_id, slot.submission.region_id)
            delegates = sorted(set(by_region.get(key, [])))
        before, now = slot.announced or {}, _state(slot, delegates)
        if before != now:
            people |= set(_people(before)) | set(_people(now))
    return len(people)


def tell_if_announced(slots: Iterable[Slot]) -> int:
    """Once a stage's schedule is announced, tell the people of each of `slots`
    what changed in it."""
    slots = list(slots)
    if not slots:
        return 0
    stage_id = slots[0].stage_id
    announced = any(slot.notified_at is not None for slot in slots) or (
        Slot.objects.filter(stage_id=stage_id, notified_at__isnull=False).exists()
    )
    return sum(tell(slot) for slot in slots) if announced else 0


def tell(slot: Slot) -> int:
    """Tell the people concerned of `slot` what changed since it was last
    announced (everything, the first time); answers how many were told."""
    before, now = slot.announced or {}, _state(slot)
    if before == now:
        if slot.notified_at is None and now:
            _mark(slot, now, slot.sequence)
        return 0
    sequence = slot.sequence + 1 if slot.notified_at is not None else slot.sequence
    old, new = _people(before), _people(now)
    details_changed = _details(before) != _details(now)
    gone = [pk for pk in old if pk not in new]
    if before and before.get("submission") != now.get("submission"):
        gone = [pk for pk in old if pk not in new or old[pk] == "delegate"]
    users = User.objects.in_bulk([*gone, *new])
    told = 0
    for pk in gone:
        if pk in users:
            _send(slot, users[pk], old[pk], before, sequence, "CANCEL")
            told += 1
    for pk, role in new.items():
        is_new = pk not in old or pk in gone
        if pk in users and (details_changed or is_new):
            _send(slot, users[pk], role, now, sequence, "REQUEST", fresh=is_new)
            told += 1
    _mark(slot, now, sequence)
    return told


def _details(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k not in ("judges", "delegates")}


def _mark(slot: Slot, state: dict[str, Any], sequence: int) -> None:
    slot.announced = state
    slot.sequence = sequence
    slot.notified_at = timezone.now()
    slot.save(update_fields=["announced", "sequence", "notified_at", "updated_at"])


def _uid(slot: Slot) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "inovasi.invalid"
    return f"slot-{slot.pk}@{host}"


def _send(slot, user, role, state, sequence, method, *, fresh=False) -> None:
    language = language_of(user)
    stage, contest = slot.stage, slot.stage.contest
    entry = Submission.objects.select_related("region").get(pk=state["submission"])
    starts = dt.datetime.fromisoformat(state["starts"])
    ends = dt.datetime.fromisoformat(state["ends"])
    shown = Slot(stage=stage, starts_at=starts, ends_at=ends, submission=entry)
    page = link_to("judging:my-schedule")
    summary = f"{stage.name}: {entry.title}"
    event = (
        "schedule.slot_cancelled"
        if method == "CANCEL"
        else ("schedule.slot_announced" if fresh else "schedule.slot_changed")
    )
    notify(
        recipient=user,
        event=event,
        contest_id=contest.pk,
        context={
            "contest_name": contest.name,
            "stage_name": stage.name,
            "entry_title": entry.title,
            "region_name": entry.region.name,
            "role": role,
            "times": times_of(shown, language),
            "place": state["place"],
            "meeting_url": state["url"],
            "url": page,
            "ics": {
                "uid": _uid(slot),
                "start": state["starts"],
                "end": state["ends"],
                "summary": summary,
                "location": state["place"] or state["url"],
                "url": state["url"] or page,
                "description": f"{contest.name}\n{summary}\n{entry.region.name}",
                "sequence": sequence,
                "method": method,
            },
        },
    )
