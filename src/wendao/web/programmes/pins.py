"""Commitments that pin a plan: a step of the evening group workspace that names a catalog scenario, ticked by a
member of the participant's enterprise (their consent), pins that scenario in the enterprise's next plans.

``plan_with_commitments`` wraps every plan ``enterprises.services.create_plan`` builds (the first one, a what-if,
a programme's regeneration job): the programmes app registers it in ``ready`` (enterprises/plan_hooks.py). The enterprise's own drop of a scenario wins over a commitment. A committed pin
the roadmap cannot hold (budget, prerequisites, horizon) never blocks the plan: the plan is made without the
commitments and the record says why they were refused, so the plan page can show it. The plan record's options
carry ``committed`` (the scenario ids pinned by a commitment) for the plan's choices on the web.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from wendao.engine.needs import ChoiceError
from wendao.engine.plan import PlanOptions
from wendao.web.programmes.models import Commitment

T = TypeVar("T")


@dataclass(frozen=True)
class CommittedPin:
    scenario: str
    step: str
    group: int | None
    by: str
    at: Any


def committed_pins(enterprise: Any) -> list[CommittedPin]:
    """The consented scenario steps of the enterprise's joined participations, in programme and step order."""
    rows = (
        Commitment.objects.filter(
            participant__enterprise=enterprise, participant__joined_at__isnull=False, pinned_by__isnull=False
        )
        .exclude(scenario="")
        .select_related("participant__group_membership__group", "pinned_by")
        .order_by("participant__programme_id", "position")
    )
    out = []
    for c in rows:
        membership = getattr(c.participant, "group_membership", None)
        by = c.pinned_by.first_name or c.pinned_by.get_username() if c.pinned_by else ""
        out.append(CommittedPin(c.scenario, c.text, membership.group.number if membership else None, by, c.pinned_at))
    return out


def plan_with_commitments(
    enterprise: Any, options: PlanOptions, build: Callable[[PlanOptions], T]
) -> tuple[T, PlanOptions, dict[str, Any]]:
    """``build(options)`` with the committed pins added; (plan, the options used, what to store with the plan)."""
    committed = list(dict.fromkeys(p.scenario for p in committed_pins(enterprise) if p.scenario not in options.drop))
    extra = [s for s in committed if s not in options.pin]
    if not extra:
        return build(options), options, ({"committed": committed} if committed else {})
    pinned = options.model_copy(update={"pin": [*options.pin, *extra]})
    try:
        return build(pinned), pinned, {"committed": committed}
    except ChoiceError as exc:  # the roadmap cannot hold them: the plan is made without, and says why
        kept = [s for s in committed if s in options.pin]
        stored: dict[str, Any] = {"committed_refused": extra, "committed_why_zh": exc.problems_zh}
        stored["committed_why_en"] = exc.problems
        if kept:
            stored["committed"] = kept
        return build(options), options, stored
