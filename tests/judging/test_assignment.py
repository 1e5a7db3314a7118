"""The judge-assignment solver, checked against exhaustive search on small stages.

Pure module: no database, no Django.
"""

from collections import Counter
from itertools import combinations, product

import numpy as np
import pytest

from judging.assignment import (
    CAPACITY,
    PANEL_TOO_SMALL,
    AssignmentResult,
    Entry,
    Judge,
    Shortfall,
    pick_extra_judge,
    solve_assignment,
)

BRUTE_FORCE_CASES = 200


def _random_stage(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    category_count = int(rng.integers(1, 4))
    entry_ids = rng.permutation(np.arange(10, 10 + int(rng.integers(1, 6))))
    judge_ids = rng.permutation(np.arange(100, 100 + int(rng.integers(1, 6))))
    entries = [
        Entry(id=int(entry_id), category=int(rng.integers(category_count)))
        for entry_id in entry_ids
    ]
    judges = []
    for judge_id in judge_ids:
        panels = frozenset(
            category for category in range(category_count) if rng.random() < 0.6
        )
        expertise = frozenset(
            category for category in range(category_count) if rng.random() < 0.4
        )
        judges.append(Judge(id=int(judge_id), panels=panels, expertise=expertise))
    pairs = [(judge.id, entry.id) for judge in judges for entry in entries]
    conflicts = {pair for pair in pairs if rng.random() < 0.2}
    existing = {pair for pair in pairs if rng.random() < 0.1}
    if rng.random() < 0.3:
        k: int | dict[int, int] = {
            entry.id: int(rng.integers(0, 3)) for entry in entries
        }
    else:
        k = int(rng.integers(1, 3))
    max_load = int(rng.integers(1, 4)) if rng.random() < 0.25 else None
    return {
        "entries": entries,
        "judges": judges,
        "k": k,
        "conflicts": conflicts,
        "existing": existing,
        "max_load": max_load,
    }


def _needed(k: int | dict[int, int], entry: Entry) -> int:
    return k[entry.id] if isinstance(k, dict) else k


def _allowed(stage: dict, judge: Judge, entry: Entry) -> bool:
    pair = (judge.id, entry.id)
    return (
        (not judge.panels or entry.category in judge.panels)
        and pair not in stage["conflicts"]
        and pair not in stage["existing"]
    )


def _score(loads: dict[int, int], placed: int, matched: int) -> tuple:
    """Higher is better: more placed, lower max load, higher min load, more experts."""
    values = list(loads.values()) or [0]
    return (placed, -max(values), min(values), matched)


def _brute_force(stage: dict) -> tuple:
    """The best score over every assignment: each entry takes any subset of its
    allowed judges no larger than what it still needs."""
    judges = {judge.id: judge for judge in stage["judges"]}
    base = Counter(judge_id for judge_id, _ in stage["existing"])
    base_loads = {judge_id: base[judge_id] for judge_id in judges}
    options = []
    for entry in stage["entries"]:
        held = sum(1 for _, entry_id in stage["existing"] if entry_id == entry.id)
        still = max(_needed(stage["k"], entry) - held, 0)
        allowed = [
            judge.id for judge in stage["judges"] if _allowed(stage, judge, entry)
        ]
        options.append(
            [
                (entry, chosen)
                for size in range(min(still, len(allowed)) + 1)
                for chosen in combinations(allowed, size)
            ]
        )
    best = None
    for assignment in product(*options):
        loads = dict(base_loads)
        placed = matched = 0
        for entry, chosen in assignment:
            for judge_id in chosen:
                loads[judge_id] += 1
                placed += 1
                matched += entry.category in judges[judge_id].expertise
        cap = stage["max_load"]
        if cap is not None and any(
            loads[judge_id] - base_loads[judge_id] > max(cap - base_loads[judge_id], 0)
            for judge_id in judges
        ):
            continue
        score = _score(loads, placed, matched)
        if best is None or score > best:
            best = score
    return best


def _check_valid(stage: dict, result: AssignmentResult) -> None:
    judges = {judge.id: judge for judge in stage["judges"]}
    entries = {entry.id: entry for entry in stage["entries"]}
    assert len(set(result.pairs)) == len(result.pairs)
    for judge_id, entry_id in result.pairs:
        assert _allowed(stage, judges[judge_id], entries[entry_id])
    on_entry = Counter(
        entry_id for _, entry_id in set(result.pairs) | stage["existing"]
    )
    short = {}
    for entry in stage["entries"]:
        needed = _needed(stage["k"], entry)
        new = sum(1 for _, entry_id in result.pairs if entry_id == entry.id)
        assert new == 0 or on_entry[entry.id] <= needed
        if on_entry[entry.id] < needed:
            short[entry.id] = (needed, on_entry[entry.id])
    assert {s.entry_id: (s.needed, s.assigned) for s in result.shortfalls} == short
    on_judge = Counter(
        judge_id for judge_id, _ in set(result.pairs) | stage["existing"]
    )
    assert result.loads == {judge_id: on_judge[judge_id] for judge_id in judges}
    if stage["max_load"] is not None:
        base = Counter(judge_id for judge_id, _ in stage["existing"])
        for judge_id in judges:
            new = on_judge[judge_id] - base[judge_id]
            assert new <= max(stage["max_load"] - base[judge_id], 0)
    matched = sum(
        entries[entry_id].category in judges[judge_id].expertise
        for judge_id, entry_id in result.pairs
    )
    assert result.expertise_matched == matched


@pytest.mark.parametrize("seed", range(BRUTE_FORCE_CASES))
def test_solve_assignment_matches_brute_force_on_small_random_stages(seed):
    stage = _random_stage(seed)

    result = solve_assignment(**stage)

    _check_valid(stage, result)
    assert _score(result.loads, len(result.pairs), result.expertise_matched) == (
        _brute_force(stage)
    )


def test_solve_assignment_full_when_panels_allow():
    entries = [Entry(id=number, category=1) for number in range(1, 7)]
    judges = [
        Judge(
            id=number,
            panels=frozenset({1}),
            expertise=frozenset({1} if number < 3 else set()),
        )
        for number in range(1, 5)
    ]

    result = solve_assignment(entries=entries, judges=judges, k=2)

    assert result.shortfalls == []
    assert len(result.pairs) == 12
    assert sorted(result.loads.values()) == [3, 3, 3, 3]
    assert result.expertise_matched == 6


def test_solve_assignment_explains_panel_too_small():
    entries = [Entry(id=1, category=7), Entry(id=2, category=8)]
    judges = [
        Judge(id=10, panels=frozenset({7})),
        Judge(id=11, panels=frozenset({7})),
        Judge(id=12, panels=frozenset({8})),
        Judge(id=13, panels=frozenset({8})),
        Judge(id=14, panels=frozenset({8})),
    ]

    result = solve_assignment(entries=entries, judges=judges, k=2, conflicts={(11, 1)})

    assert result.shortfalls == [
        Shortfall(entry_id=1, needed=2, assigned=1, reason=PANEL_TOO_SMALL, eligible=1)
    ]
    assert (10, 1) in result.pairs
    assert sum(1 for _, entry_id in result.pairs if entry_id == 2) == 2


def test_solve_assignment_explains_capacity_when_max_load_binds():
    entries = [Entry(id=number, category=1) for number in range(1, 4)]
    judges = [Judge(id=10, panels=frozenset({1})), Judge(id=11, panels=frozenset({1}))]

    result = solve_assignment(entries=entries, judges=judges, k=2, max_load=2)

    assert len(result.pairs) == 4
    assert result.loads == {10: 2, 11: 2}
    assert [
        (s.needed, s.assigned, s.reason, s.eligible) for s in result.shortfalls
    ] == [(2, 0, CAPACITY, 2)]


def test_solve_assignment_keeps_existing_pairs_and_counts_them():
    entries = [Entry(id=1, category=1), Entry(id=2, category=1)]
    judges = [Judge(id=number, panels=frozenset({1})) for number in (10, 11, 12)]
    existing = {(10, 1), (10, 2)}

    result = solve_assignment(entries=entries, judges=judges, k=2, existing=existing)

    assert not set(result.pairs) & existing
    assert Counter(entry_id for _, entry_id in result.pairs) == {1: 1, 2: 1}
    assert result.loads == {10: 2, 11: 1, 12: 1}
    assert result.shortfalls == []


def test_solve_assignment_gives_flagged_entry_one_more_judge():
    entries = [Entry(id=1, category=1), Entry(id=2, category=1)]
    judges = [Judge(id=number, panels=frozenset({1})) for number in (10, 11, 12)]

    result = solve_assignment(entries=entries, judges=judges, k={1: 3, 2: 2})

    assert Counter(entry_id for _, entry_id in result.pairs) == {1: 3, 2: 2}
    assert sorted(result.loads.values()) == [1, 2, 2]


def test_solve_assignment_puts_judge_without_panels_on_every_panel():
    entries = [Entry(id=1, category=1), Entry(id=2, category=2)]
    judges = [Judge(id=10), Judge(id=11, panels=frozenset({3}))]

    result = solve_assignment(entries=entries, judges=judges, k=1)

    assert result.pairs == [(10, 1), (10, 2)]
    assert result.loads == {10: 2, 11: 0}


def test_solve_assignment_prefers_expertise_after_balance():
    entries = [Entry(id=1, category=1), Entry(id=2, category=1)]
    judges = [
        Judge(id=10, panels=frozenset({1}), expertise=frozenset({1})),
        Judge(id=11, panels=frozenset({1})),
    ]

    result = solve_assignment(entries=entries, judges=judges, k=1)

    assert result.loads == {10: 1, 11: 1}
    assert result.expertise_matched == 1


def test_solve_assignment_same_output_for_shuffled_input():
    stage = _random_stage(7)
    shuffled = {
        **stage,
        "entries": list(reversed(stage["entries"])),
        "judges": list(reversed(stage["judges"])),
    }

    first = solve_assignment(**stage)
    second = solve_assignment(**shuffled)

    assert first == second


def test_solve_assignment_without_judges_reports_every_entry():
    entries = [Entry(id=1, category=1), Entry(id=2, category=1)]

    result = solve_assignment(entries=entries, judges=[], k=1)

    assert result.pairs == []
    assert result.loads == {}
    assert [s.entry_id for s in result.shortfalls] == [1, 2]
    assert {s.reason for s in result.shortfalls} == {PANEL_TOO_SMALL}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"k": -1}, "k must not be negative"),
        ({"k": {1: 2}}, "k has no value for entry 2"),
        ({"max_load": -1}, "max_load must not be negative"),
        (
            {"entries": [Entry(id=1, category=1), Entry(id=1, category=2)]},
            "Each entry id must appear once",
        ),
    ],
)
def test_solve_assignment_rejects_bad_input(arguments, message):
    stage = {
        "entries": [Entry(id=1, category=1), Entry(id=2, category=1)],
        "judges": [Judge(id=10)],
        "k": 1,
        **arguments,
    }

    with pytest.raises(ValueError, match=message):
        solve_assignment(**stage)


