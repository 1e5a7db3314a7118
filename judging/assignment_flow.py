"""The assignment's flow network and the programmes solved on it (pure): the
network of source -> entries -> judges -> sink, its maximum flow (scipy's Dinic),
whether a flow within load bounds exists, and the min-cost flow as a linear
programme (HiGHS) whose basic optima are integral. See judging/assignment.py for
the objectives and their order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import maximum_flow

if TYPE_CHECKING:
    from judging.assignment import Entry, Judge

_TOLERANCE = 1e-6
# Interior point with crossover ends on a vertex and is much faster on these
# degenerate LPs; dual simplex, slower but always basic, is the fallback.
_LP_METHODS = ("highs-ipm", "highs-ds")


class AssignmentError(RuntimeError):
    """The LP solver returned something that is not a valid integral assignment."""


@dataclass(frozen=True, slots=True)
class Network:
    entries: list[Entry]
    judges: list[Judge]
    needed: np.ndarray
    held: np.ndarray
    demand: np.ndarray
    base_load: np.ndarray
    room: np.ndarray
    arc_entry: np.ndarray
    arc_judge: np.ndarray
    arc_cost: np.ndarray

    @property
    def source(self) -> int:
        return 0

    def entry_node(self, index: np.ndarray) -> np.ndarray:
        return index + 1

    def judge_node(self, index: np.ndarray) -> np.ndarray:
        return index + 1 + len(self.entries)

    @property
    def sink(self) -> int:
        return 1 + len(self.entries) + len(self.judges)

    @property
    def new_sink(self) -> int:
        return self.sink + 1


def fixed_arcs(network: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    entry_indices = np.arange(len(network.entries))
    rows = np.concatenate(
        [
            np.full(len(entry_indices), network.source),
            network.entry_node(network.arc_entry),
        ]
    )
    cols = np.concatenate(
        [network.entry_node(entry_indices), network.judge_node(network.arc_judge)]
    )
    caps = np.concatenate([network.demand, np.ones(len(network.arc_entry), np.int64)])
    return rows, cols, caps


def flow_value(
    rows: np.ndarray, cols: np.ndarray, caps: np.ndarray, size: int, sink: int
) -> int:
    keep = caps > 0
    graph = csr_matrix(
        (caps[keep].astype(np.int32), (rows[keep], cols[keep])), shape=(size, size)
    )
    return int(maximum_flow(graph, 0, sink, method="dinic").flow_value)


def max_flow_value(network: Network, *, upper: np.ndarray) -> int:
    rows, cols, caps = fixed_arcs(network)
    judge_nodes = network.judge_node(np.arange(len(network.judges)))
    return flow_value(
        np.concatenate([rows, judge_nodes]),
        np.concatenate([cols, np.full(len(judge_nodes), network.sink)]),
        np.concatenate([caps, upper]),
        network.sink + 1,
        network.sink,
    )


def bounded_flow_exists(
    network: Network, *, lower: np.ndarray, upper: np.ndarray, value: int
) -> bool:
    """Whether a flow of ``value`` exists with each judge's flow in [lower, upper]."""
    if np.any(lower > upper) or int(lower.sum()) > value:
        return False
    rows, cols, caps = fixed_arcs(network)
    judge_nodes = network.judge_node(np.arange(len(network.judges)))
    count = len(judge_nodes)
    new_sink = network.new_sink
    flow = flow_value(
        np.concatenate([rows, judge_nodes, judge_nodes, [network.sink]]),
        np.concatenate(
            [
                cols,
                np.full(count, new_sink),
                np.full(count, network.sink),
                [new_sink],
            ]
        ),
        np.concatenate([caps, lower, upper - lower, [value - int(lower.sum())]]),
        new_sink + 1,
        new_sink,
    )
    return flow == value


