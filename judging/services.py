"""Writes for judging: judges and panels, conflicts of interest, assignments, score
sheets, reminders and the rubric while it may still change. Each write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.guards import ensure_not_frozen
from contest import ledger
from contest import services as contest_services
from contest.models import Category, Contest, Criterion, Region, Stage
from contest.rules import is_contest_organizer
from judging import assignment as solver
from judging import selectors
from judging.enums import ConflictSource, SheetState
from judging.models import (
    Assignment,
    ConflictOfInterest,
    Judge,
    ReminderLog,
    Score,
    ScoreSheet,
    StageEntry,
)
from judging.rules import sheet_of
from judging.validators import number_text, validate_score
from submissions.enums import SubmissionState
from submissions.models import Submission

User = get_user_model()


# ---------------------------------------------------------------- helpers


def _when(contest: Contest, value: dt.datetime) -> str:
    local = timezone.localtime(value, contest.tzinfo)
    return f"{formats.date_format(local, 'j F Y, H:i')} {contest.timezone_abbreviation}"


def _require_organizer(contest: Contest, by: User) -> None:
    if not is_contest_organizer.test(by, contest):
        raise DomainError(_("Only the contest's organizers may do this."), status=403)


def _guard(contest: Contest) -> Contest:
    """Lock the contest's row and refuse (409) once it is frozen; the caller's copy
    learns the current `frozen_at`. Call it first in every write."""
    locked = Contest.objects.select_for_update().get(pk=contest.pk)
    contest.frozen_at = locked.frozen_at
    ensure_not_frozen(locked)
    return locked


def _require_scoring(stage: Stage) -> None:
    if not stage.is_scoring:
        raise DomainError(
            _("Only a scoring stage has judges and score sheets."),
            field="stage",
            status=409,
        )


# ---------------------------------------------------------------- judges and panels


def _check_categories(contest: Contest, categories: Iterable[Category], name: str):
    categories = list(categories or [])
    if any(category.contest_id != contest.pk for category in categories):
        raise DomainError(_("Choose categories of this contest."), field=name)
    return categories


@transaction.atomic
def invite_judge(
    *,
    contest: Contest,
    email: str,
    by: User,
    name: str = "",
    home_region: Region | None = None,
    categories: Iterable[Category] = (),
    panels: Iterable[Category] = (),
) -> Judge:
    """Link (or create and invite) a user as a judge of `contest`.

    A new account, or one that never set a password, gets an e-mail with a link to
    set one; an existing account gets a notice. Both are sent after the commit.
    """
    _guard(contest)
    categories = _check_categories(contest, categories, "categories")
    panels = _check_categories(contest, panels, "panels")
    user, created = contest_services.get_or_invite_user(email=email, name=name)
    if Judge.objects.filter(contest=contest, user=user).exists():
        raise DomainError(
            _("%(email)s is already a judge in this contest.") % {"email": user.email},
            field="email",
            status=409,
        )
    judge = Judge.objects.create(
        contest=contest, user=user, name=name.strip(), home_region=home_region
    )
    judge.categories.set(categories)
    judge.panels.set(panels)
    ledger.record(
        action="judge.added",
        obj=judge,
        by=by,
        contest=contest,
        data=_judge_snapshot(judge),
    )
    from contest.tasks import task_send_invitation

    new_account = created or not user.has_usable_password()
    transaction.on_commit(
        lambda: task_send_invitation.delay(
            user_id=user.pk,
            contest_id=contest.pk,
            role="judge",
            new_account=new_account,
        )
    )
    return judge


def _judge_snapshot(judge: Judge) -> dict[str, Any]:
    return {
        "user": judge.user.email,
        "name": judge.name,
        "home_region": judge.home_region_id,
        "categories": sorted(judge.categories.values_list("pk", flat=True)),
        "panels": sorted(judge.panels.values_list("pk", flat=True)),
    }


@transaction.atomic
def update_judge(
    *,
    judge: Judge,
    by: User,
    name: str,
    home_region: Region | None,
    categories: Iterable[Category],
    panels: Iterable[Category],
) -> Judge:
    """Change a judge's name, home region, expertise and panels. The conflicts the
    regions imply are recomputed at once (sync_derived_conflicts): a new one takes
    the judge off the entry, or its submitted sheet out of the results."""
    contest = judge.contest
    _guard(contest)
    categories = _check_categories(contest, categories, "categories")
    panels = _check_categories(contest, panels, "panels")
    before = _judge_snapshot(judge)
    judge.name = name.strip()
    judge.home_region = home_region
    judge.save(update_fields=["name", "home_region"])
    judge.categories.set(categories)
    judge.panels.set(panels)
    after = _judge_snapshot(judge)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if diff:
        ledger.record(
            action="judge.updated", obj=judge, by=by, contest=contest, data=diff
        )
    if "home_region" in diff:
        sync_derived_conflicts(contest=contest, by=by)
    return judge


@transaction.atomic
def remove_judge(*, judge: Judge, by: User) -> None:
    """Remove a judge who has not started any sheet; their empty assignments go too."""
    _guard(judge.contest)
    if ScoreSheet.objects.filter(assignment__judge=judge).exists():
        raise DomainError(
            _("%(judge)s has already started score sheets and cannot be removed.")
            % {"judge": judge},
            status=409,
        )
    ledger.record(
        action="judge.removed",
        obj=judge,
        by=by,
        contest=judge.contest,
        data={
            "user": judge.user.email,
            "assignments": judge.assignments.count(),
        },
    )
    _remove_assignments(list(judge.assignments.all()), by=by, contest=judge.contest)
    judge.delete()


# ---------------------------------------------------------------- conflicts


@dataclass
class ConflictSync:
    created: int
    removed: int
    removed_assignments: list[int] = field(default_factory=list)
    excluded_sheets: list[int] = field(default_factory=list)


@transaction.atomic
def sync_derived_conflicts(*, contest: Contest, by: User | None = None) -> ConflictSync:
    """Record the conflicts the regions imply (home regions and delegate roles, see
    judging/conflicts.py) for every entry that is not a draft, and drop recorded
    ones the regions no longer imply. Then no conflicted pair (derived or declared)
    keeps an unsubmitted assignment, and a submitted sheet of one is taken out of
    the results (`_take_off_conflicts`)."""
    _guard(contest)
    wanted = selectors.derived_conflicts(contest)
    stored = {
        (row.judge_id, row.submission_id): row
        for row in ConflictOfInterest.objects.filter(
            judge__contest=contest, source=ConflictSource.DERIVED
        )
    }
    stale_rows = [row for pair, row in stored.items() if wanted.get(pair) != row.rule]
    stale = [row.pk for row in stale_rows]
    if stale:
        ledger.record_many(
            action="conflict.removed",
            objs=stale_rows,
            by=by,
            contest=contest,
            data=_conflict_data,
        )
        ConflictOfInterest.objects.filter(pk__in=stale).delete()
    new = [
        ConflictOfInterest(
            judge_id=judge_id,
            submission_id=submission_id,
            source=ConflictSource.DERIVED,
            rule=rule,
        )
        for (judge_id, submission_id), rule in wanted.items()
        if (judge_id, submission_id) not in stored
        or stored[(judge_id, submission_id)].rule != rule
    ]
    new = ConflictOfInterest.objects.bulk_create(new)
    ledger.record_many(
        action="conflict.derived",
        objs=new,
        by=by,
        contest=contest,
        data=_conflict_data,
    )
    removed, excluded = _take_off_conflicts(contest=contest, by=by)
    if new or stale or removed or excluded:
        ledger.record(
            action="conflicts.synced",
            obj=contest,
            by=by,
            contest=contest,
            data={
                "created": sorted([c.judge_id, c.submission_id] for c in new),
                "removed": len(stale),
                "removed_assignments": removed,
                "excluded_sheets": excluded,
            },
        )
    return ConflictSync(
        created=len(new),
        removed=len(stale),
        removed_assignments=removed,
        excluded_sheets=excluded,
    )


def _conflict_data(conflict: ConflictOfInterest) -> dict[str, Any]:
    return {
        "judge": conflict.judge_id,
        "submission": conflict.submission_id,
        "rule": conflict.rule,
    }


def _assignment_data(assignment: Assignment) -> dict[str, Any]:
    return {
        "stage": assignment.stage_id,
        "judge": assignment.judge_id,
        "submission": assignment.submission_id,
    }


def _remove_assignments(
    assignments: list[Assignment], *, by: User | None, contest: Contest
) -> None:
    """Delete `assignments` (none with a submitted sheet), each with its entry."""
    if not assignments:
        return
    ledger.record_many(
        action="assignment.removed",
        objs=assignments,
        by=by,
        contest=contest,
        data=_assignment_data,
    )
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).delete()


def _take_off_conflicts(
    *, contest: Contest, by: User | None, pairs: set[tuple[int, int]] | None = None
) -> tuple[list[int], list[int]]:
    """For every recorded conflict of the contest (or only `pairs`): remove the
    pair's assignments without a submitted sheet (a draft goes too) and take a
    submitted sheet out of the results (kept, with the reason, audited). Answers the
    ids of the removed assignments and of the sheets excluded now."""
    if pairs is None:
        pairs = selectors.stored_conflict_pairs(contest)
    if not pairs:
        return [], []
    judge_ids = {judge_id for judge_id, _entry in pairs}
    entry_ids = {entry_id for _judge, entry_id in pairs}
    candidates = [
        a
        for a in Assignment.objects.filter(
            judge_id__in=judge_ids, submission_id__in=entry_ids
        ).select_related("sheet", "judge", "submission")
        if (a.judge_id, a.submission_id) in pairs
    ]
    removed = [a for a in candidates if _sheet_state(a) != SheetState.SUBMITTED]
    _remove_assignments(removed, by=by, contest=contest)
    excluded = []
    for assignment in candidates:
        sheet = sheet_of(assignment)
        if sheet is None or sheet.state != SheetState.SUBMITTED:
            continue
        if sheet.excluded_at is not None:
            continue
        conflict = selectors.conflict_between(
            judge=assignment.judge, submission=assignment.submission
        )
        reason = conflict.reason if conflict is not None else ""
        _exclude_sheet(
            sheet,
            reason=_(
                "Conflict of interest found after the sheet was submitted: %(reason)s"
            )
            % {"reason": reason},
            by=by,
            contest=contest,
        )
        excluded.append(sheet.pk)
    return [a.pk for a in removed], excluded


def _exclude_sheet(
    sheet: ScoreSheet, *, reason: str, by: User | None, contest: Contest
) -> None:
    """Take a submitted sheet out of the results: it is kept, marked with the time
    and the reason, and audited."""
    sheet.excluded_at = timezone.now()
    sheet.excluded_reason = reason
    sheet.save(update_fields=["excluded_at", "excluded_reason", "updated_at"])
    ledger.record(
        action="sheet.excluded",
        obj=sheet,
        by=by,
        contest=contest,
        data={"assignment": sheet.assignment_id, "reason": reason},
    )


@dataclass
class DeclaredConflict:
    conflict: ConflictOfInterest
    removed: list[Assignment] = field(default_factory=list)
    kept: list[Assignment] = field(default_factory=list)


@transaction.atomic
def declare_conflict(
    *, judge: Judge, submission: Submission, reason: str, by: User
) -> DeclaredConflict:
    """Record that `judge` must not score `submission`, declared by an organizer or
    by the judge. The judge's assignments on the entry without a submitted sheet are
    removed (the organizer can then give the entry another judge); a submitted
    sheet is kept but taken out of the results (excluded, with the reason, audited),
    and the entry shows as short of judges until it gets a replacement."""
    contest = judge.contest
    _guard(contest)
    if submission.contest_id != contest.pk:
        raise DomainError(_("Choose an entry of this contest."), field="submission")
    is_organizer = is_contest_organizer.test(by, contest)
    if not is_organizer:
        if by.pk != judge.user_id:
            raise DomainError(
                _("A judge may declare a conflict of interest only for themself."),
                field="judge",
                status=403,
            )
        if not judge.assignments.filter(submission=submission).exists():
            raise DomainError(_("No such entry among your assignments."), status=404)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what the conflict of interest is."), field="reason")
    conflict, created = ConflictOfInterest.objects.get_or_create(
        judge=judge,
        submission=submission,
        source=ConflictSource.DECLARED,
        defaults={"reason": reason, "declared_by": by},
    )
    result = DeclaredConflict(conflict=conflict)
    for assignment in judge.assignments.filter(submission=submission).select_related(
        "sheet", "stage"
    ):
        if _sheet_state(assignment) == SheetState.SUBMITTED:
            result.kept.append(assignment)
        else:
            result.removed.append(assignment)
    _remove_assignments(result.removed, by=by, contest=contest)
    excluded = []
    for assignment in result.kept:
        sheet = sheet_of(assignment)
        if sheet.excluded_at is None:
            _exclude_sheet(
                sheet,
                reason=_(
                    "Conflict of interest declared after the sheet was submitted: "
                    "%(reason)s"
                )
                % {"reason": reason},
                by=by,
                contest=contest,
            )
            excluded.append(sheet.pk)
    ledger.record(
        action="conflict.declared",
        obj=conflict,
        by=by,
        contest=contest,
        data={
            "judge": judge.pk,
            "submission": submission.pk,
            "reason": reason,
            "new": created,
            "removed_assignments": [a.pk for a in result.removed],
            "kept_assignments": [a.pk for a in result.kept],
            "excluded_sheets": excluded,
        },
    )
    return result


def _sheet_state(assignment: Assignment) -> str | None:
    sheet = sheet_of(assignment)
    return None if sheet is None else sheet.state


def _check_no_conflict(judge: Judge, submission: Submission) -> None:
    conflict = selectors.conflict_between(judge=judge, submission=submission)
    if conflict is not None:
        raise DomainError(
            _("%(judge)s has a conflict of interest with this entry: %(reason)s")
            % {"judge": judge, "reason": conflict.reason},
            field="judge",
            status=409,
        )


# ---------------------------------------------------------------- assignment


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
    audit entry lists the run.
    """
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)
    stage = Stage.objects.select_for_update().select_related("contest").get(pk=stage.pk)
    if not isinstance(judges_per_entry, int) or not 1 <= judges_per_entry <= 20:
        raise DomainError(
            _("Give between 1 and 20 judges per entry."), field="judges_per_entry"
        )
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

    replaceable = list(stage.assignments.filter(sheet__isnull=True))
    removed = [(a.judge_id, a.submission_id) for a in replaceable]
    _remove_assignments(replaceable, by=by, contest=contest)
    existing = set(stage.assignments.values_list("judge_id", "submission_id"))

    conflicts = selectors.stored_conflict_pairs(contest)
    solver_judges = [_solver_judge(judge) for judge in judges]
    solver_entries = [solver.Entry(id=e.pk, category=e.category_id) for e in entries]
    result = solver.solve_assignment(
        entries=solver_entries,
        judges=solver_judges,
        k=judges_per_entry,
        conflicts=conflicts,
        existing=existing,
    )

    created = Assignment.objects.bulk_create(
        [
            Assignment(stage=stage, judge_id=j, submission_id=e, created_by=by)
            for j, e in result.pairs
        ]
    )
    by_judge = {judge.pk: judge for judge in judges}
    by_entry = {entry.pk: entry for entry in entries}
    avoided = 0
    panel_size: dict[int, int] = {}
    conflicted_on_panel: dict[int, int] = {}
    for entry in entries:
        on_panel = [j for j in solver_judges if j.sits_on(entry.category_id)]
        panel_size[entry.pk] = len(on_panel)
        conflicted = sum(
            1
            for j in on_panel
            if (j.id, entry.pk) in conflicts and (j.id, entry.pk) not in existing
        )
        conflicted_on_panel[entry.pk] = conflicted
        avoided += conflicted
    shortfalls = [
        ShortfallReport(
            submission=by_entry[short.entry_id],
            needed=short.needed,
            assigned=short.assigned,
            reason=short.reason,
            message=_shortfall_text(
                by_entry[short.entry_id],
                short,
                panel_size[short.entry_id],
                conflicted_on_panel[short.entry_id],
            ),
        )
        for short in result.shortfalls
    ]
    ledger.record_many(
        action="assignment.added",
        objs=created,
        by=by,
        contest=contest,
        data=lambda assignment: {**_assignment_data(assignment), "run": True},
    )
    ledger.record(
        action="assignment.run",
        obj=stage,
        by=by,
        contest=contest,
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
    for assignment in created:
        assignment.judge = by_judge[assignment.judge_id]
        assignment.submission = by_entry[assignment.submission_id]
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


def _check_entry_in_stage(stage: Stage, submission: Submission) -> None:
    if not selectors.is_stage_entry(stage, submission.pk):
        raise DomainError(
            _("“%(title)s” is not an entry of this stage.") % {"title": submission},
            field="submission",
        )


def _prepare_stage(stage: Stage, by: User) -> None:
    """Before any assignment: the first scoring stage records its entries (every
    entry that passed screening, as StageEntry rows); a later stage must have had
    its entries advanced from the stage before it (409)."""
    previous = selectors.previous_scoring_stage(stage)
    if previous is None:
        ids = selectors.first_stage_candidates(stage.contest_id).values_list(
            "pk", flat=True
        )
        _set_stage_entries(stage=stage, submission_ids=list(ids), by=by)
    elif not selectors.has_advanced(previous):
        raise DomainError(
            _(
                "“%(previous)s” has not advanced its entries yet; “%(stage)s” takes "
                "only the entries advanced from it."
            )
            % {"previous": previous.name, "stage": stage.name},
            field="stage",
            status=409,
        )


@dataclass
class StageEntriesChange:
    stage: Stage
    added: list[int]
    removed: list[int]
    removed_assignments: list[int]
    excluded_sheets: list[int]


@transaction.atomic
def set_stage_entries(
    *, stage: Stage, submission_ids: Iterable[int], by: User
) -> StageEntriesChange:
    """Make the stage's entries (StageEntry) exactly `submission_ids` (entries of
    the contest that are not drafts); the advancement calls it for the next stage.

    An entry that leaves the stage leaves the later scoring stages too: its
    assignments there without a submitted sheet are removed (draft sheets go too);
    its submitted sheets are kept but excluded from the results, with the reason.
    Audited when anything changes.
    """
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)
    return _set_stage_entries(stage=stage, submission_ids=submission_ids, by=by)


