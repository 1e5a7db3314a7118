"""Reads for the files prepared for offline judging (judging.packs)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from contest.enums import StageKind
from contest.models import Category, Stage
from contest.selectors import organized_contest_ids
from judging.enums import PackKind
from judging.models import Assignment, Pack
from judging.selectors.stage_entries import stage_entries
from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission


def packs_visible_to(user) -> QuerySet[Pack]:
    """The packs one asked for, and every pack of the contests one runs; whether
    a judge may still download theirs is `judging.view_pack`."""
    qs = Pack.objects.select_related(
        "contest", "stage", "category", "submission", "judge"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(requested_by_id=user.pk) | Q(contest_id__in=organized_contest_ids(user))
    )


def packs_of_user(user, limit: int = 20) -> list[Pack]:
    """The user's own latest requests, newest first."""
    return list(packs_visible_to(user).filter(requested_by_id=user.pk)[:limit])


def zip_entries(*, stage: Stage, category: Category, judge) -> QuerySet[Submission]:
    """The entries a stage's ZIP for one category holds: for a judge only their own
    assignments in the stage, never on a conflicted or withdrawn entry; for an
    organizer (judge None) every entry of the stage in the category."""
    if judge is None:
        qs = stage_entries(stage).filter(category_id=category.pk)
    else:
        mine = (
            Assignment.objects.filter(stage_id=stage.pk, judge_id=judge.pk)
            .without_conflict()
            .values("submission_id")
        )
        qs = (
            Submission.objects.filter(pk__in=mine, category_id=category.pk)
            .exclude(state=SubmissionState.WITHDRAWN)
            .select_related("category", "region")
        )
    return qs.select_related("contest").order_by("title", "pk")


def pack_is_current(pack: Pack) -> bool:
    """Whether a built pack still holds what a new one would: the same entries (a
    stage's ZIP: no assignment, conflict or stage change since), none of them
    changed and none of their evidence added, processed or reviewed since the
    pack was asked for. Three queries at most, whatever the sizes."""
    if pack.kind == PackKind.ENTRY_PDF:
        ids = [pack.submission_id]
    else:
        entries = zip_entries(
            stage=pack.stage, category=pack.category, judge=pack.judge
        )
        ids = sorted(entries.values_list("pk", flat=True))
        if ids != sorted(pack.entry_ids):
            return False
    since = pack.created_at
    if Submission.objects.filter(pk__in=ids, updated_at__gte=since).exists():
        return False
    changed = Q(created_at__gte=since) | Q(processed_at__gte=since)
    changed |= Q(reviewed_at__gte=since)
    return not Evidence.objects.filter(changed, submission_id__in=ids).exists()


@dataclass(frozen=True)
class ZipChoice:
    """A stage and a category the user may ask a ZIP for."""

    stage: Stage
    category: Category

    @property
    def value(self) -> str:
        return f"{self.stage.pk}:{self.category.pk}"

    @property
    def label(self) -> str:
        return f"{self.stage.contest.name} · {self.stage.name} · {self.category.name}"


def zip_choices(user) -> list[ZipChoice]:
    """For a judge, each stage and category of their own assignments (no conflict);
    for an organizer, each scoring stage of their contests with each category.
    Four queries whatever the sizes."""
    if not user.is_authenticated:
        return []
    pairs = set(
        Assignment.objects.filter(judge__user_id=user.pk)
        .without_conflict()
        .values_list("stage_id", "submission__category_id")
    )
    stages = Stage.objects.filter(kind=StageKind.SCORING)
    if not user.is_superuser:
        organized = set(
            organized_contest_ids(user).values_list("contest_id", flat=True)
        )
        stages = stages.filter(
            Q(pk__in={stage for stage, _ in pairs}) | Q(contest_id__in=organized)
        )
    stages = (
        stages.select_related("contest")
        .prefetch_related("contest__categories")
        .order_by("contest__name", "order", "pk")
    )
    choices = []
    for stage in stages:
        runs_it = user.is_superuser or stage.contest_id in organized
        for category in stage.contest.categories.all():
            if runs_it or (stage.pk, category.pk) in pairs:
                choices.append(ZipChoice(stage=stage, category=category))
    return choices
