"""Assignments: the solver's run, one by hand, removal, an extra judge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.guards import require_organizer
from contest import ledger
from contest import services as contest_services
from contest.models import Stage
from judging import assignment as solver
from judging import notices, selectors
from judging.enums import SheetState
from judging.models import (
    Assignment,
    Judge,
    ScoreSheet,
)
from judging.services._common import (
    _assignment_data,
    _check_no_conflict,
    _guard,
    _remove_assignments,
    _require_judged,
)
from judging.services.conflicts import sync_derived_conflicts
from judging.services.stage_entries import _check_entry_in_stage, _prepare_stage
from submissions.models import Submission

User = get_user_model()


@dataclass(frozen=True)
class ShortfallReport:
    submission: Submission
    needed: int
    assigned: int
    reason: str
    message: str


@dataclass
class AssignmentRun:
    stage: Stage
    judges_per_entry: int
    created: list[Assignment]
    kept: int
    removed: int
    loads: dict[Judge, int]
    conflicts_avoided: int
    expertise_matched: int
    shortfalls: list[ShortfallReport]


def _solver_judge(judge: Judge) -> solver.Judge:
    return solver.Judge(
        id=judge.pk,
        panels=frozenset(c.pk for c in judge.panels.all()),
        expertise=frozenset(c.pk for c in judge.categories.all()),
    )


def _shortfall_text(
    entry: Submission, short: solver.Shortfall, panel_size: int, conflicted: int
) -> str:
    values = {
        "title": entry.title,
        "category": entry.category.name,
        "assigned": short.assigned,
        "needed": short.needed,
        "panel": panel_size,
        "conflicted": conflicted,
    }
    if short.reason == solver.PANEL_TOO_SMALL:
        return (
            ngettext(
                "“%(title)s” has %(assigned)d of %(needed)d judges: the “%(category)s” "
                "panel has %(panel)d judge, %(conflicted)d of them with a conflict of "
                "interest. Add judges to the panel or lower the judges per entry.",
                "“%(title)s” has %(assigned)d of %(needed)d judges: the “%(category)s” "
                "panel has %(panel)d judges, %(conflicted)d of them with a conflict of "
                "interest. Add judges to the panel or lower the judges per entry.",
                panel_size,
            )
            % values
        )
    return (
        _(
            "“%(title)s” has %(assigned)d of %(needed)d judges: the judges who could "
            "score it have no room left under the load limit."
        )
        % values
    )


@transaction.atomic
def assign_judges(*, stage: Stage, judges_per_entry: int, by: User) -> AssignmentRun:
    """Give each entry of the stage `judges_per_entry` judges of its category's panel,
    without conflicts of interest, with balanced loads (judging/assignment.py).

    Assignments that have a sheet (draft or submitted) are kept and count; those
    without one are replaced. The stage's entries (StageEntry) and the derived
    conflicts are brought up to date first (`_prepare_stage`,
    `sync_derived_conflicts`); a later stage whose previous stage has not advanced
    is refused (409). The stage's `judges_per_entry` is updated when it differs. One
    audit entry lists the run. Each judge given new entries is told (`_tell_judges`).
    """
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    stage = _lock_stage_for_run(stage, judges_per_entry)
    entries, judges = _run_inputs(stage, judges_per_entry=judges_per_entry, by=by)
    removed, existing = _clear_replaceable(stage, by=by)
    conflicts = selectors.stored_conflict_pairs(stage.contest)
    solver_judges = [_solver_judge(judge) for judge in judges]
    result = solver.solve_assignment(
        entries=[solver.Entry(id=e.pk, category=e.category_id) for e in entries],
        judges=solver_judges,
        k=judges_per_entry,
        conflicts=conflicts,
        existing=existing,
    )
    created = _create_assignments(stage, result.pairs, by=by)
    panels = _panel_counts(entries, solver_judges, conflicts, existing)
    shortfalls = _shortfall_reports(result.shortfalls, entries, panels)
    avoided = sum(conflicted for _size, conflicted in panels.values())
    _audit_run(
        stage,
        created=created,
        by=by,
        data={
            "judges_per_entry": judges_per_entry,
            "created": [list(pair) for pair in result.pairs],
            "removed": sorted(list(pair) for pair in removed),
            "kept": len(existing),
            "conflicts_avoided": avoided,
            "shortfalls": [
                [s.submission.pk, s.assigned, s.needed, s.reason] for s in shortfalls
            ],
        },
    )
    by_judge = _attach(created, judges, entries)
    _tell_judges(stage, created, before={*removed, *existing}, kept=existing)
    return AssignmentRun(
        stage=stage,
        judges_per_entry=judges_per_entry,
        created=created,
        kept=len(existing),
        removed=len(removed),
        loads={by_judge[j]: n for j, n in result.loads.items()},
        conflicts_avoided=avoided,
        expertise_matched=result.expertise_matched,
        shortfalls=shortfalls,
    )


def _attach(
    created: list[Assignment], judges: list[Judge], entries: list[Submission]
) -> dict[int, Judge]:
    """Give the run's new assignments their loaded judge and entry (no query);
    answers the judges by id."""
    by_judge = {judge.pk: judge for judge in judges}
    by_entry = {entry.pk: entry for entry in entries}
    for assignment in created:
        assignment.judge = by_judge[assignment.judge_id]
        assignment.submission = by_entry[assignment.submission_id]
    return by_judge


def _tell_judges(
    stage: Stage,
    created: list[Assignment],
    *,
    before: set[tuple[int, int]],
    kept: set[tuple[int, int]],
) -> None:
    """One mail per judge given entries they did not have before the run
    (`before`: the pairs removed to be replaced and those kept), with their
    stage total; a re-run that hands out the same pairs again tells nobody.
    Written with the run: one insert per judge and no other query (the judges'
    users and the entries are loaded)."""
    new: dict[int, list[Assignment]] = {}
    total: dict[int, int] = {}
    for judge_id, _entry_id in kept:
        total[judge_id] = total.get(judge_id, 0) + 1
    for assignment in created:
        total[assignment.judge_id] = total.get(assignment.judge_id, 0) + 1
        if (assignment.judge_id, assignment.submission_id) not in before:
            new.setdefault(assignment.judge_id, []).append(assignment)
    for judge_id in sorted(new):
        assignments = new[judge_id]
        notices.notify_assigned(
            stage=stage,
            judge=assignments[0].judge,
            titles=[a.submission.title for a in assignments],
            total=total[judge_id],
        )


def _lock_stage_for_run(stage: Stage, judges_per_entry: Any) -> Stage:
    """The scoring stage's row, locked until the commit, once `judges_per_entry` is
    a number the run can take."""
    _require_judged(stage)
    stage = Stage.objects.select_for_update().select_related("contest").get(pk=stage.pk)
    if not isinstance(judges_per_entry, int) or not 1 <= judges_per_entry <= 20:
        raise DomainError(
            _("Give between 1 and 20 judges per entry."), field="judges_per_entry"
        )
    return stage


def _create_assignments(
    stage: Stage, pairs: list[tuple[int, int]], *, by: User
) -> list[Assignment]:
    return Assignment.objects.bulk_create(
        [
            Assignment(stage=stage, judge_id=j, submission_id=e, created_by=by)
            for j, e in pairs
        ]
    )


def _run_inputs(
    stage: Stage, *, judges_per_entry: int, by: User
) -> tuple[list[Submission], list[Judge]]:
    """The stage's entries and the contest's judges (panels and expertise loaded),
    refused (409) when either is missing; the stage's entries, its judges per entry
    and the derived conflicts are brought up to date on the way."""
    contest = stage.contest
    _prepare_stage(stage, by)
    entries = list(selectors.stage_entries(stage))
    if not entries:
        raise DomainError(
            _(
                "This stage has no entries to assign yet: the first scoring stage "
                "takes the eligible entries, each later one the entries advanced "
                "from the stage before."
            ),
            status=409,
        )
    judges = list(
        contest.judges.select_related("user").prefetch_related("panels", "categories")
    )
    if not judges:
        raise DomainError(
            _("This contest has no judges yet; invite them first."), status=409
        )
    if stage.judges_per_entry != judges_per_entry:
        contest_services.update_stage(
            stage=stage, by=by, data={"judges_per_entry": judges_per_entry}
        )
    sync_derived_conflicts(contest=contest, by=by)
    return entries, judges


def _clear_replaceable(
    stage: Stage, *, by: User
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Remove the stage's assignments without a sheet; answers their (judge, entry)
    pairs and those of the assignments kept."""
    replaceable = list(stage.assignments.filter(sheet__isnull=True))
    removed = [(a.judge_id, a.submission_id) for a in replaceable]
    _remove_assignments(replaceable, by=by, contest=stage.contest)
    existing = set(stage.assignments.values_list("judge_id", "submission_id"))
    return removed, existing


