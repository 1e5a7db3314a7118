"""Reads for entries, always scoped to the user asking."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from contest.models import AuditEntry, Contest, Criterion, Delegate
from contest.rules import is_contest_organizer
from submissions.enums import SubmissionState
from submissions.models import Evidence, SavedFilter, Submission
from submissions.rules import judged_entries

# The fields an entry needs before it may be submitted, in the order of the form.
REQUIRED_TO_SUBMIT = [
    "title",
    "summary",
    "problem",
    "solution",
    "impact",
    "started_on",
    "agency",
]


def evidence_count_subquery() -> Coalesce:
    """An entry's evidence rows counted by a correlated subquery: a join and a
    GROUP BY over every entry would count them all before the page is cut, and
    the page's count would repeat them."""
    counted = (
        Evidence.objects.filter(submission_id=OuterRef("pk"))
        .order_by()
        .values("submission_id")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_relations(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return qs.select_related("contest", "category", "region").annotate(
        evidence_count=evidence_count_subquery()
    )


def submissions_visible_to(user, contest: Contest) -> QuerySet[Submission]:
    """The contest's entries this user may know of.

    Organizers of the contest (and superusers) see all of them; a delegate sees the
    entries of the region they represent; a judge the entries assigned to them without
    a conflict of interest; anyone else sees none.
    """
    qs = Submission.objects.filter(contest=contest)
    if not user.is_authenticated:
        return qs.none()
    if is_contest_organizer.test(user, contest):
        return qs
    regions = Delegate.objects.filter(contest=contest, user_id=user.pk).values(
        "region_id"
    )
    judged = judged_entries(Submission.objects.filter(contest=contest), user)
    return qs.filter(Q(region_id__in=regions) | Q(pk__in=judged.values("pk")))


def entries_of_delegate(user) -> QuerySet[Submission]:
    """Every entry, across contests, of the regions the user is a delegate of."""
    if not user.is_authenticated:
        return Submission.objects.none()
    mine = Delegate.objects.filter(
        user_id=user.pk,
        contest_id=OuterRef("contest_id"),
        region_id=OuterRef("region_id"),
    )
    return _with_relations(Submission.objects.filter(Exists(mine))).order_by(
        "-contest__submission_opens", "contest_id", "category__order", "title", "pk"
    )


def delegate_contests(user) -> QuerySet[Contest]:
    """Contests in which the user is a delegate, with the region they enter for."""
    if not user.is_authenticated:
        return Contest.objects.none()
    return (
        Contest.objects.filter(delegates__user_id=user.pk)
        .select_related("host_region")
        .order_by("-submission_opens", "name")
    )


def delegate_roles(user) -> QuerySet[Delegate]:
    return (
        Delegate.objects.filter(user_id=user.pk)
        .select_related("contest", "region")
        .order_by("-contest__submission_opens", "contest__name")
    )


def evidence_of(submission: Submission) -> QuerySet[Evidence]:
    return submission.evidence.select_related("criterion", "criterion__stage").order_by(
        "created_at", "pk"
    )


def submission_with_evidence(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return _with_relations(qs).prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("criterion").order_by(
                "created_at", "pk"
            ),
        )
    )


def criteria_of(contest: Contest) -> QuerySet[Criterion]:
    return (
        Criterion.objects.filter(stage__contest=contest)
        .select_related("stage")
        .order_by("stage__order", "order", "pk")
    )


def evidence_total_size(submission: Submission) -> int:
    return submission.evidence.aggregate(total=Coalesce(Sum("size"), 0))["total"]


def screening_queue(contest: Contest) -> QuerySet[Submission]:
    """The entries organizers handle: everything but drafts."""
    return _with_relations(
        contest.submissions.exclude(state=SubmissionState.DRAFT)
    ).select_related("region__province")


def queue_counts(contest: Contest) -> dict:
    """Counts per category and state of the contest's entries (drafts included)."""
    rows = (
        contest.submissions.values("category_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_category: dict[int, dict[str, int]] = {}
    by_state: dict[str, int] = {}
    for row in rows:
        by_category.setdefault(row["category_id"], {})[row["state"]] = row["n"]
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["n"]
    return {"by_category": by_category, "by_state": by_state}


def count_region_entries(
    *, contest: Contest, region_id: str, category_id: int, exclude_pk: int | None = None
) -> int:
    """Entries counting towards the region's limit in a category (all but withdrawn)."""
    qs = Submission.objects.filter(
        contest=contest, region_id=region_id, category_id=category_id
    ).exclude(state=SubmissionState.WITHDRAWN)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


@dataclass
class Checklist:
    """What an entry still lacks before it can be submitted."""

    missing_fields: list[str] = field(default_factory=list)
    has_evidence: bool = False
    uncovered_criteria: list[Criterion] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return bool(self.missing_fields) or not self.has_evidence


def submission_checklist(submission: Submission) -> Checklist:
    """Empty required fields and missing evidence block submitting; criteria without
    evidence are only a warning (not every criterion needs a document)."""
    missing = [
        name
        for name in REQUIRED_TO_SUBMIT
        if getattr(submission, name) in (None, "")
        or str(getattr(submission, name)).strip() == ""
    ]
    covered = set(
        submission.evidence.exclude(criterion__isnull=True).values_list(
            "criterion_id", flat=True
        )
    )
    has_evidence = submission.evidence.exists()
    uncovered = [c for c in criteria_of(submission.contest) if c.pk not in covered]
    return Checklist(
        missing_fields=missing, has_evidence=has_evidence, uncovered_criteria=uncovered
    )


def submission_history(submission: Submission) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        Q(object_type=Submission._meta.label_lower, object_id=str(submission.pk))
    ).order_by("seq")


def drafts_queue(contest: Contest) -> QuerySet[Submission]:
    """The contest's drafts not yet submitted, by region and title."""
    return _with_relations(
        contest.submissions.filter(state=SubmissionState.DRAFT)
    ).order_by("region__name", "title", "pk")


def delegates_by_region(contest: Contest, region_ids) -> dict[str, list]:
    """The active delegates of each of the regions, by e-mail (one query)."""
    found: dict[str, list] = {}
    rows = (
        Delegate.objects.filter(
            contest=contest, region_id__in=set(region_ids), user__is_active=True
        )
        .select_related("user")
        .order_by("user__email")
    )
    for delegate in rows:
        found.setdefault(delegate.region_id, []).append(delegate.user)
    return found


def saved_filters_of(contest: Contest, user) -> QuerySet:
    """The user's saved filters of the contest's screening queue, by name."""
    if not user.is_authenticated:
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(contest=contest, owner_id=user.pk).order_by(
        "name", "pk"
    )


def next_in_queue(ordered_ids: list[int], current: int) -> int | None:
    """The entry after `current` in the queue's order (None at the end, or when
    `current` is not in it)."""
    try:
        position = ordered_ids.index(current)
    except ValueError:
        return None
    return ordered_ids[position + 1] if position + 1 < len(ordered_ids) else None
