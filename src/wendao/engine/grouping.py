"""Discussion groups and site-visit allocation for a programme cohort (DESIGN §1, programme side).

Groups (``form_groups``). A cohort of n participants is split into G groups whose sizes all lie in
[N-1, N+1]; G is the whole number nearest n/N for which that is possible (ties: more, smaller groups).
The objective, maximised, is a sum over groups (so it can be reported per group):

    score(g) = W_industry · Σ_pairs affinity(i, j)          same chain 3 > same division 2 > same industry group 1
             + W_maturity · (max maturity − min maturity)    a leader and a beginner in every group
             − W_city     · Σ_pairs [city(i) = city(j)]      quadratic, so one city dominating costs most
             − W_size     · |size(g) − N|

All weights and terms are integers, so objectives compare exactly. Default weights (``GroupingWeights``)
make one same-city pair cost as much as three same-division pairs gain, and a full 0–100 maturity spread
worth about ten same-division pairs in a group of 8 (28 pairs); organisers can change them.

Solvers. Up to ``EXACT_LIMIT`` participants an exact CP-SAT model (pair variables "i and j share a
group", max/min maturity per group, one worker, fixed seed) proves the optimum. For a real cohort (≈300)
that model needs n²/2 pair variables linked to G group choices each (≈1.7 million literals for 300/8) and
its LP relaxation is weak under the group symmetry, so it does not reach a good solution in minutes. There
``form_groups`` uses iterated local search: a deterministic, industry-sorted start; best-improvement
descent over all swaps of two participants and all moves of one participant that keep sizes in
[N-1, N+1], every move's change computed exactly from per-group pair sums (numpy); then perturbation
rounds (a few random swaps, descend again, keep only improvements). It is deterministic for a seed (the
seed orders the descent and draws the perturbations). The tests compare it with exhaustive enumeration on
small cohorts.

Visits (``allocate_visits``): an exact CP-SAT assignment — every participant gets k distinct visits if the
capacities allow (that comes first), then the sum of rank weights is maximised (default: Borda weights,
1st choice of L ranked = L points, L-th = 1, an unranked visit 0).

Participant files (``load_participants``): .xlsx or .csv with the columns name, city, industry, chain
(optional), maturity (0–100 or a level label of one of the questionnaire's official scales) — or the
Chinese headers 企业名称, 城市, 行业代码, 产业链, 成熟度. Every row is checked; all problems are reported
together (row, column, value, what was expected). ``write_grouping_xlsx`` writes one sheet per group plus
a summary sheet.
"""

from __future__ import annotations

import itertools
import os
import random
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field

from wendao.engine.catalog import LoadedCatalog, default_catalog

EXACT_LIMIT = 12  # participants up to which ``form_groups`` proves the optimum with CP-SAT
SEED = 7
AFFINITY_CHAIN = 3
AFFINITY_DIVISION = 2
AFFINITY_GROUP = 1
MATURITY_MAX = 100

Method = Literal["auto", "exact", "local_search"]
IntArray = NDArray[np.int64]


class GroupingError(Exception):
    """The cohort cannot be grouped or allocated as asked; ``problems`` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- models -------------------------------------------------------------------------------------------------


class Participant(BaseModel):
    name: str = Field(min_length=1)
    city: str = Field(description="city id from cities.yaml (e.g. jinan)")
    industry: str = Field(pattern=r"^C(1[3-9]|[23]\d|4[0-3])$", description="GB/T 4754-2017 division")
    industry_group: str = Field(description="raw_materials, equipment, consumer or electronics (industries.yaml)")
    chain: str | None = Field(default=None, description="chain id from chains.yaml, or the organiser's own label")
    maturity: int = Field(ge=0, le=MATURITY_MAX, description="overall maturity score 0–100")


class GroupingWeights(BaseModel):
    industry: int = Field(default=10, ge=0, description="per affinity point of a pair in the same group")
    maturity: int = Field(default=2, ge=0, description="per point of maturity range (max − min) in a group")
    city: int = Field(default=30, ge=0, description="per pair from the same city in a group")
    size: int = Field(default=50, ge=0, description="per member a group is above or below N")


class ObjectiveTerms(BaseModel):
    """The objective's terms in their own units, and the weighted total."""

    industry_affinity: int = Field(description="affinity points summed over pairs sharing a group")
    maturity_spread: int = Field(description="max − min maturity, summed over groups")
    same_city_pairs: int = Field(description="pairs from the same city sharing a group")
    size_deviation: int = Field(description="Σ |size − N| over groups")
    objective: int


