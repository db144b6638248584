from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from scipy.optimize import linear_sum_assignment

from wendao.engine.assessment import assess
from wendao.engine.catalog import default_catalog
from wendao.engine.grouping import (
    Grouping,
    GroupingError,
    GroupingWeights,
    Participant,
    ParticipantFileError,
    Visit,
    VisitPreference,
    affinity,
    allocate_visits,
    evaluate,
    form_groups,
    group_count,
    load_participants,
    maturity_levels,
    parse_participants,
    random_grouping,
    write_grouping_xlsx,
)
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


# --- site visits ------------------------------------------------------------------------------------------


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


# --- participant files -------------------------------------------------------------------------------------


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    wb.save(path)


def test_levels_become_the_centre_of_their_score_band() -> None:
    levels = maturity_levels(default_catalog())
    assert levels["二级"] == 50
    assert levels["未达一级"] == 10
    assert levels["1级"] == levels["1级 规划级"] == 30


def test_broken_file_reports_every_bad_row_at_once(tmp_path: Path) -> None:
    rows = [
        [r[1]["name"], r[1]["city"], r[1]["industry"], r[1]["chain"], r[1]["maturity"]] for r in synthetic_rows(6, 3)
    ]
    rows[1][1] = "北京"  # row 3: unknown city
    rows[2][2] = "C12"  # row 4: not a manufacturing division
    rows[3][4] = "很高"  # row 5: non-numeric maturity
    rows[5][0] = rows[0][0]  # row 7: duplicate name
    path = tmp_path / "bad.xlsx"
    write_xlsx(path, ["企业名称", "城市", "行业代码", "产业链", "成熟度"], rows)
    with pytest.raises(ParticipantFileError) as exc:
        load_participants(path)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert found == {(3, "city"), (4, "industry"), (5, "maturity"), (7, "name")}
    assert "row 7" in str(exc.value.problems[-1])


def test_missing_header_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,city,industry\nA（虚构）,济南,C26\n", encoding="utf-8")
    with pytest.raises(ParticipantFileError) as exc:
        load_participants(path)
    assert [(p.row, p.column) for p in exc.value.problems] == [(1, "maturity")]


def test_example_list_reads_with_chinese_headers_and_levels() -> None:
    ps = load_participants(Path(__file__).resolve().parents[2] / "examples" / "cohort" / "participants.csv")
    assert len(ps) >= 20
    assert all("虚构" in p.name for p in ps)
    assert Counter(p.city for p in ps).most_common(1)[0][1] < len(ps)


def test_written_workbook_reads_back(tmp_path: Path) -> None:
    ps = cohort(30)
    result = form_groups(ps, 6, rounds=3)
    path = tmp_path / "out" / "groups.xlsx"
    write_grouping_xlsx(result, ps, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", *(f"第{g.number}组" for g in result.groups)]
    summary = [row for row in wb["汇总"].iter_rows(values_only=True) if row and row[0] == "合计"]
    assert summary[0][6] == result.terms.objective
    names = [r[0] for s in wb.sheetnames[1:] for r in wb[s].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(p.name for p in ps)
    assert not list(path.parent.glob("*.tmp"))
