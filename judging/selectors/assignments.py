"""Assignments, scoped to the user asking, with their relations loaded."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from contest.models import Stage
from contest.selectors import organized_contest_ids
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


def assignments_for_judge(user) -> QuerySet[Assignment]:
    """The user's own assignments across contests, never on a conflicted or withdrawn
    entry, the soonest due first."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    qs = with_conflict_flag(
        _assignment_relations(Assignment.objects.filter(judge__user_id=user.pk))
    )
    return (
        qs.filter(conflicted=False)
        .exclude(submission__state=SubmissionState.WITHDRAWN)
        .order_by("stage__closes", "stage__contest__name", "submission__title", "pk")
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
