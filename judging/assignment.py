"""Assign judges to the entries of a scoring stage.

A pure module: plain data in, plain data out, no ORM. The services turn a stage's
entries, the judges of its panels, the conflicts of interest (declared, or derived
from the judges' and entries' home regions) and the assignments already made into
the dataclasses below, call :func:`solve_assignment` and save the pairs it returns.

Rules
-----
- A judge may sit on an entry only if the entry's category is one of the judge's
  ``panels``. A judge whose ``panels`` is empty sits on every category's panel.
- A pair in ``conflicts`` is never proposed.
- A pair in ``existing`` (already assigned, e.g. it has a sheet) is kept as it is,
  even if it is also in ``conflicts`` (removing it is the caller's decision):
  it counts toward the entry's k and toward the judge's load, and it is never
  proposed again. An existing pair whose judge is not among ``judges`` still counts
  toward its entry; one whose entry is not among ``entries`` still counts toward
  its judge's load.
- ``max_load`` (optional) caps a judge's total load; judges already above it get
  nothing new.

Objectives, in this order:

1. as many judges as possible (every entry gets its k whenever that is possible);
2. the smallest maximum load, then the largest minimum load (loads include the
   existing pairs), over every judge given;
3. the most expertise matches (the judge's expertise holds the entry's category);
4. the smallest sum of squared loads. The bounds of 2 are taken over every judge
   at once, so with separate panels they leave each panel free to be uneven
   inside them (one panel's judge at 2 fixes the stage's maximum, another panel
   could then give 0, 0, 2 where 1, 1, 0 was possible). Squared loads forbid
   that: if a unit of load could move from a judge at ``l + 2`` or more to one
   at ``l`` who may take that entry (same expertise match, so 3 is kept), the sum
   would drop, so at the optimum no such move exists and each panel is as even
   as its judges, conflicts and experts allow.

Method
------
A flow network: source -> entry (capacity: k minus the judges the entry already
has) -> judge (capacity 1, one arc per allowed pair) -> sink (capacity: the room
left under the load bound).

1. ``F``, the largest number of judges that can be placed, is the maximum flow with
   the judges bounded only by ``max_load`` (``scipy.sparse.csgraph.maximum_flow``).
2. ``L``, the smallest maximum load, is found by binary search: the least ``L`` for
   which the maximum flow with judge capacities ``L - existing load`` still reaches
   ``F``.
3. ``l``, the largest minimum load, is found by binary search too: the largest ``l``
   for which a flow of value ``F`` exists with every judge's load in ``[l, L]``.
   The lower bounds are removed by the standard transformation: each judge sends
   its lower bound straight to a new sink and the rest through the old sink, whose
   arc to the new sink carries ``F`` minus the lower bounds; a flow of value ``F``
   then exists iff the bounded one does.
4. Among those flows, one with the most expertise matches, then the smallest sum
   of squared loads, is a min-cost flow, solved as a linear programme by HiGHS
   (``scipy.optimize.linprog``). A judge's load above ``b`` (its existing load
   plus its lower bound) is split into unit arcs to the sink, unit ``t = 0, 1, …``
   costing ``2 (b + t) + 1``, the growth of the square: the costs rise, so the
   cheapest units fill first and the units' cost is the sum of squared loads up
   to a constant.
   A non-expert arc costs more than all units together, so the squares only
   break ties between flows with the most experts. The constraint matrix is a
   network matrix (the units are judge -> sink arcs, so it stays totally
   unimodular) and every bound is an integer, so every basic optimal
   solution is integral. The interior-point method with crossover (which ends on
   such a basic solution) is tried first because it is fast on these degenerate
   LPs; if it fails or its answer is not integral, dual simplex is used instead.
   The answer is rounded and every constraint checked again; :class:`AssignmentError`
   is raised if anything is off.

When ``F`` falls short of what the entries need, the flow is still maximal and each
entry left short is reported as a :class:`Shortfall`: ``panel_too_small`` when fewer
judges than it needs could sit on it at all, ``capacity`` when enough could but the
load cap leaves them no room (so ``capacity`` only happens with ``max_load``).

Inputs are sorted by id first, so the same input always gives the same output.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np

from judging.assignment_flow import (
    Network,
    bounded_flow_exists,
    max_flow_value,
    min_cost_flow,
)

JudgeId: TypeAlias = int
EntryId: TypeAlias = int
CategoryId: TypeAlias = int
Pair: TypeAlias = tuple[JudgeId, EntryId]
ShortfallReason: TypeAlias = Literal["panel_too_small", "capacity"]

PANEL_TOO_SMALL: ShortfallReason = "panel_too_small"
CAPACITY: ShortfallReason = "capacity"


@dataclass(frozen=True, slots=True)
class Entry:
    id: EntryId
    category: CategoryId


@dataclass(frozen=True, slots=True)
class Judge:
    """A judge; empty ``panels`` means the judge sits on every category's panel."""

    id: JudgeId
    panels: frozenset[CategoryId] = frozenset()
    expertise: frozenset[CategoryId] = frozenset()

    def sits_on(self, category: CategoryId) -> bool:
        return not self.panels or category in self.panels

    def is_expert_in(self, category: CategoryId) -> bool:
        return category in self.expertise


