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


def feedback_for_region(
    contest: Contest, region: Region, publication: Publication
) -> list[FeedbackEntry]:
    """For each of the region's published entries and each stage it was scored in:
    its mean value per criterion against the median of those means over the
    entries of its category, and the judges' comments, without their names, each
    criterion's comments in alphabetical order (so they cannot be matched across
    criteria to one sheet). Reads the submitted sheets, not those excluded from
    the results; callers show it only after the final publication."""
    snapshot = publication.snapshot
    mine = [e for e in snapshot.get("entries", []) if e["region"]["code"] == region.pk]
    if not mine:
        return []
    stage_names = {s["id"]: s["name"] for s in snapshot.get("stages", [])}
    entry_ids = {e["id"] for e in mine}
    categories = {e["id"]: e["category"] for e in snapshot.get("entries", [])}
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
    values: dict[tuple[int, int, int], list[Decimal]] = defaultdict(list)
    for stage_id, entry_id, criterion_id, value in rows:
        if entry_id in categories:
            values[(stage_id, entry_id, criterion_id)].append(value)
    means = {key: standings.mean(vals) for key, vals in values.items()}
    per_category: dict[tuple[int, str, int], list[Decimal]] = defaultdict(list)
    for (stage_id, entry_id, criterion_id), value in means.items():
        per_category[(stage_id, categories[entry_id], criterion_id)].append(value)
    criteria = list(
        Criterion.objects.filter(stage__contest=contest).order_by("order", "pk")
    )
    comments: dict[tuple[int, int, int], list[str]] = defaultdict(list)
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

    out = []
    for entry in mine:
        published = {row["stage"]: row for row in entry["stages"]}
        stages = []
        for stage_id in sorted(published, key=lambda s: _stage_order(snapshot, s)):
            lines = [
                FeedbackCriterion(
                    criterion=criterion,
                    score=means.get((stage_id, entry["id"], criterion.pk)),
                    category_median=standings.median(
                        per_category.get(
                            (stage_id, entry["category"], criterion.pk), []
                        )
                    ),
                    comments=sorted(
                        comments.get((stage_id, entry["id"], criterion.pk), [])
                    ),
                )
                for criterion in criteria
                if criterion.stage_id == stage_id
            ]
            stages.append(
                FeedbackStage(
                    stage_id=stage_id,
                    stage_name=stage_names.get(stage_id, ""),
                    published=published.get(stage_id),
                    criteria=lines,
                    comments=sorted(overall.get((stage_id, entry["id"]), [])),
                )
            )
        out.append(FeedbackEntry(entry=entry, stages=stages))
    return out


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
