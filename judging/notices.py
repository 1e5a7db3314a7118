"""What judges are told of their assignments, written to the outbox
(notifications) in the transaction of the assignment: a run of the solver, a
hand assignment, an extra judge. The dates are written in the judge's language
and the contest's time zone; the links are absolute (SITE_URL)."""

from __future__ import annotations

from collections.abc import Iterable

from contest.models import Stage
from judging.models import Judge
from notifications.formatting import link_to, when
from notifications.services import language_of, notify

# Titles listed in one mail; the others are counted ("and 12 more").
LISTED_TITLES = 20


def _stage_data(stage: Stage, judge: Judge) -> dict:
    contest = stage.contest
    language = language_of(judge.user)
    return {
        "judge_name": judge.name or judge.user.email,
        "stage_name": stage.name,
        "contest_name": contest.name,
        "closes": when(stage.closes, tzinfo=contest.tzinfo, language=language),
        "tz": contest.timezone_abbreviation,
        "url": link_to("judging:my-assignments"),
    }


def notify_assigned(
    *, stage: Stage, judge: Judge, titles: Iterable[str], total: int
) -> None:
    """Tell `judge` of the entries of `stage` newly given to them (`titles`);
    `total`: how many entries of the stage they have to score now, these
    included. One row is written (no query is made beyond its insert when the
    judge's user and the stage's contest are loaded)."""
    titles = sorted(titles, key=str.casefold)
    notify(
        recipient=judge.user,
        event="judging.assigned",
        context={
            **_stage_data(stage, judge),
            "count": len(titles),
            "titles": titles[:LISTED_TITLES],
            "more": max(len(titles) - LISTED_TITLES, 0),
            "total": total,
        },
        contest_id=stage.contest_id,
    )


def notify_extra_judge(*, stage: Stage, judge: Judge, title: str) -> None:
    """Tell `judge` they were chosen as one more judge of the entry `title` in
    `stage` (an organizer asks for one where the judges disagree, an entry is
    short of judges or a sheet was taken out)."""
    notify(
        recipient=judge.user,
        event="judging.extra_judge",
        context={**_stage_data(stage, judge), "entry_title": title},
        contest_id=stage.contest_id,
    )
