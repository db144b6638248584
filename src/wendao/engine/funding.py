"""Funding engine: which policies a plan item qualifies for, and how much they pay.

Policies are data (data/policies.yaml): an eligibility rule over enterprise and item facts, evaluated by the
safe rule evaluator in engine/rules.py, and an award formula (rate × eligible base, caps, LPR interest
subsidy, fixed amount).
What counts towards the net cost the optimiser sees is deliberately conservative:
- only policies in force (status ``active``) count; ``unverified`` ones are shown as "possible" and
  ``reference`` ones (other provinces) never apply to a Shandong firm;
- a fixed "up to" amount is counted at most up to the item's eligible spend;
- an interest subsidy lowers financing cost, not the investment: it is reported, never subtracted;
- when the catalog does not split an item's cost by category, the one-off cost is split equally across
  the categories it buys (stated in the output).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field

from wendao.engine.catalog.schema import ApplyInfo, Policy, Scenario
from wendao.engine.memo import PerObject
from wendao.engine.profile import EnterpriseProfile
from wendao.engine.rules import evaluate

SHANDONG_CITIES = frozenset(
    [
        "jinan",
        "qingdao",
        "zibo",
        "zaozhuang",
        "dongying",
        "yantai",
        "weifang",
        "jining",
        "taian",
        "weihai",
        "rizhao",
        "linyi",
        "dezhou",
        "liaocheng",
        "binzhou",
        "heze",
    ]
)


# a dataclass, not a validated model: built for every policy of every plan item from values the engine has
# computed (see the note in wendao.engine.scenarios)
@dataclass(slots=True, kw_only=True)
class PolicyOutcome:
    """One policy's verdict on one plan item: eligible or not (with the failed conditions), and the award."""

    policy: str
    name_zh: str
    name_en: str
    status: str
    eligible: bool
    counted: Annotated[bool, Field(description="subtracted from the net cost the roadmap is optimised on")]
    amount: Annotated[
        float, Field(description="万元: the award for this item (for an interest subsidy: per loan-year)")
    ]
    kind: str
    basis_zh: str
    basis_en: str
    failed: Annotated[list[str], Field(description="conditions that are not met")] = field(default_factory=list)
    apply: ApplyInfo
    source: str | None
    as_of: date | None
    verified: bool
    reliability: str | None
    cap_per_enterprise: float | None
    cap_period: str


class ItemFunding(BaseModel):
    scenario: str
    one_off: float
    eligible: list[PolicyOutcome]
    ineligible: list[PolicyOutcome]
    counted_subsidy: float
    net_one_off: float
    split_note: str


def facts(profile: EnterpriseProfile, scenario: Scenario, one_off: float) -> dict[str, Any]:
    """The facts policy rules read, about the enterprise and the item."""
    return {**_enterprise_facts(profile), **_item_facts(scenario, one_off)}


def _enterprise_facts(profile: EnterpriseProfile) -> dict[str, Any]:
    return {
        "enterprise.city": profile.city,
        "enterprise.in_shandong": profile.city in SHANDONG_CITIES,
        "enterprise.size_class": profile.size_class,
        "enterprise.above_designated_size": profile.above_designated_size,
        "enterprise.industry": profile.division,
        "enterprise.qualifications": list(profile.qualifications),
        "enterprise.employees": profile.employees,
        "enterprise.revenue": profile.revenue,
        "enterprise.chain": profile.chain,
    }


def _item_facts(scenario: Scenario, one_off: float) -> dict[str, Any]:
    return {
        "item.scenario": scenario.id,
        "item.kind": scenario.kind,
        "item.stage": scenario.stage,
        "item.buys": list(scenario.cost.buys),
        "item.one_off": one_off,
        "item.model_route": scenario.model_route,
    }


def _in_force(policy: Policy, today: date) -> bool:
    if policy.valid_from and policy.valid_from > today:
        return False
    return not (policy.valid_to and policy.valid_to < today)


