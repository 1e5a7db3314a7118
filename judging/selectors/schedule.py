"""Reads of the presentation, interview and field-visit schedules (Slot): a
stage's slots, the times the stage's judges sit elsewhere, what the scheduler is
given, and the slots a delegate or a judge may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from contest.models import Delegate, Stage
from judging.enums import ConflictSource
from judging.models import Assignment, ConflictOfInterest, Judge
from judging.models_formats import Slot
from judging.selectors.conflicts import derived_conflicts
from judging.selectors.stage_entries import stage_entries
from submissions.models import Submission


def _with_details(qs: QuerySet[Slot]) -> QuerySet[Slot]:
    return qs.select_related(
        "stage", "stage__contest", "submission", "submission__region"
    ).prefetch_related(
        Prefetch("judges", queryset=Judge.objects.select_related("user"))
    )


def slots_of_stage(stage: Stage) -> QuerySet[Slot]:
    """The stage's slots by time, with their entry, its region and the judges."""
    return _with_details(Slot.objects.filter(stage=stage)).order_by("starts_at", "pk")


def busy_elsewhere(
    stage: Stage, judge_ids: list[int]
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """When each judge sits in a session of another stage of the contest (one
    query)."""
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    rows = (
        Slot.judges.through.objects.filter(
            judge_id__in=judge_ids, slot__stage__contest_id=stage.contest_id
        )
        .exclude(slot__stage=stage)
        .values_list("judge_id", "slot__starts_at", "slot__ends_at")
    )
    for judge_id, starts, ends in rows.order_by():
        busy[judge_id].append((starts, ends))
    return dict(busy)


@dataclass(frozen=True)
class ScheduleInputs:
    """What the scheduler is given for a stage: its entries, its judges, who may
    sit on each entry's panel, and how many (per entry)."""

    entries: list[Submission]
    judges: dict[int, Judge]
    allowed: dict[int, frozenset[int]]
    panel_size: dict[int, int]
    from_assignments: bool


def conflicted_pairs(stage: Stage, judges: list[Judge]) -> set[tuple[int, int]]:
    """The (judge, entry) pairs of the contest with a conflict of interest:
    derived from the current regions and roles, or declared."""
    pairs = set(derived_conflicts(stage.contest, judges=judges))
    pairs |= set(
        ConflictOfInterest.objects.filter(
            judge__contest_id=stage.contest_id, source=ConflictSource.DECLARED
        ).values_list("judge_id", "submission_id")
    )
    return pairs


def schedule_inputs(stage: Stage) -> ScheduleInputs:
    """Each entry's panel: its assignments' judges when the stage has assignments,
    else any of the category's panel judges (`judges_per_entry` of them); the
    judges with a conflict of interest are never among them."""
    entries = list(stage_entries(stage))
    judges = list(
        stage.contest.judges.select_related("user").prefetch_related("panels")
    )
    by_id = {judge.pk: judge for judge in judges}
    conflicts = conflicted_pairs(stage, judges)
    assigned: dict[int, set[int]] = defaultdict(set)
    for judge_id, entry_id in Assignment.objects.filter(stage=stage).values_list(
        "judge_id", "submission_id"
    ):
        assigned[entry_id].add(judge_id)
    allowed, size = {}, {}
    for entry in entries:
        if assigned:
            pool = assigned.get(entry.pk, set())
            size[entry.pk] = len(pool)
        else:
            pool = {j.pk for j in judges if _on_panel(j, entry.category_id)}
            size[entry.pk] = stage.judges_per_entry or 1
        allowed[entry.pk] = frozenset(j for j in pool if (j, entry.pk) not in conflicts)
    return ScheduleInputs(entries, by_id, allowed, size, bool(assigned))


def _on_panel(judge: Judge, category_id: int) -> bool:
    panels = [c.pk for c in judge.panels.all()]
    return not panels or category_id in panels


def delegate_users(submission: Submission) -> list:
    """The accounts of the delegates of the entry's region in its contest."""
    rows = Delegate.objects.filter(
        contest_id=submission.contest_id, region_id=submission.region_id
    ).select_related("user")
    return [row.user for row in rows.order_by("pk")]


def slots_for_user(user) -> QuerySet[Slot]:
    """The announced slots `user` takes part in: as a judge sitting in them, or
    as a delegate of the entry's region in its contest; by time."""
    if not user.is_authenticated:
        return Slot.objects.none()
    regions = Delegate.objects.filter(user=user).values_list("contest_id", "region_id")
    as_delegate = Q(pk__in=[])
    for contest_id, region_id in regions.order_by():
        as_delegate |= Q(
            submission__contest_id=contest_id, submission__region_id=region_id
        )
    return (
        _with_details(
            Slot.objects.filter(notified_at__isnull=False).filter(
                Q(judges__user=user) | as_delegate
            )
        )
        .distinct()
        .order_by("starts_at", "pk")
    )