def _panel_counts(
    entries: list[Submission],
    judges: list[solver.Judge],
    conflicts: set[tuple[int, int]],
    existing: set[tuple[int, int]],
) -> dict[int, tuple[int, int]]:
    """For each entry: its panel's size and how many on it the conflicts kept off
    (an existing assignment is not counted as avoided)."""
    counts = {}
    for entry in entries:
        on_panel = [j for j in judges if j.sits_on(entry.category_id)]
        conflicted = sum(
            1
            for j in on_panel
            if (j.id, entry.pk) in conflicts and (j.id, entry.pk) not in existing
        )
        counts[entry.pk] = (len(on_panel), conflicted)
    return counts


def _shortfall_reports(
    shortfalls: list[solver.Shortfall],
    entries: list[Submission],
    panels: dict[int, tuple[int, int]],
) -> list[ShortfallReport]:
    by_entry = {entry.pk: entry for entry in entries}
    return [
        ShortfallReport(
            submission=by_entry[short.entry_id],
            needed=short.needed,
            assigned=short.assigned,
            reason=short.reason,
            message=_shortfall_text(
                by_entry[short.entry_id], short, *panels[short.entry_id]
            ),
        )
        for short in shortfalls
    ]


def _audit_run(
    stage: Stage, *, created: list[Assignment], by: User, data: dict
) -> None:
    """One ledger entry per assignment the run created, then one for the run."""
    ledger.record_many(
        action="assignment.added",
        objs=created,
        by=by,
        contest=stage.contest,
        data=lambda assignment: {**_assignment_data(assignment), "run": True},
    )
    ledger.record(
        action="assignment.run", obj=stage, by=by, contest=stage.contest, data=data
    )


