"""The scheduler's reasons (judging/scheduling.py `Reason`) in words an organizer
can act on."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from judging.scheduling import Reason


def reason_text(reason: Reason, entries: Mapping[int, object], panel: int) -> str:
    data = dict(reason.data)
    if reason.code == "too_few_slots":
        return ngettext(
            "There are %(entries)d entries to schedule but only %(slots)d free "
            "session: create more sessions.",
            "There are %(entries)d entries to schedule but only %(slots)d free "
            "sessions: create more sessions.",
            data["slots"],
        ) % {"entries": data["entries"], "slots": data["slots"]}
    if reason.code == "too_few_judges_for_entry":
        entry = entries.get(data["entry"])
        return _(
            "“%(title)s” has %(allowed)d judges who may sit on its panel and needs "
            "%(needed)d: assign more judges to it or add judges to its category's "
            "panel (judges with a conflict of interest never count)."
        ) % {
            "title": getattr(entry, "title", data["entry"]),
            "allowed": data["allowed"],
            "needed": data["panel_size"],
        }
    if reason.code == "too_few_judges_free":
        return _(
            "Only %(usable)d sessions have %(panel)d judges free at their time, for "
            "%(entries)d entries: the judges sit in other sessions then. Add "
            "sessions at other times or more judges."
        ) % {"usable": data["usable_slots"], "panel": panel, "entries": data["entries"]}
    if reason.code == "timed_out":
        return _(
            "No schedule was found within %(seconds)d seconds: try with fewer "
            "sessions or fewer entries at once."
        ) % {"seconds": int(data.get("seconds", 0))}
    return _(
        "No schedule keeps every rule: the judges allowed on the entries cannot be "
        "spread over the sessions without sitting in two at once. Add sessions at "
        "other times or more judges."
    )
