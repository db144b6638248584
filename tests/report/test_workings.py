"""How the money was made (issue 13 item 8) in the documents: every item's units, pool lines, chance of success,
ramp and cost lines, in the reader's language, with no field id in Chinese."""

from __future__ import annotations

import re
from datetime import date

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import Baseline, load_profile
from wendao.report.labels import Labels
from wendao.report.workings import defaults_lines, workings

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)
PLAN = build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), LOADED, OPTIONS)
LATIN = re.compile(r"[A-Za-z_]{2,}")


def test_every_item_shows_its_units_pools_chance_ramp_and_costs() -> None:
    shown = workings(PLAN, Labels("zh"))
    assert len(shown) == len(PLAN.items)
    for item, wk in zip(PLAN.items, shown, strict=True):
        text = "\n".join(wk.lines)
        assert "实施成功概率" in text
        assert "第一年按" in text
        assert f"投资合计 {Labels.money(item.one_off)} 万元" in text
        if item.stage == "pilot":
            assert wk.lines[0].startswith("试点：")
            assert " / 共 " in wk.lines[0]


def test_the_chinese_workings_carry_no_field_id_or_english_word() -> None:
    for wk in workings(PLAN, Labels("zh")):
        for line in wk.lines:
            assert not LATIN.findall(line.replace("万元", "")), line


def test_a_plan_on_defaults_says_so_in_both_languages() -> None:
    bare = load_profile(EXAMPLES / "weifang_machinery.yaml").model_copy(update={"baseline": Baseline()})
    plan = build_plan(bare, LOADED, OPTIONS)
    zh = defaults_lines(plan, Labels("zh"))
    en = defaults_lines(plan, Labels("en"))
    assert zh[0].startswith("本规划按行业默认值估算")
    assert en[0].startswith("This plan is estimated on industry defaults")
    assert any(line.startswith("最能提高测算精度的数据：") for line in zh)


def test_an_unsourced_estimate_says_it_is_counted_at_its_low_end() -> None:
    items = [i for i in PLAN.items if i.how is not None and any(p.low_end for p in i.how.pools)]
    assert items
    zh = Labels("zh")
    for item in items:
        wk = next(w for w in workings(PLAN, zh) if w.title == zh.scenario(item.label_zh, item.label_en))
        assert any("按估算区间下限计入" in line for line in wk.lines)


ZIBO = build_plan(load_profile(EXAMPLES / "zibo_chemical.yaml"), LOADED, OPTIONS)


def test_extra_output_says_it_counts_because_the_firm_can_sell_it() -> None:
    zh, en = Labels("zh"), Labels("en")
    lines = [line for wk in workings(ZIBO, zh) for line in wk.lines if line.startswith("产出/产能")]
    assert lines
    assert all("企业档案说明产能不足" in line for line in lines)
    lines_en = [line for wk in workings(ZIBO, en) for line in wk.lines if "demand exceeds capacity" in line]
    assert len(lines_en) == len(lines)


def test_a_roll_out_says_why_it_has_no_fixed_part() -> None:
    rollouts = [wk for i, wk in zip(ZIBO.items, workings(ZIBO, Labels("zh")), strict=True) if i.stage == "rollout"]
    assert rollouts
    for wk in rollouts:
        assert "固定部分" not in wk.lines[-1].split("（")[0]  # no fixed cost line
        assert "固定部分已计入试点，推广只按新增单元计价" in wk.lines[-1]


def test_a_group_s_items_say_how_many_units_are_left_to_the_next_plan_and_show_coverage_as_a_fraction() -> None:
    from pathlib import Path

    steel = load_profile(Path(__file__).resolve().parents[1] / "data" / "profiles" / "large_steel.yaml")
    plan = build_plan(steel, LOADED, OPTIONS)
    shown = zip(plan.items, workings(plan, Labels("zh")), strict=True)
    texts = {(i.scenario, i.stage): "\n".join(w.lines) for i, w in shown}
    pilot = texts[("supply_chain_logistics", "pilot")]
    assert "试点：1 个厂区当量（按营业收入折算） / 共 15 个" in pilot
    assert "× 覆盖比例 1/15 = 350.0 万元/年" in pilot  # 150 000 × 5 % × 0.7 ÷ 15, redone by hand
    assert "集团按营业收入折算为 15 个厂区当量" in pilot
    rollout = texts[("supply_chain_logistics", "rollout")]
    assert "其余 7 个留待下一期规划" in rollout
    for wk in workings(plan, Labels("zh")):
        for line in wk.lines:
            assert not LATIN.findall(line.replace("万元", "")), line
