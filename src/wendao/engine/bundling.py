"""Bundling plan items into one 技改 project (issue 14, priority 6): a policy with a minimum project investment
(an ``item.one_off >= X`` condition in its rule, e.g. 鲁财工〔2021〕1号: 100 万元) that each of several plan items
misses on its own, while the items starting in the same plan year reach it together and meet every other
condition. The enterprise can then register them as one renovation project.

What it is worth is the policy's own award on each item's qualifying spend, capped per project and per
enterprise. A bundle is never counted: registering the project is the enterprise's decision (at most "to
confirm", with the question), and a policy with unverified terms stays "may apply". The optimiser does not
schedule for bundles, because no counted policy has a minimum project size today: 鲁财工〔2021〕1号 (100 万元) is
unverified and probably superseded, and the 2025 provincial round under 鲁财工〔2024〕10号 (5000 万元) publishes
no award rate that was read, so it offers nothing to bundle for (checked 2026-12-06); it schedules for counted
policy windows (roadmap.Window).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from wendao.engine.catalog.schema import Policy, Scenario
from wendao.engine.funding import GRANT_KINDS, award_for, eligibility, facts, fund_item
from wendao.engine.profile import EnterpriseProfile
from wendao.engine.stages import staged_name


class Bundle(BaseModel):
    policy: str
    name_zh: str
    name_en: str
    issuer_zh: str
    document_no: str | None
    status: str
    year: int
    minimum: float
    total: float
    amount: float
    verdict: str
    scenarios: list[str]
    items_zh: list[str]
    items_en: list[str]
    # the policy's page, as on the other who-pays lines (engine/financing.py fills them; defaults keep stored plans)
    link: str | None = None
    link_official: bool = False
    link_note: str | None = None


def minimum_project(policy: Policy) -> float | None:
    """The smallest project investment (万元) a policy's rule asks for, when it asks for one at its top level."""
    conditions = policy.eligibility.get("all", [policy.eligibility])
    sizes = [c["gte"] for c in conditions if isinstance(c, Mapping) and c.get("field") == "item.one_off" and "gte" in c]
    return float(max(sizes)) if sizes else None


def bundles(
    profile: EnterpriseProfile,
    items: Sequence[Any],
    scenarios: Mapping[str, Scenario],
    policies: Sequence[Policy],
    lpr: float,
    today: date,
    discount_rate: float,
) -> list[Bundle]:
    """The bundles of ``items`` (plan items: scenario, names, start_quarter, one_off) that reach a policy's minimum
    project investment together, one per policy and plan year."""
    out = []
    for p in policies:
        minimum = minimum_project(p)
        if minimum is None or p.award.kind not in GRANT_KINDS or p.status in ("expired", "reference", "announced"):
            continue
        by_year: dict[int, list[Any]] = {}
        for it in items:
            scenario = scenarios[it.scenario]
            if it.one_off >= minimum or not eligibility(p, facts(profile, scenario, minimum))[0]:
                continue  # qualifies on its own, or fails on something other than its size
            by_year.setdefault(it.start_quarter // 4, []).append(it)
        for year, group in sorted(by_year.items()):
            total = sum(it.one_off for it in group)
            if len(group) < 2 or total < minimum:
                continue
            # the policy's verdict on a project of the bundle's size (dates, status, facts to confirm)
            first = group[0]
            judged = fund_item(profile, scenarios[first.scenario], total, policies, lpr, today, discount_rate)
            outcome = next((o for o in judged.eligible if o.policy == p.id), None)
            if outcome is None:
                continue
            amount = sum(award_for(p, scenarios[it.scenario], it.one_off, lpr)[0] for it in group)
            for cap in (p.award.cap_per_item, p.award.cap_per_enterprise):
                if cap is not None:
                    amount = min(amount, cap)
            if amount < 0.05:  # nothing worth a line (no 0.0 万元 lines)
                continue
            verdict = "to_confirm" if outcome.verdict in ("counted", "to_confirm") else "possible"
            out.append(
                Bundle(
                    policy=p.id,
                    name_zh=p.name_zh,
                    name_en=p.name_en,
                    issuer_zh=p.issuer_zh,
                    document_no=p.document_no,
                    status=p.status,
                    year=year + 1,
                    minimum=minimum,
                    total=round(total, 2),
                    amount=round(amount, 2),
                    verdict=verdict,
                    scenarios=[it.scenario for it in group],
                    # a pilot and its roll-out are two items: each with its stage
                    items_zh=[staged_name(it.name_zh, getattr(it, "stage", "full"), "zh") for it in group],
                    items_en=[staged_name(it.name_en, getattr(it, "stage", "full"), "en") for it in group],
                )
            )
    return out
