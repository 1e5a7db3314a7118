"""The standings across stages: every entry's stage scores, final score, band and
rank, the regional ranking, the awards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from contest.models import Category, Contest, Region, Stage
from judging import selectors as judging_selectors
from judging.models import Assignment
from results import computing
from results.computing import standings
from results.models import (
    AdvancementDecision,
    Award,
)
from results.selectors.stage import (
    RANK_NORMALIZED,
    StageComputation,
    stage_results,
    stage_score,
)
from results.selectors.weights import band_of, score_bands, stage_weights
from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission

# ---------------------------------------------------------------- standings


@dataclass
class StageStanding:
    stage: Stage
    computation: StageComputation
    weight: Decimal

    @property
    def scored(self) -> bool:
        return self.computation.scored


@dataclass
class EntryStanding:
    submission: Submission
    per_stage: dict[int, computing.EntryResult]
    final_score: Decimal | None
    band_score: Decimal | None
    band: str
    final_rank: int | None = None
    tie_unresolved: bool = False
    photo: int | None = None


@dataclass
class RegionRow:
    region: Region
    standing: standings.RegionStanding


@dataclass
class Standings:
    contest: Contest
    stages: list[StageStanding]
    categories: list[Category]
    entries: list[EntryStanding]
    regional: dict[str, list[RegionRow]]
    bands: list[tuple[Decimal, str]]
    awards: list[Award]
    weights_usable: bool

    def by_category(self) -> list[tuple[Category, list[EntryStanding]]]:
        groups: dict[int, list[EntryStanding]] = defaultdict(list)
        for entry in self.entries:
            groups[entry.submission.category_id].append(entry)
        return [(c, groups[c.pk]) for c in self.categories if groups.get(c.pk)]


def _photos(submission_ids: Iterable[int]) -> dict[int, int]:
    """Each entry's first image evidence that has a thumbnail: its id."""
    rows = (
        Evidence.objects.filter(
            submission_id__in=list(submission_ids),
            content_type__startswith="image/",
            processed_at__isnull=False,
        )
        .exclude(thumbnail="")
        .order_by("submission_id", "created_at", "pk")
        .values_list("submission_id", "pk")
    )
    photos: dict[int, int] = {}
    for submission_id, evidence_id in rows:
        photos.setdefault(submission_id, evidence_id)
    return photos


def contest_standings(contest: Contest) -> Standings:
    """Every scoring stage's results, each entry's final score, rank and band, the
    regional ranking and the awards: the figures a publication freezes.

    The final score weighs the stages' scores (judging.computing.final_score): each
    stage's normalized score, or its raw score where the organizer ranked that
    stage by raw score (AdvancementDecision.ranked_by); a stage on which no sheet
    was submitted did not take place and is left out. An entry counts in a stage
    only if it took part in it (StageEntry). An entry's band comes from its final
    score, or, for an entry that did not reach the later stages, from the score of
    the last stage it was scored in; an entry never scored is "Tidak dapat
    dinilai".
    """
    stages = list(judging_selectors.scoring_stages(contest))
    weights = stage_weights(contest, stages)
    bases = dict(
        AdvancementDecision.objects.filter(stage__contest=contest).values_list(
            "stage_id", "ranked_by"
        )
    )
    stage_rows = [
        StageStanding(
            stage=stage,
            computation=stage_results(
                stage, ranked_by=bases.get(stage.pk, RANK_NORMALIZED)
            ),
            weight=weights[stage.pk],
        )
        for stage in stages
    ]
    basis_of = {row.stage.pk: row.computation.ranked_by for row in stage_rows}
    scored = [row for row in stage_rows if row.scored]
    final_weights = {row.stage.pk: row.weight for row in scored}
    weights_usable = any(weight > 0 for weight in final_weights.values())
    bands = score_bands(contest)

    assigned = Assignment.objects.filter(stage__contest=contest).values("submission_id")
    submissions = list(
        Submission.objects.filter(contest=contest)
        .filter(Q(state__in=judging_selectors.FIRST_STAGE_STATES) | Q(pk__in=assigned))
        .exclude(state=SubmissionState.WITHDRAWN)
        .select_related("category", "region", "region__province")
        .order_by("category__order", "title", "pk")
    )
    photos = _photos(s.pk for s in submissions)
    entries = []
    for submission in submissions:
        per_stage = {
            row.stage.pk: row.computation.by_entry[submission.pk]
            for row in stage_rows
            if submission.pk in row.computation.by_entry
        }
        final = None
        if weights_usable:
            final = computing.final_score(
                stage_scores={
                    stage_id: stage_score(per_stage[stage_id], basis_of[stage_id])
                    if stage_id in per_stage
                    else None
                    for stage_id in final_weights
                },
                weights=final_weights,
            )
        band_score = final
        if band_score is None:
            for row in reversed(stage_rows):
                result = per_stage.get(row.stage.pk)
                score = (
                    None
                    if result is None
                    else stage_score(result, basis_of[row.stage.pk])
                )
                if score is not None:
                    band_score = score
                    break
        entries.append(
            EntryStanding(
                submission=submission,
                per_stage=per_stage,
                final_score=final,
                band_score=band_score,
                band=band_of(band_score, bands),
                photo=photos.get(submission.pk),
            )
        )
    ranks = standings.final_ranks(
        (e.submission.pk, e.submission.category_id, e.final_score) for e in entries
    )
    for entry in entries:
        entry.final_rank, entry.tie_unresolved = ranks[entry.submission.pk]
    entries.sort(
        key=lambda e: (
            e.submission.category.order,
            e.submission.category_id,
            e.final_rank is None,
            e.final_rank or 0,
            e.submission.title.lower(),
            e.submission.pk,
        )
    )
    regions = {s.region_id: s.region for s in submissions}
    regional = {
        region_type: [RegionRow(regions[row.region], row) for row in rows]
        for region_type, rows in standings.regional_ranking(
            (
                e.submission.region_id,
                e.submission.region.type,
                e.submission.category_id,
                e.final_score,
            )
            for e in entries
        ).items()
    }
    return Standings(
        contest=contest,
        stages=stage_rows,
        categories=list(contest.categories.order_by("order", "name")),
        entries=entries,
        regional=regional,
        bands=bands,
        awards=list(awards_of(contest)),
        weights_usable=weights_usable,
    )


def awards_of(contest: Contest) -> QuerySet[Award]:
    return Award.objects.filter(contest=contest).select_related(
        "category", "submission", "submission__region", "region"
    )