def _clean_ids(values: Iterable[Any], name: str) -> set[int]:
    if isinstance(values, str | bytes | dict) or values is None:
        raise DomainError(_("Give a list of entry ids."), field=name)
    ids = set()
    for value in values:
        if isinstance(value, bool):
            raise DomainError(_("Give a list of entry ids."), field=name)
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise DomainError(_("Give a list of entry ids."), field=name) from None
    return ids


def _stage_entry_data(entry: StageEntry) -> dict[str, Any]:
    return {"stage": entry.stage_id, "submission": entry.submission_id}


def _set_stage_entries(
    *, stage: Stage, submission_ids: Iterable[Any], by: User | None
) -> StageEntriesChange:
    contest = stage.contest
    ids = _clean_ids(submission_ids, "submission_ids")
    known = set(
        Submission.objects.filter(contest_id=contest.pk, pk__in=ids)
        .exclude(state=SubmissionState.DRAFT)
        .values_list("pk", flat=True)
    )
    unknown = sorted(ids - known)
    if unknown:
        raise DomainError(
            _("These are not entries of this contest: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in unknown)},
            field="submission_ids",
        )
    current = set(
        StageEntry.objects.filter(stage=stage).values_list("submission_id", flat=True)
    )
    added = sorted(ids - current)
    leaving = sorted(current - ids)
    joined = StageEntry.objects.bulk_create(
        [StageEntry(stage=stage, submission_id=pk) for pk in added]
    )
    ledger.record_many(
        action="stage_entry.added",
        objs=joined,
        by=by,
        contest=contest,
        data=_stage_entry_data,
    )
    removed_assignments: list[int] = []
    excluded: list[int] = []
    if leaving:
        stages = [
            stage,
            *Stage.objects.filter(
                contest_id=contest.pk, kind="scoring", order__gt=stage.order
            ),
        ]
        assignments = list(
            Assignment.objects.filter(
                stage__in=stages, submission_id__in=leaving
            ).select_related("sheet", "stage", "submission")
        )
        gone = [a for a in assignments if _sheet_state(a) != SheetState.SUBMITTED]
        _remove_assignments(gone, by=by, contest=contest)
        removed_assignments = [a.pk for a in gone]
        for assignment in assignments:
            sheet = sheet_of(assignment)
            if (
                sheet is None
                or sheet.state != SheetState.SUBMITTED
                or sheet.excluded_at is not None
            ):
                continue
            _exclude_sheet(
                sheet,
                reason=_("“%(title)s” no longer takes part in %(stage)s.")
                % {"title": assignment.submission.title, "stage": stage.name},
                by=by,
                contest=contest,
            )
            excluded.append(sheet.pk)
        leaving_rows = list(
            StageEntry.objects.filter(stage__in=stages, submission_id__in=leaving)
        )
        ledger.record_many(
            action="stage_entry.removed",
            objs=leaving_rows,
            by=by,
            contest=contest,
            data=_stage_entry_data,
        )
        StageEntry.objects.filter(pk__in=[e.pk for e in leaving_rows]).delete()
    if added or leaving:
        ledger.record(
            action="stage.entries_set",
            obj=stage,
            by=by,
            contest=contest,
            data={
                "added": added,
                "removed": leaving,
                "removed_assignments": removed_assignments,
                "excluded_sheets": excluded,
            },
        )
    return StageEntriesChange(
        stage=stage,
        added=added,
        removed=leaving,
        removed_assignments=removed_assignments,
        excluded_sheets=excluded,
    )


@transaction.atomic
def add_assignment(
    *, stage: Stage, judge: Judge, submission: Submission, by: User
) -> Assignment:
    """Assign one judge to one entry by hand; a conflicted pair is refused (409), an
    entry outside the stage too (400), and a later stage before its previous stage
    advanced (409)."""
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)
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
        data={"stage": stage.pk, "judge": judge.pk, "submission": submission.pk},
    )
    return assignment


