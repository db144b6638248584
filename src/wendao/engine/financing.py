"""Who pays (谁来出钱, issue 14): the plan's money by year and by item, split into the enterprise's own money,
counted grants, tax savings, a bank loan (drawdown, repayment, interest, interest subsidy) and money that is
likely if the enterprise confirms named facts; the questions that settle those facts; how to apply, ordered by
deadline; and the policies announced with terms pending.

Built from the plan items and their funding outcomes (engine/funding.py), never recomputing a verdict:
- grants are spread over the build quarters as the roadmap spends the net one-off (engine/roadmap.py);
- a tax measure lowers the tax settled for the year of the spend, i.e. cash in the next plan year; the one-time
  equipment deduction (2023年第37号) is no saving but tax timing: it brings tax forward and gives it back later
  (engine/tax.py), so it has its own row (``tax_timing``, counted; ``tax_timing_likely``, if confirmed), positive
  in the year less tax is paid and negative in the years it is paid back, never in grants, tax savings or the
  likely-if-confirmed support;
- a loan (``funding.loan_share`` of each quarter's one-off spend) is drawn as the money is spent and repaid in
  equal parts over ``funding.loan_years`` from the next year; interest is estimated at the 1-year LPR on the
  balance (the bank's own rate is not known), and a counted interest subsidy pays its points on the balance for
  its years (capped at its principal limit);
- amounts after the horizon are left out of the year table and named in ``beyond_horizon``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace as _replace
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from wendao.engine.bundling import Bundle, bundles
from wendao.engine.catalog.schema import Policy, Scenario
from wendao.engine.funding import GRANT_KINDS, PolicyOutcome, base_of, counted_amounts_many, question_for
from wendao.engine.memo import PerObject
from wendao.engine.profile import TAX_STATUS_NAMES, EnterpriseProfile
from wendao.engine.scenarios import money_en
from wendao.engine.tax import TAX_KINDS, tax_rate_for, tax_worth

ASSUMED_LOAN_YEARS = 3  # when the profile gives a loan share but no term: stated in the plan as an assumption


class FundingLine(BaseModel):
    policy: str
    name_zh: str
    name_en: str
    issuer_zh: str
    document_no: str | None = None
    link: str | None = None
    link_official: bool = False
    link_note: str | None = None
    status: str
    verdict: str = Field(description="counted | to_confirm | possible")
    group: str = Field(description="grant | tax | loan")
    amount: float = Field(description="万元: grant; tax saving (present worth); interest subsidy over its years")
    basis_zh: str
    basis_en: str
    confirm_zh: list[str] = Field(default_factory=list)
    confirm_en: list[str] = Field(default_factory=list)
    valid_to: date | None = None
    reliability: str | None = None
    selective: bool = False


class ItemWhoPays(BaseModel):
    scenario: str
    name_zh: str
    name_en: str
    stage: str = Field(
        default="full", description="the plan item's stage (full | pilot | rollout); shown beside the name"
    )
    start_quarter: int
    one_off: float
    grants: float
    tax: float
    interest_subsidy: float
    likely: float
    lines: list[FundingLine]


class YearWhoPays(BaseModel):
    year: int = Field(description="plan year, 1-based")
    investment: float
    running: float
    grants: float
    tax: float
    tax_timing: float = Field(
        default=0.0,
        description="counted one-time deduction: + less income tax paid this year, − paid back (in own money)",
    )
    tax_timing_likely: float = Field(
        default=0.0, description="the same timing of a one-time deduction that is only likely if confirmed"
    )
    loan_drawdown: float
    loan_repayment: float
    loan_interest: float
    interest_subsidy: float
    own: float = Field(
        description="investment + running − grants − tax − tax timing − drawdown + repayment + interest − subsidy"
    )
    likely: float = Field(description="likely if confirmed (not in own money)")


# the money fields of a year, in the order the year table shows them (the totals and every renderer use it)
YEAR_FIELDS = tuple(k for k in YearWhoPays.model_fields if k != "year")


class ConfirmQuestion(BaseModel):
    fact: str
    question_zh: str
    question_en: str
    policies_zh: list[str]
    policies_en: list[str]
    likely: float


class ApplyStep(BaseModel):
    policy: str
    name_zh: str
    name_en: str
    issuer_zh: str
    document_no: str | None
    verdict: str
    deadline: date | None
    deadline_zh: str
    deadline_en: str
    where_zh: str
    where_en: str
    contact_zh: str
    contact_en: str
    materials_zh: str
    materials_en: str
    link: str | None
    link_official: bool
    link_note: str | None
    items_zh: list[str]
    items_en: list[str]


class PolicyNote(BaseModel):
    """A policy shown once for the enterprise, with no amount: announced with terms pending, or publishing no
    amount for a firm (recognition, pilots, bank-side refinancing)."""

    policy: str
    name_zh: str
    name_en: str
    issuer_zh: str
    document_no: str | None
    status: str
    summary_zh: str
    summary_en: str
    link: str | None
    link_official: bool
    link_note: str | None
    source: str | None
    as_of: date | None
    # added 2026-12 (None in plans stored before): the documents say when it ends before the projects start
    valid_to: date | None = None


class WhoPays(BaseModel):
    tax_rate: float
    tax_rate_stated: bool
    tax_status_zh: str
    tax_status_en: str
    loan_share: float | None
    loan_years: int | None
    loan_years_assumed: bool
    lpr: float
    years: list[YearWhoPays]
    items: list[ItemWhoPays]
    questions: list[ConfirmQuestion]
    apply: list[ApplyStep]
    announced: list[PolicyNote]
    other: list[PolicyNote]
    totals: dict[str, float]
    tax_npv: float = Field(
        description="present worth of the counted tax savings and of the counted tax timing's time value, 万元"
    )
    interest_subsidy_npv: float = Field(description="present worth of the counted interest subsidies, 万元")
    beyond_horizon: dict[str, float] = Field(default_factory=dict, description="万元 falling after the horizon")
    bundles: list[Bundle] = Field(
        default_factory=list, description="items that reach a policy's minimum project size together (bundling.py)"
    )


def quarter_start(today: date, quarter: int) -> date:
    """The first day of plan quarter ``quarter`` (0 = the quarter after the plan's date)."""
    months = (today.month - 1) // 3 * 3 + 3 * (quarter + 1)
    return date(today.year + months // 12, months % 12 + 1, 1)


def _group(kind: str) -> str:
    if kind in TAX_KINDS:
        return "tax"
    if kind == "interest_subsidy":
        return "loan"
    return "grant"


def _link(policy: Policy) -> tuple[str | None, bool]:
    """The official page when there is one, else the first repost or source URL read (marked as such)."""
    if policy.official_url:
        return policy.official_url, True
    for text in [*policy.reposts, policy.source or ""]:
        for word in text.replace("（", " ").replace("）", " ").split():
            if word.startswith(("http://", "https://")):
                return word, False
    return None, False


def _linked(bundle: Bundle, policies: Sequence[Policy]) -> Bundle:
    """The bundle with its policy's page, so that a bundle line names its source like every other line."""
    policy = next(p for p in policies if p.id == bundle.policy)
    link, official = _link(policy)
    return bundle.model_copy(update={"link": link, "link_official": official, "link_note": policy.official_url_missing})


def _line(o: PolicyOutcome, policy: Policy) -> FundingLine:
    link, official = _link(policy)
    return FundingLine(
        policy=o.policy,
        name_zh=o.name_zh,
        name_en=o.name_en,
        issuer_zh=o.issuer_zh,
        document_no=o.document_no,
        link=link,
        link_official=official,
        link_note=policy.official_url_missing,
        status=o.status,
        verdict=o.verdict,
        group=_group(o.kind),
        amount=o.amount,
        basis_zh=o.basis_zh,
        basis_en=o.basis_en,
        confirm_zh=[question_for(f, [policy])[0] for f in o.confirm],
        confirm_en=[question_for(f, [policy])[1] for f in o.confirm],
        valid_to=o.valid_to,
        reliability=o.reliability,
        selective=policy.award.selective,
    )


def _note(policy: Policy) -> PolicyNote:
    link, official = _link(policy)
    return PolicyNote(
        policy=policy.id,
        name_zh=policy.name_zh,
        name_en=policy.name_en,
        issuer_zh=policy.issuer_zh,
        document_no=policy.document_no,
        status=policy.status,
        summary_zh=policy.summary_zh,
        summary_en=policy.summary_en,
        link=link,
        link_official=official,
        link_note=policy.official_url_missing,
        source=policy.award.source or policy.source,
        as_of=policy.award.as_of or policy.as_of,
        valid_to=policy.valid_to,
    )


class _Years:
    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: dict[str, list[float]] = {}
        self.beyond: dict[str, float] = {}
        self.late: dict[str, dict[int, float]] = {}  # the same amounts by year, for present worth

    def add(self, row: str, year: int, amount: float) -> None:
        if amount == 0:
            return
        if year >= self.n:
            self.beyond[row] = self.beyond.get(row, 0.0) + amount
            late = self.late.setdefault(row, {})
            late[year] = late.get(year, 0.0) + amount
            return
        self.rows.setdefault(row, [0.0] * self.n)[year] += amount

    def get(self, row: str, year: int) -> float:
        return self.rows.get(row, [0.0] * self.n)[year]


def who_pays(
    profile: EnterpriseProfile,
    items: Sequence[Any],
    scenarios: Mapping[str, Scenario],
    policies: Sequence[Policy],
    horizon_quarters: int,
    discount_rate: float,
    lpr: float,
    today: date,
    city_zh: str,
    timing: Mapping[tuple[str, int], Any] | None = None,
) -> WhoPays:
    """The who-pays view of a plan. ``items`` are the plan items (scenario, names, start/end quarter, one_off,
    annual_cost, funding): each carries its own funding, so a pilot and its roll-out of one scenario are
    funded apart. ``timing``: the roadmap's scheduled items by (scenario, start quarter), whose policy windows
    (``Scheduled.windows_met``) say why a start was chosen; each met window is explained on its policy's line."""
    by_id = {p.id: p for p in policies}
    f = profile.funding
    rate = tax_rate_for(f.tax_status, profile.qualifications, policies, today)
    loan_share = f.loan_share or 0.0
    loan_years = f.loan_years or (ASSUMED_LOAN_YEARS if loan_share > 0 else None)
    n_years = -(-horizon_quarters // 4)
    ys = _Years(n_years)
    item_rows: list[ItemWhoPays] = []
    questions: dict[str, dict[str, Any]] = {}
    apply: dict[str, dict[str, Any]] = {}
    notes: dict[str, Policy] = {}
    for it in items:
        funding = it.funding
        scenario = scenarios[it.scenario]
        build = list(range(it.start_quarter, max(it.end_quarter, it.start_quarter + 1)))
        per_q = it.one_off / len(build)
        for q in build:
            ys.add("investment", q // 4, per_q)
        for q in range(build[-1] + 1, horizon_quarters):
            ys.add("running", q // 4, it.annual_cost / 4)
        # the loan of this item: drawn with the spend, repaid in equal parts from the next year
        balance = [0.0] * (n_years + (loan_years or 0) + 2)
        if loan_share > 0 and loan_years:
            for q in build:
                drawn = per_q * loan_share
                ys.add("loan_drawdown", q // 4, drawn)
                for k in range(loan_years):
                    ys.add("loan_repayment", q // 4 + 1 + k, drawn / loan_years)
                for k in range(loan_years + 1):
                    balance[q // 4 + k] += drawn * (1 - k / loan_years)
            for y, b in enumerate(balance):
                ys.add("loan_interest", y, b * lpr)
        lines: list[FundingLine] = []
        sums = {"grants": 0.0, "tax": 0.0, "interest_subsidy": 0.0, "likely": 0.0}
        grant_scale = 1.0
        counted_grants = sum(o.amount for o in funding.eligible if o.counted)
        if counted_grants > it.one_off > 0:
            grant_scale = it.one_off / counted_grants
        for o in funding.eligible:
            policy = by_id.get(o.policy)
            if policy is None:
                continue
            if o.verdict == "announced" or (o.verdict == "possible" and policy.award.kind == "pending"):
                notes.setdefault(policy.id, policy)
                if o.verdict != "announced":
                    _add_apply(apply, o, policy, it)
                continue
            if o.amount <= 0 or o.verdict not in ("counted", "to_confirm", "possible"):
                continue
            line = _line(o, policy)
            start = quarter_start(today, it.start_quarter)
            if policy.valid_to is not None and policy.valid_to < start:
                # in force today, but the project starts after it ends: likely only if it is extended. Said on every
                # line, not only counted ones: Zibo's compute-voucher lines (unverified, to 2026-12-31) on projects
                # starting in 2027 read as if the voucher would still be there
                line.basis_zh += (
                    f"；政策有效期至{policy.valid_to.isoformat()}，项目约{start.isoformat()}开始：需确认届时是否延续"
                )
                line.basis_en += (
                    f"; the policy runs to {policy.valid_to.isoformat()} and the project starts about "
                    f"{start.isoformat()}: confirm it is extended"
                )
                if o.verdict in ("counted", "to_confirm"):
                    line.verdict = "possible"
                    o = _replace(o, verdict="possible", likely=True)
            scheduled = (timing or {}).get((it.scenario, it.start_quarter))
            if scheduled is not None and line.verdict == "counted":
                _explain_window(line, policy, scheduled, start)
            lines.append(line)
            _add_apply(apply, o, policy, it)
            counted = o.verdict == "counted"
            target = None
            if counted:
                target = {"grant": "grants", "tax": "tax", "loan": "interest_subsidy"}[line.group]
            elif o.likely:
                target = "likely"
            for fact in o.confirm:
                qd = questions.setdefault(fact, {"zh": [], "en": [], "likely": 0.0})
                if o.name_zh not in qd["zh"]:
                    qd["zh"].append(o.name_zh)
                    qd["en"].append(o.name_en)
                if o.likely:
                    qd["likely"] += o.amount
            if target is None:
                continue
            amount = o.amount * (grant_scale if counted and line.group == "grant" else 1.0)
            sums[target] += amount
            row = target
            if policy.award.kind == "tax_expensing":  # timing, not support: its own row (module docstring)
                row = "tax_timing" if counted else "tax_timing_likely"
            _spread(
                ys,
                row,
                policy,
                o,
                amount,
                build,
                per_q,
                scenario,
                it.one_off,
                rate.rate,
                discount_rate,
                balance,
                lpr,
                loan_share,
            )
        lines.sort(key=lambda x: (["counted", "to_confirm", "possible"].index(x.verdict), -x.amount, x.policy))
        item_rows.append(
            ItemWhoPays(
                scenario=it.scenario,
                name_zh=it.name_zh,
                name_en=it.name_en,
                stage=it.stage,
                start_quarter=it.start_quarter,
                one_off=round(it.one_off, 2),
                grants=round(sums["grants"], 2),
                tax=round(sums["tax"], 2),
                interest_subsidy=round(sums["interest_subsidy"], 2),
                likely=round(sums["likely"], 2),
                lines=lines,
            )
        )
    years = []
    for y in range(n_years):
        g = {
            k: ys.get(k, y)
            for k in (
                "investment",
                "running",
                "grants",
                "tax",
                "tax_timing",
                "tax_timing_likely",
                "loan_drawdown",
                "loan_repayment",
                "loan_interest",
                "interest_subsidy",
                "likely",
            )
        }
        own = (
            g["investment"]
            + g["running"]
            - g["grants"]
            - g["tax"]
            - g["tax_timing"]
            - g["loan_drawdown"]
            + g["loan_repayment"]
            + g["loan_interest"]
            - g["interest_subsidy"]
        )
        years.append(YearWhoPays(year=y + 1, own=round(own, 2), **{k: round(v, 2) for k, v in g.items()}))
    pv = {
        row: sum(ys.get(row, y) / (1 + discount_rate) ** (y + 0.5) for y in range(n_years))
        for row in ("tax", "tax_timing", "interest_subsidy")
    }
    # the tax paid back after the horizon still counts against the time value the deduction brought forward
    pv["tax_timing"] += sum(v / (1 + discount_rate) ** (y + 0.5) for y, v in ys.late.get("tax_timing", {}).items())
    totals = {k: round(sum(getattr(r, k) for r in years), 2) for k in YEAR_FIELDS}
    status = f.tax_status or ("high_tech" if "high_tech" in profile.qualifications else "standard")
    zh, en = TAX_STATUS_NAMES[status]
    return WhoPays(
        tax_rate=rate.rate,
        tax_rate_stated=rate.stated,
        tax_status_zh=zh,
        tax_status_en=en,
        loan_share=f.loan_share,
        loan_years=loan_years,
        loan_years_assumed=loan_share > 0 and f.loan_years is None,
        lpr=lpr,
        years=years,
        items=item_rows,
        questions=[
            ConfirmQuestion(
                fact=fact,
                question_zh=question_for(fact, policies)[0],
                question_en=question_for(fact, policies)[1],
                policies_zh=q["zh"],
                policies_en=q["en"],
                likely=round(q["likely"], 2),
            )
            for fact, q in sorted(questions.items(), key=lambda kv: -kv[1]["likely"])
        ],
        apply=_apply_steps(apply, city_zh),
        announced=[_note(p) for p in notes.values() if p.status == "announced"],
        other=[_note(p) for p in notes.values() if p.status != "announced"],
        totals=totals,
        tax_npv=round(pv["tax"] + pv["tax_timing"], 2),
        interest_subsidy_npv=round(pv["interest_subsidy"], 2),
        beyond_horizon={k: round(v, 2) for k, v in ys.beyond.items()},
        bundles=[_linked(b, policies) for b in bundles(profile, items, scenarios, policies, lpr, today, discount_rate)],
    )


def _spread(
    ys: _Years,
    row: str,
    policy: Policy,
    o: PolicyOutcome,
    amount: float,
    build: list[int],
    per_q: float,
    scenario: Scenario,
    one_off: float,
    tax_rate: float,
    discount_rate: float,
    balance: list[float],
    lpr: float,
    loan_share: float,
) -> None:
    """Put one line's money in the plan years it falls in."""
    kind = policy.award.kind
    if kind in GRANT_KINDS:
        for q in build:
            ys.add(row, q // 4, amount / len(build))
    elif kind in TAX_KINDS:
        base = base_of(policy, scenario, one_off)[0]
        _, cash, _, _ = tax_worth(policy, base, tax_rate, discount_rate)
        for q in build:
            for k, c in enumerate(cash):
                ys.add(row, q // 4 + k, c / len(build))
    else:  # an interest subsidy: on the loan balance for its years when the loan is known, else evenly
        a = policy.award
        years = a.years or 1
        first = build[0] // 4
        if row == "interest_subsidy" and loan_share > 0:
            per_point = a.points if a.points is not None else (a.lpr_share or 0.0) * lpr
            paid = 0.0
            for y in range(first, first + years):
                principal = balance[y] if y < len(balance) else 0.0
                if a.max_loan is not None:
                    principal = min(principal, a.max_loan)
                value = min(principal * per_point, max(0.0, amount - paid))
                paid += value
                ys.add(row, y, value)
        else:
            for y in range(first, first + years):
                ys.add(row, y, amount / years)


def _add_apply(apply: dict[str, dict[str, Any]], o: PolicyOutcome, policy: Policy, it: Any) -> None:
    entry = apply.setdefault(policy.id, {"policy": policy, "verdict": o.verdict, "zh": [], "en": []})
    if it.name_zh not in entry["zh"]:
        entry["zh"].append(it.name_zh)
        entry["en"].append(it.name_en)
    order = ["counted", "to_confirm", "possible"]
    if o.verdict in order and order.index(o.verdict) < order.index(entry["verdict"]):
        entry["verdict"] = o.verdict


def _apply_steps(apply: dict[str, dict[str, Any]], city_zh: str) -> list[ApplyStep]:
    office_zh = f"{city_zh}市工业和信息化局" if city_zh and city_zh != "其他" else "所在地工业和信息化主管部门"
    office_en = "the city industry and information technology bureau"
    steps = []
    for entry in apply.values():
        p: Policy = entry["policy"]
        a = p.apply
        link, official = _link(p)
        steps.append(
            ApplyStep(
                policy=p.id,
                name_zh=p.name_zh,
                name_en=p.name_en,
                issuer_zh=p.issuer_zh,
                document_no=p.document_no,
                verdict=entry["verdict"],
                deadline=a.deadline or p.valid_to,
                deadline_zh=a.deadline_zh or (f"政策有效期至{p.valid_to.isoformat()}" if p.valid_to else "未公布"),
                deadline_en=a.deadline_en
                or (f"policy valid to {p.valid_to.isoformat()}" if p.valid_to else "not published"),
                where_zh=a.where_zh or office_zh,
                where_en=a.where_en or office_en,
                contact_zh=a.contact_zh,
                contact_en=a.contact_en,
                materials_zh=a.materials_zh,
                materials_en=a.materials_en,
                link=link,
                link_official=official,
                link_note=p.official_url_missing,
                items_zh=entry["zh"],
                items_en=entry["en"],
            )
        )
    order = {"counted": 0, "to_confirm": 1, "possible": 2}
    steps.sort(key=lambda s: (s.deadline is None, s.deadline or date.max, order.get(s.verdict, 3), s.policy))
    return steps


def policy_windows(
    profile: EnterpriseProfile,
    scenario: Scenario,
    one_off: float,
    policies: Sequence[Policy],
    lpr: float,
    today: date,
    discount_rate: float,
    horizon_quarters: int,
) -> list[tuple[str, int, int, float]]:
    """(policy, first start quarter, last start quarter, amount 万元) of every counted grant or tax measure that
    an item gets only when it starts within its policy's validity, which begins or ends inside the horizon (issue
    14, priority 6: e.g. the one-time equipment deduction of 公告2023年第37号 ends on 2027-12-31). Judged at the
    day the policy comes into force when that is after the plan's date. The roadmap (``roadmap.Window``) values a
    start inside the window by the amount; the who-pays view then counts it only for an item that starts in time."""
    return policy_windows_many(
        profile, [(scenario, one_off)], policies, lpr, today, discount_rate, horizon_quarters
    )[0]


def policy_windows_many(
    profile: EnterpriseProfile,
    items: Sequence[tuple[Scenario, float]],
    policies: Sequence[Policy],
    lpr: float,
    today: date,
    discount_rate: float,
    horizon_quarters: int,
) -> list[list[tuple[str, int, int, float]]]:
    """``policy_windows`` of several items (scenario, one-off) of one enterprise, in order, the enterprise's facts
    worked out once (a plan asks for every candidate)."""
    windowed = _windowed(policies, today, horizon_quarters)
    if not windowed:
        return [[] for _ in items]
    by_day = [
        counted_amounts_many(profile, items, policies, [w[0] for w in group], lpr, today, discount_rate, judged)
        for judged, group in windowed
    ]
    order = _order(policies) if len(windowed) > 1 else None
    out = []
    for i in range(len(items)):
        windows = []
        for (_, group), amounts in zip(windowed, by_day, strict=True):
            for p, first, last in group:
                amount = amounts[i].get(p.id)
                if amount is not None and first is not None and last is not None:
                    windows.append((p.id, first, last, amount))
        if order is not None:  # in the catalog's order, as the policies are listed
            windows.sort(key=lambda w: order[w[0]])
        out.append(windows)
    return out


_Windowed = list[tuple[date, list[tuple[Policy, int | None, int | None]]]]
# per policy list: (plan date, horizon) -> the windowed policies by the day each is judged at, with their start span
_WINDOWED: PerObject[Sequence[Policy], dict[tuple[date, int], _Windowed]] = PerObject(size=8)
_ORDER: PerObject[Sequence[Policy], dict[str, int]] = PerObject(size=8)


def _order(policies: Sequence[Policy]) -> dict[str, int]:
    return _ORDER.get(policies, lambda ps: {p.id: i for i, p in enumerate(ps)})


def _windowed(policies: Sequence[Policy], today: date, horizon_quarters: int) -> _Windowed:
    """The counted-kind policies whose validity begins or ends inside the horizon, grouped by the day each is judged
    at (the day it comes into force when that is after the plan's date), in the catalog's order, with the first and
    last start quarter within its validity (None when no start is): the same for every item of a plan, so worked out
    once per plan date and horizon."""
    by_key = _WINDOWED.get(policies, lambda ps: {})
    hit = by_key.get((today, horizon_quarters))
    if hit is not None:
        return hit
    last_day = quarter_start(today, horizon_quarters - 1)
    first_day = quarter_start(today, 0)
    groups: dict[date, list[tuple[Policy, int | None, int | None]]] = {}
    for p in policies:
        if not (
            (p.award.kind in GRANT_KINDS or p.award.kind in TAX_KINDS)
            and p.status == "active"
            and (
                (p.valid_to is not None and first_day <= p.valid_to < last_day)
                or (p.valid_from is not None and today < p.valid_from <= last_day)
            )
        ):
            continue
        judged = p.valid_from if p.valid_from is not None and p.valid_from > today else today
        starts = [q for q in range(horizon_quarters) if _in_window(p, quarter_start(today, q))]
        groups.setdefault(judged, []).append((p, starts[0], starts[-1]) if starts else (p, None, None))
    out = list(groups.items())
    if len(by_key) > 64:
        by_key.clear()
    by_key[(today, horizon_quarters)] = out
    return out


def _in_window(policy: Policy, start: date) -> bool:
    return (policy.valid_from is None or policy.valid_from <= start) and (
        policy.valid_to is None or start <= policy.valid_to
    )


def _explain_window(line: FundingLine, policy: Policy, scheduled: Any, start: date) -> None:
    """Say on the line that the item starts within the policy's validity, and when the optimiser moved the start
    for it: its best start on its own, without the policy, falls outside the window (roadmap.Window)."""
    met = next((w for w in scheduled.windows_met if w.policy == policy.id), None)
    if met is None:
        return
    until = policy.valid_to.isoformat() if policy.valid_to else ""
    since = policy.valid_from.isoformat() if policy.valid_from else ""
    span_zh = f"至{until}" if until else f"自{since}起"
    span_en = f"to {until}" if until else f"from {since}"
    line.basis_zh += f"；项目约{start.isoformat()}开工，在政策有效期（{span_zh}）内，所以计入"
    line.basis_en += (
        f"; the project starts about {start.isoformat()}, within the policy's validity ({span_en}), so it counts"
    )
    best = scheduled.best_start_without_windows
    if best is not None and not met.first_start <= best <= met.last_start:
        moved = "提前" if best > met.last_start else "推后"
        moved_en = "brought forward" if best > met.last_start else "put back"
        q = scheduled.start_quarter + 1
        line.basis_zh += (
            f"；单看本项目、不计这项政策，宜在规划第{best + 1}季度开工；为赶上政策，规划把它{moved}到第{q}季度，"
            f"值 {met.value:,.2f} 万元"
        )
        line.basis_en += (
            f"; on its own and without this policy the project would best start in plan quarter {best + 1}; the plan "
            f"{moved_en} it to quarter {q} to qualify, worth {money_en(met.value, 2)}"
        )
