"""An indicator stage's live figures: each entry's score from its validated
indicators, each region's index, the ranking per cluster (docs/indicator-index.md).

The formula is results.computing.index (pure); this module reads the rows it
needs in a fixed number of queries whatever the size of the stage: the rubric,
the stage's entries, their answers, the validations, the bands and the clusters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from contest.clusters import cluster_members
from contest.enums import IndexAggregation, RegionType, StageKind
from contest.models import Criterion, Region, Stage
from judging import selectors as judging_selectors
from judging.enums import Verdict
from judging.models_formats import IndicatorValidation
from results import computing
from results.computing import RANK_NORMALIZED
from results.computing import index as formula
from results.computing.standings import decimal_text
from results.selectors.weights import band_of, score_bands
from submissions.models import Submission
from submissions.models_answers import IndicatorAnswer


@dataclass(frozen=True)
class EntryScore:
    """One entry's score (None: Tidak dapat dinilai), band and how many of the
    rubric's indicators are valid, invalid or still pending (not validated yet,
    waiting for a revision, validated for another level, or not answered)."""

    submission: Submission
    score: Decimal | None
    band: str
    valid: int
    invalid: int
    pending: int
    rank: int | None = None  # within the entry's category


@dataclass(frozen=True)
class RegionScore:
    """A region's index in one ranking group (a cluster, or a region type when
    the contest has no clusters)."""

    region: Region
    index: Decimal | None
    band: str
    rank: int | None
    group: str  # the cluster's slug, or the region type
    entries: int


@dataclass(frozen=True)
class RankingGroup:
    key: str
    label: str
    regions: list[RegionScore]


@dataclass
class StageIndex:
    stage: Stage
    criteria: list[Criterion]
    entries: list[EntryScore]
    groups: list[RankingGroup]
    clustered: bool
    by_entry: dict[int, EntryScore] = field(default_factory=dict)

    @property
    def regions(self) -> list[RegionScore]:
        return [row for group in self.groups for row in group.regions]

    @property
    def criteria_count(self) -> int:
        return len(self.criteria)

    @property
    def pending(self) -> int:
        return sum(entry.pending for entry in self.entries)

    @property
    def indicators(self) -> int:
        return len(self.criteria) * len(self.entries)

    @property
    def validated(self) -> int:
        return sum(entry.valid + entry.invalid for entry in self.entries)

    def as_results(self) -> computing.StageResults:
        """The index as the rest of results reads a stage's figures: raw and
        normalized score are both the entry's score, ranked within its category
        (advancement, standings, the snapshot)."""
        rows = [
            computing.EntryResult(
                entry_id=e.submission.pk,
                category_id=e.submission.category_id,
                raw_score=e.score,
                median=None,
                normalized_score=e.score,
                spread=None,
                stdev=None,
                sheets=0,
                rank=e.rank,
            )
            for e in self.entries
        ]
        rows.sort(
            key=lambda r: (r.category_id, r.rank is None, r.rank or 0, r.entry_id)
        )
        return computing.StageResults(
            entries=rows,
            sheet_scores={},
            alpha=None,
            alpha_per_criterion={},
            leniency={},
            judge_stats={},
            grand_mean=None,
            grand_stdev=None,
            rank_by=RANK_NORMALIZED,
        )


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return Decimal(0)
    return points if points.is_finite() and points > 0 else Decimal(0)


def indicators_of(criteria: list[Criterion]) -> list[formula.Indicator]:
    """The rubric as the formula reads it: level keys are the levels' positions."""
    return [
        formula.Indicator(
            id=c.pk,
            weight=c.weight,
            levels=tuple(
                formula.Level(
                    key=str(position),
                    points=_points(
                        level.get("points") if isinstance(level, dict) else 0
                    ),
                )
                for position, level in enumerate(c.levels or [])
            ),
        )
        for c in criteria
    ]


def _answers(stage: Stage, entry_ids: list[int], rubric: dict[int, formula.Indicator]):
    """{entry: [formula.Answer]}: a verdict counts for the level it validated
    only; an answer whose level changed since is pending again, and so is one
    whose validator is (or has become) conflicted with the entry."""
    claimed = {
        (s, c): level
        for s, c, level in IndicatorAnswer.objects.filter(
            submission_id__in=entry_ids, criterion_id__in=list(rubric)
        ).values_list("submission_id", "criterion_id", "level")
    }
    conflicted = judging_selectors.stored_conflict_pairs(stage.contest) | set(
        judging_selectors.unrecorded_conflicts(stage.contest)
    )
    verdicts = {
        (s, c): (Verdict.PENDING if (judge, s) in conflicted else verdict, level)
        for s, c, verdict, level, judge in IndicatorValidation.objects.filter(
            stage=stage, submission_id__in=entry_ids
        ).values_list(
            "submission_id", "criterion_id", "verdict", "level", "validated_by_id"
        )
    }
    answers: dict[int, list[formula.Answer]] = defaultdict(list)
    for (entry_id, criterion_id), level in claimed.items():
        if level >= len(rubric[criterion_id].levels):
            continue
        verdict, validated = verdicts.get(
            (entry_id, criterion_id), (Verdict.PENDING, None)
        )
        if validated != level or verdict not in formula.VERDICTS:
            verdict = Verdict.PENDING
        answers[entry_id].append(
            formula.Answer(indicator_id=criterion_id, level=str(level), verdict=verdict)
        )
    return answers