class Group(BaseModel):
    number: int = Field(description="1-based")
    members: list[str]
    size: int
    maturity_min: int
    maturity_max: int
    cities: int = Field(description="distinct cities")
    largest_city_share: float = Field(description="share of the group from its most frequent city")
    divisions: list[str]
    terms: ObjectiveTerms


class Grouping(BaseModel):
    method: Literal["exact", "local_search", "random"]
    status: Literal["OPTIMAL", "FEASIBLE", "LOCAL_OPTIMUM", "BASELINE"]
    size: int
    seed: int
    weights: GroupingWeights
    groups: list[Group]
    terms: ObjectiveTerms
    solve_seconds: float


# --- the objective (reference implementation; the solvers are checked against it) ----------------------------


def affinity(a: Participant, b: Participant) -> int:
    """Industry affinity of two participants: same chain > same division > same industry group."""
    if a.chain is not None and a.chain == b.chain:
        return AFFINITY_CHAIN
    if a.industry == b.industry:
        return AFFINITY_DIVISION
    return AFFINITY_GROUP if a.industry_group == b.industry_group else 0


def group_terms(members: Sequence[Participant], size: int, weights: GroupingWeights) -> ObjectiveTerms:
    pairs = list(itertools.combinations(members, 2))
    aff = sum(affinity(a, b) for a, b in pairs)
    same_city = sum(a.city == b.city for a, b in pairs)
    spread = max(p.maturity for p in members) - min(p.maturity for p in members) if members else 0
    deviation = abs(len(members) - size)
    return ObjectiveTerms(
        industry_affinity=aff,
        maturity_spread=spread,
        same_city_pairs=same_city,
        size_deviation=deviation,
        objective=weights.industry * aff
        + weights.maturity * spread
        - weights.city * same_city
        - weights.size * deviation,
    )


def _sum_terms(terms: Sequence[ObjectiveTerms]) -> ObjectiveTerms:
    return ObjectiveTerms(
        industry_affinity=sum(t.industry_affinity for t in terms),
        maturity_spread=sum(t.maturity_spread for t in terms),
        same_city_pairs=sum(t.same_city_pairs for t in terms),
        size_deviation=sum(t.size_deviation for t in terms),
        objective=sum(t.objective for t in terms),
    )


def evaluate(
    participants: Sequence[Participant], assignment: Sequence[int], size: int, weights: GroupingWeights
) -> ObjectiveTerms:
    """Objective terms of an assignment (participant index -> group index)."""
    groups: dict[int, list[Participant]] = {}
    for p, g in zip(participants, assignment, strict=True):
        groups.setdefault(g, []).append(p)
    return _sum_terms([group_terms(ms, size, weights) for ms in groups.values()])


