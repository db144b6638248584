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


class Lift(BaseModel):
    """What a candidate gains when one of ``providers`` has gone live before it starts (issue 13): a foundation that
    raises a maturity dimension the candidate falls short on raises its chance of success, so it delivers more of
    its median benefit. The plan writes a candidate's lifts as increments (engine/roadmap_lifts.py): each met lift
    adds its savings, and together they add up to the chance at the highest level reached."""

    providers: list[str]
    benefits: dict[str, float] = Field(description="extra risk-adjusted annual saving by baseline, 万元")
    chance: float = Field(default=0.0, ge=0, description="the chance-of-success points it adds")
    ramp_first_year: float = Field(
        default=1.0, ge=0, le=1, description="share of the extra saving delivered in the first four quarters live"
    )


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
    lifts: list[Lift] = Field(default_factory=list, description="savings added once a foundation goes live first")
    chance: float | None = Field(
        default=None, description="the chance of success its benefits count before any lift (set by a plan)"
    )

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
    pin_tolerance: float = Field(
        default=0.05,
        ge=0,
        description="a pinned project starts as early as the constraints allow while that costs at most this share "
        "of the plan's NPV against its NPV-best start in the first year (engine/roadmap.py, the pin's cost)",
    )


class Problem(BaseModel):
    candidates: list[Candidate]
    exclusive: list[tuple[str, str]] = Field(default_factory=list)
    sequenced: list[tuple[str, str]] = Field(
        default_factory=list,
        description="(first, second): when both are in the plan, the second starts only once the first has finished "
        "(two items on the same units and money pool: the second is bought on the first's measured result)",
    )
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
    lifts_met: list[int] = Field(
        default_factory=list, description="indexes of the candidate's lifts a provider met before its start"
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


class PinTiming(BaseModel):
    """When the pinned projects start, and what it costs (issue 13, "a pin's cost"): the plan's risk-adjusted NPV
    with the pins as early as the constraints allow, and with each pin at its NPV-best start in the first year."""

    rule: Literal["earliest", "first_year"]
    npv_earliest: float = Field(description="万元, the pins as early as the constraints allow")
    npv_first_year: float = Field(description="万元, the pins at their NPV-best start within the first year")
    displaced: float = Field(
        default=0.0, description="万元 of the difference that comes from the other projects moving (roadmap.py)"
    )
    tolerance: float = Field(description="the share of the NPV an earliest start may cost")
    starts: dict[str, int] = Field(default_factory=dict, description="pinned candidate -> its start in the plan")
    starts_earliest: dict[str, int] = Field(default_factory=dict)
    starts_first_year: dict[str, int] = Field(default_factory=dict)

    @property
    def cost_of_earliest(self) -> float:
        """What starting the pins at once costs against their best start in the first year, 万元 (≥ 0 or noise)."""
        return self.npv_first_year - self.npv_earliest


class SolveAttempt(BaseModel):
    """One solve behind the roadmap (issue 13: every fallback is a stated fact): which model, how, and what came of it."""

    model: Literal["plan", "plan_without_lifts", "first_year", "first_year_without_lifts"] = Field(
        description="the plan's model; the same without the foundations' lifts; the pins' first-year comparison"
    )
    method: Literal["cp_sat", "shortcut"] = Field(
        default="cp_sat", description="shortcut: every candidate at its own best start met every constraint"
    )
    status: Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"]
    gap: float | None = Field(
        default=None,
        description="(best bound - plan found) / |best bound| of the solver's objective; 0 when proven optimal, None "
        "when no plan was found",
    )
    time_limit_seconds: float


class Fallback(BaseModel):
    """A solve that did not give what was asked, what the roadmap used instead, and the sentence that says so."""

    kind: Literal["unproven", "without_lifts", "pin_earliest_kept", "first_step", "choices_cost_unknown"] = Field(
        description="unproven: the plan's solve hit its time limit with a plan not proven optimal; without_lifts: the "
        "model with the lifts found no plan in time, the model without them was solved; pin_earliest_kept: the pins' "
        "first-year comparison found no plan in time, the pins keep their earliest start; first_step: the optimum was "
        "an empty plan and a foundation project chosen by rule is the roadmap's item (engine/firststep.py); "
        "choices_cost_unknown: the roadmap without the enterprise's pins and drops, which prices them, found no plan "
        "in time (engine/needs.py)"
    )
    tried: SolveAttempt
    used: SolveAttempt | None = Field(default=None, description="the solve whose plan the roadmap took instead")
    note_zh: str = ""
    note_en: str = ""


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
    pin_timing: PinTiming | None = None
    solves: list[SolveAttempt] = Field(default_factory=list, description="every solve behind the plan, in order")
    fallbacks: list[Fallback] = Field(default_factory=list)