def test_solve_assignment_balances_moderate_stage():
    # Its speed is measured by `benchmarks/assignment_bench.py`, not asserted here.
    rng = np.random.default_rng(300)
    entries = [Entry(id=number, category=number % 4) for number in range(300)]
    judges = [
        Judge(
            id=number,
            panels=frozenset({number % 4, (number + 1) % 4}),
            expertise=frozenset({number % 4}),
        )
        for number in range(20)
    ]
    conflicts = {
        (judge.id, entry.id)
        for judge in judges
        for entry in entries
        if rng.random() < 0.05
    }

    result = solve_assignment(entries=entries, judges=judges, k=3, conflicts=conflicts)

    assert result.shortfalls == []
    assert len(result.pairs) == 900
    assert max(result.loads.values()) - min(result.loads.values()) <= 1
    assert not set(result.pairs) & conflicts


def test_solve_assignment_balances_each_panel_inside_the_stage_bounds():
    # Judge 100 alone must take panel 0's two entries, so the stage's loads span
    # 0 to 2 whatever panel 1 does; panel 1 must still share its two entries.
    entries = [
        Entry(id=1, category=0),
        Entry(id=2, category=0),
        Entry(id=3, category=1),
        Entry(id=4, category=1),
    ]
    judges = [
        Judge(id=100, panels=frozenset({0})),
        *(Judge(id=number, panels=frozenset({1})) for number in (101, 102, 103)),
    ]

    result = solve_assignment(entries=entries, judges=judges, k=1)

    assert result.loads[100] == 2
    assert sorted(result.loads[number] for number in (101, 102, 103)) == [0, 1, 1]


