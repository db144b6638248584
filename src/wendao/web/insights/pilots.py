"""Pilot selection (基础扎实、转型意愿强烈、示范带动性强): a transparent, decomposed score per enterprise.

Pure Python, no database. Each component is in [0, 1]; the score is the weighted mean of the three
components (weights are normalised, so only their ratios matter) times 100.

- foundation    = 0.7 × overall maturity / 100 + 0.3 × min(number of systems, 8) / 8
- willingness   = 0.6 × min(budget / revenue / 1 %, 1) + 0.4 × completed steps (profile, assessment, plan) / 3
- demonstration = 0.4 × in an industrial chain + 0.3 × size (large 1, medium 0.7, small 0.4, micro 0.1)
                  + 0.3 × min(sum of qualification points, 1)
                  (single_champion 1, little_giant 0.8, chain_leader 0.8, zjtx 0.5, high_tech 0.4, others 0.2)

Default weights: foundation 0.4, willingness 0.3, demonstration 0.3.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SYSTEMS_FULL = 8
BUDGET_SHARE_FULL = 0.01  # an AI/digital budget of 1 % of revenue per year counts as fully willing
SIZE_POINTS = {"large": 1.0, "medium": 0.7, "small": 0.4, "micro": 0.1}
QUALIFICATION_POINTS = {
    "single_champion": 1.0,
    "little_giant": 0.8,
    "chain_leader": 0.8,
    "zjtx": 0.5,
    "high_tech": 0.4,
}
OTHER_QUALIFICATION_POINTS = 0.2


@dataclass(frozen=True)
class Weights:
    foundation: float = 0.4
    willingness: float = 0.3
    demonstration: float = 0.3

    def normalised(self) -> Weights:
        total = self.foundation + self.willingness + self.demonstration
        if total <= 0:
            return Weights()
        return Weights(self.foundation / total, self.willingness / total, self.demonstration / total)


@dataclass(frozen=True)
class PilotInput:
    overall: float | None  # latest completed round, 0–100; None: not assessed
    systems: int = 0
    budget: float | None = None  # 万元 per year
    revenue: float = 0.0  # 万元
    steps: int = 1  # completed of profile, assessment, plan (0–3)
    in_chain: bool = False
    size_class: str = "micro"
    qualifications: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PilotScore:
    foundation: float
    willingness: float
    demonstration: float
    score: float


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def foundation(inp: PilotInput) -> float:
    maturity = _clamp((inp.overall or 0.0) / 100)
    return 0.7 * maturity + 0.3 * _clamp(inp.systems / SYSTEMS_FULL)


def willingness(inp: PilotInput) -> float:
    share = (inp.budget or 0.0) / inp.revenue if inp.revenue > 0 else 0.0
    return 0.6 * _clamp(share / BUDGET_SHARE_FULL) + 0.4 * _clamp(inp.steps / 3)


def demonstration(inp: PilotInput) -> float:
    quals = sum(QUALIFICATION_POINTS.get(q, OTHER_QUALIFICATION_POINTS) for q in set(inp.qualifications))
    return 0.4 * float(inp.in_chain) + 0.3 * SIZE_POINTS.get(inp.size_class, 0.0) + 0.3 * _clamp(quals)


def combine(f: float, wi: float, d: float, weights: Weights | None = None) -> PilotScore:
    """The score from the three components (which do not depend on the weights)."""
    w = (weights or Weights()).normalised()
    total = 100 * (w.foundation * f + w.willingness * wi + w.demonstration * d)
    return PilotScore(round(f, 4), round(wi, 4), round(d, 4), round(total, 2))


def score(inp: PilotInput, weights: Weights | None = None) -> PilotScore:
    return combine(foundation(inp), willingness(inp), demonstration(inp), weights)
