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

from config.errors import DomainError
from contest import ledger
from contest import services as contest_services
from contest.models import Category, Contest, Criterion, Region, Stage
from contest.rules import is_contest_organizer
from judging import assignment as solver
from judging import selectors
from judging.conflicts import derived_rule
from judging.enums import ConflictSource, SheetState
from judging.models import (
    Assignment,
    ConflictOfInterest,
    Judge,
    ReminderLog,
    Score,
    ScoreSheet,
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
    from accounts.tasks import task_send_invitation

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
    """Change a judge's name, home region, expertise and panels. Conflicts derived
    from the old home region are recomputed at the next assignment run; the judge's
    assignments are left as they are."""
    contest = judge.contest
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
    return judge


@transaction.atomic
def remove_judge(*, judge: Judge, by: User) -> None:
    """Remove a judge who has not started any sheet; their empty assignments go too."""
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
    judge.assignments.all().delete()
    judge.delete()


# ---------------------------------------------------------------- conflicts


@dataclass
class ConflictSync:
    created: int
    removed: int


@transaction.atomic
def sync_derived_conflicts(*, contest: Contest) -> ConflictSync:
    """Record the conflicts the regions imply (judging/conflicts.py) for every entry
    that is not a draft, and drop recorded ones the regions no longer imply."""
    judges = list(contest.judges.exclude(home_region=None).only("pk", "home_region"))
    entries = list(
        Submission.objects.filter(contest=contest)
        .exclude(state=SubmissionState.DRAFT)
        .only("pk", "region")
    )
    wanted: dict[tuple[int, int], str] = {}
    for judge in judges:
        for entry in entries:
            rule = derived_rule(judge.home_region_id, entry.region_id)
            if rule is not None:
                wanted[(judge.pk, entry.pk)] = rule
    stored = {
        (row.judge_id, row.submission_id): row
        for row in ConflictOfInterest.objects.filter(
            judge__contest=contest, source=ConflictSource.DERIVED
        )
    }
    stale = [row.pk for pair, row in stored.items() if wanted.get(pair) != row.rule]
    if stale:
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
    ConflictOfInterest.objects.bulk_create(new)
    return ConflictSync(created=len(new), removed=len(stale))


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
    removed (the organizer can then give the entry another judge); those with a
    submitted sheet are kept until an organizer reopens and removes them."""
    contest = judge.contest
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
    if result.removed:
        Assignment.objects.filter(pk__in=[a.pk for a in result.removed]).delete()
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
    without one are replaced. Derived conflicts are recorded first. The stage's
    `judges_per_entry` is updated when it differs. One audit entry lists the run.
    """
    _require_organizer(stage.contest, by)
    _refuse_after_publication(stage.contest)
    _require_scoring(stage)
    stage = Stage.objects.select_for_update().select_related("contest").get(pk=stage.pk)
    if not 1 <= judges_per_entry <= 20:
        raise DomainError(
            _("Give between 1 and 20 judges per entry."), field="judges_per_entry"
        )
    contest = stage.contest
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
    sync_derived_conflicts(contest=contest)

    replaceable = stage.assignments.filter(sheet__isnull=True)
    removed = [(a.judge_id, a.submission_id) for a in replaceable]
    replaceable.delete()
    existing = set(stage.assignments.values_list("judge_id", "submission_id"))

    conflicts = selectors.stored_conflict_pairs(contest)
    for judge in judges:
        for entry in entries:
            if derived_rule(judge.home_region_id, entry.region_id):
                conflicts.add((judge.pk, entry.pk))
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
    if not selectors.stage_entries(stage).filter(pk=submission.pk).exists():
        raise DomainError(
            _("“%(title)s” is not an entry of this stage.") % {"title": submission},
            field="submission",
        )


@transaction.atomic
def add_assignment(
    *, stage: Stage, judge: Judge, submission: Submission, by: User
) -> Assignment:
    """Assign one judge to one entry by hand; a conflicted pair is refused (409)."""
    _require_organizer(stage.contest, by)
    _refuse_after_publication(stage.contest)
    _require_scoring(stage)
    if judge.contest_id != stage.contest_id:
        raise DomainError(_("Choose a judge of this contest."), field="judge")
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
    _refuse_after_publication(contest)
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
    panel, not conflicted, not already on it; ties to an expert, then the lowest id)."""
    _require_organizer(stage.contest, by)
    _refuse_after_publication(stage.contest)
    _require_scoring(stage)
    _check_entry_in_stage(stage, submission)
    judges = list(stage.contest.judges.prefetch_related("panels", "categories"))
    sync_derived_conflicts(contest=stage.contest)
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


def ensure_sheet(*, assignment: Assignment) -> ScoreSheet:
    """The assignment's sheet, created (empty draft, version 0) on the first save."""
    sheet, _created = ScoreSheet.objects.get_or_create(assignment=assignment)
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


def _criterion_id(item: dict[str, Any]) -> Any:
    criterion = item.get("criterion")
    return getattr(criterion, "pk", criterion)


