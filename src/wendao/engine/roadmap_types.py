"""The roadmap's inputs and result (engine/roadmap.py solves one): candidates with their money and needs, the
settings, the enterprise's choices; the scheduled items and the reasons the others are left out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, Field

from wendao.engine.objectives import Objective
from wendao.engine.reasons import Reason, render_reason


# Requirement and Excluded are dataclasses, not validated models: the engine builds dozens of each per plan
# from values it has computed (see the note in wendao.engine.scenarios); pydantic still validates them when
# a Problem or a stored result is read from outside
@dataclass(slots=True, kw_only=True)
class Requirement:
    """Something a candidate needs that is not in place; any one of ``providers`` finishing first meets it."""

    what_zh: str
    what_en: str
    providers: list[str]


class Window(BaseModel):
    """A counted amount of ``policy`` earned only when the candidate starts in quarters first..last (inclusive)."""

    policy: str
    first_start: int = Field(default=0, ge=0)
    last_start: int = Field(ge=0)
    value: float = Field(ge=0, description="万元, worth at the project's start")


class Candidate(BaseModel):
    id: str
    one_off: float = Field(ge=0, description="gross one-off cost, 万元")
    subsidies: dict[str, float] = Field(default_factory=dict, description="counted subsidy per policy, 万元")
    annual_cost: float = Field(ge=0)
    benefits: dict[str, float] = Field(default_factory=dict, description="risk-adjusted annual saving by baseline")
    duration_quarters: int = Field(ge=1)
    after: list[str] = Field(default_factory=list, description="candidates that must finish first")
    requires: list[Requirement] = Field(default_factory=list)
    pain_points: list[int] = Field(default_factory=list, description="indexes of stated pain points it answers")
    ramp_loss: float = Field(
        default=0.0,
        ge=0,
        description="万元 per year of benefit not yet delivered in the first four quarters after go-live (the ramp); "
        "counted as a cost in those quarters",
    )
    windows: list[Window] = Field(default_factory=list, description="policy amounts earned only by a timely start")

    @cached_property
    def net_one_off(self) -> float:
        return max(0.0, self.one_off - sum(self.subsidies.values()))

    @cached_property
    def annual_benefit(self) -> float:
        return sum(self.benefits.values())


class Settings(BaseModel):
    horizon_quarters: int = Field(default=12, ge=4, le=40)
    yearly_budget: float = Field(ge=0, description="万元 per year, net of subsidies")
    capacity: int = Field(default=2, ge=1)
    discount_rate: float = Field(default=0.08, ge=0, le=1)
    objective: Objective = "npv"
    time_limit_seconds: float = Field(default=10.0, gt=0)
    workers: int = Field(default=1, ge=1)


class Problem(BaseModel):
    candidates: list[Candidate]
    exclusive: list[tuple[str, str]] = Field(default_factory=list)
    baseline_caps: dict[str, float] = Field(default_factory=dict, description="annual cap per baseline, 万元")
    policy_caps: dict[str, float] = Field(default_factory=dict, description="per-enterprise cap per policy, 万元")
    settings: Settings
    pinned: list[str] = Field(default_factory=list, description="candidates the plan must contain")
    dropped: list[str] = Field(default_factory=list, description="candidates the plan must leave out")


class Scheduled(BaseModel):
    id: str
    start_quarter: int
    end_quarter: int = Field(description="first quarter after completion (go-live)")
    net_one_off: float
    subsidy: float
    npv: float
    windows_met: list[Window] = Field(default_factory=list, description="policy windows its start falls in")
    best_start_without_windows: int | None = Field(
        default=None, description="its best start on its own without the windows' amounts, when that differs"
    )


@dataclass(slots=True, kw_only=True)
class Excluded:
    """A candidate left out of the plan, with the binding reason."""

    id: str
    reason: Literal[
        "budget", "capacity", "prerequisite", "value", "alternative", "horizon", "subsidy_cap", "dropped", "infeasible"
    ]
    why: Reason  # what exactly, as a value (wendao.engine.reasons); the plan names what it refers to

    @property
    def detail_zh(self) -> str:
        return render_reason(self.why, "zh")

    @property
    def detail_en(self) -> str:
        return render_reason(self.why, "en")


class Roadmap(BaseModel):
    status: Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "EMPTY"]
    objective: Objective
    npv: float = Field(description="risk-adjusted NPV of the chosen plan after baseline caps, 万元")
    items: list[Scheduled]
    excluded: list[Excluded]
    spend_by_year: list[float]
    budget_by_year: list[float]
    projects_by_quarter: list[int]
    solve_seconds: float