def award_for(policy: Policy, scenario: Scenario, one_off: float, lpr: float) -> tuple[float, str, str]:
    """(amount 万元, basis in zh, basis in en) of a policy's award for one item, before enterprise caps."""
    a = policy.award
    buys = list(scenario.cost.buys) or ["services"]
    if a.kind == "share_of_cost":
        categories = [b for b in buys if b in a.base]
        base = one_off * len(categories) / len(buys)
        amount = base * (a.rate or 0.0)
        if a.cap_per_item is not None:
            amount = min(amount, a.cap_per_item)
        cats = "、".join(categories) or "—"
        return (
            amount,
            f"{(a.rate or 0) * 100:g}% × 符合条件的支出 {base:,.1f} 万元（{cats}）",
            f"{(a.rate or 0) * 100:g}% × eligible spend {base:,.1f} 万元 ({', '.join(categories) or '—'})",
        )
    if a.kind == "interest_subsidy":
        amount = (a.lpr_share or 0.0) * lpr * one_off
        if a.cap_per_item is not None:
            amount = min(amount, a.cap_per_item)
        return (
            amount,
            f"若以贷款支付全部投资：{(a.lpr_share or 0) * 100:g}% × LPR {lpr * 100:.2f}% × {one_off:,.1f} 万元/年",
            f"if the whole investment is loan-financed: {(a.lpr_share or 0) * 100:g}% × LPR {lpr * 100:.2f}% × "
            f"{one_off:,.1f} 万元 per year",
        )
    amount = a.amount or 0.0
    categories = [b for b in buys if not a.base or b in a.base]
    base = one_off * len(categories) / len(buys)
    counted = min(amount, base)
    return (
        counted,
        f"定额（最高 {amount:,.1f} 万元，不超过该项支出）",
        f"fixed (up to {amount:,.1f} 万元, at most the item's spend)",
    )


def _rule_fields(rule: Any) -> tuple[str, ...]:
    if isinstance(rule, dict):
        if "field" in rule:
            return (str(rule["field"]),)
        return tuple(sorted({f for sub in rule.values() for f in _rule_fields(sub)}))
    if isinstance(rule, list):
        return tuple(sorted({f for sub in rule for f in _rule_fields(sub)}))
    return ()


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


Verdict = tuple[bool, tuple[str, ...]]
# per policy: the facts its rule reads, and its verdicts so far keyed by their values
_VERDICTS: PerObject[Policy, tuple[tuple[str, ...], dict[tuple[Any, ...], Verdict]]] = PerObject(size=512)


def eligibility(policy: Policy, f: dict[str, Any]) -> Verdict:
    """Whether a policy's rule holds for the facts, and the failed conditions; memoised on the facts the rule
    actually reads (many enterprises share a city, size class and item type, so verdicts repeat)."""
    fields, verdicts = _VERDICTS.get(policy, lambda p: (_rule_fields(p.eligibility), {}))
    key = tuple(_freeze(f.get(x)) for x in fields)
    verdict = verdicts.get(key)
    if verdict is None:
        ok, failures = evaluate(policy.eligibility, f)
        verdict = (ok, tuple(x.describe() for x in failures))
        if len(verdicts) > 20_000:
            verdicts.clear()
        verdicts[key] = verdict
    return verdict


def fund_item(
    profile: EnterpriseProfile, scenario: Scenario, one_off: float, policies: Sequence[Policy], lpr: float, today: date
) -> ItemFunding:
    eligible: list[PolicyOutcome] = []
    ineligible: list[PolicyOutcome] = []
    for p, (ok, failed, amount, basis_zh, basis_en, counted) in zip(
        policies, _verdicts(profile, scenario, one_off, policies, lpr, today), strict=True
    ):
        outcome = PolicyOutcome(
            policy=p.id,
            name_zh=p.name_zh,
            name_en=p.name_en,
            status=p.status,
            eligible=ok,
            counted=counted,
            amount=amount,
            kind=p.award.kind,
            basis_zh=basis_zh,
            basis_en=basis_en,
            failed=list(failed),
            apply=p.apply,
            source=p.award.source or p.source,
            as_of=p.award.as_of or p.as_of,
            verified=p.award.verified,
            reliability=p.award.reliability,
            cap_per_enterprise=p.award.cap_per_enterprise,
            cap_period=p.award.cap_period,
        )
        (eligible if ok else ineligible).append(outcome)
    eligible.sort(key=lambda o: (-o.counted, -o.amount, o.policy))
    counted_total = sum(o.amount for o in eligible if o.counted)
    counted_total = min(counted_total, one_off)
    buys = scenario.cost.buys
    split = ("一次性投资按所购类别平均拆分：" + "、".join(buys)) if len(buys) > 1 else ""
    return ItemFunding(
        scenario=scenario.id,
        one_off=round(one_off, 2),
        eligible=eligible,
        ineligible=ineligible,
        counted_subsidy=round(counted_total, 2),
        net_one_off=round(one_off - counted_total, 2),
        split_note=split,
    )


# (eligible, failed conditions, amount, basis zh, basis en, counted) of one policy for one item
_Verdict = tuple[bool, tuple[str, ...], float, str, str, bool]