def min_cost_flow(
    network: Network, *, lower: np.ndarray, upper: np.ndarray, value: int
) -> np.ndarray:
    """Choose arcs: ``value`` in all, each entry within its demand, each judge within
    [lower, upper], as few non-expert arcs as possible, then the smallest sum of
    squared loads."""
    unit_judge, unit_cost = load_units(network, lower=lower, upper=upper)
    expert_weight = float(unit_cost.sum()) + 1.0
    problem = flow_programme(
        network,
        unit_judge=unit_judge,
        cost=np.concatenate([network.arc_cost * expert_weight, unit_cost]),
        lower=lower,
        value=value,
    )
    solution, rounded = solve_integral(problem)
    chosen = rounded[: len(network.arc_entry)].astype(np.int64)
    verify(network, chosen=chosen, lower=lower, upper=upper, value=value)
    per_judge = np.bincount(
        network.arc_judge, weights=chosen, minlength=len(network.judges)
    ).astype(np.int64)
    best = int(network.arc_cost @ chosen) * int(expert_weight) + square_growth(
        network, lower=lower, load=per_judge
    )
    if best != round(solution.fun):
        raise AssignmentError("The rounded solution lost the LP optimum.")
    return chosen.astype(bool)


def load_units(
    network: Network, *, lower: np.ndarray, upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One unit arc per load a judge may take above ``lower``: its judge and its
    cost, the growth of that judge's squared load (existing pairs included)."""
    extra = (upper - lower).astype(np.int64)
    unit_judge = np.repeat(np.arange(len(network.judges)), extra)
    first = np.cumsum(extra) - extra
    step = np.arange(len(unit_judge)) - np.repeat(first, extra)
    start = (network.base_load + lower)[unit_judge]
    return unit_judge, (2 * (start + step) + 1).astype(np.float64)


def square_growth(network: Network, *, lower: np.ndarray, load: np.ndarray) -> int:
    """What the cheapest units cost for these loads: the sum of squared loads minus
    the sum at the lower bounds."""
    floor = network.base_load + lower
    top = network.base_load + load
    return int((top * top).sum() - (floor * floor).sum())


def flow_programme(
    network: Network,
    *,
    unit_judge: np.ndarray,
    cost: np.ndarray,
    lower: np.ndarray,
    value: int,
) -> dict:
    """The LP over the arcs, then the load units: entries within their demand, each
    judge's arcs at least its lower bound and at most that bound plus the units it
    pays for, ``value`` arcs in all.

    Inequalities only, as before the units existed: HiGHS's interior point is
    several times slower when the judges' rows are equalities.
    """
    arc_count = len(network.arc_entry)
    unit_count = len(unit_judge)
    width = arc_count + unit_count
    columns = np.arange(arc_count)
    ones = np.ones(arc_count)
    by_entry = csr_matrix(
        (ones, (network.arc_entry, columns)), shape=(len(network.entries), width)
    )
    by_judge = csr_matrix(
        (ones, (network.arc_judge, columns)), shape=(len(network.judges), width)
    )
    paid = csr_matrix(
        (-np.ones(unit_count), (unit_judge, arc_count + np.arange(unit_count))),
        shape=(len(network.judges), width),
    )
    return {
        "c": cost,
        "A_ub": vstack([by_entry, -by_judge, by_judge + paid], format="csr"),
        "b_ub": np.concatenate([network.demand, -lower, lower]).astype(np.float64),
        "A_eq": csr_matrix(np.concatenate([ones, np.zeros(unit_count)]).reshape(1, -1)),
        "b_eq": np.array([float(value)]),
        "bounds": (0, 1),
    }


def solve_integral(problem: dict) -> tuple:
    """The LP's solution and its rounding, from the first method whose answer is
    integral."""
    failures = []
    for method in _LP_METHODS:
        solution = linprog(**problem, method=method)
        if solution.status != 0 or solution.x is None:
            failures.append(f"{method}: {solution.message}")
            continue
        rounded = np.rint(solution.x)
        if np.max(np.abs(solution.x - rounded), initial=0.0) <= _TOLERANCE:
            return solution, rounded
        failures.append(f"{method}: the solution is not integral")
    raise AssignmentError("The LP solver failed. " + "; ".join(failures))


def verify(
    network: Network,
    *,
    chosen: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    value: int,
) -> None:
    per_entry = np.bincount(
        network.arc_entry, weights=chosen, minlength=len(network.entries)
    )
    per_judge = np.bincount(
        network.arc_judge, weights=chosen, minlength=len(network.judges)
    )
    problems = [
        np.any((chosen != 0) & (chosen != 1)),
        int(chosen.sum()) != value,
        np.any(per_entry > network.demand),
        np.any(per_judge < lower),
        np.any(per_judge > upper),
    ]
    if any(problems):
        raise AssignmentError("The LP solution breaks the assignment's constraints.")
