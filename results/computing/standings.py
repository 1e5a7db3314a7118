"""Standings built on a stage's results: who advances (the cut, ties at the cut,
quotas per region type), the final ranking across stages and the regional ranking.

A pure module, like the rest of results/computing: plain data in and out, no Django, no
database. Scores are two-place Decimals; nothing here is a float.

Advancement
-----------
In each category the entries are taken in rank order (results.computing ranks them
by normalized score, raw score, median, number of sheets); the best ``places``
advance. Entries that share a rank (``tie_unresolved``) are one group: a group that
fits entirely above the cut advances, one that lies entirely below it does not, and
a group that straddles the cut is a *tie at the cut*: the organizer chooses which of
its entries take the places left (never the id, the name or the order of input).
An entry without a rank (no complete sheet) never advances.

With quotas per region type ({"provinsi": 1, "kota": 2}), each category's places are
split by the type of the entry's region: the best ``quota[type]`` entries of each
type advance (by the same category ranks, ties at each type's cut decided as above);
a type without a quota gets no place. The places per category are then the sum of
the quotas.

Final ranking
-------------
Within each category, by the final score (results.computing.final_score over the
stages that were scored); equal final scores share a rank (1, 2, 2, 4) and are marked
``tie_unresolved``: the organizer decides when awarding. No final score, no rank.

Regional ranking
----------------
The "innovative regional head" award compares regions of one type (provinsi,
kabupaten, kota) on their portfolio: a region's score is the **sum, over the
categories it entered, of its best entry's final score in that category** (so two
good innovations in two fields count more than one, and a second entry in the same
field adds nothing). Regions are ranked by that sum, then by their single best final
score, then by the number of categories counted; regions still equal share a rank
and are marked ``tie_unresolved``. Entries without a final score do not count; a
region with none is not ranked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def decimal_text(value: Decimal | None, places: int = 2) -> str | None:
    """A Decimal as text with ``places`` places (half up), or None: never a float."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        raise TypeError(f"expected a Decimal, not {value!r}")
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def alpha_text(alpha: float | None) -> str | None:
    """Krippendorff's alpha (a float from results.computing) as three-place text."""
    if alpha is None:
        return None
    return decimal_text(Decimal(repr(alpha)), 3)


def alpha_level(alpha: float | None, *, good: Decimal, tentative: Decimal) -> str:
    """ "good" (alpha >= good), "tentative" (>= tentative), "weak" or "undefined",
    comparing the three-place figure shown."""
    text = alpha_text(alpha)
    if text is None:
        return "undefined"
    value = Decimal(text)
    if value >= good:
        return "good"
    if value >= tentative:
        return "tentative"
    return "weak"


# Advancement -----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Ranked:
    """An entry of a stage with its rank within its category (None: unranked)."""

    entry_id: int
    category_id: int
    rank: int | None
    region_type: str = ""
    # The quota group the caller computed (a cluster's slug); None: by region type.
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TieAtCut:
    """Tied entries that straddle a cut: ``places`` of them advance."""

    category_id: int
    region_type: str
    rank: int
    places: int
    entry_ids: tuple[int, ...]


@dataclass(slots=True, kw_only=True)
class Cut:
    advanced: list[int] = field(default_factory=list)
    not_advanced: list[int] = field(default_factory=list)
    ties: list[TieAtCut] = field(default_factory=list)


def _cut_group(
    members: Sequence[Ranked],
    places: int,
    *,
    category_id: int,
    region_type: str,
    cut: Cut,
) -> None:
    by_rank: dict[int, list[int]] = defaultdict(list)
    for member in members:
        if member.rank is None:
            cut.not_advanced.append(member.entry_id)
        else:
            by_rank[member.rank].append(member.entry_id)
    taken = 0
    for rank in sorted(by_rank):
        group = sorted(by_rank[rank])
        left = places - taken
        if left <= 0:
            cut.not_advanced.extend(group)
        elif len(group) <= left:
            cut.advanced.extend(group)
        else:
            cut.ties.append(
                TieAtCut(
                    category_id=category_id,
                    region_type=region_type,
                    rank=rank,
                    places=left,
                    entry_ids=tuple(group),
                )
            )
        taken += len(group)


def advancement_cut(
    entries: Iterable[Ranked],
    *,
    places: int,
    quotas: Mapping[str, int] | None = None,
) -> Cut:
    """Who advances in each category, and the ties at the cuts still to decide
    (their entries are in neither list)."""
    if places < 0:
        raise ValueError("places must not be negative")
    if quotas and any(value < 0 for value in quotas.values()):
        raise ValueError("quotas must not be negative")
    by_category: dict[int, list[Ranked]] = defaultdict(list)
    for entry in entries:
        by_category[entry.category_id].append(entry)
    cut = Cut()
    for category_id in sorted(by_category):
        members = by_category[category_id]
        if not quotas:
            _cut_group(
                members, places, category_id=category_id, region_type="", cut=cut
            )
            continue
        by_type: dict[str, list[Ranked]] = defaultdict(list)
        for member in members:
            key = member.region_type if member.group is None else member.group
            by_type[key].append(member)
        for region_type in sorted(by_type):
            _cut_group(
                by_type[region_type],
                quotas.get(region_type, 0),
                category_id=category_id,
                region_type=region_type,
                cut=cut,
            )
    return cut