@transaction.atomic
def remove_assignment(*, assignment: Assignment, by: User) -> None:
    """Remove an assignment whose sheet is not submitted (a draft sheet goes too)."""
    contest = assignment.stage.contest
    _require_organizer(contest, by)
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
        data={
            "stage": assignment.stage_id,
            "judge": assignment.judge_id,
            "submission": assignment.submission_id,
            "draft_sheet": sheet is not None,
        },
    )
    assignment.delete()


@transaction.atomic
def add_extra_judge(*, stage: Stage, submission: Submission, by: User) -> Assignment:
    """Give an entry one more judge: the least-loaded fitting one (on the entry's
    panel, not conflicted, not already on it, even with an excluded sheet; ties to
    an expert, then the lowest id). Conflicts are recomputed from the current rows
    first."""
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)
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
        data={"stage": stage.pk, "judge": judge.pk, "submission": submission.pk},
    )
    return assignment


# ---------------------------------------------------------------- score sheets


@transaction.atomic
def ensure_sheet(*, assignment: Assignment) -> ScoreSheet:
    """The assignment's sheet, created (empty draft, version 0) on the first save."""
    _guard(assignment.stage.contest)
    sheet, created = ScoreSheet.objects.get_or_create(assignment=assignment)
    if created:
        ledger.record(
            action="sheet.created",
            obj=sheet,
            contest=assignment.stage.contest,
            data={"assignment": assignment.pk},
        )
    return sheet