@dataclass(frozen=True, slots=True)
class Shortfall:
    """An entry left with fewer judges than it needs.

    ``eligible`` counts the judges who could sit on the entry at all (on its panel
    and not conflicted, or already assigned to it).
    """

    entry_id: EntryId
    needed: int
    assigned: int
    reason: ShortfallReason
    eligible: int


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """The new pairs (existing ones are not repeated), the load of every judge
    (existing pairs included), the entries left short, and how many of the new
    pairs match the judge's expertise."""

    pairs: list[Pair]
    loads: dict[JudgeId, int]
    shortfalls: list[Shortfall]
    expertise_matched: int


def solve_assignment(
    *,
    entries: Iterable[Entry],
    judges: Iterable[Judge],
    k: int | Mapping[EntryId, int],
    conflicts: Collection[Pair] = frozenset(),
    existing: Collection[Pair] = frozenset(),
    max_load: int | None = None,
) -> AssignmentResult:
    """Give each entry ``k`` judges (or ``k[entry.id]``), see the module docstring."""
    network = _build_network(
        entries=entries,
        judges=judges,
        k=k,
        conflicts=conflicts,
        existing=existing,
        max_load=max_load,
    )
    if not network.judges or not len(network.arc_entry):
        return _result(network, chosen=np.zeros(0, dtype=bool))

    target = max_flow_value(network, upper=network.room)
    if target == 0:
        return _result(network, chosen=np.zeros(len(network.arc_entry), dtype=bool))

    top = _least_max_load(network, target=target)
    upper = _room_under(network, top)
    bottom = _greatest_min_load(network, target=target, top=top, upper=upper)
    lower = np.minimum(np.maximum(bottom - network.base_load, 0), upper)
    chosen = min_cost_flow(network, lower=lower, upper=upper, value=target)
    return _result(network, chosen=chosen)


def pick_extra_judge(
    *,
    entry: Entry,
    judges: Iterable[Judge],
    conflicts: Collection[Pair],
    current_assignments: Collection[Pair],
    loads: Mapping[JudgeId, int],
) -> JudgeId | None:
    """The least-loaded judge who can join ``entry``, or None if nobody fits.

    Fits: on the entry's panel, not conflicted, not already on the entry. Ties go
    to an expert in the entry's category, then to the smallest id.
    """
    fitting = [
        judge
        for judge in judges
        if judge.sits_on(entry.category)
        and (judge.id, entry.id) not in conflicts
        and (judge.id, entry.id) not in current_assignments
    ]
    if not fitting:
        return None
    best = min(
        fitting,
        key=lambda judge: (
            loads.get(judge.id, 0),
            not judge.is_expert_in(entry.category),
            judge.id,
        ),
    )
    return best.id


def _build_network(
    *,
    entries: Iterable[Entry],
    judges: Iterable[Judge],
    k: int | Mapping[EntryId, int],
    conflicts: Collection[Pair],
    existing: Collection[Pair],
    max_load: int | None,
) -> Network:
    entry_list = sorted(entries, key=lambda entry: entry.id)
    judge_list = sorted(judges, key=lambda judge: judge.id)
    _check_unique([entry.id for entry in entry_list], "entry")
    _check_unique([judge.id for judge in judge_list], "judge")
    if max_load is not None and max_load < 0:
        raise ValueError("max_load must not be negative.")
    needed = np.array([_k_for(k, entry.id) for entry in entry_list], dtype=np.int64)

    existing_set = set(existing)
    held, base_load = _existing_counts(entry_list, judge_list, existing_set)
    demand = np.maximum(needed - held, 0)
    arc_entry, arc_judge, arc_cost = _arcs(
        entry_list, judge_list, skip=set(conflicts) | existing_set
    )
    arc_entry_array = np.array(arc_entry, dtype=np.int64)
    arc_judge_array = np.array(arc_judge, dtype=np.int64)
    degree = np.bincount(arc_judge_array, minlength=len(judge_list))
    room = (
        degree
        if max_load is None
        else np.minimum(degree, np.maximum(max_load - base_load, 0))
    )
    return Network(
        entries=entry_list,
        judges=judge_list,
        needed=needed,
        held=held,
        demand=demand,
        base_load=base_load,
        room=room.astype(np.int64),
        arc_entry=arc_entry_array,
        arc_judge=arc_judge_array,
        arc_cost=np.array(arc_cost, dtype=np.float64),
    )


