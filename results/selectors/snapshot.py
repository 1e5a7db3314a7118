"""The snapshot a publication freezes, and the public view of it."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from common.kept import KeptInProcess
from contest.enums import StageKind
from contest.ledger import canonical_json
from contest.models import Category, Contest
from results import computing
from results.computing import standings
from results.enums import (
    AwardKind,
    ObjectionOutcome,
)
from results.models import (
    Award,
    Objection,
    Publication,
)
from results.selectors.answers import answers_of, public_answers
from results.selectors.index import index_snapshot
from results.selectors.publication import current_publication
from results.selectors.regional import regional_clusters_snapshot
from results.selectors.standings import (
    EntryStanding,
    RegionRow,
    StageStanding,
    contest_standings,
)

SNAPSHOT_FORMAT = "inovasi-award.results/1"


# ---------------------------------------------------------------- the snapshot


def _local_iso(contest: Contest, value) -> str:
    return timezone.localtime(value, contest.tzinfo).isoformat()


def _text(value: Decimal | None) -> str | None:
    return standings.decimal_text(value)


# What the figures mean, written into every snapshot.
SNAPSHOT_RULES = {
    "stage_score": (
        "normalized score (judges' leniency removed, shrunk toward the raw "
        "score where the sheets give little evidence), 0-100; the raw score "
        "where a stage's ranked_by is raw"
    ),
    "final_score": (
        "weighted mean of the stage scores of the stages that were "
        "scored; no final score when an entry lacks one of them"
    ),
    "ranking": (
        "within each category by final score; equal final scores share a "
        "rank (tie_unresolved: the organizers decide)"
    ),
    "band": (
        "label of the highest band reached by the final score, else by the "
        "last stage's normalized score; none: not assessable"
    ),
    "regional_ranking": (
        "per region type, the sum over categories of the region's best "
        "final score, then the best single final score, then the number "
        "of categories"
    ),
}


def build_snapshot(
    contest: Contest, *, kind: str, published_at, objections_close=None
) -> dict[str, Any]:
    """The JSON document a publication freezes. Scores are decimal strings with two
    places and alpha a three-place string: no float anywhere, so its canonical JSON
    (contest.ledger.canonical_json) is the same on every machine."""
    board = contest_standings(contest)
    categories = {c.pk: c for c in board.categories}
    awards_of_entry: dict[int, list[str]] = defaultdict(list)
    for award in board.awards:
        if award.submission_id:
            awards_of_entry[award.submission_id].append(award.name)
    answers = public_answers(contest)
    objection_rows = list(
        Objection.objects.filter(publication__contest=contest)
        .select_related("submission")
        .order_by("filed_at", "pk")
    )
    return {
        "format": SNAPSHOT_FORMAT,
        "kind": kind,
        "published_at": _local_iso(contest, published_at),
        "objections_close": None
        if objections_close is None
        else _local_iso(contest, objections_close),
        "contest": _contest_snapshot(contest),
        "rules": dict(SNAPSHOT_RULES),
        "bands": [
            {"label": label, "from": _text(threshold)}
            for threshold, label in board.bands
        ],
        "not_assessable": computing.NOT_ASSESSABLE,
        "categories": [
            {"id": c.pk, "slug": c.slug, "name": c.name} for c in board.categories
        ],
        "stages": [
            _stage_snapshot(row) for row in board.stages if row.computation.criteria
        ],
        "entries": [
            _entry_snapshot(
                e,
                category=categories[e.submission.category_id].slug,
                awards=sorted(awards_of_entry.get(e.submission.pk, [])),
            )
            | answers_of(answers, e.submission.pk)
            for e in board.entries
        ],
        "awards": [
            _award_snapshot(award, categories)
            for award in sorted(board.awards, key=_award_order(categories))
        ],
        "regional_ranking": [
            _regional_snapshot(region_type, row)
            for region_type, rows in board.regional.items()
            for row in rows
        ],
        "objections": _objections_snapshot(objection_rows),
        **regional_clusters_snapshot(contest, board, _regional_snapshot),
    }


def _contest_snapshot(contest: Contest) -> dict[str, Any]:
    return {
        "slug": contest.slug,
        "name": contest.name,
        "host_region": {
            "code": contest.host_region_id,
            "name": contest.host_region.name,
        },
        "timezone": contest.timezone,
    }


def _entry_snapshot(
    entry: EntryStanding, *, category: str, awards: list[str]
) -> dict[str, Any]:
    submission = entry.submission
    return {
        "id": submission.pk,
        "title": submission.title,
        "summary": submission.summary,
        "agency": submission.agency,
        "category": category,
        "region": {
            "code": submission.region_id,
            "name": submission.region.name,
            "type": submission.region.type,
        },
        "stages": [
            {
                "stage": stage_id,
                "raw_score": _text(result.raw_score),
                "median": _text(result.median),
                "normalized_score": _text(result.normalized_score),
                "spread": _text(result.spread),
                "sheets": result.sheets,
                "rank": result.rank,
                "tie_unresolved": result.tie_unresolved,
            }
            for stage_id, result in sorted(entry.per_stage.items())
        ],
        "final_score": _text(entry.final_score),
        "final_rank": entry.final_rank,
        "tie_unresolved": entry.tie_unresolved,
        "band": entry.band,
        "awards": awards,
        "photo": entry.photo,
    }


def _award_snapshot(award: Award, categories: dict[int, Category]) -> dict[str, Any]:
    """The award's row; `cluster` only for an award within a cluster, so that
    the snapshots of awards without one keep their shape."""
    out = _award_fields(award, categories)
    if award.cluster_id is not None:
        out["cluster"] = {"slug": award.cluster.slug, "name": award.cluster.name}
    return out


def _award_fields(award: Award, categories: dict[int, Category]) -> dict[str, Any]:
    return {
        "id": award.pk,
        "name": award.name,
        "kind": award.kind,
        "category": None
        if award.category_id is None
        else categories[award.category_id].slug,
        "rank": award.rank,
        "entry": award.submission_id,
        "region": None
        if award.region_id is None
        else {
            "code": award.region_id,
            "name": award.region.name,
            "type": award.region.type,
        },
    }


def _regional_snapshot(region_type: str, row: RegionRow) -> dict[str, Any]:
    return {
        "region_type": region_type,
        "rank": row.standing.rank,
        "tie_unresolved": row.standing.tie_unresolved,
        "region": {"code": row.region.pk, "name": row.region.name},
        "score": _text(row.standing.score),
        "best": _text(row.standing.best),
        "categories": row.standing.categories,
    }


def _objections_snapshot(objection_rows: list[Objection]) -> dict[str, Any]:
    """How many objections were filed and how each was answered, without who
    filed them."""
    outcomes = [objection.outcome for objection in objection_rows]
    return {
        "filed": len(outcomes),
        "upheld": outcomes.count(ObjectionOutcome.UPHELD),
        "dismissed": outcomes.count(ObjectionOutcome.DISMISSED),
        "pending": outcomes.count(ObjectionOutcome.PENDING),
        "items": [
            {
                "id": objection.pk,
                "entry": objection.submission_id,
                "entry_title": objection.submission.title,
                "gist": objection_gist(objection.text),
                "outcome": objection.outcome,
                "answer": objection.answer,
            }
            for objection in objection_rows
        ],
    }


OBJECTION_GIST_CHARS = 280


def objection_gist(text: str) -> str:
    """What an objection is about, as the publication lists it: its first
    OBJECTION_GIST_CHARS characters (whole words), without who filed it."""
    text = " ".join(text.split())
    if len(text) <= OBJECTION_GIST_CHARS:
        return text
    cut = text[:OBJECTION_GIST_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def _award_order(categories: dict[int, Category]):
    kinds = [AwardKind.PLACE, AwardKind.SPECIAL, AwardKind.REGIONAL]

    def key(award: Award) -> tuple:
        category = categories.get(award.category_id)
        return (
            kinds.index(award.kind) if award.kind in kinds else len(kinds),
            category.order if category else -1,
            award.category_id or 0,
            award.rank if award.rank is not None else 10_000,
            award.name,
            award.pk,
        )

    return key


def _stage_snapshot(row: StageStanding) -> dict[str, Any]:
    snapshot = _scored_stage_snapshot(row)
    index = row.computation.index
    if row.stage.is_indicator and index is not None:
        snapshot.update(index_snapshot(index))
    return snapshot


def _scored_stage_snapshot(row: StageStanding) -> dict[str, Any]:
    computation = row.computation
    computed = computation.results
    complete = [s for s in computation.sheets if s.score is not None]
    return {
        "id": row.stage.pk,
        "order": row.stage.order,
        "name": row.stage.name,
        "weight": _text(row.weight),
        "ranked_by": computation.ranked_by,
        "scored": row.scored,
        "entries": 0
        if computed is None
        else sum(1 for e in computed.entries if e.raw_score is not None),
        "sheets": len(complete),
        "alpha": None if computed is None else standings.alpha_text(computed.alpha),
        "criteria": [
            {
                "id": criterion.pk,
                "name": criterion.name,
                "weight": _text(criterion.weight),
                "alpha": None
                if computed is None
                else standings.alpha_text(
                    computed.alpha_per_criterion.get(criterion.pk)
                ),
            }
            for criterion in computation.criteria
        ],
    }


# ---------------------------------------------------------------- reading a snapshot


@dataclass
class SnapshotView:
    """A published snapshot arranged for the public pages (no database reads)."""

    publication: Publication
    snapshot: dict[str, Any]
    _entries: dict[int, dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def entries(self) -> dict[int, dict[str, Any]]:
        if self._entries is None:
            self._entries = {
                entry["id"]: entry for entry in self.snapshot.get("entries", [])
            }
        return self._entries

    @property
    def categories(self) -> list[dict[str, Any]]:
        return self.snapshot.get("categories", [])

    def index_stages(self) -> list[dict[str, Any]]:
        """The indicator stages, each with its entries' titles beside their
        scores and bands (an older snapshot has none)."""
        return [
            {
                **stage,
                "entry_rows": [
                    {
                        **row,
                        "title": self.entries.get(row["entry"], {}).get("title", ""),
                        "region": self.entries.get(row["entry"], {})
                        .get("region", {})
                        .get("name", ""),
                    }
                    for row in stage.get("index_entries", [])
                ],
            }
            for stage in self.snapshot.get("stages", [])
            if stage.get("kind") == StageKind.INDICATOR.value
        ]

    def winners(self) -> list[dict[str, Any]]:
        """Each category with its place awards (best first) and their entries."""
        entries = self.entries
        by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for award in self.snapshot.get("awards", []):
            if award["kind"] != AwardKind.PLACE or award["entry"] is None:
                continue
            by_category[award["category"]].append(
                {"award": award, "entry": entries.get(award["entry"])}
            )
        return [
            {"category": category, "winners": by_category[category["slug"]]}
            for category in self.categories
            if by_category.get(category["slug"])
        ]

    def other_awards(self) -> list[dict[str, Any]]:
        entries = self.entries
        return [
            {"award": award, "entry": entries.get(award["entry"])}
            for award in self.snapshot.get("awards", [])
            if award["kind"] != AwardKind.PLACE or award["entry"] is None
        ]

    def regional(self) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.snapshot.get("regional_ranking", []):
            groups[row["region_type"]].append(row)
        return [{"region_type": key, "rows": rows} for key, rows in groups.items()]

    def regional_clusters(self) -> list[dict[str, Any]] | None:
        """The ranking per cluster, for a contest that had clusters (else None)."""
        return self.snapshot.get("regional_clusters")

    def category_name(self, slug: str) -> str:
        for category in self.categories:
            if category["slug"] == slug:
                return category["name"]
        return slug

    def search(
        self, *, text: str = "", category: str = "", region_type: str = ""
    ) -> list[dict[str, Any]]:
        """Entries whose title, region or agency contain `text` (case-insensitive),
        in `category` (a slug) and of `region_type`; best final score first."""
        needle = text.strip().casefold()
        found = []
        for entry in self.snapshot.get("entries", []):
            if category and entry["category"] != category:
                continue
            if region_type and entry["region"]["type"] != region_type:
                continue
            if needle:
                haystack = " ".join(
                    [entry["title"], entry["region"]["name"], entry.get("agency", "")]
                ).casefold()
                if needle not in haystack:
                    continue
            found.append(entry)
        return found


@dataclass(frozen=True)
class PublishedSnapshot:
    """What a publication's public pages and API read, prepared once: the parsed
    snapshot with its entries by id, and its canonical JSON (the bytes its
    digest is taken of). A publication never changes, so it is kept."""

    snapshot: dict[str, Any]
    entries: dict[int, dict[str, Any]]
    canonical: bytes


_kept: KeptInProcess[PublishedSnapshot] = KeptInProcess(8)


def _kept_key(publication: Publication) -> tuple:
    return (publication.pk, publication.digest, publication.published_at)


def remember_snapshot(publication: Publication) -> PublishedSnapshot:
    """Prepare the publication's snapshot and keep it in this process (the few
    newest publications read); publish_contest calls it, so the first public
    request finds it ready. One query when the row was read without its
    snapshot. The snapshot kept is its canonical JSON read back, as the
    database would answer it."""
    canonical = canonical_json(publication.snapshot)
    snapshot = json.loads(canonical)
    prepared = PublishedSnapshot(
        snapshot=snapshot,
        entries={entry["id"]: entry for entry in snapshot.get("entries", [])},
        canonical=canonical,
    )
    return _kept.put(_kept_key(publication), prepared)


def published_snapshot(publication: Publication) -> PublishedSnapshot:
    """The publication's prepared snapshot: kept, or prepared now (one query when
    the row was read without its snapshot)."""
    kept = _kept.get(_kept_key(publication))
    if kept is not None:
        return kept
    return remember_snapshot(publication)


def public_results(contest: Contest) -> SnapshotView | None:
    """The current publication as the public pages read it: one query for the
    row without its snapshot, the snapshot itself prepared once per process."""
    publication = current_publication(contest, with_snapshot=False)
    if publication is None:
        return None
    prepared = published_snapshot(publication)
    return SnapshotView(
        publication=publication,
        snapshot=prepared.snapshot,
        _entries=prepared.entries,
    )
