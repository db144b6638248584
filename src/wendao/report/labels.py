"""Document wording in Chinese and English (the web UI uses Django i18n; documents are rendered outside it)."""

from __future__ import annotations

from dataclasses import dataclass

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
    "s_sources": ("附录：数据来源", "Appendix: sources"),
    "s_assumptions": ("测算假设", "Assumptions"),
    "s_pools": ("资金池：收益从哪里来", "Money pools: where the benefit comes from"),
    "pools_note": (
        "每项收益都出自企业自身的一项费用（资金池）。同一资金池上的多个项目按 1 − Π(1 − 效果) 复合计算，不简单相加，"
        "也不会超过资金池本身，因此合计少于各项目收益之和。金额已按实施成功概率调整。",
        "Every benefit comes out of one of the enterprise's own costs (a money pool). Several items on one pool "
        "compound, 1 − Π(1 − effect), rather than add, and never take more than the pool holds, so the total is "
        "less than the sum of the items. Amounts are adjusted for the chance of success.",
    ),
    "upside": ("增收潜力（只作参考，不计入收益）", "Upside from extra sales (shown, not counted)"),
    "upside_no_source": ("缺少公开来源", "no published source"),
    "upside_business_model": ("与企业的经营模式不符", "does not fit the business model"),
    "no_pools": ("本规划没有计入收益的项目。", "No item of this plan has a counted benefit."),
    "where": ("现状", "Where you stand"),
    "top3": ("三项优先举措", "The top three moves"),
    "money": ("资金", "Money"),
    "investment": ("总投资", "Investment"),
    "subsidy": ("可计入补贴", "Counted subsidies"),
    "net_cost": ("净投入", "Net cost"),
    "annual_benefit": ("年收益（风险调整后）", "Annual benefit (risk-adjusted)"),
    "payback": ("投资回收期", "Payback"),
    "npv": ("规划期净现值", "NPV over the horizon"),
    "months": ("个月", "months"),
    "overall": ("总分", "Overall"),
    "dimension": ("维度", "Dimension"),
    "score": ("得分", "Score"),
    "peer_median": ("同行中位数", "Peer median"),
    "peers_note": (
        "同行数据来自系统内置的合成演示企业（非真实统计），仅用于展示对比方式。",
        "Peer figures come from the built-in SYNTHETIC demo enterprises (not real statistics); they only "
        "show how the comparison works.",
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
    "amount": ("金额（万元）", "Amount (万元)"),
    "status": ("状态", "Status"),
    "how_apply": ("申报方式", "How to apply"),
    "route": ("推荐路线", "Recommended route"),
    "one_off_yuan": ("一次性（元）", "One-off (元)"),
    "monthly_yuan": ("每月（元）", "Monthly (元)"),
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
    "peers": ("同行中位数（合成演示数据）", "Peer median (synthetic demo data)"),
    "radar_title": ("成熟度雷达图", "Maturity radar"),
    "gantt_title": ("路线图（按季度）", "Roadmap by quarter"),
    "gantt_note": ("条形右侧数字为净投入（万元）", "Numbers right of the bars: net investment (万元)"),
    "cash_title": ("季度现金流（万元）", "Quarterly cash flow (万元)"),
    "spend": ("支出", "Spend"),
    "benefit": ("收益", "Benefit"),
    "cumulative": ("累计净现金流", "Cumulative net cash"),
    "wan": ("万元", "万元 (10,000 CNY)"),
    "value_title": ("各项目年收益与净投入（万元）", "Annual benefit and net investment per project (万元)"),
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
    "s_workings": ("收益与成本是怎样算出来的", "How the money was made"),
    "workings_note": (
        "每项收益 = 资金池 × 效果 × 覆盖份额（所覆盖单元触及的那部分资金池）× 覆盖比例（本项覆盖的单元 / 企业全部单元），"
        "再乘以实施成功概率；同一资金池上的不同项目按 1 − Π(1 − 效果) 复合。成本 = 固定部分 + 单元数 × 单价。",
        "Each benefit = pool × effect × pool share (the part of the pool the covered units touch) × coverage (units "
        "this item covers / all the enterprise's units), times the chance of success; different items on one pool "
        "compound, 1 − Π(1 − effect). Cost = fixed part + units × unit price.",
    ),
    "yuan_note": (
        "模型路线金额单位为元；其余金额单位为万元。",
        "Model-route amounts are in 元; all other money is in 万元.",
    ),
}

REASON_CODES: dict[str, tuple[str, str]] = {
    "budget": ("预算", "budget"),
    "capacity": ("实施能力", "capacity"),
    "prerequisite": ("前提条件", "prerequisite"),
    "value": ("收益不足", "value"),
    "alternative": ("替代方案", "alternative"),
    "horizon": ("规划期", "horizon"),
    "subsidy_cap": ("补贴额度", "subsidy cap"),
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

    def status(self, status: str) -> str:
        return self.t(f"status_{status}") if f"status_{status}" in TEXT else status

    @staticmethod
    def money(x: float, digits: int = 1) -> str:
        return f"{x:,.{digits}f}"