def _check_window(stage: Stage) -> None:
    now = timezone.now()
    contest = stage.contest
    if now < stage.opens:
        raise DomainError(
            _("Scoring for this stage opens on %(date)s.")
            % {"date": _when(contest, stage.opens)},
            status=409,
        )
    if now >= stage.closes:
        raise DomainError(
            _("Scoring for this stage closed on %(date)s.")
            % {"date": _when(contest, stage.closes)},
            status=409,
        )


@dataclass(frozen=True)
class _Line:
    criterion: Criterion
    value: Decimal | None
    comment: str


class ScoreLineError(DomainError):
    """A refusal about one line of `scores`: `line` is its index, `line_field` the
    part of it that is wrong (`criterion` or `value`). `field` stays "scores"."""

    def __init__(self, message: Any, *, line: int, line_field: str):
        super().__init__(message, field="scores")
        self.line = line
        self.line_field = line_field


def _criterion_id(item: Any) -> Any:
    if not isinstance(item, dict):
        return None
    criterion = item.get("criterion")
    return getattr(criterion, "pk", criterion)


def _clean_lines(
    stage: Stage, scores: Sequence[dict[str, Any]]
) -> tuple[list[_Line], list[Criterion]]:
    criteria = list(selectors.criteria_of(stage))
    by_id = {criterion.pk: criterion for criterion in criteria}
    lines: dict[int, _Line] = {}
    if not isinstance(scores, list | tuple):
        raise DomainError(_("Give a list of scores."), field="scores")
    for index, item in enumerate(scores):
        raw_id = _criterion_id(item)
        try:
            criterion = by_id[int(raw_id)]
        except (KeyError, TypeError, ValueError, OverflowError):
            raise ScoreLineError(
                _("Criterion %(id)s is not part of this stage's rubric.")
                % {"id": raw_id},
                line=index,
                line_field="criterion",
            ) from None
        if criterion.pk in lines:
            raise ScoreLineError(
                _("“%(criterion)s” is scored twice.") % {"criterion": criterion.name},
                line=index,
                line_field="criterion",
            )
        try:
            value = validate_score(criterion, item.get("value"))
        except ValidationError as exc:
            raise ScoreLineError(
                _("“%(criterion)s”: %(error)s")
                % {"criterion": criterion.name, "error": exc.messages[0]},
                line=index,
                line_field="value",
            ) from None
        comment = str(item.get("comment") or "").strip()
        lines[criterion.pk] = _Line(criterion, value, comment)
    return list(lines.values()), criteria