def _entry_score(
    submission: Submission,
    indicators: list[formula.Indicator],
    answers: list[formula.Answer],
    bands: list[tuple[Decimal, str]],
) -> EntryScore:
    try:
        score = formula.entry_index(indicators, answers).score
    except ValueError:  # a rubric with no points at all: nothing to assess
        score = None
    valid = sum(1 for a in answers if a.verdict == Verdict.VALID)
    invalid = sum(1 for a in answers if a.verdict == Verdict.INVALID)
    return EntryScore(
        submission=submission,
        score=score,
        band=band_of(score, bands),
        valid=valid,
        invalid=invalid,
        pending=len(indicators) - valid - invalid,
    )


def _ranked_in_category(entries: list[EntryScore]) -> list[EntryScore]:
    by_category: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for entry in entries:
        by_category[entry.submission.category_id][entry.submission.pk] = entry.score
    ranks = {
        entry_id: rank
        for figures in by_category.values()
        for entry_id, _score, rank in formula.ranking(figures)
    }
    return [
        EntryScore(**{**entry.__dict__, "rank": ranks[entry.submission.pk]})
        for entry in entries
    ]


def stage_index(stage: Stage) -> StageIndex:
    """The stage's live figures, in a fixed number of queries."""
    criteria = list(judging_selectors.criteria_of(stage))
    submissions = list(judging_selectors.stage_entries(stage))
    bands = score_bands(stage.contest)
    indicators = indicators_of(criteria)
    entries: list[EntryScore] = []
    if indicators:
        rubric = {i.id: i for i in indicators}
        answers = _answers(stage, [s.pk for s in submissions], rubric)
        entries = _ranked_in_category(
            [
                _entry_score(s, indicators, answers.get(s.pk, []), bands)
                for s in submissions
            ]
        )
    groups, clustered = _groups(stage, entries, bands)
    return StageIndex(
        stage=stage,
        criteria=criteria,
        entries=entries,
        groups=groups,
        clustered=clustered,
        by_entry={e.submission.pk: e for e in entries},
    )


def _region_indexes(
    stage: Stage, entries: list[EntryScore]
) -> tuple[dict[str, Region], dict[str, Decimal | None], dict[str, int]]:
    regions: dict[str, Region] = {}
    scores: dict[str, list[Decimal | None]] = defaultdict(list)
    for entry in entries:
        region = entry.submission.region
        regions[region.pk] = region
        scores[region.pk].append(entry.score)
    cap = stage.index_cap if stage.index_aggregation == formula.SUM else None
    indexes = {
        code: formula.region_index(
            figures, method=stage.index_aggregation or formula.MEAN, cap=cap
        )
        for code, figures in scores.items()
    }
    return regions, indexes, {code: len(figures) for code, figures in scores.items()}


def _groups(
    stage: Stage, entries: list[EntryScore], bands: list[tuple[Decimal, str]]
) -> tuple[list[RankingGroup], bool]:
    """The ranking per cluster (a region in several clusters is ranked in each;
    one in none is ranked with the others in none), or per region type."""
    regions, indexes, counts = _region_indexes(stage, entries)
    members = cluster_members(stage.contest)
    keyed: list[tuple[str, str, list[str]]] = []
    if members.clusters:
        placed: set[str] = set()
        for cluster in members.clusters:
            codes = [c for c in regions if c in members.codes.get(cluster.pk, ())]
            placed.update(codes)
            keyed.append((cluster.slug, cluster.name, codes))
        rest = [c for c in regions if c not in placed]
        if rest:
            keyed.append(("", "—", rest))
    else:
        for kind in RegionType:
            codes = [c for c in regions if regions[c].type == kind.value]
            keyed.append((kind.value, str(kind.label), codes))
    groups = []
    for key, label, codes in keyed:
        if not codes:
            continue
        rows = [
            RegionScore(
                region=regions[code],
                index=figure,
                band=band_of(figure, bands),
                rank=rank,
                group=key,
                entries=counts[code],
            )
            for code, figure, rank in formula.ranking({c: indexes[c] for c in codes})
        ]
        groups.append(RankingGroup(key=key, label=label, regions=rows))
    return groups, bool(members.clusters)


def index_snapshot(index: StageIndex) -> dict[str, Any]:
    """What an indicator stage adds to its stage (older snapshots, of scoring
    stages only, keep their shape): its kind, each entry's score and band and
    each region's index and rank in its group (a cluster or a region type)."""
    return {
        "kind": StageKind.INDICATOR.value,
        "index_aggregation": index.stage.index_aggregation,
        "index_cap": decimal_text(index.stage.index_cap)
        if index.stage.index_aggregation == IndexAggregation.SUM
        else None,
        "index_entries": [
            {"entry": e.submission.pk, "score": decimal_text(e.score), "band": e.band}
            for e in sorted(index.entries, key=lambda e: e.submission.pk)
        ],
        "index_regions": [
            {
                "region": {"code": r.region.pk, "name": r.region.name},
                "index": decimal_text(r.index),
                "band": r.band,
                "rank": r.rank,
                "group": group.key,
                # A cluster's name, or the region type's code: no translated
                # text in a snapshot (its digest is the same in every language).
                "group_name": group.label if index.clustered else group.key,
            }
            for group in index.groups
            for r in group.regions
        ],
    }