def _verdicts(
    profile: EnterpriseProfile, scenario: Scenario, one_off: float, policies: Sequence[Policy], lpr: float, today: date
) -> tuple[_Verdict, ...]:
    """Every policy's verdict on one item, memoised (as plain values) on what the verdicts depend on, as in
    ``counted_subsidies_many``."""
    memo = _memo(policies)
    key = _item_key(memo, _enterprise_facts(profile), scenario, one_off, lpr, today)
    hit = memo.verdicts.get(key)
    if hit is not None:
        return hit
    f = facts(profile, scenario, one_off)
    out = []
    for p in policies:
        ok, failed_conditions = eligibility(p, f)
        failed = tuple(failed_conditions)
        if p.status == "expired" or not _in_force(p, today):
            ok, failed = False, (*failed, f"policy not in force on {today.isoformat()}")
        amount, basis_zh, basis_en = award_for(p, scenario, one_off, lpr) if ok else (0.0, "", "")
        counted = ok and p.status == "active" and p.award.kind != "interest_subsidy" and amount > 0
        out.append((ok, failed, round(amount, 2), basis_zh, basis_en, counted))
    if len(memo.verdicts) > 20_000:
        memo.verdicts.clear()
    verdicts = memo.verdicts[key] = tuple(out)
    return verdicts


class _PolicyMemo:
    """Per policy list: the facts any of its rules reads, and the answers so far (plain values, which the
    cyclic collector ignores; a memo of pydantic outcomes made every full collection slower as it grew)."""

    def __init__(self, policies: Sequence[Policy]) -> None:
        self.fields = tuple(sorted({f for p in policies for f in _rule_fields(p.eligibility)}))
        self.enterprise_fields = [x for x in self.fields if x.startswith("enterprise.")]
        self.counted: dict[tuple[Any, ...], tuple[tuple[str, float], ...]] = {}
        self.verdicts: dict[tuple[Any, ...], tuple[_Verdict, ...]] = {}


_MEMO: PerObject[Sequence[Policy], _PolicyMemo] = PerObject(size=8)


def _memo(policies: Sequence[Policy]) -> _PolicyMemo:
    return _MEMO.get(policies, _PolicyMemo)


def _item_key(
    memo: _PolicyMemo,
    enterprise: dict[str, Any],
    scenario: Scenario,
    one_off: float,
    lpr: float,
    today: date,
    enterprise_key: tuple[Any, ...] | None = None,
) -> tuple[Any, ...]:
    """What a policy verdict on an item depends on: the item (its id, kind, stage, model route and what it
    buys), its cost, the date, the LPR and the enterprise facts the policies' rules read."""
    if enterprise_key is None:
        enterprise_key = tuple(_freeze(enterprise.get(x)) for x in memo.enterprise_fields)
    return (
        scenario.id,
        scenario.kind,
        scenario.stage,
        scenario.model_route,
        tuple(scenario.cost.buys),
        one_off,
        lpr,
        today,
        *enterprise_key,
    )


def counted_subsidies_many(
    profile: EnterpriseProfile,
    items: Sequence[tuple[Scenario, float]],
    policies: Sequence[Policy],
    lpr: float,
    today: date,
) -> dict[str, dict[str, float]]:
    """What the optimiser needs for several items of one enterprise: the counted subsidy per policy (scenario
    id -> policy -> 万元; the same rule as ``fund_item``'s ``counted`` flag), without building the full
    outcome list for every policy. Memoised on what an answer depends on: the item (its id, kind, stage, model
    route and what it buys), its cost, the date, the LPR and the facts the policies' rules read (categories
    such as city and size class, so answers repeat across enterprises)."""
    memo = _memo(policies)
    enterprise = _enterprise_facts(profile)
    enterprise_key = tuple(_freeze(enterprise.get(x)) for x in memo.enterprise_fields)
    out: dict[str, dict[str, float]] = {}
    for scenario, one_off in items:
        key = _item_key(memo, enterprise, scenario, one_off, lpr, today, enterprise_key)
        hit = memo.counted.get(key)
        if hit is not None:
            out[scenario.id] = dict(hit)
            continue
        f = {**enterprise, **_item_facts(scenario, one_off)}
        raw: dict[str, float] = {}
        for p in policies:
            if p.status != "active" or p.award.kind == "interest_subsidy" or not _in_force(p, today):
                continue
            ok, _ = eligibility(p, f)
            if ok:
                amount = award_for(p, scenario, one_off, lpr)[0]
                if amount > 0:
                    raw[p.id] = amount
        scaled = _scaled(raw, one_off)
        if len(memo.counted) > 100_000:
            memo.counted.clear()
        memo.counted[key] = tuple(scaled.items())
        out[scenario.id] = scaled
    return out


def _scaled(raw: dict[str, float], one_off: float) -> dict[str, float]:
    total = sum(raw.values())
    if total <= one_off or total == 0:
        return raw
    return {k: v * one_off / total for k, v in raw.items()}


def counted_by_policy(funding: ItemFunding) -> dict[str, float]:
    """Counted subsidy per policy, scaled down pro rata if they would exceed the item's cost."""
    return _scaled({o.policy: o.amount for o in funding.eligible if o.counted}, funding.one_off)
