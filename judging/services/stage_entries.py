"""The entries of a stage (StageEntry): the first scoring stage takes the eligible
entries, each later one those advanced from the stage before."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import require_organizer
from contest import ledger
from contest.enums import JUDGED_STAGE_KINDS
from contest.models import Stage
from judging import selectors
from judging.models import Assignment, StageEntry
from judging.services._common import _guard, _require_judged, _take_off
from submissions.enums import SubmissionState
from submissions.models import Submission

User = get_user_model()


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
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_judged(stage)
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
    ids = _known_entry_ids(contest.pk, submission_ids)
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
        removed_assignments, excluded = _remove_leaving(stage, leaving, by=by)
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


def _known_entry_ids(contest_id: int, submission_ids: Iterable[Any]) -> set[int]:
    """`submission_ids` as a set, refused when one is no entry of the contest (or
    a draft)."""
    ids = _clean_ids(submission_ids, "submission_ids")
    known = set(
        Submission.objects.filter(contest_id=contest_id, pk__in=ids)
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
    return ids


def _remove_leaving(
    stage: Stage, leaving: list[int], *, by: User | None
) -> tuple[list[int], list[int]]:
    """Take the `leaving` entries out of the stage and of the later scoring stages:
    their assignments (`_take_off`) and their StageEntry rows, audited. Answers the
    ids of the removed assignments and of the sheets excluded now."""
    contest = stage.contest
    stages = [
        stage,
        *Stage.objects.filter(
            contest_id=contest.pk, kind__in=JUDGED_STAGE_KINDS, order__gt=stage.order
        ),
    ]
    assignments = list(
        Assignment.objects.filter(
            stage__in=stages, submission_id__in=leaving
        ).select_related("sheet", "stage", "submission")
    )
    gone, excluded = _take_off(
        assignments,
        reason=lambda assignment: (
            _("“%(title)s” no longer takes part in %(stage)s.")
            % {"title": assignment.submission.title, "stage": stage.name}
        ),
        by=by,
        contest=contest,
    )
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
    return [a.pk for a in gone], excluded
