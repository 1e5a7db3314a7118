"""Helpers every judging write shares: the contest guard, the scoring-stage check,
removing assignments and excluding sheets (audited), taking assignments off an
entry, the conflict check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen
from contest import ledger
from contest.models import Contest, Stage
from judging import selectors
from judging.enums import SheetState
from judging.models import (
    Assignment,
    Judge,
    ScoreSheet,
)
from judging.rules import sheet_of
from submissions.models import Submission

User = get_user_model()


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


def _require_judged(stage: Stage) -> None:
    """A scoring or an indicator stage: both have judges (validators) assigned."""
    if not stage.is_judged:
        raise DomainError(
            _("Only a scoring or an indicator stage has judges."),
            field="stage",
            status=409,
        )


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


def _take_off(
    assignments: list[Assignment],
    *,
    reason: Callable[[Assignment], str],
    by: User | None,
    contest: Contest,
) -> tuple[list[Assignment], list[int]]:
    """Take `assignments` off their entries: those without a submitted sheet are
    removed (a draft goes too), a submitted sheet is kept but taken out of the
    results with `reason(assignment)` (once). Answers the removed assignments and
    the ids of the sheets excluded now."""
    removed = [a for a in assignments if _sheet_state(a) != SheetState.SUBMITTED]
    _remove_assignments(removed, by=by, contest=contest)
    excluded = []
    for assignment in assignments:
        sheet = sheet_of(assignment)
        if (
            sheet is None
            or sheet.state != SheetState.SUBMITTED
            or sheet.excluded_at is not None
        ):
            continue
        _exclude_sheet(sheet, reason=reason(assignment), by=by, contest=contest)
        excluded.append(sheet.pk)
    return removed, excluded


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
