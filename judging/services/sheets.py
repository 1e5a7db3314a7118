"""Score sheets: created on the first save, recorded, submitted and reopened; every
change of a sheet's state goes through `set_sheet_state`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import DomainError
from common.guards import require_organizer
from common.timefmt import contest_time
from contest import ledger
from contest.models import Criterion, Stage
from judging import selectors
from judging.enums import ALLOWED_SHEET_TRANSITIONS, SheetState
from judging.models import (
    Assignment,
    Score,
    ScoreSheet,
)
from judging.services._common import _check_no_conflict, _guard, _require_scoring
from judging.validators import number_text, validate_score

User = get_user_model()


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
            % {"date": contest_time(contest, stage.opens)},
            status=409,
        )
    if now >= stage.closes:
        raise DomainError(
            _("Scoring for this stage closed on %(date)s.")
            % {"date": contest_time(contest, stage.closes)},
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
    """The sent lines checked against the rubric of `stage`, a scoring stage (an
    indicator stage has validations, not sheets: 409)."""
    _require_scoring(stage)
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
    assignment = _assignment_to_write(sheet, by=by, check_window=check_window)
    lines, criteria = _clean_lines(assignment.stage, scores)
    version = _clean_version(version)
    comment = (comment or "").strip()

    locked, same = _lock_sheet(sheet, lines=lines, comment=comment, version=version)
    if same and not submit:
        _copy_sheet(locked, sheet)
        return sheet
    if submit:
        _check_complete(lines, criteria)
    ScoreSheet.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    locked.refresh_from_db()

    changes, notes_changed = _write_scores(locked, lines)
    comment_changed = comment != locked.comment
    locked.comment = comment
    locked.save(update_fields=["comment", "updated_at"])
    _copy_sheet(locked, sheet)
    if changes or comment_changed or notes_changed:
        _audit_save(
            sheet,
            assignment=assignment,
            by=by,
            data={
                "scores": changes,
                "comment_changed": comment_changed,
                "notes_changed": notes_changed,
            },
        )
    if submit:
        set_sheet_state(sheet=sheet, new_state=SheetState.SUBMITTED, by=by)
    return sheet


def _audit_save(
    sheet: ScoreSheet, *, assignment: Assignment, by: User, data: dict[str, Any]
) -> None:
    ledger.record(
        action="sheet.saved",
        obj=sheet,
        by=by,
        contest=assignment.stage.contest,
        data={"assignment": assignment.pk, "version": sheet.version, **data},
    )


def _assignment_to_write(
    sheet: ScoreSheet, *, by: User, check_window: bool
) -> Assignment:
    """The sheet's assignment, once the contest, the judge, the conflicts, the
    stage's entries and (with `check_window`) the window allow `by` to write it."""
    assignment = Assignment.objects.select_related(
        "stage", "stage__contest", "judge", "submission"
    ).get(pk=sheet.assignment_id)
    stage = assignment.stage
    _guard(stage.contest)
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
    return assignment


def _lock_sheet(
    sheet: ScoreSheet, *, lines: list[_Line], comment: str, version: int | None
) -> tuple[ScoreSheet, bool]:
    """The stored sheet, locked until the commit, and whether it already holds
    exactly what is sent; refused (409) when it moved on past `version` or is
    submitted."""
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
    return locked, same


def _check_complete(lines: list[_Line], criteria: list[Criterion]) -> None:
    """A sheet is submitted only with a value for every criterion of the rubric."""
    missing = [line.criterion for line in lines if line.value is None]
    scored = {line.criterion.pk for line in lines}
    missing += [c for c in criteria if c.pk not in scored]
    if missing:
        raise DomainError(
            _("Score every criterion before submitting. Missing: %(names)s.")
            % {"names": ", ".join(f"“{c.name}”" for c in missing)},
            field="scores",
        )


def _write_scores(
    sheet: ScoreSheet, lines: list[_Line]
) -> tuple[dict[str, list], list[str]]:
    """Replace the sheet's scores with `lines` (an empty line and a criterion left
    out are cleared). Answers the changed values ({criterion id: [before, after]})
    and the ids of the criteria whose note changed, for the ledger."""
    old = {score.criterion_id: score for score in sheet.scores.all()}
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
    return changes, notes_changed


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
    require_organizer(sheet.assignment.stage.contest, by)
    return set_sheet_state(
        sheet=sheet, new_state=SheetState.DRAFT, by=by, reason=reason
    )


_REFUSED = {
    SheetState.DRAFT: gettext_lazy("Only a submitted sheet can be reopened."),
    SheetState.SUBMITTED: gettext_lazy(
        "This sheet is submitted and can no longer be changed."
    ),
}

_STATE_ACTIONS = {
    SheetState.SUBMITTED: "sheet.submitted",
    SheetState.DRAFT: "sheet.reopened",
}


@transaction.atomic
def set_sheet_state(
    *, sheet: ScoreSheet, new_state: str, by: User | None, reason: str = ""
) -> ScoreSheet:
    """The one owner of `ScoreSheet.state`: move the sheet to `new_state` if
    `ALLOWED_SHEET_TRANSITIONS` allows it from the stored state (409 otherwise,
    nothing written), and audit it. Submitting stamps `submitted_at`; reopening
    clears it and raises the version, so open forms of the sheet must reload.

    Who may do it is the caller's check (`record_sheet`: the assigned judge;
    `reopen_sheet`: an organizer); the frozen contest is refused here too."""
    contest = (
        Assignment.objects.select_related("stage__contest")
        .get(pk=sheet.assignment_id)
        .stage.contest
    )
    _guard(contest)
    locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if new_state not in ALLOWED_SHEET_TRANSITIONS.get(locked.state, frozenset()):
        raise DomainError(
            _REFUSED.get(new_state, _("This sheet cannot change to that state.")),
            status=409,
        )
    locked.state = new_state
    fields = ["state", "submitted_at", "updated_at"]
    if new_state == SheetState.SUBMITTED:
        locked.submitted_at = timezone.now()
    else:
        locked.submitted_at = None
        locked.version = F("version") + 1
        fields.append("version")
    locked.save(update_fields=fields)
    locked.refresh_from_db()
    data: dict[str, Any] = {
        "assignment": locked.assignment_id,
        "version": locked.version,
    }
    if new_state == SheetState.DRAFT:
        data["reason"] = (reason or "").strip()
    ledger.record(
        action=_STATE_ACTIONS[new_state],
        obj=locked,
        by=by,
        contest=contest,
        data=data,
    )
    _copy_sheet(locked, sheet)
    return sheet
