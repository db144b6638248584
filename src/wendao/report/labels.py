"""Document wording in Chinese and English (the web UI uses Django i18n; documents are rendered outside it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wendao.engine.reasons import render_reason
from wendao.engine.scenarios import money_en, money_text

NIL = "—"  # an amount, cell or value with nothing in it

TEXT: dict[str, tuple[str, str]] = {
    "doc_title": ("人工智能转型方案", "AI transformation plan"),
    "prepared": ("编制日期", "Prepared on"),
    "catalog": ("知识库版本", "Knowledge-base version"),
    "schema": ("方案格式", "Plan schema"),
    "confidential": ("供董事会与银行审阅", "For the board and the bank"),
    "toc": ("目录", "Contents"),
    "s_summary": ("一页摘要", "One-page summary"),
    "s_maturity": ("数字化与智能化成熟度", "Digital and AI maturity"),
    "s_levels": ("对应的官方等级（指示性）", "Indicative official levels"),
    "s_scenarios": ("推荐场景、理由与收益", "Recommended scenarios, reasons and money"),
    "s_roadmap": ("实施路线图", "Roadmap"),
    "s_cash": ("现金流与回本", "Cash flow and payback"),
    "s_funding": ("资金支持与申报", "Funding and how to apply"),
    "s_routes": ("大模型与AI技术路线", "Model routes for the AI scenarios"),
    "s_kpis": ("分季度里程碑与指标", "Milestones and KPIs by quarter"),
    "s_risks": ("风险与应对", "Risks and mitigations"),
    "s_next": ("未来90天行动", "Next 90 days"),
    "s_left_out": ("暂不纳入的场景", "Scenarios left out for now"),
    # a ranked scenario's tag: one of the MIIT guide's typical scenarios, or an AI application ("MIIT" read as an
    # English word beside every Chinese heading)
    "kind_miit": ("工信部典型场景", "MIIT"),
    "kind_ai": ("AI", "AI"),
    "s_sources": ("附录：数据来源", "Appendix: sources"),
    "s_assumptions": ("测算假设", "Assumptions"),
    "s_pools": ("资金池：收益从哪里来", "Money pools: where the benefit comes from"),
    "pools_note": (
        "每项收益都出自企业自身的一项费用（资金池），多产多销的收益出自销售边际贡献（营业收入 × 边际贡献率）。"
        "同一资金池上的多个项目按 1 − Π(1 − 效果) 复合计算，不简单相加，"
        "也不会超过资金池本身，因此合计少于各项目收益之和。金额已按实施成功概率调整。",
        "Every benefit comes out of one of the enterprise's own costs (a money pool); the benefit of making and "
        "selling more comes from the contribution margin on sales (revenue × contribution margin rate). Several "
        "items on one pool compound, 1 − Π(1 − effect), rather than add, and never take more than the pool holds, "
        "so the total is less than the sum of the items. Amounts are adjusted for the chance of success.",
    ),
    "upside": ("增收潜力（只作参考，不计入收益）", "Upside from extra sales (shown, not counted)"),
    "upside_no_source": ("缺少公开来源", "no published source"),
    "upside_business_model": ("与企业的经营模式不符", "does not fit the business model"),
    "no_pools": ("本规划没有计入收益的项目。", "No item of this plan has a counted benefit."),
    "where": ("现状", "Where you stand"),
    "top_few": ("优先举措", "The first moves"),
    "left_out_detail": ("说明", "Detail"),
    "ranked_note": (
        "以上各场景的收益与投资按全面覆盖、未按实施成功概率调整测算，用于比较和排序；路线图、摘要和资金池中的金额按"
        "实际覆盖的单元（先试点、后推广）和实施成功概率调整，因此两处数字不同。",
        "The benefit and investment of each scenario above assume it covers the whole plant and are not adjusted "
        "for the chance of success: they compare and rank. The roadmap, the summary and the money pools count the "
        "units actually covered (pilot, then roll-out) and the chance of success, so their figures differ.",
    ),
    "compounded_total": (
        "合计行的年收益中值 {total} 万元，是同一资金池上的项目按 1 − Π(1 − 效果) 复合后的结果，低于上表各项之和 {sum} 万元"
        "（见“资金池：收益从哪里来”）。",
        "The total row's median benefit of {total_en} compounds the items that act on one money pool, "
        "1 − Π(1 − effect), and is less than the {sum_en} the items above add up to (see Money pools).",
    ),
    "no_funding_rows": (
        "本规划的项目目前没有公布了对企业金额的支持政策；可关注的政策和需确认的事项见“谁来出钱”。",
        "No policy with an amount published for a firm applies to this plan's projects yet; the policies to watch "
        "and the questions to confirm are under Who pays.",
    ),
    "spend_vs_budget": ("年度支出 / 年度预算", "Spend / budget per year"),
    # the two terms of the key figures an owner meets first, glossed under them (read as the owner would)
    "money_gloss": (
        "风险调整：各项目的收益已乘以其实施成功的概率。规划期净现值：规划期内每年的收益减去投入和运行费用，按年折现率 {rate} "
        "折算到今天后相加；为正表示规划期内收回投入并有盈余，为负表示规划期内收不回。",
        "Risk-adjusted: each item's benefit is multiplied by its chance of success. NPV over the horizon: each year's "
        "benefit less investment and running cost, discounted at {rate} a year to today and added up; positive means "
        "the plan pays back within the horizon with money to spare, negative that it does not.",
    ),
    "top3": ("三项优先举措", "The top three moves"),
    "money": ("资金", "Money"),
    "investment": ("总投资", "Investment"),
    "subsidy": ("可计入补贴", "Counted subsidies"),
    # the headline when nothing is counted: "—" read as "unknown" to an owner; the Markdown summary's wording
    "subsidy_none": (
        "暂无可计入的补贴，可能适用的政策见“资金支持”",
        "No subsidy counted yet; the policies that may apply are under Funding",
    ),
    "net_cost": ("净投入", "Net cost"),
    "annual_benefit": ("年收益（风险调整后）", "Annual benefit (risk-adjusted)"),
    "payback": ("投资回收期", "Payback"),
    "npv": ("规划期净现值", "NPV over the horizon"),
    "months": ("个月", "months"),
    "overall": ("总分", "Overall"),
    "dimension": ("维度", "Dimension"),
    "score": ("得分", "Score"),
    "peer_median": ("同行平均", "Peer average"),
    "peers_note": (
        "同行数据来自系统内置的合成演示企业（非真实统计），仅用于展示对比方式。",
        "Peer figures come from the built-in SYNTHETIC demo enterprises (not real statistics); they only "
        "show how the comparison works.",
    ),
    "peers_note_platform": (
        "同行数据为本平台同行业、同规模企业最新一次测评的平均分。",
        "Peer figures are the average of the latest assessments of enterprises of the same industry group and "
        "size on this platform.",
    ),
    "no_peers": ("同行样本不足5家，不显示同行对比。", "Fewer than 5 peers: no peer comparison shown."),
    "level_scale": ("等级体系", "Scale"),
    "level": ("等级", "Level"),
    "next_needs": ("升级还需", "Next level needs"),
    "indicative": (
        "以上为根据答卷推算的指示性等级，不是官方评定结果。",
        "These levels are indicative, derived from the answers; they are not official ratings.",
    ),
    "gaps": ("主要短板", "Main gaps"),
    "rank": ("序", "#"),
    "scenario": ("场景", "Scenario"),
    "start": ("开始", "Start"),
    "live": ("上线", "Live"),
    "one_off": ("投资", "Investment"),
    "net": ("净投入", "Net"),
    "benefit_yr": ("年收益中值", "Benefit / yr"),
    "reasons": ("理由", "Reasons"),
    "policy": ("政策", "Policy"),
    "amount": ("金额（万元）", "Amount (10k CNY)"),
    "status": ("状态", "Status"),
    "how_apply": ("申报方式", "How to apply"),
    "route": ("推荐路线", "Recommended route"),
    "route_one_off": ("一次性", "One-off"),  # the unit (万元) is in the note under the table: headers stay short
    "route_running": ("年运行费", "Running / yr"),
    "route_training": ("训练算力", "Training compute"),
    "hardware": ("硬件与显存", "Hardware and GPU memory"),
    "time": ("见效时间", "Time to first result"),
    "weeks": ("周", "weeks"),
    "quarter": ("季度", "Quarter"),
    "milestone": ("里程碑", "Milestone"),
    "risk": ("风险", "Risk"),
    "mitigation": ("应对", "Mitigation"),
    "within_days": ("期限", "Within"),
    "days": ("天内", "days"),
    "action": ("行动", "Action"),
    "reason": ("原因", "Reason"),
    "source": ("来源", "Source"),
    "as_of": ("日期", "As of"),
    "figure": ("数据项", "Figure"),
    "estimate": ("估算", "Estimate"),
    "verified": ("已核实", "verified"),
    "unverified": ("未核实", "unverified"),
    "ours": ("本企业", "This enterprise"),
    "peers": ("同行平均", "Peer average"),
    "radar_title": ("成熟度雷达图（各维度得分，满分 100）", "Maturity radar (score per dimension, out of 100)"),
    "gantt_title": ("路线图（按季度）", "Roadmap by quarter"),
    "gantt_note": ("条形右侧数字为净投入（万元）", "Numbers right of the bars: net investment (10k CNY)"),
    "cash_title": ("季度现金流（万元）", "Quarterly cash flow (10k CNY)"),
    "spend": ("支出", "Spend"),
    "benefit": ("收益", "Benefit"),
    "cumulative": ("累计净现金流", "Cumulative net cash"),
    "wan": ("万元", "10k CNY"),  # a table's or chart's unit; English prose writes "CNY 200,000" (amount)
    "value_title": ("各项目年收益与净投入（万元）", "Annual benefit and net investment per project (10k CNY)"),
    "benefit_median": ("年收益（中值，误差线为区间）", "Annual benefit (median; bars show the range)"),
    "net_investment": ("净投入", "Net investment"),
    "no_items": ("当前预算下没有可行项目", "No feasible project under this budget"),
    "no_payback": ("规划期内不回本", "does not pay back within the planning horizon"),
    "first_step": ("起步建议", "First step"),
    "page": ("第 {page} 页", "Page {page}"),
    "size": ("规模", "Size"),
    "industry": ("行业", "Industry"),
    "city": ("城市", "City"),
    "budget": ("年度预算", "Yearly budget"),
    "status_active": ("现行有效", "in force"),
    "status_unverified": ("待核实", "to be verified"),
    "status_expired": ("已过期", "expired"),
    "status_reference": ("外省参考", "other province (reference)"),
    "counted": ("计入净投入", "counted in the net cost"),
    "possible": ("可能适用，未计入", "may apply, not counted"),
    "no_routes": ("路线图中没有需要定制模型的AI项目。", "No AI item in the roadmap needs a custom model."),
    "routes_note": (
        "金额单位为万元，是规划区间而不是报价；一次性投入含工程实施、训练算力租用和硬件；运行费用为云端调用费，"
        "私有部署的电费和运维未计入（记为“—”）。",
        "Money in 10k CNY (CNY 10,000), planning ranges rather than quotations; the one-off covers engineering, rented training "
        "compute and hardware; the running cost is the cloud API bill, and a private deployment's electricity "
        'and upkeep are not priced (shown as "—").',
    ),
    "s_workings": ("收益与成本是怎样算出来的", "How the money was made"),
    "workings_note": (
        "每项收益 = 资金池 × 效果 × 覆盖份额（所覆盖单元触及的那部分资金池）× 覆盖比例（本项覆盖的单元 / 企业全部单元），"
        "再乘以实施成功概率；同一资金池上的不同项目按 1 − Π(1 − 效果) 复合。成本 = 固定部分 + 单元数 × 单价。",
        "Each benefit = pool × effect × pool share (the part of the pool the covered units touch) × coverage (units "
        "this item covers / all the enterprise's units), times the chance of success; different items on one pool "
        "compound, 1 − Π(1 − effect). Cost = fixed part + units × unit price.",
    ),
    # the needs section (report/needs.py)
    "s_needs": ("企业提出的需求与回应", "Your stated needs and the plan's answer"),
    "need_pain": ("痛点", "Pain point"),
    "need_goal": ("目标", "Goal"),
    "need_addressed": ("已安排", "In the roadmap"),
    "need_blocked": ("暂未安排", "Not yet"),
    "need_no_match": ("无对应场景", "No matching scenario"),
    "need_by": ("由以下项目解决", "Addressed by"),
    "need_kind": ("类型", "Kind"),
    "need_text": ("需求", "Need"),
    "need_status": ("状态", "Status"),
    "need_answer": ("回应", "Answer"),
    "need_next": ("最省钱的下一步", "Cheapest next step"),
    "no_needs": ("企业未填写痛点或目标。", "The enterprise stated no pain point or goal."),
    "s_choices": ("企业的选择及其代价", "Your choices and what they cost"),
    # the order of the summary's first moves: the roadmap's under the chosen objective (engine/needs.py)
    "by_npv": ("按净现值从高到低", "by NPV, highest first"),
    "by_quick_wins": ("按上线先后", "by go-live, earliest first"),
    "by_pain_points": ("先列回应企业痛点和目标的项目", "the items that answer your stated needs first"),
    # a scenario in two stages is one move: its pilot and roll-out summed (Plan.top_items)
    "stages_summed": ("先试点后推广的项目按两阶段合计", "a pilot and its roll-out counted together"),
    "choice_pin": ("固定纳入", "Pinned: "),
    "choice_drop": ("排除", "Dropped: "),
    "choice_not_pinned": ("未能纳入", "Could not pin "),
    "choice_by_goal": ("目标点名的项目", "the project a goal names"),
    "choice_by_enterprise": ("企业选择", "the enterprise's choice"),
    "choice_free": (
        "以上选择不降低规划的风险调整净现值（与不设任何选择的最优规划相同）",
        "These choices do not lower the risk-adjusted NPV (the same as the best roadmap without them)",
    ),
    "choice_cost_unknown": (
        "这些选择的代价未能算出：不设任何选择的规划在求解时限内没有得到结果",
        "What these choices cost is not known: the roadmap without them found no plan within the time limit",
    ),
}

# industry groups of the peer cells and the baseline defaults (industries.yaml `group`)
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "raw_materials": ("原材料工业", "raw materials"),
    "equipment": ("装备制造业", "equipment manufacturing"),
    "consumer": ("消费品工业", "consumer goods"),
    "electronics": ("电子信息制造业", "electronics"),
    "all": ("所有行业", "all industries"),
}
SIZE_LABELS: dict[str, tuple[str, str]] = {
    "large": ("大型", "large"),
    "medium": ("中型", "medium"),
    "small": ("小型", "small"),
    "micro": ("微型", "micro"),
}
# the optimiser's result status (roadmap.Roadmap.status)
SOLVER_STATUS: dict[str, tuple[str, str]] = {
    "OPTIMAL": ("已求得最优方案", "optimal"),
    "FEASIBLE": ("可行方案（求解时限内未证明最优）", "feasible (not proven optimal within the time limit)"),
    "INFEASIBLE": ("无可行方案", "infeasible"),
    "UNKNOWN": ("求解时限内未得到方案", "no solution within the time limit"),
    "EMPTY": ("没有候选项目", "no candidate project"),
}
RELIABILITY: dict[str, tuple[str, str]] = {
    "official": ("官方来源", "official"),
    "verbatim": ("原文转载", "verbatim copy"),
    "media": ("媒体报道", "media"),
    "secondary": ("二手来源", "secondary"),
    "low": ("可靠性较低", "low"),
    "estimate": ("估算", "estimate"),
}

REASON_CODES: dict[str, tuple[str, str]] = {
    "budget": ("预算", "budget"),
    "capacity": ("实施能力", "capacity"),
    "prerequisite": ("前提条件", "prerequisite"),
    "value": ("收益不足", "value"),
    "alternative": ("替代方案", "alternative"),
    "horizon": ("规划期", "horizon"),
    "subsidy_cap": ("补贴额度", "subsidy cap"),
    "dropped": ("企业排除", "dropped by you"),
    "infeasible": ("无法安排", "cannot be scheduled"),
}


@dataclass(frozen=True)
class Labels:
    lang: str

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    def t(self, key: str) -> str:
        zh, en = TEXT[key]
        return zh if self.zh else en

    def pick(self, zh: str, en: str) -> str:
        return zh if self.zh or not en else en

    # punctuation: full-width in Chinese text, ASCII with a space in English
    @property
    def colon(self) -> str:
        return "：" if self.zh else ": "

    @property
    def semi(self) -> str:
        return "；" if self.zh else "; "

    @property
    def comma(self) -> str:
        return "，" if self.zh else ", "

    @property
    def enum(self) -> str:
        """The list separator (、 in Chinese)."""
        return "、" if self.zh else ", "

    @property
    def stop(self) -> str:
        return "。" if self.zh else "."

    @property
    def sentence_gap(self) -> str:
        """Between two sentences of one paragraph: Chinese runs on after 。, English needs a space after the full stop
        (a template line ending in a block tag is joined to the next one with nothing between them)."""
        return "" if self.zh else " "

    def top_order(self, objective: str, staged: bool) -> str:
        """What the summary's first moves are ranked by (“按净现值从高到低；先试点后推广的项目按两阶段合计”)."""
        by = self.t("by_" + objective)
        return f"{by}{self.semi}{self.t('stages_summed')}" if staged else by

    def paren(self, text: object) -> str:
        return f"（{text}）" if self.zh else f" ({text})"

    def dim(self, zh: str, en: str) -> str:
        return self.pick(zh, en)

    def scenario(self, zh: str, en: str) -> str:
        return self.pick(zh, en)

    def quarter(self, q: int) -> str:
        year, quarter = divmod(q, 4)
        return f"第{year + 1}年Q{quarter + 1}" if self.zh else f"Y{year + 1} Q{quarter + 1}"

    def reason(self, code: str) -> str:
        zh, en = REASON_CODES.get(code, (code, code))
        return zh if self.zh else en

    def payback(self, months: float | None, horizon_quarters: int) -> str:
        """A plan's payback as a reader sees it: months within the horizon, "规划期内不回本" beyond it, and
        nothing to say ("—") for a plan with no spending."""
        if not months:
            return "—"
        if months > 3 * horizon_quarters:
            return self.t("no_payback")
        return f"{months:.0f} {self.t('months')}"

    def peer_cell(self, group: str, size_class: str | None, enterprises: int, synthetic: bool = True) -> str:
        """Which peers a document compares with, e.g. （对比对象：装备制造业·小型企业，93家，合成演示数据的平均分）."""
        g = GROUP_NAMES.get(group, (group, group))[0 if self.zh else 1]
        if self.zh:
            size = f"·{SIZE_LABELS[size_class][0]}企业" if size_class in SIZE_LABELS else ""
            what = "合成演示数据的平均分" if synthetic else "最新测评的平均分"
            return f"（对比对象：{g}{size}，{enterprises}家，{what}）"
        size = f", {SIZE_LABELS[size_class][1]} firms" if size_class in SIZE_LABELS else ""
        what = "average of synthetic demo data" if synthetic else "average of their latest assessments"
        return f"(compared with: {g}{size}, n={enterprises}, {what})"

    def peer_note(self, shown: bool, synthetic: bool, cell: str) -> str:
        """The sentence under the radar: where the peer figures come from, or why none are shown."""
        if not shown:
            return self.t("no_peers")
        return f"{self.t('peers_note') if synthetic else self.t('peers_note_platform')} {cell}"

    def source_cell(self, ref: Any) -> str:
        """An appendix cell for a plan's ``SourceRef``: the citation in the reader's language (``source_zh`` /
        ``source_en`` where the catalog's ``source`` is in the other one; titles and URLs as published), or for an
        estimate in a Chinese document a Chinese note — the method is written in English in the knowledge base
        and is shown in the English document."""
        source = (getattr(ref, "source_zh", None) if self.zh else getattr(ref, "source_en", None)) or ref.source
        reliability, verified = ref.reliability, ref.verified
        if not source and self.zh:  # the reliability of an estimate is "estimate": nothing more to say
            return "估算：方法记录在知识库中，签约前请以报价或本企业实测数据替换"
        text = source or f"{self.t('estimate')}: {ref.estimate or ''}"
        if reliability:
            text += self.paren(
                f"{self.reliability(reliability)}{self.comma}{self.t('verified') if verified else self.t('unverified')}"
            )
        return text

    def why(self, holder: Any) -> str:
        """The reason a holder (a left-out item) carries, rendered from its structured value; plans stored
        before reasons were values carry only the texts."""
        why = getattr(holder, "why", None)
        if why is None:
            return self.pick(holder.detail_zh, holder.detail_en)
        return render_reason(why, self.lang)

    def schema_version(self, version: str) -> str:
        """The schema "wendao.plan/2" reads "第2版" in Chinese (the id stays in the JSON and the English document)."""
        return f"第{version.rsplit('/', 1)[-1]}版" if self.zh else version

    def solver_status(self, status: str) -> str:
        zh, en = SOLVER_STATUS.get(status, (status, status))
        return zh if self.zh else en

    def reliability(self, value: str | None) -> str:
        zh, en = RELIABILITY.get(value or "", (value or "", value or ""))
        return zh if self.zh else en

    def status(self, status: str) -> str:
        return self.t(f"status_{status}") if f"status_{status}" in TEXT else status

    @staticmethod
    def money(x: float, digits: int = 1, *, nil_at_zero: bool = False) -> str:
        """An amount in 万元 with thousands separators and ``digits`` decimals. With ``nil_at_zero``, “—” where it
        rounds to zero at that precision: a table cell or KPI where a column of 0.0 would read as a policy that
        pays nothing (issue 14: nothing shown at 0). The one money formatter of the documents. An amount under
        0.05 万元 keeps two decimals at the default precision: "中值 0.0" read as nothing beside a range up to 0.1
        (PNG pages)."""
        if nil_at_zero and round(x, digits) == 0:
            return NIL
        return money_text(x, digits)

    def amount(self, x: float, digits: int = 1) -> str:
        """An amount with its unit in running text: “20.0 万元” in Chinese, “CNY 200,000” in English
        (``engine.scenarios.money_en``); tables and charts give the unit in the header (``t("wan")``)."""
        return money_en(x, digits) if not self.zh else f"{self.money(x, digits)} 万元"

    @staticmethod
    def subsidy(x: float) -> str:
        """A counted subsidy (roadmap table and KPIs): one decimal, “—” where none is counted."""
        return Labels.money(x, 1, nil_at_zero=True)

    def subsidy_headline(self, x: float) -> str:
        """The counted subsidy as a headline figure (the Word key-figures table): the amount, or where nothing is
        counted “0（暂无可计入的补贴，可能适用的政策见“资金支持”）” rather than “—”, which an owner reads as
        unknown."""
        text = self.subsidy(x)
        return "0" + self.paren(self.t("subsidy_none")) if text == NIL else text

    # wording added when the documents were read as PNG pages (issue 13 item 5)
    def top_heading(self, count: int) -> str:
        """“三项优先举措” only when there are three; a plan with one or two items says “优先举措”."""
        return self.t("top3") if count >= 3 else self.t("top_few")

    @staticmethod
    def money_range(low: float, high: float) -> str:
        """A benefit range for a key-figure box: whole 万元 from 100 up, one decimal below (a plan earning 0.1 万元
        a year printed “0–0” beside its median of 0.1)."""
        if high >= 100:
            return f"{low:,.0f}–{high:,.0f}"
        return f"{Labels.money(low)}–{Labels.money(high)}"

    def score(self, x: float) -> str:
        """A score as the questionnaire gives it: 40, not 40.0."""
        return f"{x:g}"

    def shortfall(self, question_zh: str, question_en: str, score: float, needed: float) -> str:
        """What a level still needs of one question: “生产进度如何掌握？”一题 30 → 50 分 (the web shows the same pair)."""
        text = self.pick(question_zh, question_en)
        if self.zh:
            return f"“{text}”一题 {score:g} → {needed:g} 分"
        return f"“{text}” {score:g} → {needed:g} points"

    def spend_line(self, spend: list[float], budget: list[float]) -> str:
        """Spend against budget, year by year: 第1年 90.5/150.0，第2年 … 万元."""
        parts = [
            (f"第{k + 1}年 " if self.zh else f"Y{k + 1} ") + f"{s:,.1f}/{b:,.1f}"
            for k, (s, b) in enumerate(zip(spend, budget, strict=False))
        ]
        return self.t("spend_vs_budget") + self.colon + self.comma.join(parts) + " " + self.t("wan")

    def plan_payback(self, months: float | None, one_off: float, horizon_quarters: int) -> str:
        """The plan's payback box: a plan that spends and never pays back reads “规划期内不回本”, not “—” (the
        tiny workshop's 0.9 万元 plan, NPV −2.0, showed “—”); “—” stays for a plan that spends nothing."""
        if not months and one_off > 0:
            return self.t("no_payback")
        return self.payback(months, horizon_quarters)

    def money_gloss(self, discount_rate: float) -> str:
        return self.t("money_gloss").format(rate=f"{discount_rate * 100:g}%")

    def compounded_total(self, items: list[float], total: float) -> str:
        """Why the roadmap's total benefit is not the sum of its column (Zibo: 1,311.9 above a total of 1,302.7), or
        "" when it is."""
        added = sum(items)
        if self.money(added) == self.money(total):
            return ""
        return self.t("compounded_total").format(
            total=self.money(total), sum=self.money(added), total_en=money_en(total), sum_en=money_en(added)
        )