def test_solve_assignment_balances_a_panel_counting_existing_load():
    # Judge 100 (panel 0) must reach 3 and judge 104 (panel 2, no entries) stays
    # at 0; inside those bounds judge 103's existing pair must count.
    entries = [Entry(id=number, category=0) for number in (1, 2, 3)] + [
        Entry(id=4, category=1),
        Entry(id=5, category=1),
    ]
    judges = [
        Judge(id=100, panels=frozenset({0})),
        *(Judge(id=number, panels=frozenset({1})) for number in (101, 102, 103)),
        Judge(id=104, panels=frozenset({2})),
    ]

    result = solve_assignment(entries=entries, judges=judges, k=1, existing={(103, 99)})

    assert result.loads == {100: 3, 101: 1, 102: 1, 103: 1, 104: 0}


def _movable_unit(stage: dict, result: AssignmentResult) -> tuple | None:
    """A new pair whose entry could go to an eligible judge of the same expertise
    match with a load at least 2 lower, or None if there is none."""
    judges = {judge.id: judge for judge in stage["judges"]}
    entries = {entry.id: entry for entry in stage["entries"]}
    taken = set(result.pairs) | stage["existing"]
    for judge_id, entry_id in result.pairs:
        entry = entries[entry_id]
        expert = judges[judge_id].is_expert_in(entry.category)
        for other in stage["judges"]:
            if (
                result.loads[other.id] <= result.loads[judge_id] - 2
                and other.is_expert_in(entry.category) == expert
                and (other.id, entry_id) not in taken
                and _allowed(stage, other, entry)
            ):
                return judge_id, entry_id, other.id
    return None


