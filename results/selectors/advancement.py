"""The preview of a stage's advancement: the cut, the ties at it, the quotas."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from contest.clusters import cluster_members
from contest.models import Contest, Region, Stage
from judging import selectors as judging_selectors
from results import computing
from results.computing import standings
from results.selectors.stage import RANK_NORMALIZED, StageComputation, stage_results
from submissions.models import Submission

# ---------------------------------------------------------------- advancement


@dataclass
class AdvancementPreview:
    """Who would advance from a stage: the cut in each category and the ties at it
    (`ties` as the page and the API show them)."""

    places: int
    quotas: dict[str, int]
    cut: standings.Cut
    entries: list[Submission]
    by_entry: dict[int, computing.EntryResult]
    ties: list[dict[str, Any]]
    ranked_by: str = RANK_NORMALIZED

    @property
    def submissions(self) -> dict[int, Submission]:
        return {s.pk: s for s in self.entries}


def advancement_preview(
    stage: Stage,
    *,
    computation: StageComputation | None = None,
    quotas: dict[str, int] | None = None,
    ranked_by: str | None = None,
) -> AdvancementPreview:
    """The cut of each category by the stage's ranks (by the normalized score, or
    by the raw one): its advance_per_category best entries, or the quotas per
    region type (see results/computing/standings.py)."""
    computation = computation or stage_results(stage, ranked_by=ranked_by)
    by_entry = computation.by_entry
    entries = list(judging_selectors.stage_entries(stage))
    group_of = quota_groups(stage.contest, quotas)
    places = sum(quotas.values()) if quotas else stage.advance_per_category or 0
    cut = standings.advancement_cut(
        [
            standings.Ranked(
                entry_id=s.pk,
                category_id=s.category_id,
                rank=by_entry[s.pk].rank if s.pk in by_entry else None,
                region_type=s.region.type,
                group=group_of(s.region) if group_of else None,
            )
            for s in entries
        ],
        places=places,
        quotas=quotas or None,
    )
    ties = _ties(cut, {s.pk: s for s in entries}, by_entry)
    return AdvancementPreview(
        places=places,
        quotas=dict(quotas or {}),
        cut=cut,
        entries=entries,
        by_entry=by_entry,
        ties=ties,
        ranked_by=computation.ranked_by,
    )


def quota_codes(
    contest: Contest, keys: Iterable[str]
) -> dict[str, frozenset[str]] | None:
    """The region codes of each quota key (a cluster's slug, or a region type),
    or None when no key is a cluster (the quotas are by region type)."""
    members = cluster_members(contest)
    if not any(members.by_slug(key) for key in keys):
        return None
    by_type: dict[str, set[str]] = {}
    codes: dict[str, frozenset[str]] = {}
    for key in keys:
        cluster = members.by_slug(key)
        if cluster is not None:
            codes[key] = members.codes.get(cluster.pk, frozenset())
            continue
        if not by_type:
            for code, kind in Region.objects.values_list("code", "type"):
                by_type.setdefault(kind, set()).add(code)
        codes[key] = frozenset(by_type.get(key, ()))
    return codes


def quota_groups(
    contest: Contest, quotas: dict[str, int] | None
) -> Callable[[Region], str] | None:
    """Each entry's quota group by its region (its cluster among the quotas' keys,
    "" for none), or None when the quotas are by region type only."""
    codes = quota_codes(contest, quotas) if quotas else None
    if codes is None:
        return None

    def group_of(region: Region) -> str:
        return next((k for k, held in codes.items() if region.code in held), "")

    return group_of


def _ties(
    cut: standings.Cut,
    submissions: dict[int, Submission],
    by_entry: dict[int, computing.EntryResult],
) -> list[dict[str, Any]]:
    """The ties at the cut as the page and the API show them."""
    return [
        {
            "category": tie.category_id,
            "category_name": submissions[tie.entry_ids[0]].category.name,
            "region_type": tie.region_type,
            "rank": tie.rank,
            "places": tie.places,
            "entries": [
                _tied_entry(submissions[entry_id], by_entry[entry_id])
                for entry_id in tie.entry_ids
            ],
        }
        for tie in cut.ties
    ]


def _tied_entry(
    submission: Submission, result: computing.EntryResult
) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "title": submission.title,
        "region": submission.region.name,
        "normalized_score": standings.decimal_text(result.normalized_score),
        "raw_score": standings.decimal_text(result.raw_score),
        "median": standings.decimal_text(result.median),
        "sheets": result.sheets,
    }