def _clean_version(version: Any) -> int | None:
    if version is None:
        return None
    if isinstance(version, bool):
        version = "x"
    try:
        version = int(version)
    except (TypeError, ValueError):
        version = -1
    if not 0 <= version <= 2**31 - 1:
        raise DomainError(
            _("Send the version of the sheet you started from, or none."),
            field="version",
        )
    return version


def record_sheet(
    *,
    sheet: ScoreSheet,
    scores: Sequence[dict[str, Any]],
    comment: str,
    submit: bool,
    by: User,
    version: int | None = None,
) -> ScoreSheet:
    """Save a judge's sheet: `scores` replaces all its values (a criterion left out
    is cleared), `submit` submits it. `version` is optional: see `_record_sheet`."""
    return _record_sheet(
        sheet=sheet,
        scores=scores,
        comment=comment,
        submit=submit,
        version=version,
        by=by,
        check_window=True,
    )


@transaction.atomic
def _record_sheet(
    *,
    sheet: ScoreSheet,
    scores: Sequence[dict[str, Any]],
    comment: str,
    submit: bool,
    version: int | None,
    by: User,
    check_window: bool,
) -> ScoreSheet:
    """Saves of one sheet are serialized: the sheet's row is locked until the
    commit (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
    serialize all writers), so two saves never mix and each is applied whole.

    Optimistic concurrency is optional: with `version` (what the caller started
    from), a sheet that has moved on since is refused with a 409 saying to reload
    and nothing is written, unless what is stored is already exactly what is sent
    (a save that raced its own earlier save: nothing can be lost). Without
    `version` the save is applied to whatever is stored. The version goes up by one
    on each save that changes something; a draft save that changes nothing keeps
    it, so other open forms of the sheet stay valid.

    Only the assigned judge, free of conflicts, may save, on an entry of the stage
    (StageEntry); within the stage's window (`check_window=False` is for the demo
    loader, whose contest ran in 2023: values are still validated); never a
    submitted sheet. Every change is audited.
    """
    assignment = Assignment.objects.select_related(
        "stage", "stage__contest", "judge", "submission"
    ).get(pk=sheet.assignment_id)
    stage = assignment.stage
    contest = stage.contest
    _guard(contest)
    if by.pk != assignment.judge.user_id:
        raise DomainError(
            _("Only the assigned judge may fill in this sheet."), status=403
        )
    _check_no_conflict(assignment.judge, assignment.submission)
    if not selectors.is_stage_entry(stage, assignment.submission_id):
        raise DomainError(
            _("“%(title)s” is no longer an entry of this stage.")
            % {"title": assignment.submission.title},
            status=409,
        )
    if check_window:
        _check_window(stage)
    lines, criteria = _clean_lines(stage, scores)
    version = _clean_version(version)
    comment = (comment or "").strip()

    locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    same = _same_content(locked, lines, comment)
    if version is not None and version != locked.version and not same:
        raise DomainError(
            _("This sheet was changed elsewhere; reload it."),
            field="version",
            status=409,
        )
    if locked.state == SheetState.SUBMITTED:
        raise DomainError(
            _("This sheet is submitted and can no longer be changed."), status=409
        )
    if same and not submit:
        _copy_sheet(locked, sheet)
        return sheet

    missing = [line.criterion for line in lines if line.value is None]
    scored = {line.criterion.pk for line in lines}
    missing += [c for c in criteria if c.pk not in scored]
    if submit and missing:
        raise DomainError(
            _("Score every criterion before submitting. Missing: %(names)s.")
            % {"names": ", ".join(f"“{c.name}”" for c in missing)},
            field="scores",
        )
    ScoreSheet.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    locked.refresh_from_db()
    sheet_row = locked

    old = {score.criterion_id: score for score in sheet_row.scores.all()}
    sent_notes = {line.criterion.pk: line.comment for line in lines}
    notes_changed = sorted(
        str(pk)
        for pk in set(sent_notes) | set(old)
        if (old[pk].comment if pk in old else "") != sent_notes.get(pk, "")
    )
    changes: dict[str, list] = {}
    keep_ids = []
    to_update = []
    to_create = []
    for line in lines:
        if line.value is None and not line.comment:
            continue
        before = old.get(line.criterion.pk)
        if before is None:
            to_create.append(
                Score(
                    sheet=sheet_row,
                    criterion=line.criterion,
                    value=line.value,
                    comment=line.comment,
                )
            )
            changes[str(line.criterion.pk)] = [None, _plain(line.value)]
            continue
        keep_ids.append(before.pk)
        if before.value != line.value or before.comment != line.comment:
            if before.value != line.value:
                changes[str(line.criterion.pk)] = [
                    _plain(before.value),
                    _plain(line.value),
                ]
            before.value = line.value
            before.comment = line.comment
            to_update.append(before)
    gone = [s for s in old.values() if s.pk not in keep_ids]
    for score in gone:
        if score.value is not None:
            changes[str(score.criterion_id)] = [_plain(score.value), None]
    if gone:
        Score.objects.filter(pk__in=[s.pk for s in gone]).delete()
    if to_update:
        Score.objects.bulk_update(to_update, ["value", "comment"])
    if to_create:
        Score.objects.bulk_create(to_create)

    comment_changed = comment != sheet_row.comment
    sheet_row.comment = comment
    fields = ["comment", "updated_at"]
    if submit:
        sheet_row.state = SheetState.SUBMITTED
        sheet_row.submitted_at = timezone.now()
        fields += ["state", "submitted_at"]
    sheet_row.save(update_fields=fields)
    _copy_sheet(sheet_row, sheet)

    if changes or comment_changed or notes_changed:
        ledger.record(
            action="sheet.saved",
            obj=sheet,
            by=by,
            contest=contest,
            data={
                "assignment": assignment.pk,
                "version": sheet.version,
                "scores": changes,
                "comment_changed": comment_changed,
                "notes_changed": notes_changed,
            },
        )
    if submit:
        ledger.record(
            action="sheet.submitted",
            obj=sheet,
            by=by,
            contest=contest,
            data={"assignment": assignment.pk, "version": sheet.version},
        )
    return sheet