@transaction.atomic
def add_assignment(
    *, stage: Stage, judge: Judge, submission: Submission, by: User
) -> Assignment:
    """Assign one judge to one entry by hand; a conflicted pair is refused (409), an
    entry outside the stage too (400), and a later stage before its previous stage
    advanced (409). The judge is told of the entry (`judging.assigned`)."""
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_judged(stage)
    if judge.contest_id != stage.contest_id:
        raise DomainError(_("Choose a judge of this contest."), field="judge")
    _prepare_stage(stage, by)
    _check_entry_in_stage(stage, submission)
    _check_no_conflict(judge, submission)
    if Assignment.objects.filter(
        stage=stage, judge=judge, submission=submission
    ).exists():
        raise DomainError(
            _("%(judge)s is already assigned to this entry.") % {"judge": judge},
            field="judge",
            status=409,
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                stage=stage, judge=judge, submission=submission, created_by=by
            )
    except IntegrityError:
        raise DomainError(
            _("%(judge)s is already assigned to this entry.") % {"judge": judge},
            field="judge",
            status=409,
        ) from None
    ledger.record(
        action="assignment.added",
        obj=assignment,
        by=by,
        contest=stage.contest,
        data=_assignment_data(assignment),
    )
    notices.notify_assigned(
        stage=stage,
        judge=judge,
        titles=[submission.title],
        total=stage.assignments.filter(judge=judge).count(),
    )
    return assignment


@transaction.atomic
def remove_assignment(*, assignment: Assignment, by: User) -> None:
    """Remove an assignment whose sheet is not submitted (a draft sheet goes too)."""
    contest = assignment.stage.contest
    require_organizer(contest, by)
    _guard(contest)
    sheet = ScoreSheet.objects.select_for_update().filter(assignment=assignment).first()
    if sheet is not None and sheet.state == SheetState.SUBMITTED:
        raise DomainError(
            _(
                "This judge has submitted the sheet; reopen it before removing the "
                "assignment."
            ),
            status=409,
        )
    ledger.record(
        action="assignment.removed",
        obj=assignment,
        by=by,
        contest=contest,
        data={**_assignment_data(assignment), "draft_sheet": sheet is not None},
    )
    assignment.delete()


@transaction.atomic
def add_extra_judge(*, stage: Stage, submission: Submission, by: User) -> Assignment:
    """Give an entry one more judge: the least-loaded fitting one (on the entry's
    panel, not conflicted, not already on it, even with an excluded sheet; ties to
    an expert, then the lowest id). Conflicts are recomputed from the current rows
    first. The chosen judge is told (`judging.extra_judge`); the organizers are
    not: one of them asked for it and sees the answer on the page, and the ledger
    keeps it for the others."""
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_judged(stage)
    _prepare_stage(stage, by)
    _check_entry_in_stage(stage, submission)
    judges = list(stage.contest.judges.prefetch_related("panels", "categories"))
    sync_derived_conflicts(contest=stage.contest, by=by)
    conflicts = {
        (j, e)
        for j, e in selectors.stored_conflict_pairs(stage.contest)
        if e == submission.pk
    }
    current = set(
        stage.assignments.filter(submission=submission).values_list(
            "judge_id", "submission_id"
        )
    )
    chosen = solver.pick_extra_judge(
        entry=solver.Entry(id=submission.pk, category=submission.category_id),
        judges=[_solver_judge(judge) for judge in judges],
        conflicts=conflicts,
        current_assignments=current,
        loads=selectors.stage_loads(stage),
    )
    if chosen is None:
        raise DomainError(
            _(
                "No other judge of the “%(category)s” panel can score this entry "
                "without a conflict of interest."
            )
            % {"category": submission.category.name},
            status=409,
        )
    judge = next(judge for judge in judges if judge.pk == chosen)
    assignment = Assignment.objects.create(
        stage=stage, judge=judge, submission=submission, created_by=by
    )
    ledger.record(
        action="assignment.extra_judge",
        obj=assignment,
        by=by,
        contest=stage.contest,
        data=_assignment_data(assignment),
    )
    notices.notify_extra_judge(stage=stage, judge=judge, title=submission.title)
    return assignment
