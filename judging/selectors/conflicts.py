"""Conflicts of interest: derived from the current regions and delegate roles, or
declared."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    QuerySet,
)

from contest.models import Contest, Delegate
from judging.conflicts import judge_rule
from judging.enums import ConflictRule, ConflictSource
from judging.models import Assignment, ConflictOfInterest, Judge
from submissions.enums import SubmissionState
from submissions.models import Submission


@dataclass(frozen=True)
class Conflict:
    """Why a judge must not score an entry."""

    source: str
    reason: str


def delegate_regions(contest_id: int, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """The regions each user is a delegate of in the contest (one query)."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = Delegate.objects.filter(
        contest_id=contest_id, user_id__in=list(user_ids)
    ).values_list("user_id", "region_id")
    for user_id, region_id in rows.order_by():
        out[user_id].append(region_id)
    return dict(out)


def derived_conflicts(
    contest: Contest, *, judges: Iterable[Judge] | None = None
) -> dict[tuple[int, int], str]:
    """Every (judge, entry) pair of the contest the regions make a conflict, from the
    current rows (home regions, delegate roles, entries that are not drafts), with
    the rule that makes it one (judging/conflicts.py). Three queries."""
    judges = list(
        judges
        if judges is not None
        else contest.judges.only("pk", "user", "home_region")
    )
    delegates = delegate_regions(contest.pk, {judge.user_id for judge in judges})
    entries = list(
        Submission.objects.filter(contest=contest)
        .exclude(state=SubmissionState.DRAFT)
        .values_list("pk", "region_id")
        .order_by()
    )
    wanted: dict[tuple[int, int], str] = {}
    for judge in judges:
        homes = delegates.get(judge.user_id, [])
        if judge.home_region_id is None and not homes:
            continue
        for entry_id, region_id in entries:
            rule = judge_rule(judge.home_region_id, homes, region_id)
            if rule is not None:
                wanted[(judge.pk, entry_id)] = rule
    return wanted


def unrecorded_conflicts(contest: Contest) -> dict[tuple[int, int], str]:
    """The (judge, entry) pairs the regions make a conflict now that no stored
    conflict records yet, with the reason: a delegate role given to a judge after
    scoring (the contest app cannot call judging, so the sync runs at the next
    judging write, the advancement or the publication). Results read it so such a
    sheet never counts meanwhile. One query when no judge is a delegate."""
    judges = list(
        contest.judges.filter(user__delegate_roles__contest=contest)
        .distinct()
        .only("pk", "user", "home_region")
    )
    if not judges:
        return {}
    wanted = derived_conflicts(contest, judges=judges)
    stored = set(
        ConflictOfInterest.objects.filter(judge__in=judges).values_list(
            "judge_id", "submission_id"
        )
    )
    return {
        pair: str(ConflictRule(rule).label)
        for pair, rule in wanted.items()
        if pair not in stored
    }


def conflict_between(*, judge: Judge, submission: Submission) -> Conflict | None:
    """The conflict of interest between a judge and an entry, derived (from the
    current home region and delegate roles) or declared."""
    homes = delegate_regions(judge.contest_id, [judge.user_id]).get(judge.user_id, [])
    rule = judge_rule(judge.home_region_id, homes, submission.region_id)
    if rule is not None:
        return Conflict(
            source=ConflictSource.DERIVED, reason=str(ConflictRule(rule).label)
        )
    # Derived rows are only a record of the rule above (kept in step by
    # sync_derived_conflicts); a stale one must not decide.
    stored = (
        ConflictOfInterest.objects.filter(
            judge=judge, submission=submission, source=ConflictSource.DECLARED
        )
        .order_by("pk")
        .first()
    )
    if stored is None:
        return None
    return Conflict(source=stored.source, reason=stored.reason_text)


def with_conflict_flag(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate `conflicted` on assignments (`AssignmentQuerySet.with_conflict_flag`,
    where the rule is written)."""
    return qs.with_conflict_flag()


def conflicts_of(contest: Contest) -> QuerySet[ConflictOfInterest]:
    return (
        ConflictOfInterest.objects.filter(judge__contest=contest)
        .select_related(
            "judge", "judge__user", "submission", "submission__region", "declared_by"
        )
        .order_by("-created_at", "-pk")
    )


def stored_conflict_pairs(contest: Contest) -> set[tuple[int, int]]:
    return set(
        ConflictOfInterest.objects.filter(judge__contest=contest).values_list(
            "judge_id", "submission_id"
        )
    )
