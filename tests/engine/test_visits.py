"""Site visits: capacities hold, the allocation is the exact optimum (checked against the Hungarian method)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from tests.engine.test_grouping import cohort
from wendao.engine.grouping import GroupingError
from wendao.engine.visits import Visit, VisitPreference, allocate_visits


def visit_instance(n: int, visits: int, seed: int) -> tuple[list[VisitPreference], list[Visit]]:
    rng = random.Random(seed)
    vs = [Visit(id=f"v{k}", capacity=rng.randint(1, max(1, 2 * n // visits))) for k in range(visits)]
    prefs = [
        VisitPreference(participant=p.name, ranked=rng.sample([v.id for v in vs], k=min(3, visits)))
        for p in cohort(n, seed)
    ]
    return prefs, vs


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 25), visits=st.integers(1, 6), k=st.integers(1, 3), seed=st.integers(0, 99))
def test_visit_capacities_are_never_exceeded(n: int, visits: int, k: int, seed: int) -> None:
    prefs, vs = visit_instance(n, visits, seed)
    k = min(k, visits)
    result = allocate_visits(prefs, vs, per_participant=k)
    assert result.status == "OPTIMAL"
    assert all(result.load[v.id] <= v.capacity for v in vs)
    assert all(len(a.visits) == len(set(a.visits)) <= k for a in result.assignments)
    # as many assignments as the capacities allow
    assert sum(result.load.values()) == min(n * k, sum(min(v.capacity, n) for v in vs))


@pytest.mark.parametrize("seed", range(5))
def test_one_visit_each_matches_the_hungarian_optimum(seed: int) -> None:
    prefs, vs = visit_instance(20, 5, seed)
    result = allocate_visits(prefs, vs)
    # independent exact check: expand each visit into capacity slots and solve the assignment problem
    slots = [v.id for v in vs for _ in range(v.capacity)]
    weight = {(p.participant, v): 3 - r for p in prefs for r, v in enumerate(p.ranked)}
    big = 1000
    cost = [[-(big + weight.get((p.participant, s), 0)) for s in slots] for p in prefs]
    rows, cols = linear_sum_assignment(cost)
    assert result.satisfaction == sum(
        weight.get((prefs[r].participant, slots[c]), 0) for r, c in zip(rows, cols, strict=True)
    )
    assert sum(result.load.values()) == len(rows)


def test_visit_report_counts_ranks_and_names_who_got_none_of_theirs() -> None:
    vs = [Visit(id="haier", capacity=1), Visit(id="weichai", capacity=1), Visit(id="inspur", capacity=1)]
    prefs = [
        VisitPreference(participant="alice", ranked=["haier", "weichai"]),
        VisitPreference(participant="bob", ranked=["haier", "weichai"]),
        VisitPreference(participant="charlie", ranked=["haier", "weichai"]),
    ]
    result = allocate_visits(prefs, vs)
    assert result.by_rank == {1: 1, 2: 1}
    assert result.unranked == 1
    assert len(result.none_of_theirs) == 1
    assert result.short == []


def test_unknown_visit_in_preferences_is_reported() -> None:
    with pytest.raises(GroupingError, match="unknown visit 'haier'"):
        allocate_visits([VisitPreference(participant="alice", ranked=["haier"])], [Visit(id="weichai", capacity=2)])