def _clean_lines(
    stage: Stage, scores: Sequence[dict[str, Any]]
) -> tuple[list[_Line], list[Criterion]]:
    criteria = list(selectors.criteria_of(stage))
    by_id = {criterion.pk: criterion for criterion in criteria}
    lines: dict[int, _Line] = {}
    for item in scores:
        raw_id = _criterion_id(item)
        try:
            criterion = by_id[int(raw_id)]
        except (KeyError, TypeError, ValueError):
            raise DomainError(
                _("Criterion %(id)s is not part of this stage's rubric.")
                % {"id": raw_id},
                field="scores",
            ) from None
        if criterion.pk in lines:
            raise DomainError(
                _("“%(criterion)s” is scored twice.") % {"criterion": criterion.name},
                field="scores",
            )
        try:
            value = validate_score(criterion, item.get("value"))
        except ValidationError as exc:
            raise DomainError(
                _("“%(criterion)s”: %(error)s")
                % {"criterion": criterion.name, "error": exc.messages[0]},
                field="scores",
            ) from None
        comment = str(item.get("comment") or "").strip()
        lines[criterion.pk] = _Line(criterion, value, comment)
    return list(lines.values()), criteria


def record_sheet(
    *,
    sheet: ScoreSheet,
    scores: Sequence[dict[str, Any]],
    comment: str,
    submit: bool,
    version: int,
    by: User,
) -> ScoreSheet:
    """Save a judge's sheet: `scores` replaces all its values (a criterion left out
    is cleared), `submit` submits it. See `_record_sheet`."""
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
    version: int,
    by: User,
    check_window: bool,
) -> ScoreSheet:
    """Optimistic concurrency: the sheet's version goes up by one only if it is still
    `version`; otherwise (another save came first) nothing is written and a 409 says
    to reload. The UPDATE also locks the row until the commit, so two saves never mix.

    Only the assigned judge, free of conflicts, may save; within the stage's window
    (`check_window=False` is for the demo loader, whose contest ran in 2023: values
    are still validated); never a submitted sheet. Every change is audited.
    """
    assignment = Assignment.objects.select_related(
        "stage", "stage__contest", "judge", "submission"
    ).get(pk=sheet.assignment_id)
    _refuse_after_publication(assignment.stage.contest)
    stage = assignment.stage
    contest = stage.contest
    if by.pk != assignment.judge.user_id:
        raise DomainError(
            _("Only the assigned judge may fill in this sheet."), status=403
        )
    _check_no_conflict(assignment.judge, assignment.submission)
    if check_window:
        _check_window(stage)
    lines, criteria = _clean_lines(stage, scores)
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise DomainError(
            _("Send the version of the sheet you started from."), field="version"
        ) from None
    comment = (comment or "").strip()
    if not submit and _unchanged(sheet, version, lines, comment):
        return sheet

    updated = ScoreSheet.objects.filter(pk=sheet.pk, version=version).update(
        version=F("version") + 1
    )
    if updated == 0:
        raise DomainError(
            _("This sheet was changed elsewhere; reload it."),
            field="version",
            status=409,
        )
    sheet.refresh_from_db()
    if sheet.state == SheetState.SUBMITTED:
        raise DomainError(
            _("This sheet is submitted and can no longer be changed."), status=409
        )

    missing = [line.criterion for line in lines if line.value is None]
    scored = {line.criterion.pk for line in lines}
    missing += [c for c in criteria if c.pk not in scored]
    if submit and missing:
        raise DomainError(
            _("Score every criterion before submitting. Missing: %(names)s.")
            % {"names": ", ".join(f"“{c.name}”" for c in missing)},
            field="scores",
        )

    old = {score.criterion_id: score for score in sheet.scores.all()}
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
                    sheet=sheet,
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

    comment_changed = comment != sheet.comment
    sheet.comment = comment
    fields = ["comment", "updated_at"]
    if submit:
        sheet.state = SheetState.SUBMITTED
        sheet.submitted_at = timezone.now()
        fields += ["state", "submitted_at"]
    sheet.save(update_fields=fields)

    if changes or comment_changed:
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


def _unchanged(sheet: ScoreSheet, version: int, lines: list[_Line], comment: str):
    """A draft save that would change nothing (an autosave on a key that edits
    nothing): the version stays, so other open forms of the sheet stay valid."""
    stored = ScoreSheet.objects.filter(pk=sheet.pk, version=version).first()
    if stored is None or stored.state == SheetState.SUBMITTED:
        return False
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
    if kept != sent:
        return False
    sheet.refresh_from_db()
    return True


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else number_text(value)


@transaction.atomic
def reopen_sheet(*, sheet: ScoreSheet, by: User, reason: str = "") -> ScoreSheet:
    """Send a submitted sheet back to draft so that its judge can change it (within
    the stage's window). Its version goes up, so open forms must reload."""
    assignment = sheet.assignment
    contest = assignment.stage.contest
    _require_organizer(contest, by)
    _refuse_after_publication(contest)
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
    _refuse_after_publication(stage.contest)
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
    a day per judge and stage (safe to run twice). Answers the judges e-mailed."""
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


def _refuse_after_publication(contest) -> None:
    """Nothing a final publication froze may change (409)."""
    from judging.results_services import check_not_published

    check_not_published(contest)


def check_rubric_editable(stage: Stage) -> None:
    _refuse_after_publication(stage.contest)
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
    _require_organizer(stage.contest, by)
    _refuse_after_publication(stage.contest)
    check_rubric_editable(stage)
    return contest_services.create_criterion(stage=stage, by=by, **data)


@transaction.atomic
def update_criterion(
    *, criterion: Criterion, by: User, data: dict[str, Any]
) -> Criterion:
    stage = criterion.stage
    _require_organizer(stage.contest, by)
    _refuse_after_publication(stage.contest)
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
    _refuse_after_publication(stage.contest)
    check_rubric_editable(stage)
    ledger.record(
        action="criterion.removed",
        obj=criterion,
        by=by,
        contest=stage.contest,
        data={"stage": stage.pk, "name": criterion.name},
    )
    criterion.delete()
