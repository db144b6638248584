"""The money pools of the enterprise beside what the plan takes out of them, and the upside it does not count
(DESIGN rules 2 and 3), as one sentence per pool in the document's language. Renders the Plan; recomputes nothing."""

from __future__ import annotations

from wendao.engine.plan import Plan
from wendao.engine.scenarios import money_en, money_range_en
from wendao.report.labels import TEXT, Labels


def pool_lines(plan: Plan, labels: Labels) -> list[str]:
    """“质量损失 380.0 万元/年 → 可减少 34.2–167.6 万元（中值 85.5；在线检测）” per pool, largest saving first; a pool
    the plan adds to (the margin on extra output) reads “可增加”."""
    w = Labels.money
    names = {i.scenario: labels.scenario(i.name_zh, i.name_en) for i in plan.items}
    out = []
    for p in plan.pools:
        items = labels.enum.join(names.get(s, s) for s in p.items)
        low, median, high = w(p.saving.low), w(p.saving.median), w(p.saving.high)
        if labels.zh:
            verb = "可增加" if p.gain else "可减少"
            out.append(f"{p.name_zh} {w(p.annual)} 万元/年 → {verb} {low}–{high} 万元（中值 {median}；{items}）")
        else:
            verb = "can add" if p.gain else "can take out"
            out.append(
                f"{p.name_en}: {money_en(p.annual)} a year → the plan {verb} "
                f"{money_range_en(p.saving.low, p.saving.high)} (median {money_en(p.saving.median)}; {items})"
            )
    return out


def upside_lines(plan: Plan, labels: Labels) -> list[str]:
    """Revenue effects shown but not counted, with the reason."""
    w = Labels.money
    out = []
    for u in plan.upside:
        name = labels.scenario(u.name_zh, u.name_en)
        # "约 0.0–0.6" read as nothing at its low end (PNG pages): "最多约 0.6" says the same
        low_nil = w(u.annual.low) == w(0.0)
        amount = f"{w(u.annual.low)}–{w(u.annual.high)}" if not low_nil else w(u.annual.high)
        why = labels.t(f"upside_{u.reason}") if f"upside_{u.reason}" in TEXT else u.reason
        if labels.zh:
            about = "最多约" if low_nil else "约"
            out.append(f"{name}：{u.metric_zh}带来的边际贡献{about} {amount} 万元/年（{why}），不计入收益")
        else:
            worth = "worth up to" if low_nil else "worth"
            amount_en = money_en(u.annual.high) if low_nil else money_range_en(u.annual.low, u.annual.high)
            out.append(f"{name}: {u.metric_en.lower()} {worth} {amount_en} a year in margin ({why}), not counted")
    return out
