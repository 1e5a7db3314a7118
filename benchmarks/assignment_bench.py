"""Time the judge-assignment solver on large stages.

S: 2,000 entries in 5 categories, 80 judges (16 per category's panel, 10 of them
also on a second panel). L (issue 11): 5,000 entries in 5 categories, 150 judges
(30 per panel, 20 of them also on a second panel). Both with k = 3 and about 5% of
the judge-entry pairs conflicted.

Besides the time, it checks what the solver promises: no conflicted pair, no
shortfall, and loads within 1 across all judges and within each panel.

Run from the project root: ``.venv/bin/python benchmarks/assignment_bench.py``
(both sizes) or with ``--size S`` / ``--size L``.
"""

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judging.assignment import AssignmentResult, Entry, Judge, solve_assignment

CATEGORY_COUNT = 5
JUDGES_PER_ENTRY = 3
CONFLICT_RATE = 0.05


@dataclass(frozen=True)
class Size:
    entries: int
    panel_size: int
    second_panel_count: int
    target_seconds: float


SIZES = {
    "S": Size(entries=2_000, panel_size=16, second_panel_count=10, target_seconds=10),
    "L": Size(entries=5_000, panel_size=30, second_panel_count=20, target_seconds=20),
}


def build_stage(size: Size, seed: int = 2023) -> tuple[list[Entry], list[Judge], set]:
    rng = np.random.default_rng(seed)
    entries = [
        Entry(id=number, category=int(rng.integers(CATEGORY_COUNT)))
        for number in range(1, size.entries + 1)
    ]
    judges = []
    judge_count = CATEGORY_COUNT * size.panel_size
    twice = set(rng.choice(judge_count, size.second_panel_count, replace=False))
    for number in range(judge_count):
        home = number // size.panel_size
        panels = {home}
        if number in twice:
            panels.add(
                (home + 1 + int(rng.integers(CATEGORY_COUNT - 1))) % CATEGORY_COUNT
            )
        expertise = {home} if rng.random() < 0.7 else set()
        if rng.random() < 0.3:
            expertise.add(int(rng.integers(CATEGORY_COUNT)))
        judges.append(
            Judge(
                id=number + 1,
                panels=frozenset(panels),
                expertise=frozenset(expertise),
            )
        )
    mask = rng.random((len(judges), len(entries))) < CONFLICT_RATE
    conflicts = {
        (judges[j].id, entries[e].id) for j, e in zip(*np.nonzero(mask), strict=True)
    }
    return entries, judges, conflicts


def _panel_spread(judges: list[Judge], result: AssignmentResult) -> int:
    """The largest spread of loads among judges who sit on exactly the same panels."""
    by_panels = defaultdict(list)
    for judge in judges:
        by_panels[judge.panels].append(result.loads[judge.id])
    return max(max(loads) - min(loads) for loads in by_panels.values())


def run(name: str, size: Size) -> bool:
    """Solve one stage, print its figures, and say whether every target is met."""
    entries, judges, conflicts = build_stage(size)

    started = time.perf_counter()
    result = solve_assignment(
        entries=entries, judges=judges, k=JUDGES_PER_ENTRY, conflicts=conflicts
    )
    elapsed = time.perf_counter() - started

    loads = result.loads.values()
    spread = max(loads) - min(loads)
    conflicted = len(set(result.pairs) & conflicts)
    lines = [
        f"[{name}] entries={len(entries)} judges={len(judges)} k={JUDGES_PER_ENTRY} "
        f"conflicts={len(conflicts)}",
        f"time={elapsed:.2f}s (target < {size.target_seconds:.0f}s)",
        f"pairs={len(result.pairs)} shortfalls={len(result.shortfalls)} "
        f"conflicted pairs={conflicted}",
        f"load min={min(loads)} max={max(loads)} spread={spread} "
        f"spread within a panel={_panel_spread(judges, result)}",
        f"expertise matched={result.expertise_matched} of {len(result.pairs)}",
    ]
    print("\n".join(lines))
    return (
        elapsed < size.target_seconds
        and spread <= 1
        and conflicted == 0
        and not result.shortfalls
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), action="append")
    names = parser.parse_args().size or list(SIZES)
    met = [run(name, SIZES[name]) for name in names]
    if not all(met):
        raise SystemExit("A target is missed.")


if __name__ == "__main__":
    main()
