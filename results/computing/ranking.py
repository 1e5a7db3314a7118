"""Ranks within a category: competition ranking ("1, 2, 2, 4") by the chain
normalized score, raw mean, median, number of sheets (raw first when a stage ranks
by raw scores); a tie left after the whole chain is marked unresolved. Pure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypeAlias

from judging.scoring import CategoryId, EntryId

if TYPE_CHECKING:
    from results.computing.aggregation import EntryResult

RankBy: TypeAlias = Literal["normalized", "raw"]
RANK_NORMALIZED: RankBy = "normalized"
RANK_RAW: RankBy = "raw"
RANK_BASES = (RANK_NORMALIZED, RANK_RAW)

_RankKey: TypeAlias = tuple[Decimal | int, ...]


def _rank_key(
    rank_by: RankBy, normalized: Decimal, raw: Decimal, median: Decimal, sheets: int
) -> _RankKey:
    if rank_by == RANK_RAW:
        return (raw, median, sheets)
    return (normalized, raw, median, sheets)


def _competition_ranks(
    keys: Mapping[EntryId, tuple[CategoryId, _RankKey | None]],
) -> dict[EntryId, tuple[int | None, bool]]:
    """``(rank, tie_unresolved)`` of each entry within its category, from its rank
    key (normalized, raw, median, sheets) or ``None`` when it has no score;
    ordered by category id, then rank (unranked last), then entry id."""
    by_category: dict[CategoryId, list[tuple[EntryId, _RankKey | None]]]
    by_category = defaultdict(list)
    for entry_id, (category_id, key) in keys.items():
        by_category[category_id].append((entry_id, key))

    ranks: dict[EntryId, tuple[int | None, bool]] = {}
    for category_id in sorted(by_category):
        members = sorted(by_category[category_id])
        scored = [(entry_id, key) for entry_id, key in members if key is not None]
        scored.sort(key=lambda member: member[1], reverse=True)
        sizes = Counter(key for _, key in scored)
        rank, previous = 0, None
        for position, (entry_id, key) in enumerate(scored, start=1):
            if key != previous:
                rank, previous = position, key
            ranks[entry_id] = (rank, sizes[key] > 1)
        for entry_id, key in members:
            if key is None:
                ranks[entry_id] = (None, False)
    return ranks


def rank_entries(
    entries: Iterable[EntryResult], *, rank_by: RankBy = RANK_NORMALIZED
) -> list[EntryResult]:
    """The entries with ``rank`` and ``tie_unresolved`` set within each category,
    by the chain of the module docstring; ordered by category id, then rank
    (unranked last), then entry id."""
    if rank_by not in RANK_BASES:
        raise ValueError(f"unknown ranking basis {rank_by!r}")
    by_id: dict[EntryId, EntryResult] = {}
    for entry in entries:
        if by_id.setdefault(entry.entry_id, entry) is not entry:
            raise ValueError(f"entry {entry.entry_id} is given twice")
    keys: dict[EntryId, tuple[CategoryId, _RankKey | None]] = {}
    for entry_id, entry in by_id.items():
        scores = (entry.normalized_score, entry.raw_score, entry.median)
        if scores[0] is None:
            keys[entry_id] = (entry.category_id, None)
        elif None in scores:
            raise ValueError(f"entry {entry_id} has a score but no raw or median")
        else:
            keys[entry_id] = (
                entry.category_id,
                _rank_key(rank_by, *scores, entry.sheets),  # type: ignore[arg-type]
            )
    return [
        replace(by_id[entry_id], rank=rank, tie_unresolved=tie_unresolved)
        for entry_id, (rank, tie_unresolved) in _competition_ranks(keys).items()
    ]