def group_count(n: int, size: int) -> int:
    """Number of groups: nearest to n/size such that every group can have size-1 … size+1 members.
    If an integer g fits n/(size+1) ≤ g ≤ n/(size-1), floor(n/size) or ceil(n/size) does too."""
    if size < 2:
        raise GroupingError([f"group size must be at least 2 (given {size})"])
    fits = [g for g in {n // size, -(-n // size)} if g >= 1 and g * (size - 1) <= n <= g * (size + 1)]
    if not fits:
        raise GroupingError([f"{n} participants cannot be split into groups of {size - 1}–{size + 1}"])
    return min(fits, key=lambda g: (abs(n - g * size), -g))


def group_sizes(n: int, size: int) -> list[int]:
    """Sizes of the starting split: as equal as possible (all within size±1)."""
    g = group_count(n, size)
    base, extra = divmod(n, g)
    return [base + 1 if k < extra else base for k in range(g)]


# --- solvers ----------------------------------------------------------------------------------------------------


def _pair_weights(participants: Sequence[Participant], weights: GroupingWeights) -> IntArray:
    n = len(participants)
    pw = np.zeros((n, n), dtype=np.int64)
    for i, j in itertools.combinations(range(n), 2):
        a, b = participants[i], participants[j]
        v = weights.industry * affinity(a, b) - weights.city * (a.city == b.city)
        pw[i, j] = pw[j, i] = v
    return pw


def _start(participants: Sequence[Participant], size: int) -> list[int]:
    """Industry-sorted consecutive blocks: groups start homogeneous in industry; the search then mixes
    maturity and cities where that pays."""
    order = sorted(
        range(len(participants)),
        key=lambda i: (
            participants[i].industry_group,
            participants[i].chain or "",
            participants[i].industry,
            participants[i].maturity,
            participants[i].name,
        ),
    )
    assignment = [0] * len(participants)
    pos = 0
    for g, s in enumerate(group_sizes(len(participants), size)):
        for i in order[pos : pos + s]:
            assignment[i] = g
        pos += s
    return assignment


class _Search:
    """State of the local search. ``sums[i, g]`` is Σ pair weight between i and the members of g."""

    def __init__(self, pw: IntArray, maturity: IntArray, assignment: list[int], size: int, w: GroupingWeights):
        self.pw, self.m, self.size, self.w = pw, maturity, size, w
        self.n = len(assignment)
        self.g = max(assignment) + 1
        self.lo, self.hi = size - 1, size + 1
        self.reset(assignment)

    def reset(self, assignment: list[int]) -> None:
        self.a = np.array(assignment, dtype=np.int64)
        onehot = np.zeros((self.n, self.g), dtype=np.int64)
        onehot[np.arange(self.n), self.a] = 1
        self.sums = self.pw @ onehot
        self.members: list[list[int]] = [[] for _ in range(self.g)]
        for i, g in enumerate(assignment):
            self.members[g].append(i)
        self.gmax = np.zeros(self.g, dtype=np.int64)
        self.gmin = np.zeros(self.g, dtype=np.int64)
        self.max_wo = np.zeros(self.n, dtype=np.int64)  # max maturity of i's group without i
        self.min_wo = np.zeros(self.n, dtype=np.int64)
        for g in range(self.g):
            self._refresh(g)

    def _refresh(self, g: int) -> None:
        ms = self.members[g]
        vals = sorted((int(self.m[i]), i) for i in ms)
        self.gmax[g], self.gmin[g] = vals[-1][0], vals[0][0]
        for i in ms:
            rest = [v for v, k in vals if k != i]
            # sentinels make the range of "rest + one newcomer" come out as 0 when rest is empty
            self.max_wo[i] = rest[-1] if rest else -1
            self.min_wo[i] = rest[0] if rest else MATURITY_MAX + 1

    def objective(self) -> int:
        pairs = int(self.sums[np.arange(self.n), self.a].sum()) // 2
        spread = int((self.gmax - self.gmin).sum())
        dev = sum(abs(len(ms) - self.size) for ms in self.members)
        return pairs + self.w.maturity * spread - self.w.size * dev

    def best_move(self, i: int) -> tuple[int, str, int]:
        """Best (gain, kind, target) for participant i: kind "swap" (target = participant) or "move"
        (target = group)."""
        a = int(self.a[i])
        mi = int(self.m[i])
        spread = self.gmax - self.gmin
        own = self.sums[np.arange(self.n), self.a]
        # swap i <-> j for every j (j in a is masked out)
        gain = self.sums[i, self.a] - self.sums[i, a] + self.sums[:, a] - own - 2 * self.pw[i]
        new_a = np.maximum(self.max_wo[i], self.m) - np.minimum(self.min_wo[i], self.m)
        new_b = np.maximum(self.max_wo, mi) - np.minimum(self.min_wo, mi)
        gain = gain + self.w.maturity * (new_a + new_b - spread[a] - spread[self.a])
        gain = np.where(self.a == a, np.iinfo(np.int64).min, gain)
        j = int(np.argmax(gain))
        best = (int(gain[j]), "swap", j)
        # move i to another group, if both sizes stay within [N-1, N+1]
        sizes = np.array([len(ms) for ms in self.members], dtype=np.int64)
        if sizes[a] > self.lo:
            dev_a = abs(int(sizes[a]) - 1 - self.size) - abs(int(sizes[a]) - self.size)
            dev_b = np.abs(sizes + 1 - self.size) - np.abs(sizes - self.size)
            range_b = np.maximum(self.gmax, mi) - np.minimum(self.gmin, mi)
            range_a = int(self.max_wo[i] - self.min_wo[i]) if len(self.members[a]) > 1 else 0
            move = (
                self.sums[i]
                - self.sums[i, a]
                + self.w.maturity * (range_b - spread + range_a - int(spread[a]))
                - self.w.size * (dev_b + dev_a)
            )
            move = np.where((sizes >= self.hi) | (np.arange(self.g) == a), np.iinfo(np.int64).min, move)
            b = int(np.argmax(move))
            if int(move[b]) > best[0]:
                best = (int(move[b]), "move", b)
        return best

    def swap(self, i: int, j: int) -> None:
        a, b = int(self.a[i]), int(self.a[j])
        self.sums[:, a] += self.pw[:, j] - self.pw[:, i]
        self.sums[:, b] += self.pw[:, i] - self.pw[:, j]
        self.a[i], self.a[j] = b, a
        self.members[a] = [j if k == i else k for k in self.members[a]]
        self.members[b] = [i if k == j else k for k in self.members[b]]
        self._refresh(a)
        self._refresh(b)

    def move(self, i: int, b: int) -> None:
        a = int(self.a[i])
        self.sums[:, a] -= self.pw[:, i]
        self.sums[:, b] += self.pw[:, i]
        self.a[i] = b
        self.members[a].remove(i)
        self.members[b].append(i)
        self._refresh(a)
        self._refresh(b)

    def descend(self, rng: random.Random) -> None:
        """Best-improvement moves, participant by participant in a seeded order, to a local optimum."""
        improved = True
        while improved:
            improved = False
            order = list(range(self.n))
            rng.shuffle(order)
            for i in order:
                gain, kind, target = self.best_move(i)
                if gain > 0:
                    (self.swap if kind == "swap" else self.move)(i, target)
                    improved = True


def _local_search(
    participants: Sequence[Participant], size: int, weights: GroupingWeights, seed: int, rounds: int
) -> list[int]:
    rng = random.Random(seed)
    n = len(participants)
    maturity = np.array([p.maturity for p in participants], dtype=np.int64)
    search = _Search(_pair_weights(participants, weights), maturity, _start(participants, size), size, weights)
    search.descend(rng)
    best, best_value = [int(g) for g in search.a], search.objective()
    kicks = max(2, n // 25)
    for _ in range(rounds):
        for _ in range(kicks):
            i, j = rng.sample(range(n), 2)
            if search.a[i] != search.a[j]:
                search.swap(i, j)
        search.descend(rng)
        value = search.objective()
        if value > best_value:
            best, best_value = [int(g) for g in search.a], value
        else:
            search.reset(best)
    return best


def _deterministic_solver(seed: int, time_limit_seconds: float) -> Any:
    """A CP-SAT solver that gives the same answer for the same input: one worker, a fixed seed."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit_seconds
    return solver


def _exact(
    participants: Sequence[Participant], size: int, weights: GroupingWeights, seed: int, time_limit: float
) -> tuple[list[int], bool]:
    from ortools.sat.python import cp_model

    n = len(participants)
    g_count = group_count(n, size)
    pw = _pair_weights(participants, weights)
    m = cp_model.CpModel()
    # symmetry: number groups by their first member, so participant i sits in a group ≤ i
    x = {(i, g): m.new_bool_var(f"x{i}_{g}") for i in range(n) for g in range(min(i + 1, g_count))}
    for i in range(n):
        m.add_exactly_one(x[i, g] for g in range(min(i + 1, g_count)))
    terms: list[cp_model.LinearExprT] = []
    for g in range(g_count):
        in_g = [(i, x[i, g]) for i in range(n) if (i, g) in x]
        count = sum(v for _, v in in_g)
        m.add(count >= size - 1)
        m.add(count <= size + 1)
        dev = m.new_int_var(0, 1, f"dev{g}")
        m.add(dev >= count - size)
        m.add(dev >= size - count)
        top = m.new_int_var(0, MATURITY_MAX, f"max{g}")
        bottom = m.new_int_var(0, MATURITY_MAX, f"min{g}")
        m.add_max_equality(top, [participants[i].maturity * v for i, v in in_g])
        m.add_min_equality(bottom, [participants[i].maturity * v + MATURITY_MAX * (1 - v) for i, v in in_g])
        terms += [weights.maturity * (top - bottom), -weights.size * dev]
    for i, j in itertools.combinations(range(n), 2):
        if pw[i, j] == 0:
            continue
        same = m.new_bool_var(f"s{i}_{j}")
        for g in range(g_count):
            xi, xj = x.get((i, g), 0), x.get((j, g), 0)
            m.add(same >= xi + xj - 1)  # together in g -> same
            m.add(same + xi - xj <= 1)  # same and i in g -> j in g
        terms.append(int(pw[i, j]) * same)
    m.maximize(sum(terms))
    solver = _deterministic_solver(seed, time_limit)
    code = solver.solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise GroupingError([f"the exact grouping model found no solution ({solver.status_name(code)})"])
    assignment = [next(g for g in range(g_count) if (i, g) in x and solver.value(x[i, g])) for i in range(n)]
    return assignment, code == cp_model.OPTIMAL


def _grouping(
    participants: Sequence[Participant],
    assignment: Sequence[int],
    size: int,
    weights: GroupingWeights,
    seed: int,
    method: Literal["exact", "local_search", "random"],
    status: Literal["OPTIMAL", "FEASIBLE", "LOCAL_OPTIMUM", "BASELINE"],
    seconds: float,
) -> Grouping:
    by_group: dict[int, list[Participant]] = {}
    for p, g in zip(participants, assignment, strict=True):
        by_group.setdefault(g, []).append(p)
    # number groups by their first member in input order: the same partition always reads the same
    ordered = sorted(by_group.values(), key=lambda ms: participants.index(ms[0]))
    groups = []
    for k, ms in enumerate(ordered, 1):
        cities = Counter(p.city for p in ms)
        groups.append(
            Group(
                number=k,
                members=[p.name for p in ms],
                size=len(ms),
                maturity_min=min(p.maturity for p in ms),
                maturity_max=max(p.maturity for p in ms),
                cities=len(cities),
                largest_city_share=round(max(cities.values()) / len(ms), 3),
                divisions=sorted({p.industry for p in ms}),
                terms=group_terms(ms, size, weights),
            )
        )
    return Grouping(
        method=method,
        status=status,
        size=size,
        seed=seed,
        weights=weights,
        groups=groups,
        terms=_sum_terms([g.terms for g in groups]),
        solve_seconds=round(seconds, 4),
    )


def _check_names(participants: Sequence[Participant]) -> None:
    dup = sorted(name for name, c in Counter(p.name for p in participants).items() if c > 1)
    if dup:
        raise GroupingError([f"duplicate participant name: {name}" for name in dup])


def form_groups(
    participants: Sequence[Participant],
    size: int,
    seed: int = SEED,
    weights: GroupingWeights | None = None,
    method: Method = "auto",
    rounds: int = 60,
    time_limit_seconds: float = 30.0,
) -> Grouping:
    """Discussion groups of size-1 … size+1 maximising the weighted objective (module docstring).
    ``auto``: exact CP-SAT up to ``EXACT_LIMIT`` participants, iterated local search above.
    ``rounds``: perturbation rounds of the local search (a fixed count, so the result depends only on the seed)."""
    w = weights or GroupingWeights()
    _check_names(participants)
    group_count(len(participants), size)  # raises when the sizes cannot be met
    started = time.perf_counter()
    if method == "exact" or (method == "auto" and len(participants) <= EXACT_LIMIT):
        assignment, proven = _exact(participants, size, w, seed, time_limit_seconds)
        return _grouping(
            participants, assignment, size, w, seed, "exact", "OPTIMAL" if proven else "FEASIBLE",
            time.perf_counter() - started,
        )  # fmt: skip
    assignment = _local_search(participants, size, w, seed, rounds)
    return _grouping(
        participants, assignment, size, w, seed, "local_search", "LOCAL_OPTIMUM", time.perf_counter() - started
    )


def random_grouping(
    participants: Sequence[Participant], size: int, seed: int = SEED, weights: GroupingWeights | None = None
) -> Grouping:
    """Baseline: a seeded shuffle cut into the same group sizes (what drawing lots would give)."""
    w = weights or GroupingWeights()
    order = list(range(len(participants)))
    random.Random(seed).shuffle(order)
    assignment = [0] * len(participants)
    pos = 0
    for g, s in enumerate(group_sizes(len(participants), size)):
        for i in order[pos : pos + s]:
            assignment[i] = g
        pos += s
    return _grouping(participants, assignment, size, w, seed, "random", "BASELINE", 0.0)


# --- site visits ----------------------------------------------------------------------------------------------


class Visit(BaseModel):
    id: str = Field(min_length=1)
    capacity: int = Field(ge=0)
    name_zh: str | None = None


class VisitPreference(BaseModel):
    participant: str = Field(min_length=1)
    ranked: list[str] = Field(default_factory=list, description="visit ids, first choice first")


class VisitAssignment(BaseModel):
    participant: str
    visits: list[str]
    ranks: list[int | None] = Field(
        description="rank of each assigned visit in the participant's list (None: unranked)"
    )


class Allocation(BaseModel):
    status: Literal["OPTIMAL", "FEASIBLE"]
    per_participant: int
    assignments: list[VisitAssignment]
    satisfaction: int = Field(description="Σ rank weights of the assigned visits")
    by_rank: dict[int, int] = Field(description="rank -> number of assignments at that rank")
    unranked: int = Field(description="assignments to a visit the participant did not rank")
    none_of_theirs: list[str] = Field(description="participants who got none of their ranked visits")
    short: list[str] = Field(description="participants who got fewer than k visits (capacity ran out)")
    load: dict[str, int] = Field(description="visit id -> participants assigned")
    solve_seconds: float


def rank_weights(longest: int) -> list[int]:
    """Borda weights: of L ranked choices the 1st is worth L, the L-th 1."""
    return list(range(longest, 0, -1))


def allocate_visits(
    preferences: Sequence[VisitPreference],
    visits: Sequence[Visit],
    seed: int = SEED,
    per_participant: int = 1,
    weights: Sequence[int] | None = None,
    time_limit_seconds: float = 30.0,
) -> Allocation:
    """Exact assignment of ``per_participant`` distinct visits to each participant within capacities.
    Lexicographic: first as many assignments as the capacities allow, then the most rank weight."""
    from ortools.sat.python import cp_model

    ids = [v.id for v in visits]
    problems = [f"duplicate visit id: {v}" for v, c in Counter(ids).items() if c > 1]
    problems += [f"duplicate participant: {p}" for p, c in Counter(p.participant for p in preferences).items() if c > 1]
    for p in preferences:
        problems += [
            f"{p.participant}: unknown visit {v!r} (expected one of {', '.join(ids)})" for v in p.ranked if v not in ids
        ]
        problems += [f"{p.participant}: visit {v!r} ranked twice" for v, c in Counter(p.ranked).items() if c > 1]
    if per_participant < 1 or per_participant > len(visits):
        problems.append(f"visits per participant must be 1…{len(visits)} (given {per_participant})")
    longest = max((len(p.ranked) for p in preferences), default=0)
    w = list(weights) if weights is not None else rank_weights(longest)
    if len(w) < longest or any(x < 0 for x in w):
        problems.append(f"need a non-negative weight for each of the {longest} ranks (given {w})")
    if problems:
        raise GroupingError(problems)

    started = time.perf_counter()
    score = {(pi, v): w[r] for pi, p in enumerate(preferences) for r, v in enumerate(p.ranked)}
    big = max(w, default=0) * per_participant * len(preferences) + 1  # one more assignment beats any ranks
    m = cp_model.CpModel()
    x = {(pi, v.id): m.new_bool_var(f"x{pi}_{v.id}") for pi in range(len(preferences)) for v in visits}
    for pi in range(len(preferences)):
        m.add(sum(x[pi, v] for v in ids) <= per_participant)
    for v in visits:
        m.add(sum(x[pi, v.id] for pi in range(len(preferences))) <= v.capacity)
    m.maximize(sum((big + score.get(key, 0)) * var for key, var in x.items()))
    solver = _deterministic_solver(seed, time_limit_seconds)
    # A transportation problem: its LP relaxation is integral, so with the full LP CP-SAT proves the optimum at
    # once. At the default level (1), OR-Tools 9.15 ran out of 30 s on 22 participants and 2 visits (FEASIBLE).
    solver.parameters.linearization_level = 2
    code = solver.solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise GroupingError([f"the visit model found no solution ({solver.status_name(code)})"])

    assignments, by_rank, none, short = [], Counter[int](), [], []
    load = dict.fromkeys(ids, 0)
    unranked = 0
    for pi, p in enumerate(preferences):
        got = [v for v in ids if solver.value(x[pi, v])]
        got.sort(key=lambda v: p.ranked.index(v) if v in p.ranked else len(p.ranked))
        ranks = [p.ranked.index(v) + 1 if v in p.ranked else None for v in got]
        for vid, r in zip(got, ranks, strict=True):
            load[vid] += 1
            if r is None:
                unranked += 1
            else:
                by_rank[r] += 1
        if p.ranked and all(r is None for r in ranks):
            none.append(p.participant)
        if len(got) < per_participant:
            short.append(p.participant)
        assignments.append(VisitAssignment(participant=p.participant, visits=got, ranks=ranks))
    return Allocation(
        status="OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE",
        per_participant=per_participant,
        assignments=assignments,
        satisfaction=sum(score.get(key, 0) for key, var in x.items() if solver.value(var)),
        by_rank=dict(sorted(by_rank.items())),
        unranked=unranked,
        none_of_theirs=none,
        short=short,
        load=load,
        solve_seconds=round(time.perf_counter() - started, 4),
    )


# --- participant files (the edge: reading and writing, outside the hot path) ---------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "企业名称", "名称", "企业"),
    "city": ("city", "城市", "所在城市"),
    "industry": ("industry", "行业代码", "行业"),
    "chain": ("chain", "产业链"),
    "maturity": ("maturity", "成熟度", "成熟度得分", "成熟度等级"),
}
REQUIRED = ("name", "city", "industry", "maturity")


class RowProblem(BaseModel):
    row: int = Field(description="spreadsheet row number (the header is row 1)")
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.value!r} — expected {self.expected}"


class ParticipantFileError(Exception):
    """The participant list cannot be used; ``problems`` lists every bad row and column at once."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def maturity_levels(loaded: LoadedCatalog) -> dict[str, int]:
    """Level label -> score: the centre of the level's band of the overall score on its scale (the
    questionnaire's ``min_overall`` thresholds), e.g. MIIT SME 二级 (40–60) -> 50, CMMM 4级 (75–90) -> 82."""
    out: dict[str, int] = {}
    for scale in loaded.questionnaire.scales:
        bounds = [lv.min_overall for lv in scale.levels] + [float(MATURITY_MAX)]
        out[scale.below_zh] = round(bounds[0] / 2)
        for lv, upper in zip(scale.levels, bounds[1:], strict=True):
            centre = round((lv.min_overall + upper) / 2)
            out[lv.label_zh] = centre
            out[lv.label_zh.split()[0]] = centre  # "1级 规划级" may be written "1级"
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_participants(
    rows: Sequence[tuple[int, Mapping[str, object]]], loaded: LoadedCatalog | None = None
) -> list[Participant]:
    """Validate (row number, {column: value}) rows with canonical column keys; raise with every problem."""
    cat = loaded or default_catalog()
    cities = cat.catalog.cities
    city_names = "、".join(c.name_zh for c in cities)
    industries = {i.code: i for i in cat.catalog.industries}
    chains = {key: c.id for c in cat.catalog.chains for key in (c.id, c.name_zh)}
    levels = maturity_levels(cat)
    problems: list[RowProblem] = []
    out: list[Participant] = []
    first_row: dict[str, int] = {}
    for row, raw in rows:
        values = {k: _text(raw.get(k)) for k in COLUMNS}
        bad = len(problems)

        def problem(column: str, expected: str, row: int = row, values: dict[str, str] = values) -> None:
            problems.append(RowProblem(row=row, column=column, value=values[column], expected=expected))

        name = values["name"]
        if not name:
            problem("name", "the enterprise name (企业名称)")
        elif name in first_row:
            problem("name", f"a unique name (already on row {first_row[name]})")
        else:
            first_row[name] = row
        city = next((c.id for c in cities if values["city"] in (c.id, c.name_zh, c.name_zh + "市", c.name_en)), None)
        if city is None:
            problem("city", f"one of the 16 Shandong cities ({city_names}) or its id")
        code = values["industry"].upper()
        code = code if code.startswith("C") else "C" + code
        if code[:3] not in industries or len(code) not in (3, 5) or not code[1:].isdigit():
            problem(
                "industry", "a GB/T 4754-2017 manufacturing division C13–C43 (optionally with its class, e.g. C3670)"
            )
        chain = chains.get(values["chain"], values["chain"]) or None  # an organiser's own chain label is kept
        maturity: int | None = levels.get(values["maturity"])
        if maturity is None:
            try:
                number = float(values["maturity"])
            except ValueError:
                number = -1.0
            if 0 <= number <= MATURITY_MAX:
                maturity = round(number)
            else:
                problem("maturity", "a score 0–100 or a level (一级…四级, 1级…5级, 未达一级)")
        if len(problems) == bad and city is not None and maturity is not None:
            division = industries[code[:3]]
            out.append(
                Participant(
                    name=name, city=city, industry=division.code, industry_group=division.group, chain=chain,
                    maturity=maturity,
                )
            )  # fmt: skip
    if problems:
        raise ParticipantFileError(problems)
    return out


def match_headers(
    header: Sequence[object], aliases: Mapping[str, Sequence[str]], required: Mapping[str, tuple[str, str]]
) -> tuple[dict[int, str], list[RowProblem]]:
    """Map a spreadsheet's header cells to column keys by any of their aliases (case-insensitive); every
    required key that no cell names is a problem, reported as ``required[key] = (column, description)``.
    Shared by every participant-list reader (cohort grouping here, programme import in the web)."""
    lookup = {alias.lower(): key for key, names in aliases.items() for alias in names}
    keys: dict[int, str] = {}
    for pos, cell in enumerate(header):
        key = lookup.get(_text(cell).lower())
        if key is not None and key not in keys.values():
            keys[pos] = key
    missing = [
        RowProblem(row=1, column=column, value="", expected=f"a header column {description}")
        for key, (column, description) in required.items()
        if key not in keys.values()
    ]
    return keys, missing


def _header_keys(header: Sequence[object]) -> tuple[dict[int, str], list[RowProblem]]:
    return match_headers(header, COLUMNS, {key: (key, " / ".join(COLUMNS[key][:2])) for key in REQUIRED})


MAX_FILE_BYTES = 5 * 1024 * 1024  # as the web import
MAX_ROWS = 5000  # participants per file, as the web import


def read_participant_rows(path: Path) -> list[tuple[int, dict[str, object]]]:
    """Rows of a .xlsx (first sheet) or .csv (UTF-8, or GB18030 as saved by Chinese Excel) participant
    list, keyed by canonical column; blank lines are skipped but keep their row numbers. Read with
    ``tables.read_table``: a file of more than ``MAX_ROWS`` rows is refused after reading one row too many."""
    from wendao.engine import tables

    def refuse(expected: str) -> ParticipantFileError:
        return ParticipantFileError([RowProblem(row=0, column="(file)", value=str(path), expected=expected)])

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise refuse("a .xlsx or .csv file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise refuse(f"a file under {MAX_FILE_BYTES // 1024 // 1024} MB")
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise refuse("an existing file") from None
    try:
        table = tables.read_table(data, suffix, max_rows=MAX_ROWS + 1)  # the header and MAX_ROWS rows
    except tables.TableError as exc:
        raise refuse(str(exc)) from None
    if table.overflow == "cells":
        raise refuse(f"at most {MAX_ROWS} rows per file, of at most {tables.MAX_COLUMNS} columns")
    if table.overflow:
        raise refuse(f"at most {MAX_ROWS} rows per file")
    if not table.rows or table.rows[0][0] != 1:
        raise ParticipantFileError([RowProblem(row=1, column="(header)", value="", expected="a header row")])
    keys, missing = _header_keys(table.rows[0][1])
    if missing:
        raise ParticipantFileError(missing)
    return [
        (number, {key: cells[pos] if pos < len(cells) else None for pos, key in keys.items()})
        for number, cells in table.rows[1:]
    ]


def load_participants(path: Path, loaded: LoadedCatalog | None = None) -> list[Participant]:
    return parse_participants(read_participant_rows(path), loaded)


def _append(sheet: Any, values: Sequence[object]) -> None:
    """One row, each cell through ``tables.safe_cell`` (a name starting with = is text, not a formula)."""
    from wendao.engine.tables import safe_row

    sheet.append(safe_row(values))


def write_grouping_xlsx(
    grouping: Grouping, participants: Sequence[Participant], path: Path, loaded: LoadedCatalog | None = None
) -> None:
    """汇总 (summary: objective terms, total and per group) + one sheet per group. Written to a temporary
    file and renamed, so a failure never leaves half a workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    cat = loaded or default_catalog()
    city_zh = {c.id: c.name_zh for c in cat.catalog.cities}
    industry_zh = {i.code: i.name_zh for i in cat.catalog.industries}
    chain_zh = {c.id: c.name_zh for c in cat.catalog.chains}
    by_name = {p.name: p for p in participants}
    bold = Font(bold=True)

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "汇总"
    _append(summary, ["分组方法", grouping.method, "状态", grouping.status, "随机种子", grouping.seed])
    _append(summary, ["目标组规模", grouping.size, "组数", len(grouping.groups), "求解秒数", grouping.solve_seconds])
    w = grouping.weights
    _append(summary, ["权重", f"行业{w.industry}", f"成熟度{w.maturity}", f"同城{w.city}", f"规模{w.size}"])
    _append(summary, [])
    head = ["组", "人数", "行业亲近度", "成熟度跨度", "同城对数", "规模偏差", "目标值", "城市数", "最大同城占比"]
    _append(summary, head)
    for cell in summary[summary.max_row]:
        cell.font = bold
    for g in grouping.groups:
        t = g.terms
        _append(
            summary,
            [f"第{g.number}组", g.size, t.industry_affinity, t.maturity_spread, t.same_city_pairs, t.size_deviation,
             t.objective, g.cities, g.largest_city_share],
        )  # fmt: skip
    t = grouping.terms
    _append(summary, ["合计", sum(g.size for g in grouping.groups), t.industry_affinity, t.maturity_spread,
                      t.same_city_pairs, t.size_deviation, t.objective])  # fmt: skip
    for cell in summary[summary.max_row]:
        cell.font = bold
    for g in grouping.groups:
        sheet = wb.create_sheet(f"第{g.number}组")
        _append(sheet, ["企业名称", "城市", "行业代码", "行业", "产业链", "成熟度"])
        for cell in sheet[1]:
            cell.font = bold
        for name in g.members:
            p = by_name[name]
            chain = chain_zh.get(p.chain, p.chain) if p.chain else ""
            _append(sheet, [p.name, city_zh.get(p.city, p.city), p.industry, industry_zh.get(p.industry, ""),
                            chain, p.maturity])  # fmt: skip
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["D"].width = 30
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, path)