def settle_ties(cut: Cut, chosen: Iterable[int]) -> tuple[list[int], list[int]]:
    """``(advanced, not_advanced)`` once the organizer has chosen, for every tie at
    a cut, exactly ``places`` of its entries. Raises ``ValueError`` naming the tie
    that is not settled, or an entry chosen outside every tie."""
    chosen_set = set(chosen)
    tied = {entry_id for tie in cut.ties for entry_id in tie.entry_ids}
    stray = sorted(chosen_set - tied)
    if stray:
        raise ValueError(f"entries {stray} are not tied at a cut")
    advanced = list(cut.advanced)
    not_advanced = list(cut.not_advanced)
    for tie in cut.ties:
        picked = [entry_id for entry_id in tie.entry_ids if entry_id in chosen_set]
        if len(picked) != tie.places:
            raise ValueError(
                f"choose {tie.places} of the tied entries {list(tie.entry_ids)}"
            )
        advanced.extend(picked)
        not_advanced.extend(e for e in tie.entry_ids if e not in chosen_set)
    return sorted(advanced), sorted(not_advanced)


# Ranking ---------------------------------------------------------------------


def competition_ranks(
    keys: Mapping[Hashable, tuple | None],
) -> dict[Hashable, tuple[int | None, bool]]:
    """``(rank, tie_unresolved)`` of each item, the highest key first (1, 2, 2, 4);
    an item whose key is None has no rank."""
    scored = [(item, key) for item, key in keys.items() if key is not None]
    scored.sort(key=lambda pair: pair[1], reverse=True)
    sizes = Counter(key for _, key in scored)
    ranks: dict[Hashable, tuple[int | None, bool]] = {}
    rank, previous = 0, None
    for position, (item, key) in enumerate(scored, start=1):
        if key != previous:
            rank, previous = position, key
        ranks[item] = (rank, sizes[key] > 1)
    for item, key in keys.items():
        if key is None:
            ranks[item] = (None, False)
    return ranks


def final_ranks(
    entries: Iterable[tuple[int, int, Decimal | None]],
) -> dict[int, tuple[int | None, bool]]:
    """``(rank, tie_unresolved)`` of each ``(entry_id, category_id, final_score)``
    within its category, by final score."""
    by_category: dict[int, dict[int, tuple | None]] = defaultdict(dict)
    for entry_id, category_id, score in entries:
        by_category[category_id][entry_id] = None if score is None else (score,)
    out: dict[int, tuple[int | None, bool]] = {}
    for keys in by_category.values():
        out.update(competition_ranks(keys))
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionStanding:
    region: str
    region_type: str
    score: Decimal
    best: Decimal
    categories: int
    rank: int
    tie_unresolved: bool


def regional_ranking(
    entries: Iterable[tuple[str, str, int, Decimal | None]],
) -> dict[str, list[RegionStanding]]:
    """Each region type's ranking from ``(region, region_type, category_id,
    final_score)`` per entry, by the rule of the module docstring; each list is
    ordered by rank, then region code."""
    best: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    for region, region_type, category_id, score in entries:
        if score is None:
            continue
        per_category = best[(region, region_type)]
        if category_id not in per_category or score > per_category[category_id]:
            per_category[category_id] = score
    by_type: dict[str, dict[str, tuple[Decimal, Decimal, int]]] = defaultdict(dict)
    for (region, region_type), per_category in best.items():
        scores = per_category.values()
        by_type[region_type][region] = (sum(scores), max(scores), len(per_category))
    out: dict[str, list[RegionStanding]] = {}
    for region_type in sorted(by_type):
        keys = by_type[region_type]
        ranks = competition_ranks(keys)
        rows = [
            RegionStanding(
                region=region,
                region_type=region_type,
                score=key[0],
                best=key[1],
                categories=key[2],
                rank=ranks[region][0],
                tie_unresolved=ranks[region][1],
            )
            for region, key in keys.items()
        ]
        rows.sort(key=lambda row: (row.rank, row.region))
        out[region_type] = rows
    return out


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The median of Decimals, rounded half up to two places; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        value = ordered[middle]
    else:
        value = (ordered[middle - 1] + ordered[middle]) / 2
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The mean of Decimals, rounded half up to two places; None when empty."""
    if not values:
        return None
    return (sum(values) / len(values)).quantize(_CENT, rounding=ROUND_HALF_UP)
