"""How the money was made (issue 13 item 8): per roadmap item, the units covered, each pool line (pool × effect ×
pool share × coverage), the chance of success, the first-year ramp and the cost lines, so a reader can redo the
median by hand; and whether the plan rests on industry defaults, with the three own figures that would sharpen
it most. One text per line in the document's language; renders the Plan (``PlanItem.how``, ``Plan.defaults_use``)
and recomputes nothing. Used by the HTML/PDF template, Word and the web plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from wendao.engine.plan import Plan, PlanItem
from wendao.engine.scenarios import money_en, money_range_en
from wendao.engine.stages import CostLine, ItemDerivation
from wendao.report.labels import Labels

STAGES = {"pilot": ("试点", "Pilot"), "rollout": ("推广", "Roll-out"), "full": ("全部覆盖", "Whole scope")}


@dataclass(frozen=True)
class Workings:
    """One item's workings: a title and its lines."""

    title: str
    lines: list[str] = field(default_factory=list)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%".replace(".0%", "%")


def _share(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _coverage(how: ItemDerivation, share: float) -> str:
    """“1/15” where two decimals would not let a reader redo the product (1/15 reads 0.07, 7 % off)."""
    if how.units_total > 1 and abs(share - how.units / how.units_total) < 1e-4 and round(share, 2) != share:
        return f"{how.units}/{how.units_total}"
    return _share(share)


def scope_text(how: ItemDerivation, labels: Labels) -> str:
    """“试点：1 个质检工位 / 共 2 个（行业默认数）” — the stage and the units it covers."""
    zh_stage, en_stage = STAGES.get(how.stage, (how.stage, how.stage))
    if how.unit == "site":
        return labels.pick("覆盖范围：全厂", "Scope: whole site")
    unit_zh = how.unit_zh  # "条产线": the measure word first
    default_zh = "（行业默认数，可在企业档案中填写）" if how.count_default else ""
    default_en = " (industry default; give your own count in the profile)" if how.count_default else ""
    return labels.pick(
        f"{zh_stage}：{how.units} {unit_zh} / 共 {how.units_total} {unit_zh[0]}{default_zh}",
        f"{en_stage}: {how.units} of {how.units_total} {how.unit_en}{default_en}",
    )


def _cost_text(c: CostLine, unit_zh: str, labels: Labels) -> str:
    w = Labels.money
    if c.what == "fixed":
        return labels.pick(
            f"固定部分 {w(c.one_off)} 万元，年运行 {w(c.annual)} 万元",
            f"fixed part {money_en(c.one_off)} one-off, {money_en(c.annual)} a year",
        )
    if c.what == "per_unit":
        units = f"{c.units:g}"
        return labels.pick(
            f"{units} × {w(c.one_off_each)} 万元/{unit_zh[:1]} = {w(c.one_off)} 万元，"
            f"年运行 {units} × {w(c.annual_each)} = {w(c.annual)} 万元",
            f"{units} × {money_en(c.one_off_each)} per unit = {money_en(c.one_off)} one-off, "
            f"{units} × {money_en(c.annual_each)} = {money_en(c.annual)} a year",
        )
    return labels.pick(
        f"按企业规模的整体价格 {w(c.one_off)} 万元，年运行 {w(c.annual)} 万元",
        f"whole-site price for the enterprise's size {money_en(c.one_off)} one-off, {money_en(c.annual)} a year",
    )


def _throughput_note(metric: str, labels: Labels) -> str:
    """Extra output counts only when the profile says it sells (engine/value_rules.py ``effect_money``)."""
    if metric != "throughput":
        return ""
    return labels.pick(
        "（企业档案说明产能不足、多产出的产品能卖出，所以按销售边际贡献计入；产能不紧张时不计）",
        " (the profile says demand exceeds capacity, so extra output sells and counts at the contribution margin; "
        "it would not count otherwise)",
    )


def item_workings(item: PlanItem, labels: Labels) -> Workings | None:
    how = item.how
    if how is None:  # a stored plan before wendao.plan/3
        return None
    w = Labels.money
    lines = [scope_text(how, labels)]
    if how.units_later:  # planning.yaml site_scaling.rollout_share: a group rolls out in waves
        lines.append(
            labels.pick(
                f"集团分批推广：规划期内推广到试点以外的 {how.units} {how.unit_zh}，其余 {how.units_later} {how.unit_zh[0]}"
                "留待下一期规划（问道估算）",
                f"a group rolls out in waves: within the plan the roll-out covers {how.units} {how.unit_en} after the "
                f"pilot; the other {how.units_later} are left to the next plan (wendao estimate)",
            )
        )
    for p in how.pools:
        basis_zh = "来源见附录" if p.source else "问道估算，见附录"
        basis_en = "source in the appendix" if p.source else "wendao estimate, see the appendix"
        if p.low_end:  # engine/scenarios.py: an estimate without a source counts at its low end
            basis_zh = "问道估算、无公开来源，按估算区间下限计入，见附录"
            basis_en = "wendao estimate without a published source, counted at its range's low end; see the appendix"
        left_zh = f" × 已有系统后剩余份额 {_share(p.in_place_share)}" if p.in_place_share < 1 else ""
        left_en = f" × share left by the system in place {_share(p.in_place_share)}" if p.in_place_share < 1 else ""
        origin_zh = "（行业默认值）" if p.pool_origin != "profile" else ""
        origin_en = " (industry default)" if p.pool_origin != "profile" else ""
        lines.append(
            labels.pick(
                f"{p.metric_zh}：资金池 {w(p.pool_value)} 万元/年{origin_zh} × 效果 {_pct(p.money_rate.median)}"
                f"（区间 {_pct(p.money_rate.low)}–{_pct(p.money_rate.high)}；{basis_zh}）× 覆盖份额 {_share(p.pool_share)}"
                f"{left_zh} × 覆盖比例 {_coverage(how, p.coverage)} = {w(p.annual.median)} 万元/年",
                f"{p.metric_en}: pool {money_en(p.pool_value)} a year{origin_en} × effect {_pct(p.money_rate.median)} "
                f"(range {_pct(p.money_rate.low)}–{_pct(p.money_rate.high)}; {basis_en}) × pool share "
                f"{_share(p.pool_share)}{left_en} × coverage {_coverage(how, p.coverage)} = {money_en(p.annual.median)} a year",
            )
            + _throughput_note(p.metric, labels)
        )
    b = how.benefit_before_risk
    lines.append(
        labels.pick(
            f"合计 {w(b.median)} 万元/年 × 实施成功概率 {_share(how.risk_factor)} = 中值 {w(item.annual_benefit.median)}"
            f" 万元/年（区间 {w(item.annual_benefit.low)}–{w(item.annual_benefit.high)}）；上线后第一年按"
            f" {_pct(how.ramp_first_year)} 计",
            f"total {money_en(b.median)} a year × chance of success {_share(how.risk_factor)} = median "
            f"{money_en(item.annual_benefit.median)} a year (range "
            f"{money_range_en(item.annual_benefit.low, item.annual_benefit.high)}); {_pct(how.ramp_first_year)} of it in "
            "the first year after go-live",
        )
    )
    if item.chance is not None:  # the foundations live before it raised its chance (engine/roadmap_lifts.py)
        lines.append(labels.pick(item.chance.note_zh, item.chance.note_en))
    costs = labels.semi.join(_cost_text(c, how.unit_zh, labels) for c in how.cost_lines)
    notes = []
    if how.class_scale > 1:  # engine/scope.py class_price_factor: the scope priced at its size class's band
        notes.append(
            labels.pick(
                f"单价按同规模企业的价格放大 ×{how.class_scale:.2f}：按行业默认{how.unit_zh[1:]}数覆盖全厂的成本"
                "取本场景该规模企业整体价格区间的中值（问道估算）",
                f"unit price scaled ×{how.class_scale:.2f} to the size class: covering the default number of "
                f"{how.unit_en} costs the middle of this scenario's price band for firms of this size (wendao estimate)",
            )
        )
    by_size = how.cost_scale / how.class_scale if how.class_scale > 0 else how.cost_scale
    if by_size > 1.005:  # planning.yaml size_scaling: a unit above its size class's reference size
        notes.append(
            labels.pick(
                f"单价已按规模放大 ×{by_size:.2f}：每{how.unit_zh}对应的营业收入高于同规模企业的参考值，"
                "按“成本随产能的 0.6 次方增长”的经验法则估算",
                f"unit price scaled ×{by_size:.2f}: each unit's share of revenue is above the reference for "
                "the size class; estimated with the six-tenths cost-capacity rule",
            )
        )
    if how.unit == "site_equiv":  # planning.yaml site_scaling: a group far above the size its band describes
        notes.append(
            labels.pick(
                f"集团按营业收入折算为 {how.units_total} 个厂区当量：一个厂区当量按同规模企业的整体价格计，全部覆盖按"
                "“成本随规模的 0.6 次方增长”估算，平台、模型和数据治理只建一次（问道估算）",
                f"the group counts as {how.units_total} site equivalents by revenue: one costs the whole-site price "
                "for its size class, all of them the six-tenths cost-capacity rule; platform, models and data "
                "governance are built once (wendao estimate)",
            )
        )
    if how.stage == "rollout" and any(c.what == "per_unit" for c in how.cost_lines):
        notes.append(
            labels.pick(
                "平台、系统搭建和一次性实施等固定部分已计入试点，推广只按新增单元计价：每单元的硬件、集成和调试",
                "the fixed part (platform, system set-up, one-off implementation) is in the pilot; the roll-out pays "
                "per added unit: its hardware, integration and commissioning",
            )
        )
    if notes:
        costs += labels.paren(labels.semi.join(notes))
    lines.append(
        labels.pick(
            f"成本：{costs}；投资合计 {w(item.one_off)} 万元", f"cost: {costs}; investment {money_en(item.one_off)}"
        )
    )
    return Workings(title=labels.scenario(item.label_zh, item.label_en), lines=lines)


def workings(plan: Plan, labels: Labels) -> list[Workings]:
    return [x for x in (item_workings(i, labels) for i in plan.items) if x is not None]


def defaults_lines(plan: Plan, labels: Labels) -> list[str]:
    """Whether the plan rests on industry defaults, and the three own figures that would sharpen it most."""
    use = plan.defaults_use
    if use is None:
        return []
    w = Labels.money
    out = []
    if use.on_defaults:
        out.append(
            labels.pick(
                "本规划按行业默认值估算：收益所依据的费用数据都不是企业自己填写的，请补充下列数据后重新生成。",
                "This plan is estimated on industry defaults: none of the figures its benefits rest on was given by "
                "the enterprise; add the figures below and make the plan again.",
            )
        )
    elif use.benefit_on_defaults > 0:
        out.append(
            labels.pick(
                f"年收益中约 {w(use.benefit_on_defaults)} 万元（共 {w(use.benefit_total)} 万元）按行业默认值估算。",
                f"About {money_en(use.benefit_on_defaults)} of the {money_en(use.benefit_total)} yearly benefit rests on "
                "industry defaults.",
            )
        )
    for f in use.sharpen_most:
        what_zh = "项目年收益" if f.kind == "benefit" else "项目投资"
        what_en = "of yearly benefit" if f.kind == "benefit" else "of investment"
        out.append(
            labels.pick(
                f"最能提高测算精度的数据：{f.name_zh}（关系到约 {w(f.at_stake)} 万元{what_zh}）",
                f"Figure that would sharpen the plan most: {f.name_en} ({money_en(f.at_stake)} {what_en} rest on its "
                "default)",
            )
        )
    return out
