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

Each outcome also carries a verdict for the "who pays" view (engine/financing.py, issue 14):
- ``counted``: the rule holds on facts the enterprise gave, the policy is active and in force, its award is
  not decided by review or quota, and it pays something (a grant, a tax saving, an interest subsidy);
- ``to_confirm``: it would hold but a profile fact is unanswered: ``confirm`` names the facts, each with the one
  question that settles it (``FACT_QUESTIONS``); shown as likely if confirmed;
- ``possible``: it holds but its terms are unverified, it is awarded by review, or it publishes no amount for a
  firm; ``announced``: published in outline with terms pending (never counted, no amount);
- ``no``: a condition fails on a known fact (``failed`` says which), or the policy is not in force.
Tax measures are valued at the enterprise's income-tax rate (engine/tax.py).
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
from wendao.engine.rules import Checked, check, evaluate
from wendao.engine.scenarios import money_en
from wendao.engine.tax import TAX_KINDS, TaxRate, tax_rate_for, tax_worth


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
    # added with issue 14 (defaults keep stored plans loading): counted | to_confirm | possible | announced | no
    verdict: str = "no"
    confirm: list[str] = field(default_factory=list)  # profile facts to answer (keys of FACT_QUESTIONS)
    likely: bool = False  # summed into "likely if confirmed": to_confirm, or unverified terms with an amount
    issuer_zh: str = ""
    document_no: str | None = None
    official_url: str | None = None
    link_note: str | None = None  # why no official link, or that the link is a repost
    valid_to: date | None = None
    level: str = ""


# The profile facts (EnterpriseProfile.funding) a rule may wait on, with the one question that settles each (zh, en)
FACT_QUESTIONS: dict[str, tuple[str, str]] = {
    "enterprise.tax_status": (
        "企业所得税按哪种身份缴纳（一般企业25%、高新技术企业15%、小型微利企业，或目前无应纳税所得额）？",
        "How does the enterprise pay income tax (standard 25 %, high-tech 15 %, small low-profit, or no taxable "
        "income at present)?",
    ),
    "enterprise.rd_project": (
        "人工智能和数字化项目是否按研发项目立项、单独归集研发费用？",
        "Are the AI and digital projects set up as R&D projects with their costs kept apart as R&D costs?",
    ),
    "enterprise.techreno_listed": (
        "项目是否纳入省级技改项目库（技改导向目录项目库）？",
        "Is the project in the provincial technology-renovation project list?",
    ),
    "enterprise.equipment_renewal_listed": (
        "项目是否进入国家设备更新备选项目清单？",
        "Is the project on the national equipment-renewal candidate list?",
    ),
    "enterprise.loan_financing": (
        "投资是否打算用银行贷款支付？占多少比例、几年还清？",
        "Will part of the investment be paid with a bank loan? What share, repaid over how many years?",
    ),
    "enterprise.special_equipment": (
        "所购设备是否列入节能节水、环境保护或安全生产专用设备企业所得税优惠目录？",
        "Is the equipment bought in the energy/water-saving, environmental or production-safety tax catalogues?",
    ),
    "enterprise.model_product": (
        "企业是否开发垂直行业大模型产品并送国家级机构评测？",
        "Does the enterprise build a vertical-industry model product and submit it to a national-level evaluation?",
    ),
    "enterprise.private": ("企业是否为民营企业？", "Is the enterprise privately owned?"),
}
POLICY_QUESTION = "policy:"  # a confirm entry "policy:<id>": the policy's own question (Policy.ask_zh)


def question_for(fact: str, policies: Sequence[Policy]) -> tuple[str, str]:
    """The (zh, en) question that settles a fact: a profile fact's, or a policy's own question."""
    if fact.startswith(POLICY_QUESTION):
        pid = fact[len(POLICY_QUESTION) :]
        p = next((x for x in policies if x.id == pid), None)
        if p is not None and p.ask_zh:
            return p.ask_zh, p.ask_en or p.ask_zh
        return pid, pid
    return FACT_QUESTIONS[fact]


