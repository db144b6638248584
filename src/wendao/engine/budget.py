"""Budget and subsidy-cap checks outside the solver (needs, first steps, the empty plan's next step), counted in
whole 元 as the roadmap counts them (``roadmap_cashflow``: an amount that counts against a limit is rounded up, the
limit down), so that a project these checks call affordable is one the roadmap can schedule, and the other way
round. Until session 5 they compared 万元 floats with a slack of 1e-6 or 1e-9, which could disagree with the
solver by a rounding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from wendao.engine.roadmap_cashflow import LIMIT_UNIT, _limit_down, _limit_up, yearly_spend_units
from wendao.engine.roadmap_types import Candidate

TENTH_UNITS = LIMIT_UNIT // 10  # 0.1 万元 in 元: budgets a person is told are rounded up to it


def least_yearly_spend(c: Candidate, starts: Iterable[int], horizon: int) -> int | None:
    """The least, over ``starts``, of the most candidate c started there spends in one year (net), in 元;
    None when it has no start."""
    return min((max(yearly_spend_units(c, t, horizon), default=0) for t in starts), default=None)


def fits_yearly_budget(c: Candidate, start: int, horizon: int, budget: float) -> bool:
    """Candidate c started alone at ``start`` stays within the yearly budget (万元) in every year."""
    return max(yearly_spend_units(c, start, horizon), default=0) <= _limit_down(budget)


def over_limit(amount: float, limit: float) -> bool:
    """An amount (万元) above a limit (a yearly budget, a subsidy cap), in whole 元."""
    return _limit_up(amount) > _limit_down(limit)


def as_wan(units: int) -> float:
    """元 as 万元."""
    return units / LIMIT_UNIT


def budget_to_tell(units: int) -> float:
    """A yearly budget in 元 as the 万元 a person is told: rounded up to 0.1 万元, so it always suffices."""
    return math.ceil(units / TENTH_UNITS) / 10


def spend_units(amount: float) -> int:
    """An amount that counts against a limit, in 元, rounded up."""
    return _limit_up(amount)
