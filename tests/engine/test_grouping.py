from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wendao.engine.assessment import assess
from wendao.engine.catalog import default_catalog
from wendao.engine.grouping import (
    Grouping,
    GroupingError,
    GroupingWeights,
    Participant,
    affinity,
    evaluate,
    form_groups,
    gain_type,
    group_count,
    pair_weights,
    random_grouping,
)
from wendao.engine.participant_files import parse_participants
from wendao.synthetic import synthetic_profile


def synthetic_rows(n: int, seed: int) -> list[tuple[int, dict[str, object]]]:
    """Participant-list rows of synthetic enterprises: maturity is the real assessment of their answers."""
    loaded = default_catalog()
    rng = random.Random(seed)
    rows: list[tuple[int, dict[str, object]]] = []
    for i in range(n):
        p = synthetic_profile(loaded, rng, i)
        overall = assess(p["answers"], loaded.questionnaire).overall
        rows.append(
            (
                i + 2,
                {
                    "name": p["name"],
                    "city": p["city"],
                    "industry": p["industry"],
                    "chain": p["chain"],
                    "maturity": overall,
                },
            )
        )
    return rows


@cache
def cohort(n: int, seed: int = 1) -> tuple[Participant, ...]:
    return tuple(parse_participants(synthetic_rows(n, seed)))


def best_by_enumeration(ps: Sequence[Participant], size: int, w: GroupingWeights) -> int:
    """Exhaustive: every partition into group_count(n, size) groups of size-1 … size+1 (independent of the
    solvers: plain pair loops)."""
    n, g_count = len(ps), group_count(len(ps), size)

    def score(group: list[int]) -> int:
        pairs = sum(
            w.industry * affinity(ps[i], ps[j]) - w.city * (ps[i].city == ps[j].city)
            for i, j in itertools.combinations(group, 2)
        )
        mats = [ps[i].maturity for i in group]
        return pairs + w.maturity * (max(mats) - min(mats)) - w.size * abs(len(group) - size)

    def partitions(rest: list[int], groups_left: int) -> Iterator[list[list[int]]]:
        if not rest:
            if groups_left == 0:
                yield []
            return
        if groups_left == 0:
            return
        first, others = rest[0], rest[1:]
        for k in range(size - 2, size + 1):  # companions of ``first``
            for comp in itertools.combinations(others, k):
                left = [i for i in others if i not in comp]
                if not (size - 1) * (groups_left - 1) <= len(left) <= (size + 1) * (groups_left - 1):
                    continue
                for tail in partitions(left, groups_left - 1):
                    yield [[first, *comp], *tail]

    return max(sum(score(g) for g in part) for part in partitions(list(range(n)), g_count))


def assignment_of(grouping: Grouping, ps: Sequence[Participant]) -> list[int]:
    number = {name: g.number for g in grouping.groups for name in g.members}
    return [number[p.name] for p in ps]


SMALL = [(8, 3, 11), (9, 3, 12), (10, 4, 13), (11, 4, 14), (12, 4, 15)]


@pytest.mark.parametrize(("n", "size", "seed"), SMALL)
def test_exact_model_finds_the_enumerated_optimum(n: int, size: int, seed: int) -> None:
    ps = cohort(n, seed)
    result = form_groups(ps, size, method="exact")
    assert result.status == "OPTIMAL"
    assert result.terms.objective == best_by_enumeration(ps, size, GroupingWeights())


@pytest.mark.parametrize(("n", "size", "seed"), SMALL)
def test_local_search_reaches_the_enumerated_optimum_on_small_cohorts(n: int, size: int, seed: int) -> None:
    ps = cohort(n, seed)
    result = form_groups(ps, size, method="local_search", rounds=30)
    assert result.terms.objective == best_by_enumeration(ps, size, GroupingWeights())


OTHER_WEIGHTS = [
    GroupingWeights(maturity=0),  # no maturity term at all
    GroupingWeights(industry=1, maturity=1, city=1, size=1),
    GroupingWeights(industry=3_000, maturity=700, city=9_000, size=5_000),  # gains need 32 bits
    GroupingWeights(industry=10**9, maturity=10**8, city=3 * 10**9, size=10**9),  # and 64
]