GRANT_KINDS = frozenset({"share_of_cost", "fixed_amount"})
SPEND_NAMES_ZH = {"compute": "算力", "equipment": "设备", "software": "软件", "services": "服务", "data": "数据"}
SPEND_NAMES_EN = {
    "compute": "computing power",
    "equipment": "equipment",
    "software": "software",
    "services": "services",
    "data": "data",
}


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
    f = profile.funding
    loan = None if f.loan_share is None else f.loan_share > 0
    return {
        "enterprise.tax_status": f.tax_status,
        "enterprise.rd_project": f.rd_project,
        "enterprise.techreno_listed": f.techreno_listed,
        "enterprise.equipment_renewal_listed": f.equipment_renewal_listed,
        "enterprise.loan_financing": loan,
        "enterprise.special_equipment": f.special_equipment,
        "enterprise.model_product": f.model_product,
        "enterprise.private": f.private,
        "enterprise.city": profile.city,
        "enterprise.in_shandong": profile.in_shandong,
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


def base_of(policy: Policy, scenario: Scenario, one_off: float) -> tuple[float, list[str]]:
    """The item's spend in the policy's base categories (万元; the one-off split equally across what it buys)."""
    buys = list(scenario.cost.buys) or ["services"]
    categories: list[str] = [b for b in buys if b in policy.award.base]
    return one_off * len(categories) / len(buys), categories


def award_for(
    policy: Policy,
    scenario: Scenario,
    one_off: float,
    lpr: float,
    tax_rate: float = 0.25,
    discount_rate: float = 0.08,
    loan_share: float | None = None,
) -> tuple[float, str, str]:
    """(amount 万元, basis in zh, basis in en) of a policy's award for one item, before enterprise caps. Tax
    measures: their present worth at ``tax_rate``; interest subsidies with ``points``: the total over their years on
    the loan (``loan_share`` of the base; the whole base when the share is not known)."""
    a = policy.award
    buys = list(scenario.cost.buys) or ["services"]
    if a.kind == "pending":
        return 0.0, "", ""
    if a.kind in TAX_KINDS:
        base, _ = base_of(policy, scenario, one_off)
        worth, _, zh, en = tax_worth(policy, base, tax_rate, discount_rate)
        return worth, zh, en
    if a.kind == "interest_subsidy" and a.points is not None:
        base, _ = base_of(policy, scenario, one_off) if a.base else (one_off, buys)
        share = 1.0 if loan_share is None else loan_share
        principal = base * share
        if a.max_loan is not None:
            principal = min(principal, a.max_loan)
        years = a.years or 1
        amount = principal * a.points * years
        if a.cap_per_item is not None:
            amount = min(amount, a.cap_per_item)
        said = "若以贷款支付全部投资" if loan_share is None else f"贷款 {share * 100:g}% × 投资"
        said_en = "if the whole investment is loan-financed" if loan_share is None else f"a loan of {share * 100:g}%"
        return (
            amount,
            f"{said}：本金 {principal:,.1f} 万元 × {a.points * 100:g} 个百分点 × 最长 {years} 年",
            f"{said_en}: principal {money_en(principal)} × {a.points * 100:g} points × up to {years} years",
        )
    if a.kind == "share_of_cost":
        categories = [b for b in buys if b in a.base]
        base = one_off * len(categories) / len(buys)
        amount = base * (a.rate or 0.0)
        if a.cap_per_item is not None:
            amount = min(amount, a.cap_per_item)
        cats = "、".join(SPEND_NAMES_ZH.get(c, c) for c in categories) or "—"
        return (
            amount,
            f"{(a.rate or 0) * 100:g}% × 符合条件的支出 {base:,.1f} 万元（{cats}）",
            f"{(a.rate or 0) * 100:g}% × eligible spend {money_en(base)} "
            f"({', '.join(SPEND_NAMES_EN.get(c, c) for c in categories) or '—'})",
        )
    if a.kind == "interest_subsidy":
        principal = one_off if loan_share is None else one_off * loan_share
        amount = (a.lpr_share or 0.0) * lpr * principal
        if a.cap_per_item is not None:
            amount = min(amount, a.cap_per_item)
        said = "若以贷款支付全部投资" if loan_share is None else f"贷款 {loan_share * 100:g}% × 投资"
        said_en = (
            "if the whole investment is loan-financed" if loan_share is None else f"a loan of {loan_share * 100:g}%"
        )
        return (
            amount,
            f"{said}：{(a.lpr_share or 0) * 100:g}% × LPR {lpr * 100:.2f}% × {principal:,.1f} 万元/年",
            f"{said_en}: {(a.lpr_share or 0) * 100:g}% × LPR {lpr * 100:.2f}% × {money_en(principal)} per year",
        )
    amount = a.amount or 0.0
    categories = [b for b in buys if not a.base or b in a.base]
    base = one_off * len(categories) / len(buys)
    counted = min(amount, base)
    return (
        counted,
        f"定额（最高 {amount:,.1f} 万元，不超过该项支出）",
        f"fixed (up to {money_en(amount)}, at most the item's spend)",
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
# per policy: the facts its rule reads, its verdicts so far keyed by their values, and (for a rule that does not
# hold) the unanswered facts it waits on, keyed the same way
_VERDICTS: PerObject[
    Policy,
    tuple[tuple[str, ...], dict[tuple[Any, ...], Verdict], dict[tuple[Any, ...], tuple[str, ...] | None]],
] = PerObject(size=512)


def _rule_memo(
    policy: Policy,
) -> tuple[tuple[str, ...], dict[tuple[Any, ...], Verdict], dict[tuple[Any, ...], tuple[str, ...] | None]]:
    return _rule_fields(policy.eligibility), {}, {}


def eligibility(policy: Policy, f: dict[str, Any]) -> Verdict:
    """Whether a policy's rule holds for the facts, and the failed conditions; memoised on the facts the rule
    actually reads (many enterprises share a city, size class and item type, so verdicts repeat)."""
    return _eligibility(policy, f, _rule_key(policy, f))


def _rule_key(policy: Policy, f: dict[str, Any]) -> tuple[Any, ...]:
    """The values of the facts a policy's rule reads: the key of its memoised verdicts."""
    return tuple(_freeze(f.get(x)) for x in _VERDICTS.get(policy, _rule_memo)[0])


def _eligibility(policy: Policy, f: dict[str, Any], key: tuple[Any, ...]) -> Verdict:
    _, verdicts, _ = _VERDICTS.get(policy, _rule_memo)
    verdict = verdicts.get(key)
    if verdict is None:
        ok, failures = evaluate(policy.eligibility, f)
        verdict = (ok, tuple(x.describe() for x in failures))
        if len(verdicts) > 20_000:
            verdicts.clear()
        verdicts[key] = verdict
    return verdict


def waiting_on(policy: Policy, f: dict[str, Any], key: tuple[Any, ...] | None = None) -> tuple[str, ...] | None:
    """``_waiting_on`` for a policy's rule, memoised as ``eligibility`` is: it reads only the facts the rule reads
    (``key``: ``_rule_key(policy, f)`` when already worked out)."""
    _, _, waits = _VERDICTS.get(policy, _rule_memo)
    if key is None:
        key = _rule_key(policy, f)
    if key in waits:
        return waits[key]
    waiting = _waiting_on(check(policy.eligibility, f))
    if len(waits) > 20_000:
        waits.clear()
    waits[key] = waiting
    return waiting


def fund_item(
    profile: EnterpriseProfile,
    scenario: Scenario,
    one_off: float,
    policies: Sequence[Policy],
    lpr: float,
    today: date,
    discount_rate: float = 0.08,
    start: date | None = None,
) -> ItemFunding:
    """Every policy's verdict on one item. ``start``: the day the item starts; a policy that comes into force
    between the plan's date and then is judged in force (issue 14: grants judged at the item's start, not the
    plan date); one that ends before it is left to the who-pays view, which shows it as "if extended"."""
    eligible: list[PolicyOutcome] = []
    ineligible: list[PolicyOutcome] = []
    for p, (ok, failed, amount, basis_zh, basis_en, counted, verdict, confirm, likely) in zip(
        policies, _verdicts(profile, scenario, one_off, policies, lpr, today, discount_rate, start), strict=True
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
            verdict=verdict,
            confirm=list(confirm),
            likely=likely,
            issuer_zh=p.issuer_zh,
            document_no=p.document_no,
            official_url=p.official_url,
            link_note=p.official_url_missing,
            valid_to=p.valid_to,
            level=p.level,
        )
        (eligible if ok else ineligible).append(outcome)
    eligible.sort(key=lambda o: (-o.counted, -o.amount, o.policy))
    counted_total = sum(o.amount for o in eligible if o.counted)
    counted_total = min(counted_total, one_off)
    buys = scenario.cost.buys
    names = "、".join(SPEND_NAMES_ZH.get(b, b) for b in buys)
    split = ("一次性投资按所购类别平均拆分：" + names) if len(buys) > 1 else ""
    return ItemFunding(
        scenario=scenario.id,
        one_off=round(one_off, 2),
        eligible=eligible,
        ineligible=ineligible,
        counted_subsidy=round(counted_total, 2),
        net_one_off=round(one_off - counted_total, 2),
        split_note=split,
    )


def counted_amounts(
    profile: EnterpriseProfile,
    scenario: Scenario,
    one_off: float,
    policies: Sequence[Policy],
    lpr: float,
    today: date,
    discount_rate: float = 0.08,
    start: date | None = None,
    only: Sequence[Policy] | None = None,
) -> dict[str, float]:
    """The amount of every policy counted for one item (grants and tax measures alike), from the memoised
    verdicts ``fund_item`` reads, without building its outcome objects (the optimiser asks for every candidate).
    ``only``: judge just these of ``policies`` (a policy's verdict depends on no other's; the tax rate still reads
    them all), for a caller that needs a few of them for every candidate (``financing.policy_windows``)."""
    if only is None:
        verdicts = _verdicts(profile, scenario, one_off, policies, lpr, today, discount_rate, start)
        return {p.id: v[2] for p, v in zip(policies, verdicts, strict=True) if v[0] and v[6] == "counted" and v[2] > 0}
    return counted_amounts_many(profile, [(scenario, one_off)], policies, only, lpr, today, discount_rate, start)[0]


def counted_amounts_many(
    profile: EnterpriseProfile,
    items: Sequence[tuple[Scenario, float]],
    policies: Sequence[Policy],
    only: Sequence[Policy],
    lpr: float,
    today: date,
    discount_rate: float = 0.08,
    start: date | None = None,
) -> list[dict[str, float]]:
    """``counted_amounts(..., only=only)`` for several items of one enterprise, in order: the enterprise's facts and
    tax rate are worked out once, not once per item (``financing.policy_windows_many`` asks for every candidate)."""
    rate = _tax_rate(profile, policies, today)
    judged = max(today, start) if start is not None else today
    enterprise = _enterprise_facts(profile)
    out = []
    for scenario, one_off in items:
        f = {**enterprise, **_item_facts(scenario, one_off)}
        verdicts = [_verdict_of(p, profile, scenario, one_off, f, rate, lpr, today, judged, discount_rate) for p in only]
        out.append(
            {p.id: v[2] for p, v in zip(only, verdicts, strict=True) if v[0] and v[6] == "counted" and v[2] > 0}
        )
    return out


# (eligible, failed conditions, amount, basis zh, basis en, counted, verdict, facts to confirm, likely) of one
# policy for one item
_Verdict = tuple[bool, tuple[str, ...], float, str, str, bool, str, tuple[str, ...], bool]


def _waiting_on(checked: Checked) -> tuple[str, ...] | None:
    """The unanswered profile facts a checked rule that does not hold waits on, or None when it fails on what is
    known whatever they turn out to be. Three-valued: an ``all`` waits on the facts of all its parts and fails if
    one part fails; an ``any`` holds if one branch holds, else waits on the facts of every branch that could still
    hold (answering one settles it) and fails only when every branch fails on a known fact. So a policy with two
    routes (a firm list or a project of a minimum size) stays "to confirm" through the open route when the other
    is closed, and drops out when both are (issue 14 review: the PBoC relending tool). A condition on a fact that
    is not given waits only when a question settles that fact (``FACT_QUESTIONS``); otherwise it fails."""
    if checked.holds:
        return ()
    if checked.kind in ("all", "any"):
        parts = [_waiting_on(part) for part in checked.parts]
        if checked.kind == "any":
            parts = [w for w in parts if w is not None] or [None]
        if None in parts:
            return None
        return tuple(dict.fromkeys(x for w in parts if w is not None for x in w))
    fact = checked.failure.field if checked.failure is not None else ""
    return (fact,) if checked.status == "unknown" and fact in FACT_QUESTIONS else None


def _tax_rate(profile: EnterpriseProfile, policies: Sequence[Policy], today: date) -> TaxRate:
    """``tax_rate_for``, memoised per policy list on what it reads: the stated status, whether the enterprise is
    qualified high-tech, and the date."""
    rates = _memo(policies).tax_rates
    key = (profile.funding.tax_status, "high_tech" in profile.qualifications, today)
    hit = rates.get(key)
    if hit is None:
        hit = rates[key] = tax_rate_for(profile.funding.tax_status, profile.qualifications, policies, today)
    return hit


def _verdicts(
    profile: EnterpriseProfile,
    scenario: Scenario,
    one_off: float,
    policies: Sequence[Policy],
    lpr: float,
    today: date,
    discount_rate: float = 0.08,
    start: date | None = None,
) -> tuple[_Verdict, ...]:
    """Every policy's verdict on one item, memoised (as plain values) on what the verdicts depend on, as in
    ``counted_subsidies_many``."""
    memo = _memo(policies)
    rate = _tax_rate(profile, policies, today)
    loan_share = profile.funding.loan_share
    judged = max(today, start) if start is not None else today  # the day a policy must have come into force by
    key = (
        *_item_key(memo, _enterprise_facts(profile), scenario, one_off, lpr, today),
        rate,
        loan_share,
        discount_rate,
        judged,
        _answers_key(profile),
    )
    hit = memo.verdicts.get(key)
    if hit is not None:
        return hit
    f = facts(profile, scenario, one_off)
    out = [_verdict_of(p, profile, scenario, one_off, f, rate, lpr, today, judged, discount_rate) for p in policies]
    if len(memo.verdicts) > 20_000:
        memo.verdicts.clear()
    verdicts = memo.verdicts[key] = tuple(out)
    return verdicts


def _verdict_of(
    p: Policy,
    profile: EnterpriseProfile,
    scenario: Scenario,
    one_off: float,
    f: dict[str, Any],
    rate: TaxRate,
    lpr: float,
    today: date,
    judged: date,
    discount_rate: float,
) -> _Verdict:
    """One policy's verdict on one item (``_verdicts``; it depends on no other policy's)."""
    loan_share = profile.funding.loan_share
    key = _rule_key(p, f)  # eligibility's and waiting_on's memo key, worked out once
    ok, failed_conditions = _eligibility(p, f, key)
    failed = tuple(failed_conditions)
    confirm: tuple[str, ...] = ()
    if not ok:
        waiting = waiting_on(p, f, key)
        if waiting and p.status not in ("expired", "reference"):
            confirm = waiting
    if p.status in ("expired", "reference") or not (_in_force(p, today) or _in_force(p, judged)):
        ok, confirm = False, ()
        failed = (*failed, f"policy not in force on {today.isoformat()}")
    if p.status == "announced" and (ok or confirm):
        return (True, (), 0.0, "", "", False, "announced", (), False)
    if not ok and not confirm:
        return (False, failed, 0.0, "", "", False, "no", (), False)
    amount, basis_zh, basis_en = award_for(p, scenario, one_off, lpr, rate.rate, discount_rate, loan_share)
    a = p.award
    if a.kind != "pending" and amount <= 0:  # nothing in the item for this policy to pay on
        return (False, (*failed, "no qualifying spend in this item"), 0.0, "", "", False, "no", (), False)
    if a.kind == "interest_subsidy" and a.min_loan is not None:
        # without a stated loan share: even a loan paying the whole spend must reach the minimum
        share = 1.0 if loan_share is None else loan_share
        principal = base_of(p, scenario, one_off)[0] * share if a.base else one_off * share
        if principal < a.min_loan:
            why = f"loan {money_en(principal)} below the minimum {money_en(a.min_loan, 0)}"
            return (False, (*failed, why), 0.0, "", "", False, "no", (), False)
    terms_sure = p.status == "active" and not a.selective and a.kind != "pending"
    if a.kind in TAX_KINDS:
        terms_sure = terms_sure and rate.verified_terms
        if rate.no_taxable_income:
            why = "no taxable income: the deduction or credit carries forward, not counted"
            return (False, (*failed, why), 0.0, "", "", False, "no", (), False)
        if a.kind == "tax_expensing" and a.unit_cap is not None and base_of(p, scenario, one_off)[0] > a.unit_cap:
            terms_sure = False  # a unit above the cap is depreciated as usual: not known from the plan
    if p.ask_zh:  # a question no profile fact answers: "to confirm" until the enterprise answers it
        said = (profile.funding.policy_answers or {}).get(p.id)
        if said is False:
            why = f"the enterprise answered no to the policy's question ({p.id})"
            return (False, (*failed, why), 0.0, "", "", False, "no", (), False)
        if said is None:
            confirm = (*confirm, POLICY_QUESTION + p.id)
    if confirm:
        verdict, likely = ("to_confirm", terms_sure) if terms_sure else ("possible", False)
    else:
        verdict = "counted" if terms_sure else "possible"
        likely = verdict == "possible" and not a.selective and a.kind != "pending"
    counted = verdict == "counted" and a.kind in GRANT_KINDS
    return (True, (), round(amount, 2), basis_zh, basis_en, counted, verdict, confirm, likely)


class _PolicyMemo:
    """Per policy list: the facts any of its rules reads, and the answers so far (plain values, which the
    cyclic collector ignores; a memo of pydantic outcomes made every full collection slower as it grew)."""

    def __init__(self, policies: Sequence[Policy]) -> None:
        self.fields = tuple(sorted({f for p in policies for f in _rule_fields(p.eligibility)}))
        self.enterprise_fields = [x for x in self.fields if x.startswith("enterprise.")]
        self.counted: dict[tuple[Any, ...], tuple[tuple[str, float], ...]] = {}
        self.verdicts: dict[tuple[Any, ...], tuple[_Verdict, ...]] = {}
        self.tax_rates: dict[tuple[str | None, bool, date], TaxRate] = {}


_MEMO: PerObject[Sequence[Policy], _PolicyMemo] = PerObject(size=8)


def _answers_key(profile: EnterpriseProfile) -> tuple[tuple[str, bool], ...]:
    """The enterprise's answers to policies' own questions, as part of a memo key."""
    return tuple(sorted((profile.funding.policy_answers or {}).items()))


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
    enterprise_key = (*(_freeze(enterprise.get(x)) for x in memo.enterprise_fields), _answers_key(profile))
    answers = profile.funding.policy_answers or {}
    # the policies that may count for any item of this enterprise, in the catalog's order (the same for every item)
    grants = [
        p
        for p in policies
        if p.status == "active"
        and p.award.kind in GRANT_KINDS
        and not p.award.selective
        and _in_force(p, today)
        and not (p.ask_zh and answers.get(p.id) is not True)  # its own question unanswered: to confirm, not counted
    ]
    out: dict[str, dict[str, float]] = {}
    for scenario, one_off in items:
        key = _item_key(memo, enterprise, scenario, one_off, lpr, today, enterprise_key)
        hit = memo.counted.get(key)
        if hit is not None:
            out[scenario.id] = dict(hit)
            continue
        f = {**enterprise, **_item_facts(scenario, one_off)}
        raw: dict[str, float] = {}
        for p in grants:
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
