"""The "谁来出钱" (who pays) section of the plan documents: the rows the HTML/PDF template, the Word renderer and
the Markdown renderer all print, from ``Plan.who_pays`` (engine/financing.py). Plain strings in the reader's
language; money in 万元 with two decimals (small tax and interest lines would otherwise print as 0.0)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wendao.engine.financing import YEAR_FIELDS, quarter_start
from wendao.engine.plan import Plan
from wendao.engine.scenarios import money_en
from wendao.engine.stages import staged_name
from wendao.report.labels import Labels

# (zh, en) texts of this section; kept here, not in labels.TEXT, so the section stays one new module
T: dict[str, tuple[str, str]] = {
    "title": ("谁来出钱", "Who pays"),
    "by_year": ("按年度", "By year"),
    "by_item": ("按项目", "By project"),
    "year": ("年份", "Year"),
    "investment": ("一次性投资", "Investment"),
    "running": ("运行费用", "Running cost"),
    "grants": ("计入的补助", "Counted grants"),
    "tax": ("税收减免", "Tax savings"),
    "tax_timing": ("税款递延", "Tax timing"),
    "tax_timing_likely": ("税款递延（需确认）", "Tax timing (to confirm)"),
    "loan_drawdown": ("贷款提款", "Loan drawn"),
    "loan_service": ("还本付息", "Loan repaid + interest"),
    "interest_subsidy": ("贴息", "Interest subsidy"),
    "own": ("企业自有资金", "Own money"),
    "likely": ("确认后可能获得", "Likely if confirmed"),
    "project": ("项目", "Project"),
    "support": ("支持政策", "Support"),
    "sources": ("所引政策及出处", "Policies cited"),
    "questions": ("需确认的事项（回答后规划随之更新）", "To confirm (the plan updates once answered)"),
    "apply": ("怎么申请（按截止时间排序）", "How to apply (by deadline)"),
    "announced": ("已发布、条款待定的政策（不计入）", "Announced, terms pending (not counted)"),
    "other": ("其他可关注的政策（未公布对企业的金额）", "Other policies to watch (no amount published for a firm)"),
    "bundles": (
        "合并成一个技改项目申报（各项目单独达不到最低投资，合起来可以；未计入）",
        "Register as one renovation project (too small alone, large enough together; not counted)",
    ),
    "counted": ("计入", "counted"),
    "to_confirm": ("需确认", "to confirm"),
    "possible": ("可能适用，未计入", "may apply, not counted"),
    "official": ("官方链接", "official page"),
    "repost": ("转载", "repost"),
    "no_link": ("无官方链接", "no official link"),
    "no_document_no": ("文号未读到", "document number not read"),
    "unit": ("单位：万元", "Unit: 10k CNY"),
    "none": (
        "本规划的项目目前没有可计入或可能获得的支持。",
        "No support is counted or likely for this plan's projects yet.",
    ),
}
VERDICT_ORDER = ("counted", "to_confirm", "possible")


def _t(labels: Labels, key: str) -> str:
    zh, en = T[key]
    return zh if labels.zh else en


def _m(x: float) -> str:
    return Labels.money(x, 2)


# the by-year table's headings broken where a Chinese reader breaks them: 12 columns on an A4 page leave each
# 3-4 characters a line, and an unplanned break read "运行费/用", "确认后/可能获/得" (seen on the PNG pages)
HEAD_LINES_ZH: dict[str, tuple[str, ...]] = {
    "investment": ("一次性", "投资"),
    "running": ("运行", "费用"),
    "grants": ("计入的", "补助"),
    "tax": ("税收", "减免"),
    "tax_timing": ("税款", "递延"),
    "tax_timing_likely": ("税款", "递延", "需确认"),
    "loan_drawdown": ("贷款", "提款"),
    "loan_service": ("还本", "付息"),
    "own": ("企业", "自有", "资金"),
    "likely": ("确认后", "可能", "获得"),
}

# the English headings, likewise, each line at most 36 pt wide at the PDF's 7.5 pt (measured: "confirmed" 35.9 pt
# fits a column, "Tax timing" 38.5 pt does not). Left to wrap, "Loan repaid + interest" took four lines
# ("Loan / repaid / + / interest") and "Tax timing (to confirm)" four (seen on the PNG pages)
HEAD_LINES_EN: dict[str, tuple[str, ...]] = {
    "running": ("Running", "cost"),
    "grants": ("Counted", "grants"),
    "tax": ("Tax", "savings"),
    "tax_timing": ("Tax", "timing"),
    "tax_timing_likely": ("Tax", "timing", "(likely)"),
    "loan_drawdown": ("Loan", "drawn"),
    "loan_service": ("Repaid", "+ interest"),
    "interest_subsidy": ("Interest", "subsidy"),
    "own": ("Own", "money"),
    "likely": ("Likely if", "confirmed"),
}


def _cell(x: float) -> str:
    """A table cell: the amount, or "—" where it rounds to nothing, so a column of zeros does not read as money."""
    return Labels.money(x, 2, nil_at_zero=True)


def _link(labels: Labels, link: str | None, official: bool, note: str | None) -> str:
    if link:
        return (
            f"{link}（{_t(labels, 'official' if official else 'repost')}）"
            if labels.zh
            else (f"{link} ({_t(labels, 'official' if official else 'repost')})")
        )
    return _t(labels, "no_link") + (labels.colon + note if note and labels.zh else "")


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clause(sentence: str) -> str:
    """A sentence as a clause a semicolon follows: without its closing full stop."""
    return sentence.rstrip().removesuffix("。").removesuffix(".")


def _doc(zh: bool, issuer: str, document_no: str | None) -> str:
    """Issuer and 文号 (Chinese documents only); a policy whose 文号 was not read says so instead of leaving it out."""
    if not zh:
        return ""
    return "，".join(x for x in (issuer, document_no or T["no_document_no"][0]) if x)


def _item_rows(wp: Any, labels: Labels) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The by-item table's rows with their support lines, and the sources those lines cite. A policy usually supports
    several items (Weifang: the SME loan subsidy on six), and its issuer, 文号, link and the question to confirm
    printed on every line made the section a wall of citations; each line now carries the policy's number ("[2]"),
    and the policy is cited once, in the numbered list under the table. A question that differs between the policy's
    lines stays on its line."""
    zh = labels.zh
    shown = [(i, [ln for ln in i.lines if round(ln.amount, 2) != 0]) for i in wp.items]  # no 0.00 万元 lines
    order: dict[str, int] = {}
    asks: dict[str, set[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for _, lines in shown:
        for ln in lines:
            order.setdefault(ln.policy, len(order) + 1)
            asks.setdefault(ln.policy, set()).add((tuple(ln.confirm_zh), tuple(ln.confirm_en)))
    firsts = {ln.policy: ln for _, lines in reversed(shown) for ln in reversed(lines)}

    def ask_text(confirm_zh: Sequence[str], confirm_en: Sequence[str]) -> str:
        asked = " ".join(labels.pick(a, b) for a, b in zip(confirm_zh, confirm_en, strict=True))
        return _t(labels, "to_confirm") + labels.colon + asked if asked else ""

    sources = []
    for policy, n in order.items():
        ln = firsts[policy]
        same = len(asks[policy]) == 1
        sources.append(
            {
                "ref": f"[{n}]",
                "name": labels.pick(ln.name_zh, ln.name_en),
                "doc": _doc(zh, ln.issuer_zh, ln.document_no),
                "ask": ask_text(ln.confirm_zh, ln.confirm_en) if same else "",
                "link": _link(labels, ln.link, ln.link_official, ln.link_note),
            }
        )
    items = []
    for i, lines in shown:
        rows = []
        for ln in lines:
            basis = labels.pick(ln.basis_zh, ln.basis_en)
            ask = ask_text(ln.confirm_zh, ln.confirm_en)
            rows.append(
                {
                    "name": labels.pick(ln.name_zh, ln.name_en),
                    "ref": f"[{order[ln.policy]}]",
                    "verdict": _sentence_start(_t(labels, ln.verdict)),  # it opens the line: "May apply, …"
                    "amount": labels.amount(ln.amount, 2),  # with its unit: "5.62 万元", "CNY 56,200"
                    # the documents: the basis, and the question only where it is not the policy's own (sources)
                    "detail": basis + (labels.semi + ask if ask and len(asks[ln.policy]) > 1 else ""),
                    # the whole citation on the line, as the web plan page (web/templates/htmx/_who_pays.html) prints it
                    "basis": basis + (labels.semi + ask if ask else ""),
                    "doc": _doc(zh, ln.issuer_zh, ln.document_no),
                    "link": _link(labels, ln.link, ln.link_official, ln.link_note),
                }
            )
        items.append(
            {
                "cells": [
                    labels.scenario(staged_name(i.name_zh, i.stage, "zh"), staged_name(i.name_en, i.stage, "en")),
                    _cell(i.one_off),
                    _cell(i.grants),
                    _cell(i.tax),
                    _cell(i.interest_subsidy),
                    _cell(i.likely),
                ],
                "lines": rows,
            }
        )
    return items, sources


def funding_rows(plan: Plan, labels: Labels) -> list[dict[str, Any]]:
    """One row per policy: which items it can fund, the total, and how to apply (counted ones first)."""
    rows: dict[str, dict[str, Any]] = {}
    for item in plan.items:
        for o in item.funding.eligible:
            if o.amount <= 0:  # announced, or no amount for a firm: shown once in the who-pays section
                continue
            row = rows.setdefault(
                o.policy,
                {
                    "name": labels.pick(o.name_zh, o.name_en),
                    "status": labels.status(o.status),
                    # the who-pays verdict: a counted tax measure is counted there (in tax savings), not only grants
                    "counted": False,
                    "amount": 0.0,
                    "items": [],
                    "kind": o.kind,
                    # an interest subsidy on the LPR is a yearly amount; one in percentage points is the total over
                    # its years ("× 最长 2 年"), so it must not read "0.7 万元/年" (Zibo's equipment-renewal line)
                    "per_year": o.kind == "interest_subsidy" and o.basis_zh.endswith("万元/年"),
                    # where, deadline and contact; "not published" said once, not three times
                    "apply": labels.semi.join(
                        dict.fromkeys(
                            x
                            for x in (
                                labels.pick(o.apply.where_zh, o.apply.where_en),
                                labels.pick(o.apply.deadline_zh, o.apply.deadline_en),
                                labels.pick(o.apply.contact_zh, o.apply.contact_en),
                            )
                            if x
                        )
                    ),
                    "basis": labels.pick(o.basis_zh, o.basis_en),
                },
            )
            row["counted"] = row["counted"] or o.counted or o.verdict == "counted"
            row["amount"] += o.amount
            row["items"].append(labels.scenario(item.label_zh, item.label_en))
    # a total under 0.05 万元 would print as 0.0: such small (tax) lines are in the who-pays section with two decimals
    shown = [r for r in rows.values() if r["amount"] >= 0.05]
    return sorted(shown, key=lambda r: (not r["counted"], -r["amount"], r["name"]))


def who_pays_context(plan: Plan, labels: Labels) -> dict[str, Any] | None:
    """Rows of the who-pays section, or None for a plan stored before it (or without items)."""
    wp = plan.who_pays
    if wp is None:
        return None
    zh = labels.zh
    # the one-time deduction's tax timing has its own columns, shown when the plan has any (never in "likely")
    timing = [
        k
        for k in ("tax_timing", "tax_timing_likely")
        if any(round(getattr(y, k), 2) for y in wp.years) or round(wp.beyond_horizon.get(k, 0.0), 2)
    ]
    columns = [
        "investment",
        "running",
        "grants",
        "tax",
        *[k for k in timing if k == "tax_timing"],
        "loan_drawdown",
        "loan_service",
        "interest_subsidy",
        "own",
        "likely",
        *[k for k in timing if k == "tax_timing_likely"],
    ]
    year_heads = [_t(labels, k) for k in ("year", *columns)]
    head_lines = HEAD_LINES_ZH if zh else HEAD_LINES_EN
    year_head_lines = [list(head_lines.get(k, (_t(labels, k),))) for k in ("year", *columns)]

    def cells(row: dict[str, float]) -> list[str]:
        return [_cell(row["loan_repayment"] + row["loan_interest"] if k == "loan_service" else row[k]) for k in columns]

    years = [[(f"第{y.year}年" if zh else f"Year {y.year}"), *cells(y.model_dump())] for y in wp.years]
    t = wp.totals
    years.append(["合计" if zh else "Total", *cells({k: t.get(k, 0.0) for k in YEAR_FIELDS})])
    item_heads = [_t(labels, k) for k in ("project", "investment", "grants", "tax", "interest_subsidy", "likely")]
    items, sources = _item_rows(wp, labels)
    questions = [
        {
            "question": labels.pick(q.question_zh, q.question_en),
            "policies": labels.enum.join(labels.pick(a, b) for a, b in zip(q.policies_zh, q.policies_en, strict=True)),
            "likely": f"{_t(labels, 'likely')} {labels.amount(q.likely, 2)}" if round(q.likely, 2) > 0 else "",
        }
        for q in wp.questions
    ]
    # a policy that publishes no amount for a firm is listed once, under "other policies to watch", with how to apply
    # on its line; it was also a step of "how to apply", so Linyi's three such policies were printed twice
    watched = {n.policy for n in wp.other}
    steps = {s.policy: s for s in wp.apply}
    apply = [
        {
            "name": labels.pick(s.name_zh, s.name_en),
            "doc": _doc(zh, s.issuer_zh, s.document_no),
            "verdict": _t(labels, s.verdict) if s.verdict in VERDICT_ORDER else "",
            "deadline": labels.pick(s.deadline_zh, s.deadline_en),
            "where": labels.pick(s.where_zh, s.where_en)
            + (labels.semi + labels.pick(s.contact_zh, s.contact_en) if s.contact_zh else ""),
            "materials": labels.pick(s.materials_zh, s.materials_en),
            "for_items": labels.enum.join(labels.pick(a, b) for a, b in zip(s.items_zh, s.items_en, strict=True)),
            "link": _link(labels, s.link, s.link_official, s.link_note),
        }
        for s in wp.apply
        if s.policy not in watched
    ]

    def how(policy: str) -> dict[str, str]:
        """Deadline, where to apply and the items, for a policy to watch that is also a step of how to apply."""
        s = steps.get(policy)
        if s is None:
            return {"deadline": "", "where": "", "materials": "", "for_items": ""}
        return {
            "deadline": labels.pick(s.deadline_zh, s.deadline_en),
            "where": labels.pick(s.where_zh, s.where_en)
            + (labels.semi + labels.pick(s.contact_zh, s.contact_en) if s.contact_zh else ""),
            "materials": labels.pick(s.materials_zh, s.materials_en),
            "for_items": labels.enum.join(labels.pick(a, b) for a, b in zip(s.items_zh, s.items_en, strict=True)),
        }

    # the first project's start: a policy to watch that ends before it is said to (Jinan's AI action plan runs to
    # 2026-12-31; a plan made in December 2026 starts its projects in 2027)
    first = min((quarter_start(plan.generated_for, i.start_quarter) for i in wp.items), default=None)

    def ends(n: Any) -> str:
        to = getattr(n, "valid_to", None)
        if to is None or first is None or to >= first:
            return ""
        return (
            f"政策有效期至{to.isoformat()}，早于项目开始（约{first.isoformat()}）：需确认是否延续"
            if zh
            else f"the policy runs to {to.isoformat()}, before the projects start (about {first.isoformat()}): "
            "confirm it is extended"
        )

    def notes(rows: list[Any]) -> list[dict[str, str]]:
        return [
            {
                "name": labels.pick(n.name_zh, n.name_en),
                "doc": _doc(zh, n.issuer_zh, n.document_no),
                # a summary is a sentence, and the next part follows a semicolon: "未读到。；http" read twice-stopped
                "summary": _clause(labels.pick(n.summary_zh, n.summary_en))
                + (labels.semi + ends(n) if ends(n) else ""),
                # cited as read (Chinese); an English reader gets the date here and the link beside it
                "source": ((n.source or "") + (f"（{n.as_of}）" if n.as_of else "")) if zh else str(n.as_of or ""),
                **how(n.policy),
                "link": _link(labels, n.link, n.link_official, n.link_note),
            }
            for n in rows
        ]

    bundle_rows = [
        {
            "name": labels.pick(b.name_zh, b.name_en),
            "doc": _doc(zh, b.issuer_zh, b.document_no),
            "summary": (
                f"第{b.year}年开工的{'、'.join(b.items_zh)}合计 {_m(b.total)} 万元，达到最低项目投资 {b.minimum:g} 万元；"
                f"{_t(labels, b.verdict)}，按各项目符合条件的支出约 {_m(b.amount)} 万元"
                + ("（条款尚待核实）" if b.status == "unverified" else "")
                if zh
                else f"{', '.join(b.items_en)}, starting in year {b.year}, total {money_en(b.total, 2)}, reaching the "
                f"minimum project investment of {money_en(b.minimum, 2)}; {_t(labels, b.verdict)}, about {money_en(b.amount, 2)} "
                "on the items' qualifying spend" + (" (terms not yet verified)" if b.status == "unverified" else "")
            ),
            "link": _link(labels, b.link, b.link_official, b.link_note),
        }
        for b in wp.bundles
    ]
    rate = f"{wp.tax_rate * 100:g}%"
    if zh:
        basis = [
            (
                f"企业所得税身份：{wp.tax_status_zh}；计算税收优惠用税率 {rate}。"
                if wp.tax_rate_stated  # an inferred status is said to be one (it read as stated, then as not stated)
                else f"企业尚未在档案中说明所得税身份：按其资质推定为{wp.tax_status_zh}，计算税收优惠用税率 {rate}，"
                "税收减免都列为“需确认”。"
            ),
            "补助按建设期分摊；税收减免在次年汇算清缴时体现。",
            (
                f"贷款按投资的{wp.loan_share * 100:g}%随支出提款，{wp.loan_years}年等额还本"
                + ("（还款年限为假设）" if wp.loan_years_assumed else "")
                + f"，利息按一年期贷款市场报价利率（LPR）{wp.lpr * 100:.2f}%估算（银行实际利率未知）。"
                if wp.loan_share
                else (
                    "企业不用贷款：没有贷款与贴息。"
                    if wp.loan_share == 0
                    else "企业未说明是否用贷款：贷款与贴息不计入，贴息政策列为“需确认”。"
                )
            ),
            _npv_sentence(plan, wp, zh),
            "“确认后可能获得”包括回答上面问题后可计入的金额，以及条款尚待核实的政策按已读到口径算出的金额；经评审或限额遴选的奖补只列出、不合计。",
        ]
    else:
        basis = [
            (
                f"Income-tax status: {wp.tax_status_en}; tax measures valued at {rate}."
                if wp.tax_rate_stated
                else f"The enterprise has not stated its income-tax status: taken from its qualifications as "
                f"{wp.tax_status_en}, tax measures valued at {rate}, and tax savings are all 'to confirm'."
            ),
            "Grants are spread over the build quarters; tax savings come with the next year's settlement.",
            (
                f"A loan of {wp.loan_share * 100:g}% of the investment is drawn with the spending and repaid in equal parts "
                f"over {wp.loan_years} years"
                + (" (assumed term)" if wp.loan_years_assumed else "")
                + f"; interest estimated at the 1-year loan prime rate (LPR) {wp.lpr * 100:.2f}% (the bank's rate is not known)."
                if wp.loan_share
                else (
                    "The enterprise does not borrow: no loan and no interest subsidy."
                    if wp.loan_share == 0
                    else "The enterprise has not said whether it borrows: loans and interest subsidies are 'to confirm'."
                )
            ),
            _npv_sentence(plan, wp, zh),
            "'Likely if confirmed' adds what counts once the questions above are answered and what policies with "
            "unverified terms would pay on the terms read; awards decided by review or quota are listed, not added.",
        ]
    if timing:
        basis.insert(
            2,
            "“税款递延”是设备一次性税前扣除（财政部 税务总局公告2023年第37号）带来的纳税时间差：与按3年折旧相比，"
            "投资次年少缴所得税（正数），其后两年补缴回来（负数），合计为零，不是补助，只有提前少缴的时间价值计入税收减免折现值。"
            if zh
            else "'Tax timing' is the one-time deduction of equipment (Ministry of Finance and State Taxation "
            "Administration announcement No. 37 of 2023): against 3-year depreciation the "
            "enterprise pays less income tax the year after the purchase (positive) and pays it back over the two years "
            "after (negative); it sums to zero, is no support, and only its time value enters the tax savings' "
            "present worth.",
        )
    basis.insert(1, _no_grant_sentence(wp, zh))
    two_totals = _two_totals_sentence(plan, wp, labels)
    if two_totals:
        basis.append(two_totals)
    if wp.beyond_horizon:
        merged: dict[str, float] = {}
        for k, v in wp.beyond_horizon.items():
            key = "loan_service" if k in ("loan_repayment", "loan_interest") else k
            merged[key] = merged.get(key, 0.0) + v
        after = labels.enum.join(
            f"{_t(labels, k)} {_m(v) if zh else money_en(v, 2)}" for k, v in merged.items() if round(v, 2) != 0
        )
        basis.append(("规划期之后还有：" if zh else "After the horizon: ") + after + (" 万元" if zh else ""))
    return {
        "year_heads": year_heads,
        "year_head_lines": year_head_lines,
        "years": years,
        "item_heads": item_heads,
        "item_rows": items,
        "sources": sources,
        "ref_gap": "" if zh else " ",  # "（100%）[1]" in Chinese, "(100 %) [1]" in English
        "questions": questions,
        "apply": apply,
        "announced": notes(wp.announced),
        "other": notes(wp.other),
        "bundles": bundle_rows,
        "basis": basis,
        "t": {k: _t(labels, k) for k in T},
        "unit": _t(labels, "unit"),  # the money tables' unit, as the web page prints it beside their headings
        "semi": labels.semi,
        "colon": labels.colon,
        "open": "（" if zh else " (",
        "close": "）" if zh else ")",
        "empty": not any(i["lines"] for i in items),
    }


ITEM_COLUMNS = ("grants", "tax", "interest_subsidy", "likely")


def _two_totals_sentence(plan: Plan, wp: Any, labels: Labels) -> str:
    """Why the by-year total and the sum of the by-item column differ, naming both, when they do. The items' tax
    savings are worth at the spend year (a saving settled the next year discounted one year, engine/tax.tax_worth),
    the year table's are the cash of each year: B2C's "likely if confirmed" read 5.62 万元 in one table and
    1.16 + 1.16 + 2.89 = 5.21 in the other, with nothing saying why."""
    pairs = [
        (k, wp.totals.get(k, 0.0), sum(getattr(i, k) for i in wp.items))
        for k in ITEM_COLUMNS
        if round(wp.totals.get(k, 0.0), 2) != round(sum(getattr(i, k) for i in wp.items), 2)
    ]
    if not pairs:
        return ""
    rate = plan.settings.get("discount_rate", 0.08) * 100
    if labels.zh:
        named = "；".join(f"“{_t(labels, k)}”按年度合计 {_m(y)}、按项目合计 {_m(i)} 万元" for k, y, i in pairs)
        return (
            f"按项目表中的税收优惠按投资当年的价值计（次年才少缴的税按年折现率 {rate:g}% 折回；税款递延只计提前少缴的"
            f"时间价值），按年度表是各年实际少缴或到账的金额，所以两表合计不同：{named}。"
        )
    named = "; ".join(f"“{_t(labels, k)}” {money_en(y, 2)} by year, {money_en(i, 2)} by project" for k, y, i in pairs)
    return (
        "The by-project table values tax measures at the year of the spending (tax saved the next year discounted at "
        f"{rate:g}% a year; tax timing counts only the worth of paying later), the by-year table shows the money of "
        f"each year, so their totals differ: {named}."
    )


def _no_grant_sentence(wp: Any, zh: bool) -> str:
    """What "—" means in the tables, and, when no grant is counted, why: the grants the plan's items could get are
    unverified, awarded by review or waiting on the enterprise's answers, and other policies publish no amount for a
    firm (issue 14: a page that counts nothing says so rather than printing a column of zeros)."""
    nil = "表中“—”表示该项为零。" if zh else "“—” in the tables means nothing."
    if round(wp.totals.get("grants", 0.0), 2) != 0:
        return nil
    grants = [ln for i in wp.items for ln in i.lines if ln.group == "grant" and round(ln.amount, 2) != 0]
    counts = (
        (len({ln.policy for ln in grants if ln.status == "unverified"}), "条款尚待核实", "with terms not yet verified"),
        (
            len({ln.policy for ln in grants if ln.selective and ln.status != "unverified"}),
            "经评审或限额遴选",
            "awarded by review or quota",
        ),
        (len({ln.policy for ln in grants if ln.verdict == "to_confirm"}), "待企业确认条件", "waiting on answers"),
    )
    watch = len(wp.other) + len(wp.announced)
    if zh:
        parts = "、".join(f"{n}项{what}" for n, what, _ in counts if n)
        why = f"：可能适用的补助中，{parts}，按规则都不计入" if parts else "：本规划的项目没有可按规则计入的补助"
        more = f"；另有{watch}项政策未公布对企业的金额或条款待定，列在下面" if watch else ""
        return f"没有计入的补助{why}{more}。所以“计入的补助”为“—”，企业自有资金按全额计算。{nil}"
    parts = ", ".join(f"{n} {what}" for n, _, what in counts if n)
    why = (
        f": of the grants that may apply, {parts}; by rule none of these is counted"
        if parts
        else ": no grant can be counted by rule for this plan's projects"
    )
    more = f"; {watch} more policies publish no amount for a firm or have terms pending (listed below)" if watch else ""
    return f"No grant is counted{why}{more}. So “counted grants” shows “—” and own money is the full amount. {nil}"


def _npv_sentence(plan: Plan, wp: Any, zh: bool) -> str:
    """The counted tax savings' and interest subsidies' present worth added to the plan's NPV, naming only the
    parts that are not zero (no "0.00 万元" in the text)."""
    parts = [
        (zh_name if zh else en_name, v)
        for zh_name, en_name, v in (
            ("计入的税收减免折现值", "present worth of counted tax savings", wp.tax_npv),
            ("贴息折现值", "present worth of counted interest subsidies", wp.interest_subsidy_npv),
        )
        if round(v, 2) != 0
    ]
    total = plan.money.npv + wp.tax_npv + wp.interest_subsidy_npv
    if not parts:
        return (
            "没有计入的税收减免或贴息：规划净现值不变。"
            if zh
            else "No tax saving or interest subsidy is counted: the plan's NPV is unchanged."
        )
    if zh:
        listed = "、".join(f"{name} {_m(v)} 万元" for name, v in parts)
        return f"{listed}，加上规划净现值 {_m(plan.money.npv)} 万元，合计 {_m(total)} 万元。"
    listed = " and ".join(f"{name} {money_en(v, 2)}" for name, v in parts)
    return f"{listed[0].upper()}{listed[1:]}; with the plan's NPV {money_en(plan.money.npv, 2)} that is {money_en(total, 2)}."
