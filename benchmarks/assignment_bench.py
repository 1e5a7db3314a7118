"""Time the judge-assignment solver on a large stage.

2,000 entries in 5 categories, 80 judges (16 per category's panel, 10 of them also
on a second panel), k = 3, about 5% of the judge-entry pairs conflicted.

Run from the project root: ``.venv/bin/python benchmarks/assignment_bench.py``.
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judging.assignment import Entry, Judge, solve_assignment

ENTRY_COUNT = 2_000
CATEGORY_COUNT = 5
PANEL_SIZE = 16
SECOND_PANEL_COUNT = 10
JUDGES_PER_ENTRY = 3
CONFLICT_RATE = 0.05
TARGET_SECONDS = 10.0


def build_stage(seed: int = 2023) -> tuple[list[Entry], list[Judge], set]:
    rng = np.random.default_rng(seed)
    entries = [
        Entry(id=number, category=int(rng.integers(CATEGORY_COUNT)))
        for number in range(1, ENTRY_COUNT + 1)
    ]
    judges = []
    twice = set(
        rng.choice(CATEGORY_COUNT * PANEL_SIZE, SECOND_PANEL_COUNT, replace=False)
    )
    for number in range(CATEGORY_COUNT * PANEL_SIZE):
        home = number // PANEL_SIZE
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


def main() -> None:
    entries, judges, conflicts = build_stage()

    started = time.perf_counter()
    result = solve_assignment(
        entries=entries, judges=judges, k=JUDGES_PER_ENTRY, conflicts=conflicts
    )
    elapsed = time.perf_counter() - started

    loads = result.loads.values()
    lines = [
        f"entries={len(entries)} judges={len(judges)} k={JUDGES_PER_ENTRY} "
        f"conflicts={len(conflicts)}",
        f"time={elapsed:.2f}s (target < {TARGET_SECONDS:.0f}s)",
        f"pairs={len(result.pairs)} shortfalls={len(result.shortfalls)}",
        f"load min={min(loads)} max={max(loads)}",
        f"expertise matched={result.expertise_matched} of {len(result.pairs)}",
    ]
    print("\n".join(lines))
    if elapsed > TARGET_SECONDS:
        raise SystemExit("Slower than the target.")


if __name__ == "__main__":
    main()