@pytest.mark.parametrize("weights", OTHER_WEIGHTS, ids=["no-maturity", "ones", "int32", "int64"])
@pytest.mark.parametrize(("n", "size", "seed"), [SMALL[1], SMALL[3]])
def test_local_search_reaches_the_enumerated_optimum_under_other_weights(
    n: int, size: int, seed: int, weights: GroupingWeights
) -> None:
    ps = cohort(n, seed)
    result = form_groups(ps, size, weights=weights, method="local_search", rounds=30)
    assert result.terms == evaluate(ps, assignment_of(result, ps), size, weights)
    assert result.terms.objective == best_by_enumeration(ps, size, weights)


def test_the_search_keeps_gains_in_the_narrowest_type_that_holds_them() -> None:
    ps = cohort(40)
    kinds = [gain_type(pair_weights(ps, w), 8, w) for w in (GroupingWeights(), *OTHER_WEIGHTS[2:])]
    assert kinds == [np.int16, np.int32, np.int64]


def test_reported_terms_are_the_objective_of_the_groups() -> None:
    ps = cohort(60)
    result = form_groups(ps, 6, rounds=5)
    assert result.terms == evaluate(ps, assignment_of(result, ps), 6, result.weights)
    assert sum(g.terms.objective for g in result.groups) == result.terms.objective
    w = result.weights
    t = result.terms
    assert t.objective == (
        w.industry * t.industry_affinity
        + w.maturity * t.maturity_spread
        - w.city * t.same_city_pairs
        - w.size * t.size_deviation
    )


def test_same_seed_gives_the_same_groups() -> None:
    ps = cohort(90)
    first, second = form_groups(ps, 8, seed=3, rounds=10), form_groups(ps, 8, seed=3, rounds=10)
    assert [g.members for g in first.groups] == [g.members for g in second.groups]


def test_groups_beat_drawing_lots_on_industry_and_cities() -> None:
    ps = cohort(120)
    result, lots = form_groups(ps, 8, rounds=10), random_grouping(ps, 8)
    assert result.terms.objective > lots.terms.objective
    assert result.terms.industry_affinity > 2 * lots.terms.industry_affinity
    assert result.terms.same_city_pairs < lots.terms.same_city_pairs


def test_affinity_prefers_chain_over_division_over_industry_group() -> None:
    base = {"city": "jinan", "maturity": 50}
    a = Participant(name="a", industry="C26", industry_group="raw_materials", chain="high_end_chemicals", **base)
    same_chain = a.model_copy(update={"name": "b", "industry": "C25"})
    same_division = a.model_copy(update={"name": "c", "chain": None})
    same_group = a.model_copy(update={"name": "d", "industry": "C31", "chain": None})
    other = a.model_copy(update={"name": "e", "industry": "C34", "industry_group": "equipment", "chain": None})
    assert affinity(a, same_chain) > affinity(a, same_division) > affinity(a, same_group) > affinity(a, other) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(min_value=2, max_value=70), size=st.integers(min_value=2, max_value=10), seed=st.integers(0, 99))
def test_every_group_has_size_within_one_of_n(n: int, size: int, seed: int) -> None:
    ps = cohort(70)[:n]
    try:
        count = group_count(n, size)
    except GroupingError:
        with pytest.raises(GroupingError):
            form_groups(ps, size, seed=seed, rounds=2)
        return
    result = form_groups(ps, size, seed=seed, rounds=2)
    assert len(result.groups) == count
    assert all(size - 1 <= g.size <= size + 1 for g in result.groups)
    assert sorted(name for g in result.groups for name in g.members) == sorted(p.name for p in ps)


def test_ten_participants_cannot_make_groups_of_seven_to_nine() -> None:
    with pytest.raises(GroupingError, match="cannot be split"):
        form_groups(cohort(10), 8)