def _copy_sheet(source: ScoreSheet, target: ScoreSheet) -> None:
    """Bring the caller's instance up to date with the stored row."""
    if source is not target:
        target.refresh_from_db()


def _same_content(stored: ScoreSheet, lines: list[_Line], comment: str) -> bool:
    """What is stored is exactly what is sent (values, comments, overall comment)."""
    if stored.comment != comment:
        return False
    kept = {
        s.criterion_id: (s.value, s.comment) for s in Score.objects.filter(sheet=stored)
    }
    sent = {
        line.criterion.pk: (line.value, line.comment)
        for line in lines
        if line.value is not None or line.comment
    }
    return kept == sent


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else number_text(value)


@transaction.atomic
def reopen_sheet(*, sheet: ScoreSheet, by: User, reason: str = "") -> ScoreSheet:
    """Send a submitted sheet back to draft so that its judge can change it (within
    the stage's window). Its version goes up, so open forms must reload."""
    assignment = sheet.assignment
    contest = assignment.stage.contest
    _require_organizer(contest, by)
    _guard(contest)
    updated = ScoreSheet.objects.filter(pk=sheet.pk, state=SheetState.SUBMITTED).update(
        state=SheetState.DRAFT,
        submitted_at=None,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if updated == 0:
        raise DomainError(_("Only a submitted sheet can be reopened."), status=409)
    sheet.refresh_from_db()
    ledger.record(
        action="sheet.reopened",
        obj=sheet,
        by=by,
        contest=contest,
        data={
            "assignment": assignment.pk,
            "version": sheet.version,
            "reason": (reason or "").strip(),
        },
    )
    return sheet


# ---------------------------------------------------------------- reminders


@transaction.atomic
def request_reminders(*, stage: Stage, by: User) -> int:
    """Queue the reminder e-mails (after the commit); answers how many are late."""
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_scoring(stage)
    if not stage.is_open():
        raise DomainError(
            _("Reminders are sent only while the stage is open for scoring."),
            status=409,
        )
    count = selectors.late_judges(stage).count()
    ledger.record(
        action="reminders.requested",
        obj=stage,
        by=by,
        contest=stage.contest,
        data={"late_judges": count},
    )
    from judging.tasks import task_send_reminders

    transaction.on_commit(lambda: task_send_reminders.delay(stage_id=stage.pk))
    return count


def send_reminders(*, stage: Stage, today: dt.date | None = None) -> list[Judge]:
    """E-mail every judge whose sheets in the stage are not all submitted, at most once
    a day per judge and stage (safe to run twice). Answers the judges e-mailed.
    Refused (409) once the contest is frozen."""
    stage.contest.refresh_from_db(fields=["frozen_at"])
    ensure_not_frozen(stage.contest)
    today = today or timezone.localdate(timezone=stage.contest.tzinfo)
    sent = []
    for judge in selectors.late_judges(stage):
        try:
            with transaction.atomic():
                ReminderLog.objects.create(stage=stage, judge=judge, sent_on=today)
        except IntegrityError:
            continue
        _send_reminder(stage=stage, judge=judge, count=judge.unsubmitted)
        sent.append(judge)
    return sent


def _send_reminder(*, stage: Stage, judge: Judge, count: int) -> None:
    contest = stage.contest
    context = {
        "judge": judge,
        "stage": stage,
        "contest": contest,
        "count": count,
        "closes": timezone.localtime(stage.closes, contest.tzinfo),
        "tz": contest.timezone_abbreviation,
        "url": settings.SITE_URL.rstrip("/") + reverse("judging:my-assignments"),
    }
    subjects, parts = [], []
    for language in ("id", "en"):
        with translation.override(language):
            subjects.append(
                render_to_string("judging/email/reminder_subject.txt", context).strip()
            )
            parts.append(render_to_string("judging/email/reminder_body.txt", context))
    send_mail(
        subject=" / ".join(subjects),
        message="\n\n----------------------------------------\n\n".join(parts),
        from_email=None,
        recipient_list=[judge.user.email],
    )


# ---------------------------------------------------------------- the rubric


def check_rubric_editable(stage: Stage) -> None:
    """Refuse (409) a change to the stage's rubric once the contest is frozen or a
    judge has submitted a sheet of the stage."""
    stage.contest.refresh_from_db(fields=["frozen_at"])
    ensure_not_frozen(stage.contest)
    if selectors.submitted_sheet_exists(stage):
        raise DomainError(
            _(
                "Judges have already submitted score sheets for this stage; its rubric "
                "can no longer change. Reopen those sheets first."
            ),
            status=409,
        )


CRITERION_FIELDS = contest_services.CRITERION_FIELDS


@transaction.atomic
def add_criterion(*, stage: Stage, by: User, **data: Any) -> Criterion:
    """Add a line to the stage's rubric (the one way, for the pages and the API)."""
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    check_rubric_editable(stage)
    return contest_services.create_criterion(stage=stage, by=by, **data)


@transaction.atomic
def update_criterion(
    *, criterion: Criterion, by: User, data: dict[str, Any]
) -> Criterion:
    stage = criterion.stage
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    check_rubric_editable(stage)
    stored = Criterion.objects.get(pk=criterion.pk)
    before = {name: getattr(stored, name) for name in CRITERION_FIELDS}
    unknown = sorted(set(data) - set(CRITERION_FIELDS))
    if unknown:
        raise DomainError(_("This field cannot be changed here."), field=unknown[0])
    for name, value in data.items():
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    criterion.refresh_from_db()
    diff = ledger.changes(criterion, CRITERION_FIELDS, before)
    if diff:
        ledger.record(
            action="criterion.updated",
            obj=criterion,
            by=by,
            contest=stage.contest,
            data=diff,
        )
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: Criterion, by: User) -> None:
    """Remove a criterion; draft scores given for it go too."""
    stage = criterion.stage
    _require_organizer(stage.contest, by)
    _guard(stage.contest)
    check_rubric_editable(stage)
    ledger.record(
        action="criterion.removed",
        obj=criterion,
        by=by,
        contest=stage.contest,
        data={"stage": stage.pk, "name": criterion.name},
    )
    criterion.delete()
