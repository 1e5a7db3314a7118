"""Assignments, scoped to the user asking, with their relations loaded."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.utils import timezone

from contest.models import Stage
from contest.selectors import organized_contest_ids
from judging.enums import SheetState
from judging.models import Assignment
from judging.selectors.conflicts import with_conflict_flag
from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission


def _assignment_relations(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.select_related(
        "stage",
        "stage__contest",
        "judge",
        "judge__user",
        "submission",
        "submission__contest",
        "submission__category",
        "submission__region",
        "sheet",
    )


# Where an assignment stands on the judge's list: work to do now first, then what
# opens later, then what is submitted in an open stage, then the closed stages.
CURRENT, UPCOMING, DONE_OPEN, CLOSED = range(4)

# The judge's own order of one stage's assignments (the scoring page's previous
# and next): stable while the judge works, whatever they submit.
JUDGE_STAGE_ORDER = ("submission__title", "pk")


def _own_assignments(user_id: int) -> QuerySet[Assignment]:
    qs = with_conflict_flag(Assignment.objects.filter(judge__user_id=user_id))
    return qs.filter(conflicted=False).exclude(
        submission__state=SubmissionState.WITHDRAWN
    )


def assignments_for_judge(user) -> QuerySet[Assignment]:
    """The user's own assignments across contests, never on a conflicted or withdrawn
    entry: current work first (an open stage, not submitted), then by due date.
    Each row carries `standing` (CURRENT...CLOSED) and its stage's `stage_total`
    and `stage_done` (submitted sheets) among the user's assignments, computed in
    the same query (window functions)."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    now = timezone.now()
    submitted = Q(sheet__state=SheetState.SUBMITTED)
    is_open = Q(stage__opens__lte=now, stage__closes__gt=now)
    per_stage = {"partition_by": [F("stage_id")]}
    qs = _assignment_relations(_own_assignments(user.pk)).annotate(
        standing=Case(
            When(is_open & ~submitted, then=Value(CURRENT)),
            When(stage__opens__gt=now, then=Value(UPCOMING)),
            When(is_open, then=Value(DONE_OPEN)),
            default=Value(CLOSED),
            output_field=IntegerField(),
        ),
        stage_total=Window(Count("pk"), **per_stage),
        stage_done=Window(
            Sum(Case(When(submitted, then=1), default=0, output_field=IntegerField())),
            **per_stage,
        ),
    )
    return qs.order_by(
        "standing",
        "stage__closes",
        "stage__contest__name",
        "stage_id",
        *JUDGE_STAGE_ORDER,
    )


@dataclass(frozen=True)
class Neighbours:
    """Where an assignment sits among its judge's own ones of the same stage."""

    previous: int | None = None
    next: int | None = None
    position: int = 0
    total: int = 0


def judge_neighbours(assignment: Assignment) -> Neighbours:
    """The previous and the next of the judge's own assignments in the same stage
    (JUDGE_STAGE_ORDER, never a conflicted or withdrawn entry), with the position
    of this one (1-based; 0 when it is not on the judge's list). One query."""
    ids = list(
        _own_assignments(assignment.judge.user_id)
        .filter(stage_id=assignment.stage_id, judge_id=assignment.judge_id)
        .order_by(*JUDGE_STAGE_ORDER)
        .values_list("pk", flat=True)
    )
    if assignment.pk not in ids:
        return Neighbours()
    index = ids.index(assignment.pk)
    return Neighbours(
        previous=ids[index - 1] if index > 0 else None,
        next=ids[index + 1] if index + 1 < len(ids) else None,
        position=index + 1,
        total=len(ids),
    )


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """One's own assignments (not conflicted) and those of the contests one runs."""
    qs = with_conflict_flag(_assignment_relations(Assignment.objects.all()))
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(judge__user_id=user.pk, conflicted=False)
        | Q(stage__contest_id__in=organized_contest_ids(user))
    )


STAGE_ORDER = ("submission__category__order", "submission__title", "judge__name", "pk")


def assignments_of_stage(stage: Stage) -> QuerySet[Assignment]:
    return with_conflict_flag(_assignment_relations(stage.assignments.all())).order_by(
        *STAGE_ORDER
    )


def assignments_page_of_stage(stage: Stage, number, per_page: int = 50) -> Page:
    """One page of :func:`assignments_of_stage`: the page's ids are picked in a
    subquery without the conflict flag, so the flag and the relations are computed
    for the page's rows only (two queries: the count and the page)."""
    ids = stage.assignments.order_by(*STAGE_ORDER).values("pk")
    page = Paginator(ids, per_page).get_page(number)
    rows = (
        stage.assignments.filter(pk__in=page.object_list)
        .select_related(
            "judge",
            "judge__user",
            "submission__category",
            "submission__region",
            "sheet",
        )
        .only(*PAGE_COLUMNS)
        .order_by(*STAGE_ORDER)
    )
    page.object_list = list(with_conflict_flag(rows))
    return page


# What a row of the stage's assignments shows: the entry's title, category and
# region, the judge, the sheet's state (not the entries' long texts).
PAGE_COLUMNS = (
    "stage_id",
    "judge__name",
    "judge__home_region_id",
    "judge__user__email",
    "judge__user__name",
    "submission__title",
    "submission__region_id",
    "submission__category__name",
    "submission__category__order",
    "submission__region__name",
    "sheet__state",
    "sheet__excluded_at",
)


def stage_loads(stage: Stage) -> dict[int, int]:
    return dict(
        stage.assignments.values("judge_id")
        .annotate(n=Count("id"))
        .values_list("judge_id", "n")
        .order_by()
    )


def evidence_of(submission: Submission) -> QuerySet[Evidence]:
    return submission.evidence.select_related("criterion").order_by("created_at", "pk")


def with_evidence(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.prefetch_related(
        Prefetch(
            "submission__evidence",
            queryset=Evidence.objects.select_related("criterion").order_by(
                "created_at", "pk"
            ),
        )
    )