def test_solve_assignment_leaves_no_unit_of_load_to_move_on_uneven_panels():
    rng = np.random.default_rng(11)
    entries = [
        Entry(id=number, category=int(rng.choice(4, p=[0.55, 0.25, 0.15, 0.05])))
        for number in range(120)
    ]
    judges = [
        Judge(
            id=1000 + number,
            panels=frozenset(
                {number % 4} | ({(number + 1) % 4} if number < 2 else set())
            ),
            expertise=frozenset({number % 4} if rng.random() < 0.5 else set()),
        )
        for number in range(16)
    ]
    stage = {
        "entries": entries,
        "judges": judges,
        "k": 2,
        "conflicts": {
            (judge.id, entry.id)
            for judge in judges
            for entry in entries
            if rng.random() < 0.05
        },
        "existing": set(),
        "max_load": None,
    }

    result = solve_assignment(**stage)

    _check_valid(stage, result)
    assert result.shortfalls == []
    assert _movable_unit(stage, result) is None


def _panel() -> list[Judge]:
    return [
        Judge(id=10, panels=frozenset({1}), expertise=frozenset()),
        Judge(id=11, panels=frozenset({1}), expertise=frozenset({1})),
        Judge(id=12, panels=frozenset({1}), expertise=frozenset()),
        Judge(id=13, panels=frozenset({2}), expertise=frozenset({1})),
    ]


def test_pick_extra_judge_takes_least_loaded():
    loads = {10: 4, 11: 3, 12: 2, 13: 0}

    picked = pick_extra_judge(
        entry=Entry(id=1, category=1),
        judges=_panel(),
        conflicts=set(),
        current_assignments=set(),
        loads=loads,
    )

    assert picked == 12


def test_pick_extra_judge_breaks_tie_by_expertise_then_id():
    entry = Entry(id=1, category=1)

    by_expertise = pick_extra_judge(
        entry=entry,
        judges=_panel(),
        conflicts=set(),
        current_assignments=set(),
        loads={10: 2, 11: 2, 12: 2},
    )
    by_id = pick_extra_judge(
        entry=entry,
        judges=_panel(),
        conflicts=set(),
        current_assignments={(11, 1)},
        loads={10: 2, 11: 2, 12: 2},
    )

    assert by_expertise == 11
    assert by_id == 10


def test_pick_extra_judge_skips_conflicted_and_already_assigned():
    picked = pick_extra_judge(
        entry=Entry(id=1, category=1),
        judges=_panel(),
        conflicts={(12, 1)},
        current_assignments={(10, 1)},
        loads={10: 0, 11: 5, 12: 0},
    )

    assert picked == 11


def test_pick_extra_judge_returns_none_when_nobody_fits():
    picked = pick_extra_judge(
        entry=Entry(id=1, category=1),
        judges=_panel(),
        conflicts={(10, 1), (11, 1)},
        current_assignments={(12, 1)},
        loads={},
    )

    assert picked is None


def test_pick_extra_judge_counts_judge_without_panels():
    picked = pick_extra_judge(
        entry=Entry(id=1, category=5),
        judges=[*_panel(), Judge(id=20)],
        conflicts=set(),
        current_assignments=set(),
        loads={20: 9},
    )

    assert picked == 20
