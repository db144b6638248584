"""What a roadmap can optimise: the one list (engine/roadmap.py solves for them; the CLI option, the API schema
and the web what-if form offer them). A light module, so the CLI can list them without loading the solver.

- ``npv``: risk-adjusted net present value;
- ``quick_wins``: the same at a steep discount rate (earlier cash counts more);
- ``pain_points``: as many stated pain points covered as possible, then NPV.
"""

from __future__ import annotations

from typing import Literal, get_args

Objective = Literal["npv", "quick_wins", "pain_points"]
OBJECTIVES: tuple[Objective, ...] = get_args(Objective)
