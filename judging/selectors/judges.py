"""Judges of a contest and the panels they sit on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from contest.models import Category, Contest
from judging.models import Judge


def judges_of(contest: Contest) -> QuerySet[Judge]:
    return (
        contest.judges.select_related("user", "home_region")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("order", "name")),
            Prefetch("panels", queryset=Category.objects.order_by("order", "name")),
        )
        .annotate(assignment_count=Count("assignments", distinct=True))
        .order_by("name", "user__email", "pk")
    )


@dataclass
class Panel:
    category: Category
    judges: list[Judge] = field(default_factory=list)


def panels_of(contest: Contest, judges: Iterable[Judge]) -> list[Panel]:
    """Each category with the judges on its panel (a judge without panels sits on
    every one). `judges` come from judges_of, with their panels prefetched."""
    panels = [Panel(category) for category in contest.categories.order_by("order")]
    for judge in judges:
        chosen = {category.pk for category in judge.panels.all()}
        for panel in panels:
            if not chosen or panel.category.pk in chosen:
                panel.judges.append(judge)
    return panels
