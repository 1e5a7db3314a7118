"""Conflicts of interest: derived from the regions, declared, and what they take
off (assignments without a submitted sheet, submitted sheets out of the results)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest import ledger
from contest.models import Contest
from contest.rules import is_contest_organizer
from judging import selectors
from judging.enums import ConflictSource
from judging.models import Assignment, ConflictOfInterest, Judge
from judging.services._common import _guard, _take_off
from notifications.services import notify_many
from submissions.models import Submission

User = get_user_model()


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
    stale = _drop_stale(stored, wanted, by=by, contest=contest)
    new = _record_new(stored, wanted, by=by, contest=contest)
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


def _drop_stale(
    stored: dict[tuple[int, int], ConflictOfInterest],
    wanted: dict[tuple[int, int], str],
    *,
    by: User | None,
    contest: Contest,
) -> list[int]:
    """Delete (audited) the derived conflicts the regions no longer imply, or imply
    by another rule now; answers their ids."""
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
    return stale


def _record_new(
    stored: dict[tuple[int, int], ConflictOfInterest],
    wanted: dict[tuple[int, int], str],
    *,
    by: User | None,
    contest: Contest,
) -> list[ConflictOfInterest]:
    """Create (audited) the derived conflicts the regions imply that no row
    records with the same rule."""
    new = ConflictOfInterest.objects.bulk_create(
        [
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
    )
    ledger.record_many(
        action="conflict.derived",
        objs=new,
        by=by,
        contest=contest,
        data=_conflict_data,
    )
    return new


def _conflict_data(conflict: ConflictOfInterest) -> dict[str, Any]:
    return {
        "judge": conflict.judge_id,
        "submission": conflict.submission_id,
        "rule": conflict.rule,
    }


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
    removed, excluded = _take_off(
        candidates, reason=_found_after_submitting, by=by, contest=contest
    )
    return [a.pk for a in removed], excluded


def _found_after_submitting(assignment: Assignment) -> str:
    conflict = selectors.conflict_between(
        judge=assignment.judge, submission=assignment.submission
    )
    reason = conflict.reason if conflict is not None else ""
    return _("Conflict of interest found after the sheet was submitted: %(reason)s") % {
        "reason": reason
    }


@dataclass
class DeclaredConflict:
    conflict: ConflictOfInterest
    removed: list[Assignment] = field(default_factory=list)
    kept: list[Assignment] = field(default_factory=list)


def _check_declarer(*, judge: Judge, submission: Submission, by: User) -> None:
    """An organizer declares for any judge of the contest; a judge only for
    themself, on an entry among their assignments."""
    if submission.contest_id != judge.contest_id:
        raise DomainError(_("Choose an entry of this contest."), field="submission")
    if is_contest_organizer.test(by, judge.contest):
        return
    if by.pk != judge.user_id:
        raise DomainError(
            _("A judge may declare a conflict of interest only for themself."),
            field="judge",
            status=403,
        )
    if not judge.assignments.filter(submission=submission).exists():
        raise DomainError(_("No such entry among your assignments."), status=404)


@transaction.atomic
def declare_conflict(
    *, judge: Judge, submission: Submission, reason: str, by: User
) -> DeclaredConflict:
    """Record that `judge` must not score `submission`, declared by an organizer or
    by the judge. The judge's assignments on the entry without a submitted sheet are
    removed (the organizer can then give the entry another judge); a submitted
    sheet is kept but taken out of the results (excluded, with the reason, audited),
    and the entry shows as short of judges until it gets a replacement. A judge's
    own declaration is sent to the contest's organizers (`_tell_organizers`)."""
    contest = judge.contest
    _guard(contest)
    _check_declarer(judge=judge, submission=submission, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what the conflict of interest is."), field="reason")
    conflict, created = ConflictOfInterest.objects.get_or_create(
        judge=judge,
        submission=submission,
        source=ConflictSource.DECLARED,
        defaults={"reason": reason, "declared_by": by},
    )
    assignments = list(
        judge.assignments.filter(submission=submission).select_related("sheet", "stage")
    )
    removed, excluded = _take_off(
        assignments,
        reason=lambda _assignment: (
            _("Conflict of interest declared after the sheet was submitted: %(reason)s")
            % {"reason": reason}
        ),
        by=by,
        contest=contest,
    )
    result = DeclaredConflict(
        conflict=conflict,
        removed=removed,
        kept=[a for a in assignments if a not in removed],
    )
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
    if created and by.pk == judge.user_id:
        _tell_organizers(result, assignments=assignments, by=by)
    return result


def _tell_organizers(
    result: DeclaredConflict, *, assignments: list[Assignment], by: User
) -> None:
    """A judge's own declaration is sent to every organizer of the contest (the
    judge's page says they are told), with a link to the stage's assignments,
    where the entry gets another judge."""
    conflict = result.conflict
    judge, submission = conflict.judge, conflict.submission
    contest = judge.contest
    stage = max((a.stage for a in assignments), key=lambda s: s.order, default=None)
    site = settings.SITE_URL.rstrip("/")
    if stage is None:
        url = reverse("judging:conflicts", kwargs={"slug": contest.slug})
    else:
        url = reverse(
            "judging:assignments",
            kwargs={"slug": contest.slug, "stage_pk": stage.pk},
        )
    notify_many(
        recipients=[
            organizer.user
            for organizer in contest.organizers.select_related("user")
            .exclude(user=by)
            .order_by("pk")
        ],
        event="judging.conflict_declared",
        context={
            "judge_name": judge.name or judge.user.email,
            "entry_title": submission.title,
            "region_name": submission.region.name,
            "stage_name": stage.name if stage is not None else "",
            "contest_name": contest.name,
            "reason": conflict.reason,
            "sheet_kept": bool(result.kept),
            "url": site + url,
        },
        contest_id=contest.pk,
    )
