"""The feedback a region reads after the final publication: its scores per
criterion against the category median and the judges' comments, without names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contest.models import Contest, Criterion, Region
from judging.enums import SheetState
from judging.models import Score, ScoreSheet
from results.computing import standings
from results.models import (
    Publication,
)
from results.selectors.snapshot import published_snapshot

# ---------------------------------------------------------------- feedback


@dataclass
class FeedbackCriterion:
    criterion: Criterion
    score: Decimal | None
    category_median: Decimal | None
    comments: list[str]

    @property
    def difference(self) -> Decimal | None:
        if self.score is None or self.category_median is None:
            return None
        return self.score - self.category_median


@dataclass
class FeedbackStage:
    stage_id: int
    stage_name: str
    published: dict[str, Any] | None
    criteria: list[FeedbackCriterion]
    comments: list[str]


@dataclass
class FeedbackEntry:
    entry: dict[str, Any]
    stages: list[FeedbackStage]
    category_name: str = ""


# Keys of the figures feedback_for_region reads: (stage, entry, criterion) and
# (stage, category slug, criterion).
_EntryKey = tuple[int, int, int]
_CategoryKey = tuple[int, str, int]


@dataclass
class _Figures:
    """What the region's feedback is made of, read in four queries."""

    criteria: list[Criterion]
    means: dict[_EntryKey, Decimal]
    per_category: dict[_CategoryKey, list[Decimal]]
    comments: dict[_EntryKey, list[str]]
    overall: dict[tuple[int, int], list[str]]


def feedback_for_region(
    contest: Contest, region: Region, publication: Publication
) -> list[FeedbackEntry]:
    """For each of the region's published entries and each stage it was scored in:
    its mean value per criterion against the median of those means over the
    entries of its category, and the judges' comments, without their names, each
    criterion's comments in alphabetical order (so they cannot be matched across
    criteria to one sheet). Reads the submitted sheets, not those excluded from
    the results; callers show it only after the final publication."""
    snapshot = published_snapshot(publication).snapshot
    mine = [e for e in snapshot.get("entries", []) if e["region"]["code"] == region.pk]
    if not mine:
        return []
    categories = {e["id"]: e["category"] for e in snapshot.get("entries", [])}
    means, per_category = _criterion_means(contest, categories)
    criteria = list(
        Criterion.objects.filter(stage__contest=contest).order_by("order", "pk")
    )
    entry_ids = {e["id"] for e in mine}
    figures = _Figures(
        criteria=criteria,
        means=means,
        per_category=per_category,
        comments=_criterion_comments(entry_ids),
        overall=_sheet_comments(entry_ids),
    )
    return [
        FeedbackEntry(entry=entry, stages=_entry_stages(entry, snapshot, figures))
        for entry in mine
    ]


def _criterion_means(
    contest: Contest, categories: dict[int, str]
) -> tuple[dict[_EntryKey, Decimal], dict[_CategoryKey, list[Decimal]]]:
    """Each published entry's mean value per stage and criterion, and those means
    gathered per category."""
    rows = (
        Score.objects.filter(
            sheet__assignment__stage__contest=contest,
            sheet__state=SheetState.SUBMITTED,
            sheet__excluded_at__isnull=True,
            value__isnull=False,
        )
        .order_by()
        .values_list(
            "sheet__assignment__stage_id",
            "sheet__assignment__submission_id",
            "criterion_id",
            "value",
        )
    )
    values: dict[_EntryKey, list[Decimal]] = defaultdict(list)
    for stage_id, entry_id, criterion_id, value in rows:
        if entry_id in categories:
            values[(stage_id, entry_id, criterion_id)].append(value)
    means = {key: standings.mean(vals) for key, vals in values.items()}
    per_category: dict[_CategoryKey, list[Decimal]] = defaultdict(list)
    for (stage_id, entry_id, criterion_id), value in means.items():
        per_category[(stage_id, categories[entry_id], criterion_id)].append(value)
    return means, per_category


def _criterion_comments(entry_ids: set[int]) -> dict[_EntryKey, list[str]]:
    comments: dict[_EntryKey, list[str]] = defaultdict(list)
    for stage_id, entry_id, criterion_id, comment in (
        Score.objects.filter(
            sheet__assignment__submission_id__in=entry_ids,
            sheet__state=SheetState.SUBMITTED,
            sheet__excluded_at__isnull=True,
        )
        .exclude(comment="")
        .order_by()
        .values_list(
            "sheet__assignment__stage_id",
            "sheet__assignment__submission_id",
            "criterion_id",
            "comment",
        )
    ):
        comments[(stage_id, entry_id, criterion_id)].append(comment)
    return comments


def _sheet_comments(entry_ids: set[int]) -> dict[tuple[int, int], list[str]]:
    overall: dict[tuple[int, int], list[str]] = defaultdict(list)
    for stage_id, entry_id, comment in (
        ScoreSheet.objects.filter(
            assignment__submission_id__in=entry_ids,
            state=SheetState.SUBMITTED,
            excluded_at__isnull=True,
        )
        .exclude(comment="")
        .order_by()
        .values_list("assignment__stage_id", "assignment__submission_id", "comment")
    ):
        overall[(stage_id, entry_id)].append(comment)
    return overall


def _entry_stages(
    entry: dict[str, Any], snapshot: dict[str, Any], figures: _Figures
) -> list[FeedbackStage]:
    """The entry's feedback at each stage it was published with, in stage order."""
    stage_names = {s["id"]: s["name"] for s in snapshot.get("stages", [])}
    published = {row["stage"]: row for row in entry["stages"]}
    return [
        FeedbackStage(
            stage_id=stage_id,
            stage_name=stage_names.get(stage_id, ""),
            published=published.get(stage_id),
            criteria=[
                _criterion_feedback(entry, stage_id, criterion, figures)
                for criterion in figures.criteria
                if criterion.stage_id == stage_id
            ],
            comments=sorted(figures.overall.get((stage_id, entry["id"]), [])),
        )
        for stage_id in sorted(published, key=lambda s: _stage_order(snapshot, s))
    ]


def _criterion_feedback(
    entry: dict[str, Any], stage_id: int, criterion: Criterion, figures: _Figures
) -> FeedbackCriterion:
    return FeedbackCriterion(
        criterion=criterion,
        score=figures.means.get((stage_id, entry["id"], criterion.pk)),
        category_median=standings.median(
            figures.per_category.get((stage_id, entry["category"], criterion.pk), [])
        ),
        comments=sorted(
            figures.comments.get((stage_id, entry["id"], criterion.pk), [])
        ),
    )


def _stage_order(snapshot: dict[str, Any], stage_id: int) -> int:
    for stage in snapshot.get("stages", []):
        if stage["id"] == stage_id:
            return stage["order"]
    return 0


def feedback_regions(user, contest: Contest) -> set[str]:
    """The regions whose feedback the user reads: their delegate regions."""
    if not user.is_authenticated:
        return set()
    return set(
        contest.delegates.filter(user_id=user.pk).values_list("region_id", flat=True)
    )
