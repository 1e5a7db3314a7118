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
    stage_rows = _stage_standings(contest)
    final_weights = {row.stage.pk: row.weight for row in stage_rows if row.scored}
    weights_usable = any(weight > 0 for weight in final_weights.values())
    bands = score_bands(contest)
    submissions = _standing_submissions(contest)
    photos = _photos(s.pk for s in submissions)
    entries = [
        _entry_standing(
            submission,
            stage_rows,
            final_weights=final_weights if weights_usable else None,
            bands=bands,
            photo=photos.get(submission.pk),
        )
        for submission in submissions
    ]
    _rank(entries)
    return Standings(
        contest=contest,
        stages=stage_rows,
        categories=list(contest.categories.order_by("order", "name")),
        entries=entries,
        regional=_regional(entries),
        bands=bands,
        awards=list(awards_of(contest)),
        weights_usable=weights_usable,
    )


def _stage_standings(contest: Contest) -> list[StageStanding]:
    """Each scoring stage's figures, ranked by the basis its advancement recorded,
    with its weight."""
    stages = list(judging_selectors.scoring_stages(contest))
    weights = stage_weights(contest, stages)
    bases = dict(
        AdvancementDecision.objects.filter(stage__contest=contest).values_list(
            "stage_id", "ranked_by"
        )
    )
    return [
        StageStanding(
            stage=stage,
            computation=stage_results(
                stage, ranked_by=bases.get(stage.pk, RANK_NORMALIZED)
            ),
            weight=weights[stage.pk],
        )
        for stage in stages
    ]


def _standing_submissions(contest: Contest) -> list[Submission]:
    """The entries that stand: past screening or assigned in a stage, and not
    withdrawn."""
    assigned = Assignment.objects.filter(stage__contest=contest).values("submission_id")
    return list(
        Submission.objects.filter(contest=contest)
        .filter(Q(state__in=judging_selectors.FIRST_STAGE_STATES) | Q(pk__in=assigned))
        .exclude(state=SubmissionState.WITHDRAWN)
        .select_related("category", "region", "region__province")
        .order_by("category__order", "title", "pk")
    )


def _entry_standing(
    submission: Submission,
    stage_rows: list[StageStanding],
    *,
    final_weights: dict[int, Decimal] | None,
    bands: list[tuple[Decimal, str]],
    photo: int | None,
) -> EntryStanding:
    """An entry's stage results, final score (none without usable weights) and
    band."""
    per_stage = {
        row.stage.pk: row.computation.by_entry[submission.pk]
        for row in stage_rows
        if submission.pk in row.computation.by_entry
    }
    basis_of = {row.stage.pk: row.computation.ranked_by for row in stage_rows}
    final = None
    if final_weights is not None:
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
        band_score = _last_stage_score(per_stage, stage_rows)
    return EntryStanding(
        submission=submission,
        per_stage=per_stage,
        final_score=final,
        band_score=band_score,
        band=band_of(band_score, bands),
        photo=photo,
    )


def _last_stage_score(
    per_stage: dict[int, computing.EntryResult], stage_rows: list[StageStanding]
) -> Decimal | None:
    """The score of the last stage the entry was scored in."""
    for row in reversed(stage_rows):
        result = per_stage.get(row.stage.pk)
        if result is None:
            continue
        score = stage_score(result, row.computation.ranked_by)
        if score is not None:
            return score
    return None


def _rank(entries: list[EntryStanding]) -> None:
    """Set each entry's final rank within its category, and sort the entries by
    category, then rank (unranked last), then title."""
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


def _regional(entries: list[EntryStanding]) -> dict[str, list[RegionRow]]:
    regions = {e.submission.region_id: e.submission.region for e in entries}
    return {
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


def awards_of(contest: Contest) -> QuerySet[Award]:
    return Award.objects.filter(contest=contest).select_related(
        "category", "submission", "submission__region", "region", "cluster"
    )