def _existing_counts(
    entry_list: list[Entry], judge_list: list[Judge], existing: set[Pair]
) -> tuple[np.ndarray, np.ndarray]:
    """How many judges each entry already holds and how many entries each judge
    already scores (pairs of others are ignored)."""
    entry_index = {entry.id: index for index, entry in enumerate(entry_list)}
    judge_index = {judge.id: index for index, judge in enumerate(judge_list)}
    held = np.zeros(len(entry_list), dtype=np.int64)
    base_load = np.zeros(len(judge_list), dtype=np.int64)
    for judge_id, entry_id in existing:
        if entry_id in entry_index:
            held[entry_index[entry_id]] += 1
        if judge_id in judge_index:
            base_load[judge_index[judge_id]] += 1
    return held, base_load


def _arcs(
    entry_list: list[Entry], judge_list: list[Judge], *, skip: set[Pair]
) -> tuple[list[int], list[int], list[int]]:
    """The (entry index, judge index, cost) of every pair the solver may choose: a
    judge of the entry's panel, not in `skip`; an expert costs 0, others 1."""
    on_every_panel = [
        index for index, judge in enumerate(judge_list) if not judge.panels
    ]
    panel: dict[CategoryId, list[int]] = {}
    for index, judge in enumerate(judge_list):
        for category in judge.panels:
            panel.setdefault(category, []).append(index)
    arc_entry: list[int] = []
    arc_judge: list[int] = []
    arc_cost: list[int] = []
    for e_index, entry in enumerate(entry_list):
        for j_index in sorted(panel.get(entry.category, []) + on_every_panel):
            judge = judge_list[j_index]
            if (judge.id, entry.id) in skip:
                continue
            arc_entry.append(e_index)
            arc_judge.append(j_index)
            arc_cost.append(0 if judge.is_expert_in(entry.category) else 1)
    return arc_entry, arc_judge, arc_cost


def _check_unique(ids: list[int], kind: str) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"Each {kind} id must appear once.")


def _k_for(k: int | Mapping[EntryId, int], entry_id: EntryId) -> int:
    if isinstance(k, Mapping):
        if entry_id not in k:
            raise ValueError(f"k has no value for entry {entry_id}.")
        value = k[entry_id]
    else:
        value = k
    if value < 0:
        raise ValueError("k must not be negative.")
    return int(value)


def _room_under(network: Network, top: int) -> np.ndarray:
    return np.minimum(network.room, np.maximum(top - network.base_load, 0))


def _least_max_load(network: Network, *, target: int) -> int:
    total = int(network.base_load.sum()) + target
    judge_count = len(network.judges)
    low = max(int(network.base_load.max()), -(-total // judge_count))
    high = int((network.base_load + network.room).max())
    while low < high:
        middle = (low + high) // 2
        upper = _room_under(network, middle)
        if max_flow_value(network, upper=upper) == target:
            high = middle
        else:
            low = middle + 1
    return low


def _greatest_min_load(
    network: Network, *, target: int, top: int, upper: np.ndarray
) -> int:
    total = int(network.base_load.sum()) + target
    low = int(network.base_load.min())
    high = min(top, total // len(network.judges))
    while low < high:
        middle = (low + high + 1) // 2
        lower = np.maximum(middle - network.base_load, 0)
        if bounded_flow_exists(network, lower=lower, upper=upper, value=target):
            low = middle
        else:
            high = middle - 1
    return low


def _result(network: Network, *, chosen: np.ndarray) -> AssignmentResult:
    pairs: list[Pair] = []
    new_per_entry = np.zeros(len(network.entries), dtype=np.int64)
    new_per_judge = np.zeros(len(network.judges), dtype=np.int64)
    matched = 0
    for arc in np.flatnonzero(chosen):
        e_index = int(network.arc_entry[arc])
        j_index = int(network.arc_judge[arc])
        pairs.append((network.judges[j_index].id, network.entries[e_index].id))
        new_per_entry[e_index] += 1
        new_per_judge[j_index] += 1
        matched += network.arc_cost[arc] == 0

    eligible = network.held + np.bincount(
        network.arc_entry, minlength=len(network.entries)
    )
    shortfalls = []
    for index, entry in enumerate(network.entries):
        needed = int(network.needed[index])
        assigned = int(network.held[index] + new_per_entry[index])
        if assigned < needed:
            could = int(eligible[index])
            shortfalls.append(
                Shortfall(
                    entry_id=entry.id,
                    needed=needed,
                    assigned=assigned,
                    reason=PANEL_TOO_SMALL if could < needed else CAPACITY,
                    eligible=could,
                )
            )
    loads = {
        judge.id: int(network.base_load[index] + new_per_judge[index])
        for index, judge in enumerate(network.judges)
    }
    return AssignmentResult(
        pairs=sorted(pairs),
        loads=loads,
        shortfalls=shortfalls,
        expertise_matched=int(matched),
    )
